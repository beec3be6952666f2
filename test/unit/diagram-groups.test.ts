// Groups inside one namespace (src/webview/groups.ts, view.ts): YAML in, the key and groups chosen,
// and what a collapsed group draws.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildGraph } from '../../src/core/graph/build';
import type { GraphNode, NetworkGraph } from '../../src/core/graph/model';
import { Workspace } from '../../src/core/workspace';
import { groupNamespace, subgroupParent } from '../../src/webview/groups';
import { layoutView } from '../../src/webview/layout';
import { measureDrawing } from '../../src/webview/metrics';
import { DEFAULT_VIEW, deriveView } from '../../src/webview/view';
import { generateWorkspace } from '../../bench/diagram-workspace';
import { CORPUS, filesUnder } from './corpus';

const workload = (name: string, labels: Record<string, string>, kind = 'Deployment', ns = 'x', env = '') => {
  const l = `{${Object.entries({ pod: name, ...labels }).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
  const spec = kind === 'StatefulSet' ? `  serviceName: ${name}\n` : '';
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}  selector: {matchLabels: {pod: ${name}}}\n  template:\n    metadata: {labels: ${l}}\n    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]${env}}]}`;
};
const service = (name: string, selector: string, ns = 'x') => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {${selector}}\n  ports: [{port: 80}]`;

function graphOf(...docs: string[]): NetworkGraph {
  const ws = new Workspace();
  ws.set('app.yaml', docs.join('\n---\n'));
  return buildGraph(ws);
}
const workloadsOf = (g: NetworkGraph, ns = 'x'): GraphNode[] => g.nodes.filter(n => n.kind === 'workload' && n.namespace === ns).sort((a, b) => (a.id < b.id ? -1 : 1));
/** The chosen key and each group as `label: member names`. */
function grouping(g: NetworkGraph, ns = 'x') {
  const ws = workloadsOf(g, ns);
  const r = groupNamespace(`ns:${ns}`, ws);
  const name = new Map(ws.map(n => [n.id, n.label]));
  return r && { key: r.key, groups: r.groups.map(x => `${x.label}${x.outer ? ' (groups)' : ''}: ${x.members.map(m => name.get(m)).join(' ')}`) };
}

test('group keys: the coarsest application label that cuts the namespace into groups', () => {
  // Two applications (part-of), each of several components: part-of wins.
  const shop = ['web', 'api', 'db'].map(c => workload(`shop-${c}`, { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/component': c }));
  const blog = ['web', 'db', 'worker'].map(c => workload(`blog-${c}`, { 'app.kubernetes.io/part-of': 'blog', 'app.kubernetes.io/component': c }));
  assert.deepEqual(grouping(graphOf(...shop, ...blog)), { key: 'app.kubernetes.io/part-of', groups: ['blog: blog-db blog-web blog-worker', 'shop: shop-api shop-db shop-web'] });
  // One application (part-of the same everywhere): the next key that cuts it, the application's
  // name, read from app.kubernetes.io/name, app or k8s-app.
  const one = [
    workload('a1', { 'app.kubernetes.io/part-of': 'all', 'app.kubernetes.io/name': 'alpha' }), workload('a2', { 'app.kubernetes.io/part-of': 'all', app: 'alpha' }),
    workload('b1', { 'app.kubernetes.io/part-of': 'all', 'k8s-app': 'beta' }), workload('b2', { 'app.kubernetes.io/part-of': 'all', app: 'beta' }),
    workload('b3', { 'app.kubernetes.io/part-of': 'all', app: 'beta' }), workload('lone', { 'app.kubernetes.io/part-of': 'all', app: 'lone' }),
  ];
  assert.deepEqual(grouping(graphOf(...one)), { key: 'app', groups: ['alpha: a1 a2', 'beta: b1 b2 b3'] });
  // The same workloads read in another order: the same groups.
  assert.deepEqual(grouping(graphOf(...[...one].reverse())), grouping(graphOf(...one)));
});

test('group keys: kind, then the family of the names, when no label cuts the namespace; none when nothing does', () => {
  const kinds = [...['a', 'b', 'c'].map(n => workload(`db-${n}`, {}, 'StatefulSet')), ...['p', 'q', 'r'].map(n => workload(`web${n}`, {}))];
  assert.deepEqual(grouping(graphOf(...kinds)), { key: 'kind', groups: ['Deployment: webp webq webr', 'StatefulSet: db-a db-b db-c'] });
  // All Deployments: by the names' first word when that cuts them, else two words (and the ones left
  // alone by fewer words: cart-x and cart-y beside cart-api-*).
  const names = ['cart-api-1', 'cart-api-2', 'cart-api-3', 'cart-ui-1', 'cart-ui-2', 'cart-x', 'cart-y', 'pay-1'].map(n => workload(n, {}));
  assert.deepEqual(grouping(graphOf(...names)), { key: 'name', groups: [
    'cart-*: cart-x cart-y', 'cart-api-*: cart-api-1 cart-api-2 cart-api-3', 'cart-ui-*: cart-ui-1 cart-ui-2',
    // The group of those groups (the family one word shorter), collapsed only when collapsing them all is not enough.
    'cart-* (groups): cart-api-1 cart-api-2 cart-api-3 cart-ui-1 cart-ui-2 cart-x cart-y',
  ] });
  // A label on every workload but one value each (app per workload), one kind, names without a
  // family: no group (the synthetic workspaces, Online Boutique).
  assert.equal(grouping(graphOf(...['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta'].map(n => workload(n, { app: n })))), undefined);
  // One group holding more than three quarters: not a useful cut.
  assert.equal(grouping(graphOf(...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(n => workload(`s-${n}`, {}, 'StatefulSet')), workload('w-a', {}), workload('w-b', {}))), undefined);
  // Fewer than six workloads: not grouped.
  assert.equal(grouping(graphOf(...['a', 'b', 'c', 'd', 'e'].map(n => workload(`x-${n}`, {}, n < 'c' ? 'StatefulSet' : 'Deployment')))), undefined);
  // The synthetic 200 workloads (an app label each, one kind, svc-N names): no namespace grouped.
  assert.equal(deriveView(buildGraph(generateWorkspace(200)), DEFAULT_VIEW).subgroups.size, 0);
});

test('group keys of cloudnative-pg: default (44 Clusters, 2 Poolers, no application label) by the family of the names', () => {
  const ws = new Workspace();
  for (const f of filesUnder(path.join(CORPUS, 'realworld/cloudnative-pg__cloudnative-pg')).filter(f => /\.ya?ml$/.test(f))) ws.set(f, fs.readFileSync(f, 'utf8'));
  const g = buildGraph(ws);
  const r = grouping(g, 'default')!;
  assert.equal(r.key, 'name');
  assert.deepEqual(r.groups.map(x => `${x.split(':')[0]} ${x.split(': ')[1]!.split(' ').length}`), [
    'cluster-* 4', 'cluster-clone-* 2', 'cluster-dc-* 2', 'cluster-example-* 18', 'cluster-replica-* 6', 'cluster-restore-* 4', 'pg-backup-* 5', 'pooler-* 2', 'postgresql-* 2',
    'cluster-* (groups) 36',
  ]);
  // cnpg-system (one workload) and ingress-nginx are not grouped.
  assert.equal(grouping(g, 'cnpg-system'), undefined);
});

test('a collapsed group is one box: its members, their Service and the edges inside it gone, edges to it merged with counts, the others kept', () => {
  const env = (url: string) => `, env: [{name: U, value: "${url}"}]`;
  const g = graphOf(
    workload('api-a', {}, 'Deployment', 'x', env('http://db:80')), workload('api-b', {}, 'Deployment', 'x', env('http://db:80')), workload('api-c', {}, 'Deployment', 'x', env('http://web-svc:80')),
    workload('web-1', { role: 'web' }), workload('web-2', { role: 'web' }), workload('web-3', { role: 'web' }),
    workload('db', {}, 'StatefulSet'),
    service('db', 'pod: db'), service('web-svc', 'role: web'),
    workload('caller', {}, 'Deployment', 'other', env('http://web-svc.x:80')),
  );
  const id = 'grp:ns:x/web';
  const open = deriveView(g, { ...DEFAULT_VIEW, mode: 'dependencies' });
  assert.deepEqual([...open.subgroups.keys()].sort(), ['grp:ns:x/api', id]);
  assert.equal(subgroupParent(id), 'ns:x');
  const v = deriveView(g, { ...DEFAULT_VIEW, mode: 'dependencies', collapsed: [id] });
  const ids = new Set(v.nodes.map(n => n.id));
  // The box stands for web-1..3 and the Service that selects only them.
  assert.ok(ids.has(id) && !ids.has('workload:x/web-1[Deployment]') && !ids.has('service:x/web-svc'));
  assert.ok(ids.has('workload:x/api-a[Deployment]') && ids.has('service:x/db'));
  const box = v.nodes.find(n => n.id === id)!;
  assert.equal(box.label, 'web-*');
  assert.equal(box.parent, 'ns:x');
  // api-c's reference to web-svc now ends at the box; every drawn edge ends at a drawn node.
  assert.ok(v.edges.some(e => e.kind === 'dns' && e.source === 'workload:x/api-c[Deployment]' && e.target === id));
  assert.ok(v.edges.every(e => ids.has(e.source) && ids.has(e.target)));
  // From namespace other, the reference is aggregated between the namespaces as before.
  assert.deepEqual(v.aggregates.map(a => [a.source, a.target, a.dns]), [['ns:other', 'ns:x', 1]]);
  // Collapsing the api group too: its two references to db merge into one edge of 2, its member ids kept.
  const both = deriveView(g, { ...DEFAULT_VIEW, mode: 'dependencies', collapsed: [id, 'grp:ns:x/api'] });
  const merged = both.edges.filter(e => e.source === 'grp:ns:x/api');
  assert.deepEqual(merged.map(e => [e.target, e.label]).sort(), [[id, 'web-svc:80'], ['service:x/db', '2 DNS refs']]);
  const mergedId = merged.find(e => e.label === '2 DNS refs')!.id;
  assert.equal(both.merged.get(mergedId)!.length, 2);
  const layout = layoutView(both, undefined, undefined, { aspect: 1 });
  const m = measureDrawing({ nodes: layout.nodes, edges: [...layout.edges].map(([eid, geom]) => ({ id: eid, pts: geom.pts, ...endsOf(both, eid) })), labels: [...layout.labels.values()] });
  assert.equal(m.edgesThroughNodes, 0);
  assert.equal(m.overlappingLabels, 0);
  // Expanded again (the id out of `collapsed`): the members are back and outlined.
  const again = layoutView(open, undefined, undefined, { aspect: 1 });
  assert.deepEqual([...again.subframes.keys()].sort(), ['grp:ns:x/api', id]);
});

function endsOf(v: ReturnType<typeof deriveView>, id: string): { source: string; target: string } {
  const e = v.edges.find(x => x.id === id);
  if (e) return { source: e.source, target: e.target };
  const a = v.aggregates.find(x => x.id === id)!;
  return { source: a.source, target: a.target };
}
