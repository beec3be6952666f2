/**
 * What the editor shows of renders, in the core (real kubectl and helm from .tools/bin): the
 * diagram's nodes of each overlay and chart say which render made them, and every location a node
 * or an edge reveals is in the file the user edits (the base, the template), never in the render;
 * Go to Definition from a base goes through the overlays' renders back to a source.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tree as makeTree } from './tree';
import { loadProject, renderFlags } from '../../src/cli/load';
import { buildGraph } from '../../src/core/graph/build';
import type { NetworkGraph, SourceLocation } from '../../src/core/graph/model';
import { renderedDefinition } from '../../src/core/render/definition';
import { renderedHover } from '../../src/core/render/hover';
import { mapRevealLinks, revealLink } from '../../src/core/hover/markdown';
import { mergeRenderedGraphs, renderedNodeAt } from '../../src/core/render/graph';
import { RENDER_SUFFIX } from '../../src/core/render/project';
import { DEFAULT_SETTINGS } from '../../src/core/settings';

const BIN = path.resolve(__dirname, '../../.tools/bin');
const tools = () => renderFlags({ 'kustomize-cmd': `${path.join(BIN, 'kubectl')} kustomize`, 'helm-cmd': path.join(BIN, 'helm') });

const tree = (files: Record<string, string>) => makeTree(files, 'netlens-render-graph-');

const APP = [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', 'spec:', '  selector:', '    matchLabels: {app: api}',
  '  template:', '    metadata:', '      labels: {app: api}', '    spec:', '      containers:', '      - name: api', '        image: api',
  '---', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: api', 'spec:', '  selector: {app: api}', '  ports:', '  - port: 80',
  '---', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: api', 'spec:', '  podSelector: {matchLabels: {app: api}}',
  '  ingress:', '  - from:', '    - podSelector: {}', '',
].join('\n');

const FILES = {
  'base/kustomization.yaml': 'resources:\n- app.yaml\n',
  'base/app.yaml': APP,
  'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\nnamespace: dev\nnamePrefix: dev-\n',
  'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nnamespace: prod\n',
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'chart/values.yaml': 'app: web\n',
  'chart/templates/web.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}', 'spec:', '  selector:', '    matchLabels: {app: web}',
    '  template:', '    metadata:', '      labels: {app: web}', '    spec:', '      containers:', '      - name: web', '        image: web', '',
  ].join('\n'),
  'loose.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely, namespace: other}\nspec:\n  ports: [{port: 1}]\n',
};

function locations(g: NetworkGraph): SourceLocation[] {
  return [
    ...g.nodes.flatMap(n => [n.source, ...(n.policies ?? []).map(p => p.source)]),
    ...g.edges.map(e => e.sourceLocation), ...g.groups.map(gr => gr.source),
  ].filter((l): l is SourceLocation => !!l);
}

test('the diagram shows each render\'s objects, rendered from its overlay or chart, at source locations', async () => {
  const dir = tree(FILES);
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  assert.equal(project.renders.length, 3);
  const g = mergeRenderedGraphs(buildGraph(project.loose), project.renders);
  const node = (id: string) => g.nodes.find(n => n.id === id);

  const dev = node('workload:dev/dev-api[Deployment]');
  assert.ok(dev, g.nodes.map(n => n.id).join('\n'));
  assert.deepEqual(dev.renderedFrom, ['overlay overlays/dev']);
  assert.deepEqual(node('workload:prod/api[Deployment]')?.renderedFrom, ['overlay overlays/prod']);
  assert.deepEqual(node('workload:default/web[Deployment]')?.renderedFrom, ['chart chart, values chart/values.yaml']);
  assert.equal(node('service:other/lonely')?.renderedFrom, undefined, 'a loose manifest is not rendered');
  // The Deployment's node reveals the base's Deployment, the Service's the base's Service.
  const base = fs.readFileSync(path.join(dir, 'base/app.yaml'), 'utf8');
  assert.equal(dev.source?.file, 'base/app.yaml');
  assert.match(base.slice(dev.source!.span.start, dev.source!.span.end), /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: api/);
  const svc = node('service:dev/dev-api')!;
  assert.equal(svc.source?.file, 'base/app.yaml');
  assert.match(base.slice(svc.source!.span.start, svc.source!.span.end), /kind: Service/);
  assert.deepEqual(dev.policies?.map(p => [p.name, p.source.file]), [['dev-api', 'base/app.yaml']]);
  const selects = g.edges.find(e => e.id === 'selects:service:dev/dev-api->workload:dev/dev-api[Deployment]');
  const sel = selects!.sourceLocation!;
  assert.equal(sel.file, 'base/app.yaml');
  assert.equal(base.slice(base.lastIndexOf('\n', sel.span.start) + 1, base.indexOf('\n', sel.span.start)), '  selector: {app: api}', 'the Service\'s selector');
  const web = node('workload:default/web[Deployment]')!;
  assert.equal(web.source?.file, 'chart/templates/web.yaml');
  // Flows of each render are there; none between two renders (each is a deploy of its own).
  assert.ok(g.edges.some(e => e.kind === 'flow' && e.source === 'workload:dev/dev-api[Deployment]'));
  assert.ok(!g.edges.some(e => e.kind === 'flow' && [e.source, e.target].includes('workload:dev/dev-api[Deployment]') && [e.source, e.target].includes('workload:default/web[Deployment]')));
  assert.deepEqual(g.namespaces, ['default', 'dev', 'other', 'prod']);
  for (const l of locations(g)) assert.ok(!l.file.endsWith(RENDER_SUFFIX) && fs.existsSync(path.join(dir, l.file)), `${l.file}: a location in the render`);

  // Options filter every world alike.
  const prod = mergeRenderedGraphs(buildGraph(project.loose, { namespace: 'prod' }), project.renders, { namespace: 'prod' });
  assert.deepEqual([...new Set(prod.nodes.flatMap(n => n.namespace ?? []))], ['prod'], 'and what lies outside the cluster');

  // The cursor on the base's Service name stands for the Service the first overlay renders.
  const at = base.indexOf('name: api\nspec:\n  selector: {app: api}') + 'name: '.length;
  assert.equal(renderedNodeAt(project.renders, 'base/app.yaml', at), 'service:dev/dev-api');
  assert.equal(renderedNodeAt(project.renders, 'loose.yaml', 3), undefined);
});

test('two overlays rendering the same object into one namespace draw one node naming both', async () => {
  const dir = tree({
    'base/kustomization.yaml': 'resources:\n- app.yaml\n',
    'base/app.yaml': APP,
    'overlays/a/kustomization.yaml': 'resources:\n- ../../base\nnamespace: shop\n',
    'overlays/b/kustomization.yaml': 'resources:\n- ../../base\nnamespace: shop\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const g = mergeRenderedGraphs(buildGraph(project.loose), project.renders);
  assert.deepEqual(g.nodes.filter(n => n.kind === 'workload').map(n => [n.id, n.renderedFrom]), [
    ['workload:shop/api[Deployment]', ['overlay overlays/a', 'overlay overlays/b']],
  ]);
  // The loose files draw nothing: their "no NetworkPolicy" note is not shown.
  assert.deepEqual(g.notes, []);
});

/** The base with a ConfigMap that calls http://api:80, under two overlays (dev renames it with a prefix). */
const WITH_URL = {
    'base/kustomization.yaml': 'resources:\n- app.yaml\n',
    'base/app.yaml': `${APP}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  API: http://api:80\n`,
    'overlays/dev/kustomization.yaml': 'resources:\n- ../../base\nnamespace: dev\nnamePrefix: dev-\n',
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nnamespace: prod\n',
};

test('Go to Definition from a base: through each overlay\'s render to the Service\'s source', async () => {
  const dir = tree({
    ...WITH_URL,
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const base = fs.readFileSync(path.join(dir, 'base/app.yaml'), 'utf8');
  const at = base.indexOf('http://api') + 'http://'.length + 1;
  const r = renderedDefinition(project.renders, 'base/app.yaml', at);
  // dev's namePrefix leaves http://api unresolved there; prod's Service api is the base's Service.
  assert.ok(r);
  assert.equal(base.slice(r.origin.start, r.origin.end), 'api');
  assert.deepEqual(r.locations.map(l => [l.file, base.slice(l.span.start, l.span.end)]), [['base/app.yaml', 'api']]);
  assert.equal(r.locations[0]!.span.start, base.indexOf('name: api\nspec:\n  selector: {app: api}') + 'name: '.length);
  assert.equal(renderedDefinition(project.renders, 'base/app.yaml', base.indexOf('image: api')), undefined);
});

test('a hover in a base links to the file that writes the Service, never into the render', async () => {
  const dir = tree({
    ...WITH_URL,
    // A generated object: no file the user edits writes it.
    'overlays/gen/kustomization.yaml': 'resources:\n- ../../base\nnamespace: gen\nconfigMapGenerator:\n- name: extra\n  literals: [URL=http://api:80]\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const base = fs.readFileSync(path.join(dir, 'base/app.yaml'), 'utf8');
  const lines = (file: string) => project.lineSource.get(file)?.manifest.lines;
  const h = renderedHover(project.renders, 'base/app.yaml', base.indexOf('http://api') + 'http://'.length + 1, lines);
  assert.ok(h);
  assert.equal(base.slice(h.span.start, h.span.end), 'api');
  assert.match(h.markdown, /Rendered in overlay .*gen/);
  assert.match(h.markdown, /Rendered in overlay .*prod/);
  const links = [...h.markdown.matchAll(/\[([^\]]*)\]\(command:kubeNetlens\.reveal\?([^)]*)\)/g)].map(m => [m[1], JSON.parse(decodeURIComponent(m[2]!))]);
  assert.ok(links.length >= 2, h.markdown);
  assert.doesNotMatch(h.markdown, new RegExp(RENDER_SUFFIX.replace(/\W/g, '\\$&')), 'no link into a render');
  // Each render's Service api is written at the base's `name: api`, line 19.
  const name = base.indexOf('name: api\nspec:\n  selector: {app: api}') + 'name: '.length;
  for (const [label, [file, start, end]] of links) {
    assert.equal(label, 'app\\.yaml:19');
    assert.deepEqual([file, start, end], ['base/app.yaml', name, name + 3]);
  }
});

test('hover and Go to Definition in a patch (inline in a kustomization, or a patch file) answer as in a base', async () => {
  const patch = (name: string, url: string, env: string) => [
    'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: ${name}}`, 'spec:', '  template:', '    spec:', '      containers:',
    `      - name: ${name}`, '        env:', `        - {name: ${env}, value: "${url}"}`,
  ];
  const dir = tree({
    'base/kustomization.yaml': 'resources:\n- app.yaml\n',
    'base/app.yaml': `${APP}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: client}\nspec:\n  selector: {matchLabels: {app: client}}\n  template:\n    metadata: {labels: {app: client}}\n    spec:\n      containers:\n      - name: client\n        image: client\n`,
    'overlays/prod/kustomization.yaml': ['resources:', '- ../../base', 'namespace: prod', 'patches:', '- patch: |-',
      ...patch('client', 'http://api:80/inline', 'INLINE_URL').map(l => `    ${l}`), 'patchesStrategicMerge:', '- client-file.yaml', ''].join('\n'),
    'overlays/prod/client-file.yaml': [...patch('client', 'http://api:80/file', 'FILE_URL'), ''].join('\n'),
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const base = fs.readFileSync(path.join(dir, 'base/app.yaml'), 'utf8');
  const serviceName = base.indexOf('name: api\nspec:\n  selector: {app: api}') + 'name: '.length;
  const lines = (file: string) => project.lineSource.get(file)?.manifest.lines;
  for (const file of ['overlays/prod/kustomization.yaml', 'overlays/prod/client-file.yaml']) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const at = text.indexOf('http://api') + 'http://'.length + 1;
    const h = renderedHover(project.renders, file, at, lines);
    assert.ok(h, `a hover in ${file}`);
    // The hover covers the name, or (a quoted value, placed back as a whole) the value that holds it.
    assert.ok(h.span.start <= at && at <= h.span.end && /^"?http:\/\/api:80\/\w+"?$|^api$/.test(text.slice(h.span.start, h.span.end)), text.slice(h.span.start, h.span.end));
    assert.match(h.markdown, /`api\.prod\.svc\.cluster\.local` \(A\)/);
    const d = renderedDefinition(project.renders, file, at);
    assert.deepEqual(d?.locations.map(l => [l.file, l.span.start]), [['base/app.yaml', serviceName]], file);
  }
});

test('a hover link into a render that no source writes is said in words', () => {
  const md = `Service ${revealLink('x.yaml#rendered:3', 'x.yaml#rendered', { start: 1, end: 2 })} and ${revealLink('y (1).yaml:2', '/a (b)/y.yaml', { start: 3, end: 4 })}`;
  assert.equal(mapRevealLinks(md, f => (f === 'x.yaml#rendered' ? '_made by overlay o_' : undefined)),
    `Service _made by overlay o_ and ${revealLink('y (1).yaml:2', '/a (b)/y.yaml', { start: 3, end: 4 })}`);
  // A path with parentheses stays inside its link.
  assert.deepEqual([...md.matchAll(/\]\(command:kubeNetlens\.reveal\?([^)]*)\)/g)].map(m => JSON.parse(decodeURIComponent(m[1]!))[0]), ['x.yaml#rendered', '/a (b)/y.yaml']);
});

test('the diagram\'s notes: said once when every world gives them, naming the renders otherwise', async () => {
  const dir = tree({
    ...FILES,
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\nnamespace: prod\n',
  });
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, tools(), dir);
  const g = mergeRenderedGraphs(buildGraph(project.loose), project.renders);
  // The base holds a NetworkPolicy (both overlays); the chart and the loose Service do not.
  const none = 'No NetworkPolicy in the workspace: every pod may reach every other and the internet.';
  assert.deepEqual([...g.notes].sort(), [`chart chart: ${none}`, `manifests read as they are: ${none}`]);
  const noPolicy = tree({ 'a/kustomization.yaml': 'resources:\n- app.yaml\n', 'a/app.yaml': APP.split('---\napiVersion: networking')[0]!, 'b/kustomization.yaml': 'resources:\n- ../a\nnamespace: b\n' });
  const two = await loadProject([noPolicy], DEFAULT_SETTINGS, tools(), noPolicy);
  assert.deepEqual(mergeRenderedGraphs(buildGraph(two.project.loose), two.project.renders).notes, [none]);
});
