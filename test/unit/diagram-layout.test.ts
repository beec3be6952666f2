// The diagram page's view and layout, run in Node: YAML in, what is drawn and where out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildGraph } from '../../src/core/graph/build';
import { serviceId, type NetworkGraph } from '../../src/core/graph/model';
import { Workspace } from '../../src/core/workspace';
import { applyDelta, diffGraph, snapshot, textShifts } from '../../src/shared/delta';
import { defaultAggregation, defaultCollapsed, layoutView } from '../../src/webview/layout';
import { nameSizeAtFit, READABLE_PX } from '../../src/webview/route';
import { edgesThroughFrames, measureDrawing, movedNodes, overlaps as overlapsBox, servicesOffRow } from '../../src/webview/metrics';
import { aggregateId, DEFAULT_VIEW, deriveView, OUTSIDE, type ViewState } from '../../src/webview/view';
import { CORPUS, filesUnder } from './corpus';
import { generateWorkspace } from '../../bench/diagram-workspace';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const BOUTIQUE = path.join(CORPUS, 'apps/microservices-demo');
const wl = (ns: string, name: string, kind = 'Deployment') => `workload:${ns}/${name}[${kind}]`;

function load(dirs: string[], reverse = false): Workspace {
  const ws = new Workspace();
  const files = dirs.flatMap(d => filesUnder(d).filter(f => /\.(ya?ml|json)$/.test(f)));
  for (const f of reverse ? files.reverse() : files) ws.set(f, fs.readFileSync(f, 'utf8'));
  return ws;
}
const boutiqueDirs = [path.join(BOUTIQUE, 'release'), path.join(BOUTIQUE, 'kustomize-network-policies')];

function yaml(ws: Workspace, file: string, ...docs: string[]): Workspace {
  ws.set(file, docs.join('\n---\n'));
  return ws;
}
const deployment = (ns: string, name: string, labels = `app: ${name}`) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {${labels}}}\n  template:\n    metadata: {labels: {${labels}}}\n    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}`;
const service = (ns: string, name: string, selector: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {${selector}}\n  ports: [{port: 80}]`;

const draw = (g: NetworkGraph, state: ViewState = DEFAULT_VIEW) => {
  const view = deriveView(g, state);
  return { view, layout: layoutView(view) };
};
const selectsOf = (g: NetworkGraph) => g.edges.filter(e => e.kind === 'selects');

test('every Service stands on the row of the workload it selects, when a workload has two Services', () => {
  // a has two Services; before the fix every later Service slid one row down (beside the wrong workload).
  const ws = yaml(new Workspace(), 'app.yaml',
    deployment('x', 'a'), deployment('x', 'b'), deployment('x', 'c'),
    service('x', 'a', 'app: a'), service('x', 'a-external', 'app: a'), service('x', 'b', 'app: b'), service('x', 'c', 'app: c'));
  const g = buildGraph(ws);
  const { layout } = draw(g);
  assert.deepEqual(servicesOffRow(layout.nodes, selectsOf(g)), []);
  const row = (id: string) => layout.nodes.get(id)!;
  for (const n of ['b', 'c']) assert.equal(row(serviceId('x', n)).y, row(wl('x', n)).y, n);
  // a is as tall as its two Services.
  assert.ok(row(wl('x', 'a')).h > row(serviceId('x', 'a')).h);
});

test('Online Boutique: every Service beside its workload, no overlapping label, no edge through a node, crossings at least halved', () => {
  const g = buildGraph(load(boutiqueDirs));
  const { view, layout } = draw(g);
  assert.deepEqual(servicesOffRow(layout.nodes, selectsOf(g)), []);
  const m = measureDrawing({
    nodes: layout.nodes,
    edges: [...view.edges, ...view.aggregates].map(e => ({ id: e.id, source: e.source, target: e.target, pts: layout.edges.get(e.id)!.pts })),
    labels: [...layout.labels.values()],
  });
  assert.equal(m.overlappingLabels, 0);
  assert.equal(m.labelsOverNodes, 0);
  assert.equal(m.edgesThroughNodes, 0);
  // The former column layout drew this graph with 230 crossings (bench/diagram.ts).
  assert.ok(m.crossings <= 115, `${m.crossings} crossings`);
});

test('the layout does not depend on the order the files were read in', () => {
  for (const dirs of [[EXAMPLES], boutiqueDirs]) {
    const a = draw(buildGraph(load(dirs))).layout;
    const b = draw(buildGraph(load(dirs, true))).layout;
    assert.deepEqual(movedNodes(a.nodes, b.nodes), []);
    assert.deepEqual([...a.groups].sort(), [...b.groups].sort());
  }
});

test('flows nothing isolates are said by the open badges, not drawn, unless asked', () => {
  const ws = yaml(new Workspace(), 'app.yaml', deployment('x', 'a'), deployment('x', 'b'), deployment('x', 'c'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: c, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: c}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: a}}}]}]');
  const g = buildGraph(ws);
  const flows = (s: ViewState) => deriveView(g, s).edges.filter(e => e.kind === 'flow').map(e => `${e.source} -> ${e.target}`).sort();
  // a <-> b: both open, drawn only on request; a -> c: c's policy allows it, always drawn.
  assert.deepEqual(flows(DEFAULT_VIEW), [`${wl('x', 'a')} -> ${wl('x', 'c')}`]);
  assert.equal(deriveView(g, DEFAULT_VIEW).hiddenOpen, g.edges.filter(e => e.kind === 'flow').length - 1);
  assert.ok(flows({ ...DEFAULT_VIEW, showOpen: true }).includes(`${wl('x', 'a')} -> ${wl('x', 'b')}`));
  const group = deriveView(g, DEFAULT_VIEW).groups.find(gr => gr.id === 'ns:x')!;
  assert.deepEqual([group.workloads, group.open], [3, 2]);
});

test('edges between namespaces are aggregated per pair with counts, expanded on request; a collapsed namespace is one box', () => {
  const g = buildGraph(load([EXAMPLES]));
  const v = deriveView(g, DEFAULT_VIEW);
  const shopToData = v.aggregates.find(a => a.id === aggregateId('ns:shop', 'ns:data'))!;
  assert.ok(shopToData, v.aggregates.map(a => a.id).join(' '));
  assert.equal(shopToData.flows, 1, 'api -> postgres');
  assert.match(shopToData.label, /^1 flow$/);
  assert.ok(v.edges.every(e => g.nodes.find(n => n.id === e.source)!.parent === g.nodes.find(n => n.id === e.target)!.parent));
  assert.ok(v.aggregates.some(a => a.source === OUTSIDE), 'the ingress controller and the internet reach shop');
  const open = deriveView(g, { ...DEFAULT_VIEW, expanded: [shopToData.id] });
  assert.ok(open.edges.some(e => e.id === `flow:${wl('shop', 'api')}->${wl('data', 'postgres', 'StatefulSet')}`));
  assert.ok(!open.aggregates.some(a => a.id === shopToData.id));
  const collapsed = deriveView(g, { ...DEFAULT_VIEW, collapsed: ['ns:data'] });
  assert.ok(!collapsed.nodes.some(n => n.namespace === 'data'));
  assert.ok(collapsed.aggregates.some(a => a.id === shopToData.id));
  const { layout } = draw(g, { ...DEFAULT_VIEW, collapsed: ['ns:data'] });
  assert.ok(layout.groups.get('ns:data')!.h < 100);
});

test('Dependencies view: DNS references (green and red), Services and Ingresses; no flows', () => {
  const g = buildGraph(load([EXAMPLES]));
  const v = deriveView(g, { ...DEFAULT_VIEW, mode: 'dependencies' });
  assert.ok(!v.edges.some(e => e.kind === 'flow'));
  const dns = [...v.edges.filter(e => e.kind === 'dns'), ...v.aggregates.filter(a => a.dns > 0)];
  assert.ok(v.edges.some(e => e.kind === 'dns' && e.status === 'blocked'), 'api -> cache:6379');
  assert.ok(v.edges.some(e => e.kind === 'dns' && e.status === 'allowed'), 'frontend -> api');
  assert.ok(v.aggregates.some(a => a.id === aggregateId('ns:shop', 'ns:data') && a.dns === 2), 'api -> postgres, twice');
  assert.ok(dns.length >= 3);
  // The Policy view keeps only the blocked DNS reference.
  assert.deepEqual(deriveView(g, DEFAULT_VIEW).edges.filter(e => e.kind === 'dns').map(e => e.status), ['blocked']);
});

test('an edit moves nothing outside the edited namespace', () => {
  for (const dirs of [[EXAMPLES], boutiqueDirs]) {
    const ws = load(dirs);
    const before = draw(buildGraph(ws)).layout;
    const file = ws.fileNames.find(f => ws.get(f)!.manifest.objects.some(o => o.kind === 'Deployment'))!;
    const ns = ws.get(file)!.manifest.objects.find(o => o.kind === 'Deployment')!.namespace;
    ws.set(file, `${ws.get(file)!.manifest.text}\n---\n${deployment(ns, 'aaa-added')}\n---\n${service(ns, 'aaa-added', 'app: aaa-added')}`);
    const g = buildGraph(ws);
    const after = layoutView(deriveView(g, DEFAULT_VIEW), before.groups);
    const moved = movedNodes(before.nodes, after.nodes);
    const nsOf = new Map(g.nodes.map(n => [n.id, n.namespace]));
    assert.deepEqual(moved.filter(id => nsOf.get(id) !== ns), [], `${dirs[0]}: ${moved.join(' ')}`);
    assert.ok(after.nodes.has(wl(ns, 'aaa-added')));
  }
});

test('incremental update: the delta of an edit rebuilds the new graph', () => {
  const ws = load([EXAMPLES]);
  const g1 = buildGraph(ws);
  const snap = snapshot(g1);
  const file = ws.fileNames.find(f => f.endsWith('api.yaml'))!;
  ws.set(file, ws.get(file)!.manifest.text.replace('cache:6379', 'cache:6380'));
  const g2 = buildGraph(ws);
  const { delta } = diffGraph(snap, g2);
  assert.ok(delta.nodes.length + delta.edges.length + delta.removedEdges.length > 0);
  assert.ok(delta.nodes.length + delta.edges.length < g2.nodes.length + g2.edges.length);
  const rebuilt = applyDelta(g1, delta);
  const sorted = (g: NetworkGraph) => ({ ...g, nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)) });
  assert.deepEqual(sorted(rebuilt), sorted(g2));
  // The frames, namespaces, notes and reading did not change: the delta leaves them out.
  assert.equal(delta.rest, undefined);
  // A new namespace changes the frames: the delta carries them, and the page's graph gets them.
  const snap2 = snapshot(g2);
  ws.set('new-ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: aaa-new\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n  namespace: aaa-new\nspec:\n  selector:\n    matchLabels: {app: w}\n  template:\n    metadata:\n      labels: {app: w}\n    spec:\n      containers: [{name: c, image: x}]\n');
  const g3 = buildGraph(ws);
  const { delta: d3, next: snap3 } = diffGraph(snap2, g3);
  assert.deepEqual(d3.rest?.namespaces, g3.namespaces);
  assert.ok(g3.groups.some(g => g.label === 'aaa-new'));
  const page3 = applyDelta(rebuilt, d3);
  assert.deepEqual(sorted(page3), sorted(g3));
  // The snapshot a diff leaves serves the next diff: removing the file removes its items.
  ws.delete('new-ns.yaml');
  const g4 = buildGraph(ws);
  const d4 = diffGraph(snap3, g4).delta;
  assert.deepEqual(d4.removedNodes, [wl('aaa-new', 'w')]);
  assert.ok(d4.rest, 'the frame is gone');
  assert.deepEqual(sorted(applyDelta(page3, d4)), sorted(g4));
});

test('incremental update: an edit that moves the text below it sends only what changed, the page shifts the rest', () => {
  const ws = load([EXAMPLES]);
  const g1 = buildGraph(ws);
  const gen = ws.generation;
  const file = ws.fileNames.find(f => f.endsWith('api.yaml'))!;
  const text = ws.get(file)!.manifest.text;
  // A longer replica count: every location after it in the file moves by one character.
  ws.set(file, text.replace(/replicas: (\d+)/, 'replicas: 1$1'));
  const g2 = buildGraph(ws);
  const shifts = textShifts(ws.changesSince(gen)!);
  assert.deepEqual(shifts.map(s => [s.file, s.by]), [[file, 1]]);
  const { delta } = diffGraph(snapshot(g1), g2, shifts);
  // Only the workload whose replicas changed; its Service, its DNS edges and the rest move with the text.
  assert.deepEqual(delta.nodes.map(n => n.id), [wl('shop', 'api')]);
  assert.deepEqual([delta.edges.length, delta.removedEdges.length, delta.removedNodes.length], [0, 0, 0]);
  const moved = g2.edges.filter(e => e.sourceLocation?.file === file && e.sourceLocation.span.start > text.indexOf('replicas'));
  assert.ok(moved.length > 0, 'some edges of the file lie below the edit');
  const sorted = (g: NetworkGraph) => ({ ...g, nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)) });
  assert.deepEqual(sorted(applyDelta(g1, delta)), sorted(g2));
  // Without the shift the same items would have gone whole.
  assert.ok(diffGraph(snapshot(g1), g2).delta.edges.length >= moved.length);
});

test('focus n hops away, and the policy filter', () => {
  const ws = load([EXAMPLES]);
  // cache <- Service cache <- (DNS reference) api: api is two hops from cache.
  const one = buildGraph(ws, { focus: wl('shop', 'cache') });
  const two = buildGraph(ws, { focus: wl('shop', 'cache'), hops: 2 });
  const pg = wl('data', 'postgres', 'StatefulSet');
  assert.deepEqual(one.nodes.map(n => n.id).sort(), [serviceId('shop', 'cache'), wl('shop', 'cache')].sort());
  assert.ok(two.nodes.some(n => n.id === wl('shop', 'api')));
  assert.ok(two.edges.some(e => e.kind === 'dns' && e.source === wl('shop', 'api') && e.target === serviceId('shop', 'cache')));
  assert.ok(!two.edges.some(e => e.source === wl('shop', 'api') && e.target === pg), 'edges between nodes two hops away are not kept');
  const pol = buildGraph(ws, { policy: 'data/postgres' });
  const seeds = pol.nodes.filter(n => n.policies?.some(p => `${p.namespace}/${p.name}` === 'data/postgres'));
  assert.deepEqual(seeds.map(n => n.id), [pg]);
  assert.ok(pol.nodes.some(n => n.id === wl('shop', 'api')), 'api reaches postgres');
  assert.ok(!pol.nodes.some(n => n.id === wl('shop', 'cache')));
});

test('frames new to a remembered picture come as one compact block, not a row', () => {
  const full = generateWorkspace(200);
  const half = new Workspace();
  for (const f of full.fileNames.slice(0, 5)) half.set(f, full.get(f)!.manifest.text);
  const before = draw(buildGraph(half)).layout;
  const fresh = draw(buildGraph(full)).layout;
  const after = layoutView(deriveView(buildGraph(full), DEFAULT_VIEW), before.groups, before.edges);
  // The five remembered frames stay; the five new ones are laid out together beside them.
  for (const [id, b] of before.groups) if (id !== OUTSIDE) assert.deepEqual([after.groups.get(id)!.x, after.groups.get(id)!.y], [b.x, b.y], id);
  assert.ok(after.width <= 2 * fresh.width, `${after.width} wide, fresh ${fresh.width}`);
});

test('an open namespace of many workloads is wrapped into bands side by side, each Service still on its workload\'s row', () => {
  // 40 workloads, no policy: their flows are badges, so no arcs run between rows and the column can wrap.
  const docs: string[] = [];
  for (let i = 0; i < 40; i++) docs.push(deployment('big', `w${String(i).padStart(2, '0')}`), service('big', `w${String(i).padStart(2, '0')}`, `app: w${String(i).padStart(2, '0')}`));
  docs.push(service('big', 'w00-metrics', 'app: w00'));
  const g = buildGraph(yaml(new Workspace(), 'big.yaml', ...docs));
  const { view, layout } = draw(g);
  assert.deepEqual(servicesOffRow(layout.nodes, selectsOf(g)), []);
  const frame = layout.groups.get('ns:big')!;
  assert.ok(frame.w > frame.h, `${frame.w} × ${frame.h}: wider than tall`);
  const columns = new Set([...layout.nodes.entries()].filter(([id]) => id.startsWith('workload:')).map(([, b]) => b.x));
  assert.ok(columns.size >= 2, `${columns.size} workload columns`);
  // No two nodes overlap, and nothing is drawn through a node.
  const m = measureDrawing({ nodes: layout.nodes, edges: [], labels: [] });
  assert.equal(m.edgesThroughNodes, 0);
  const boxes = [...layout.nodes.values()];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i]!, b = boxes[j]!;
    assert.ok(!(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h), 'nodes overlap');
  }
  assert.equal(view.hiddenOpen > 0, true);
});

test('a namespace whose workloads have flows drawn between them is wrapped toward the panel\'s shape, its flows between bands around the nodes', () => {
  const g = buildGraph(generateWorkspace(20));
  const workloadColumns = (l: ReturnType<typeof layoutView>) => new Set([...l.nodes.entries()].filter(([id]) => id.startsWith('workload:')).map(([, b]) => b.x)).size;
  // A tall panel: one column; a wide one: bands side by side.
  const view = deriveView(g, DEFAULT_VIEW);
  assert.equal(workloadColumns(layoutView(view, undefined, undefined, { aspect: 0.5 })), 1);
  const wide = layoutView(view, undefined, undefined, { aspect: 1400 / 730 });
  assert.ok(workloadColumns(wide) >= 2, `${workloadColumns(wide)} workload columns`);
  const m = measureDrawing({ nodes: wide.nodes, edges: drawn(view, wide), labels: [...wide.labels.values()] });
  assert.ok(view.edges.some(e => e.kind === 'flow'), 'flows are drawn between its workloads');
  assert.equal(m.edgesThroughNodes, 0);
  assert.equal(m.overlappingLabels, 0);
  assert.deepEqual(servicesOffRow(wide.nodes, selectsOf(g)), []);
});

// ---- readability at scale: the compact grid of collapsed namespaces, routes around frames

const PANEL = { w: 700, h: 730 };
const drawn = (view: ReturnType<typeof deriveView>, layout: ReturnType<typeof layoutView>) =>
  [...view.edges, ...view.aggregates].filter(e => layout.edges.has(e.id)).map(e => ({ id: e.id, source: e.source, target: e.target, pts: layout.edges.get(e.id)!.pts }));
const frameOfIn = (view: ReturnType<typeof deriveView>) => {
  const of = new Map(view.nodes.map(n => [n.id, n.parent ?? OUTSIDE]));
  return (id: string) => of.get(id) ?? id;
};
function overlappingFrames(groups: ReadonlyMap<string, { x: number; y: number; w: number; h: number }>): string[] {
  const list = [...groups];
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
    const [a, b] = [list[i]![1], list[j]![1]];
    if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`${list[i]![0]}|${list[j]![0]}`);
  }
  return out;
}

for (const n of [200, 2000]) {
  test(`${n} workloads open collapsed in a compact grid: names readable at Fit, no frame crossed, no overlap`, () => {
    const g = buildGraph(generateWorkspace(n));
    const full = deriveView(g, DEFAULT_VIEW);
    const expanded = layoutView(full);
    assert.ok(nameSizeAtFit(expanded.width, expanded.height, PANEL) < READABLE_PX, 'expanded, names are too small at Fit');
    const collapsed = defaultCollapsed(full, PANEL);
    assert.deepEqual(collapsed, full.groups.map(gr => gr.id), 'every namespace (and the outside) collapsed');
    const view = deriveView(g, { ...DEFAULT_VIEW, collapsed });
    const layout = layoutView(view, undefined, undefined, { aspect: PANEL.w / PANEL.h });
    const size = nameSizeAtFit(layout.width, layout.height, PANEL);
    assert.ok(size >= READABLE_PX, `names ${size.toFixed(1)} px at Fit`);
    // About the panel's aspect ratio.
    assert.ok(layout.width / layout.height > 0.5 * PANEL.w / PANEL.h && layout.width / layout.height < 2 * PANEL.w / PANEL.h, `${layout.width} x ${layout.height}`);
    assert.deepEqual(overlappingFrames(layout.groups), []);
    assert.equal(layout.edges.size, view.aggregates.length, 'every aggregated edge is drawn');
    assert.deepEqual(edgesThroughFrames(layout.groups, drawn(view, layout), frameOfIn(view)), []);
    const m = measureDrawing({ nodes: layout.nodes, edges: drawn(view, layout), labels: [...layout.labels.values()] });
    assert.equal(m.overlappingLabels, 0);

    // Expanding one namespace keeps every other frame where it was; it overlaps none, and its
    // aggregated edges go around the frames between.
    const state = { ...DEFAULT_VIEW, collapsed: collapsed.filter(id => id !== 'ns:team-3') };
    const v2 = deriveView(g, state);
    const l2 = layoutView(v2, layout.groups, layout.edges, { aspect: PANEL.w / PANEL.h });
    for (const [id, b] of layout.groups) if (id !== 'ns:team-3') assert.deepEqual(l2.groups.get(id), b, `${id} moved`);
    assert.ok(l2.groups.get('ns:team-3')!.h > layout.groups.get('ns:team-3')!.h);
    assert.deepEqual(overlappingFrames(l2.groups), []);
    assert.deepEqual(edgesThroughFrames(l2.groups, drawn(v2, l2), frameOfIn(v2)), []);
    assert.equal(measureDrawing({ nodes: l2.nodes, edges: drawn(v2, l2), labels: [...l2.labels.values()] }).edgesThroughNodes, 0);
    // An edit (a Deployment and its Service added to a collapsed namespace) moves no box.
    const ws = generateWorkspace(n);
    ws.set('gen://team-5.yaml', `${ws.get('gen://team-5.yaml')!.manifest.text}\n---\n${deployment('team-5', 'aaa-added')}\n---\n${service('team-5', 'aaa-added', 'app: aaa-added')}`);
    const edited = layoutView(deriveView(buildGraph(ws), { ...DEFAULT_VIEW, collapsed }), layout.groups, layout.edges, { aspect: PANEL.w / PANEL.h });
    assert.deepEqual(movedNodes(layout.groups, edited.groups), []);
    // And collapsing it again puts it back in its cell.
    const l3 = layoutView(deriveView(g, { ...DEFAULT_VIEW, collapsed }), l2.groups, l2.edges);
    assert.deepEqual(movedNodes(layout.groups, l3.groups).filter(id => id !== 'ns:team-3'), []);
  });
}

test('small pictures and single-namespace apps open expanded', () => {
  for (const dirs of [[EXAMPLES], boutiqueDirs]) {
    const full = deriveView(buildGraph(load(dirs)), DEFAULT_VIEW);
    assert.deepEqual(defaultCollapsed(full, PANEL), [], dirs[0]);
    assert.deepEqual(defaultCollapsed(full, { w: 300, h: 200 }), [], `${dirs[0]}, small panel`);
  }
});

test('a picture whose names are readable at Fit opens expanded; the threshold is the layout\'s own measure', () => {
  const full = deriveView(buildGraph(generateWorkspace(200)), DEFAULT_VIEW);
  const expanded = layoutView(full, undefined, undefined, { aspect: 1 });
  // A panel large enough for 9 px names expanded: nothing collapsed.
  const zoom = READABLE_PX / 13;
  const big = { w: expanded.width * zoom + 60, h: expanded.height * zoom + 60 };
  assert.ok(nameSizeAtFit(expanded.width, expanded.height, big) >= READABLE_PX);
  assert.deepEqual(defaultCollapsed(full, big), []);
});

test('edges of expanded pairs and aggregated edges go around frames that are not their ends, through no node', () => {
  for (const [name, ws] of [['demo', () => load([EXAMPLES])], ['synthetic 200', () => generateWorkspace(200)]] as const) {
    const g = buildGraph(ws());
    const all = deriveView(g, DEFAULT_VIEW);
    for (const state of [DEFAULT_VIEW, { ...DEFAULT_VIEW, expanded: all.aggregates.map(a => a.id) }]) {
      const view = deriveView(g, state);
      const layout = layoutView(view);
      assert.deepEqual(edgesThroughFrames(layout.groups, drawn(view, layout), frameOfIn(view)), [], `${name} ${state.expanded.length}`);
      const m = measureDrawing({ nodes: layout.nodes, edges: drawn(view, layout), labels: [...layout.labels.values()] });
      assert.equal(m.edgesThroughNodes, 0, `${name}: edges through nodes`);
      assert.equal(m.overlappingLabels, 0, `${name}: overlapping labels`);
      assert.equal(m.labelsOverNodes, 0, `${name}: labels over nodes`);
      assert.deepEqual(servicesOffRow(layout.nodes, selectsOf(g)), []);
    }
  }
});

// ---- names at Fit: the layout shaped for the panel, aggregated until readable

const PANELS = { beside: { w: 700, h: 730 }, full: { w: 1400, h: 730 } };
const REALWORLD = path.join(CORPUS, 'realworld');
/** The picture the page opens in `panel` (its default aggregation, laid out for the panel's shape). */
function opened(g: NetworkGraph, panel: { w: number; h: number }) {
  const full = deriveView(g, DEFAULT_VIEW);
  const { collapsed, foldServices } = defaultAggregation(full, panel, (c, fold) => deriveView(g, { ...DEFAULT_VIEW, collapsed: [...c], foldServices: fold }));
  const view = deriveView(g, { ...DEFAULT_VIEW, collapsed, foldServices });
  const layout = layoutView(view, undefined, undefined, { aspect: panel.w / panel.h });
  return { collapsed, foldServices, view, layout, size: nameSizeAtFit(layout.width, layout.height, panel) };
}
function assertDrawnWell(name: string, g: NetworkGraph, view: ReturnType<typeof deriveView>, layout: ReturnType<typeof layoutView>): void {
  const m = measureDrawing({ nodes: layout.nodes, edges: drawn(view, layout), labels: [...layout.labels.values()] });
  assert.equal(m.edgesThroughNodes, 0, `${name}: edges through nodes`);
  assert.equal(m.overlappingLabels, 0, `${name}: overlapping labels`);
  assert.deepEqual(edgesThroughFrames(layout.groups, drawn(view, layout), frameOfIn(view)), [], `${name}: edges across frames`);
  assert.deepEqual(overlappingFrames(layout.groups), [], `${name}: overlapping frames`);
  assert.deepEqual(servicesOffRow(layout.nodes, selectsOf(g)), [], `${name}: Services off their row`);
}

test('names at Fit are readable (9 px) beside an editor and full width: demo, realworld apps, cloudnative-pg, synthetic 200 and 2,000', () => {
  const cases: Array<[string, () => Workspace, Array<keyof typeof PANELS>]> = [
    ['demo', () => load([EXAMPLES]), ['beside', 'full']],
    ['Online Boutique', () => load(boutiqueDirs), ['beside', 'full']],
    ['realworld microservices-demo', () => load([path.join(REALWORLD, 'GoogleCloudPlatform__microservices-demo')]), ['beside', 'full']],
    ['kube-thanos', () => load([path.join(REALWORLD, 'thanos-io__kube-thanos')]), ['beside', 'full']],
    ['cloudnative-pg', () => load([path.join(REALWORLD, 'cloudnative-pg__cloudnative-pg')]), ['beside', 'full']],
    ['synthetic 200', () => generateWorkspace(200), ['beside', 'full']],
    ['synthetic 2,000', () => generateWorkspace(2000), ['beside', 'full']],
  ];
  for (const [name, make, panels] of cases) {
    const g = buildGraph(make());
    for (const p of panels) {
      const { view, layout, size } = opened(g, PANELS[p]);
      assert.ok(size >= READABLE_PX, `${name} ${p}: names ${size.toFixed(1)} px at Fit`);
      assertDrawnWell(`${name} ${p}`, g, view, layout);
    }
  }
});

test('beside an editor the demo stands the outside of the cluster above its namespaces; full width, on their left', () => {
  const g = buildGraph(load([EXAMPLES]));
  const beside = opened(g, PANELS.beside), full = opened(g, PANELS.full);
  const above = (l: ReturnType<typeof layoutView>) => [...l.groups].filter(([id]) => id !== OUTSIDE).every(([, b]) => b.y >= l.groups.get(OUTSIDE)!.y + l.groups.get(OUTSIDE)!.h);
  assert.ok(above(beside.layout), 'beside an editor: above');
  assert.ok(beside.layout.shape.outsideColumns > 1);
  assert.ok(!above(full.layout), 'full width: left');
  // Expanded, it was 6.8 px at Fit beside an editor (1242 × 564).
  assert.ok(beside.size >= READABLE_PX, `${beside.size.toFixed(1)} px`);
  // Updates keep the shape: an edit moves nothing outside the edited namespace.
  const ws = load([EXAMPLES]);
  ws.set('added.yaml', `${deployment('shop', 'aaa-added')}\n---\n${service('shop', 'aaa-added', 'app: aaa-added')}`);
  const g2 = buildGraph(ws);
  const after = layoutView(deriveView(g2, DEFAULT_VIEW), beside.layout.groups, beside.layout.edges, { aspect: PANELS.beside.w / PANELS.beside.h, shape: beside.layout.shape });
  const nsOf = new Map(g2.nodes.map(n => [n.id, n.namespace]));
  assert.deepEqual(movedNodes(beside.layout.nodes, after.nodes).filter(id => nsOf.get(id) !== 'shop'), []);
  assert.deepEqual(after.shape, beside.layout.shape);
});

test('aggregated until readable: cloudnative-pg collapses groups of `default` (by the family of their names), largest first, not the namespace, in both views', () => {
  const g = buildGraph(load([path.join(REALWORLD, 'cloudnative-pg__cloudnative-pg')]));
  for (const mode of ['policy', 'dependencies'] as const) {
    for (const [name, panel] of Object.entries(PANELS)) {
      const state = { ...DEFAULT_VIEW, mode };
      const full = deriveView(g, state);
      const expanded = layoutView(full, undefined, undefined, { aspect: panel.w / panel.h });
      const { collapsed, foldServices } = defaultAggregation(full, panel, (c, fold) => deriveView(g, { ...state, collapsed: [...c], foldServices: fold }));
      if (nameSizeAtFit(expanded.width, expanded.height, panel) >= READABLE_PX) {
        // Full width in the Dependencies view (no flow drawn: the outside of the cluster packed beside the namespaces) every workload reads, in its group's outline.
        assert.deepEqual([mode, name, collapsed, foldServices], ['dependencies', 'full', [], false]);
        assert.equal(expanded.subframes.size, [...full.subgroups.values()].filter(x => !x.outer).length);
        assertDrawnWell(`${mode} ${name}`, g, full, expanded);
        continue;
      }
      // No namespace collapsed: groups of default only, the largest ones.
      assert.ok(collapsed.length > 0 && collapsed.every(id => id.startsWith('grp:ns:default/')), `${mode} ${name}: ${collapsed.join(', ')}`);
      // Groups the largest first; the group of groups (cluster-*, 36) only once every group is collapsed.
      const bySize = [...full.subgroups.values()].filter(x => !x.outer).sort((a, b) => b.members.length - a.members.length || (a.id < b.id ? -1 : 1)).map(x => x.id);
      const inner = collapsed.filter(id => bySize.includes(id));
      assert.deepEqual([...inner].sort(), bySize.slice(0, inner.length).sort(), `${mode} ${name}: the largest first`);
      if (inner.length < collapsed.length) assert.equal(inner.length, bySize.length, `${mode} ${name}: groups of groups last`);
      const view = deriveView(g, { ...state, collapsed, foldServices });
      const layout = layoutView(view, undefined, undefined, { aspect: panel.w / panel.h });
      const size = nameSizeAtFit(layout.width, layout.height, panel);
      assert.ok(size >= READABLE_PX, `${mode} ${name}: ${size.toFixed(1)} px`);
      assertDrawnWell(`${mode} ${name}`, g, view, layout);
      // Each collapsed group is one box in default's frame; an expanded group's outline holds its rows only.
      for (const id of collapsed) assert.ok(layout.nodes.has(id) && view.nodes.find(n => n.id === id)?.parent === 'ns:default');
      for (const [id, boxes] of layout.subframes) {
        const members = new Set(view.subgroups.get(id)!.members);
        for (const [nid, b] of layout.nodes) {
          const inside = boxes.some(o => b.x >= o.x && b.y >= o.y && b.x + b.w <= o.x + o.w && b.y + b.h <= o.y + o.h);
          const touches = boxes.some(o => overlapsBox(o, b));
          assert.equal(inside, members.has(nid), `${id}: ${nid}`);
          assert.equal(touches, members.has(nid), `${id}: ${nid} overlaps its outline`);
        }
      }
      if (name === 'full') assert.ok(layout.subframes.size > 0, 'full width some groups stay expanded');
    }
  }
  // Without the partial search: all or nothing.
  const full = deriveView(g, DEFAULT_VIEW);
  assert.deepEqual(defaultCollapsed(full, PANELS.beside), full.groups.map(x => x.id));
});

test('Services folded into their workloads: a Service that selects one workload is said in its box, its edges go to the workload', () => {
  const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: x}\nspec:\n  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]';
  const caller = deployment('x', 'b').replace('ports: [{containerPort: 80}]', 'ports: [{containerPort: 80}], env: [{name: A, value: "http://a:80"}]');
  const ws = yaml(new Workspace(), 'app.yaml', deployment('x', 'a'), caller, service('x', 'a', 'app: a'), service('x', 'a-metrics', 'app: a'),
    service('x', 'both', 'tier: all'), service('x', 'nothing', 'app: none'), ingress);
  ws.set('both.yaml', [deployment('x', 'c', 'tier: all'), deployment('x', 'd', 'tier: all')].join('\n---\n'));
  const g = buildGraph(ws);
  for (const mode of ['policy', 'dependencies'] as const) {
    const v = deriveView(g, { ...DEFAULT_VIEW, mode, foldServices: true });
    const ids = new Set(v.nodes.map(n => n.id));
    // a and a-metrics select only a: folded; both selects two workloads and nothing none: boxes of their own.
    assert.deepEqual([...v.folded.keys()].sort(), [serviceId('x', 'a'), serviceId('x', 'a-metrics')]);
    assert.deepEqual(v.servicesOf.get(wl('x', 'a')), ['a', 'a-metrics']);
    assert.ok(!ids.has(serviceId('x', 'a')) && ids.has(serviceId('x', 'both')) && ids.has(serviceId('x', 'nothing')));
    // No edge ends at a folded Service; the Ingress routes to the workload, b's reference to a goes to a.
    assert.ok(v.edges.every(e => ids.has(e.source) && ids.has(e.target)), mode);
    assert.ok(v.edges.some(e => e.kind === 'routes' && e.target === wl('x', 'a')), `${mode}: Ingress -> a`);
    if (mode === 'dependencies') assert.ok(v.edges.some(e => e.kind === 'dns' && e.source === wl('x', 'b') && e.target === wl('x', 'a')), 'b -> a by name');
    const layout = layoutView(v, undefined, undefined, { aspect: 1 });
    assertDrawnWell(mode, g, v, layout);
  }
  // Not folded, the same graph draws every Service.
  assert.equal(deriveView(g, DEFAULT_VIEW).folded.size, 0);
  assert.ok(deriveView(g, DEFAULT_VIEW).nodes.some(n => n.id === serviceId('x', 'a')));
});

test('beside an editor, Online Boutique, kube-thanos and microservices-demo fold their Services (unreadable as boxes); full width they keep them', () => {
  for (const dirs of [boutiqueDirs, [path.join(REALWORLD, 'thanos-io__kube-thanos')], [path.join(REALWORLD, 'GoogleCloudPlatform__microservices-demo')]]) {
    const g = buildGraph(load(dirs));
    const full = deriveView(g, DEFAULT_VIEW);
    const expanded = layoutView(full, undefined, undefined, { aspect: PANELS.beside.w / PANELS.beside.h });
    assert.ok(nameSizeAtFit(expanded.width, expanded.height, PANELS.beside) < READABLE_PX, `${dirs[0]}: Service boxes are too small beside an editor`);
    const beside = opened(g, PANELS.beside);
    assert.deepEqual([beside.collapsed, beside.foldServices], [[], true], dirs[0]);
    assert.ok(beside.size >= READABLE_PX);
    assert.deepEqual([opened(g, PANELS.full).foldServices, opened(g, PANELS.full).collapsed], [false, []], dirs[0]);
  }
});
