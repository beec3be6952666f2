/**
 * The first scan on worker threads, for the CLI (`loadProject`) and the extension (the workspace
 * index's first scan): files are parsed in parallel (one worker per core, at most 4) and their
 * documents come back as plain data (src/core/parse/transfer.ts), which this thread turns into the
 * same documents for a fraction of a parse. Results are handed over in the files' order as they
 * arrive, so the workspace is built exactly as a sequential scan builds it. A file a worker could
 * not carry, or every file when workers cannot start, is handed over without a parse: the caller
 * parses it on its own thread. In the extension host the hand-over runs in slices of a few
 * milliseconds and yields between them, so the host never blocks for long.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { stripBom, YAML_OPTIONS, type ManifestFile } from '../core/parse/manifest';
import type { ParsedChunk } from '../core/parse/documents';
import { decodeChunks, type EncodedChunks } from '../core/parse/transfer';

export interface ParseRequest {
  readonly maxFileSize: number;
  readonly files: ReadonlyArray<{ index: number; file: string; text: string }>;
}

export interface ParseResponse {
  readonly index: number;
  readonly encoded: EncodedChunks | undefined;
}

/**
 * Below this many characters in all, workers cost more than they save: the host decodes and sets
 * their documents for about what a parse costs it. Measured on 2 cores, one thread against 2
 * workers: with the `yaml` library's parser (docs/bench.md, "What is left") 2.5 MB (5,000 objects)
 * +10% with workers, 5 MB even, 10 MB -10%, 25 MB -36%; since the fast path (parse/fast-yaml.ts)
 * parses four to six times cheaper, 25 MB (50,000 objects) is even (7.4-8.4 s one thread, 7.9-8.2 s
 * with workers, the bundle, 2026-11-30): workers start only above that.
 */
export const MIN_PARALLEL_CHARS = 32 * 1024 * 1024;

/** How many workers to start for `chars` characters of text (0: parse on this thread). */
export function workerCount(chars: number, cores = os.availableParallelism?.() ?? os.cpus().length, minChars = MIN_PARALLEL_CHARS): number {
  if (chars < minChars || cores < 2) return 0;
  return Math.min(4, cores);
}

export interface ParseInOrderOptions {
  readonly maxFileSize: number;
  /** Worker threads to start (0: every file is handed over unparsed, for the caller to parse). */
  readonly threads: number;
  /**
   * Called for every file, in order, with a parse of its text to hand to `Workspace.set` as its
   * previous parse (undefined: the caller parses the file itself).
   */
  readonly each: (i: number, previous: ManifestFile | undefined) => void;
  /**
   * Longest hand-over in one task (ms), then the rest waits for the next turn of the event loop;
   * undefined: hand over everything that is ready at once (the CLI, which has nothing else to run).
   */
  readonly sliceMs?: number;
  /** Checked before each file: true stops the scan (a newer one took over); the promise resolves. */
  readonly cancelled?: () => boolean;
  /** The worker script (default: `parse-worker.js` next to this module, or its source under tsx). */
  readonly script?: string;
}

/** What a scan did, for the log and the tests. */
export interface ParseStats {
  /** Worker threads started. */
  readonly threads: number;
  /** Files handed over with a worker's parse. */
  readonly fromWorkers: number;
  /** Files handed over for the caller to parse. */
  readonly onThisThread: number;
  /** Why workers stopped or could not start (empty when none failed). */
  readonly failures: readonly string[];
  /** The longest hand-over task (ms): the caller's `each` included, so its parses too. */
  readonly longestTaskMs: number;
  /** True when `cancelled` stopped the scan before every file was handed over. */
  readonly stopped: boolean;
}

/** A worker running `script`, or the source next to this module under tsx (tests, bench). */
function startWorker(script: string | undefined): Worker {
  if (script) return new Worker(script);
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'parse-worker.js'));
  const source = path.join(__dirname, 'parse-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true });
}

/** A file of the scan. */
export interface ScanFile {
  readonly file: string;
  readonly text: string;
  /** The caller holds a parse of this text already (a rescan): no worker parses it again. */
  readonly known?: boolean;
}

/** A worker's documents for `text`, or undefined (the caller parses it) when they cannot be decoded. */
function decoded(text: string, encoded: EncodedChunks): ParsedChunk[] | undefined {
  try {
    return decodeChunks(text, encoded, YAML_OPTIONS);
  } catch {
    return undefined;
  }
}

/** A file for the caller to parse. */
const ON_THIS_THREAD: ParseResponse = { index: -1, encoded: undefined };

/**
 * Parses `files` on `options.threads` workers and calls `options.each(i, previous)` for every file
 * in order. Never rejects for a file: a worker that fails or cannot start leaves its files to the
 * caller.
 */
export async function parseInOrder(files: readonly ScanFile[], options: ParseInOrderOptions): Promise<ParseStats> {
  const { threads, each, sliceMs, cancelled } = options;
  const results: Array<ParseResponse | null | undefined> = new Array(files.length);
  const failures: string[] = [];
  let next = 0;
  let fromWorkers = 0;
  let longestTaskMs = 0;
  let stopped = false;
  let scheduled = false;
  let over = false;
  let settle: (error?: unknown) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    settle = error => {
      over = true;
      if (error === undefined) resolve();
      else reject(error);
    };
  });
  const done = () => settle();

  const handOver = () => {
    if (over) return;
    const started = performance.now();
    try {
      while (next < files.length && results[next] !== undefined) {
        if (cancelled?.()) {
          stopped = true;
          done();
          return;
        }
        const r = results[next]!;
        const f = files[next]!;
        results[next] = null;
        const chunks = r?.encoded ? decoded(stripBom(f.text), r.encoded) : undefined;
        if (chunks) fromWorkers++;
        each(next, chunks ? { text: f.text, chunks } as unknown as ManifestFile : undefined);
        next++;
        if (sliceMs !== undefined && performance.now() - started >= sliceMs && next < files.length && results[next] !== undefined) {
          // More is ready: the rest in a later task, after what else waits on this thread.
          if (!scheduled) {
            scheduled = true;
            setImmediate(() => {
              scheduled = false;
              handOver();
            });
          }
          return;
        }
      }
      if (next >= files.length) done();
    } catch (e) {
      // The caller's `each` threw: the scan fails with its error (not an uncaught exception in a worker's event).
      settle(e);
    } finally {
      longestTaskMs = Math.max(longestTaskMs, performance.now() - started);
    }
  };

  const workers: Worker[] = [];
  try {
    for (let w = 0; w < threads; w++) {
      // Interleaved shares: the files this thread needs next are parsed first by every worker.
      const mine: Array<{ index: number; file: string; text: string }> = [];
      for (let index = w; index < files.length; index += threads) {
        const f = files[index]!;
        if (!f.known) mine.push({ index, file: f.file, text: f.text });
      }
      let failed = false;
      const fail = (why: string) => {
        // After the scan, `terminate` ends the workers with code 1: not a failure.
        if (failed || over) return;
        failed = true;
        failures.push(why);
        // Its files that have no answer yet are parsed by the caller.
        for (const m of mine) if (results[m.index] === undefined) results[m.index] = ON_THIS_THREAD;
        handOver();
      };
      let worker: Worker;
      try {
        worker = startWorker(options.script);
      } catch (e) {
        fail(`a worker thread could not start: ${(e as Error).message}`);
        continue;
      }
      workers.push(worker);
      worker.on('message', (r: ParseResponse) => {
        if (results[r.index] !== undefined) return;
        results[r.index] = r;
        handOver();
      });
      worker.on('error', e => fail(`a worker thread failed: ${e.message}`));
      worker.on('exit', code => { if (code !== 0) fail(`a worker thread exited with code ${code}`); });
      worker.postMessage({ maxFileSize: options.maxFileSize, files: mine } satisfies ParseRequest);
    }
    files.forEach((f, i) => { if (threads <= 0 || f.known) results[i] ??= ON_THIS_THREAD; });
    handOver();
    await finished;
  } finally {
    await Promise.all(workers.map(w => w.terminate()));
  }
  return { threads, fromWorkers, onThisThread: next - fromWorkers, failures, longestTaskMs, stopped };
}
