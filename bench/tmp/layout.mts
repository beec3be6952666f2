import { generateWorkspace } from '/work/wt/diagram/bench/generate';
import { buildGraph } from '/work/wt/diagram/src/core/graph/build';
import ELK from 'elkjs/lib/elk.bundled.js';
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
cytoscape.use(fcose as any);
const mode = process.argv[2]!; const n = Number(process.argv[3]);
const ws = generateWorkspace(n);
const g = buildGraph(ws, {}, {});
// add pseudo flow edges i -> i+1 for realism
const edges = [...g.edges];
const t0 = performance.now();
if (mode === 'elk-hier' || mode === 'elk-two') {
  const elk = new ELK();
  if (mode === 'elk-hier') {
    const children: any[] = g.groups.map(gr => ({ id: gr.id, layoutOptions: { 'elk.padding': '[top=30,left=12,bottom=12,right=12]' }, children: [] as any[] }));
    const byId = new Map(children.map(c => [c.id, c]));
    const root: any[] = [...children];
    for (const nd of g.nodes) { const c = { id: nd.id, width: 160, height: 40 }; if (nd.parent) byId.get(nd.parent).children.push(c); else root.push(c); }
    const res = await elk.layout({ id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.hierarchyHandling': 'INCLUDE_CHILDREN', 'elk.direction': 'RIGHT' }, children: root, edges: edges.map(e => ({ id: e.id, sources: [e.source], targets: [e.target] })) });
  } else {
    const groups = new Map<string, any[]>();
    for (const nd of g.nodes) { const k = nd.parent ?? ''; if (!groups.has(k)) groups.set(k, []); groups.get(k)!.push({ id: nd.id, width: 160, height: 40 }); }
    const parentOf = new Map(g.nodes.map(nd => [nd.id, nd.parent ?? '']));
    const sizes = new Map<string, any>();
    await Promise.all([...groups].map(async ([k, ch]) => {
      const inner = edges.filter(e => parentOf.get(e.source) === k && parentOf.get(e.target) === k);
      const r = await elk.layout({ id: k || 'outside', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }, children: ch, edges: inner.map(e => ({ id: e.id, sources: [e.source], targets: [e.target] })) });
      sizes.set(k, r);
    }));
    const agg = new Map<string, any>();
    for (const e of edges) { const a = parentOf.get(e.source)!, b = parentOf.get(e.target)!; if (a !== b) agg.set(a + '>' + b, { id: a + '>' + b, sources: [a || 'outside'], targets: [b || 'outside'] }); }
    await elk.layout({ id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }, children: [...sizes].map(([k, r]) => ({ id: k || 'outside', width: r.width, height: r.height })), edges: [...agg.values()] });
  }
} else {
  const els: any[] = [];
  for (const gr of g.groups) els.push({ data: { id: gr.id } });
  for (const nd of g.nodes) els.push({ data: { id: nd.id, parent: nd.parent } });
  for (const e of edges) els.push({ data: { id: e.id, source: e.source, target: e.target } });
  const cy = cytoscape({ headless: true, elements: els, styleEnabled: true, style: [{ selector: 'node', style: { width: 160, height: 40 } }] });
  await new Promise<void>(r => { const l = cy.layout({ name: 'fcose', animate: false, randomize: true, quality: 'default' } as any); l.one('layoutstop', () => r()); l.run(); });
}
console.log(mode, n, g.nodes.length, edges.length, (performance.now() - t0).toFixed(0) + 'ms');
