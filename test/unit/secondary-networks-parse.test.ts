/**
 * Secondary networks (Multus) as np-guard parses them: the pod annotation
 * `k8s.v1.cni.cncf.io/networks` in both its forms, a MultiNetworkPolicy's
 * `k8s.v1.cni.cncf.io/policy-for`, and NetworkAttachmentDefinition objects. Parsing only; the
 * engine does not analyse secondary networks yet.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  networkAttachmentDefinitionView, networkAttachments, policyForTargets,
} from '../../src/core/parse/networks';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

test('networks annotation, comma form: [ns/]name[@ifname], trimmed, last of a name wins', () => {
  assert.deepEqual(networkAttachments(' blue , other/red@net1,blue'), [
    { name: 'blue', namespace: undefined, ips: [] },
    { name: 'red', namespace: 'other', ips: [] },
  ]);
  assert.deepEqual(networkAttachments(''), []);
});

test('networks annotation, JSON form: name, namespace, ips; entries without a name are skipped', () => {
  assert.deepEqual(
    networkAttachments('[{"name":"l2-network","ips":["10.0.0.5/24"]},{"name":"x","namespace":"ns2"},{"namespace":"ns3"}]'),
    [
      { name: 'l2-network', namespace: undefined, ips: ['10.0.0.5/24'] },
      { name: 'x', namespace: 'ns2', ips: [] },
    ],
  );
  assert.equal(networkAttachments('[{"name": broken'), undefined);
});

test('policy-for: a comma list of name or ns/name; missing or empty is undefined', () => {
  assert.deepEqual(policyForTargets('l2-network,ns2/other'), [
    { name: 'l2-network', namespace: undefined },
    { name: 'other', namespace: 'ns2' },
  ]);
  assert.equal(policyForTargets(''), undefined);
  assert.equal(policyForTargets(undefined), undefined);
});

test('NetworkAttachmentDefinition objects are read by kind (np-guard does not check the group)', () => {
  const ws = new Workspace({ ...DEFAULT_SETTINGS });
  ws.set('nad.yaml', `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: l2-network, namespace: ns1}
spec:
  config: '{"cniVersion": "0.3.1", "type": "bridge"}'
---
apiVersion: example.com/v1
kind: NetworkAttachmentDefinition
metadata: {name: other, namespace: ns1}
`);
  const views = ws.objects.flatMap(o => { const v = networkAttachmentDefinitionView(o); return v ? [v] : []; });
  assert.deepEqual(views.map(v => [v.name, v.namespace]), [['l2-network', 'ns1'], ['other', 'ns1']]);
});
