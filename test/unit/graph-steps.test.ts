// The diagram's first picture comes before the flows (src/core/graph/parts.ts fullGraphSteps,
// incremental.ts graphSteps, the panel's stream): the steps' graphs hold what they say, the deltas
// between them are what the page receives, and the end is the graph a one-shot build gives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateWorkspace } from '../../bench/diagram-workspace';
import { buildGraph, graphSteps, type GraphStep } from '../../src/core/graph/build';
import { buildInfo } from '../../src/core/graph/incremental';
import type { NetworkGraph } from '../../src/core/graph/model';
import { fullGraphSteps } from '../../src/core/graph/parts';
import { Workspace } from '../../src/core/workspace';
import { applyDelta, diffGraph, snapshot } from '../../src/shared/delta';
import { filesUnder } from './corpus';

const EXAMPLES = path.resolve(__dirname, '../../examples');
function examples(): Workspace {
  const ws = new Workspace();
  // Not the scratch folders (`.render-test`, `.host-timing`) the integration tests write there meanwhile.
  for (const f of filesUnder(EXAMPLES).filter(x => /\.ya?ml$/.test(x) && !path.relative(EXAMPLES, x).split(path.sep).some(p => p.startsWith('.')))) ws.set(f, fs.readFileSync(f, 'utf8'));
  return ws;
}
const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Runs the steps to their end: the graphs of the steps (taken when yielded) and the returned graph. */
function run(steps: Generator<GraphStep, NetworkGraph, void>): { steps: Array<{ pending: string; graph: NetworkGraph }>; result: NetworkGraph } {
  const out: Array<{ pending: string; graph: NetworkGraph }> = [];
  for (;;) {
    const r = steps.next();
    if (r.done) return { steps: out, result: r.value };
    out.push({ pending: r.value.pending, graph: r.value.graph() });
  }
}

test('examples: the first step has every namespace, workload, Service and Ingress and no flow; the end is the one-shot graph', () => {
  const ws = examples();
  const { steps, result } = run(graphSteps(ws));
  const oneShot = buildGraph(examples());
  // The same graph, item for item and in the same order, and the one buildGraph now returns.
  assert.deepEqual(result, oneShot);
  assert.equal(buildGraph(ws), result);
  assert.deepEqual(buildInfo(ws), { incremental: false, namespaces: [], reason: 'first build' });

  assert.deepEqual(steps.map(s => s.pending), ['flows', 'dns']);
  const [first, flows] = [steps[0]!.graph, steps[1]!.graph];
  assert.deepEqual(first.groups, oneShot.groups);
  const inNamespaces = (g: NetworkGraph) => byId(g.nodes.filter(n => n.kind === 'workload' || n.kind === 'service' || n.kind === 'ingress')).map(n => n.id);
  assert.deepEqual(inNamespaces(first), inNamespaces(oneShot));
  assert.deepEqual(first.edges.filter(e => e.kind === 'flow' || e.kind === 'dns'), []);
  assert.ok(first.edges.some(e => e.kind === 'selects') && first.edges.some(e => e.kind === 'routes'));
  // The INTERNET badge comes with the flows: frontend is reached from outside the cluster.
  const frontend = (g: NetworkGraph) => g.nodes.find(n => n.id === 'workload:shop/frontend[Deployment]')!;
  assert.ok(!frontend(first).badges.includes('exposed-internet'));
  assert.ok(frontend(flows).badges.includes('exposed-internet'));
  assert.deepEqual(byId(flows.edges.filter(e => e.kind === 'flow')), byId(oneShot.edges.filter(e => e.kind === 'flow')));
  assert.deepEqual(flows.edges.filter(e => e.kind === 'dns'), []);
  assert.ok(oneShot.edges.some(e => e.kind === 'dns'));
});

test('synthetic 200 workloads: the deltas the page receives rebuild the one-shot graph and hold only what each step added', () => {
  const ws = generateWorkspace(200);
  const generator = fullGraphSteps(ws, 1);
  const steps: GraphStep[] = [];
  let r = generator.next();
  for (; !r.done; r = generator.next()) steps.push({ pending: r.value.pending, graph: (g => () => g)(r.value.graph()) });
  const oneShot = buildGraph(generateWorkspace(200));
  assert.deepEqual(r.value.graph, oneShot);
  // One step for the flows, then one per file of DNS references.
  assert.deepEqual(steps.map(s => s.pending), ['flows', ...ws.fileNames.map(() => 'dns')]);

  // As the panel sends them: the first step whole, then what changed.
  let page = steps[0]!.graph();
  let sent = snapshot(page);
  const milestones = [steps[1]!.graph(), r.value.graph];
  const deltas = milestones.map(g => { const { delta, next } = diffGraph(sent, g); sent = next; page = applyDelta(page, delta); return delta; });
  assert.deepEqual(byId(page.nodes), byId(oneShot.nodes));
  assert.deepEqual(byId(page.edges), byId(oneShot.edges));
  // The flows' delta: flow edges, the outside nodes and the workloads whose badges the flows changed; nothing removed.
  const [flows, dns] = deltas as [typeof deltas[0], typeof deltas[0]];
  assert.ok(flows.edges.length > 0 && flows.edges.every(e => e.kind === 'flow'));
  assert.deepEqual([flows.removedNodes, flows.removedEdges, dns.removedNodes, dns.removedEdges], [[], [], [], []]);
  const workloadsSent = flows.nodes.filter(n => n.kind === 'workload');
  assert.ok(workloadsSent.every(n => n.badges.includes('exposed-internet')));
  assert.ok(workloadsSent.length < oneShot.nodes.filter(n => n.kind === 'workload').length);
  assert.ok(dns.nodes.length === 0 && dns.edges.length > 0 && dns.edges.every(e => e.kind === 'dns'));
});

test('graphSteps yields nothing when the graph is known or updated namespace by namespace, and stops when the workspace changes', () => {
  const ws = generateWorkspace(40);
  const known = buildGraph(ws);
  assert.deepEqual(run(graphSteps(ws)), { steps: [], result: known });
  const f = 'gen://team-1.yaml';
  ws.set(f, ws.get(f)!.manifest.text.replace('replicas: 2', 'replicas: 7'));
  const updated = run(graphSteps(ws));
  assert.deepEqual(updated.steps, []);
  assert.equal(buildInfo(ws)?.incremental, true);
  assert.equal(buildGraph(ws), updated.result);

  // A namespace's labels changed: built whole, in steps; an edit between two steps ends them.
  ws.set(f, ws.get(f)!.manifest.text.replace('tier-group: g1', 'tier-group: g2'));
  const steps = graphSteps(ws);
  assert.equal(steps.next().done, false);
  ws.set(f, ws.get(f)!.manifest.text.replace('replicas: 7', 'replicas: 8'));
  assert.throws(() => steps.next(), /workspace changed/);
  assert.deepEqual(buildGraph(ws).nodes.find(n => n.id === 'workload:team-1/svc-1[Deployment]')?.replicas, 8);
});
