/**
 * `kube-netlens diff`: np-guard's diff goldens line for line (corpus/diff, every format, the labels its
 * `args` name), and `diff --base REF` in a real git repository with two commits: txt, SARIF validated
 * against the SARIF 2.1.0 schema and located on the rule that opened the flow, Markdown, exit codes.
 * AdminNetworkPolicy/BaselineAdminNetworkPolicy and multiple-network (UDN) cases are checked like the others.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { loadPaths } from '../../src/cli/load';
import { main } from '../../src/cli/main';
import { connectivityDiff } from '../../src/core/net/policy/diff';
import { formatDiff, type DiffFormat } from '../../src/core/net/policy/format-diff';
import { CORPUS } from './corpus';

const ROOT = path.join(CORPUS, 'diff');

interface Golden { name: string; file: string; dir1: string; dir2: string; format: DiffFormat; labels: [string, string]; multipleNetworks: boolean }

function goldens(): Golden[] {
  const out: Golden[] = [];
  for (const name of fs.readdirSync(ROOT).sort()) {
    const args = path.join(ROOT, name, 'args');
    if (!fs.existsSync(args)) continue;
    const text = fs.readFileSync(args, 'utf8');
    for (const line of text.split('\n').filter(l => l.startsWith('golden='))) {
      const kv = Object.fromEntries(line.trim().split(/\s+/).map(x => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
      out.push({ name, file: kv.golden!, dir1: kv.dir1!, dir2: kv.dir2!, format: kv.format as DiffFormat, labels: kv.labels!.split(',') as [string, string], multipleNetworks: kv['multiple-networks'] === 'true' });
    }
  }
  return out;
}

const all = goldens();

test('the diff goldens are present, in every format', () => {
  assert.ok(all.length >= 34, `expected np-guard diff goldens under ${ROOT}`);
  for (const f of ['txt', 'csv', 'md', 'dot']) assert.ok(all.some(g => g.format === f), f);
  assert.ok(all.some(g => g.labels[0] === 'old'), 'a golden printed with other labels');
  assert.ok(all.some(g => g.multipleNetworks), 'a golden over user-defined networks');
});

for (const g of all) {
  test(`np-guard diff conformance: ${g.file}`, () => {
    const before = loadPaths([path.join(ROOT, g.name, g.dir1)]).workspace;
    const after = loadPaths([path.join(ROOT, g.name, g.dir2)]).workspace;
    const expected = fs.readFileSync(path.join(ROOT, g.name, 'expected', g.file), 'utf8');
    assert.equal(formatDiff(connectivityDiff(before, after, 'external'), g.format, g.labels), expected);
  });
}

async function cli(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const old = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(argv, { out: l => out.push(l), err: l => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(old);
  }
}

test('the CLI prints a golden for two folders and exits 3 on a change, 0 on none', async () => {
  const g = all.find(x => x.format === 'txt' && x.labels[0] === 'ref1')!;
  const r = await cli(['diff', path.join(ROOT, g.name, g.dir1), path.join(ROOT, g.name, g.dir2)]);
  assert.equal(r.code, 3);
  assert.equal(r.out + '\n', fs.readFileSync(path.join(ROOT, g.name, 'expected', g.file), 'utf8'));
  const same = await cli(['diff', path.join(ROOT, g.name, g.dir1), path.join(ROOT, g.name, g.dir1)]);
  assert.equal(same.code, 0);
  assert.equal(same.out, '');
  assert.equal((await cli(['diff', path.join(ROOT, g.name, g.dir1)])).code, 2);
  assert.equal((await cli(['diff', path.join(ROOT, g.name, g.dir1), path.join(ROOT, g.name, g.dir2), '-o', 'sarif'])).code, 2);
});

const DEPLOYMENTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x}]}
`;
const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
`;
const ALLOW_WEB = `${DENY}  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    ports:
    - port: http
`;

function gitRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-diff-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(path.join(dir, 'k8s', 'apps.yaml'), DEPLOYMENTS);
  fs.writeFileSync(path.join(dir, 'k8s', 'policy.yaml'), DENY);
  fs.writeFileSync(path.join(dir, 'README.md'), 'not a manifest\n');
  git('add', '-A');
  git('commit', '-qm', 'deny all into api');
  fs.writeFileSync(path.join(dir, 'k8s', 'policy.yaml'), ALLOW_WEB);
  git('commit', '-qam', 'web may call api on http');
  return dir;
}

const sarifSchema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const validateSarif = new Ajv({ strict: false, unicodeRegExp: false, validateFormats: false, allErrors: true }).compile(sarifSchema) as ((data: unknown) => boolean) & { errors?: unknown };

test('diff --base HEAD~1 in a git repository with two commits: txt, SARIF (schema-valid, on the rule), md, exit codes', async () => {
  const dir = gitRepo();
  const txt = await cli(['diff', '--base', 'HEAD~1'], dir);
  assert.equal(txt.code, 3, txt.err);
  assert.equal(txt.out, [
    'Connectivity diff:',
    'diff-type: added, source: shop/web[Deployment], destination: shop/api[Deployment], HEAD~1: No Connections, worktree: TCP 8080',
  ].join('\n'));

  const sarif = await cli(['diff', '--base', 'HEAD~1', '-o', 'sarif'], dir);
  assert.equal(sarif.code, 3);
  const log = JSON.parse(sarif.out);
  assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2));
  const results = log.runs[0].results;
  assert.equal(results.length, 1);
  assert.equal(results[0].ruleId, 'connectivity-added');
  assert.match(results[0].message.text, /New flow shop\/web\[Deployment\] => shop\/api\[Deployment\]: TCP 8080 \(HEAD~1: No Connections\)/);
  const loc = results[0].locations[0].physicalLocation;
  assert.equal(loc.artifactLocation.uri, 'k8s/policy.yaml');
  // The ingress rule (`- from:`) that now admits web, line 8 of the new policy.
  assert.equal(loc.region.startLine, 8);
  assert.equal(results[0].locations[0].message.text, "NetworkPolicy 'shop/api-in' allows connections by Ingress rule #1");

  const md = await cli(['diff', '--base', 'HEAD~1', '-o', 'md'], dir);
  assert.match(md.out, /^### Connectivity changes vs `HEAD~1`\n\n1 added, 0 removed, 0 changed/);
  assert.match(md.out, /\| added \| shop\/web\[Deployment\] \| shop\/api\[Deployment\] \| No Connections \| TCP 8080 \|  \|/);

  // No change against HEAD; the edit reverted in the work tree (uncommitted) removes the flow.
  assert.equal((await cli(['diff', '--base', 'HEAD'], dir)).code, 0);
  fs.writeFileSync(path.join(dir, 'k8s', 'policy.yaml'), DENY);
  const removed = await cli(['diff', '--base', 'HEAD', 'k8s'], dir);
  assert.equal(removed.code, 3);
  assert.match(removed.out, /diff-type: removed, source: shop\/web\[Deployment\], destination: shop\/api\[Deployment\], HEAD: TCP 8080, worktree: No Connections/);
  assert.equal((await cli(['diff', '--base', 'HEAD', '--fail-on', 'added'], dir)).code, 0, 'a removal only does not fail --fail-on added');
  const removedSarif = JSON.parse((await cli(['diff', '--base', 'HEAD', '-o', 'sarif'], dir)).out);
  assert.ok(validateSarif(removedSarif));
  assert.equal(removedSarif.runs[0].results[0].ruleId, 'connectivity-removed');
  assert.equal(removedSarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'k8s/policy.yaml');

  assert.equal((await cli(['diff', '--base', 'no-such-ref'], dir)).code, 2);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('diff --base outside a git work tree is a usage error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-nogit-'));
  const r = await cli(['diff', '--base', 'HEAD'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /git work tree/);
  fs.rmSync(dir, { recursive: true, force: true });
});
