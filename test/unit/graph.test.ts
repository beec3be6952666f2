import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildGraph, explainEdge } from '../../src/core/graph/build';
import { groupId, ingressId, INGRESS_CONTROLLER_ID, serviceId, type NetworkGraph } from '../../src/core/graph/model';
import { nodeIdOfObject, objectAt, selectedWorkloads } from '../../src/core/graph/selection';
import { connectivity, type PeerRef } from '../../src/core/net/policy';
import { checkWorkspace } from '../../src/core/rules/run';
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
const boutique = () => load(path.join(BOUTIQUE, 'release'), path.join(BOUTIQUE, 'kustomize-network-policies'));

const wl = (ns: string, kind: string, name: string) => `workload:${ns}/${name}[${kind}]`;
const edgePairs = (g: NetworkGraph, kind: string) => g.edges.filter(e => e.kind === kind).map(e => `${e.source} -> ${e.target}`).sort();
const node = (g: NetworkGraph, id: string) => {
  const n = g.nodes.find(x => x.id === id);
  assert.ok(n, `no node ${id}`);
  return n;
};

/** The engine's connectivity, written independently of the graph code: np-guard ids to node ids. */
function expectedFlows(ws: Workspace): string[] {
  const id = (p: PeerRef) => p.kind === 'workload' ? `workload:${p.id}` : p.kind === 'external' ? `external:${p.id.replace('[External]', '')}` : INGRESS_CONTROLLER_ID;
  return connectivity(ws).connections.map(c => `${id(c.src)} -> ${id(c.dst)} : ${c.conns.toString()}`).sort();
}
const graphFlows = (g: NetworkGraph) => g.edges.filter(e => e.kind === 'flow').map(e => `${e.source} -> ${e.target} : ${e.label}`).sort();

test('examples: groups, nodes and Service/Ingress edges', () => {
  const g = buildGraph(load(EXAMPLES));
  assert.deepEqual(g.groups.map(x => x.id), ['ns:data', 'ns:shop']);
  assert.deepEqual(g.nodes.filter(n => n.kind === 'workload').map(n => n.id).sort(), [
    wl('data', 'StatefulSet', 'postgres'),
    wl('shop', 'Deployment', 'api'),
    wl('shop', 'Deployment', 'cache'),
    wl('shop', 'Deployment', 'frontend'),
  ]);
  assert.deepEqual(edgePairs(g, 'selects'), [
    `${serviceId('data', 'postgres')} -> ${wl('data', 'StatefulSet', 'postgres')}`,
    `${serviceId('shop', 'api')} -> ${wl('shop', 'Deployment', 'api')}`,
    `${serviceId('shop', 'cache')} -> ${wl('shop', 'Deployment', 'cache')}`,
    `${serviceId('shop', 'frontend')} -> ${wl('shop', 'Deployment', 'frontend')}`,
  ]);
  assert.deepEqual(edgePairs(g, 'routes'), [
    `${INGRESS_CONTROLLER_ID} -> ${ingressId('shop', 'Ingress', 'shop')}`,
    `${ingressId('shop', 'Ingress', 'shop')} -> ${serviceId('shop', 'frontend')}`,
  ]);
  const fe = node(g, wl('shop', 'Deployment', 'frontend'));
  assert.equal(fe.replicas, 3);
  assert.equal(fe.parent, groupId('shop'));
  assert.equal(fe.objectKind, 'Deployment');
  assert.ok(fe.source && fe.source.file.endsWith('shop/frontend.yaml'));
  assert.deepEqual(fe.policies?.map(p => p.name), ['default-deny', 'allow-dns', 'frontend']);
  assert.equal(node(g, INGRESS_CONTROLLER_ID).parent, undefined);
});

test('examples: isolation and exposure badges follow the policies', () => {
  const g = buildGraph(load(EXAMPLES));
  const api = node(g, wl('shop', 'Deployment', 'api'));
  assert.deepEqual([...api.badges].sort(), ['egress-isolated', 'ingress-isolated']);
  // frontend admits port http from every source: every namespace, and the internet.
  const fe = node(g, wl('shop', 'Deployment', 'frontend'));
  assert.ok(fe.badges.includes('exposed-all-namespaces'));
  assert.ok(fe.badges.includes('exposed-internet'));
  // postgres is isolated for ingress only: egress stays open.
  const pg = node(g, wl('data', 'StatefulSet', 'postgres'));
  assert.deepEqual([...pg.badges].sort(), ['egress-open', 'ingress-isolated']);
});

test('the graph is serialisable and node ids are unique', () => {
  const g = buildGraph(load(EXAMPLES));
  assert.deepEqual(JSON.parse(JSON.stringify(g)), g);
  assert.equal(new Set(g.nodes.map(n => n.id)).size, g.nodes.length);
  assert.equal(new Set(g.edges.map(e => e.id)).size, g.edges.length);
  const ids = new Set(g.nodes.map(n => n.id));
  for (const e of g.edges) assert.ok(ids.has(e.source) && ids.has(e.target), e.id);
  for (const n of g.nodes) if (n.parent) assert.ok(g.groups.some(gr => gr.id === n.parent), n.id);
});

test('microservices-demo: every Service selects its Deployment; deny-all isolates everything', () => {
  const g = buildGraph(boutique());
  const selects = edgePairs(g, 'selects');
  // 12 Services over 12 Deployments: frontend has two (frontend, frontend-external), loadgenerator none.
  assert.equal(selects.length, 12);
  assert.ok(!selects.some(e => e.includes('loadgenerator')));
  assert.ok(selects.includes(`${serviceId('default', 'frontend-external')} -> ${wl('default', 'Deployment', 'frontend')}`));
  assert.ok(selects.includes(`${serviceId('default', 'redis-cart')} -> ${wl('default', 'Deployment', 'redis-cart')}`));
  // Only frontend's policy admits every source (`ingress: [{}]`): it alone is exposed.
  for (const w of g.nodes.filter(n => n.kind === 'workload')) {
    assert.ok(w.badges.includes('ingress-isolated') && w.badges.includes('egress-isolated'), w.id);
    const exposed = w.label === 'frontend';
    assert.equal(w.badges.includes('exposed-internet'), exposed, w.id);
    assert.equal(w.badges.includes('exposed-all-namespaces'), exposed, w.id);
  }
});

test('microservices-demo without policies: every workload is open and exposed', () => {
  const g = buildGraph(load(path.join(BOUTIQUE, 'release')));
  for (const w of g.nodes.filter(n => n.kind === 'workload')) {
    assert.deepEqual([...w.badges].sort(), ['egress-open', 'exposed-all-namespaces', 'exposed-internet', 'ingress-open'], w.id);
  }
});

test('flow edges are exactly the engine\'s connectivity, one per ordered pair', () => {
  for (const ws of [load(EXAMPLES), boutique(), load(path.join(BOUTIQUE, 'release'))]) {
    const g = buildGraph(ws);
    assert.deepEqual(graphFlows(g), expectedFlows(ws));
    assert.ok(graphFlows(g).length > 0);
    // Flows come without explanation (the message stays small); the page asks for one when an edge is opened.
    for (const e of g.edges.filter(x => x.kind === 'flow')) {
      assert.equal(e.explanation, undefined, e.id);
      const why = explainEdge(ws, e.id);
      assert.ok(why && why.length > 1, e.id);
    }
  }
});

test('examples: flows, exposure to the internet and the explanation of an edge', () => {
  const ws = load(EXAMPLES);
  const g = buildGraph(ws);
  const flows = graphFlows(g);
  assert.ok(flows.includes(`${wl('shop', 'Deployment', 'frontend')} -> ${wl('shop', 'Deployment', 'api')} : TCP 8080`));
  assert.ok(flows.includes(`${wl('shop', 'Deployment', 'api')} -> ${wl('data', 'StatefulSet', 'postgres')} : TCP 5432`));
  assert.ok(flows.includes(`${INGRESS_CONTROLLER_ID} -> ${wl('shop', 'Deployment', 'frontend')} : TCP 8080`));
  // api may not reach cache: its egress policy does not allow 6379.
  assert.ok(!flows.some(f => f.startsWith(`${wl('shop', 'Deployment', 'api')} -> ${wl('shop', 'Deployment', 'cache')}`)));
  const why = explainEdge(ws, `flow:${wl('shop', 'Deployment', 'api')}->${wl('data', 'StatefulSet', 'postgres')}`)!;
  assert.ok(why.some(l => l.includes("'shop/api'") && l.includes('Egress rule #1')), why.join('\n'));
  assert.ok(why.some(l => l.includes("'data/postgres'") && l.includes('Ingress rule #1')), why.join('\n'));
  // Not a flow of the graph: nothing to explain.
  assert.equal(explainEdge(ws, `flow:${wl('shop', 'Deployment', 'api')}->nowhere`), undefined);
  assert.equal(explainEdge(ws, 'selects:x->y'), undefined);
  assert.equal(g.reading, 'external');
  assert.ok(node(g, wl('shop', 'Deployment', 'frontend')).badges.includes('exposed-internet'));
  for (const name of ['api', 'cache']) assert.ok(!node(g, wl('shop', 'Deployment', name)).badges.includes('exposed-internet'), name);
  const ext = g.nodes.filter(n => n.kind === 'external').map(n => n.label).sort();
  assert.ok(ext.includes('203.0.113.0/24'), ext.join(' '));
});

test('examples: DNS edges are green when policy allows the connection, red when it blocks it', () => {
  const g = buildGraph(load(EXAMPLES));
  const dns = g.edges.filter(e => e.kind === 'dns').map(e => `${e.source} -> ${e.target} ${e.label} ${e.status}`).sort();
  assert.deepEqual(dns, [
    `${wl('shop', 'Deployment', 'api')} -> ${serviceId('data', 'postgres')} postgres-0.postgres.data.svc.cluster.local allowed`,
    `${wl('shop', 'Deployment', 'api')} -> ${serviceId('data', 'postgres')} postgres.data:5432 allowed`,
    `${wl('shop', 'Deployment', 'api')} -> ${serviceId('shop', 'cache')} cache:6379 blocked`,
    `${wl('shop', 'Deployment', 'frontend')} -> ${serviceId('shop', 'api')} api:8080 allowed`,
  ].sort());
  const blocked = g.edges.find(e => e.kind === 'dns' && e.status === 'blocked')!;
  assert.ok(blocked.explanation!.some(l => /TCP 6379 .*blocked at egress by .*shop\/api/.test(l)), blocked.explanation!.join('\n'));
  assert.ok(blocked.sourceLocation!.file.endsWith('shop/api.yaml'));
  const text = fs.readFileSync(path.join(EXAMPLES, 'shop/api.yaml'), 'utf8');
  assert.equal(text.slice(blocked.sourceLocation!.span.start, blocked.sourceLocation!.span.end), 'cache');
});

test('red DNS edges are where dns-reference-blocked-by-policy reports, and nowhere else', () => {
  for (const [ws, expectRed] of [[load(EXAMPLES), 1], [boutique(), 0]] as const) {
    const findings = [...checkWorkspace(ws).values()].flat().filter(f => f.rule === 'dns-reference-blocked-by-policy');
    const reported = new Set(findings.map(f => `${f.file}#${f.span.start}`));
    const red = buildGraph(ws).edges.filter(e => e.kind === 'dns' && e.status === 'blocked');
    assert.equal(red.length, expectRed);
    for (const e of red) assert.ok(reported.has(`${e.sourceLocation!.file}#${e.sourceLocation!.span.start}`), `${e.id} is red without a finding`);
    const drawn = new Set(buildGraph(ws).edges.filter(e => e.kind === 'dns').map(e => `${e.sourceLocation!.file}#${e.sourceLocation!.span.start}`));
    for (const f of findings) {
      const key = `${f.file}#${f.span.start}`;
      if (drawn.has(key)) assert.ok(red.some(e => `${e.sourceLocation!.file}#${e.sourceLocation!.span.start}` === key), `${key} reported but green`);
    }
  }
});

test('microservices-demo: every DNS reference between the services is allowed by its policies', () => {
  const g = buildGraph(boutique());
  const dns = g.edges.filter(e => e.kind === 'dns');
  // 17 references in env values resolve to a Service (shoppingassistantservice does not exist).
  assert.equal(dns.length, 17);
  assert.deepEqual(dns.filter(e => e.status !== 'allowed').map(e => e.id), []);
  assert.ok(dns.some(e => e.source === wl('default', 'Deployment', 'cartservice') && e.target === serviceId('default', 'redis-cart')));
  // Without the policies nothing is isolated, so nothing can be blocked either.
  assert.ok(buildGraph(load(path.join(BOUTIQUE, 'release'))).edges.filter(e => e.kind === 'dns').every(e => e.status === 'allowed'));
});

test('filters: namespace keeps cross-namespace neighbours; denied DNS only, focus and search narrow', () => {
  const ws = load(EXAMPLES);
  const data = buildGraph(ws, { namespace: 'data' });
  assert.ok(data.nodes.some(n => n.id === wl('shop', 'Deployment', 'api')), 'api reaches postgres');
  assert.ok(!data.nodes.some(n => n.id === wl('shop', 'Deployment', 'cache')));
  assert.ok(data.edges.every(e => [e.source, e.target].some(id => data.nodes.find(n => n.id === id)?.namespace === 'data')));
  const denied = buildGraph(ws, { deniedDnsOnly: true });
  assert.deepEqual(denied.edges.map(e => `${e.kind} ${e.status}`), ['dns blocked']);
  assert.deepEqual(denied.nodes.map(n => n.id).sort(), [serviceId('shop', 'cache'), wl('shop', 'Deployment', 'api')].sort());
  assert.deepEqual(denied.groups.map(x => x.id), ['ns:shop']);
  const focus = buildGraph(ws, { focus: serviceId('shop', 'frontend') });
  assert.deepEqual(focus.nodes.map(n => n.id).sort(), [
    ingressId('shop', 'Ingress', 'shop'), serviceId('shop', 'frontend'), wl('shop', 'Deployment', 'frontend'),
  ].sort());
  assert.equal(focus.edges.length, 2);
  const search = buildGraph(ws, { search: 'CACH' });
  assert.ok(search.nodes.some(n => n.id === wl('shop', 'Deployment', 'api')), 'api refers to cache');
  assert.ok(!search.nodes.some(n => n.id === wl('shop', 'Deployment', 'frontend')));
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
  assert.equal(nodeIdOfObject(ws, cache), wl('shop', 'Deployment', 'cache'));
  const svcFile = path.join(EXAMPLES, 'data/postgres.yaml');
  const svc = objectAt(ws, svcFile, 5)!;
  assert.equal(nodeIdOfObject(ws, svc), serviceId('data', 'postgres'));
  assert.deepEqual(selectedWorkloads(ws, svc)?.map(w => w.object.name), ['postgres']);
});

test('the graph does not depend on the order files are read (realworld microservices-demo defines every workload twice)', () => {
  const files = filesUnder(path.join(CORPUS, 'realworld/GoogleCloudPlatform__microservices-demo')).filter(f => /\.(ya?ml|json)$/.test(f)).sort();
  const read = (order: string[]) => {
    const ws = new Workspace();
    for (const f of order) ws.set(f, fs.readFileSync(f, 'utf8'));
    const g = buildGraph(ws);
    const sorted = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { nodes: sorted(g.nodes), edges: sorted(g.edges) };
  };
  const forward = read(files);
  assert.ok(forward.nodes.filter(n => n.kind === 'workload').length >= 10);
  // loadgenerator is written in kustomize/base and again, without labels, in a patch that deletes it.
  assert.deepEqual(read([...files].reverse()), forward);
});
