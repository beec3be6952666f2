// The features as a user meets them in the editor, on the demo workspace (examples/), through the
// same commands VS Code itself calls: hover, definition, diagnostics, code actions.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeNetlensApi } from '../../src/extension';
import { activateExtension, closeAllEditors, hoverTexts, openDocument, openUntitled, positionOf, waitFor, waitForDiagnostics, workspacePath } from './helpers';

const ours = (d: vscode.Diagnostic[]) => d.filter(x => x.source === 'kube-netlens');
const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/** Polls the hover at the first occurrence of `text` (plus `offset`) until one mentions `expect`. */
async function hoverAt(doc: vscode.TextDocument, text: string, expect: RegExp, offset = 1): Promise<string> {
  const pos = positionOf(doc, text, 0, offset);
  return waitFor(async () => (await hoverTexts(doc.uri, pos)).find(h => expect.test(h)), 20000, { message: `a hover on "${text}" matching ${expect}` });
}

describe('hovers, definitions, diagnostics and quick fixes on examples/', function () {
  this.timeout(60000);
  before(async () => { await activateExtension(); });
  afterEach(closeAllEditors);

  it('hovering a DNS name shows where it resolves and what is behind it', async () => {
    const doc = await openDocument(workspacePath('shop/api.yaml'));
    const text = await hoverAt(doc, 'postgres.data:5432', /postgres\.data\.svc\.cluster\.local/, 3);
    assert.match(text, /Service `data\/postgres` \(headless\)/);
    assert.match(text, /data\/postgres\[StatefulSet\]/);
    assert.match(text, /NXDOMAIN/, 'the search steps show the first candidate failing');
  });

  it('hovering a per-pod name resolves to the StatefulSet pod', async () => {
    const doc = await openDocument(workspacePath('shop/api.yaml'));
    const text = await hoverAt(doc, 'postgres-0.postgres.data', /postgres-0\.postgres\.data\.svc\.cluster\.local/);
    assert.match(text, /StatefulSet/);
  });

  it('hovering the podSubnet shows the range facts', async () => {
    const doc = await openDocument(workspacePath('cluster/kubeadm.yaml'));
    const text = await hoverAt(doc, '10.244.0.0/16', /65,536 addresses/);
    assert.match(text, /last `10\.244\.255\.255`/);
    assert.match(text, /256 nodes at \/24/);
  });

  it('hovering a policy peer lists the workloads it selects', async () => {
    const doc = await openDocument(workspacePath('policies/data.yaml'));
    const text = await hoverAt(doc, 'team: storefront', /shop\/api\[Deployment\]/, 2);
    assert.match(text, /AND|and/);
  });

  it('hovers checked against the DNS specification and CoreDNS: per-pod names under a ClusterIP Service, ExternalName to an IP, pod records, ipBlock host bits', async () => {
    const doc = await openUntitled([
      'apiVersion: v1', 'kind: Service', 'metadata: {name: kv, namespace: audit}', 'spec:', '  selector: {app: kv}', '  ports: [{name: redis, port: 6379}]', '---',
      'apiVersion: v1', 'kind: Service', 'metadata: {name: byip, namespace: audit}', 'spec:', '  type: ExternalName', '  externalName: 192.0.2.7', '---',
      'apiVersion: apps/v1', 'kind: StatefulSet', 'metadata: {name: kv, namespace: audit}', 'spec:', '  serviceName: kv', '  replicas: 2',
      '  selector: {matchLabels: {app: kv}}', '  template:', '    metadata: {labels: {app: kv}}', '    spec:', '      containers:', '        - name: kv', '          image: redis:7',
      '          env:', '            - {name: PEER, value: "kv-1.kv:6379"}', '            - {name: LEGACY_HOST, value: byip}',
      '            - {name: POD_URL, value: "http://10-1-2-3.audit.pod.cluster.local:8080/"}', '---',
      'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: out, namespace: audit}', 'spec:', '  podSelector: {}',
      '  egress:', '    - to: [{ipBlock: {cidr: 10.0.0.1/8}}]', '',
    ].join('\n'));
    const perPod = await hoverAt(doc, 'kv-1.kv:6379', /kv-1\.kv\.audit\.svc\.cluster\.local/);
    assert.match(perPod, /pod 1 of StatefulSet/);
    assert.match(perPod, /CoreDNS answers them/);
    const byIP = await hoverAt(doc, 'byip}', /does not resolve/);
    assert.match(byIP, /names the IP address 192\\?\.0\\?\.2\\?\.7/);
    const pod = await hoverAt(doc, '10-1-2-3.audit.pod', /may answer 10\\?\.1\\?\.2\\?\.3/);
    assert.match(pod, /pods option/);
    const block = await hoverAt(doc, '10.0.0.1/8', /host bits are set/);
    assert.match(block, /The API server accepts it with a warning/);
  });

  it('Go to Definition on a DNS name jumps to the Service', async () => {
    const doc = await openDocument(workspacePath('shop/api.yaml'));
    const links = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'cache:6379', 0, 1));
    assert.equal(links.length, 1);
    const l = links[0]!;
    const uri = 'targetUri' in l ? l.targetUri : l.uri;
    assert.match(uri.path, /shop\/cache\.yaml$/);
    const target = await vscode.workspace.openTextDocument(uri);
    const range = 'targetRange' in l ? l.targetRange : l.range;
    assert.equal(target.getText(range), 'cache');
  });

  it('a diagnostic appears with its rule id, its quick fix applies, and it clears', async () => {
    const doc = await openDocument(workspacePath('policies/shop.yaml'));
    const diags = await waitForDiagnostics(doc.uri, d => ours(d).some(x => ruleOf(x) === 'cidr-host-bits'), 20000);
    const d = ours(diags).find(x => ruleOf(x) === 'cidr-host-bits')!;
    assert.equal(doc.getText(d.range), '203.0.113.7/24');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match((d.code as { target: vscode.Uri }).target.path, /docs\/rules\/cidr-host-bits\.md$/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find(a => a.title.includes('203.0.113.0/24'));
    assert.ok(fix?.edit, `a quick fix among ${actions.map(a => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /cidr: 203\.0\.113\.0\/24/);
    await waitForDiagnostics(doc.uri, ds => !ours(ds).some(x => ruleOf(x) === 'cidr-host-bits'), 20000);
  });

  it('the quick fix for a blocked DNS reference edits the policy file, and the warning on the caller clears', async () => {
    const api = await openDocument(workspacePath('shop/api.yaml'));
    const blocked = (d: vscode.Diagnostic[]) => ours(d).filter(x => ruleOf(x) === 'dns-reference-blocked-by-policy');
    const [d] = blocked(await waitForDiagnostics(api.uri, x => blocked(x).length === 1, 20000));
    assert.equal(api.getText(d!.range), 'cache:6379');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', api.uri, d!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find(a => a.title === 'Allow TCP 6379 from shop/api to shop/cache in NetworkPolicy shop/api');
    assert.ok(fix?.edit, actions.map(a => a.title).join('\n'));
    assert.deepEqual(fix.edit.entries().map(([uri]) => vscode.workspace.asRelativePath(uri)), ['policies/shop.yaml']);
    const policies = await vscode.workspace.openTextDocument(workspacePath('policies/shop.yaml'));
    const before = policies.getText();
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      // The policy file still parses (no syntax finding) and the caller's warning is gone.
      await waitForDiagnostics(api.uri, x => blocked(x).length === 0, 20000);
      assert.ok(!ours(vscode.languages.getDiagnostics(policies.uri)).some(x => ruleOf(x) === 'yaml-syntax'));
      assert.match(policies.getText(), /- to:\n {8}- podSelector:\n {12}matchLabels:\n {14}app: cache\n {6}ports:\n {8}- protocol: TCP\n {10}port: 6379\n/);
    } finally {
      const restore = new vscode.WorkspaceEdit();
      restore.replace(policies.uri, new vscode.Range(policies.positionAt(0), policies.positionAt(policies.getText().length)), before);
      await vscode.workspace.applyEdit(restore);
      if (policies.isDirty) await policies.save();
    }
  });

  it('the status bar counts objects and problems of the file, and shows no partial count while the workspace is indexed', async () => {
    const api = (await activateExtension()) as KubeNetlensApi;
    const doc = await openDocument(workspacePath('shop/api.yaml'));
    const problems = () => ours(vscode.languages.getDiagnostics(doc.uri)).length;
    await waitForDiagnostics(doc.uri, d => ours(d).length > 0, 20000);
    const counted = `NetLens: ${api.index.workspace.objects.length} objects · ${problems()} problem${problems() === 1 ? '' : 's'}`;
    await waitFor(() => api.status.text?.endsWith(counted), 10000, { message: `the status bar to say ${counted} (it says ${api.status.text})` });
    // A re-index: while it runs, switching editors shows no count (it would be partial).
    const scan = api.index.rescan();
    await openDocument(workspacePath('shop/cache.yaml'));
    const during = api.index.isScanning ? api.status.text : null;
    await scan;
    await waitFor(() => api.status.text?.includes('objects'), 10000, { message: 'the count back after the scan' });
    assert.equal(during ?? undefined, undefined, `while indexing: ${during}`);
  });

  it('editing a second file clears a cross-file diagnostic', async () => {
    const service = await openUntitled([
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: ghost', '  namespace: shop', 'spec:',
      '  selector:', '    app: ghost', '  ports:', '    - port: 80', '',
    ].join('\n'));
    await waitForDiagnostics(service.uri, d => ours(d).some(x => ruleOf(x) === 'service-selector-matches-nothing'), 20000);
    const deployment = await openUntitled([
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: ghost', '  namespace: shop', 'spec:',
      '  selector:', '    matchLabels:', '      app: phantom', '  template:', '    metadata:', '      labels:', '        app: phantom',
      '    spec:', '      containers:', '        - name: ghost', '          image: ghost:1', '',
    ].join('\n'));
    const editor = await vscode.window.showTextDocument(deployment);
    // Rename the Deployment's pod labels to what the Service selects: the Service's warning clears.
    const text = deployment.getText();
    await editor.edit(e => {
      for (let i = text.indexOf('phantom'); i >= 0; i = text.indexOf('phantom', i + 1)) {
        e.replace(new vscode.Range(deployment.positionAt(i), deployment.positionAt(i + 'phantom'.length)), 'ghost');
      }
    });
    await waitForDiagnostics(service.uri, d => !ours(d).some(x => ruleOf(x) === 'service-selector-matches-nothing'), 20000);
  });

  it('half-typed YAML gets a syntax diagnostic at its range and the rest keeps working', async () => {
    const doc = await openUntitled('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: [web\n');
    const diags = await waitForDiagnostics(doc.uri, d => ours(d).some(x => ruleOf(x) === 'yaml-syntax'), 20000);
    assert.equal(ours(diags).find(x => ruleOf(x) === 'yaml-syntax')!.severity, vscode.DiagnosticSeverity.Error);
  });
});
