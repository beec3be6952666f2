/**
 * The bench's `full` figure on one workspace, for profiling: `node --cpu-prof ... bench/profile-full.ts N [runs]`.
 * Prints wall and CPU time of parse+index and of the rules per run.
 */
import { checkWorkspace } from '../src/core/rules/run';
import { Workspace } from '../src/core/workspace';
import { generateWorkspace } from './gen';

const objects = Number(process.argv[2] ?? 5000);
const runs = Number(process.argv[3] ?? 3);
const w = generateWorkspace(objects);
for (let i = 0; i < runs; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ws = new Workspace();
  for (const f of w.files) ws.set(f.path, f.text);
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const findings = [...checkWorkspace(ws).values()].reduce((k, f) => k + f.length, 0);
  const c2 = process.cpuUsage();
  const t2 = performance.now();
  const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user + b.system - a.user - a.system) / 1000).toFixed(0);
  console.log(`objects ${w.objects} run ${i}: full ${(t2 - t0).toFixed(0)} ms (cpu ${cpu(c0, c2)}), parse+index ${(t1 - t0).toFixed(0)} (cpu ${cpu(c0, c1)}), rules ${(t2 - t1).toFixed(0)} (cpu ${cpu(c1, c2)}), findings ${findings}`);
}
