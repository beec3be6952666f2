// A file created or changed on disk while the extension runs is indexed through the file watcher,
// and obeys the exclusion the scan uses: under `kubeNetlens.exclude` it stays out, as the scan's
// `findFiles` would leave it; beside it, a file not excluded comes in.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KubeNetlensApi } from '../../src/extension';
import { activateExtension, waitFor, workspaceDir } from './helpers';

const FOLDER = '.watcher-exclude';
const config = () => vscode.workspace.getConfiguration('kubeNetlens');
const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  v: "${value}"\n`;

describe('file watcher and kubeNetlens.exclude', function () {
  this.timeout(120000);
  const dir = () => path.join(workspaceDir(), FOLDER);
  let api: KubeNetlensApi;
  /** Writes through VS Code's file system (the watcher hears of it as of any change on disk). */
  const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.file(path.join(dir(), rel)), new TextEncoder().encode(text));
  const named = (name: string) => api.index.workspace.objects.filter(o => o.name === name);

  before(async () => {
    api = (await activateExtension()) as KubeNetlensApi;
    // The folders exist before the watcher is asked about files in them.
    for (const sub of ['skipped', 'kept']) await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.join(dir(), sub)));
    await config().update('exclude', [`**/${FOLDER}/skipped/**`], vscode.ConfigurationTarget.Global);
    await waitFor(() => !api.index.isScanning, 60000, { message: 'the rescan after the exclude setting' });
  });

  after(async () => {
    fs.rmSync(dir(), { recursive: true, force: true });
    await config().update('exclude', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('kubeNetlens.reindex');
    await api?.index.ready;
  });

  it('a created or changed file under the exclude stays out of the index; one beside it comes in', async () => {
    // Both files' events come in one batch of the watcher; the second round's kept file is indexed
    // long after the first round's excluded file was heard of, so the check after it is settled.
    await write('skipped/cm.yaml', configMap('watch-skipped', 'one'));
    await write('kept/cm.yaml', configMap('watch-kept', 'one'));
    await waitFor(() => named('watch-kept').length === 1, 60000, { message: 'the created file beside the excluded one indexed' });
    assert.deepEqual(named('watch-skipped').map(o => o.file), []);

    await write('skipped/cm.yaml', configMap('watch-skipped', 'two'));
    await write('kept/cm.yaml', configMap('watch-kept', 'two'));
    await waitFor(() => named('watch-kept').some(o => api.index.workspace.get(o.file)?.manifest.text.includes('"two"')), 60000,
      { message: 'the changed file beside the excluded one indexed again' });
    assert.deepEqual(named('watch-skipped').map(o => o.file), []);
  });
});
