/**
 * The first scan on worker threads: files are parsed in parallel (one worker per spare core, at
 * most 4) and their documents come back as plain data (src/core/parse/transfer.ts), which the host
 * turns into the same documents for a fraction of a parse. Results are handed over in the files'
 * order as they arrive, so the workspace is built exactly as a sequential scan builds it.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { stripBom, YAML_OPTIONS, type ManifestFile } from '../core/parse/manifest';
import { decodeChunks, type EncodedChunks } from '../core/parse/transfer';

export interface ParseRequest {
  readonly maxFileSize: number;
  readonly files: ReadonlyArray<{ index: number; file: string; text: string }>;
}

export interface ParseResponse {
  readonly index: number;
  readonly encoded: EncodedChunks | undefined;
}

/** Below this many characters in all, starting workers costs more than it saves. */
const MIN_PARALLEL_CHARS = 512 * 1024;

/** A worker running the script next to this module: the bundle's `parse-worker.js`, or the source under tsx (tests). */
function startWorker(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'parse-worker.js'));
  const source = path.join(__dirname, 'parse-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true });
}

/** How many workers to start for `chars` characters of text (0: parse on this thread). */
export function workerCount(chars: number, cores = os.availableParallelism?.() ?? os.cpus().length): number {
  if (chars < MIN_PARALLEL_CHARS || cores < 2) return 0;
  return Math.min(4, cores);
}

/**
 * Parses `files` on `threads` workers and calls `each(i, previous)` for every file in order, with a
 * parse of its text to hand to `Workspace.set` (undefined: the caller parses it). Never rejects for a
 * file: a worker that fails leaves its files to the caller.
 */
export async function parseInWorkers(
  files: ReadonlyArray<{ file: string; text: string }>, maxFileSize: number, threads: number,
  each: (i: number, previous: ManifestFile | undefined) => void,
): Promise<void> {
  const results: Array<ParseResponse | null | undefined> = new Array(files.length);
  let next = 0;
  const handOver = () => {
    while (next < files.length && results[next] !== undefined) {
      const r = results[next]!;
      const f = files[next]!;
      results[next] = undefined;
      const text = stripBom(f.text);
      const chunks = r?.encoded ? decodeChunks(text, r.encoded, YAML_OPTIONS) : undefined;
      each(next, chunks ? { text: f.text, chunks } as unknown as ManifestFile : undefined);
      results[next] = null;
      next++;
    }
  };
  const workers = Array.from({ length: threads }, startWorker);
  try {
    await new Promise<void>(resolve => {
      const finish = () => {
        handOver();
        if (next >= files.length) resolve();
      };
      workers.forEach((worker, w) => {
        // Interleaved shares: the files the host needs next are parsed first by every worker.
        const mine = files.flatMap((f, index) => (index % threads === w ? [{ index, file: f.file, text: f.text }] : []));
        worker.on('message', (r: ParseResponse) => {
          results[r.index] = r;
          finish();
        });
        const fail = () => {
          // Its files that have no answer yet are parsed by the caller.
          for (const m of mine) if (results[m.index] === undefined && m.index >= next) results[m.index] = { index: m.index, encoded: undefined };
          finish();
        };
        worker.on('error', fail);
        worker.on('exit', code => { if (code !== 0) fail(); });
        worker.postMessage({ maxFileSize, files: mine } satisfies ParseRequest);
      });
      finish();
    });
  } finally {
    await Promise.all(workers.map(w => w.terminate()));
  }
}
