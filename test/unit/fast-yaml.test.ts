/**
 * The fast YAML path (src/core/parse/fast-yaml.ts) builds exactly the nodes the `yaml` library's
 * Parser + Composer build, chunk by chunk: compared node by node (classes, own properties, ranges,
 * values, types, sources, comments, errors) on every YAML/JSON file of the shared corpus, on the
 * fuzz run's mutated inputs, on generated block YAML with comments and blank lines everywhere, and
 * on one fixture per edge of its subset. It must also stay the common path (most corpus chunks) and
 * linear (operation counts at n and 2n).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { prng } from '../../bench/gen';
import { sharedSettings } from '../../src/core/parse/documents';
import { parseChunkFast } from '../../src/core/parse/fast-yaml';
import { parseManifest, YAML_OPTIONS } from '../../src/core/parse/manifest';
import { scanSteps } from '../../src/core/scan';
import { CORPUS, filesUnder } from './corpus';
import { compareChunks } from './fast-yaml-diff';
import { fuzzCases, fuzzInputs } from './fuzz-run';

const fast = (text: string, offset = 0) => parseChunkFast(text, offset, docStart => sharedSettings(YAML_OPTIONS, docStart));

test('fast YAML path: every chunk of every corpus file parses to the library\'s nodes, and most take the fast path', () => {
  let chunks = 0;
  let fastChunks = 0;
  let files = 0;
  const mismatches: string[] = [];
  for (const file of filesUnder(CORPUS).filter(f => /\.(ya?ml|json)$/i.test(f))) {
    const r = compareChunks(fs.readFileSync(file, 'utf8'), YAML_OPTIONS, file);
    files++;
    chunks += r.chunks;
    fastChunks += r.fast;
    mismatches.push(...r.mismatches);
  }
  assert.ok(files > 1000, `${files} corpus files`);
  assert.deepEqual(mismatches.slice(0, 5), []);
  // 88% when written (the rest: Helm templates, anchors and aliases, multi-line scalars, tabs, comments elsewhere).
  assert.ok(fastChunks >= 0.8 * chunks, `${fastChunks} of ${chunks} chunks on the fast path`);
});

test('fast YAML path: the fuzz run\'s mutated manifests parse to the library\'s nodes', () => {
  let chunks = 0;
  let fastChunks = 0;
  const mismatches: string[] = [];
  for (const c of fuzzCases(fuzzInputs(), 20261130, 1500)) {
    const r = compareChunks(c.text, YAML_OPTIONS, `${c.input.file} (${c.mutations.join(', ')})`);
    chunks += r.chunks;
    fastChunks += r.fast;
    mismatches.push(...r.mismatches);
  }
  assert.deepEqual(mismatches.slice(0, 5), []);
  assert.ok(fastChunks > chunks / 3, `${fastChunks} of ${chunks} fuzzed chunks on the fast path`);
});

/** Random block YAML within and around the subset: nesting, compact and zero-indented sequences, comments and blank lines at any indent. */
function generatedYaml(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const KEYS = ['a', 'name', '"q k"', "'s k'", 'on', 'y', '1', '~', 'a b', '-x', 'key:x', 'x#y', 'null', '"<<"', '<<', '? k'];
  const VALS = ['v', 'yes', 'no', 'On', 'OFF', '~', 'null', '0x1F', '0o17', '017', '1e3', '.inf', '-.Inf', '.nan', '1_000', '+12', '3.50',
    '"d q"', "'s ''q'''", '""', "''", '[a, b]', '[ "x" , y ]', '[]', '{}', '{ }', '[a,]', 'http://x:80/p', 'x  ', '2001-12-14', '12:30',
    '0b101', 'true', '-1', '1.', '.5', '"a\'b"', ':x', '?x', '"#x"', "'x: y'", '"e\\n"', '"\\u00e9\\t\\"q\\\\"', '"\\x4"', '"\\q"', '"\\U0001F600"', '"a\\"', '|', '&a x', '*a', '!!str x', 'a: b', '"x"#c', '@x'];
  const COMMENTS = ['# c', '#', '#x  ', '# ---'];
  const out: string[] = [];
  const trivia = (ind: number) => {
    while (rnd() < 0.15) {
      const i = rnd() < 0.6 ? ind : pick([0, 2, 4, ind + 2, Math.max(0, ind - 2)]);
      const r = rnd();
      out.push(r < 0.5 ? ' '.repeat(i) + pick(COMMENTS) : r < 0.8 ? '' : ' '.repeat(i));
    }
  };
  const tail = () => (rnd() < 0.15 ? ' ' + pick(COMMENTS) : '');
  /** A block scalar's header and lines (blank, short, more indented), for an entry at `ind`. */
  const block = (ind: number): string => {
    const lines = [`${pick(['|', '>', '|-', '>+', '|2', '>-1', '|+', '|#', '| # c', '|x', '>  '])}`];
    const base = ind + pick([1, 2, 2, 4]);
    for (let i = 0, n = Math.floor(rnd() * 5); i < n; i++) {
      const r = rnd();
      lines.push(r < 0.2 ? '' : r < 0.3 ? ' '.repeat(pick([1, base, base + 3])) : `${' '.repeat(base + pick([0, 0, 0, 2, -1]))}${pick(['text', 'a b', '# not a comment', 'k: v', '- x', ''])}`);
    }
    return lines.join('\n');
  };
  const scalar = () => (rnd() < 0.12 ? '\u0000' : pick(VALS));
  const map = (ind: number, depth: number, first: string | null): void => {
    for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++) {
      if (i > 0 || first === null) trivia(ind);
      const prefix = i === 0 && first !== null ? first : ' '.repeat(ind);
      const k = pick(KEYS);
      const r = rnd();
      if (depth < 4 && r < 0.35) {
        out.push(`${prefix}${k}:${tail()}`);
        trivia(ind + 2);
        if (rnd() < 0.5) map(ind + pick([2, 4]), depth + 1, null);
        else seq(rnd() < 0.5 ? ind : ind + 2, depth + 1, null);
      } else if (r < 0.42) {
        out.push(`${prefix}${k}:`);
      } else {
        const v = scalar();
        out.push(v === '\u0000' ? `${prefix}${k}: ${block(ind)}` : `${prefix}${k}: ${v}${tail()}`);
      }
    }
  };
  const seq = (ind: number, depth: number, first: string | null): void => {
    for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++) {
      if (i > 0 || first === null) trivia(ind);
      const prefix = `${i === 0 && first !== null ? first : ' '.repeat(ind)}- `;
      const r = rnd();
      if (depth < 4 && r < 0.35) map(ind + 2, depth + 1, prefix);
      else if (depth < 4 && r < 0.45) seq(ind + 2, depth + 1, prefix);
      else {
        const v = scalar();
        out.push(v === '\u0000' ? `${prefix}${block(ind)}` : `${prefix}${v}${tail()}`);
      }
    }
  };
  if (rnd() < 0.5) out.push('---');
  trivia(0);
  if (rnd() < 0.8) map(0, 0, null);
  else seq(0, 0, null);
  trivia(0);
  const nl = rnd() < 0.15 ? '\r\n' : '\n';
  return out.join(nl) + (rnd() < 0.7 ? nl : '');
}

test('fast YAML path: generated block YAML with comments and blank lines everywhere parses to the library\'s nodes', () => {
  const rnd = prng(11);
  let fastChunks = 0;
  const mismatches: string[] = [];
  const cases = 8000;
  for (let i = 0; i < cases; i++) {
    const text = generatedYaml(rnd);
    const r = compareChunks(text, YAML_OPTIONS, JSON.stringify(text));
    fastChunks += r.fast;
    mismatches.push(...r.mismatches);
  }
  assert.deepEqual(mismatches.slice(0, 5), []);
  // About a quarter: the rest hold something outside the subset on purpose.
  assert.ok(fastChunks > cases / 5, `${fastChunks} of ${cases} generated documents on the fast path`);
});

/** Random JSON documents (JSON.stringify at several indentations, spaced and broken differently), the way JSON manifests come. */
function generatedJson(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const STRINGS = ['a', 'kind', 'yes', 'on', '0x1F', '1e3', 'é', 'q"q', 'back\\slash', 'nl\nx', 'tab\tx', '', ' sp ', '#x', 'a: b', '{x}', '\u2028', '🙂', 'null', '~'];
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth < 4 && r < 0.25) {
      const o: Record<string, unknown> = {};
      for (let i = 0, n = Math.floor(rnd() * 4); i < n; i++) o[pick(STRINGS) + (rnd() < 0.3 ? i : '')] = value(depth + 1);
      return o;
    }
    if (depth < 4 && r < 0.45) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return pick([1, -2.5, 0, 1e21, true, false, null, 3.0, ...STRINGS]);
  };
  let text = JSON.stringify(rnd() < 0.8 ? { kind: 'X', ...(value(0) as object) } : [value(1), value(1)], null, pick([0, 1, 2, 4]));
  if (rnd() < 0.3) text = text.replace(/,/g, pick([' ,', ', ', ',\n\n', ' , ']));
  if (rnd() < 0.3) text = text.replace(/:/g, pick([' :', ':  ']));
  text = (rnd() < 0.3 ? pick(['---\n', '# c\n', '\n']) : '') + text + pick(['', '\n', '  \n', '\n\n', ' # c\n']);
  return rnd() < 0.1 ? text.replace(/\n/g, '\r\n') : text;
}

test('fast YAML path: generated JSON parses to the library\'s nodes', () => {
  const rnd = prng(9);
  let fastChunks = 0;
  const mismatches: string[] = [];
  const cases = 3000;
  for (let i = 0; i < cases; i++) {
    const text = generatedJson(rnd);
    const r = compareChunks(text, YAML_OPTIONS, JSON.stringify(text));
    fastChunks += r.fast;
    mismatches.push(...r.mismatches);
  }
  assert.deepEqual(mismatches.slice(0, 5), []);
  assert.ok(fastChunks > cases / 2, `${fastChunks} of ${cases} generated JSON documents on the fast path`);
});

/** [what, text, whether the fast path reads it (else it falls back to the library)]. */
const FIXTURES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['quoted keys', '"a b": 1\n\'c\': 2\n"d" : 3\n', true],
  ['a key with an empty value, then a key', 'a:\nb: 1\n', true],
  ['a key with an empty value at the end', 'a: 1\nb:\n', true],
  ['an empty value with trailing spaces', 'a:   \nb: 1\n', true],
  ['an empty value with a comment', 'a: # c\nb: 1\n', false],
  ['compact nested sequences', '- - x\n  - y\n- z\n', true],
  ['a zero-indented sequence', 'a:\n- x\n- y: 1\n  z: 2\nb: 3\n', true],
  ['explicit keys', '? a\n: b\n', false],
  ['trailing spaces', 'a: 1   \nb: [x]  \nc: "q"  \n', true],
  ['CRLF line breaks', 'a: 1\r\n# c\r\nb:\r\n  - x # t\r\n', true],
  ['a lone CR', 'a: 1\rb: 2\n', false],
  ['a byte-order mark inside the text', 'a: \uFEFFx\n', false],
  ['# inside quotes', 'a: "x # y"\nb: \'#\'\n', true],
  ['# inside a plain scalar', 'a: x#y\n', true],
  [': inside plain scalars', 'a: http://x:80/p\nb: a:b\n', true],
  [': and space inside a plain value (an error)', 'a: b: c\n', false],
  ['YAML 1.1 scalars', 'a: yes\nb: no\nc: on\nd: off\ne: ~\nf: null\ng: 0x1F\nh: 1e3\ni: .inf\nj: 0o17\nk: 017\nl: 1_000\nm: 3.50\nn: y\n', true],
  ['a merge key', 'a: &x {}\nb:\n  <<: *x\n', false],
  ['a plain merge key alone', '<<: 1\n', false],
  ['a quoted merge key', '"<<": 1\n', true],
  ['anchors, aliases and tags', 'a: &x 1\nb: *x\nc: !!str 2\n', false],
  ['block scalars', 'a: |\n  x\n\n  y\nb: >-\n  folded\n  text\n\n   more\n  end\n\nc: |+\n  kept\n\n', true],
  ['block scalars with indentation indicators', '- |2\n    x\n   y\n- >1\n  z\n', true],
  ['an empty block scalar', 'a: |\nb: >+\n\nc: 1\n', true],
  ['a block scalar ending the text without a line break', 'a: |\n  x', true],
  ['a block scalar with a comment on its header', 'a: | # c\n  x\n', false],
  ['a block scalar with more-indented leading blank lines', 'a: |\n      \n  x\n', false],
  ['a block scalar at the end of a nested map', 'a:\n  b: |\n    x\n\n  # c\n  d: 1\n', true],
  ['double-quoted escapes', 'a: "x\\ty\\"q\\\\"\nb: "\\u00e9\\x41\\U0001F600\\0\\/"\n"c\\n": [ "\\"" ]\n', true],
  ['an invalid escape', 'a: "\\q"\n', false],
  ['an escape past the last code point', 'a: "\\UFFFFFFFF"\n', false],
  ['an escaped line break', 'a: "x\\\n  y"\n', false],
  ['multi-line plain scalars', 'a: x\n  y\n', false],
  ['multi-line flow collections', 'a: [x,\n  y]\n', false],
  ['flow maps with content', 'a: {b: 1}\n', false],
  ['a JSON document', '{\n  "kind": "Pod",\n  "spec": {"a": [1, "x", {"b": null}], "c": {}},\n  "d": [ ]\n}\n', true],
  ['a JSON document with blank lines and spaced commas', '{\n\n  "a" : 1 ,\n\n  "b":[\n    true\n  ]\n  }', true],
  ['a JSON document followed by more lines', '{"a": 1}\n\n', false],
  ['a JSON document with a comment', '{"a": 1 # c\n}\n', false],
  ['a JSON document with a trailing comma', '{"a": 1,}\n', false],
  ['a flow document with a plain key', '{a: 1, b: [x, y]}\n', true],
  ['a flow document with a multi-line plain scalar', '[a\n b]\n', false],
  ['a flow sequence with a pair', '["a": 1]\n', false],
  ['a flow document with a Helm action', '{{ .Values.x }}\n', false],
  ['empty flow collections', 'a: {}\nb: [ ]\nc: []\n', true],
  ['tabs', 'a:\t1\n', false],
  ['a document marker and comments before the content', '---\n# c\n\nkind: X\n', true],
  ['comments before the content without a marker', '# c\n#\nkind: X\n', true],
  ['comments and a blank line before the content', '# c\n\nkind: X\n', true],
  ['comments at the end', 'a:\n  b: 1\n# end\n\n#\n', true],
  ['an indented comment at the end', 'a:\n  b: 1\n  # end\n', true],
  ['a comment at the end more indented than the collection', 'a:\n  b: 1\n    # end\n', false],
  ['a comment ending a nested map', 'a:\n  b: 1\n\n  # c\n  #\nd: 2\n', true],
  ['comments ending a nested map at two indents', 'a:\n  b: 1\n  # c\n # d\nd: 2\n', false],
  ['a comment ending a nested sequence', 'a:\n  - 1\n  # c\nd: 2\n', true],
  ['a comment before a nested map', 'a:\n  # c\n  b: 1\n', true],
  ['a comment more indented than the next entry', 'a: 1\n  # c\nb: 2\n', false],
  ['a comment after a zero-indented sequence in an indented map', 'x:\n  a:\n  - 1\n  # c\n  b: 2\n', true],
  ['comments only', '# just a comment\n', true],
  ['a marker and nothing', '---\n', true],
  ['a marker, blank lines and comments, and nothing', '---\n\n# c\n#\n\n', true],
  ['a marker at the end of the text', 'a: 1\n---', false],
  ['a marker with a comment on its line', '--- # c\na: 1\n', false],
  ['a top-level scalar', 'just text\n', false],
  ['an indented first line', '  a: 1\n', false],
  ['duplicate keys', 'a: 1\na: 2\n', true],
  ['a very long line', `a: ${'x'.repeat(100_000)}\nb: [${Array.from({ length: 5000 }, (_, i) => `v${i}`).join(', ')}]\n`, true],
  ['a long key', `${'k'.repeat(1100)}: 1\n`, false],
  ['deep nesting', Array.from({ length: 60 }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n') + ' 1\n', true],
  ['nesting past the fast path\'s depth', Array.from({ length: 150 }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n') + ' 1\n', false],
  ['a trailing comma in a flow sequence', 'a: [x, ]\n', false],
  ['a comment right after a quote', 'a: "x"# c\n', false],
];

for (const [what, text, expectFast] of FIXTURES) {
  test(`fast YAML path: ${what}`, () => {
    const r = compareChunks(text, YAML_OPTIONS, what);
    assert.deepEqual(r.mismatches, []);
    assert.equal(r.fast === r.chunks && r.chunks > 0, expectFast, `${r.fast} of ${r.chunks} chunks on the fast path`);
  });
}

test('fast YAML path: scalars resolve as the API machinery reads YAML 1.1', () => {
  const docs = fast('a: yes\nb: off\nc: ~\nd: 0x1F\ne: 1e3\nf: .inf\ng: 0o17\nh: 017\ni: "yes"\nj: 3.50\n')!;
  const map = docs[0]!.contents as YAMLMap;
  const values = Object.fromEntries(map.items.map(p => [String((p.key as { value: unknown }).value), isScalar(p.value) ? p.value.value : undefined]));
  assert.deepEqual(values, { a: true, b: false, c: null, d: 31, e: 1000, f: Infinity, g: '0o17', h: 15, i: 'yes', j: 3.5 });
  const j = map.items[9]!.value as { minFractionDigits?: number; format?: string };
  assert.equal(j.minFractionDigits, 2);
  assert.equal((map.items[3]!.value as { format?: string }).format, 'HEX');
});

test('fast YAML path: offsets of a later chunk are offsets into the whole text, and parseManifest uses the fast path', () => {
  const text = 'kind: A\n---\nkind: B # b\n';
  const docs = fast(text.slice(8), 8)!;
  assert.deepEqual(docs[0]!.range, [8, 24, 24]);
  const kind = (docs[0]!.contents as YAMLMap).items[0]!.value as { range: number[]; comment: string };
  assert.deepEqual(kind.range, [18, 19, 24]);
  assert.equal(kind.comment, ' b');
  const m = parseManifest('a.yaml', text);
  assert.deepEqual(m.objects.map(o => [o.kind, o.kindSpan]), [['A', { start: 6, end: 7 }], ['B', { start: 18, end: 19 }]]);
  assert.ok(m.chunks!.every(c => c.docs.every((d: Document.Parsed) => isMap(d.contents))));
});

test('fast YAML path: linear in its input (operations counted at n and 2n)', () => {
  const inputs: Array<[string, (n: number) => string]> = [
    ['a long plain line', n => `a: ${'x '.repeat(n)}y\n`],
    ['a long flow sequence', n => `a: [${'x, '.repeat(n)}y]\n`],
    ['many entries', n => 'a: 1\n'.repeat(n)],
    ['many comment lines', n => `a:\n${'  # c\n'.repeat(n)}  b: 1\n`],
    ['many compact sequences', n => '- - - x\n'.repeat(n)],
    ['a long line of colons', n => `a: ${'x:'.repeat(n)}\n`],
    ['a long quoted key', n => `"${'k'.repeat(n)}": 1\n`],
  ];
  for (const [what, make] of inputs) {
    const count = (n: number) => {
      scanSteps.count = 0;
      fast(make(n));
      return scanSteps.count;
    };
    const a = count(5000);
    const b = count(10_000);
    assert.ok(b <= 2.2 * a, `${what}: ${a} steps at n, ${b} at 2n`);
    assert.ok(b <= 12 * make(10_000).length, `${what}: ${b} steps for ${make(10_000).length} characters`);
  }
});
