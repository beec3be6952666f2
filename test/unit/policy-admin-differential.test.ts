/**
 * The connectivity report's evaluation of the cluster-wide tiers (verdicts per class pair, memoised
 * by tier signature, only the classes an admin Allow opens visited, the tiers over address ranges)
 * against the straightforward one: every pair of peers evaluated on its own, direction by direction,
 * tier by tier (`allowed`, the path explanations take). Seeded generated workspaces: AdminNetworkPolicies
 * with priority ties, Allow/Deny/Pass, `namespaces`/`pods`/`networks` peers, port numbers, ranges and
 * named ports; NetworkPolicies that isolate some pods (so Pass meets them) and not others; a
 * BaselineAdminNetworkPolicy `default` in some.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowed, connectivity } from '../../src/core/net/policy/index';
import { Workspace } from '../../src/core/workspace';
import { prng } from '../../bench/gen';

const TIERS = ['web', 'api', 'db'];

function generate(seed: number): Record<string, string> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const files: Record<string, string> = {};
  const namespaces = ['ns-0', 'ns-1', 'ns-2'];
  namespaces.forEach((ns, n) => {
    const docs = [`apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels: {env: ${n % 2 ? 'prod' : 'staging'}, team: ${pick(['a', 'b'])}}`];
    for (let a = 0; a < 3; a++) {
      const httpPort = pick([80, 8080]);
      const udp = rnd() < 0.3 ? `\n        - {name: http, containerPort: 53, protocol: UDP}` : '';
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${a}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: app-${a}}}
  template:
    metadata: {labels: {app: app-${a}, tier: ${pick(TIERS)}}}
    spec:
      containers:
      - name: main
        image: x
        ports:${udp}
        - {name: http, containerPort: ${httpPort}}
        - {name: metrics, containerPort: 9090}`);
    }
    // Some namespaces isolate some pods, so a Pass meets a NetworkPolicy or falls through to the baseline.
    if (rnd() < 0.6) {
      const types = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
      const peer = pick([`- podSelector: {matchLabels: {tier: ${pick(TIERS)}}}`, `- namespaceSelector: {matchLabels: {env: prod}}`, `- ipBlock: {cidr: 10.${Math.floor(rnd() * 4)}.0.0/16}`]);
      const ports = pick(['', `\n    ports: [{port: http}]`, `\n    ports: [{port: 8080, protocol: TCP}]`]);
      docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: ${ns}}
spec:
  podSelector: ${rnd() < 0.5 ? '{}' : `{matchLabels: {tier: ${pick(TIERS)}}}`}
  policyTypes: [${types.join(', ')}]
${types.includes('Ingress') ? `  ingress:\n  - from:\n    ${peer}${ports}\n` : ''}${types.includes('Egress') ? `  egress:\n  - to:\n    ${peer}${ports}\n` : ''}`);
    }
    files[`${ns}.yaml`] = docs.join('\n---\n');
  });
  const subject = () => pick([
    `namespaces: {matchLabels: {env: ${pick(['prod', 'staging'])}}}`,
    `pods: {namespaceSelector: {matchLabels: {team: ${pick(['a', 'b'])}}}, podSelector: {matchLabels: {tier: ${pick(TIERS)}}}}`,
    'namespaces: {}',
  ]);
  const port = () => pick([
    '',
    '\n    ports: [{namedPort: http}]',
    `\n    ports: [{portNumber: {protocol: TCP, port: ${pick([80, 8080, 9090])}}}]`,
    `\n    ports: [{portRange: {protocol: ${pick(['TCP', 'UDP'])}, start: ${pick([1, 53, 80])}, end: ${pick([100, 9000])}}}]`,
    '\n    ports: [{namedPort: metrics}, {portNumber: {protocol: UDP, port: 53}}]',
  ]);
  const rule = (direction: 'ingress' | 'egress', i: number, actions: readonly string[]) => {
    const peers = [
      `- namespaces: {matchLabels: {kubernetes.io/metadata.name: ${pick(namespaces)}}}`,
      `- pods: {namespaceSelector: {}, podSelector: {matchLabels: {tier: ${pick(TIERS)}}}}`,
      ...(direction === 'egress' ? [`- networks: [10.${Math.floor(rnd() * 4)}.0.0/${pick([16, 24])}, 192.168.0.0/16]`] : []),
    ];
    return `  - name: r${i}\n    action: ${pick(actions)}\n    ${direction === 'ingress' ? 'from' : 'to'}:\n    ${pick(peers)}${port()}\n`;
  };
  const policies: string[] = [];
  const count = 2 + Math.floor(rnd() * 4);
  for (let p = 0; p < count; p++) {
    const rules = (direction: 'ingress' | 'egress') => Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, i) => rule(direction, i, ['Allow', 'Deny', 'Pass'])).join('');
    // Priorities from a small range: ties between policies (evaluated by name) are frequent.
    policies.push(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: anp-${p}}
spec:
  priority: ${Math.floor(rnd() * 3)}
  subject:
    ${subject()}
  ingress:
${rules('ingress')}  egress:
${rules('egress')}`);
  }
  if (rnd() < 0.6) {
    const rules = (direction: 'ingress' | 'egress') => Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => rule(direction, i, ['Allow', 'Deny'])).join('');
    policies.push(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject:
    ${subject()}
  ingress:
${rules('ingress')}  egress:
${rules('egress')}`);
  }
  files['cluster.yaml'] = policies.join('---\n');
  return files;
}

test('the connectivity report gives every pair the verdict the pair-by-pair evaluation gives (generated admin tiers)', () => {
  let compared = 0;
  let decided = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const ws = new Workspace();
    for (const [f, t] of Object.entries(generate(seed))) ws.set(f, t);
    const report = connectivity(ws);
    const got = new Map(report.connections.map(c => [`${c.src.id} => ${c.dst.id}`, c.conns.toString()]));
    const workloads = report.peers.filter(p => p.kind === 'workload');
    assert.equal(workloads.length, 9, `seed ${seed}: every generated workload is a peer`);
    const pairs = [
      ...workloads.flatMap(s => [...workloads.filter(d => d !== s), ...report.externalDestinations].map(d => [s, d] as const)),
      ...report.externalSources.flatMap(s => workloads.map(d => [s, d] as const)),
    ];
    for (const [s, d] of pairs) {
      const expected = allowed(ws, s, d);
      const key = `${s.id} => ${d.id}`;
      assert.equal(got.get(key) ?? 'No Connections', expected.toString(), `seed ${seed}: ${key}`);
      compared++;
      if (!expected.isEmpty() && !expected.isAll()) decided++;
    }
  }
  // The generator must reach the interesting cases: pairs partly allowed (ports cut by the tiers).
  assert.ok(compared > 5000, `compared ${compared} pairs`);
  assert.ok(decided > 200, `${decided} pairs allow only some ports`);
});
