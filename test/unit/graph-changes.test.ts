/** The diagram's changes mode: a connectivity diff laid over the graph of the current workspace. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph } from '../../src/core/graph/build';
import { changeCounts, countsText, withChanges } from '../../src/core/graph/changes';
import { connectivityDiff } from '../../src/core/net/policy/diff';
import { Workspace } from '../../src/core/workspace';

const dep = (name: string, ns: string, port?: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: x${port ? `, ports: [{containerPort: ${port}}]` : ''}}]}
`;
const policy = (rules: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-in, namespace: x}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
${rules}`;

function ws(files: Record<string, string>): Workspace {
  const w = new Workspace();
  for (const [f, t] of Object.entries(files)) w.set(f, t);
  return w;
}

test('added, removed and changed flows are marked, removed ones come back as edges, both sides explained', () => {
  const apps = dep('api', 'x') + '---\n' + dep('db', 'x', 5432) + '---\n' + dep('batch', 'x') + '---\n' + dep('web', 'x');
  const base = ws({
    'apps.yaml': apps,
    'policy.yaml': policy('  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n    ports: [{port: 5432}]\n  - from: [{podSelector: {matchLabels: {app: batch}}}]\n'),
  });
  const current = ws({
    'apps.yaml': apps,
    'policy.yaml': policy('  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: 5432}]\n'),
  });
  const diff = connectivityDiff(base, current, 'external');
  const counts = changeCounts(diff);
  assert.deepEqual(counts, { added: 1, removed: 1, changed: 1 });
  assert.equal(countsText(counts), '+1 flow, \u22121 flow, ~1 changed');
  assert.equal(countsText({ added: 0, removed: 0, changed: 0 }), 'no connectivity change');

  const g = withChanges(buildGraph(current), diff, current, base, 'HEAD');
  const edge = (from: string, to: string) => g.edges.find(e => e.id === `flow:workload:x/${from}[Deployment]->workload:x/${to}[Deployment]`);
  const changed = edge('api', 'db')!;
  assert.equal(changed.change, 'changed');
  assert.equal(changed.label, 'All Connections (HEAD: TCP 5432)');
  assert.ok(changed.explanation!.includes('Now:') && changed.explanation!.includes('At HEAD:'), changed.explanation!.join('\n'));
  const added = edge('web', 'db')!;
  assert.equal(added.change, 'added');
  assert.equal(added.label, 'TCP 5432');
  const removed = edge('batch', 'db')!;
  assert.equal(removed.change, 'removed');
  assert.equal(removed.label, 'All Connections');
  assert.ok(removed.explanation!.some(l => l.includes("NetworkPolicy 'x/db-in' allows connections by Ingress rule #2")), removed.explanation!.join('\n'));
  // Unchanged flows keep no mark; the note counts the changes.
  assert.ok(g.edges.filter(e => e.kind === 'flow' && !e.change).length > 0);
  assert.ok(g.notes.includes('Connectivity changes vs HEAD: +1 flow, \u22121 flow, ~1 changed.'));
});

test('a workload that exists only at the base comes back as a node for its removed flows', () => {
  const base = ws({ 'a.yaml': dep('old', 'x') + '---\n' + dep('db', 'x') });
  const current = ws({ 'a.yaml': dep('db', 'x') });
  const diff = connectivityDiff(base, current, 'external');
  const g = withChanges(buildGraph(current), diff, current, base, 'main');
  const node = g.nodes.find(n => n.id === 'workload:x/old[Deployment]')!;
  assert.ok(node);
  assert.deepEqual(node.details, ['exists only at main']);
  assert.ok(g.edges.some(e => e.change === 'removed' && e.source === node.id));
  assert.ok(diff.pairs.some(p => p.type === 'removed' && p.srcNewOrLost));
});
