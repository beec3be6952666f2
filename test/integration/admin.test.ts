// Cluster-wide tiers in the editor: an AdminNetworkPolicy typed into an untitled document joins the
// workspace of examples/; its subject's hover lists the workloads it applies to, and the namespace
// NetworkPolicy whose allow it overrides gets the diagnostic, with the admin rule as related location.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverTexts, openDocument, openUntitled, positionOf, waitFor, waitForDiagnostics, workspacePath } from './helpers';

const ours = (d: vscode.Diagnostic[]) => d.filter(x => x.source === 'kube-netlens');
const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

const ANP = [
  'apiVersion: policy.networking.k8s.io/v1alpha1',
  'kind: AdminNetworkPolicy',
  'metadata:',
  '  name: guard-data',
  'spec:',
  '  priority: 10',
  '  subject:',
  '    namespaces:',
  '      matchLabels:',
  '        team: data',
  '  ingress:',
  '  - name: deny-storefront',
  '    action: Deny',
  '    from:',
  '    - namespaces:',
  '        matchLabels:',
  '          team: storefront',
  '',
].join('\n');

describe('AdminNetworkPolicy in the editor', function () {
  this.timeout(60000);
  before(async () => { await activateExtension(); });
  afterEach(closeAllEditors);

  it('hovering the subject lists the workloads it applies to', async () => {
    const doc = await openUntitled(ANP);
    const pos = positionOf(doc, 'team: data', 0, 1);
    // Polls until the index holds the examples' workloads (the first answer may come before the scan ends).
    const text = await waitFor(async () => (await hoverTexts(doc.uri, pos)).find(h => /data\/postgres\[StatefulSet\]/.test(h)), 20000, { message: 'a hover on the subject listing data/postgres' });
    assert.match(text, /admin tier, priority 10\) applies to 1 workload/);
  });

  it('a NetworkPolicy allow that an admin Deny overrides gets a diagnostic pointing at the admin rule', async () => {
    const anp = await openUntitled(ANP);
    const np = await openDocument(workspacePath('policies/data.yaml'));
    const diags = await waitForDiagnostics(np.uri, d => ours(d).some(x => ruleOf(x) === 'netpol-overridden-by-admin-deny'), 20000);
    const d = ours(diags).find(x => ruleOf(x) === 'netpol-overridden-by-admin-deny')!;
    assert.equal(np.getText(d.range), 'from');
    assert.equal(d.range.start.line, np.getText().split('\n').findIndex(l => l.includes('- from:')));
    assert.match(d.message, /AdminNetworkPolicy 'guard-data' denies all of it first by rule deny-storefront/);
    const related = d.relatedInformation ?? [];
    assert.ok(related.some(r => r.location.uri.toString() === anp.uri.toString()), 'related location on the admin rule');
  });
});
