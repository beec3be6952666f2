/**
 * Every command renders the Kustomize overlays and Helm charts under PATH (real kubectl from
 * .tools/bin), judges each render on its own and reports in the source files; and every command
 * says the same thing, once per root, when a root cannot be rendered.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { tree as makeTree } from './tree';
import Ajv from 'ajv';
import { main } from '../../src/cli/main';

const KUBECTL = path.resolve(__dirname, '../../.tools/bin/kubectl');
const RENDER = ['--kustomize-cmd', `${KUBECTL} kustomize`];
const HELM = path.resolve(__dirname, '../../.tools/bin/helm');

const tree = (files: Record<string, string>) => makeTree(files, 'netlens-render-cli-');

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const old = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(argv, { out: l => out.push(l), err: l => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(old);
  }
}

const APP = [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  selector:', '    matchLabels: {app: api}',
  '  template:', '    metadata:', '      labels: {app: api}', '    spec:', '      containers:', '      - name: api', '        image: api',
  '---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  selector:', '    matchLabels: {app: web}',
  '  template:', '    metadata:', '      labels: {app: web}', '    spec:', '      containers:', '      - name: web', '        image: web',
  '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  clusterIP: 10.96.0.50', '  selector: {app: api}', '  ports:', '  - port: 80',
  '',
].join('\n');
const DENY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';

const OVERLAYS = {
  'base/kustomization.yaml': 'resources:\n- app.yaml\n',
  'base/app.yaml': APP,
  'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\nnamespace: dev\nnamePrefix: dev-\n',
  'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nnamespace: prod\n',
};

test('ipam renders the overlays: one plan each, locations in the base, no duplicate across alternatives', async () => {
  const dir = tree(OVERLAYS);
  const r = await cli(['ipam', '.', ...RENDER], dir);
  assert.equal(r.code, 0, r.err);
  // Each overlay's plan holds its own clusterIP, written in the base; read together they would collide.
  assert.match(r.out, /^# overlay overlays\/dev\n/);
  assert.match(r.out, /\n# overlay overlays\/prod\n/);
  const line = APP.split('\n').indexOf('  clusterIP: 10.96.0.50') + 1;
  assert.equal(r.out.split('\n').filter(l => /^ {2}10\.96\.0\.50 +Service clusterIP +base\/app\.yaml:(\d+) /.exec(l)?.[1] === String(line)).length, 2, r.out);
  assert.doesNotMatch(r.out, /also the clusterIP|#rendered/);
  assert.equal(r.out.match(/^Problems: none$/gm)?.length, 2);

  const json = await cli(['ipam', '.', '--json', ...RENDER], dir);
  const plans = JSON.parse(json.out) as Array<{ world: string; clusterIPs: Array<{ file: string; line: number }> }>;
  assert.deepEqual(plans.map(p => [p.world, p.clusterIPs.map(e => `${e.file}:${e.line}`)]), [
    ['overlay overlays/dev', [`base/app.yaml:${line}`]], ['overlay overlays/prod', [`base/app.yaml:${line}`]],
  ]);
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../docs/schemas/ipam.schema.json'), 'utf8')));
  assert.ok(validate(plans), JSON.stringify(validate.errors));

  // --no-render reads the files as they are: one plan, no heading.
  const raw = await cli(['ipam', '.', '--no-render'], dir);
  assert.doesNotMatch(raw.out, /^# /m);
  assert.match(raw.out, /10\.96\.0\.50 +Service clusterIP +base\/app\.yaml:/);
});

test('diff DIR1 DIR2 renders both sides and compares overlay with overlay', async () => {
  const before = tree(OVERLAYS);
  const after = tree({ ...OVERLAYS, 'base/kustomization.yaml': 'resources:\n- app.yaml\n- deny.yaml\n', 'base/deny.yaml': DENY });
  const r = await cli(['diff', before, after, ...RENDER], os.tmpdir());
  assert.equal(r.code, 3, r.err);
  const sections = r.out.split(/^# /m).filter(Boolean);
  assert.deepEqual(sections.map(s => s.split('\n')[0]), [
    `overlay ${path.relative(os.tmpdir(), path.join(after, 'overlays/dev'))}`, `overlay ${path.relative(os.tmpdir(), path.join(after, 'overlays/prod'))}`,
  ]);
  assert.match(sections[0]!, /diff-type: removed, source: dev\/dev-web\[Deployment\], destination: dev\/dev-api\[Deployment\]/);
  assert.match(sections[1]!, /diff-type: removed, source: prod\/web\[Deployment\], destination: prod\/api\[Deployment\]/);
  assert.doesNotMatch(sections[0]!, /prod\//, 'the overlays are not merged');
  // Without rendering, the base is read as it is (no namespace, no prefix).
  const raw = await cli(['diff', before, after, '--no-render'], os.tmpdir());
  assert.match(raw.out, /source: default\/web\[Deployment\], destination: default\/api\[Deployment\]/);
  assert.doesNotMatch(raw.out, /^# /m);
});

test('diff --base renders the revision from its tree; SARIF results are located in the base', async () => {
  const dir = tree(OVERLAYS);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('add', '-A');
  git('commit', '-qm', 'overlays');
  fs.writeFileSync(path.join(dir, 'base/kustomization.yaml'), 'resources:\n- app.yaml\n- deny.yaml\n');
  fs.writeFileSync(path.join(dir, 'base/deny.yaml'), DENY);
  const txt = await cli(['diff', '--base', 'HEAD', ...RENDER], dir);
  assert.equal(txt.code, 3, txt.err);
  assert.match(txt.out, /# overlay overlays\/dev\n(.*\n)*diff-type: removed, source: dev\/dev-web\[Deployment\], destination: dev\/dev-api\[Deployment\], HEAD: All Connections, worktree: No Connections/);
  assert.match(txt.out, /# overlay overlays\/prod\n(.*\n)*diff-type: removed, source: prod\/web\[Deployment\], destination: prod\/api\[Deployment\]/);
  const sarif = JSON.parse((await cli(['diff', '--base', 'HEAD', '-o', 'sarif', ...RENDER], dir)).out);
  const results = sarif.runs[0].results as Array<{ message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
  const dev = results.find(x => /dev\/dev-web\[Deployment\] => dev\/dev-api\[Deployment\]/.test(x.message.text))!;
  assert.match(dev.message.text, /\(in overlay overlays\/dev\)$/);
  // The policy that now denies it: its source, the base's deny.yaml.
  assert.deepEqual(dev.locations.map(l => l.physicalLocation.artifactLocation.uri), ['base/deny.yaml']);
  for (const r of results) for (const l of r.locations ?? []) assert.doesNotMatch(l.physicalLocation.artifactLocation.uri, /#rendered/);
  // Nothing changed against the work tree's own revision once committed.
  git('add', '-A');
  git('commit', '-qm', 'deny');
  assert.equal((await cli(['diff', '--base', 'HEAD', ...RENDER], dir)).code, 0);
});

test('a root that cannot be rendered: one finding in check, one warning in every other command, its files never read loose', async () => {
  const dir = tree(OVERLAYS);
  const missing = ['--kustomize-cmd', '/nonexistent/kustomize build'];
  const said = /overlays\/dev\/kustomization\.yaml.*not found: install kubectl/;
  const check = await cli(['check', '.', ...missing], dir);
  assert.equal(check.out.split('\n').filter(l => said.test(l)).length, 1, check.out);
  assert.match(check.out, /overlays\/dev\/kustomization\.yaml:1:1 info render-tool-missing /);
  assert.doesNotMatch(check.out, /base\/app\.yaml/);
  for (const argv of [['connectivity', '.'], ['resolve', 'api', '.'], ['ipam', '.'], ['diff', '.', '.']]) {
    const r = await cli([...argv, ...missing], dir);
    const warnings = r.err.split('\n').filter(l => said.test(l));
    assert.equal(warnings.length, argv[0] === 'diff' ? 2 : 1, `${argv[0]}: ${r.err}`);
    assert.match(warnings[0]!, /^warning: overlays\/dev\/kustomization\.yaml: /, argv[0]);
    assert.doesNotMatch(r.out, /api\[Deployment\]|base\/app\.yaml/, `${argv[0]} read the base as loose manifests`);
  }
});

test('a render over the size limit: one warning on its root in check and in every other command, naming the setting; raised, it is analysed', async () => {
  // 40 KB of data beside the app: over a limit of 8 KB per file for the 3 files of the overlay.
  const data = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 1000 }, (_, i) => `  k${i}: "${'x'.repeat(30)}"`).join('\n')}\n`;
  const dir = tree({
    'app/kustomization.yaml': 'resources:\n- app.yaml\n- data.yaml\nnamespace: shop\n',
    'app/app.yaml': APP,
    'app/data.yaml': data,
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'chart/templates/data.yaml': data,
    'chart/templates/app.yaml': APP,
  });
  const small = ['--max-file-size', '8K', ...RENDER, '--helm-cmd', HELM];
  const check = await cli(['check', '.', ...small], dir);
  const lines = check.out.split('\n').filter(l => / warning render-too-large /.test(l));
  assert.deepEqual(lines.map(l => l.replace(/ is \d+ KB/, ' is N KB')), [
    'app/kustomization.yaml:1:1 warning render-too-large The render of overlay app is N KB, over the size limit of 24 KB, 8 KB for each of the 3 files it is made from (setting kubeNetlens.maxFileSizeKB, CLI --max-file-size): nothing it renders is analysed.',
    'chart/Chart.yaml:1:1 warning render-too-large The render of chart chart is N KB, over the size limit of 24 KB, 8 KB for each of the 3 files it is made from (setting kubeNetlens.maxFileSizeKB, CLI --max-file-size): nothing it renders is analysed.',
  ], check.out);
  // Nothing else is said: neither render is analysed, no source is read as a loose file.
  assert.equal(check.out.split('\n').length, 2, check.out);
  for (const argv of [['connectivity', '.'], ['resolve', 'api', '-n', 'shop', '.'], ['ipam', '.']]) {
    const r = await cli([...argv, ...small], dir);
    const warnings = r.err.split('\n').filter(l => /render-too-large|over the size limit/.test(l));
    assert.deepEqual(warnings.map(l => l.split(':')[1]), [' app/kustomization.yaml', ' chart/Chart.yaml'], `${argv[0]}: ${r.err}`);
    assert.doesNotMatch(r.err, /#rendered/, argv[0]);
  }
  // Raised, both are analysed: connectivity lists their workloads, check says nothing about size.
  const raised = await cli(['connectivity', '.', '--max-file-size', '64K', ...RENDER, '--helm-cmd', HELM], dir);
  assert.match(raised.out, /shop\/api\[Deployment\]/);
  assert.match(raised.out, /default\/api\[Deployment\]/);
  assert.doesNotMatch((await cli(['check', '.', '--max-file-size', '64K', ...RENDER, '--helm-cmd', HELM], dir)).out, /render-too-large/);
});

test('a render larger than the renderer\'s output limit (64 MB) is a render-too-large warning, not a failure', async () => {
  const dir = tree({
    'app/kustomization.yaml': 'resources:\n- app.yaml\n',
    'app/app.yaml': APP,
    'tool.sh': '#!/bin/sh\nhead -c 70000000 /dev/zero\n',
  });
  fs.chmodSync(path.join(dir, 'tool.sh'), 0o755);
  const check = await cli(['check', '.', '--kustomize-cmd', path.join(dir, 'tool.sh')], dir);
  assert.equal(check.code, 0, check.out);
  assert.match(check.out, /^app\/kustomization\.yaml:1:1 warning render-too-large The render of \S+ is larger than 64 MB, the most read from \S+tool\.sh \(a fixed limit, no setting raises it\): nothing it renders is analysed\.$/m);
});
