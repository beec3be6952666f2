// Kustomize and Helm in the editor: a base and a chart template get the findings of their renders,
// a hover in a base shows the object as each overlay renders it, Go to Definition and quick fixes
// work in the base (on the source, never the render), and the diagram draws the rendered objects
// and reveals their sources. The fixture
// (test/fixtures/render) is copied into examples/.render-test/ for the run, and the real helm and
// kubectl from .tools/bin (scripts/tools.mjs) are set as the renderers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KubeNetlensApi } from '../../src/extension';
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
    await waitFor(async () => { await api.render.settled; return api.render.renders.length === 3; }, 90000, { message: 'the two overlays and the chart rendered' });
  });

  after(async () => {
    await closeAllEditors();
    fs.rmSync(dir(), { recursive: true, force: true });
    await config().update('kustomizeCommand', undefined, vscode.ConfigurationTarget.Global);
    await config().update('helmCommand', undefined, vscode.ConfigurationTarget.Global);
  });

  const base = () => path.join(dir(), 'overlay-app', 'base', 'app.yaml');
  const selectorFindings = (d: readonly vscode.Diagnostic[]) => d.filter(x => ruleOf(x) === 'service-selector-matches-nothing');

  it('a finding of the overlays\' renders shows on the base file, once per overlay, naming it', async () => {
    const doc = await openDocument(base());
    const diags = await waitForDiagnostics(doc.uri, d => selectorFindings(d).length === 2, 60000);
    const found = selectorFindings(diags);
    for (const d of found) assert.equal(doc.getText(d.range), 'apii');
    assert.deepEqual(found.map(d => /namespace (\w+)/.exec(d.message)?.[1]).sort(), ['dev', 'prod']);
    assert.ok(found.some(d => /\(in overlay \.render-test\/overlay-app\/overlays\/dev\)$/.test(d.message)), found.map(d => d.message).join('\n'));
    assert.ok(found.some(d => /\(in overlay \.render-test\/overlay-app\/overlays\/prod\)$/.test(d.message)));
    // namePrefix does not rewrite an env value: http://api resolves in prod, not in dev.
    const dns = diags.filter(x => ruleOf(x) === 'dns-name-unresolved');
    assert.deepEqual(dns.map(d => [doc.getText(d.range), /\(in overlay .*\/(\w+)\)$/.exec(d.message)?.[1]]), [['api', 'dev']]);
    assert.ok(!diags.some(x => /yaml-syntax|helm-template/.test(ruleOf(x))));
  });

  it('the status bar counts on a base too: the renders\' objects and the problems they put on it', async () => {
    const api = (await activateExtension()) as KubeNetlensApi;
    const doc = await openDocument(base());
    const diags = await waitForDiagnostics(doc.uri, d => selectorFindings(d).length === 2, 60000);
    const text = await waitFor(() => api.status.text?.includes(`${diags.length} problems`) ? api.status.text : undefined, 10000, { message: `the status bar on the base (now ${api.status.text})` });
    const objects = Number(/NetLens: (\d+) objects/.exec(text)?.[1]);
    const rendered = api.render.renders.reduce((n, r) => n + r.workspace.objects.length, 0);
    assert.equal(objects, api.index.workspace.objects.length + rendered, text);
    assert.ok(rendered > 0);
  });

  it('a quick fix for a finding of a render edits the base, never the render', async () => {
    const doc = await openDocument(base());
    const d = selectorFindings(await waitForDiagnostics(doc.uri, x => selectorFindings(x).length === 2, 60000)).find(x => /namespace dev/.test(x.message))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find(a => /^Select Deployment dev\/dev-api \(app=api\)$/.test(a.title));
    assert.ok(fix?.edit, actions.map(a => a.title).join('\n'));
    const entries = fix.edit.entries();
    assert.deepEqual(entries.map(([uri]) => uri.toString()), [doc.uri.toString()], 'one edit, in the base');
    const [[, edits]] = entries as [[vscode.Uri, vscode.TextEdit[]]];
    assert.deepEqual(edits.map(e => [doc.getText(e.range), e.newText]), [['apii', 'api']]);
    // Applied, the base says what the fix promised.
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /selector: \{app: api\}/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.match(doc.getText(), /selector: \{app: apii\}/);
  });

  it('Go to Definition on a DNS name in the base goes to the Service the overlay renders, in the base', async () => {
    const doc = await openDocument(base());
    const pos = positionOf(doc, 'http://api:80', 0, 'http://'.length + 1);
    const links = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, pos);
      return l?.length ? l : undefined;
    }, 60000, { message: 'a definition for http://api' });
    assert.equal(links.length, 1);
    const link = links[0] as vscode.LocationLink;
    assert.equal(link.targetUri.toString(), doc.uri.toString(), 'the base file, not the render');
    const serviceName = doc.positionAt(doc.getText().indexOf('name: api\nspec:\n  selector: {app: apii}') + 'name: '.length);
    assert.ok(link.targetRange.contains(serviceName), `${JSON.stringify(link.targetRange)} holds the Service's name`);
    assert.equal(doc.getText(link.originSelectionRange!), 'api');
  });

  it('a hover in the base links to the Service in the base (not the render), and the link opens it', async () => {
    const doc = await openDocument(base());
    const pos = positionOf(doc, 'http://api:80', 0, 'http://'.length + 1);
    const text = await waitFor(async () => (await hoverTexts(doc.uri, pos)).find(h => /api\.prod\.svc\.cluster\.local/.test(h)), 60000, { message: 'a hover resolving api in prod' });
    assert.doesNotMatch(text, /#rendered/, 'no link into the render, which no editor opens');
    const link = /\[app\\\.yaml:19\]\(command:kubeNetlens\.reveal\?([^)]*)\)/.exec(text);
    assert.ok(link, text);
    // What a click on the link runs: the base opens with the Service's name selected.
    await closeAllEditors();
    await vscode.commands.executeCommand('kubeNetlens.reveal', ...(JSON.parse(decodeURIComponent(link[1]!)) as unknown[]));
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === doc.uri.toString() ? vscode.window.activeTextEditor : undefined, 10000, { message: 'the base opened' });
    assert.equal(editor.document.getText(editor.selection), 'api');
    assert.equal(editor.selection.start.line, 18);
  });

  it('typing in a base renders nothing; saving it renders the two overlays that use it, once each', async () => {
    const api = (await activateExtension()) as KubeNetlensApi;
    await api.render.settled;
    const doc = await openDocument(base());
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const before = api.render.rendersStarted;
    const at = positionOf(doc, 'image: api:1', 0, 'image: api:1'.length);
    for (let i = 0; i < 20; i++) assert.ok(await editor.edit(e => e.insert(at, '0'), { undoStopBefore: false, undoStopAfter: false }));
    // The index has taken every keystroke; any render they caused would have started by now.
    assert.ok(doc.isDirty);
    api.index.current(doc);
    await api.render.settled;
    assert.equal(api.render.rendersStarted, before, 'no render while typing');
    assert.ok(await doc.save());
    await waitFor(async () => { await api.render.settled; return api.render.rendersStarted === before + 2; }, 60000, { message: 'dev and prod rendered on save' });
    await api.render.settled;
    assert.equal(api.render.rendersStarted, before + 2, 'the chart is served from its cache');
    // Back to the fixture's text (saved: one more render of each overlay).
    assert.ok(await editor.edit(e => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original)));
    assert.ok(await doc.save());
    await waitFor(async () => { await api.render.settled; return api.render.rendersStarted === before + 4; }, 60000, { message: 'rendered again' });
  });

  it('a finding of a chart\'s render shows on the template line, and the template gets no YAML errors', async () => {
    const doc = await openDocument(path.join(dir(), 'chart', 'templates', 'app.yaml'));
    const diags = await waitForDiagnostics(doc.uri, d => d.some(x => ruleOf(x) === 'service-selector-matches-nothing'), 60000);
    const d = diags.find(x => ruleOf(x) === 'service-selector-matches-nothing')!;
    assert.equal(doc.getText(d.range), 'webb');
    assert.match(d.message, /\(in chart /);
    assert.ok(!diags.some(x => /yaml-syntax|helm-template/.test(ruleOf(x))), diags.map(x => x.message).join('\n'));
    // A template is not YAML: whether an edit there edits the render is not known, so no fix is offered.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(actions.filter(a => /^Select /.test(a.title)).map(a => a.title), []);
  });

  it('hovering the Service name in the base shows the name and namespace the overlay gives it', async () => {
    const doc = await openDocument(path.join(dir(), 'overlay-app', 'base', 'app.yaml'));
    const pos = positionOf(doc, 'name: api\nspec:\n  selector: {app: apii}', 0, 'name: '.length + 1);
    const text = await waitFor(async () => (await hoverTexts(doc.uri, pos)).find(h => /dev-api/.test(h)), 60000, { message: 'a hover naming dev-api' });
    assert.match(text, /Rendered in overlay .*overlays\/dev/);
    assert.match(text, /dev-api\.dev\.svc\.cluster\.local/);
    // Each overlay that uses the base: prod keeps the name, in its own namespace.
    assert.match(text, /Rendered in overlay .*overlays\/prod/);
    assert.match(text, /api\.prod\.svc\.cluster\.local/);
  });

  it('the diagram shows the rendered objects, rendered from their overlay or chart; a click reveals the base', async () => {
    const api = (await activateExtension()) as KubeNetlensApi;
    await vscode.commands.executeCommand('kubeNetlens.openDiagram');
    const node = (id: string) => api.diagramGraph()?.nodes.find(n => n.id === id);
    const dev = await waitFor(() => node('workload:dev/dev-api[Deployment]'), 60000, { message: 'the dev overlay\'s Deployment in the diagram' });
    assert.deepEqual(dev.renderedFrom, ['overlay .render-test/overlay-app/overlays/dev']);
    assert.deepEqual(node('workload:prod/api[Deployment]')?.renderedFrom, ['overlay .render-test/overlay-app/overlays/prod']);
    assert.deepEqual(node('service:default/web')?.renderedFrom, ['chart .render-test/chart, values .render-test/chart/values.yaml']);
    const baseUri = vscode.Uri.file(base()).toString();
    assert.equal(dev.source?.file, baseUri);
    assert.equal(node('workload:default/web[Deployment]')?.source?.file, vscode.Uri.file(path.join(dir(), 'chart', 'templates', 'app.yaml')).toString());
    assert.ok(api.diagramGraph()!.nodes.every(n => !n.source?.file.includes('#rendered')));
    // What the side panel's "Open in editor" posts: the base opens, the Deployment selected.
    for (const e of vscode.window.visibleTextEditors) e.selection = new vscode.Selection(0, 0, 0, 0);
    await api.diagramMessage({ type: 'reveal', file: dev.source!.file, span: dev.source!.span });
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === baseUri && !e.selection.isEmpty), 10000, { message: 'the base revealed' });
    assert.match(editor.document.getText(editor.selection), /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: api\n/);
  });
  it('a hover in a patch inline in a kustomization answers as in a base', async () => {
    const api = (await activateExtension()) as KubeNetlensApi;
    const overlay = path.join(dir(), 'overlay-app', 'overlays', 'patched');
    fs.mkdirSync(overlay, { recursive: true });
    const file = path.join(overlay, 'kustomization.yaml');
    fs.writeFileSync(file, ['resources:', '- ../../base', 'namespace: patched', 'patches:', '- patch: |-', '    apiVersion: apps/v1',
      '    kind: Deployment', '    metadata: {name: client}', '    spec:', '      template:', '        spec:', '          containers:',
      '          - name: client', '            env:', '            - {name: PATCHED_URL, value: http://api:8080}', ''].join('\n'));
    try {
      await vscode.commands.executeCommand('kubeNetlens.reindex');
      await waitFor(async () => { await api.render.settled; return api.render.renders.length === 4; }, 90000, { message: 'the patched overlay rendered' });
      const doc = await openDocument(file);
      const pos = positionOf(doc, 'http://api:8080', 0, 'http://'.length + 1);
      const text = await waitFor(async () => (await hoverTexts(doc.uri, pos)).find(h => /api\.patched\.svc\.cluster\.local/.test(h)), 60000, { message: 'a hover in the patch' });
      assert.match(text, /Rendered in overlay .*overlays\/patched/);
      // Port 8080 is not the Service's (80): the hover says so, from the render.
      assert.match(text, /\*\*Port `8080` is not exposed\*\*/);
      assert.match(text, /\[app\\\.yaml:19\]\(command:kubeNetlens\.reveal/);
    } finally {
      await closeAllEditors();
      fs.rmSync(overlay, { recursive: true, force: true });
      await vscode.commands.executeCommand('kubeNetlens.reindex');
      await waitFor(async () => { await api.render.settled; return api.render.renders.length === 3; }, 90000, { message: 'back to three renders' });
    }
  });
});
