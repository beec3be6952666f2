/**
 * The bench's `full` figure on one workspace, for profiling:
 *   node --require ./scripts/native-esm.cjs --import tsx [--cpu-prof] bench/profile-full.ts N [runs] [threads]
 * With `threads` > 0 the files are parsed on that many worker threads (src/parallel/parse.ts, as
 * `kube-netlens check` and the extension's first scan do); with -1 the files are parsed and encoded before the run (not timed), so
 * the run shows what the host thread alone does when workers parse. Prints wall time and the
 * process's CPU time (all threads) per run.
 */
import { parseInOrder } from '../src/parallel/parse';
import { parseManifest, YAML_OPTIONS, type ManifestFile } from '../src/core/parse/manifest';
import { decodeChunks, encodeChunks } from '../src/core/parse/transfer';
import { checkWorkspace } from '../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { Workspace } from '../src/core/workspace';
import { generateWorkspace } from './gen';

async function main(): Promise<void> {
  const objects = Number(process.argv[2] ?? 5000);
  const runs = Number(process.argv[3] ?? 3);
  const threads = Number(process.argv[4] ?? 0);
  const w = generateWorkspace(objects);
  const files = w.files.map(f => ({ file: f.path, text: f.text }));
  const encoded = threads < 0 ? files.map(f => {
    const m = parseManifest(f.file, f.text);
    return m.chunks ? structuredClone(encodeChunks(m.chunks)) : undefined;
  }) : [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ws = new Workspace();
    if (threads > 0) await parseInOrder(files, { maxFileSize: DEFAULT_SETTINGS.maxFileSize, threads, each: (k, previous) => ws.set(files[k]!.file, files[k]!.text, previous ? { previous } : {}) });
    else if (threads < 0) {
      files.forEach((f, k) => {
        const chunks = encoded[k] && decodeChunks(f.text, encoded[k]!, YAML_OPTIONS);
        ws.set(f.file, f.text, chunks ? { previous: { text: f.text, chunks } as unknown as ManifestFile } : {});
      });
    } else for (const f of files) ws.set(f.file, f.text);
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    const findings = [...checkWorkspace(ws).values()].reduce((k, f) => k + f.length, 0);
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user + b.system - a.user - a.system) / 1000).toFixed(0);
    console.log(`objects ${w.objects} threads ${threads} run ${i}: full ${(t2 - t0).toFixed(0)} ms (cpu ${cpu(c0, c2)}), parse+index ${(t1 - t0).toFixed(0)} (cpu ${cpu(c0, c1)}), rules ${(t2 - t1).toFixed(0)} (cpu ${cpu(c1, c2)}), findings ${findings}`);
  }
}

void main();
