import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, getExtension, openDocument, waitFor, workspaceDir, yamlFiles } from './helpers';

describe('extension activation', () => {
  afterEach(closeAllEditors);

  it('is installed in the editor', () => {
    const ext = getExtension();
    assert.equal(ext.packageJSON.name, 'kube-netlens');
  });

  it('runs with the examples/ folder open', () => {
    assert.match(workspaceDir(), /[\\/]examples$/);
  });

  it('activates when a YAML file of examples/ is opened', async () => {
    const files = yamlFiles();
    assert.ok(files.length > 0, `no YAML file in ${workspaceDir()}`);
    const doc = await openDocument(files[0]!);
    assert.equal(doc.languageId, 'yaml');
    const ext = getExtension();
    await waitFor(() => ext.isActive, 15000, { message: 'kube-netlens to activate' });
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, doc.uri.fsPath);
  });
});
