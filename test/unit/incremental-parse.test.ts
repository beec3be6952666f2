/**
 * Documents parsed chunk by chunk equal the whole text parsed at once, and an edit that re-uses the
 * unchanged documents of the previous parse (shifting their offsets) equals a fresh parse.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { Composer, isAlias, isCollection, isScalar, parseAllDocuments, Parser, visit, type Document } from 'yaml';
import { prng } from '../../bench/gen';
import { parseDocuments } from '../../src/core/parse/documents';
import { findHelmAction } from '../../src/core/parse/helm';
import { parseManifest, YAML_OPTIONS, type ManifestFile } from '../../src/core/parse/manifest';
import path from 'node:path';
import { CORPUS, filesUnder } from './corpus';
import { model } from './parse-model';
import { isManifestPath } from '../../src/core/files';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

const OPTIONS = { prettyErrors: false, uniqueKeys: false };

/** Every node's type, range and scalar value, every error, per document. */
function fingerprint(docs: readonly Document.Parsed[]): unknown {
  return docs.map(d => {
    const nodes: unknown[] = [];
    visit(d, (_k, n) => {
      if (isScalar(n)) nodes.push(['s', n.range, String(n.value)]);
      else if (isAlias(n)) nodes.push(['a', n.range, n.source]);
      else if (isCollection(n)) nodes.push(['c', n.range]);
    });
    return { range: d.range, errors: d.errors.map(e => [e.code, e.pos, e.message]), nodes };
  });
}

function manifestView(m: ManifestFile): unknown {
  return {
    objects: m.objects.map(o => [o.kind, o.name, o.namespace, o.span, o.kindSpan, o.nameSpan, o.index, o.labels]),
    problems: m.problems.map(p => [p.code, p.span, p.message]),
  };
}

/** Every other manifest of the corpus (half of them: the suite's time is shared), up to 200 KB each. */
const inputs = () => filesUnder(CORPUS).filter(isManifestPath).filter((_, i) => i % 2 === 0)
  .map(f => fs.readFileSync(f, 'utf8')).filter(t => t.length < 200_000);

test('chunk by chunk equals the whole text at once, on every corpus manifest', () => {
  let compared = 0;
  // Helm templates are never parsed (their garbage streams end chunks with different error tokens).
  for (const text of inputs().filter(t => !findHelmAction(t))) {
    let whole: Document.Parsed[];
    try {
      whole = parseAllDocuments(text, OPTIONS) as Document.Parsed[];
    } catch {
      continue;
    }
    if (!Array.isArray(whole)) whole = [];
    assert.deepEqual(fingerprint(parseDocuments(text, OPTIONS).docs), fingerprint(whole));
    compared++;
  }
  assert.ok(compared > 100);
});

test('an edit re-uses unchanged documents, shifted, and equals a fresh parse', () => {
  const rnd = prng(19);
  const texts = inputs().filter(t => (t.match(/^---/gm) ?? []).length >= 3);
  assert.ok(texts.length > 5);
  const pieces = ['', 'x', '\n', '---\n', '  a: b\n', ': ', '{', '"', '# c\n', 'kind: Service\n', 'name: n\n'];
  let edits = 0;
  for (const original of texts.slice(0, 40)) {
    let text = original;
    let previous = parseManifest('f.yaml', text, { maxFileSize: 1e7 });
    for (let k = 0; k < 15; k++) {
      const at = Math.floor(rnd() * (text.length + 1));
      const del = Math.floor(rnd() * 4);
      text = text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)]! + text.slice(at + del);
      const incremental = parseManifest('f.yaml', text, { maxFileSize: 1e7, previous });
      const fresh = parseManifest('f.yaml', text, { maxFileSize: 1e7 });
      assert.deepEqual(manifestView(incremental), manifestView(fresh), `edit ${k} at ${at}`);
      assert.deepEqual(fingerprint(incremental.objects.map(o => o.doc as Document.Parsed).filter((d, i, a) => a.indexOf(d) === i)),
        fingerprint(fresh.objects.map(o => o.doc as Document.Parsed).filter((d, i, a) => a.indexOf(d) === i)));
      previous = incremental;
      edits++;
    }
  }
  assert.ok(edits > 50);
});

test('an edit in one document of a long file parses that document only', () => {
  const doc = (i: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports: [{port: 80}]\n`;
  const text = Array.from({ length: 400 }, (_, i) => doc(i)).join('---\n');
  const before = parseManifest('f.yaml', text);
  const edited = text.replace('name: s200\n', 'name: s200x\n');
  const after = parseManifest('f.yaml', edited, { previous: before });
  assert.equal(after.objects.length, 400);
  assert.equal(after.objects[200]!.name, 's200x');
  // Documents before the edit are the same objects; those after it are shifted by one character.
  assert.equal(after.objects[10]!.doc, before.objects[10]!.doc);
  assert.equal(after.objects[300]!.doc, before.objects[300]!.doc);
  assert.equal(edited.slice(after.objects[300]!.nameSpan!.start, after.objects[300]!.nameSpan!.end), 's300');
  assert.notEqual(after.objects[200]!.doc, before.objects[200]!.doc);
  // Only the edited document's chunk was parsed again.
  assert.deepEqual(after.chunks!.flatMap((c, i) => (c.docs === before.chunks![i]!.docs ? [] : [i])), [200]);
});

test('a copy of a workspace takes over the parse of each unchanged file, and never a parse of another text', () => {
  const doc = (i: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  ports: [{port: 80}]\n`;
  const text = Array.from({ length: 20 }, (_, i) => doc(i)).join('---\n');
  const live = new Workspace(DEFAULT_SETTINGS);
  const original = live.set('a.yaml', text).manifest;
  const copy = new Workspace(DEFAULT_SETTINGS);
  const same = copy.set('a.yaml', text, { previous: original }).manifest;
  assert.equal(same.objects[5]!.doc, original.objects[5]!.doc);
  assert.deepEqual(manifestView(same), manifestView(parseManifest('a.yaml', text)));
  // Another text parses afresh: taking the documents over would shift the live workspace's in place.
  const edited = 'x: 1\n---\n' + text;
  const other = new Workspace(DEFAULT_SETTINGS).set('a.yaml', edited, { previous: original }).manifest;
  assert.notEqual(other.objects[5]!.doc, original.objects[5]!.doc);
  assert.equal(text.slice(original.objects[5]!.nameSpan!.start, original.objects[5]!.nameSpan!.end), 's5');
});

/** The library's parse of the same chunks (cut at `---` lines, each parsed at its offset) without anything of ours. */
function plainChunks(text: string): Document.Parsed[] {
  const starts = [0];
  if (!/^(?:%|\.\.\.)/m.test(text)) for (const m of text.matchAll(/^---(?:[ \t\r]|$)/gm)) if (m.index > 0) starts.push(m.index);
  return starts.flatMap((start, i) => {
    const parser = new Parser();
    parser.offset = start;
    return Array.from(new Composer(YAML_OPTIONS).compose(parser.parse(text.slice(start, starts[i + 1] ?? text.length)))) as Document.Parsed[];
  });
}

test('the parsed documents equal the library\'s own parse in every detail, on every fixture and corpus manifest', () => {
  // Documents are compacted, share their options, schema and directives, and their short strings
  // are interned (parse/documents.ts): none of it may change what a reader sees.
  const files = [...filesUnder(path.resolve(__dirname, '../fixtures')), ...filesUnder(CORPUS)]
    .filter(f => /\.(ya?ml|json)$/i.test(f));
  let compared = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.length > 1_000_000 || findHelmAction(text)) continue;
    let plain: Document.Parsed[];
    try {
      plain = plainChunks(text);
    } catch {
      continue;
    }
    assert.deepEqual(parseDocuments(text, YAML_OPTIONS).docs.map(model), plain.map(model), f);
    compared++;
  }
  assert.ok(compared > 1000, `${compared} files compared`);
});
