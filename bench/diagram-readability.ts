/**
 * The diagram's readability at Fit (issue #20), on the page's own view and layout run in Node: for
 * the demo, Online Boutique, realworld repositories and the synthetic 200 / 2,000-workload
 * workspaces, in a panel beside an editor (700 × 730 px, the e2e tests' 1400 × 900 window split in
 * two) and a full-width one (1400 × 730): which namespaces the page opens collapsed
 * (`defaultAggregation`), the names' size on screen at Fit in that picture and expanded, the picture's
 * size, and its drawing figures (crossings, overlapping labels, edges through nodes, edges across a
 * frame that is not their end), also with every aggregated pair expanded.
 * Run with `node --import tsx bench/diagram-readability.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildGraph } from '../src/core/graph/build';
import { defaultAggregation, layoutView, type Layout } from '../src/webview/layout';
import { edgesThroughFrames, measureDrawing } from '../src/webview/metrics';
import { nameSizeAtFit, READABLE_PX } from '../src/webview/route';
import { DEFAULT_VIEW, deriveView, OUTSIDE, type View } from '../src/webview/view';
import { CORPUS } from './corpus';
import { diagramCases } from './diagram';
import { Workspace } from '../src/core/workspace';

const filesUnder = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
  .flatMap(e => (e.isDirectory() ? filesUnder(path.join(d, e.name)) : [path.join(d, e.name)]));

const PANELS = [{ name: 'beside an editor', w: 700, h: 730 }, { name: 'full width', w: 1400, h: 730 }];

function figures(view: View, layout: Layout) {
  const of = new Map(view.nodes.map(n => [n.id, n.parent ?? OUTSIDE]));
  const edges = [...view.edges, ...view.aggregates].filter(e => layout.edges.has(e.id)).map(e => ({ id: e.id, source: e.source, target: e.target, pts: layout.edges.get(e.id)!.pts }));
  const m = measureDrawing({ nodes: layout.nodes, edges, labels: [...layout.labels.values()] });
  return { ...m, acrossFrames: edgesThroughFrames(layout.groups, edges, id => of.get(id) ?? id).length };
}

function main(): void {
  const dir = (d: string) => () => { const ws = new Workspace(); for (const f of filesUnder(d).filter(f => /\.(ya?ml|json)$/i.test(f))) ws.set(f, fs.readFileSync(f, 'utf8')); return ws; };
  const cases: Array<[string, () => Workspace]> = diagramCases([200, 2000]).map(([n, make]) => [n, () => make(false)]);
  cases.splice(4, 0, ['realworld cloudnative-pg', dir(path.join(CORPUS, 'realworld/cloudnative-pg__cloudnative-pg'))]);
  console.log(`threshold: ${READABLE_PX} px\n`);
  console.log('| workspace | panel | opens | deciding it (CPU ms) | names at Fit | expanded: names at Fit | picture | crossings | overlapping labels | edges through nodes | edges across frames | all pairs expanded: across frames / through nodes |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, make] of cases) {
    const g = buildGraph(make());
    const full = deriveView(g, DEFAULT_VIEW);
    const expandedAll = deriveView(g, { ...DEFAULT_VIEW, expanded: full.aggregates.map(a => a.id) });
    const ex = figures(expandedAll, layoutView(expandedAll));
    for (const panel of PANELS) {
      const aspect = panel.w / panel.h;
      const cpu0 = process.cpuUsage();
      const agg = defaultAggregation(full, panel, (c, foldServices) => deriveView(g, { ...DEFAULT_VIEW, collapsed: [...c], foldServices }));
      const cpu = process.cpuUsage(cpu0);
      const aggMs = (cpu.user + cpu.system) / 1000;
      const collapsed = agg.collapsed;
      const view = collapsed.length || agg.foldServices ? deriveView(g, { ...DEFAULT_VIEW, collapsed, foldServices: agg.foldServices }) : full;
      const layout = layoutView(view, undefined, undefined, { aspect });
      const expanded = view !== full ? layoutView(full, undefined, undefined, { aspect }) : layout;
      const f = figures(view, layout);
      const ns = view.groups.filter(x => x.kind === 'namespace');
      const shut = ns.filter(x => x.collapsed).length;
      const open = ns.filter(x => !x.collapsed).map(x => x.label);
      const groups = collapsed.filter(c => c.startsWith('grp:'));
      const opens = (groups.length ? `${groups.length} of ${view.subgroups.size} groups inside namespaces collapsed into boxes (${groups.map(c => view.subgroups.get(c)!.label).join(', ')})` : !collapsed.length ? 'expanded' : shut === ns.length ? `collapsed (${ns.length} namespaces)` : `${shut} of ${ns.length} namespaces collapsed (${open.length <= shut ? `${open.join(', ')} expanded` : collapsed.filter(c => c !== OUTSIDE).map(c => c.replace(/^ns:/, '')).join(', ')})`) + (agg.foldServices ? ', Services folded into their workloads' : '');
      console.log(`| ${name} | ${panel.name} | ${opens} | ${aggMs.toFixed(0)} | ${nameSizeAtFit(layout.width, layout.height, panel).toFixed(1)} px | ${nameSizeAtFit(expanded.width, expanded.height, panel).toFixed(1)} px | ${Math.round(layout.width)} × ${Math.round(layout.height)} | ${f.crossings} | ${f.overlappingLabels} | ${f.edgesThroughNodes} | ${f.acrossFrames} | ${ex.acrossFrames} / ${ex.edgesThroughNodes} |`);
    }
  }
}

main();
