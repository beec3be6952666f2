/**
 * The first scan on worker threads builds the workspace a sequential scan builds: documents carried
 * across threads (src/core/parse/transfer.ts) equal a parse in every detail, and the CLI's parallel
 * load gives the same findings, file by file, as parsing on one thread.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateWorkspace } from '../../bench/gen';
import { parseInWorkers } from '../../src/cli/parallel';
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

test('a workspace loaded on worker threads has the findings of one parsed on this thread', async () => {
  const files = [...inputs(), ...generateWorkspace(500).files.map(f => ({ file: f.path, text: f.text }))];
  const sequential = new Workspace(DEFAULT_SETTINGS);
  for (const f of files) sequential.set(f.file, f.text);
  const parallel = new Workspace(DEFAULT_SETTINGS);
  const order: number[] = [];
  let handedOver = 0;
  await parseInWorkers(files, DEFAULT_SETTINGS.maxFileSize, 2, (i, previous) => {
    order.push(i);
    if (previous) handedOver++;
    parallel.set(files[i]!.file, files[i]!.text, previous ? { previous } : {});
  });
  assert.deepEqual(order, files.map((_, i) => i), 'files are handed over in order');
  assert.ok(handedOver > 500, `${handedOver} files parsed by the workers`);
  assert.deepEqual(parallel.objects.map(o => [o.file, o.kind, o.namespace, o.name, o.span]),
    sequential.objects.map(o => [o.file, o.kind, o.namespace, o.name, o.span]));
  const expected = findings(sequential);
  assert.ok(expected.length > 100);
  assert.deepEqual(findings(parallel), expected);
});
