/**
 * Network diagram benchmark and measurements, on the demo (examples/), Online Boutique with its
 * policies, two real repositories of the corpus and the synthetic 200 / 2,000-workload workspaces
 * (bench/diagram-workspace.ts): the time to build the graph, derive the view and lay it out (the
 * page's code, run here in Node), the size of the full message and of the update after a one-node
 * edit, and the picture's figures: edge crossings, overlapping labels, labels over nodes, edges
 * through nodes that are not their ends, Services off their workload's row, nodes moved by the edit
 * (inside and outside the edited namespace), and whether reading the files in reverse order gives
 * the same layout. The browser's own figures (first render, DOM size) come from test/e2e/diagram-scale.test.ts.
 * Run alone with `node --import tsx bench/diagram.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildGraph, graphSteps } from '../src/core/graph/build';
import { buildInfo } from '../src/core/graph/incremental';
import type { NetworkGraph } from '../src/core/graph/model';
import { Workspace } from '../src/core/workspace';
import { diffGraph, snapshot } from '../src/shared/delta';
import { layoutView, type Layout } from '../src/webview/layout';
import { measureDrawing, movedNodes, servicesOffRow, type DrawingMetrics } from '../src/webview/metrics';
import { DEFAULT_VIEW, deriveView, type View } from '../src/webview/view';
import { CORPUS } from './corpus';
import { generateWorkspace } from './diagram-workspace';

export interface DiagramFigures extends DrawingMetrics {
  name: string;
  workloads: number;
  nodes: number;
  edges: number;
  drawnEdges: number;
  aggregates: number;
  hiddenOpen: number;
  buildMs: number;
  /** The whole build in steps, as the diagram opens (src/vscode/diagram/panel.ts): the first picture's graph (no flows yet), then the flows. */
  firstStepMs: number;
  flowsStepMs: number;
  firstMessageKiB: number;
  /** The host's graph after the one-node edit (updated namespace by namespace when it can be), wall and CPU time. */
  updateBuildMs: number;
  updateBuildCpuMs: number;
  /** Whether that update was incremental (else: why not). */
  updateHow: string;
  viewLayoutMs: number;
  messageKiB: number;
  deltaKiB: number;
  updateLayoutMs: number;
  servicesOffRow: number;
  moved: number;
  movedOutside: number;
  sameInReverse: boolean;
}

const MANIFEST = /\.(ya?ml|json)$/i;
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(e => (e.isDirectory() ? files(path.join(dir, e.name)) : MANIFEST.test(e.name) ? [path.join(dir, e.name)] : []));
}
function loadFiles(paths: string[]): Workspace {
  const ws = new Workspace();
  for (const f of paths) ws.set(f, fs.readFileSync(f, 'utf8'));
  return ws;
}

/** The picture's figures for a layout of a view. */
export function drawingFigures(view: View, layout: Layout): DrawingMetrics & { servicesOffRow: number } {
  const edges = [
    ...view.edges.filter(e => layout.edges.has(e.id)).map(e => ({ id: e.id, source: e.source, target: e.target, pts: layout.edges.get(e.id)!.pts })),
    ...view.aggregates.filter(a => layout.edges.has(a.id)).map(a => ({ id: a.id, source: a.source, target: a.target, pts: layout.edges.get(a.id)!.pts })),
  ];
  const nodes = new Map([...layout.nodes]);
  for (const [id, b] of layout.groups) if (view.groups.find(g => g.id === id)?.collapsed) nodes.set(id, b);
  const m = measureDrawing({ nodes, edges, labels: [...layout.labels.values()] });
  return { ...m, servicesOffRow: servicesOffRow(layout.nodes, view.edges.filter(e => e.kind === 'selects')).length };
}

const ADDED = (ns: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: aa-added\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {app: aa-added}\n  template:\n    metadata:\n      labels: {app: aa-added}\n    spec:\n      containers: [{name: c, image: x}]\n`;

/** Figures for one workspace: `reverse` builds the same workspace with its files read the other way round. */
export function measureWorkspace(name: string, make: (reverse: boolean) => Workspace): DiagramFigures {
  const ws = make(false);
  // As the panel builds it: the steps' graphs taken when they come (the first picture, then the flows).
  const t = performance.now();
  const steps = graphSteps(ws);
  let step = steps.next();
  const firstMessage = step.done ? undefined : step.value.graph();
  const firstStepMs = performance.now() - t;
  while (!step.done && step.value.pending === 'flows') step = steps.next();
  if (!step.done) step.value.graph();
  const flowsStepMs = performance.now() - t;
  while (!step.done) step = steps.next();
  const buildMs = performance.now() - t;
  const graph = buildGraph(ws);
  // Layout times are the best of three runs: the machine is shared, the best run is the code's cost.
  const best = <T>(f: () => T): [T, number] => {
    let out: T | undefined, ms = Infinity;
    for (let i = 0; i < 3; i++) { const t0 = performance.now(); out = f(); ms = Math.min(ms, performance.now() - t0); }
    return [out!, ms];
  };
  const [{ view, layout }, viewLayoutMs] = best(() => { const v = deriveView(graph, DEFAULT_VIEW); return { view: v, layout: layoutView(v) }; });
  const json = JSON.stringify(graph);

  const reversed = layoutView(deriveView(buildGraph(make(true)), DEFAULT_VIEW));
  const sameInReverse = movedNodes(layout.nodes, reversed.nodes).length === 0 && layout.nodes.size === reversed.nodes.size;

  // One-node edit: a Deployment added to the namespace of the last file holding a workload.
  const target = graph.nodes.filter(n => n.kind === 'workload' && n.namespace).map(n => n.namespace!).sort()[0] ?? 'default';
  const file = ws.fileNames.find(f => ws.get(f)!.manifest.objects.some(o => o.namespace === target)) ?? 'added.yaml';
  const before = snapshot(graph);
  ws.set(file, `${ws.get(file)?.manifest.text ?? ''}\n---\n${ADDED(target)}`);
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const after: NetworkGraph = buildGraph(ws);
  const used = process.cpuUsage(cpu);
  const updateBuildMs = performance.now() - t1;
  const info = buildInfo(ws);
  const updateHow = info?.incremental ? `incremental (${info.namespaces.join(', ')})` : `whole (${info?.reason ?? '?'})`;
  const { delta } = diffGraph(before, after);
  const [layout2, updateLayoutMs] = best(() => layoutView(deriveView(after, DEFAULT_VIEW), layout.groups, layout.edges));
  const moved = movedNodes(layout.nodes, layout2.nodes);
  const nsOf = new Map(after.nodes.map(n => [n.id, n.namespace]));
  return {
    name, workloads: graph.nodes.filter(n => n.kind === 'workload').length, nodes: graph.nodes.length, edges: graph.edges.length,
    drawnEdges: view.edges.length, aggregates: view.aggregates.length, hiddenOpen: view.hiddenOpen,
    buildMs, firstStepMs, flowsStepMs, firstMessageKiB: JSON.stringify(firstMessage ?? graph).length / 1024, updateBuildMs, updateBuildCpuMs: (used.user + used.system) / 1000, updateHow, viewLayoutMs, messageKiB: json.length / 1024, deltaKiB: JSON.stringify(delta).length / 1024, updateLayoutMs,
    ...drawingFigures(view, layout),
    moved: moved.length, movedOutside: moved.filter(id => nsOf.get(id) !== target).length, sameInReverse,
  };
}

/** The workspaces measured: name and how to load them (in file order, or reversed). */
export function diagramCases(sizes: number[] = [200, 2000]): Array<[string, (reverse: boolean) => Workspace]> {
  const dirs = (reverse: boolean, ...ds: string[]) => { const f = ds.flatMap(files); return loadFiles(reverse ? f.reverse() : f); };
  const synthetic = (n: number) => (reverse: boolean) => {
    if (!reverse) return generateWorkspace(n);
    const src = generateWorkspace(n);
    const ws = new Workspace();
    for (const f of [...src.fileNames].reverse()) ws.set(f, src.get(f)!.manifest.text);
    return ws;
  };
  const boutique = path.join(CORPUS, 'apps/microservices-demo');
  return [
    ['demo (examples/)', r => dirs(r, path.resolve(__dirname, '../examples'))],
    ['Online Boutique + policies', r => dirs(r, path.join(boutique, 'release'), path.join(boutique, 'kustomize-network-policies'))],
    ['realworld microservices-demo (whole repo)', r => dirs(r, path.join(CORPUS, 'realworld/GoogleCloudPlatform__microservices-demo'))],
    ['realworld kube-thanos', r => dirs(r, path.join(CORPUS, 'realworld/thanos-io__kube-thanos'))],
    ...sizes.map(n => [`synthetic ${n} workloads`, synthetic(n)] as [string, (reverse: boolean) => Workspace]),
  ];
}

/** Rows for bench/run.ts: timings, plus the figures as zero-time rows. */
export async function benchDiagram(): Promise<Array<{ name: string; ms: number }>> {
  const out: Array<{ name: string; ms: number }> = [];
  for (const [name, make] of diagramCases()) {
    const f = measureWorkspace(name, make);
    out.push({ name: `diagram: build graph, ${name} (${f.nodes} nodes, ${f.edges} edges)`, ms: f.buildMs });
    out.push({ name: `diagram: first picture's graph (no flows yet), ${name} (${f.firstMessageKiB.toFixed(0)} KiB; flows after ${f.flowsStepMs.toFixed(0)} ms)`, ms: f.firstStepMs });
    out.push({ name: `diagram: graph after a one-node edit, ${name} (${f.updateHow}; ${f.updateBuildCpuMs.toFixed(0)} ms CPU)`, ms: f.updateBuildMs });
    out.push({ name: `diagram: view + layout, ${name} (${f.crossings} crossings, ${f.overlappingLabels} overlapping labels, ${f.movedOutside} moved outside the edited namespace)`, ms: f.viewLayoutMs });
    out.push({ name: `diagram: layout after a one-node edit, ${name} (delta ${f.deltaKiB.toFixed(0)} KiB of ${f.messageKiB.toFixed(0)} KiB)`, ms: f.updateLayoutMs });
  }
  return out;
}

if (require.main === module) {
  const rows = diagramCases().map(([name, make]) => measureWorkspace(name, make));
  const cols: Array<keyof DiagramFigures> = ['workloads', 'nodes', 'edges', 'hiddenOpen', 'drawnEdges', 'aggregates', 'crossings', 'overlappingLabels', 'labelsOverNodes', 'edgesThroughNodes', 'servicesOffRow', 'moved', 'movedOutside', 'sameInReverse', 'firstStepMs', 'flowsStepMs', 'buildMs', 'firstMessageKiB', 'updateBuildMs', 'updateBuildCpuMs', 'updateHow', 'viewLayoutMs', 'updateLayoutMs', 'messageKiB', 'deltaKiB'];
  console.log(`| workspace | ${cols.join(' | ')} |`);
  console.log(`| --- | ${cols.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.name} | ${cols.map(c => (typeof r[c] === 'number' ? (Number.isInteger(r[c]) ? r[c] : (r[c] as number).toFixed(1)) : String(r[c]))).join(' | ')} |`);
}
