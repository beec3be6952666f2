/**
 * The page's share of an update at 2,000 workloads, run in Node on a minimal DOM (./fake-dom.ts):
 * the e2e's one-line edit (`replicas: 2` → 3..7 in team-3.yaml) sent as the panel sends it, then
 * what the page does with it (src/webview/main.ts onGraph): apply the delta, derive the views (the
 * default collapse's and the drawn one), lay out from the remembered positions, render (moving the
 * elements of unchanged items), and a fresh render of the same picture for comparison. CPU time,
 * fastest and median of 8 edits. `--expanded`: every namespace open, the visible area 3,000 px square.
 *
 *   node --require ./scripts/native-esm.cjs --import tsx bench/diagram-page.ts [--expanded]
 */
import { buildGraph } from '../src/core/graph/build';
import { graphSteps } from '../src/core/graph/incremental';
import { applyDelta, diffGraph, snapshot, textShifts } from '../src/shared/delta';
import { defaultCollapsed, layoutView } from '../src/webview/layout';
import { renderView } from '../src/webview/render';
import { DEFAULT_VIEW, deriveView, sortedGraph } from '../src/webview/view';
import { generateWorkspace } from './diagram-workspace';
import { FakeElement, installFakeDocument } from './fake-dom';
installFakeDocument();
const ws = generateWorkspace(2000);
for (const steps = graphSteps(ws); !steps.next().done;);
let page = sortedGraph(buildGraph(ws));
let sent = snapshot(page); let g0 = ws.generation;
const panel = { w: 676, h: 662 };
const state = process.argv.includes('--expanded') ? { ...DEFAULT_VIEW, collapsed: [] as string[] } : { ...DEFAULT_VIEW, collapsed: defaultCollapsed(deriveView(page, DEFAULT_VIEW), panel) };
let layout = layoutView(deriveView(page, state), undefined, undefined, { aspect: panel.w / panel.h });
const svg = new FakeElement('svg'); const root = new FakeElement('g'); svg.appendChild(root);
renderView(svg as unknown as SVGSVGElement, root as unknown as SVGGElement, deriveView(page, state), layout, process.argv.includes('--expanded') ? { x: 0, y: 0, w: 3000, h: 3000 } : undefined, false, 1);
const file = 'gen://team-3.yaml';
const text = ws.get(file)!.manifest.text;
const at = text.indexOf('replicas: 2');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const acc: number[][] = [];
for (let i = 0; i < 8; i++) {
  ws.set(file, text.slice(0, at) + `replicas: ${3 + (i % 5)}` + text.slice(at + 11));
  const { delta, next } = diffGraph(sent, buildGraph(ws), textShifts(ws.changesSince(g0) ?? [])); sent = next; g0 = ws.generation;
  const msg = JSON.parse(JSON.stringify(delta));
  const c0 = cpu();
  page = applyDelta(page, msg);
  const c1 = cpu();
  const st = process.argv.includes('--expanded') ? state : { ...state, collapsed: defaultCollapsed(deriveView(page, { ...state, collapsed: [] }), panel) };
  const view = deriveView(page, st);
  const c2 = cpu();
  layout = layoutView(view, layout.groups, layout.edges, { aspect: panel.w / panel.h });
  const c3 = cpu();
  renderView(svg as unknown as SVGSVGElement, root as unknown as SVGGElement, view, layout, process.argv.includes('--expanded') ? { x: 0, y: 0, w: 3000, h: 3000 } : undefined, false, 1);
  const c4 = cpu();
  const fresh = new FakeElement('g'); const svg2 = new FakeElement('svg'); svg2.appendChild(fresh);
  renderView(svg2 as unknown as SVGSVGElement, fresh as unknown as SVGGElement, view, layout, process.argv.includes('--expanded') ? { x: 0, y: 0, w: 3000, h: 3000 } : undefined, false, 1);
  const c5 = cpu();
  acc.push([c1 - c0, c2 - c1, c3 - c2, c4 - c3, c5 - c4]);
}
const min = (j: number) => Math.min(...acc.map(a => a[j]!)).toFixed(1);
const med = (j: number) => [...acc.map(a => a[j]!)].sort((a, b) => a - b)[acc.length >> 1]!.toFixed(1);
console.log('CPU ms min/median: apply', min(0), med(0), '| derive (both views)', min(1), med(1), '| layout', min(2), med(2), '| render (kept elements)', min(3), med(3), '| render fresh', min(4), med(4), '| elements', root.elements().length);
