// Loose files beside Kustomize and Helm renders, in the editor: the diagnostics of the loose files and
// of the render sources equal what `kube-netlens check` reports on the same workspace (file, rule,
// range, severity, message). The fixture (test/fixtures/render-loose, copied into
// examples/.render-loose-test/ for the run) has loose Services and a policy whose pods only an overlay
// and a chart put next to them (judged alone they "select nothing"), and a base policy for pods only
// a loose file makes. A keystroke in a loose file renders nothing again.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KubeNetlensApi } from '../../src/extension';
import { activateExtension, closeAllEditors, openDocument, waitFor, workspaceDir } from './helpers';

const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const SEVERITY = ['error', 'warning', 'info', 'hint'];

interface CliFinding { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; rule: string; message: string }

describe('loose files beside renders: the editor reports what check reports', function () {
  this.timeout(120000);
  const repo = () => path.resolve(workspaceDir(), '..');
  const bin = () => path.join(repo(), '.tools', 'bin');
  const dir = () => path.join(workspaceDir(), '.render-loose-test');
  const config = () => vscode.workspace.getConfiguration('kubeNetlens');
  const FILES = ['loose/storefront.yaml', 'loose/tooling.yaml', 'storefront/base/web.yaml', 'chart/templates/api.yaml'];
  let api: KubeNetlensApi;

  before(async () => {
    api = (await activateExtension()) as KubeNetlensApi;
    assert.ok(fs.existsSync(path.join(bin(), 'kubectl')), 'run scripts/tools.mjs first (npm run test:integration does)');
    await config().update('kustomizeCommand', `${path.join(bin(), 'kubectl')} kustomize`, vscode.ConfigurationTarget.Global);
    await config().update('helmCommand', path.join(bin(), 'helm'), vscode.ConfigurationTarget.Global);
    fs.cpSync(path.join(repo(), 'test', 'fixtures', 'render-loose'), dir(), { recursive: true });
    await vscode.commands.executeCommand('kubeNetlens.reindex');
    await waitFor(async () => { await api.render.settled; return api.render.renders.length === 2; }, 90000, { message: 'the overlay and the chart rendered' });
  });

  after(async () => {
    await closeAllEditors();
    fs.rmSync(dir(), { recursive: true, force: true });
    await vscode.commands.executeCommand('kubeNetlens.reindex');
    await waitFor(async () => { await api.render.settled; return api.render.renders.length === 0; }, 30000, { message: 'the renders gone' });
    await config().update('kustomizeCommand', undefined, vscode.ConfigurationTarget.Global);
    await config().update('helmCommand', undefined, vscode.ConfigurationTarget.Global);
  });

  /** What `kube-netlens check` (the built CLI, the same tools) reports on the fixture's files, as lines. */
  function cliFindings(): string[] {
    const run = spawnSync(process.execPath, [path.join(repo(), 'dist', 'cli.js'), 'check', '.', '-o', 'json'], {
      cwd: workspaceDir(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PATH: `${bin()}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    assert.ok(run.status === 0 || run.status === 1, `check failed (${run.status}): ${run.stderr}`);
    const prefix = `${path.basename(dir())}/`;
    return (JSON.parse(run.stdout) as CliFinding[]).filter(f => f.file.startsWith(prefix) && FILES.includes(f.file.slice(prefix.length)))
      .map(f => `${f.file.slice(prefix.length)}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.rule} ${f.message}`).sort();
  }

  /** The published diagnostics of the fixture's files, as the same lines. */
  function editorFindings(): string[] {
    return FILES.flatMap(f => vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir(), f))).map(d =>
      `${f}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${SEVERITY[d.severity]} ${ruleOf(d)} ${d.message}`)).sort();
  }

  /** Waits until nothing is left to analyse, then until the editor's findings are `expected`. */
  async function expectEditor(expected: string[], what: string): Promise<void> {
    let last: string[] | undefined;
    try {
      await waitFor(async () => {
        await api.render.settled;
        if (api.index.isScanning || api.diagnostics.pending || api.render.rendering) return false;
        last = editorFindings();
        return JSON.stringify(last) === JSON.stringify(expected);
      }, 60000, { message: `${what}: the editor's findings equal check's` });
    } catch (e) {
      // Timed out: say how the last settled state differed (or that it never settled).
      assert.deepEqual(last, expected, `${what}: the editor's findings (actual) differ from check's (expected)`);
      throw e;
    }
  }

  it('loose files and render sources get exactly check\'s findings', async () => {
    const expected = cliFindings();
    // Only the Service that selects nothing anywhere: the others select the overlay's and the chart's pods.
    assert.equal(expected.length, 1, expected.join('\n'));
    assert.match(expected[0]!, /^loose\/tooling\.yaml:\d+:\d+-\d+:\d+ warning service-selector-matches-nothing selector app=nothing /);
    for (const f of FILES) await openDocument(path.join(dir(), f));
    await expectEditor(expected, 'opened');
  });

  it('a keystroke in a loose file keeps check\'s findings and renders nothing again', async () => {
    const doc = await openDocument(path.join(dir(), 'loose/storefront.yaml'));
    const expected = cliFindings();
    const renders = api.render.rendersStarted;
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('image: front') + 'image: front'.length;
    for (const ch of '-v2') {
      assert.ok(await editor.edit(e => e.insert(doc.positionAt(at + doc.getText().slice(at).indexOf('\n')), ch)));
    }
    await expectEditor(expected, 'typed');
    assert.equal(api.render.rendersStarted, renders, 'no render started by typing');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
