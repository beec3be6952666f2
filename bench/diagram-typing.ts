/**
 * Replays the e2e test's edit (test/e2e/diagram-scale.test.ts: `replicas: 2` typed over as
 * `replicas: 5` in team-3.yaml) on the synthetic 2,000-workload workspace in Node, one keystroke
 * per generation, and prints for each update of the diagram's graph its wall and CPU time, the
 * delta's preparation (wall, CPU, size) and how it was built (incremental or whole, and why; which
 * namespaces' flows were computed or taken from an earlier graph). `--warm` runs the
 * update path once after the whole build, as the panel does (warmGraphUpdate).
 *
 *   node --require ./scripts/native-esm.cjs --import tsx bench/diagram-typing.ts [--warm] [--every=N]
 *
 * `--every=N` updates the graph after every N keystrokes (the panel batches changes for 300 ms).
 * `--rounds=R` types the edit and puts the line back R times and ends with the CPU time of the
 * graph updates and of the deltas (fastest, median) and the deltas' size: figures of docs/diagram.md.
 */
import { buildGraph } from '../src/core/graph/build';
import { buildInfo, graphSteps, warmGraphUpdate } from '../src/core/graph/incremental';
import { diffGraph, snapshot, textShifts } from '../src/shared/delta';
import { generateWorkspace } from './diagram-workspace';

const args = process.argv.slice(2);
const every = Number(args.find(a => a.startsWith('--every='))?.slice('--every='.length) ?? 1);
const rounds = Number(args.find(a => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 1);
const ws = generateWorkspace(2000);
const t = performance.now();
for (const steps = graphSteps(ws); !steps.next().done;);
console.log(`whole build ${(performance.now() - t).toFixed(0)} ms`);
if (args.includes('--warm')) {
  const w = performance.now();
  warmGraphUpdate(ws);
  console.log(`warm-up ${(performance.now() - w).toFixed(0)} ms`);
}
let sent = snapshot(buildGraph(ws));
let sentGeneration = ws.generation;
const file = 'gen://team-3.yaml';
const text = ws.get(file)!.manifest.text;
const at = text.indexOf('replicas: 2');
const typed = 'replicas: 5';
const figures = { graph: [] as number[], delta: [] as number[], bytes: [] as number[] };
// Each round types the edit key by key, then puts the line back as it was (one more update).
for (let k = 0; k < rounds * (typed.length + 1); k++) {
  const i = k % (typed.length + 1) + 1;
  ws.set(file, i <= typed.length ? text.slice(0, at) + typed.slice(0, i) + text.slice(at + typed.length) : text);
  if (i % every !== 0 && i < typed.length) continue;
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const graph = buildGraph(ws);
  const used = process.cpuUsage(cpu);
  const t1 = performance.now();
  // As the panel: the text shifts of the edits since the last delta go with it.
  const { delta, next } = diffGraph(sent, graph, textShifts(ws.changesSince(sentGeneration) ?? []));
  sent = next;
  sentGeneration = ws.generation;
  const dCpu = process.cpuUsage(cpu);
  figures.graph.push((used.user + used.system) / 1000);
  figures.delta.push((dCpu.user + dCpu.system - used.user - used.system) / 1000);
  figures.bytes.push(JSON.stringify(delta).length);
  const info = buildInfo(ws);
  const how = info?.incremental
    ? `incremental ${info.namespaces.join(',')} (flows computed: ${info.flows?.join(',') || 'none'}; from an earlier graph: ${info.restored?.join(',') || 'none'})`
    : `whole: ${info?.reason ?? '?'}`;
  const what = i <= typed.length ? typed.slice(0, i) : 'replicas: 2 (back)';
  console.log(`${JSON.stringify(what).padEnd(20)} graph ${(t1 - t0).toFixed(0).padStart(4)} ms wall ${((used.user + used.system) / 1000).toFixed(0).padStart(4)} ms CPU, delta ${(performance.now() - t1).toFixed(0).padStart(3)} ms wall ${((dCpu.user + dCpu.system - used.user - used.system) / 1000).toFixed(1).padStart(4)} ms CPU ${(JSON.stringify(delta).length / 1024).toFixed(1).padStart(5)} KiB, ${how}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${figures.graph.length} updates: graph ${Math.min(...figures.graph).toFixed(1)} ms CPU fastest, ${median(figures.graph).toFixed(1)} median (the first ${figures.graph[0]!.toFixed(0)}); ` +
  `delta ${Math.min(...figures.delta).toFixed(1)} / ${median(figures.delta).toFixed(1)} ms CPU, ${median(figures.bytes)} B median, ${Math.max(...figures.bytes)} B at most`);
