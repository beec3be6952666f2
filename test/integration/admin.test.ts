// Cluster-wide tiers in the editor: an AdminNetworkPolicy typed into an untitled document joins the
// workspace of examples/; its subject's hover lists the workloads it applies to, and the namespace
// NetworkPolicy whose allow it overrides gets the diagnostic, with the admin rule as related location;
// the diagram marks the flow an admin Allow decides and the DNS reference an admin Deny blocks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverTexts, openDocument, openUntitled, positionOf, waitFor, waitForDiagnostics, workspacePath } from './helpers';

interface Edge { id: string; kind: string; source: string; target: string; label: string; status?: string; decidedBy?: string; explanation?: string[] }
interface Api {
  diagramGraph(): { edges: Edge[] } | undefined;
  diagramMessage(m: { type: 'explain'; edgeId: string }): Promise<void>;
  diagramExplanation(): { edgeId: string; lines: readonly string[] } | undefined;
}

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

// The api's ingress into postgres on 5432 is admitted by an admin Allow (the NetworkPolicy would also
// admit it, so only the tier marks the difference); frontend's DNS reference is not involved.
const ANP_ALLOW = [
  'apiVersion: policy.networking.k8s.io/v1alpha1',
  'kind: AdminNetworkPolicy',
  'metadata:',
  '  name: admit-api',
  'spec:',
  '  priority: 20',
  '  subject:',
  '    namespaces:',
  '      matchLabels:',
  '        team: data',
  '  ingress:',
  '  - name: allow-api',
  '    action: Allow',
  '    from:',
  '    - pods:',
  '        namespaceSelector:',
  '          matchLabels:',
  '            team: storefront',
  '        podSelector:',
  '          matchLabels:',
  '            app: api',
  '    ports:',
  '    - portNumber:',
  '        protocol: TCP',
  '        port: 5432',
  '',
].join('\n');

const API = 'workload:shop/api[Deployment]';
const POSTGRES = 'workload:data/postgres[StatefulSet]';

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
    assert.match(d.message, /an admin-tier Deny decides all of it first \(shop\/api\[Deployment\] => data\/postgres\[StatefulSet\] on TCP 5432: AdminNetworkPolicy 'guard-data' denies connections by Ingress rule deny-storefront\)/);
    const related = d.relatedInformation ?? [];
    assert.ok(related.some(r => r.location.uri.toString() === anp.uri.toString()), 'related location on the admin rule');
  });

  it('the diagram marks the flow an admin Allow decides and the DNS edge an admin Deny blocks', async () => {
    const api = (await activateExtension()) as Api;
    await vscode.commands.executeCommand('kubeNetlens.openDiagram');
    const flowOf = (g: { edges: Edge[] } | undefined) => g?.edges.find(e => e.kind === 'flow' && e.source === API && e.target === POSTGRES);
    // Before any admin policy: the NetworkPolicies alone admit api -> postgres, and no tier is named.
    const before = await waitFor(() => flowOf(api.diagramGraph()), 30000, { message: 'the diagram with the api -> postgres flow' });
    assert.equal(before.decidedBy, undefined);

    await openUntitled(ANP_ALLOW);
    const flow = await waitFor(() => { const f = flowOf(api.diagramGraph()); return f?.decidedBy ? f : undefined; }, 30000, { message: 'the api -> postgres flow decided by the admin tier' });
    assert.equal(flow.decidedBy, 'admin');
    assert.equal(flow.label, 'TCP 5432');
    // The explanation is asked for when the flow is opened in the page, as the page does.
    await api.diagramMessage({ type: 'explain', edgeId: flow.id });
    const explained = api.diagramExplanation();
    assert.equal(explained?.edgeId, flow.id);
    assert.ok(explained.lines.some(l => l.includes('admit-api') && l.includes('allow-api')), explained.lines.join('\n'));
    await closeAllEditors();

    // An admin Deny of the storefront: the flow is gone and the DNS reference postgres.data:5432 is
    // red, denied by the admin rule (not by a NetworkPolicy).
    await openUntitled(ANP);
    await vscode.commands.executeCommand('kubeNetlens.openDiagram');
    const dns = await waitFor(() => {
      const g = api.diagramGraph();
      if (!g || flowOf(g)) return undefined;
      return g.edges.find(e => e.kind === 'dns' && e.source === API && e.label === 'postgres.data:5432' && e.status === 'blocked');
    }, 30000, { message: 'the DNS edge to postgres.data:5432 blocked by the admin Deny' });
    assert.ok(dns.explanation!.some(l => /denied at ingress by AdminNetworkPolicy 'guard-data' rule deny-storefront/.test(l)), dns.explanation!.join('\n'));
  });
});
