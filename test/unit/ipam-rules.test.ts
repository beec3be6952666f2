import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkFile } from '../../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { CORPUS, filesUnder } from './corpus';

const IPAM_RULES = [
  'cidr-host-bits', 'cidr-invalid', 'cluster-ip-duplicate', 'cluster-ip-outside-service-range', 'ipblock-covers-cluster',
  'ipblock-except-outside-cidr', 'pod-service-cidr-overlap', 'pool-outside-pod-cidr', 'service-ip-family-mismatch',
];
const FIXTURES = path.resolve(__dirname, '../fixtures');

/** `rule@line` (1-based) for each `# expect: <id>` comment: the finding is on the next line. */
function expectations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^\s*#\s*expect:\s*([a-z0-9-]+)\s*$/.exec(line);
    if (m) out.push(`${m[1]}@${i + 2}`);
  });
  return out.sort();
}

function findingsOf(file: string, settings = DEFAULT_SETTINGS): string[] {
  const ws = new Workspace(settings);
  const text = fs.readFileSync(file, 'utf8');
  ws.set(file, text);
  const lines = ws.get(file)!.manifest.lines;
  return checkFile(ws, file)
    .filter(f => IPAM_RULES.includes(f.rule))
    .map(f => `${f.rule}@${lines.position(f.span.start).line + 1}`)
    .sort();
}

test('cidr-invalid: substitution placeholders (${VAR}, $(VAR)) are not values yet', () => {
  const ws = new Workspace();
  ws.set('np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: ${EGRESS_CIDR}\n        - ipBlock: {cidr: "$(CIDR)"}\n        - ipBlock: {cidr: 10.0.0.0/x}\n');
  assert.deepEqual(checkFile(ws, 'np.yaml').map(f => f.message), ['"10.0.0.0/x" is not a valid CIDR: prefix length "x" is not a decimal number']);
});

test('service-ip-family-mismatch: a family the single-stack cluster lacks', () => {
  const file = path.join(FIXTURES, 'ipam', 'family-single-stack.yaml');
  assert.deepEqual(findingsOf(file), expectations(fs.readFileSync(file, 'utf8')));
});

test('cidr-host-bits: the quick fix replaces exactly the value, keeping quotes', () => {
  const ws = new Workspace();
  const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: "10.1.2.3/16"}\n';
  ws.set('p.yaml', text);
  const [f] = checkFile(ws, 'p.yaml').filter(x => x.rule === 'cidr-host-bits');
  assert.ok(f);
  assert.match(f.message, /^10\.1\.2\.3\/16 has host bits set after the \/16 prefix; it means 10\.1\.0\.0\/16\. The API server warns: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: CIDR value "10\.1\.2\.3\/16" is ambiguous/);
  const edit = f.fixes[0]!.edits[0]!;
  const fixed = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
  assert.match(fixed, /\{cidr: "10\.1\.0\.0\/16"\}/);
});

test('cidr-host-bits fires on the demo workspace\'s payment block', () => {
  const ws = new Workspace();
  const file = path.resolve(__dirname, '../../examples/policies/shop.yaml');
  ws.set(file, fs.readFileSync(file, 'utf8'));
  const found = checkFile(ws, file).filter(f => f.rule === 'cidr-host-bits');
  assert.equal(found.length, 1);
  assert.equal(ws.get(file)!.manifest.text.slice(found[0]!.span.start, found[0]!.span.end), '203.0.113.7/24');
});

test('cidr-invalid: the corpus case bad_netpols_subdir1 (cidr "A") at the exact range', () => {
  const ws = new Workspace();
  const file = path.join(CORPUS, 'diagnostics/bad_netpols_subdir1/netpols.yaml');
  const text = fs.readFileSync(file, 'utf8');
  ws.set(file, text);
  const found = checkFile(ws, file).filter(f => f.rule === 'cidr-invalid');
  assert.equal(found.length, 1);
  const f = found[0]!;
  assert.equal(text.slice(f.span.start, f.span.end), 'A');
  assert.equal(ws.get(file)!.manifest.lines.position(f.span.start).line + 1, 22);
  assert.match(f.message, /"A"/);
  assert.equal(f.severity, 'error');
});

test('ipblock-covers-cluster wording follows the ipBlock reading in force', () => {
  const file = path.join(FIXTURES, 'rules', 'ipblock-covers-cluster', 'fires.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const message = (reading: 'external' | 'all') => {
    const ws = new Workspace({ ...DEFAULT_SETTINGS, ipBlockReading: reading });
    ws.set(file, text);
    return checkFile(ws, file).find(f => f.rule === 'ipblock-covers-cluster')!.message;
  };
  assert.match(message('external'), /pods there are not matched by this peer/);
  assert.match(message('external'), /service range 10\.96\.0\.0\/12/);
  assert.match(message('all'), /also matches every pod/);
});

test('pod-service-cidr-overlap points at the other range', () => {
  const file = path.join(FIXTURES, 'rules', 'pod-service-cidr-overlap', 'fires.yaml');
  const ws = new Workspace();
  const text = fs.readFileSync(file, 'utf8');
  ws.set(file, text);
  const f = checkFile(ws, file).find(x => x.rule === 'pod-service-cidr-overlap')!;
  assert.equal(f.related.length, 1);
  assert.equal(text.slice(f.related[0]!.span.start, f.related[0]!.span.end), '10.96.0.0/12');
});

test('settings ranges: a pod/service overlap from settings alone has no place to report, a clusterIP is checked against them', () => {
  const ws = new Workspace({ ...DEFAULT_SETTINGS, serviceCIDRs: ['10.96.0.0/12'] });
  ws.set('s.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  clusterIP: 10.0.0.1\n');
  assert.deepEqual(checkFile(ws, 's.yaml').map(f => f.rule), ['cluster-ip-outside-service-range']);
});

// No false positives on real applications. Every finding listed here must be a real problem.
test('no address-plan findings on corpus/apps (one workspace of every app)', () => {
  const ws = new Workspace();
  const files = filesUnder(path.join(CORPUS, 'apps')).filter(f => /\.(ya?ml|json)$/.test(f));
  for (const f of files) ws.set(f, fs.readFileSync(f, 'utf8'));
  const findings = files.flatMap(f => checkFile(ws, f).filter(x => IPAM_RULES.includes(x.rule)));
  // The Calico pools (10.1.0.0/16, 192.168.0.0/16) are not checked against a pod range because none
  // is known; no Service writes a clusterIP (cassandra's `None` is headless); no policy has an ipBlock.
  assert.deepEqual(findings, []);
});
