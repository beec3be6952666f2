/**
 * Fuzzing: every manifest of examples/ and the shared corpus, mutated the ways a user's typing (or a
 * hostile file) mutates YAML, through the whole analysis. Zero exceptions may escape. A seeded run of
 * a few thousand cases runs in `npm test`; `FUZZ_CASES=50000` runs longer, `FUZZ_SEED` picks another seed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { prng } from '../../bench/gen';
import { isManifestPath } from '../../src/core/files';
import { Workspace } from '../../src/core/workspace';
import { analyseAll } from './analyse-all';
import { CORPUS, filesUnder } from './corpus';

const CASES = Number(process.env.FUZZ_CASES ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

type Mutation = (lines: string[], rnd: () => number) => string[];
const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)]!;
const at = (lines: string[], rnd: () => number) => Math.floor(rnd() * lines.length);
const NASTY = ['', '{', '}', '[', ']', ':', '- ', '&a', '*a', '!!binary', '"', "'", '#', '|', '>', '{{ .Values.x }}', '\t', '\u0000', '\uFFFF', '🙂',
  '<img src=x onerror=alert(1)>', '0.0.0.0/0', '::/0', '10.0.0.1/33', 'None', '-1', '65536', 'null', '~', 'true', '1e309', 'http', 'kube-system',
  'a'.repeat(300), '---', '...', '? ', '%YAML 1.2'];
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

function manifests(): Array<{ file: string; text: string }> {
  const roots = [path.resolve(__dirname, '../../examples'), CORPUS];
  return roots.flatMap(root => filesUnder(root).filter(isManifestPath).map(file => ({ file, text: fs.readFileSync(file, 'utf8') })));
}

test(`fuzz: ${CASES} mutated manifests through the whole analysis (seed ${SEED})`, () => {
  const inputs = manifests();
  assert.ok(inputs.length > 50);
  const rnd = prng(SEED);
  const names = Object.keys(MUTATIONS);
  // One realistic workspace: the demo plus the mutated file, so cross-file analyses run too.
  const base = new Workspace();
  for (const f of manifests().filter(m => m.file.includes(`${path.sep}examples${path.sep}`))) base.set(f.file, f.text);
  let slowest = 0;
  for (let n = 0; n < CASES; n++) {
    const input = pick(inputs, rnd);
    let lines = input.text.split('\n');
    const applied: string[] = [];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const name = pick(names, rnd);
      applied.push(name);
      lines = MUTATIONS[name]!(lines, rnd);
    }
    const text = lines.join('\n');
    const started = Date.now();
    try {
      base.set('fuzz://case.yaml', text);
      analyseAll(base, 12);
    } catch (e) {
      assert.fail(`case ${n} (${path.relative(process.cwd(), input.file)}; ${applied.join(', ')}) threw: ${(e as Error).stack}\n--- input ---\n${text.slice(0, 2000)}`);
    }
    slowest = Math.max(slowest, Date.now() - started);
  }
  // A hang detector, not a speed target: a few seconds means a runaway loop.
  assert.ok(slowest < 10_000, `a case took ${slowest} ms`);
});
