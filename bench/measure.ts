/** Timing and memory helpers for the bench: medians of several runs, heap after GC. */
import v8 from 'node:v8';

/** Runs of one measured step, in milliseconds. */
export interface Stat {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Times `fn` `n` times after `warmup` untimed runs. `fn` gets the run index (to alternate edits). */
export async function measure(fn: (i: number) => unknown, n: number, warmup = 1): Promise<Stat> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(warmup + i);
    samples.push(performance.now() - t);
  }
  return stat(samples);
}

/**
 * As {@link measure}, with the CPU time of each run too (`process.cpuUsage`, user + system, this
 * process's threads): on a loaded machine a run's wall-clock time includes the time slices other
 * processes took, its CPU time does not.
 */
export async function measureWithCpu(fn: (i: number) => unknown, n: number, warmup = 1): Promise<{ wall: Stat; cpu: Stat }> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await fn(warmup + i);
    const u = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((u.user + u.system) / 1000);
  }
  return { wall: stat(wall), cpu: stat(cpu) };
}

export function stat(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, min: s[0]!, median, max: s[s.length - 1]! };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether heap figures are exact (node ran with --expose-gc). */
export const canCollect = typeof gc === 'function';

/** heapUsed in bytes after a full GC (when exposed). */
export function heapAfterGc(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Bytes in use right now, garbage included (an upper estimate of the peak of the step just run). */
export function heapNow(): number {
  return v8.getHeapStatistics().used_heap_size;
}

export function ms(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '-';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** A plain text table: first row is the header; columns padded, numbers right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map(r => (r[c] ?? '').length)));
  const numeric = /^[-+]?[\d.,]+(?:\s?(?:x|ms|MB|%))?$|^-$/;
  const line = (r: string[]) => r.map((cell, c) => (numeric.test(cell) && c > 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map(w => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
