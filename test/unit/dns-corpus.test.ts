import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dnsReferences, resolveName, resolvePort, resolveReference } from '../../src/core/net/dns/index';
import { hoverAt } from '../../src/core/hover/index';
import { checkWorkspace } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';
import { CORPUS, filesUnder } from './corpus';

const APPS = path.join(CORPUS, 'apps');
const DNS_RULES = new Set(['dns-name-unresolved', 'dns-port-not-exposed', 'dns-short-name-other-namespace', 'pod-subdomain-service-missing', 'statefulset-service-missing']);

/** One application's manifests, as a workspace (each app is its own cluster: names overlap across apps). */
function load(dir: string): Workspace {
  const ws = new Workspace();
  for (const f of filesUnder(dir).filter(f => /\.ya?ml$/.test(f))) ws.set(path.relative(CORPUS, f), fs.readFileSync(f, 'utf8'));
  return ws;
}

test('microservices-demo: every service address in env resolves, except the one with no Service', () => {
  const ws = load(path.join(APPS, 'microservices-demo'));
  const manifest = 'apps/microservices-demo/release/kubernetes-manifests.yaml';
  const text = ws.get(manifest)!.manifest.text;
  const refs = dnsReferences(ws).filter(r => r.source === 'env');
  // Every env var whose name says it is an address was found.
  const addrVars = [...text.matchAll(/- name: (\w+_ADDR)\n\s+value: "([^"]+)"/g)].map(m => m[2]!);
  assert.equal(addrVars.length, 18);
  assert.deepEqual(refs.map(r => `${r.host}:${r.port}`).sort(), addrVars.sort());
  const unresolved = new Set<string>();
  for (const r of refs) {
    const res = resolveReference(ws, r);
    if (!res.found) { unresolved.add(r.host); continue; }
    assert.equal(res.fqdn, `${r.host}.default.svc.cluster.local`);
    assert.equal(res.type, 'A');
    assert.deepEqual(res.workloads.map(w => `${w.object.namespace}/${w.object.name}[${w.kind}]`), [`default/${r.host === 'redis-cart' ? 'redis-cart' : r.host}[Deployment]`]);
    const port = resolvePort(res, r.port!);
    assert.equal(port.exposed, true, `${r.host}:${r.port}`);
    assert.ok(port.resolvedTargetPorts!.every(t => typeof t.port === 'number'), `${r.host}: targetPort resolves in every workload`);
  }
  assert.deepEqual([...unresolved], ['shoppingassistantservice']);
  const dangling = resolveName(ws, 'shoppingassistantservice', 'default');
  assert.match(dangling.reason!, /no Service shoppingassistantservice in namespace default/);
});

test('kubernetes-examples: the Cassandra seed name is pod 0 of the StatefulSet behind the headless Service', () => {
  const ws = load(path.join(APPS, 'kubernetes-examples'));
  const r = resolveName(ws, 'cassandra-0.cassandra.default.svc.cluster.local', 'default');
  assert.equal(r.found, true);
  assert.deepEqual([r.target?.kind, r.target?.name, r.perPod?.ordinal, r.service?.headless], ['StatefulSet', 'cassandra', 0, true]);
  const seed = dnsReferences(ws).find(x => x.key === 'CASSANDRA_SEEDS')!;
  assert.equal(resolveReference(ws, seed).perPod?.ordinal, 0);
  assert.equal(resolveName(ws, 'cassandra-3.cassandra.default.svc.cluster.local', 'default').found, false);
  // Selenium nodes reach the hub by its bare Service name.
  const hub = dnsReferences(ws).filter(x => x.host === 'selenium-hub');
  assert.equal(hub.length, 2);
  for (const h of hub) assert.equal(resolveReference(ws, h).fqdn, 'selenium-hub.default.svc.cluster.local');
  // Nothing else in these apps is taken for a DNS name (no prose, no Java class names, no paths).
  assert.deepEqual(dnsReferences(ws).map(x => x.host).sort(), ['cassandra-0.cassandra.default.svc.cluster.local', 'selenium-hub', 'selenium-hub']);
  const file = seed.file;
  const h = hoverAt(ws, file, seed.span.start + 3)!;
  assert.match(h.markdown, /pod 0 of StatefulSet `default\/cassandra`/);
});

test('corpus/apps: the DNS rules report only real problems', () => {
  const found: string[] = [];
  for (const app of fs.readdirSync(APPS).sort()) {
    const ws = load(path.join(APPS, app));
    for (const [file, findings] of checkWorkspace(ws)) {
      for (const f of findings) {
        if (!DNS_RULES.has(f.rule)) continue;
        found.push(`${file}:${ws.get(file)!.manifest.lines.position(f.span.start).line + 1} ${f.rule}${f.severity === 'warning' ? '' : ` ${f.severity}`} ${f.message}`);
      }
    }
  }
  assert.deepEqual(found, [
    // The frontend is configured to call the shopping assistant, which this release does not ship (the
    // corpus README calls it the dangling reference; upstream ships it as an optional component). No
    // manifest defines it, so it is a hint that says what the name depends on, not a verdict.
    'apps/microservices-demo/release/kubernetes-manifests.yaml:90 dns-name-unresolved hint shoppingassistantservice resolves only if something outside this workspace (a Helm release, an operator, another repository) creates Service shoppingassistantservice in namespace default: no manifest here defines it',
  ]);
});
