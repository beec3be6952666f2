/**
 * The seeded fuzz run shared by the fuzz test and the bench: every manifest of examples/ and the
 * shared corpus, mutated the ways a user's typing (or a hostile file) mutates YAML, through the whole
 * analysis; on some cases every provider at every cursor target (hover, definition, code actions),
 * and on fewer the CLI commands. Counts failures: escaped exceptions and contained ones alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { prng } from '../../bench/gen';
import { isManifestPath } from '../../src/core/files';
import { Workspace } from '../../src/core/workspace';
import { analyseAll } from './analyse-all';
import { CORPUS, filesUnder } from './corpus';
import { driveCli, driveFile, failuresOf, type Failure } from './drive';

type Mutation = (lines: string[], rnd: () => number) => string[];
const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;
const at = (lines: string[], rnd: () => number) => Math.floor(rnd() * lines.length);
const NASTY = ['', '{', '}', '[', ']', ':', '- ', '&a', '*a', '!!binary', '"', "'", '#', '|', '>', '{{ .Values.x }}', '\t', '\u0000', '\uFFFF', '🙂',
  '<img src=x onerror=alert(1)>', '0.0.0.0/0', '::/0', '10.0.0.1/33', 'None', '-1', '65536', 'null', '~', 'true', '1e309', 'http', 'kube-system',
  'a'.repeat(300), '---', '...', '? ', '%YAML 1.2', 'http://db.default:5432', 'db:99999', 'a.b.c.d.e.f.g.h'];
const SCALARS = ['null', '{}', '[]', '0', '-1', '99999999999999999999', 'true', '"x"', '~', '[a, b]', '{a: b}', '""', '*x', '0x1F'];

const MUTATIONS: Record<string, Mutation> = {
  truncate: (l, r) => l.slice(0, at(l, r)),
  deleteLine: (l, r) => { const i = at(l, r); return [...l.slice(0, i), ...l.slice(i + 1)]; },
  duplicateLine: (l, r) => { const i = at(l, r); return [...l.slice(0, i + 1), ...l.slice(i)]; },
  swapScalar: (l, r) => l.map((line, i) => (i === at(l, r) ? line.replace(/:\s+\S.*$/, `: ${pick(SCALARS, r)}`) : line)),
  emptyCollection: (l, r) => { const i = at(l, r); const c = l.slice(); c[i] = (c[i] ?? '').replace(/:\s*$/, `: ${r() < 0.5 ? '{}' : '[]'}`); return c; },
  randomChars: (l, r) => {
    const i = at(l, r); const c = l.slice(); const line = c[i] ?? ''; const p = Math.floor(r() * (line.length + 1));
    c[i] = line.slice(0, p) + pick(NASTY, r) + line.slice(p); return c;
  },
  indent: (l, r) => { const i = at(l, r); const c = l.slice(); c[i] = (r() < 0.5 ? ' ' : '') + (c[i] ?? '').replace(r() < 0.5 ? /^ / : /^$/, ''); return c; },
  swapLines: (l, r) => { const c = l.slice(); const i = at(l, r); const j = at(l, r); [c[i], c[j]] = [c[j]!, c[i]!]; return c; },
};

export function fuzzInputs(): Array<{ file: string; text: string }> {
  const roots = [path.resolve(__dirname, '../../examples'), CORPUS];
  return roots.flatMap(root => filesUnder(root).filter(isManifestPath).map(file => ({ file, text: fs.readFileSync(file, 'utf8') })));
}

/** One fuzzed text: a manifest of {@link fuzzInputs} with 1 to 3 mutations applied. */
export interface FuzzCase {
  readonly input: { file: string; text: string };
  readonly mutations: readonly string[];
  readonly text: string;
}

/** The seeded sequence of fuzzed texts (the fuzz run's, and the parser's differential test's). */
export function* fuzzCases(inputs: ReadonlyArray<{ file: string; text: string }>, seed: number, cases: number): Generator<FuzzCase> {
  const rnd = prng(seed);
  const names = Object.keys(MUTATIONS);
  for (let n = 0; n < cases; n++) {
    const input = pick(inputs, rnd);
    let lines = input.text.split('\n');
    const applied: string[] = [];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const name = pick(names, rnd);
      applied.push(name);
      lines = MUTATIONS[name]!(lines, rnd);
    }
    yield { input, mutations: applied, text: lines.join('\n') };
  }
}

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** Every provider at every cursor target on every `driveEvery`-th case. */
  readonly driveEvery: number;
  /** The CLI commands on every `cliEvery`-th case. */
  readonly cliEvery: number;
}

export interface FuzzCaseFailure extends Failure {
  readonly caseIndex: number;
  readonly input: string;
  readonly mutations: readonly string[];
  readonly text: string;
}

export interface FuzzResult {
  readonly cases: number;
  readonly driven: number;
  readonly cliRuns: number;
  readonly failures: readonly FuzzCaseFailure[];
  /** The slowest case's analysis, in ms: a hang detector, not a speed target. */
  readonly slowestMs: number;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const inputs = fuzzInputs();
  // One realistic workspace: the demo plus the mutated file, so cross-file analyses run too.
  const base = new Workspace();
  const demo = inputs.filter(m => m.file.includes(`${path.sep}examples${path.sep}`));
  for (const f of demo) base.set(f.file, f.text);
  const failures: FuzzCaseFailure[] = [];
  let slowest = 0;
  let driven = 0;
  let cliRuns = 0;
  const FILE = 'fuzz://case.yaml';
  let n = -1;
  for (const { input, mutations: applied, text } of fuzzCases(inputs, options.seed, options.cases)) {
    n++;
    const record = (fs: readonly Failure[]) => {
      for (const f of fs) failures.push({ ...f, caseIndex: n, input: path.relative(process.cwd(), input.file), mutations: applied, text });
    };
    const started = Date.now();
    record(failuresOf(() => {
      base.set(FILE, text);
      analyseAll(base, 12);
    }));
    slowest = Math.max(slowest, Date.now() - started);
    if (n % options.driveEvery === 0) {
      driven++;
      record(failuresOf(() => driveFile(base, FILE, 'targets')));
    }
    if (n % options.cliEvery === 0) {
      cliRuns++;
      record(await driveCli([...demo.map(d => ({ name: path.basename(d.file), text: d.text })), { name: 'case.yaml', text }]));
    }
  }
  base.delete(FILE);
  return { cases: options.cases, driven, cliRuns, failures, slowestMs: slowest };
}
