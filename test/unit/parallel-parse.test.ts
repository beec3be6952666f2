/**
 * The first scan on worker threads builds the workspace a sequential scan builds: documents carried
 * across threads (src/core/parse/transfer.ts) equal a parse in every detail, and the CLI's parallel
 * load gives the same findings, file by file, as parsing on one thread. The loader is the one the CLI
 * (`loadProject`) and the extension's first scan (src/vscode/workspaceIndex.ts) share: in order,
 * on this thread when workers cannot start, in slices that yield, stopped when a newer scan starts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateWorkspace } from '../../bench/gen';
import { parseInOrder, type ParseInOrderOptions } from '../../src/parallel/parse';
import { parseManifest, YAML_OPTIONS, type ManifestFile } from '../../src/core/parse/manifest';
import { decodeChunks, encodeChunks } from '../../src/core/parse/transfer';
import { checkWorkspace } from '../../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { CORPUS, filesUnder } from './corpus';
import { model } from './parse-model';

const inputs = () => [...filesUnder(path.resolve(__dirname, '../fixtures')), ...filesUnder(CORPUS)]
  .filter(f => /\.(ya?ml|json)$/i.test(f))
  .map(f => ({ file: path.relative(CORPUS, f), text: fs.readFileSync(f, 'utf8') }))
  .filter(f => f.text.length < 1_000_000);

test('documents decoded from their plain-data encoding equal the parse, on every fixture and corpus file', () => {
  let carried = 0;
  let parsedOnHost = 0;
  for (const { file, text } of inputs()) {
    const m = parseManifest(file, text);
    if (!m.chunks) continue;
    const encoded = encodeChunks(m.chunks);
    if (!encoded) {
      parsedOnHost++;
      continue;
    }
    // Through the structured clone a worker's message takes.
    const decoded = decodeChunks(m.text, structuredClone(encoded), YAML_OPTIONS)!;
    assert.deepEqual(decoded.map(c => [c.start, c.text]), m.chunks.map(c => [c.start, c.text]), file);
    assert.deepEqual(decoded.flatMap(c => c.docs).map(model), m.chunks.flatMap(c => c.docs).map(model), file);
    // Taken over by the workspace, they give the same objects and problems as a parse.
    const taken = parseManifest(file, text, { previous: { text, chunks: decoded } as unknown as ManifestFile });
    assert.deepEqual(taken.objects.map(o => [o.kind, o.name, o.namespace, o.span, o.nameSpan, o.labels]),
      m.objects.map(o => [o.kind, o.name, o.namespace, o.span, o.nameSpan, o.labels]), file);
    assert.deepEqual(taken.problems, m.problems, file);
    carried++;
  }
  assert.ok(carried > 500, `${carried} files carried`);
  // Files with syntax errors, merge keys or the like are parsed by the host: a minority.
  assert.ok(parsedOnHost < carried / 4, `${parsedOnHost} files left to the host`);
});

/** Every finding of a workspace, by file, as text. */
function findings(ws: Workspace): string[] {
  return [...checkWorkspace(ws)].flatMap(([file, list]) => list.map(f => `${file} ${f.rule} ${f.span.start}-${f.span.end} ${f.message}`)).sort();
}

const objectsOf = (ws: Workspace) => ws.objects.map(o => [o.file, o.kind, o.namespace, o.name, o.span]);

/** Loads `files` through the shared loader (src/parallel/parse.ts) as the CLI and the extension do. */
async function load(files: ReadonlyArray<{ file: string; text: string }>, options: Partial<ParseInOrderOptions> & { threads: number }) {
  const ws = new Workspace(DEFAULT_SETTINGS);
  const order: number[] = [];
  let handedOver = 0;
  const stats = await parseInOrder(files, {
    maxFileSize: DEFAULT_SETTINGS.maxFileSize,
    ...options,
    each: (i, previous) => {
      order.push(i);
      if (previous) handedOver++;
      ws.set(files[i]!.file, files[i]!.text, previous ? { previous } : {});
    },
  });
  return { ws, order, handedOver, stats };
}

const sequentialOf = (files: ReadonlyArray<{ file: string; text: string }>) => {
  const ws = new Workspace(DEFAULT_SETTINGS);
  for (const f of files) ws.set(f.file, f.text);
  return ws;
};

test('a workspace loaded on worker threads has the findings of one parsed on this thread', async () => {
  const files = [...inputs(), ...generateWorkspace(500).files.map(f => ({ file: f.path, text: f.text }))];
  const sequential = sequentialOf(files);
  const parallel = await load(files, { threads: 2, sliceMs: 10 });
  assert.deepEqual(parallel.order, files.map((_, i) => i), 'files are handed over in order');
  assert.ok(parallel.handedOver > 500, `${parallel.handedOver} files parsed by the workers`);
  assert.equal(parallel.stats.fromWorkers, parallel.handedOver);
  assert.equal(parallel.stats.onThisThread, files.length - parallel.handedOver);
  assert.deepEqual(parallel.stats.failures, []);
  assert.deepEqual(objectsOf(parallel.ws), objectsOf(sequential));
  const expected = findings(sequential);
  assert.ok(expected.length > 100);
  assert.deepEqual(findings(parallel.ws), expected);
});

test('when worker threads cannot start, every file is parsed on this thread, with the same findings', async () => {
  const files = generateWorkspace(500).files.map(f => ({ file: f.path, text: f.text }));
  const loaded = await load(files, { threads: 2, script: path.join(__dirname, 'no-such-parse-worker.js') });
  assert.equal(loaded.stats.failures.length, 2, loaded.stats.failures.join('; '));
  assert.equal(loaded.handedOver, 0);
  assert.equal(loaded.stats.onThisThread, files.length);
  assert.deepEqual(loaded.order, files.map((_, i) => i));
  const sequential = sequentialOf(files);
  assert.deepEqual(objectsOf(loaded.ws), objectsOf(sequential));
  assert.deepEqual(findings(loaded.ws), findings(sequential));
});

test('the hand-over yields between slices and a cancelled scan stops where it was', async () => {
  const files = generateWorkspace(100).files.map(f => ({ file: f.path, text: f.text }));
  assert.ok(files.length > 20);
  // A slice of 0 ms hands over one file per task: the caller's thread runs other tasks between them.
  const order: number[] = [];
  const ws = new Workspace(DEFAULT_SETTINGS);
  const loading = parseInOrder(files, { maxFileSize: DEFAULT_SETTINGS.maxFileSize, threads: 0, sliceMs: 0, each: i => { order.push(i); ws.set(files[i]!.file, files[i]!.text); } });
  assert.deepEqual(order, [0], 'one file in the first task');
  await new Promise(r => setImmediate(r));
  assert.ok(order.length < files.length, `${order.length} of ${files.length} files after one more turn`);
  const stats = await loading;
  assert.deepEqual(order, files.map((_, i) => i));
  assert.equal(stats.stopped, false);
  assert.deepEqual(objectsOf(ws), objectsOf(sequentialOf(files)));
  // A newer scan took over after 10 files: the rest is never handed over, and the workers stop.
  const seen: number[] = [];
  const cut = await parseInOrder(files, {
    maxFileSize: DEFAULT_SETTINGS.maxFileSize, threads: 2, sliceMs: 0, cancelled: () => seen.length >= 10, each: i => { seen.push(i); },
  });
  assert.equal(cut.stopped, true);
  assert.deepEqual(seen, files.slice(0, 10).map((_, i) => i));
});

test('files the caller already holds with that text go to no worker: only new files are parsed there', async () => {
  const files = generateWorkspace(100).files.map((f, i) => ({ file: f.path, text: f.text, known: i % 3 === 0 }));
  const seen: Array<[number, boolean]> = [];
  const stats = await parseInOrder(files, { maxFileSize: DEFAULT_SETTINGS.maxFileSize, threads: 2, each: (i, previous) => { seen.push([i, !!previous]); } });
  assert.deepEqual(seen, files.map((f, i) => [i, !f.known]));
  assert.equal(stats.fromWorkers, files.filter(f => !f.known).length);
  assert.equal(stats.onThisThread, files.filter(f => f.known).length);
});
