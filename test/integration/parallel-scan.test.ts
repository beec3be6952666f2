// The extension's first scan of files it does not hold yet parses them on worker threads
// (src/parallel/parse.ts, dist/parse-worker.js) and gives the diagnostics a scan on the extension
// host gives. The test generates the bench's synthetic 2,000-object workspace (about 1 MB of text;
// the index's threshold for workers, 5 MB, is lowered to 512 KB for the test) into examples/.parallel-scan/, takes it out of the index and
// back in through `kubeNetlens.exclude` (each time a first scan of those files), once with the
// workers and once with a worker script that cannot start (the host fallback), and compares the
// indexed objects and the published diagnostics of six generated files it opens first and keeps open
// (VS Code keeps a closed editor's document for a while, and the index keeps an open document's
// text, so both scans see them alike). How a scan parsed its files is read from the index's
// `lastScan`, when the opened files are analysed from `diagnostics.pending` (the extension's API).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateWorkspace } from '../../bench/gen';
import type { KubeNetlensApi } from '../../src/extension';
import { activateExtension, closeAllEditors, openDocument, waitFor, workspaceDir, writeFiles } from './helpers';

const OBJECTS = 2000;
const FOLDER = '.parallel-scan';
/** Files opened to compare their diagnostics. */
const OPENED = 6;

const config = () => vscode.workspace.getConfiguration('kubeNetlens');

describe('first scan on worker threads', function () {
  this.timeout(300000);
  const dir = () => path.join(workspaceDir(), FOLDER);
  const generated = generateWorkspace(OBJECTS);
  let api: KubeNetlensApi;
  const generatedObjects = () => api.index.workspace.objects.filter(o => o.file.includes(`/${FOLDER}/`));
  /** The generated objects as the index holds them: file, kind, namespace, name, span. */
  const snapshot = () => generatedObjects().map(o => `${o.file} ${o.kind} ${o.namespace}/${o.name} ${o.span.start}-${o.span.end}`).sort();

  /** The generated files opened to compare their diagnostics. */
  const opened = () => generated.files.slice(0, OPENED).map(f => vscode.Uri.file(path.join(dir(), f.path)));
  const isOpened = (file: string) => opened().some(u => u.toString() === file);

  /**
   * Takes the generated files out of the index and scans them in again: a first scan of those files
   * (the opened ones stay: the editor's text wins). Resolves when the scan is done and the opened
   * files' diagnostics are analysed against its workspace.
   */
  async function scanThemAgain() {
    await config().update('exclude', [`**/${FOLDER}/**`], vscode.ConfigurationTarget.Global);
    await waitFor(() => !api.index.isScanning && generatedObjects().every(o => isOpened(o.file)), 120000, { message: 'the generated files out of the index' });
    await config().update('exclude', undefined, vscode.ConfigurationTarget.Global);
    // The scan's end fires the index's change, which schedules the analyses in the same task.
    await waitFor(() => !api.index.isScanning && generatedObjects().length === generated.objects && api.diagnostics.pending === 0, 180000,
      { message: `${generated.objects} generated objects indexed and the opened files analysed` });
    return api.index.lastScan!;
  }

  /** The published diagnostics of the opened files, as text. */
  function diagnosticsOfOpened(): string[] {
    return opened().flatMap(uri => vscode.languages.getDiagnostics(uri).map(d => {
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
      return `${path.basename(uri.fsPath)} ${code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
    })).sort();
  }

  before(async () => {
    api = (await activateExtension()) as KubeNetlensApi;
    api.index.minParallelChars = 512 * 1024;
    writeFiles(dir(), generated.files);
    await vscode.commands.executeCommand('kubeNetlens.reindex');
    await waitFor(() => !api.index.isScanning && generatedObjects().length === generated.objects, 180000, { message: 'the generated workspace indexed' });
  });

  after(async () => {
    if (api) {
      api.index.parseWorkerScript = undefined;
      api.index.minParallelChars = undefined;
    }
    await closeAllEditors();
    await config().update('exclude', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir(), { recursive: true, force: true });
    await vscode.commands.executeCommand('kubeNetlens.reindex');
    await api?.index.ready;
  });

  it('parses the new files on workers, and a host scan (workers cannot start) gives the same objects and diagnostics', async () => {
    // Opened first and kept open through both scans, so both build the workspace in the same order.
    for (const uri of opened()) await openDocument(uri.fsPath);

    const onWorkers = await scanThemAgain();
    assert.ok(onWorkers.threads >= 2, `worker threads started: ${JSON.stringify(onWorkers)}`);
    assert.deepEqual(onWorkers.failures, []);
    // Every generated file not open is new to the index and plain data: each is parsed by a worker;
    // the files the index already holds (the examples) are set again without a parse.
    assert.equal(onWorkers.fromWorkers, generated.files.length - OPENED, JSON.stringify(onWorkers));
    assert.equal(onWorkers.onThisThread, onWorkers.files - onWorkers.fromWorkers);
    assert.ok(Number.isFinite(onWorkers.longestTaskMs) && onWorkers.longestTaskMs >= 0);
    const objectsFromWorkers = snapshot();
    const fromWorkers = diagnosticsOfOpened();
    // Every generated file has findings (the bench's workspace is built with some on each).
    for (const uri of opened()) assert.ok(fromWorkers.some(d => d.startsWith(`${path.basename(uri.fsPath)} `)), `no diagnostics for ${uri.fsPath}`);

    // The host path: the worker script cannot start.
    api.index.parseWorkerScript = path.join(dir(), 'no-such-parse-worker.js');
    const onHost = await scanThemAgain();
    api.index.parseWorkerScript = undefined;
    assert.ok(onHost.threads >= 2);
    assert.equal(onHost.failures.length, onHost.threads, JSON.stringify(onHost));
    assert.equal(onHost.fromWorkers, 0);
    assert.equal(onHost.onThisThread, onHost.files);
    assert.deepEqual(snapshot(), objectsFromWorkers);
    assert.deepEqual(diagnosticsOfOpened(), fromWorkers);
  });
});
