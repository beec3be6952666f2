/** Hostile and pathological files: each gives a clear message, and the analysis stays bounded. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_DOCUMENTS } from '../../src/core/parse/manifest';
import { Workspace } from '../../src/core/workspace';
import { analyseAll } from './analyse-all';

function analyse(text: string) {
  const ws = new Workspace();
  const entry = ws.set('patho.yaml', text);
  analyseAll(ws, 20);
  return entry.manifest;
}

const service = (i: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: ns${i % 50}\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80, targetPort: http}]\n`;

test('a billion-laughs alias bomb is read without expanding it', () => {
  const levels = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) levels.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  const m = analyse(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.join('\n')}\n`);
  assert.equal(m.objects.length, 1);
});

test('a 20 MB file is skipped with a message naming the size limit', () => {
  const text = Array.from({ length: 150_000 }, (_, i) => service(i)).join('---\n');
  assert.ok(text.length > 20_000_000);
  const m = analyse(text);
  assert.equal(m.skipped, 'file-too-large');
  assert.match(m.problems[0]!.message, /2\d\.\d MB is over the size limit of 4\.0 MB \(setting kubeNetlens\.maxFileSizeKB/);
});

test('10,000 documents in one file: the first ones are analysed, the cut is said', () => {
  const text = Array.from({ length: 10_000 }, (_, i) => service(i)).join('---\n');
  const ws = new Workspace({ ...new Workspace().settings, maxFileSize: 10 * 1024 * 1024 });
  const m = ws.set('many.yaml', text).manifest;
  assert.equal(m.objects.length, DEFAULT_MAX_DOCUMENTS);
  const note = m.problems.find(p => p.code === 'too-many-documents')!;
  assert.match(note.message, /Only the first 2000 YAML documents are analysed/);
  assert.equal(text.slice(note.span.start, note.span.end), '---');
});

test('deep nesting gives a clear message instead of a stack overflow', () => {
  const flow = analyse('kind: ConfigMap\ndata: ' + '['.repeat(20_000) + ']'.repeat(20_000));
  assert.deepEqual(flow.problems.map(p => p.message), ['YAML nested too deeply to analyse.']);
  const block = analyse('kind: ConfigMap\ndata:\n' + Array.from({ length: 1200 }, (_, i) => ' '.repeat(i + 1) + 'a:').join('\n'));
  assert.equal(block.objects.length, 1);
  assert.ok(block.problems.every(p => !/call stack/i.test(p.message)));
});

test('very long lines are analysed', () => {
  const m = analyse(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: ${'x'.repeat(200_000)}\n  b: "http://${'a'.repeat(100_000)}:80"\n`);
  assert.equal(m.objects.length, 1);
});

test('binary garbage with a .yaml name is skipped as not text', () => {
  const bytes = Array.from({ length: 50_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const m = analyse(bytes);
  assert.equal(m.skipped, 'not-text');
  assert.match(m.problems[0]!.message, /binary data/);
});

test('a JSON file that is not a manifest yields no objects and no problems', () => {
  const m = analyse('{"name": "my-app", "version": "1.0.0", "scripts": {"test": "node --test"}}');
  assert.deepEqual([m.objects.length, m.problems.length], [0, 0]);
});
