// Kustomize and Helm in the editor: a base and a chart template get the findings of their renders,
// and a hover in a base shows the object as the overlay renders it. The fixture
// (test/fixtures/render) is copied into examples/.render-test/ for the run, and the real helm and
// kubectl from .tools/bin (scripts/tools.mjs) are set as the renderers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverTexts, openDocument, positionOf, waitFor, waitForDiagnostics, workspaceDir } from './helpers';

const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

describe('Kustomize overlays and Helm charts, rendered', function () {
  this.timeout(120000);
  const repo = () => path.resolve(workspaceDir(), '..');
  const dir = () => path.join(workspaceDir(), '.render-test');
  const config = () => vscode.workspace.getConfiguration('kubeNetlens');

  before(async () => {
    await activateExtension();
    const bin = path.join(repo(), '.tools', 'bin');
    assert.ok(fs.existsSync(path.join(bin, 'kubectl')), 'run scripts/tools.mjs first (npm run test:integration does)');
    await config().update('kustomizeCommand', `${path.join(bin, 'kubectl')} kustomize`, vscode.ConfigurationTarget.Global);
    await config().update('helmCommand', path.join(bin, 'helm'), vscode.ConfigurationTarget.Global);
    fs.cpSync(path.join(repo(), 'test', 'fixtures', 'render'), dir(), { recursive: true });
    // Files appear one by one to the watcher; a re-index sees them all at once.
    await vscode.commands.executeCommand('kubeNetlens.reindex');
    const api = (await activateExtension()) as { render: { renders: unknown[]; settled: Promise<void> } };
    await waitFor(async () => { await api.render.settled; return api.render.renders.length === 2; }, 90000, { message: 'the overlay and the chart rendered' });
  });

  after(async () => {
    await closeAllEditors();
    fs.rmSync(dir(), { recursive: true, force: true });
    await config().update('kustomizeCommand', undefined, vscode.ConfigurationTarget.Global);
    await config().update('helmCommand', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a finding of the overlay\'s render shows on the base file, naming the overlay', async () => {
    const doc = await openDocument(path.join(dir(), 'overlay-app', 'base', 'app.yaml'));
    const diags = await waitForDiagnostics(doc.uri, d => d.some(x => ruleOf(x) === 'service-selector-matches-nothing'), 60000);
    const d = diags.find(x => ruleOf(x) === 'service-selector-matches-nothing')!;
    assert.equal(doc.getText(d.range), 'apii');
    assert.match(d.message, /namespace dev/);
    assert.match(d.message, /\(in overlay .*overlays\/dev\)$/);
    assert.ok(!diags.some(x => /yaml-syntax|helm-template/.test(ruleOf(x))));
  });

  it('a finding of a chart\'s render shows on the template line, and the template gets no YAML errors', async () => {
    const doc = await openDocument(path.join(dir(), 'chart', 'templates', 'app.yaml'));
    const diags = await waitForDiagnostics(doc.uri, d => d.some(x => ruleOf(x) === 'service-selector-matches-nothing'), 60000);
    const d = diags.find(x => ruleOf(x) === 'service-selector-matches-nothing')!;
    assert.equal(doc.getText(d.range), 'webb');
    assert.match(d.message, /\(in chart /);
    assert.ok(!diags.some(x => /yaml-syntax|helm-template/.test(ruleOf(x))), diags.map(x => x.message).join('\n'));
  });

  it('hovering the Service name in the base shows the name and namespace the overlay gives it', async () => {
    const doc = await openDocument(path.join(dir(), 'overlay-app', 'base', 'app.yaml'));
    const pos = positionOf(doc, 'name: api\nspec:\n  selector: {app: apii}', 0, 'name: '.length + 1);
    const text = await waitFor(async () => (await hoverTexts(doc.uri, pos)).find(h => /dev-api/.test(h)), 60000, { message: 'a hover naming dev-api' });
    assert.match(text, /Rendered in overlay .*overlays\/dev/);
    assert.match(text, /dev-api\.dev\.svc\.cluster\.local/);
  });
});
