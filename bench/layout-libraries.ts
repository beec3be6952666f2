/**
 * elkjs against dagre for the frame-level graph of the diagram (namespaces as nodes, aggregated
 * flows as edges; the outside of the cluster is a column of its own either way). Each library lays
 * out the same frames (sizes from the page's own frame layout) and links; we count crossings
 * between the routed links, links through frames that are not their ends, the picture's size and
 * the time. Run with `node --import tsx bench/layout-libraries.ts`; docs/diagram.md has the table.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import { performance } from 'node:perf_hooks';
import { buildGraph } from '../src/core/graph/build';
import { layoutView, placeFrames } from '../src/webview/layout';
import { measureDrawing, type Box, type Point } from '../src/webview/metrics';
import { DEFAULT_VIEW, deriveView, OUTSIDE } from '../src/webview/view';
import { diagramCases } from './diagram';

interface Row { name: string; frames: number; links: number; lib: string; ms: number; crossings: number; through: number; width: number; height: number }

async function main(): Promise<void> {
  const rows: Row[] = [];
  const elk = new ELK();
  for (const [name, make] of diagramCases()) {
    const view = deriveView(buildGraph(make(false)), DEFAULT_VIEW);
    const base = layoutView(view);
    const frames = [...base.groups].filter(([id]) => id !== OUTSIDE).map(([id, b]) => ({ id, w: b.w, h: b.h }));
    const links = view.aggregates.filter(a => a.source !== OUTSIDE && a.target !== OUTSIDE);
    if (frames.length < 2) continue;
    const score = (lib: string, ms: number, boxes: Map<string, Box>, routes: Map<string, Point[]>) => {
      const edges = links.map(l => {
        const a = boxes.get(l.source)!, b = boxes.get(l.target)!;
        const pts = routes.get(l.id) ?? [[a.x + a.w / 2, a.y + a.h / 2], [b.x + b.w / 2, b.y + b.h / 2]] as Point[];
        return { id: l.id, source: l.source, target: l.target, pts };
      });
      const m = measureDrawing({ nodes: boxes, edges, labels: [] });
      let width = 0, height = 0;
      for (const b of boxes.values()) { width = Math.max(width, b.x + b.w); height = Math.max(height, b.y + b.h); }
      rows.push({ name, frames: frames.length, links: links.length, lib, ms, crossings: m.crossings, through: m.edgesThroughNodes, width, height });
    };
    // dagre, as the page runs it (per component, wrapped into bands, components in shelves).
    let t = performance.now();
    const d = placeFrames(frames, links);
    const dms = performance.now() - t;
    score('dagre 3.1 (page)', dms, new Map(frames.map(f => [f.id, { ...d.pos.get(f.id)!, w: f.w, h: f.h }])), d.points);
    // elkjs layered on the whole frame graph, its own component packing.
    t = performance.now();
    const r = await elk.layout({
      id: 'root',
      layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '80', 'elk.layered.spacing.nodeNodeBetweenLayers': '160', 'elk.aspectRatio': '1.8', 'elk.edgeRouting': 'POLYLINE' },
      children: frames.map(f => ({ id: f.id, width: f.w, height: f.h })),
      edges: links.map(l => ({ id: l.id, sources: [l.source], targets: [l.target] })),
    });
    const ems = performance.now() - t;
    const eb = new Map((r.children ?? []).map(c => [c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 }]));
    type Section = { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: Array<{ x: number; y: number }> };
    const er = new Map((r.edges ?? []).map(e => {
      const s = (e as { sections?: Section[] }).sections?.[0];
      return [e.id, s ? [[s.startPoint.x, s.startPoint.y], ...(s.bendPoints ?? []).map(p => [p.x, p.y]), [s.endPoint.x, s.endPoint.y]] as Point[] : []];
    }));
    score('elkjs 0.12 layered', ems, eb, er);
  }
  console.log('| workspace | frames | links | library | time ms | crossings | links through frames | width × height |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.name} | ${r.frames} | ${r.links} | ${r.lib} | ${r.ms.toFixed(0)} | ${r.crossings} | ${r.through} | ${r.width.toFixed(0)} × ${r.height.toFixed(0)} |`);
}

void main();
