/**
 * The bench's scaling section: each text scanner and `check` on generated pathological inputs at n
 * and 2n characters (braces, long host-character runs, minified JSON, deep nesting, long lines, many
 * documents); the target is time(2n)/time(n) <= 2.2. Also the fuzz section: seeded fuzzed inputs
 * through every provider, failures (escaped or contained exceptions) counted.
 */
import { findHelmAction } from '../src/core/parse/helm';
import { extractHosts } from '../src/core/net/dns/references';
import { checkFile } from '../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { Workspace } from '../src/core/workspace';
import { fuzz, type FuzzResult } from '../test/unit/fuzz-run';
import { stat, type Stat } from './measure';
import { asConfigMap, PATHOLOGICAL, PATHOLOGICAL_FILES } from './pathological';

export interface ScalingRow {
  readonly what: string;
  readonly input: string;
  readonly n: number;
  readonly atN: Stat;
  readonly at2N: Stat;
  /** time(2n) / time(n), from the fastest runs (the least disturbed by other load). */
  readonly ratio: number;
}

export const SCALING_TARGET = 2.2;

/** Scanner and check timings at `n` and `2n` characters. */
export async function benchScaling(n: number, runs: number): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  const settings = { ...DEFAULT_SETTINGS, maxFileSize: 16 * 1024 * 1024 };
  const row = async (what: string, input: string, run: (size: number) => () => unknown) => {
    const a = run(n);
    const b = run(2 * n);
    // Alternate n and 2n so that load from other processes hits both alike.
    const samplesN: number[] = [];
    const samples2N: number[] = [];
    for (let i = 0; i < runs; i++) {
      samplesN.push(perCall(a));
      samples2N.push(perCall(b));
    }
    const atN = stat(samplesN);
    const at2N = stat(samples2N);
    rows.push({ what, input, n, atN, at2N, ratio: at2N.min / Math.max(atN.min, 1e-6) });
  };
  for (const p of PATHOLOGICAL) {
    await row('Helm detection', p.name, size => { const v = p.value(size); return () => findHelmAction(v); });
    await row('DNS host extraction', p.name, size => { const v = p.value(size); return () => extractHosts(v, Infinity); });
    await row('check (ConfigMap)', p.name, size => {
      const text = asConfigMap(p.value(size));
      return () => { const ws = new Workspace(settings); ws.set('cm.yaml', text); return checkFile(ws, 'cm.yaml'); };
    });
  }
  for (const f of PATHOLOGICAL_FILES) {
    await row('check (file)', f.name, size => {
      const text = f.text(size);
      return () => { const ws = new Workspace(settings); ws.set('f.yaml', text); return checkFile(ws, 'f.yaml'); };
    });
  }
  return rows;
}

/** Milliseconds per call of `f`, calling it repeatedly for at least 40 ms (sub-millisecond scans are timed in bulk). */
function perCall(f: () => unknown): number {
  f();
  let calls = 0;
  const t = performance.now();
  let elapsed = 0;
  do {
    f();
    calls++;
    elapsed = performance.now() - t;
  } while (elapsed < 40);
  return elapsed / calls;
}

/** The seeded fuzz run with its failure count. */
export function benchFuzz(cases: number): Promise<FuzzResult> {
  return fuzz({ cases, seed: 20261121, driveEvery: 25, cliEvery: 500 });
}
