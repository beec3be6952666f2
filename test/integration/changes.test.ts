// "What does this change do to connectivity": an unsaved edit of a policy in the demo workspace
// (examples/, committed in git), compared with HEAD through the command; the diagram's changes
// mode marks the flows and the CodeLens on the edited file counts them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openDocument, waitFor } from './helpers';

interface Edge { id: string; source: string; target: string; change?: string; label: string; explanation?: string[] }
interface Api {
  diagramGraph(): { edges: Edge[]; notes: string[] } | undefined;
}

describe('connectivity changes vs HEAD', function () {
  this.timeout(90000);
  let api: Api;
  before(async () => { api = (await activateExtension()) as Api; });
  after(async () => {
    await vscode.commands.executeCommand('kubeNetlens.hideChanges');
    await closeAllEditors();
  });

  it('an edited policy: the compare command, the diagram in changes mode and the CodeLens agree', async () => {
    const doc = await openDocument('policies/data.yaml');
    const text = doc.getText();
    try {
      await editAndCompare(doc, text);
    } finally {
      // Put the committed text back and leave the buffer clean, whatever closing the editor does with it.
      const restore = new vscode.WorkspaceEdit();
      restore.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      await vscode.workspace.applyEdit(restore);
      if (doc.isDirty) await doc.save();
    }
  });

  async function editAndCompare(doc: vscode.TextDocument, text: string): Promise<void> {
    assert.ok(text.includes('- port: postgres') && text.includes('  ingress:\n'), 'examples/policies/data.yaml as committed');
    const edit = new vscode.WorkspaceEdit();
    // Narrow the api rule to another port (api loses its flow) and admit 10.0.0.0/8 (a new flow).
    const port = text.indexOf('- port: postgres');
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(port), doc.positionAt(port + '- port: postgres'.length)), '- port: 5433');
    const ingress = text.indexOf('  ingress:\n') + '  ingress:\n'.length;
    edit.insert(doc.uri, doc.positionAt(ingress), '    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n');
    assert.ok(await vscode.workspace.applyEdit(edit));

    let last: unknown;
    const counts = await waitFor(async () => {
      const c = await vscode.commands.executeCommand<{ added: number; removed: number; changed: number }>('kubeNetlens.compareWithBase', 'HEAD');
      last = c;
      return c && c.added === 1 && c.removed === 1 ? c : undefined;
    }, 30000, { message: 'the comparison with HEAD to count the edit' }).catch(e => { throw new Error(`${(e as Error).message}; last answer ${JSON.stringify(last)}`); });
    assert.deepEqual(counts, { added: 1, removed: 1, changed: 0 });

    const graph = await waitFor(() => {
      const g = api.diagramGraph();
      return g && g.edges.some(e => e.change === 'removed') ? g : undefined;
    }, 30000, { message: 'the diagram in changes mode' });
    const removed = graph.edges.find(e => e.change === 'removed')!;
    assert.equal(removed.id, 'flow:workload:shop/api[Deployment]->workload:data/postgres[StatefulSet]');
    assert.equal(removed.label, 'TCP 5432');
    assert.ok(removed.explanation!.some(l => /^At HEAD:$/.test(l)), removed.explanation!.join('\n'));
    const added = graph.edges.find(e => e.change === 'added')!;
    assert.equal(added.target, 'workload:data/postgres[StatefulSet]');
    assert.equal(added.label, 'All Connections');
    assert.ok(graph.notes.some(n => n === 'Connectivity changes vs HEAD: +1 flow, \u22121 flow.'), graph.notes.join('\n'));

    const lens = await waitFor(async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return lenses.find(l => l.command?.title.startsWith('Uncommitted edits:'));
    }, 30000, { message: 'the CodeLens counting the uncommitted edits' });
    assert.equal(lens.command!.title, 'Uncommitted edits: +1 flow, \u22121 flow · show changes');
    assert.equal(lens.command!.command, 'kubeNetlens.compareWithBase');
  }
});
