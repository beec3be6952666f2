/**
 * Policy engine micro-benchmark: a deterministic synthetic cluster (thousands of workloads, hundreds
 * of ipBlocks with excepts, named ports, cross-namespace selectors) and the time `connectivity()`
 * takes on it. Run alone with `node --import tsx bench/policy.ts`.
 */
import { performance } from 'node:perf_hooks';
import { connectivity, formatConnectivity } from '../src/core/net/policy/index';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { Workspace } from '../src/core/workspace';

const NAMESPACES = 50;
const WORKLOADS_PER_NAMESPACE = 60;
const BLOCKS_PER_NAMESPACE = 6;

/** A small deterministic generator (LCG), so every run measures the same cluster. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function cluster(): Map<string, string> {
  const rand = rng(42);
  const files = new Map<string, string>();
  const tiers = ['web', 'api', 'db', 'cache'];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `team-${n}`;
    const docs: string[] = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {env: ${n % 3 === 0 ? 'prod' : 'dev'}, team: t${n % 7}}\n`];
    for (let w = 0; w < WORKLOADS_PER_NAMESPACE; w++) {
      const tier = tiers[Math.floor(rand() * tiers.length)]!;
      const port = 8000 + Math.floor(rand() * 50);
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${w}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: app-${w}}}
  template:
    metadata:
      labels: {app: app-${w}, tier: ${tier}, shard: s${w % 5}}
    spec:
      containers:
      - name: main
        image: example/app
        ports:
        - {name: http, containerPort: ${port}}
        - {name: metrics, containerPort: 9090}
`);
    }
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ${ns}}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`);
    for (const tier of tiers) {
      docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-${tier}, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {tier: ${tier}}}
  ingress:
  - from:
    - podSelector: {matchLabels: {tier: ${tiers[(tiers.indexOf(tier) + 3) % 4]}}}
    - namespaceSelector: {matchLabels: {env: prod}}
      podSelector: {matchExpressions: [{key: shard, operator: In, values: [s1, s2]}]}
    ports: [{port: http}, {port: 9090}]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {team: t${n % 7}}}
    ports: [{port: http}, {port: 53, protocol: UDP}]
`);
    }
    const blocks: string[] = [];
    for (let b = 0; b < BLOCKS_PER_NAMESPACE; b++) {
      const a = 1 + Math.floor(rand() * 220);
      const c = Math.floor(rand() * 256);
      blocks.push(`    - ipBlock: {cidr: ${a}.${c}.0.0/16, except: [${a}.${c}.${Math.floor(rand() * 256)}.0/24]}`);
    }
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: external, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {tier: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
${blocks.join('\n')}
    ports: [{port: 443}, {port: 8000, endPort: 8049}]
  egress:
  - to:
${blocks.slice(0, 3).join('\n')}
`);
    files.set(`${ns}.yaml`, docs.join('---\n'));
  }
  return files;
}

async function time<T>(fn: () => T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** Timings of the policy engine on the synthetic cluster: parse, cold and cached connectivity, txt output. */
export async function benchPolicy(): Promise<Array<{ name: string; ms: number }>> {
  const files = cluster();
  const ws = new Workspace(DEFAULT_SETTINGS);
  const parse = await time(() => { for (const [f, t] of files) ws.set(f, t); });
  const cold = await time(() => connectivity(ws));
  const cached = await time(() => connectivity(ws));
  const txt = await time(() => formatConnectivity(cold.value, 'txt'));
  const all = await time(() => connectivity(ws, { ipBlockReading: 'all' }));
  const workloads = NAMESPACES * WORKLOADS_PER_NAMESPACE;
  const blocks = NAMESPACES * BLOCKS_PER_NAMESPACE;
  const rows = cold.value.connections.length;
  return [
    { name: `policy: parse ${workloads} workloads, ${ws.policies.length} policies`, ms: parse.ms },
    { name: `policy: connectivity() cold (${blocks} ipBlocks, ${rows} rows)`, ms: cold.ms },
    { name: 'policy: connectivity() cached', ms: cached.ms },
    { name: `policy: format txt (${txt.value.length} chars)`, ms: txt.ms },
    { name: `policy: connectivity() ipBlock reading all (${all.value.connections.length} rows)`, ms: all.ms },
  ];
}

if (require.main === module) {
  benchPolicy().then(rows => { for (const r of rows) console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.name}`); });
}
