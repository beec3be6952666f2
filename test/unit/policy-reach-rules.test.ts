/**
 * dns-reference-blocked-by-policy and ingress-blocked-by-policy on the demo workspace (examples/):
 * the one deliberate block (api → cache:6379) is found, every other call there is checked and
 * allowed, and the quick fix applied to the real files' text removes the finding and adds none.
 * Then the edges the fixtures cannot set up: the `all` ipBlock reading, and a fix that must add
 * an `egress:` key.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { formatExplain } from '../../src/core/net/policy/format-explain';
import { explain, INGRESS_CONTROLLER } from '../../src/core/net/policy/index';
import { blocks, peerOf } from '../../src/core/net/policy/reach';
import { portReason, reasonText, whyPair } from '../../src/core/net/policy/why';
import type { Finding } from '../../src/core/rules/rule';
import { checkWorkspace } from '../../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { applyFix, chosenFix } from './rule-fixtures';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const IDS = ['dns-reference-blocked-by-policy', 'ingress-blocked-by-policy'];

function all(ws: Workspace): Finding[] {
  return [...checkWorkspace(ws).values()].flat();
}

function ours(ws: Workspace): Finding[] {
  return all(ws).filter(f => IDS.includes(f.rule));
}

function workspaceOf(files: ReadonlyMap<string, string>, settings = DEFAULT_SETTINGS): Workspace {
  const ws = new Workspace(settings);
  for (const [f, t] of files) ws.set(f, t);
  return ws;
}

/** `connectivity --explain` focused on one pair. */
function explainText(ws: Workspace, src: string, dst: string): string {
  return formatExplain(ws, { focusWorkloads: [src.replace(/\[.*$/, '')], focusWorkloadPeers: [dst.replace(/\[.*$/, '')] });
}

function line(ws: Workspace, f: Finding): string {
  return `${f.file}:${ws.get(f.file)!.manifest.lines.position(f.span.start).line + 1}`;
}

test('examples/: api → cache:6379 is the one block, and the other calls are checked and allowed', () => {
  const { workspace: ws } = loadPaths([EXAMPLES], undefined, EXAMPLES);
  const found = ours(ws);
  assert.deepEqual(found.map(f => `${line(ws, f)} ${f.rule}`), ['shop/api.yaml:31 dns-reference-blocked-by-policy']);
  const f = found[0]!;
  const w = (name: string) => ws.workloads.find(x => x.object.name === name)!;
  assert.equal(ws.get(f.file)!.manifest.text.slice(f.span.start, f.span.end), 'cache:6379');
  // The message quotes the pair's explanation object: the deciding rules `connectivity --explain` prints for that port.
  const why = whyPair(ws, peerOf(w('api')), peerOf(w('cache')))!;
  const reason = portReason(why, 'egress', 'TCP', 6379);
  assert.equal(reason.allowed, false);
  assert.equal(f.message, `shop/api cannot reach cache:6379: egress of api denies TCP 6379: ${reasonText(reason.rules)}`);
  assert.equal(f.message, "shop/api cannot reach cache:6379: egress of api denies TCP 6379: NetworkPolicy 'shop/allow-dns' selects shop/api[Deployment], but shop/cache[Deployment] is not allowed by any Egress rule; NetworkPolicy 'shop/api' selects shop/api[Deployment], but shop/cache[Deployment] is not allowed by any Egress rule; NetworkPolicy 'shop/default-deny' selects shop/api[Deployment], but shop/cache[Deployment] is not allowed by any Egress rule (no rules defined)");
  for (const r of reason.rules) assert.ok(explainText(ws, 'shop/api[Deployment]', 'shop/cache[Deployment]').includes(r.text), r.text);
  assert.deepEqual(f.related.map(r => r.message), [
    'NetworkPolicy shop/default-deny isolates egress', 'NetworkPolicy shop/allow-dns isolates egress',
    'NetworkPolicy shop/api isolates egress', 'Service shop/cache',
  ]);
  // The allowed calls are judged, not skipped: what the rules ask (reach.ts blocks) allows each on its resolved target port.
  assert.deepEqual(blocks(ws, w('frontend'), w('api'), 'TCP', 8080), []);
  assert.deepEqual(blocks(ws, w('api'), w('postgres'), 'TCP', 5432), []);
  assert.deepEqual(blocks(ws, w('api'), w('cache'), 'TCP', 6379).map(b => b.direction), ['egress']);
});

test('examples/: the quick fix edits policies/shop.yaml, keeps its style, and the finding goes away', () => {
  const { workspace: ws } = loadPaths([EXAMPLES], undefined, EXAMPLES);
  const files = new Map(ws.fileNames.map(f => [f, fs.readFileSync(path.join(EXAMPLES, f), 'utf8')]));
  for (const [f, t] of files) assert.equal(ws.get(f)!.manifest.text, t);
  const before = all(ws).filter(f => !IDS.includes(f.rule)).map(f => `${line(ws, f)} ${f.rule}`);
  const fix = chosenFix(ours(ws)[0]!)!;
  assert.equal(fix.title, 'Allow TCP 6379 from shop/api to shop/cache in NetworkPolicy shop/api');
  assert.deepEqual(fix.edits.map(e => e.file), ['policies/shop.yaml']);
  const after = applyFix(files, fix);
  assert.ok(after.get('policies/shop.yaml')!.includes([
    '            cidr: 203.0.113.7/24',
    '      ports:',
    '        - port: 443',
    '    - to:',
    '        - podSelector:',
    '            matchLabels:',
    '              app: cache',
    '      ports:',
    '        - protocol: TCP',
    '          port: 6379',
    '---',
  ].join('\n')), after.get('policies/shop.yaml'));
  const ws2 = workspaceOf(after);
  assert.deepEqual(ours(ws2), []);
  assert.deepEqual(all(ws2).filter(f => !IDS.includes(f.rule)).map(f => `${line(ws2, f)} ${f.rule}`), before);
});

const CALLER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: example/api:1
          env:
            - name: CACHE_URL
              value: redis://cache
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
        - name: redis
          image: redis:7
---
apiVersion: v1
kind: Service
metadata:
  name: cache
  namespace: shop
spec:
  selector:
    app: cache
  ports:
    - port: 6379
`;

test('a policy with policyTypes [Egress] and no egress key gets one, and the scheme port (redis 6379) is used', () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  # api may call nothing yet
  podSelector:
    matchLabels:
      app: api
  policyTypes:
  - Egress
`;
  const files = new Map([['app.yaml', CALLER], ['policy.yaml', policy]]);
  const ws = workspaceOf(files);
  const found = ours(ws);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.message, "shop/api cannot reach cache:6379: egress of api denies TCP 6379: NetworkPolicy 'shop/api' selects shop/api[Deployment], but shop/cache[Deployment] is not allowed by any Egress rule (no rules defined)");
  const after = applyFix(files, chosenFix(found[0]!)!);
  assert.equal(after.get('policy.yaml'), `${policy}  egress:
  - to:
    - podSelector:
        matchLabels:
          app: cache
    ports:
    - protocol: TCP
      port: 6379
`);
  assert.deepEqual(ours(workspaceOf(after)), []);
});

test('under the all ipBlock reading an ipBlock that may hold the pod counts as allowing; under external it does not', () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
`;
  const files = new Map([['app.yaml', CALLER], ['policy.yaml', policy]]);
  assert.equal(ours(workspaceOf(files)).length, 1);
  assert.deepEqual(ours(workspaceOf(files, { ...DEFAULT_SETTINGS, ipBlockReading: 'all' })), []);
});

test("ingress-blocked-by-policy quotes the explanation object of {ingress-controller} => the backend", () => {
  const text = fs.readFileSync(path.resolve(__dirname, '../fixtures/rules/ingress-blocked-by-policy/fires.yaml'), 'utf8');
  const ws = workspaceOf(new Map([['fires.yaml', text]]));
  const found = ours(ws).filter(f => f.rule === 'ingress-blocked-by-policy');
  assert.ok(found.length >= 2);
  const admin = ws.workloads.find(x => x.object.name === 'admin')!;
  const why = whyPair(ws, INGRESS_CONTROLLER, peerOf(admin))!;
  const reason = portReason(why, 'ingress', 'TCP', 9000);
  assert.equal(reason.allowed, false);
  // The policy rules that deny the port, as `connectivity --explain` words them (the Ingress object's own rule aside).
  const denying = reason.rules.filter(r => r.kind === 'NetworkPolicy');
  assert.deepEqual(denying.map(r => r.text), ["NetworkPolicy 'shop/default-deny' selects shop/admin[Deployment], but {ingress-controller} is not allowed by any Ingress rule (no rules defined)"]);
  const f = found.find(x => x.message.includes('Service admin'))!;
  assert.equal(f.message, `The ingress controller cannot reach Service admin port http: ingress of shop/admin[Deployment] denies TCP 9000: ${reasonText(denying)}; allow TCP 9000 from namespace ingress-nginx, where ingress-nginx runs.`);
  // np-guard's --explain leaves out controller pairs with nothing allowed; the pair's explanation (the diagram's edge text) says it.
  assert.ok(explain(ws, INGRESS_CONTROLLER, peerOf(admin)).text.includes(denying[0]!.text));
});

test('netpol-overridden-by-admin-deny quotes the explanation object of a pair the admin Deny decides', () => {
  const text = fs.readFileSync(path.resolve(__dirname, '../fixtures/rules/netpol-overridden-by-admin-deny/fires.yaml'), 'utf8');
  const ws = workspaceOf(new Map([['fires.yaml', text]]));
  const found = all(ws).filter(f => f.rule === 'netpol-overridden-by-admin-deny');
  assert.equal(found.length, 1);
  const w = (name: string) => ws.workloads.find(x => x.object.name === name)!;
  const reason = portReason(whyPair(ws, peerOf(w('prometheus')), peerOf(w('web')))!, 'ingress', 'TCP', 8080);
  assert.equal(reason.allowed, false);
  const admin = reason.rules.filter(r => r.kind === 'AdminNetworkPolicy');
  assert.deepEqual(admin.map(r => r.text), ["AdminNetworkPolicy 'deny-monitoring' denies connections by Ingress rule deny-monitoring-rule"]);
  assert.equal(found[0]!.message, `Ingress rule #1 of NetworkPolicy shop/web-from-monitoring allows nothing in effect: an admin-tier Deny decides all of it first (monitoring/prometheus[Deployment] => shop/web[Deployment] on TCP 8080: ${reasonText(admin)}), and the admin tier's Deny is final.`);
  assert.ok(formatExplain(ws, { focusWorkloads: ['shop/web'] }).includes(admin[0]!.text));
});
