/**
 * Rendering with the real tools (helm and kubectl from the devDependency, extracted to .tools/bin by
 * `npm run test:unit`): which folders are roots, where findings of a render land, and that checking a
 * source folder says what checking the renderer's own output says, at source locations.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tree as makeTree } from './tree';
import { loadProject, renderFlags } from '../../src/cli/load';
import { main } from '../../src/cli/main';
import { connectivity, formatConnectivity } from '../../src/core/net/policy/index';
import { RENDER_SUFFIX } from '../../src/core/render/project';
import { findRoots } from '../../src/core/render/roots';
import { checkWorkspace } from '../../src/core/rules/run';
import type { Finding } from '../../src/core/rules/rule';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { fsReader } from '../../src/render/renderer';
import { CORPUS } from './corpus';

const BIN = path.resolve(__dirname, '../../.tools/bin');
const KUBECTL = path.join(BIN, 'kubectl');
const HELM = path.join(BIN, 'helm');
const REAL = path.join(CORPUS, 'realworld');
const tools = (extra: Record<string, unknown> = {}) => renderFlags({ 'kustomize-cmd': `${KUBECTL} kustomize`, 'helm-cmd': HELM, ...extra });

const tree = (files: Record<string, string>) => makeTree(files, 'netlens-render-');

const all = (m: Map<string, Finding[]>) => [...m.values()].flat();
/** A finding's words without the render's `(in overlay …)` note. */
const words = (f: Finding) => `${f.rule} ${f.message.replace(/ \(in (overlay|chart) [^)]*\)$/, '')}`;

const BASE = {
  'base/kustomization.yaml': 'resources:\n- app.yaml\n',
  'base/app.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  selector:', '    matchLabels: {app: api}',
    '  template:', '    metadata:', '      labels: {app: api}', '    spec:', '      containers:', '      - name: api', '        image: api',
    '        env:', '        - name: DB', '          value: db:5432',
    '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  selector: {app: apii}', '  ports:', '  - port: 80', '',
  ].join('\n'),
};

test('roots: overlays are entry points, their bases and used components are owned; charts need templates/ and a name', () => {
  const dir = tree({
    ...BASE,
    'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\ncomponents:\n- ../../comp\nnamespace: dev\n',
    'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- extra.yaml\n',
    'comp/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n',
    'lonely/kustomization.yaml': 'kind: Component\nresources:\n- x.yaml\n',
    'lonely/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 1.x\n',
    'chart/templates/a.yaml': 'kind: {{ .Values.kind }}\n',
    'snippet/Chart.yaml': 'name: "$1"\nversion: 0.1.0\n',
    'umbrella/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n- name: cart\n  version: 1.0.0\n  repository: file://../cart\n',
    'notes/Chart.yaml': 'apiVersion: v2\nname: notes\nversion: 1.0.0\n',
    'loose.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loose}\n',
  });
  const files = ['base/kustomization.yaml', 'base/app.yaml', 'overlays/dev/kustomization.yaml', 'comp/kustomization.yaml', 'comp/extra.yaml',
    'lonely/kustomization.yaml', 'lonely/x.yaml', 'chart/Chart.yaml', 'chart/templates/a.yaml', 'snippet/Chart.yaml', 'umbrella/Chart.yaml',
    'notes/Chart.yaml', 'loose.yaml'].map(f => `${dir}/${f}`);
  const { roots, owned } = findRoots(files, fsReader);
  // An umbrella chart (dependencies, no templates/) is a root; a Chart.yaml with neither is not.
  assert.deepEqual(roots.map(r => [r.tool, path.relative(dir, r.dir)]), [['helm', 'chart'], ['kustomize', 'overlays/dev'], ['helm', 'umbrella']].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
  assert.deepEqual(roots.find(r => r.dir.endsWith('umbrella'))!.missingDependencies, ['cart']);
  const helm = roots[0]!;
  assert.deepEqual(helm.missingDependencies, ['redis']);
  assert.match(helm.problem ?? '', /helm dependency build/);
  const rel = [...owned].map(f => path.relative(dir, f)).sort();
  assert.deepEqual(rel, ['base/app.yaml', 'base/kustomization.yaml', 'chart/Chart.yaml', 'chart/templates/a.yaml', 'comp/extra.yaml', 'comp/kustomization.yaml', 'overlays/dev/kustomization.yaml', 'umbrella/Chart.yaml']);
});

test('a finding in a base appears once per overlay that renders it, on the base file, naming the overlay', async () => {
  const dir = tree({
    ...BASE,
    'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\nnamespace: dev\nnamePrefix: dev-\n',
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nnamespace: prod\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const found = all(project.check()).filter(f => f.rule === 'service-selector-matches-nothing');
  assert.deepEqual(found.map(f => [f.file, f.message.match(/\(in (overlay [^)]*)\)$/)?.[1]]), [
    ['base/app.yaml', 'overlay overlays/dev'], ['base/app.yaml', 'overlay overlays/prod'],
  ]);
  const text = fs.readFileSync(path.join(dir, 'base/app.yaml'), 'utf8');
  for (const f of found) assert.equal(text.slice(f.span.start, f.span.end), 'apii');
  // The base is not analysed on its own (no finding without an overlay).
  assert.ok(all(project.check()).every(f => / \(in overlay /.test(f.message)));
});

test('a value a patch sets maps to the patch; a base offset maps to the rendered object (name with prefix)', async () => {
  const dir = tree({
    ...BASE,
    'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: dev-\npatches:\n- path: patch.yaml\n',
    'overlays/dev/patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: nope\n',
  });
  const { project, roots } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const f = all(project.check()).find(x => x.rule === 'service-selector-matches-nothing')!;
  assert.equal(f.file, 'overlays/dev/patch.yaml');
  assert.deepEqual(project.lineSource.get(f.file)?.manifest.lines.position(f.span.start), { line: 6, character: 9 });
  assert.equal(fs.readFileSync(path.join(dir, f.file), 'utf8').slice(f.span.start, f.span.end), 'nope');
  const world = project.world(roots[0]!.file)!;
  const base = fs.readFileSync(path.join(dir, 'base/app.yaml'), 'utf8');
  const at = base.indexOf('name: api\nspec:\n  selector: {app: apii}') + 'name: '.length;
  const rendered = world.workspace.get(world.file)!.manifest.text;
  const offsets = world.map.fromSource('base/app.yaml', at + 1);
  assert.equal(offsets.length, 1);
  assert.equal(rendered.slice(offsets[0]!, offsets[0]! + 7), 'dev-api');
});

test('a value an inline patch sets maps into the kustomization that writes it', async () => {
  const dir = tree({
    ...BASE,
    'overlays/dev/kustomization.yaml': [
      'resources:', '- ../../base', 'patches:', '- patch: |-', '    apiVersion: v1', '    kind: Service', '    metadata:', '      name: api',
      '    spec:', '      selector:', '        app: inline', '',
    ].join('\n'),
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const f = all(project.check()).find(x => x.rule === 'service-selector-matches-nothing')!;
  assert.equal(f.file, 'overlays/dev/kustomization.yaml');
  assert.equal(fs.readFileSync(path.join(dir, f.file), 'utf8').slice(f.span.start, f.span.end), 'inline');
  // Lines and columns come from the text the render read (the CLI prints them).
  assert.deepEqual(project.lineSource.get(f.file)?.manifest.lines.position(f.span.start), { line: 10, character: 13 });
  assert.doesNotMatch(f.message, /not found/);
});

test('helm: findings land on template lines; template files get no YAML errors; the release namespace applies', async () => {
  const dir = tree({
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'chart/values.yaml': 'backend: backend:9898\n',
    'chart/templates/app.yaml': [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}', 'spec:', '  selector:', '    matchLabels: {app: web}',
      '  template:', '    metadata:', '      labels: {app: web}', '    spec:', '      containers:', '      - name: web', '        image: web',
      '        args:', '        - --backend={{ .Values.backend }}', '{{- if false }}', 'broken: [', '{{- end }}', '',
    ].join('\n'),
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools({ namespace: 'shop' }), dir);
  const found = all(project.check());
  assert.ok(!found.some(f => f.rule === 'yaml-syntax' || f.rule === 'helm-template'), found.map(words).join('\n'));
  const dns = found.find(f => f.rule === 'dns-name-unresolved')!;
  assert.equal(dns.file, 'chart/templates/app.yaml');
  assert.match(dns.message, /Service backend in namespace shop/);
  const template = fs.readFileSync(path.join(dir, 'chart/templates/app.yaml'), 'utf8');
  const line = template.slice(template.lastIndexOf('\n', dns.span.start) + 1, template.indexOf('\n', dns.span.start));
  assert.equal(line, '        - --backend={{ .Values.backend }}');
});

test('a chart whose dependencies are not vendored gets one finding on Chart.yaml and is not analysed', async () => {
  const dir = tree({
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: 1.x\n  repository: https://charts.example.com\n',
    'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selector: {app: none}\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  assert.deepEqual(all(project.check()).map(f => [f.rule, f.file]), [['helm-dependencies-missing', 'chart/Chart.yaml']]);
});

test('an umbrella chart (dependencies vendored, no templates/ of its own) renders its subcharts', async () => {
  const dir = tree({
    'shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n- name: cart\n  version: 1.0.0\n  repository: file://../cart\n',
    'shop/charts/cart/Chart.yaml': 'apiVersion: v2\nname: cart\nversion: 1.0.0\n',
    // The umbrella's values set the subchart's port: only a render of the umbrella gives 70000.
    'shop/values.yaml': 'cart:\n  port: 70000\n',
    'shop/charts/cart/values.yaml': 'port: 80\n',
    'shop/charts/cart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  ports: [{port: {{ .Values.port }}}]\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  assert.deepEqual(all(project.check()).map(f => [f.rule, f.file]), [['manifest-rejected', 'shop/charts/cart/templates/svc.yaml']]);
});

test('helm: test hooks are not rendered (an install creates no test pod)', async () => {
  const dir = tree({
    'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'web/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
    'web/templates/tests/test-connection.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-test\n  labels: {app: web}\n  annotations: {"helm.sh/hook": test}\nspec:\n  containers: [{name: wget, image: busybox, args: ["web:80"]}]\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const [world] = project.renders;
  assert.deepEqual(world!.workspace.fileNames.flatMap(f => world!.workspace.get(f)!.manifest.objects.map(o => `${o.kind}/${o.name}`)), ['Service/web']);
});

test('a missing renderer is one notice per root, and the root\'s files are not read as loose manifests', async () => {
  const dir = tree({ ...BASE, 'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\n' });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, renderFlags({ 'kustomize-cmd': '/nonexistent/kustomize build' }), dir);
  const found = all(project.check());
  assert.deepEqual(found.map(f => [f.rule, f.file, f.severity]), [['render-tool-missing', 'overlays/dev/kustomization.yaml', 'info']]);
  assert.match(found[0]!.message, /not found: install kubectl/);
  // --no-render reads them as they are.
  const raw = await loadProject([dir], DEFAULT_SETTINGS, renderFlags({ 'no-render': true }), dir);
  assert.ok(all(raw.project.check()).some(f => f.rule === 'service-selector-matches-nothing' && f.file === 'base/app.yaml'));
});

test('a render that fails is an error on the root with the tool\'s message', async () => {
  const dir = tree({ 'overlays/dev/kustomization.yaml': 'resources:\n- missing.yaml\n' });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const [f, ...rest] = all(project.check());
  assert.equal(rest.length, 0);
  assert.equal(f!.rule, 'render-failed');
  assert.equal(f!.severity, 'error');
  assert.match(f!.message, /missing\.yaml/);
});

/** The corpus layouts, each with how upstream applies it (the folder's README). */
const LAYOUTS: Array<{ name: string; dir: string; tool: 'kustomize' | 'helm'; namespace?: string; values?: string }> = [
  { name: 'podinfo overlay dev', dir: 'stefanprodan__podinfo/deploy/overlays/dev', tool: 'kustomize' },
  { name: 'podinfo chart, prod values', dir: 'stefanprodan__podinfo/charts/podinfo', tool: 'helm', namespace: 'podinfo', values: 'values-prod.yaml' },
  { name: 'online boutique kustomize/', dir: 'GoogleCloudPlatform__microservices-demo/kustomize', tool: 'kustomize' },
  { name: 'online boutique memorystore test', dir: 'GoogleCloudPlatform__microservices-demo/kustomize/tests/memorystore-with-all-components', tool: 'kustomize' },
  { name: 'online boutique chart', dir: 'GoogleCloudPlatform__microservices-demo/helm-chart', tool: 'helm', namespace: 'onlineboutique' },
  { name: 'argo-rollouts namespace-install', dir: 'argoproj__argo-rollouts/manifests/namespace-install', tool: 'kustomize' },
  { name: 'jenkins chart', dir: 'jenkinsci__helm-charts/charts/jenkins', tool: 'helm', namespace: 'jenkins' },
  { name: 'strimzi operator chart', dir: 'strimzi__strimzi-kafka-operator/packaging/helm-charts/helm3/strimzi-kafka-operator', tool: 'helm', namespace: 'kafka' },
  { name: 'podinfo overlay production', dir: 'stefanprodan__podinfo/deploy/overlays/production', tool: 'kustomize' },
  { name: 'podinfo overlay staging', dir: 'stefanprodan__podinfo/deploy/overlays/staging', tool: 'kustomize' },
  { name: 'podinfo kustomize/', dir: 'stefanprodan__podinfo/kustomize', tool: 'kustomize' },
  { name: 'online boutique istio test', dir: 'GoogleCloudPlatform__microservices-demo/kustomize/tests/service-mesh-istio-with-all-components', tool: 'kustomize' },
  { name: 'online boutique spanner test', dir: 'GoogleCloudPlatform__microservices-demo/kustomize/tests/spanner-with-all-components', tool: 'kustomize' },
  { name: 'argo-rollouts dashboard-install', dir: 'argoproj__argo-rollouts/manifests/dashboard-install', tool: 'kustomize' },
  { name: 'argo-rollouts notifications example', dir: 'argoproj__argo-rollouts/examples/notifications', tool: 'kustomize' },
  { name: 'argo-rollouts helm-blue-green example', dir: 'argoproj__argo-rollouts/examples/helm-blue-green', tool: 'helm', namespace: 'default' },
];

test('corpus: every render root under realworld/ and apps/microservices-demo is one of the layouts compared below', () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p.split(path.sep).join('/'));
    }
  };
  walk(REAL);
  walk(path.join(CORPUS, 'apps/microservices-demo'));
  const { roots } = findRoots(files, fsReader);
  assert.deepEqual(roots.map(r => path.relative(REAL, r.dir)).sort(), LAYOUTS.map(l => l.dir).sort());
});

for (const l of LAYOUTS) {
  test(`corpus: check and connectivity of ${l.name} equal those of its own render, at source locations`, async () => {
    const dir = path.join(REAL, l.dir);
    const values = l.values ? path.join(dir, l.values) : undefined;
    const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools({ namespace: l.namespace, ...(values ? { 'helm-values': [values] } : {}) }), REAL);
    const world = project.renders.find(r => r.root.dir === dir)!;
    assert.ok(world, `${l.dir} is rendered`);

    const argv = l.tool === 'helm'
      ? [HELM, 'template', path.basename(world.root.chartName ?? dir), dir, '--namespace', l.namespace!, '--skip-tests', ...(values ? ['-f', values] : [])]
      : [KUBECTL, 'kustomize', dir];
    const own = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(own.status, 0, own.stderr);
    const plain = new Workspace(DEFAULT_SETTINGS);
    plain.set('render.yaml', own.stdout, l.namespace && l.tool === 'helm' ? { defaultNamespace: l.namespace } : {});

    const ours = project.checkRender(world);
    // Every finding is placed on the line that writes what it is about.
    assert.deepEqual(ours.filter(f => /exact line in this file was not found/.test(f.message)).map(f => `${f.file}: ${f.message}`), []);
    assert.deepEqual(ours.map(words).sort(), all(checkWorkspace(plain)).map(words).sort());
    for (const f of ours) {
      assert.ok(!f.file.endsWith(RENDER_SUFFIX), `${f.file}: a location in the render`);
      assert.ok(fs.existsSync(path.join(REAL, f.file)), `${f.file} is a source file`);
      assert.ok(f.span.end <= fs.readFileSync(path.join(REAL, f.file), 'utf8').length);
      assert.equal(project.lineSource.get(f.file) !== undefined, true, `${f.file}: lines known for the CLI's positions`);
    }
    const lines = (ws: Workspace) => formatConnectivity(connectivity(ws), 'txt').split('\n').sort();
    assert.deepEqual(lines(world.workspace), lines(plain));
  });
}

test('corpus: apps/microservices-demo has no render root and reads as before', async () => {
  const dir = path.join(CORPUS, 'apps/microservices-demo');
  const rendered = await loadProject([dir], DEFAULT_SETTINGS, tools(), CORPUS);
  const raw = await loadProject([dir], DEFAULT_SETTINGS, renderFlags({ 'no-render': true }), CORPUS);
  assert.equal(rendered.roots.length, 0, 'the network-policies Component is used by nothing here: read as it is');
  assert.deepEqual(all(rendered.project.check()), all(raw.project.check()));
});

test('cli: resolve and connectivity render the overlays under PATH, one heading per render', async () => {
  const dir = tree({
    ...BASE,
    'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\nnamespace: dev\nnamePrefix: dev-\n',
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nnamespace: prod\n',
  });
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await main([...argv, '--kustomize-cmd', `${KUBECTL} kustomize`], { out: l => out.push(l), err: () => {} });
    return { code, out: out.join('\n') };
  };
  const dev = await run('resolve', 'dev-api:80', '--from', 'dev', path.join(dir, 'overlays/dev'));
  assert.equal(dev.code, 0);
  assert.match(dev.out, /^dev-api → dev-api\.dev\.svc\.cluster\.local \(A\) → Service dev\/dev-api/);
  const both = await run('resolve', 'api', '--from', 'prod', path.join(dir, 'overlays'));
  assert.equal(both.code, 1, 'api resolves in prod only');
  assert.match(both.out, /# overlay .*overlays\/dev\n[^#]*does not resolve/);
  assert.match(both.out, /# overlay .*overlays\/prod\napi → api\.prod\.svc\.cluster\.local/);
  const conn = await run('connectivity', path.join(dir, 'overlays'));
  assert.match(conn.out, /# overlay .*overlays\/dev\n(.*\n)*.*dev\/dev-api\[Deployment\]/);
  assert.match(conn.out, /# overlay .*overlays\/prod\n(.*\n)*.*prod\/api\[Deployment\]/);
});
