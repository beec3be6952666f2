/**
 * Deterministic synthetic workspaces for the bench: namespaces of apps laid out as a real repo (a
 * file per app), each app a workload with labels, named ports and env vars naming other Services by
 * DNS, its Service, a NetworkPolicy with selectors, named ports and (for every third app) an ipBlock,
 * and a ConfigMap; each namespace has a Namespace, a default-deny policy and an Ingress.
 * Same `objects` and `seed` → byte-identical files.
 */

/** One file of a generated workspace. */
export interface BenchFile {
  readonly path: string;
  readonly text: string;
}

/** A generated workspace plus the file the edit benchmark types into. */
export interface BenchWorkspace {
  readonly name: string;
  readonly files: BenchFile[];
  readonly objects: number;
  /** The file edited on every keystroke of the edit benchmark. */
  readonly editFile: string;
  /** Two versions of `editFile`, alternated so every edit is a real change. */
  readonly editTexts: readonly [string, string];
  /** Offset in `editTexts[0]` of a DNS reference, where the edit path asks for a hover. */
  readonly hoverOffset: number;
}

/** mulberry32: a tiny seeded PRNG, good enough to vary manifests reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS_PER_NAMESPACE = 20;
const OBJECTS_PER_APP = 4;
const OBJECTS_PER_NAMESPACE = 3;
const TIERS = ['frontend', 'backend', 'data'] as const;

/** A workspace of about `objects` objects (rounded to whole namespaces). */
export function generateWorkspace(objects: number, seed = 42): BenchWorkspace {
  const rnd = prng(seed + objects);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const namespaces = Math.max(1, Math.round(objects / (APPS_PER_NAMESPACE * OBJECTS_PER_APP + OBJECTS_PER_NAMESPACE)));
  const files: BenchFile[] = [];
  let count = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    const team = `team-${n % 7}`;
    files.push({ path: `${ns}/namespace.yaml`, text: namespaceFile(ns, team, n) });
    count += OBJECTS_PER_NAMESPACE;
    for (let a = 0; a < APPS_PER_NAMESPACE; a++) {
      const tier = TIERS[a % TIERS.length]!;
      const kind = a % 10 === 9 ? 'StatefulSet' : a % 17 === 16 ? 'DaemonSet' : 'Deployment';
      const refs = [
        `http://app-${int(0, APPS_PER_NAMESPACE - 1)}.ns-${int(0, namespaces - 1)}:8080`,
        `app-${int(0, APPS_PER_NAMESPACE - 1)}.ns-${int(0, namespaces - 1)}.svc.cluster.local:5432`,
        `app-${int(0, APPS_PER_NAMESPACE - 1)}:6379`,
      ];
      const octet = int(0, 255);
      const ipBlock = a % 3 === 0 ? { cidr: `10.${octet}.0.0/16`, except: `10.${octet}.${int(0, 255)}.0/24` } : undefined;
      files.push({
        path: `${ns}/app-${a}.yaml`,
        text: appFile({ ns, team, app: `app-${a}`, tier, kind, refs, replicas: pick([1, 2, 3]), version: '1', ipBlock, peerTeam: `team-${int(0, 6)}` }),
      });
      count += OBJECTS_PER_APP;
    }
  }
  const mid = Math.floor(namespaces / 2);
  const editFile = `ns-${mid}/app-${APPS_PER_NAMESPACE / 2}.yaml`;
  const original = files.find(f => f.path === editFile)!.text;
  const edited = original.replace('version: "1"', 'version: "12"');
  const hoverOffset = original.indexOf('http://') + 'http://'.length;
  return { name: `synthetic ${count}`, files, objects: count, editFile, editTexts: [original, edited], hoverOffset };
}

function namespaceFile(ns: string, team: string, n: number): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    team: ${team}
    env: ${n % 2 ? 'prod' : 'staging'}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: ${ns}
spec:
  rules:
    - host: ${ns}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app-0
                port:
                  name: http
`;
}

interface AppSpec {
  ns: string;
  team: string;
  app: string;
  tier: string;
  kind: string;
  refs: string[];
  replicas: number;
  version: string;
  ipBlock: { cidr: string; except: string } | undefined;
  peerTeam: string;
}

function appFile(s: AppSpec): string {
  const replicas = s.kind === 'DaemonSet' ? '' : `  replicas: ${s.replicas}\n`;
  const serviceName = s.kind === 'StatefulSet' ? `  serviceName: ${s.app}\n` : '';
  const headless = s.kind === 'StatefulSet' ? '  clusterIP: None\n' : '';
  const egressIp = s.ipBlock
    ? `    - to:
        - ipBlock:
            cidr: ${s.ipBlock.cidr}
            except:
              - ${s.ipBlock.except}
      ports:
        - protocol: TCP
          port: 443
`
    : '';
  return `apiVersion: apps/v1
kind: ${s.kind}
metadata:
  name: ${s.app}
  namespace: ${s.ns}
  labels:
    app: ${s.app}
    tier: ${s.tier}
spec:
${replicas}${serviceName}  selector:
    matchLabels:
      app: ${s.app}
  template:
    metadata:
      labels:
        app: ${s.app}
        tier: ${s.tier}
        team: ${s.team}
        version: "${s.version}"
    spec:
      containers:
        - name: main
          image: registry.example.com/${s.app}:1.${s.replicas}.0
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          env:
            - name: UPSTREAM_URL
              value: "${s.refs[0]}"
            - name: DATABASE_ADDR
              value: ${s.refs[1]}
            - name: CACHE_ADDR
              value: ${s.refs[2]}
          envFrom:
            - configMapRef:
                name: ${s.app}-config
---
apiVersion: v1
kind: Service
metadata:
  name: ${s.app}
  namespace: ${s.ns}
spec:
${headless}  selector:
    app: ${s.app}
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
      targetPort: metrics
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${s.app}
  namespace: ${s.ns}
spec:
  podSelector:
    matchLabels:
      app: ${s.app}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: frontend
        - namespaceSelector:
            matchLabels:
              team: ${s.peerTeam}
          podSelector:
            matchExpressions:
              - key: tier
                operator: In
                values: [frontend, backend]
      ports:
        - protocol: TCP
          port: http
  egress:
    - to:
        - podSelector:
            matchLabels:
              tier: data
      ports:
        - port: 5432
        - port: 6379
${egressIp}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${s.app}-config
  namespace: ${s.ns}
data:
  LOG_LEVEL: info
  PEER: ${s.refs[0]}
`;
}

/**
 * `count` AdminNetworkPolicies of `rules` rules each over a workspace of `generateWorkspace`: subjects
 * by namespace labels (env, team), rules toward namespaces by name, pods by tier, named and numbered
 * ports and ranges, mostly Deny and Pass with an Allow every tenth rule (guardrails), and a few
 * `networks` peers; one file.
 */
export function adminPolicyFile(namespaces: number, count = 50, rules = 100, seed = 7): BenchFile {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const actions = ['Allow', 'Deny', 'Pass'];
  const docs: string[] = [];
  for (let p = 0; p < count; p++) {
    const subject = p % 2
      ? `    namespaces:\n      matchLabels:\n        env: ${p % 4 === 1 ? 'prod' : 'staging'}`
      : `    pods:\n      namespaceSelector:\n        matchLabels:\n          team: team-${p % 7}\n      podSelector:\n        matchLabels:\n          tier: ${TIERS[p % TIERS.length]}`;
    const ingress: string[] = [];
    const egress: string[] = [];
    for (let r = 0; r < rules; r++) {
      // Guardrails: mostly Deny and Pass, an Allow every tenth rule.
      const action = (p + r) % 10 === 0 ? 'Allow' : actions[1 + ((p + r) % 2)]!;
      const port = r % 4 === 0 ? '' : r % 4 === 1
        ? `    ports:\n    - namedPort: http\n`
        : r % 4 === 2 ? `    ports:\n    - portNumber: {protocol: TCP, port: ${8000 + int(0, 100)}}\n`
        : `    ports:\n    - portRange: {protocol: UDP, start: ${int(1000, 2000)}, end: ${int(2001, 3000)}}\n`;
      const peer = r % 3 === 0
        ? `    - namespaces:\n        matchLabels:\n          kubernetes.io/metadata.name: ns-${int(0, namespaces - 1)}\n`
        : `    - pods:\n        namespaceSelector:\n          matchLabels:\n            team: team-${int(0, 6)}\n        podSelector:\n          matchLabels:\n            tier: ${TIERS[int(0, TIERS.length - 1)]}\n`;
      const rule = `  - name: rule-${r}\n    action: ${action}\n`;
      if (r % 2) ingress.push(`${rule}    from:\n${peer}${port}`);
      else egress.push(`${rule}    to:\n${r % 10 === 0 ? `    - networks: ["${int(11, 200)}.${int(0, 255)}.0.0/16"]\n` : peer}${r % 10 === 0 ? '' : port}`);
    }
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: guard-${p}
spec:
  priority: ${p * 10}
  subject:
${subject}
  ingress:
${ingress.join('')}  egress:
${egress.join('')}`);
  }
  return { path: 'cluster/admin-policies.yaml', text: docs.join('---\n') };
}
