/**
 * The text scanners are linear: on generated pathological inputs of n and 2n characters, the
 * characters they examine (counted in `scanSteps`, not timed) grow at most 2.2-fold and stay within a
 * small multiple of the input. Each input once took seconds to minutes through a backtracking regex.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asConfigMap, PATHOLOGICAL, PATHOLOGICAL_FILES } from '../../bench/pathological';
import { dnsReferencesInFile, extractHosts, forEachHost } from '../../src/core/net/dns/references';
import { findHelmAction } from '../../src/core/parse/helm';
import { parseManifest } from '../../src/core/parse/manifest';
import { checkFile } from '../../src/core/rules/run';
import { scanSteps } from '../../src/core/scan';
import { Workspace } from '../../src/core/workspace';

const N = 20_000;
/** Steps per character allowed: a constant, whatever n is. */
const PER_CHAR = 12;

function steps(run: () => unknown): number {
  scanSteps.count = 0;
  run();
  return scanSteps.count;
}

function assertLinear(label: string, size: (n: number) => number, run: (n: number) => unknown): void {
  const a = steps(() => run(N));
  const b = steps(() => run(2 * N));
  assert.ok(b <= 2.2 * Math.max(a, 1), `${label}: ${a} steps at n, ${b} at 2n`);
  assert.ok(b <= PER_CHAR * size(2 * N), `${label}: ${b} steps for ${size(2 * N)} characters`);
}

for (const p of PATHOLOGICAL) {
  test(`linear: Helm detection and host extraction on ${p.name}`, () => {
    assertLinear(`helm ${p.name}`, n => p.value(n).length, n => findHelmAction(p.value(n)));
    assertLinear(`hosts ${p.name}`, n => p.value(n).length, n => extractHosts(p.value(n), Infinity));
    assertLinear(`visited hosts ${p.name}`, n => p.value(n).length, n => forEachHost(p.value(n), Infinity, () => {}));
  });

  test(`linear: a ConfigMap holding ${p.name}, checked with DNS references`, () => {
    const ws = new Workspace();
    assertLinear(`check ${p.name}`, n => asConfigMap(p.value(n)).length, n => {
      ws.set('cm.yaml', asConfigMap(p.value(n)));
      checkFile(ws, 'cm.yaml');
    });
  });
}

for (const f of PATHOLOGICAL_FILES) {
  test(`linear: a file with ${f.name} is scanned in linear steps`, () => {
    const ws = new Workspace({ ...new Workspace().settings, maxFileSize: 10 * 1024 * 1024 });
    assertLinear(f.name, n => f.text(n).length, n => {
      ws.set('f.yaml', f.text(n));
      checkFile(ws, 'f.yaml');
    });
  });
}

test('the scanners count what they examine: a value of n characters costs at least n steps', () => {
  const value = 'db.data:5432 '.repeat(1000);
  assert.ok(steps(() => extractHosts(value, Infinity)) >= value.length);
  assert.ok(steps(() => findHelmAction(value)) >= value.length);
});

test('host tokens per value are capped', () => {
  const value = Array.from({ length: 5000 }, (_, i) => `svc${i}:80`).join(' ');
  assert.equal(extractHosts(value).length, 2000);
  assert.equal(extractHosts(value, Infinity).length, 5000);
});

test('a dashboard in a block scalar: references are found at their exact place after escapes and indentation', () => {
  const ws = new Workspace();
  const json = JSON.stringify({ a: 'x\\"y', url: 'http://prometheus-1.monitoring.svc:9090/api' });
  const text = asConfigMap(json);
  ws.set('cm.yaml', text);
  const refs = dnsReferencesInFile(ws, 'cm.yaml').filter(r => r.source === 'configmap');
  assert.deepEqual(refs.map(r => [r.host, text.slice(r.span.start, r.span.end), r.port, r.portSpan && text.slice(r.portSpan.start, r.portSpan.end)]),
    [['prometheus-1.monitoring.svc', 'prometheus-1.monitoring.svc', 9090, '9090']]);
});

test('flow collections nested past 1,000 levels are not handed to the parser; 500 levels are parsed', () => {
  const nested = (depth: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nbinaryData: {a: ${'['.repeat(depth)}${']'.repeat(depth)}}\n`;
  const deep = parseManifest('deep.yaml', nested(1001));
  assert.deepEqual(deep.problems.map(p => p.message), ['YAML nested too deeply to analyse.']);
  assert.equal(deep.skipped, 'yaml-syntax');
  const ok = parseManifest('ok.yaml', nested(500));
  assert.equal(ok.objects.length, 1);
  assert.deepEqual(ok.problems, []);
});

test('hosts of URLs and of runs come merged in text order', () => {
  const value = 'db:5432 http://api:80/x cache:6379,redis://r1:1,r2:2 web.shop';
  assert.deepEqual(extractHosts(value, Infinity).map(h => [h.host, h.start, h.form]), [
    ['db', 0, 'hostport'], ['api', 15, 'url'], ['cache', 24, 'hostport'], ['r1', 43, 'url'], ['r2', 48, 'url'], ['web.shop', 53, 'name'],
  ]);
  // URL hosts are taken first when the cap is reached, as before the merge.
  assert.deepEqual(extractHosts(value, 4).map(h => h.host), ['db', 'api', 'r1', 'r2']);
});

test('hosts are handed to a visitor one at a time, in the order of the list, and a visitor can stop the scan', () => {
  const value = 'db:5432 http://api:80/x cache:6379,redis://r1:1,r2:2 web.shop';
  const seen: string[] = [];
  assert.equal(forEachHost(value, Infinity, h => { seen.push(`${h.form}:${h.host}@${h.start}`); }), 6);
  assert.deepEqual(seen, extractHosts(value, Infinity).map(h => `${h.form}:${h.host}@${h.start}`));
  const firstTwo: string[] = [];
  assert.equal(forEachHost(value, Infinity, h => { firstTwo.push(h.host); return firstTwo.length < 2; }), 2);
  assert.deepEqual(firstTwo, ['db', 'api']);
  // The cap counts the tokens found, as the list does.
  assert.equal(forEachHost(value, 4, () => {}), 4);
});

test('a command of many words with nc probes: every probe is found, in text order among the hosts', () => {
  const ws = new Workspace();
  const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
  const cmd = `${words} && nc -z db 5432 && nc -z cache 6379 && curl http://api:80/x`;
  ws.set('app.yaml', [
    'apiVersion: v1', 'kind: Service', 'metadata: {name: db}', 'spec: {ports: [{port: 5432}]}', '---',
    'apiVersion: v1', 'kind: Service', 'metadata: {name: cache}', 'spec: {ports: [{port: 6379}]}', '---',
    'apiVersion: v1', 'kind: Service', 'metadata: {name: api}', 'spec: {ports: [{port: 80}]}', '---',
    'apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '  - name: c', '    image: busybox',
    `    command: ["/bin/sh", "-c", "${cmd}"]`, '',
  ].join('\n'));
  const refs = dnsReferencesInFile(ws, 'app.yaml');
  assert.deepEqual(refs.map(r => `${r.form}:${r.host}:${r.port ?? ''}`), ['hostport:db:5432', 'hostport:cache:6379', 'url:api:80']);
});
