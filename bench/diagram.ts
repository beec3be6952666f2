/**
 * Network diagram benchmark: on a deterministic synthetic workspace (bench/diagram-workspace.ts) of
 * 200 and 2,000 workloads, the time to build the graph (policy engine, DNS, nodes and edges), to
 * lay it out (the page's layout, run here in Node), and to serialise the message the host posts.
 * Run alone with `node --import tsx bench/diagram.ts`.
 */
import { performance } from 'node:perf_hooks';
import { buildGraph } from '../src/core/graph/build';
import { layoutGraph } from '../src/webview/layout';
import { generateWorkspace } from './diagram-workspace';

/** Build, layout and message-size timings for 200 and 2,000 workloads (fresh workspace each, no cache). */
export async function benchDiagram(): Promise<Array<{ name: string; ms: number }>> {
  const out: Array<{ name: string; ms: number }> = [];
  for (const n of [200, 2000]) {
    const ws = generateWorkspace(n);
    let t = performance.now();
    const graph = buildGraph(ws);
    out.push({ name: `diagram: build graph, ${n} workloads (${graph.nodes.length} nodes, ${graph.edges.length} edges)`, ms: performance.now() - t });
    t = performance.now();
    const json = JSON.stringify(graph);
    out.push({ name: `diagram: serialise graph message, ${n} workloads (${(json.length / 1024).toFixed(0)} KiB)`, ms: performance.now() - t });
    t = performance.now();
    layoutGraph(graph);
    out.push({ name: `diagram: layout, ${n} workloads`, ms: performance.now() - t });
    ws.set('gen://team-0.yaml', ws.get('gen://team-0.yaml')!.manifest.text.replace('replicas: 1', 'replicas: 4'));
    t = performance.now();
    buildGraph(ws);
    out.push({ name: `diagram: rebuild after one edit, ${n} workloads`, ms: performance.now() - t });
  }
  return out;
}

if (require.main === module) {
  void benchDiagram().then(rows => {
    for (const r of rows) console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.name}`);
  });
}
