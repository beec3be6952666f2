/** The CLI on bad input: clear messages and the documented exit codes (0 ok, 1 errors found, 2 usage/input). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: l => out.push(l), err: l => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'knl-cli-'));

test('no arguments prints the usage and exits 2; --help exits 0', async () => {
  const none = await run();
  assert.equal(none.code, 2);
  assert.match(none.out, /Usage: kube-netlens <command> PATH/);
  assert.equal((await run('--help')).code, 0);
  assert.equal((await run('check', '--help')).code, 0);
});

test('an unknown command or option is a usage error naming it', async () => {
  const cmd = await run('lint', 'examples');
  assert.equal(cmd.code, 2);
  assert.match(cmd.err, /unknown command 'lint'/);
  const opt = await run('check', '--frobnicate', 'examples');
  assert.equal(opt.code, 2);
  assert.match(opt.err, /frobnicate/);
  const val = await run('check', '-o', 'xml', 'examples');
  assert.equal(val.code, 2);
  assert.match(val.err, /text, json, sarif|xml/);
});

test('a path that does not exist is an input error naming the path', async () => {
  for (const command of ['objects', 'check', 'connectivity', 'ipam']) {
    const r = await run(command, '/no/such/dir');
    assert.equal(r.code, 2, command);
    assert.match(r.err, /\/no\/such\/dir: no such file or folder/, command);
  }
});

test('a folder with no manifests says so and is not an error', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  const r = await run('check', dir);
  assert.equal(r.code, 0);
  assert.match(r.err, /no manifest files \(\.yaml, \.yml, \.json\) found/);
  fs.rmSync(dir, { recursive: true });
});

test('an unreadable file in a folder is a warning; the rest is analysed', async () => {
  const dir = tmp();
  fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'broken.yaml'));
  fs.writeFileSync(path.join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n');
  const r = await run('objects', dir);
  assert.equal(r.code, 0);
  assert.match(r.err, /cannot read .*broken\.yaml: ENOENT/);
  assert.match(r.out, /svc\.yaml:1 Service default\/web/);
  fs.rmSync(dir, { recursive: true });
});

test('check exits 1 on an error finding and reports it at its line', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'np.yaml'), [
    'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: p}', 'spec:', '  podSelector: {}',
    '  ingress:', '    - from:', '        - ipBlock: {cidr: 10.0.0.0/33}', '',
  ].join('\n'));
  const r = await run('check', dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /np\.yaml:8:\d+ error cidr-invalid "10\.0\.0\.0\/33" has prefix length 33/);
  fs.rmSync(dir, { recursive: true });
});

test('connectivity notes the admin rules whose nodes or domainNames peers it cannot evaluate', async () => {
  const r = await run('connectivity', 'test/fixtures/admin/cnp-nodes-domainnames.yaml');
  assert.equal(r.code, 0);
  assert.match(r.err, /note: not evaluated offline, so the lines toward external addresses may differ for the addresses they stand for: ClusterNetworkPolicy 'egress-guard' rule allow-example \(domainNames: names are not resolved offline\), ClusterNetworkPolicy 'egress-guard' rule to-nodes \(nodes: node addresses are not in the workspace\)/);
  assert.doesNotMatch((await run('connectivity', 'examples')).err, /not evaluated offline/);
});
