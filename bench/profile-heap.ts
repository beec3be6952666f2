/**
 * The bench's heap figures on one workspace: `node --expose-gc ... bench/profile-heap.ts N`.
 * Heap after GC and right after the run (before GC), minus the heap before, as bench/run.ts benchFull.
 */
import { checkWorkspace } from '../src/core/rules/run';
import { Workspace } from '../src/core/workspace';
import { generateWorkspace } from './gen';
import { heapAfterGc, heapNow, mb } from './measure';

const w = generateWorkspace(Number(process.argv[2] ?? 5000));
const base = heapAfterGc();
const c0 = process.cpuUsage();
const t0 = performance.now();
const ws = new Workspace();
for (const f of w.files) ws.set(f.path, f.text);
const t1 = performance.now();
const afterParse = heapNow();
const results = checkWorkspace(ws);
const t2 = performance.now();
const peak = heapNow();
const retained = heapAfterGc();
const c = process.cpuUsage(c0);
console.log(`objects ${w.objects}: full ${(t2 - t0).toFixed(0)} ms (cpu ${((c.user + c.system) / 1000).toFixed(0)}), parse+index ${(t1 - t0).toFixed(0)}, rules ${(t2 - t1).toFixed(0)}; heap after parse ${mb(afterParse - base)} MB, peak ${mb(Math.max(peak, retained) - base)} MB, retained ${mb(retained - base)} MB; findings ${[...results.values()].reduce((k, f) => k + f.length, 0)}`);
