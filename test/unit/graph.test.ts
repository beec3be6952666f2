import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildGraph } from '../../src/core/graph/build';
import { groupId, ingressId, INGRESS_CONTROLLER_ID, serviceId, workloadId, type NetworkGraph } from '../../src/core/graph/model';
import { nodeIdOfObject, objectAt, selectedWorkloads } from '../../src/core/graph/selection';
import type { GraphSources } from '../../src/core/graph/sources';
import { Workspace } from '../../src/core/workspace';
import { CORPUS, filesUnder } from './corpus';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const BOUTIQUE = path.join(CORPUS, 'apps/microservices-demo');

function load(...dirs: string[]): Workspace {
  const ws = new Workspace();
  for (const d of dirs) {
    for (const f of filesUnder(d).filter(f => /\.(ya?ml|json)$/.test(f))) ws.set(f, fs.readFileSync(f, 'utf8'));
  }
  return ws;
}

const edgePairs = (g: NetworkGraph, kind: string) => g.edges.filter(e => e.kind === kind).map(e => `${e.source} -> ${e.target}`).sort();
const node = (g: NetworkGraph, id: string) => {
  const n = g.nodes.find(x => x.id === id);
  assert.ok(n, `no node ${id}`);
  return n;
};

test('examples: groups, nodes and Service/Ingress edges', () => {
  const g = buildGraph(load(EXAMPLES), {}, {});
  assert.deepEqual(g.groups.map(x => x.id), ['ns:data', 'ns:shop']);
  assert.deepEqual(g.nodes.filter(n => n.kind === 'workload').map(n => n.id).sort(), [
    workloadId('data', 'StatefulSet', 'postgres'),
    workloadId('shop', 'Deployment', 'api'),
    workloadId('shop', 'Deployment', 'cache'),
    workloadId('shop', 'Deployment', 'frontend'),
  ]);
  assert.deepEqual(edgePairs(g, 'selects'), [
    `${serviceId('data', 'postgres')} -> ${workloadId('data', 'StatefulSet', 'postgres')}`,
    `${serviceId('shop', 'api')} -> ${workloadId('shop', 'Deployment', 'api')}`,
    `${serviceId('shop', 'cache')} -> ${workloadId('shop', 'Deployment', 'cache')}`,
    `${serviceId('shop', 'frontend')} -> ${workloadId('shop', 'Deployment', 'frontend')}`,
  ]);
  assert.deepEqual(edgePairs(g, 'routes'), [
    `${INGRESS_CONTROLLER_ID} -> ${ingressId('shop', 'Ingress', 'shop')}`,
    `${ingressId('shop', 'Ingress', 'shop')} -> ${serviceId('shop', 'frontend')}`,
  ]);
  const fe = node(g, workloadId('shop', 'Deployment', 'frontend'));
  assert.equal(fe.replicas, 3);
  assert.equal(fe.parent, groupId('shop'));
  assert.equal(fe.objectKind, 'Deployment');
  assert.ok(fe.source && fe.source.file.endsWith('shop/frontend.yaml'));
  assert.deepEqual(fe.policies?.map(p => p.name), ['default-deny', 'allow-dns', 'frontend']);
  assert.equal(node(g, INGRESS_CONTROLLER_ID).parent, undefined);
});

test('examples: isolation and exposure badges follow the policies', () => {
  const g = buildGraph(load(EXAMPLES), {}, {});
  const api = node(g, workloadId('shop', 'Deployment', 'api'));
  assert.deepEqual([...api.badges].sort(), ['egress-isolated', 'ingress-isolated']);
  // frontend admits port http from every source: every namespace, and the internet.
  const fe = node(g, workloadId('shop', 'Deployment', 'frontend'));
  assert.ok(fe.badges.includes('exposed-all-namespaces'));
  assert.ok(fe.badges.includes('exposed-internet'));
  // postgres is isolated for ingress only: egress stays open.
  const pg = node(g, workloadId('data', 'StatefulSet', 'postgres'));
  assert.deepEqual([...pg.badges].sort(), ['egress-open', 'ingress-isolated']);
});

test('the graph is serialisable and node ids are unique', () => {
  const g = buildGraph(load(EXAMPLES), {}, {});
  assert.deepEqual(JSON.parse(JSON.stringify(g)), g);
  assert.equal(new Set(g.nodes.map(n => n.id)).size, g.nodes.length);
  assert.equal(new Set(g.edges.map(e => e.id)).size, g.edges.length);
  const ids = new Set(g.nodes.map(n => n.id));
  for (const e of g.edges) assert.ok(ids.has(e.source) && ids.has(e.target), e.id);
  for (const n of g.nodes) if (n.parent) assert.ok(g.groups.some(gr => gr.id === n.parent), n.id);
});

test('microservices-demo: every Service selects its Deployment; deny-all isolates everything', () => {
  const g = buildGraph(load(path.join(BOUTIQUE, 'release'), path.join(BOUTIQUE, 'kustomize-network-policies')), {}, {});
  const selects = edgePairs(g, 'selects');
  // 12 Services over 12 Deployments: frontend has two (frontend, frontend-external), loadgenerator none.
  assert.equal(selects.length, 12);
  assert.ok(!selects.some(e => e.includes('loadgenerator')));
  assert.ok(selects.includes(`${serviceId('default', 'frontend-external')} -> ${workloadId('default', 'Deployment', 'frontend')}`));
  assert.ok(selects.includes(`${serviceId('default', 'redis-cart')} -> ${workloadId('default', 'Deployment', 'redis-cart')}`));
  // Only frontend's policy admits every source (`ingress: [{}]`): it alone is exposed.
  for (const w of g.nodes.filter(n => n.kind === 'workload')) {
    assert.ok(w.badges.includes('ingress-isolated') && w.badges.includes('egress-isolated'), w.id);
    const exposed = w.label === 'frontend';
    assert.equal(w.badges.includes('exposed-internet'), exposed, w.id);
    assert.equal(w.badges.includes('exposed-all-namespaces'), exposed, w.id);
  }
});

test('microservices-demo without policies: every workload is open and exposed', () => {
  const g = buildGraph(load(path.join(BOUTIQUE, 'release')), {}, {});
  for (const w of g.nodes.filter(n => n.kind === 'workload')) {
    assert.deepEqual([...w.badges].sort(), ['egress-open', 'exposed-all-namespaces', 'exposed-internet', 'ingress-open'], w.id);
  }
});

const fakeSources = (ws: Workspace): GraphSources => {
  const w = (name: string) => ws.workloads.find(x => x.object.name === name)!;
  return {
    flows: () => ({
      reading: 'external',
      flows: [
        { src: { kind: 'workload', workload: w('frontend') }, dst: { kind: 'workload', workload: w('api') }, label: 'TCP 8080', explanation: ['shop/frontend egress rule 1', 'shop/api ingress rule 1'] },
        { src: { kind: 'external', range: '0.0.0.0-255.255.255.255' }, dst: { kind: 'workload', workload: w('frontend') }, label: 'TCP 8080', explanation: [] },
        { src: { kind: 'ingress-controller' }, dst: { kind: 'workload', workload: w('frontend') }, label: 'TCP 8080', explanation: [] },
      ],
    }),
    dns: () => [
      { file: 'f', span: { start: 1, end: 5 }, host: 'cache', port: 6379, from: w('api'), service: { namespace: 'shop', name: 'cache' }, allowed: false, explanation: ['blocked by shop/api'] },
      { file: 'f', span: { start: 9, end: 20 }, host: 'postgres.data', port: 5432, from: w('api'), service: { namespace: 'data', name: 'postgres' }, allowed: true, explanation: [] },
    ],
  };
};

test('flows and DNS references plug in through the sources', () => {
  const ws = load(EXAMPLES);
  const g = buildGraph(ws, {}, fakeSources(ws));
  assert.deepEqual(g.notes, []);
  assert.deepEqual(edgePairs(g, 'flow'), [
    `${'external:0.0.0.0-255.255.255.255'} -> ${workloadId('shop', 'Deployment', 'frontend')}`,
    `${INGRESS_CONTROLLER_ID} -> ${workloadId('shop', 'Deployment', 'frontend')}`,
    `${workloadId('shop', 'Deployment', 'frontend')} -> ${workloadId('shop', 'Deployment', 'api')}`,
  ]);
  assert.equal(node(g, 'external:0.0.0.0-255.255.255.255').kind, 'external');
  assert.ok(node(g, workloadId('shop', 'Deployment', 'frontend')).badges.includes('exposed-internet'));
  assert.ok(!node(g, workloadId('shop', 'Deployment', 'api')).badges.includes('exposed-internet'));
  const dns = g.edges.filter(e => e.kind === 'dns');
  assert.deepEqual(dns.map(e => [e.target, e.status]), [[serviceId('shop', 'cache'), 'blocked'], [serviceId('data', 'postgres'), 'allowed']]);

  const denied = buildGraph(ws, { deniedDnsOnly: true }, fakeSources(ws));
  assert.deepEqual(denied.edges.map(e => e.id), [dns[0]!.id]);
  assert.deepEqual(denied.nodes.map(n => n.id).sort(), [serviceId('shop', 'cache'), workloadId('shop', 'Deployment', 'api')].sort());
});

test('without sources the graph says what is missing', () => {
  const g = buildGraph(load(EXAMPLES), {}, {});
  assert.equal(g.notes.length, 2);
  assert.equal(g.edges.filter(e => e.kind === 'flow' || e.kind === 'dns').length, 0);
});

test('filters: namespace keeps cross-namespace neighbours, focus and search keep neighbours', () => {
  const ws = load(EXAMPLES);
  const data = buildGraph(ws, { namespace: 'data' }, fakeSources(ws));
  // api is in shop but reaches data's postgres by DNS.
  assert.deepEqual(data.nodes.map(n => n.id).sort(), [
    serviceId('data', 'postgres'), workloadId('data', 'StatefulSet', 'postgres'), workloadId('shop', 'Deployment', 'api'),
  ].sort());
  assert.deepEqual(data.groups.map(x => x.id).sort(), ['ns:data', 'ns:shop']);
  const focus = buildGraph(ws, { focus: serviceId('shop', 'frontend') }, fakeSources(ws));
  assert.deepEqual(focus.nodes.map(n => n.id).sort(), [
    ingressId('shop', 'Ingress', 'shop'), serviceId('shop', 'frontend'), workloadId('shop', 'Deployment', 'frontend'),
  ].sort());
  assert.equal(focus.edges.length, 2);
  const search = buildGraph(ws, { search: 'CACH' }, fakeSources(ws));
  assert.ok(search.nodes.some(n => n.id === workloadId('shop', 'Deployment', 'api')));
  assert.ok(!search.nodes.some(n => n.id === workloadId('shop', 'Deployment', 'frontend')));
});

test('selection: the node under the cursor and what a policy or Service selects', () => {
  const ws = load(EXAMPLES);
  const file = path.join(EXAMPLES, 'policies/shop.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const def = objectAt(ws, file, text.indexOf('default-deny'))!;
  assert.equal(def.name, 'default-deny');
  assert.equal(selectedWorkloads(ws, def)?.length, 3);
  const cache = objectAt(ws, file, text.indexOf('name: cache'))!;
  assert.deepEqual(selectedWorkloads(ws, cache)?.map(w => w.object.name), ['cache']);
  assert.equal(nodeIdOfObject(ws, cache), workloadId('shop', 'Deployment', 'cache'));
  const svcFile = path.join(EXAMPLES, 'data/postgres.yaml');
  const svc = objectAt(ws, svcFile, 5)!;
  assert.equal(nodeIdOfObject(ws, svc), serviceId('data', 'postgres'));
  assert.deepEqual(selectedWorkloads(ws, svc)?.map(w => w.object.name), ['postgres']);
});
