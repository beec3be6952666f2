import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelector } from '../../src/core/parse/views/selectors';
import { Workspace, NAMESPACE_NAME_LABEL } from '../../src/core/workspace';
import { parseDocument } from 'yaml';

const deployment = (name: string, ns: string, labels: Record<string, string>) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  template:
    metadata:
      labels:
${Object.entries(labels).map(([k, v]) => `        ${k}: "${v}"`).join('\n')}
`;

const service = (name: string, ns: string, port = 80) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  ports:
    - port: ${port}
`;

const policy = (name: string, ns: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  podSelector: {}
`;

function selector(yamlText: string) {
  const doc = parseDocument(yamlText);
  return labelSelector(doc, doc.contents);
}

const names = (xs: readonly { object: { name: string } }[]) => xs.map(x => x.object.name);

test('workloadsIn, servicesIn and policiesIn list one namespace across files, in workspace order', () => {
  const ws = new Workspace();
  ws.set('b.yaml', `${deployment('web', 'shop', { app: 'web' })}---\n${service('web', 'shop')}---\n${deployment('db', 'data', { app: 'db' })}`);
  ws.set('a.yaml', `${deployment('api', 'shop', { app: 'api' })}---\n${policy('deny', 'shop')}`);
  assert.deepEqual(names(ws.workloadsIn('shop')), ['web', 'api']);
  assert.deepEqual(names(ws.workloadsIn('data')), ['db']);
  assert.deepEqual(names(ws.servicesIn('shop')), ['web']);
  assert.deepEqual(names(ws.policiesIn('shop')), ['deny']);
  assert.deepEqual(ws.workloadsIn('nowhere'), []);
  assert.deepEqual(ws.inNamespace('shop').objects.map(o => o.name), ['web', 'web', 'api', 'deny']);
});

test('the per-namespace lists agree with the whole-workspace lists after edits, moves and deletes', () => {
  const ws = new Workspace();
  ws.set('1.yaml', deployment('a', 'x', { app: 'a' }));
  ws.set('2.yaml', deployment('b', 'z', { app: 'b' }));
  ws.set('3.yaml', deployment('c', 'x', { app: 'c' }));
  assert.deepEqual(names(ws.workloadsIn('x')), ['a', 'c']);
  ws.set('1.yaml', deployment('a', 'z', { app: 'a' }));
  assert.deepEqual(names(ws.workloadsIn('x')), ['c']);
  assert.deepEqual(names(ws.workloadsIn('z')), ['a', 'b'], 'file 1 keeps its place before file 2');
  ws.delete('2.yaml');
  assert.deepEqual(names(ws.workloadsIn('z')), ['a']);
  ws.set('2.yaml', deployment('b', 'z', { app: 'b' }));
  assert.deepEqual(names(ws.workloadsIn('z')), ['a', 'b']);
  for (const ns of ['x', 'z']) {
    assert.deepEqual(ws.workloadsIn(ns), ws.workloads.filter(w => w.object.namespace === ns));
  }
});

test('an unchanged namespace keeps its slice; an edited one is rebuilt', () => {
  const ws = new Workspace();
  ws.set('x.yaml', deployment('a', 'x', { app: 'a' }));
  ws.set('y.yaml', deployment('b', 'z', { app: 'b' }));
  const x = ws.inNamespace('x');
  const y = ws.inNamespace('z');
  ws.set('y.yaml', deployment('b', 'z', { app: 'b2' }));
  assert.equal(ws.inNamespace('x'), x);
  assert.notEqual(ws.inNamespace('z'), y);
  assert.deepEqual(names(ws.workloadsWithLabel('z', 'app', 'b2')), ['b']);
  assert.deepEqual(ws.workloadsWithLabel('z', 'app', 'b'), []);
});

test('a file that leaves a namespace empties it and drops it from implied namespaces', () => {
  const ws = new Workspace();
  ws.set('f.yaml', deployment('a', 'gone', { app: 'a' }));
  assert.ok(ws.namespaces.has('gone'));
  ws.set('f.yaml', deployment('a', 'kept', { app: 'a' }));
  assert.ok(!ws.namespaces.has('gone'));
  assert.deepEqual(ws.workloadsIn('gone'), []);
  assert.deepEqual(ws.namespaces.get('kept')?.labels, { [NAMESPACE_NAME_LABEL]: 'kept' });
  ws.delete('f.yaml');
  assert.equal(ws.namespaces.size, 0);
});

test('namespaces lists declared ones with labels and implied ones in order of first appearance', () => {
  const ws = new Workspace();
  ws.set('apps.yaml', `${deployment('a', 'second', { app: 'a' })}---\n${deployment('b', 'first', { app: 'b' })}`);
  ws.set('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n  labels:\n    team: t\n');
  assert.deepEqual([...ws.namespaces.keys()], ['first', 'second']);
  assert.deepEqual(ws.namespaces.get('first')?.labels, { team: 't', [NAMESPACE_NAME_LABEL]: 'first' });
  const implied = new Workspace();
  implied.set('apps.yaml', `${deployment('a', 'second', { app: 'a' })}---\n${deployment('b', 'first', { app: 'b' })}`);
  assert.deepEqual([...implied.namespaces.keys()], ['second', 'first']);
});

test('service(ns, name) finds the first definition and follows edits', () => {
  const ws = new Workspace();
  ws.set('a.yaml', service('api', 'shop', 80));
  ws.set('b.yaml', service('api', 'shop', 81));
  assert.equal(ws.service('shop', 'api')?.ports[0]?.port, 80);
  assert.equal(ws.service('shop', 'api'), ws.services.find(s => s.object.namespace === 'shop' && s.object.name === 'api'));
  ws.delete('a.yaml');
  assert.equal(ws.service('shop', 'api')?.ports[0]?.port, 81);
  assert.equal(ws.service('other', 'api'), undefined);
});

test('workloadsSelectedBy applies exact selector semantics through the label index', () => {
  const ws = new Workspace();
  ws.set('w.yaml', [
    deployment('web', 'shop', { app: 'web', tier: 'frontend' }),
    deployment('api', 'shop', { app: 'api', tier: 'backend' }),
    deployment('db', 'shop', { app: 'db', tier: 'data' }),
    deployment('other', 'elsewhere', { app: 'web', tier: 'frontend' }),
  ].join('---\n'));
  const sel = (text: string) => names(ws.workloadsSelectedBy('shop', selector(text)));
  assert.deepEqual(sel('matchLabels: {app: web}'), ['web']);
  assert.deepEqual(sel('matchLabels: {app: web, tier: backend}'), []);
  assert.deepEqual(sel('matchExpressions: [{key: tier, operator: In, values: [frontend, data]}]'), ['web', 'db']);
  assert.deepEqual(sel('matchExpressions: [{key: tier, operator: NotIn, values: [frontend]}]'), ['api', 'db']);
  assert.deepEqual(sel('matchLabels: {app: api}\nmatchExpressions: [{key: tier, operator: In, values: [backend, data]}]'), ['api']);
  assert.deepEqual(sel('{}'), ['web', 'api', 'db']);
  assert.deepEqual(sel('matchExpressions: [{key: tier, operator: Exists}]'), ['web', 'api', 'db']);
  for (const text of ['matchLabels: {tier: data}', 'matchExpressions: [{key: app, operator: In, values: [web, nope]}]']) {
    const s = selector(text);
    assert.deepEqual(ws.workloadsSelectedBy('shop', s), ws.workloadsIn('shop').filter(w =>
      Object.entries(s.matchLabels).every(([k, v]) => w.podLabels[k] === v) &&
      s.matchExpressions.every(r => r.values.includes(w.podLabels[r.key] ?? ''))));
  }
});

test('settings changes drop the namespace slices', () => {
  const ws = new Workspace();
  ws.set('x.yaml', deployment('a', 'x', { app: 'a' }));
  const before = ws.inNamespace('x');
  ws.updateSettings({ ...ws.settings });
  assert.notEqual(ws.inNamespace('x'), before);
  assert.deepEqual(names(ws.workloadsIn('x')), ['a']);
});

test('workloadsOfService is shared per namespace slice and follows edits of that namespace only', () => {
  const ws = new Workspace();
  const svc = (ns: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    app: web
  ports:
    - port: 80
`;
  ws.set('/svc-a.yaml', svc('a'));
  ws.set('/svc-b.yaml', svc('b'));
  ws.set('/web-a.yaml', deployment('web', 'a', { app: 'web' }));
  const [sa, sb] = ws.services;
  const names = (s: typeof sa) => ws.workloadsOfService(s!).map(w => w.object.name);
  const first = ws.workloadsOfService(sa!);
  assert.deepEqual(names(sa), ['web']);
  assert.equal(ws.workloadsOfService(sa!), first, 'asked again: the same list');
  assert.ok(Object.isFrozen(first));
  assert.deepEqual(names(sb), []);
  // An edit in namespace b leaves a's list; one in a recomputes it.
  ws.set('/web-b.yaml', deployment('web2', 'b', { app: 'web' }));
  assert.equal(ws.workloadsOfService(sa!), first);
  assert.deepEqual(names(sb), ['web2']);
  ws.set('/web-a.yaml', deployment('web', 'a', { app: 'other' }));
  assert.deepEqual(names(sa), []);
  ws.set('/more-a.yaml', deployment('api', 'a', { app: 'web' }));
  assert.deepEqual(names(sa), ['api']);
});
