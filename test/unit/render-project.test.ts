/**
 * The rendered project's bookkeeping without the tools (renders given as text): what one render
 * learns of the others (pods and policies elsewhere) follows every change of the project, and a
 * loose file's findings beside the renders stay those of a fresh project through edits (the
 * renders beside the loose files share the loose files' parses).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphOfRender } from '../../src/core/render/graph';
import { RenderedProject, type RenderOutput } from '../../src/core/render/project';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { RenderRoot } from '../../src/core/render/roots';

const root = (name: string): RenderRoot => ({ tool: 'kustomize', dir: `/r/${name}`, file: `/r/${name}/kustomization.yaml`, members: [`/r/${name}/kustomization.yaml`] });
const output = (text: string): RenderOutput => ({ text, sources: new Map() });

const deployment = (name: string, ns: string, app: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: i}]}
`;
const service = (name: string, ns: string, app: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${app}}
  ports: [{port: 80}]
`;
const policy = (name: string, ns: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

test('pods and policies elsewhere follow renders and loose files as they come and go', () => {
  const project = new RenderedProject();
  const a = project.setRender(root('a'), output(service('api', 'team', 'api') + '---\n' + policy('deny', 'team')));
  const elsewhere = () => [a.workspace.podsElsewhere!('team'), a.workspace.policiesElsewhere!('team')];
  assert.deepEqual(elsewhere(), [false, false]);
  project.setRender(root('b'), output(deployment('api', 'team', 'api')));
  assert.deepEqual(elsewhere(), [true, false]);
  // A policy of the same name is another version of this render's, not an addition.
  project.setRender(root('b'), output(deployment('api', 'team', 'api') + '---\n' + policy('deny', 'team')));
  assert.deepEqual(elsewhere(), [true, false]);
  project.setRender(root('b'), output(policy('allow', 'team')));
  assert.deepEqual(elsewhere(), [false, true]);
  project.deleteRender(root('b').file);
  assert.deepEqual(elsewhere(), [false, false]);
  project.setLoose('loose.yaml', deployment('web', 'team', 'web'));
  assert.deepEqual(elsewhere(), [true, false]);
  project.setLoose('loose.yaml', policy('extra', 'team'));
  assert.deepEqual(elsewhere(), [false, true]);
  project.setRenderProblem(root('c'), 'render-failed', 'no', 'resources: []\n');
  project.deleteLoose('loose.yaml');
  assert.deepEqual(elsewhere(), [false, false]);
  // `default` is where every root without a namespace lands: never "elsewhere".
  project.setRender(root('d'), output(deployment('api', 'default', 'api')));
  assert.equal(project.setRender(root('e'), output(service('s', 'default', 'x'))).workspace.podsElsewhere!('default'), false);
});

test('a loose file edited beside renders keeps the findings and offsets of a fresh project', () => {
  const before = `${deployment('web', 'shop', 'web')}---\n${service('web', 'shop', 'wbe')}`;
  const after = `${service('first', 'shop', 'nothing')}---\n${before}`;
  const renders = [output(deployment('db', 'data', 'db')), output(deployment('cache', 'shop', 'cache'))];
  const project = new RenderedProject();
  project.setLoose('app.yaml', before);
  const worlds = renders.map((r, i) => project.setRender(root(`r${i}`), r));
  const selectors = (text: string, found: ReturnType<RenderedProject['checkLoose']>) => found.map(f => `${f.rule} ${text.slice(f.span.start, f.span.end)}`);
  assert.deepEqual(selectors(before, project.checkLoose('app.yaml')), ['service-selector-matches-nothing wbe']);
  // The renders beside the loose files now exist; an edit that moves the Service's document down
  // (its parse is taken over, shifted in place) must move it in every one of them, once.
  project.setLoose('app.yaml', after);
  const fresh = new RenderedProject();
  fresh.setLoose('app.yaml', after);
  renders.forEach((r, i) => fresh.setRender(root(`r${i}`), r));
  assert.deepEqual(project.checkLoose('app.yaml'), fresh.checkLoose('app.yaml'));
  assert.deepEqual(selectors(after, project.checkLoose('app.yaml')), ['service-selector-matches-nothing nothing', 'service-selector-matches-nothing wbe']);
  for (const w of worlds) {
    const names = w.withLoose.get('app.yaml')!.manifest.objects.map(o => after.slice(o.nameSpan!.start, o.nameSpan!.end));
    assert.deepEqual(names, ['first', 'web', 'web']);
  }
  project.deleteLoose('app.yaml');
  assert.ok(worlds.every(w => !w.withLoose.has('app.yaml')));
});

test('the diagram takes each render\'s graph as it was while the render is unchanged (a keystroke in a loose file redraws none)', () => {
  const project = new RenderedProject();
  const w = project.setRender(root('a'), output(`${deployment('api', 'team', 'api')}---\n${service('api', 'team', 'api')}`));
  const first = graphOfRender(w);
  project.setLoose('loose.yaml', deployment('web', 'shop', 'web'));
  assert.equal(graphOfRender(w), first);
  const team = graphOfRender(w, { namespace: 'team' });
  assert.notEqual(team, first);
  assert.equal(graphOfRender(w, { namespace: 'team' }), team);
  const whole = graphOfRender(w);
  assert.equal(graphOfRender(w), whole);
  // New settings: the render's workspace changed.
  project.updateSettings({ ...DEFAULT_SETTINGS, ipBlockReading: 'all' });
  assert.notEqual(graphOfRender(w), whole);
  // Rendered again: a new world, a new graph.
  const again = project.setRender(root('a'), output(deployment('api', 'team', 'api')));
  const kinds = (g: typeof first) => new Set(g.nodes.map(n => n.kind));
  assert.ok(kinds(first).has('service'));
  assert.ok(!kinds(graphOfRender(again)).has('service'));
});

test('a root rendered again keeps its place among the renders', () => {
  const project = new RenderedProject();
  for (const name of ['a', 'b', 'c']) project.setRender(root(name), output(deployment(name, 'team', name)));
  project.setRender(root('a'), output(deployment('a2', 'team', 'a')));
  assert.deepEqual(project.renders.map(w => w.root.dir), ['/r/a', '/r/b', '/r/c']);
  assert.deepEqual(project.renders[0]!.workspace.workloads.map(w => w.object.name), ['a2']);
});

test('a render over the size limit, or past the documents read, is said on its root; nothing of it is analysed silently', () => {
  // The limit is per source file: a render of n files may be n times as large.
  const settings = { ...DEFAULT_SETTINGS, maxFileSize: 1024 };
  const project = new RenderedProject(settings);
  const big = root('big');
  const sources = new Map([[big.file, 'resources:\n- app.yaml\n'], ['/r/big/app.yaml', 'x']]);
  const data = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\ndata: {a: ${'x'.repeat(3000)}}\n`;
  const text = `${deployment('api', 'team', 'api')}---\n${service('api', 'team', 'nothing')}---\n${data}`;
  assert.ok(text.length > 3 * 1024 && text.length < 4 * 1024);
  const w = project.setRender(big, { text, sources });
  assert.equal(w.workspace.workloads.length, 0);
  const found = project.findingsOn(big.file);
  assert.deepEqual(found.map(f => [f.rule, f.severity, f.span.start]), [['render-too-large', 'warning', 0]]);
  assert.equal(found[0]!.message, 'The render of overlay /r/big is 4 KB, over the size limit of 2 KB, 1 KB for each of the 2 files it is made from (setting kubeNetlens.maxFileSizeKB, CLI --max-file-size): nothing it renders is analysed.');
  assert.deepEqual([...project.check().keys()], [big.file]);
  // Settings apply to it as to any rule.
  assert.deepEqual(project.findingsOn(big.file, { 'render-too-large': 'off' }), []);
  assert.equal(project.findingsOn(big.file, { 'render-too-large': 'info' })[0]!.severity, 'info');
  // Raised enough, the render is analysed and the notice is gone.
  project.updateSettings({ ...settings, maxFileSize: text.length });
  const again = project.setRender(big, { text, sources });
  assert.equal(again.workspace.workloads.length, 1);
  assert.deepEqual(again.notices, []);
  assert.deepEqual(project.findingsOn(big.file), []);
});

test('a render with more documents than are read says so on its root, not on a source line', () => {
  const project = new RenderedProject();
  const many = root('many');
  const one = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\n';
  // One source file: the documents read are those of one file (2,000).
  const w = project.setRender(many, { text: Array.from({ length: 2001 }, () => one).join('---\n'), sources: new Map([[many.file, 'resources: []\n']]) });
  assert.equal(w.workspace.get(w.file)!.manifest.objects.length, 2000);
  const found = project.findingsOn(many.file);
  assert.deepEqual(found.map(f => [f.rule, f.severity]), [['too-many-documents', 'info']]);
  assert.match(found[0]!.message, /^The render of overlay \/r\/many holds too many YAML documents: Only the first 2000 YAML documents are analysed; the rest of the render is not\.$/);
  // Two source files may each hold as many.
  const two = project.setRender(many, {
    text: Array.from({ length: 2001 }, () => one).join('---\n'), sources: new Map([[many.file, 'resources: []\n'], ['/r/many/a.yaml', one]]),
  });
  assert.equal(two.workspace.get(two.file)!.manifest.objects.length, 2001);
  assert.deepEqual(project.findingsOn(many.file), []);
});
