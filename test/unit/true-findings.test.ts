/**
 * Findings that were false on public repositories outside ../shared/corpus (install bundles, charts,
 * example folders), each reduced to YAML written here: the case in, the verdict out.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { parseManifest } from '../../src/core/parse/manifest';
import { RenderedProject } from '../../src/core/render/project';
import { findRoots } from '../../src/core/render/roots';
import { fsReader } from '../../src/render/renderer';
import { RULES } from '../../src/core/rules';
import { checkFile } from '../../src/core/rules/run';
import { resolveName } from '../../src/core/net/dns/resolve';
import { Workspace } from '../../src/core/workspace';
import { CORPUS } from './corpus';
import { tree as makeTree } from './tree';

const KUBECTL = path.resolve(__dirname, '../../.tools/bin/kubectl');
const RENDER = ['--kustomize-cmd', `${KUBECTL} kustomize`];
const tree = (files: Record<string, string>) => makeTree(files, 'netlens-true-findings-');

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const old = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(argv, { out: l => out.push(l), err: () => undefined });
    return { code, out: out.join('\n') };
  } finally {
    process.chdir(old);
  }
}

function findings(files: Array<[string, string]>, ruleId: string): Array<{ file: string; severity: string; message: string }> {
  const rule = RULES.find(r => r.id === ruleId)!;
  const ws = new Workspace();
  for (const [f, text] of files) ws.set(f, text);
  return ws.fileNames.flatMap(f => checkFile(ws, f, {}, [rule]))
    .filter(x => x.rule === ruleId).map(x => ({ file: x.file, severity: x.severity, message: x.message }));
}

const policy = (extra = '') => `kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: redis
spec:
  podSelector:
    matchLabels: {app: redis}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: server}}${extra}
`;

test('duplicates: identical copies in alternative install bundles of one folder are silent; a differing copy is not', () => {
  // install.yaml, core-install.yaml, namespace-install.yaml side by side repeat the same objects.
  const copy = `# generated\n${policy().replace('kind: NetworkPolicy\napiVersion: networking.k8s.io/v1', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy')}`;
  assert.deepEqual(findings([['manifests/install.yaml', policy()], ['manifests/core-install.yaml', copy]], 'netpol-duplicate-name'), []);
  const other = policy('\n    - podSelector: {matchLabels: {app: repo}}');
  const found = findings([['manifests/install.yaml', policy()], ['manifests/core-install.yaml', copy], ['manifests/ha-install.yaml', other]], 'netpol-duplicate-name');
  assert.deepEqual(found.map(f => [f.file, f.severity]), [['manifests/ha-install.yaml', 'warning']]);
  assert.match(found[0]!.message, /already declared in namespace default in manifests\/install\.yaml:1\./);
  // Within one file a second copy is still an error, identical or not.
  assert.deepEqual(findings([['install.yaml', `${policy()}---\n${policy()}`]], 'netpol-duplicate-name').map(f => f.severity), ['error']);
});

test('duplicates: two identical Namespace objects in two files of a folder are silent; other labels fire', () => {
  const ns = (labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager${labels}\n`;
  assert.deepEqual(findings([['deploy/01-namespace.yaml', `---\n${ns()}`], ['deploy/namespace.yaml', ns()]], 'namespace-duplicate'), []);
  assert.equal(findings([['deploy/01-namespace.yaml', ns()], ['deploy/namespace.yaml', ns('\n  labels: {team: a}')]], 'namespace-duplicate').length, 1);
});

test('a file whose `{{ }}` placeholders (not Helm) stand in the YAML structure is a template, not a manifest', () => {
  // A shell script fills `{{cell}}` with sed before `kubectl create -f -`: read as YAML, `{{cell}}`
  // is a map inside a map, which no one means.
  const text = 'kind: Service\napiVersion: v1\nmetadata:\n  name: etcd-{{cell}}\n  labels:\n    cell: {{cell}}\nspec:\n  ports:\n  - port: 4001\n  selector:\n    cell: {{cell}}\n';
  const m = parseManifest('etcd-service-template.yaml', text);
  assert.equal(m.skipped, 'helm-template');
  assert.deepEqual(m.objects, []);
  assert.equal(m.problems[0]!.message, '"{{cell}}" reads as a map used as a map key, which kubectl cannot read: a template filled in before it is applied (otherwise quote the value); not analysed.');
  assert.equal(text.slice(m.problems[0]!.span.start, m.problems[0]!.span.end), '{{cell}}');
  // `{{ }}` inside string values is data (an alert template, a notification body): still a manifest.
  const data = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notify\ndata:\n  body: "{{.app.metadata.name}} is {{.status}}"\n';
  assert.equal(parseManifest('cm.yaml', data).objects.length, 1);
});

test('manifest-rejected abstains on label values that are `{{ }}` placeholders, and still rejects a lower-case protocol', () => {
  const pod = (label: string, protocol: string) => `kind: Pod\napiVersion: v1\nmetadata:\n  name: vttablet\n  labels:\n    keyspace: ${label}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 80\n      protocol: ${protocol}\n`;
  assert.deepEqual(findings([['pod.yaml', pod('"{{keyspace}}"', 'TCP')]], 'manifest-rejected'), []);
  const found = findings([['pod.yaml', pod('"{{keyspace}"', 'tcp')]], 'manifest-rejected').map(f => f.message);
  assert.equal(found.length, 2, found.join('\n'));
  assert.match(found.join('\n'), /Label value "\{\{keyspace\}" of keyspace is not a valid label value/);
  assert.match(found.join('\n'), /Protocol "tcp" is not TCP, UDP or SCTP/);
});

test('a Service beside a template file that is not analysed does not say its selector matches nothing', () => {
  const svc = 'kind: Service\napiVersion: v1\nmetadata:\n  name: vtgate\nspec:\n  ports:\n  - port: 15991\n  selector: {component: vtgate}\n';
  const pod = 'kind: Pod\napiVersion: v1\nmetadata:\n  name: vttablet\n  labels: {component: vttablet}\nspec:\n  containers: [{name: c, image: x}]\n';
  const controller = 'kind: ReplicationController\napiVersion: v1\nmetadata:\n  name: vtgate\nspec:\n  replicas: {{replicas}}\n  template:\n    metadata:\n      labels: {component: vtgate}\n    spec:\n      containers: [{name: c, image: x}]\n';
  assert.equal(findings([['vitess/vtgate-service.yaml', svc], ['vitess/vttablet-pod.yaml', pod]], 'service-selector-matches-nothing').length, 1);
  assert.deepEqual(findings([['vitess/vtgate-service.yaml', svc], ['vitess/vttablet-pod.yaml', pod], ['vitess/vtgate-controller-template.yaml', controller]], 'service-selector-matches-nothing'), []);
});

test('a kustomize render that fails only because a remote resource cannot be fetched is a warning, not an error', () => {
  const project = new RenderedProject();
  const root = { tool: 'kustomize' as const, dir: 'manifests/install', file: 'manifests/install/kustomization.yaml', members: ['manifests/install/kustomization.yaml'] };
  const text = 'resources:\n- https://github.com/example/controller/releases/download/v1.0.0/crds.yaml\n';
  // The words kubectl v1.33 prints offline (its own message, shortened).
  const offline = "kubectl failed on manifests/install: error: accumulating resources: accumulation err='accumulating resources from 'https://github.com/example/controller/releases/download/v1.0.0/crds.yaml': Get \"https://github.com/example/controller/releases/download/v1.0.0/crds.yaml\": dial tcp: lookup github.com: no such host': failed to run '/usr/bin/git fetch --depth=1 https://github.com/example/controller HEAD': fatal: unable to access 'https://github.com/example/controller/': Could not resolve host: github.com";
  project.setRenderProblem(root, 'render-failed', offline, text);
  const f = project.problemOf(root.file)!;
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /^a remote resource could not be fetched \(no network here\), so the overlay is not analysed; it may render where it is applied\. kubectl failed/);
  // A missing local file is the repository's error wherever it is rendered.
  project.setRenderProblem(root, 'render-failed', "kubectl failed on manifests/install: error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': open /r/manifests/install/missing.yaml: no such file or directory'", text);
  assert.equal(project.problemOf(root.file)!.severity, 'error');
});

test('dns-name-unresolved: a fully qualified Service name in a namespace no manifest here uses is a hint, not "no record of that shape"', () => {
  // An Istio mesh config (one kustomize render) names the oauth2-proxy Service another render installs.
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n  mesh: |-\n    extensionProviders:\n    - envoyExtAuthzHttp:\n        service: oauth2-proxy.oauth2-proxy.svc.cluster.local\n        port: 80\n      name: oauth2-proxy\n';
  const istiod = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istiod\n  namespace: istio-system\nspec:\n  selector: {matchLabels: {app: istiod}}\n  template:\n    metadata: {labels: {app: istiod}}\n    spec: {containers: [{name: d, image: x}]}\n';
  const rule = RULES.find(r => r.id === 'dns-name-unresolved')!;
  const ws = new Workspace();
  ws.set('istio/cm.yaml', cm);
  ws.set('istio/istiod.yaml', istiod);
  const found = checkFile(ws, 'istio/cm.yaml', {}, [rule]).filter(f => f.rule === rule.id);
  assert.deepEqual(found.map(f => [f.severity, f.message]), [['hint',
    'oauth2-proxy.oauth2-proxy.svc.cluster.local resolves only if something outside this workspace (a Helm release, an operator, another repository) creates Service oauth2-proxy in namespace oauth2-proxy: no manifest here defines it']]);
});

test('a render that adds pods to a namespace another render installs does not say a peer there selects nothing', async () => {
  const dep = (name: string, ns: string, app: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec: {containers: [{name: c, image: x}]}\n`;
  const policy = (app: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-gateway\n  namespace: auth\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: istio-system}}\n      podSelector: {matchLabels: {app: ${app}}}\n`;
  const files = (app: string): Record<string, string> => ({
    // One platform, two kustomize roots: the mesh installs istio-system and its gateway...
    'istio/kustomization.yaml': 'resources:\n- gateway.yaml\n',
    'istio/gateway.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n---\n${dep('istio-ingressgateway', 'istio-system', 'istio-ingressgateway')}`,
    // ...and the auth proxy, which also puts a helper in istio-system, admits the gateway.
    'auth/kustomization.yaml': 'resources:\n- all.yaml\n',
    'auth/all.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: auth\n---\n${dep('proxy', 'auth', 'proxy')}---\n${dep('jwks-proxy', 'istio-system', 'jwks-proxy')}---\n${policy(app)}`,
  });
  const run = async (withMesh: boolean) => {
    const all: Record<string, string> = files('istio-ingressgateway');
    if (!withMesh) for (const f of Object.keys(all)) if (f.startsWith('istio/')) delete all[f];
    return (await cli(['check', '.', '-o', 'json', ...RENDER], tree(all))).out;
  };
  assert.doesNotMatch(await run(true), /netpol-peer-matches-nothing/);
  // When nothing else in the repository puts pods in istio-system, the render knows them all.
  assert.match(await run(false), /"message": "from podSelector app=istio-ingressgateway selects no workload in namespace istio-system, so this peer allows nothing. \(in overlay auth\)"/);
});

test('a render whose namespace gets more NetworkPolicies from another render does not say a connection is blocked', async () => {
  const dep = (name: string, env = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n      - name: c\n        image: x\n        ports: [{containerPort: 8111}, {containerPort: 8333}]${env}\n`;
  const files: Record<string, string> = {
    // The pipelines app: its controller calls the store's IAM port, which the store's policy admits
    // from istio-system only...
    'pipelines/kustomization.yaml': 'namespace: kubeflow\nresources:\n- app.yaml\n',
    'pipelines/app.yaml': [
      dep('controller', '\n        env: [{name: AWS_ENDPOINT_URL, value: "http://store.kubeflow:8111"}]'),
      dep('store'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: store\nspec:\n  selector: {app: store}\n  ports: [{name: iam, port: 8111}, {name: s3, port: 8333}]\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: store\nspec:\n  podSelector: {matchLabels: {app: store}}\n  policyTypes: [Ingress]\n  ingress:\n  - from: [{podSelector: {}}]\n    ports: [{port: 8333}]\n  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: istio-system}}}]\n',
    ].join('---\n'),
    // ...and the platform's namespace kustomization allows everything within the namespace.
    'namespace/kustomization.yaml': 'resources:\n- ns.yaml\n',
    'namespace/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kubeflow\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-same-namespace\n  namespace: kubeflow\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{podSelector: {}}]\n',
  };
  const run = async (all: Record<string, string>) => (await cli(['check', '.', '-o', 'json', ...RENDER], tree(all))).out;
  assert.doesNotMatch(await run(files), /dns-reference-blocked-by-policy/);
  const alone = Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith('pipelines/')));
  assert.match(await run(alone), /"rule": "dns-reference-blocked-by-policy"/);
});

test('realworld, rendered as deployed (every overlay and chart): the findings by rule are pinned', async () => {
  // test/unit/realworld.test.ts pins the loose reading; this pins what `check` prints with renders, so
  // that a change that drops the microservices-demo overlays' true blocks (the collector's policy
  // admits no one on 4317) or adds a finding shows here. The lines are defended in realworld.test.ts
  // and docs/true-findings.md.
  const HELM = path.resolve(__dirname, '../../.tools/bin/helm');
  const { out } = await cli(['check', path.join(CORPUS, 'realworld'), '-o', 'json', ...RENDER, '--helm-cmd', HELM], process.cwd());
  const counts: Record<string, number> = {};
  for (const f of JSON.parse(out) as Array<{ rule: string; severity: string }>) counts[`${f.rule} ${f.severity}`] = (counts[`${f.rule} ${f.severity}`] ?? 0) + 1;
  assert.deepEqual(counts, {
    'dns-name-unresolved warning': 1,
    'dns-reference-blocked-by-policy warning': 21,
    // Four rawsnippets Helm templates and rollout-linkerd.yaml's unquoted {{args.linkerd-enabled}}.
    'helm-template info': 5,
    'netpol-selector-matches-nothing warning': 2,
    // jenkins' serviceName names its ordinary Service: a note (nothing addresses the controller's pod by name).
    'statefulset-service-missing info': 1,
  });
});

test('a Helm library chart (type: library) is no render root, and its files are not read as loose manifests', () => {
  const files: Record<string, string> = {
    'common/Chart.yaml': 'apiVersion: v2\nname: common\ntype: library\nversion: 2.31.10\n',
    'common/templates/_names.tpl': '{{- define "common.names.name" -}}{{ .Chart.Name }}{{- end -}}\n',
    'common/values.yaml': 'exampleValue: common-chart\n',
    'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
  };
  const dir = tree(files);
  const paths = Object.keys(files).map(f => path.join(dir, f).split(path.sep).join('/'));
  const { roots, owned } = findRoots(paths, fsReader);
  assert.deepEqual(roots.map(r => path.basename(r.dir)), ['app']);
  assert.ok(owned.has(path.join(dir, 'common/values.yaml').split(path.sep).join('/')));
});

test('a quoted value continued at its key\'s indentation, which kubectl reads, is a notice, not a syntax error', () => {
  // go-yaml (kubectl) reads this Job; YAML 1.2 wants the `]'` line indented past the key.
  const job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: import\nspec:\n  template:\n    metadata:\n      annotations:\n        pod.beta.kubernetes.io/init-containers: '[\n          {\"name\": \"wait\", \"image\": \"tools\"}\n        ]'\n    spec:\n      containers:\n      - name: c\n        image: x\n";
  const m = parseManifest('job.yaml', job);
  assert.deepEqual(m.problems.map(p => [p.code, p.severity]), [['yaml-syntax', 'info']]);
  assert.match(m.problems[0]!.message, /kubectl's YAML reader \(go-yaml\) accepts that/);
  // A quote really left open (the next quote starts another value) stays an error.
  const open = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 'abc\n  b: 'def'\n";
  assert.ok(parseManifest('cm.yaml', open).problems.some(p => p.code === 'yaml-syntax' && p.severity === 'error'));
});

test('admin-priority-overlap: two versions of one AdminNetworkPolicy (same name, files applied one at a time) do not overlap each other', () => {
  // Two demos each keep their own `anp1` at priority 1: one replaces the other, they never coexist.
  const base = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  namespace: demo\nspec:\n  selector:\n    matchLabels: {pod: a}\n  template:\n    metadata:\n      labels: {pod: a}\n    spec:\n      containers:\n      - name: c\n        image: x\n';
  const anp = (name: string, rule: string) => `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  priority: 1\n  subject:\n    namespaces: {}\n  ingress:\n  - name: ${rule}\n    action: Allow\n    from:\n    - namespaces: {}\n    ports:\n    - portNumber: {protocol: TCP, port: 80}\n`;
  const files: Array<[string, string]> = [['base.yaml', base], ['walkthrough/anp1.yaml', anp('anp1', 'allow-80')], ['kubecon/anp1.yaml', anp('anp1', 'allow-80-too')]];
  assert.deepEqual(findings(files, 'admin-priority-overlap'), []);
  assert.equal(findings(files, 'admin-policy-duplicate-name').length, 1);
  // Two policies of different names at one priority still overlap.
  const both = findings([...files.slice(0, 2), ['kubecon/anp2.yaml', anp('anp2', 'allow-80-too')]], 'admin-priority-overlap');
  assert.equal(both.length, 2);
  assert.match(both[0]!.message, /"anp1" and AdminNetworkPolicy "anp2" both have priority 1|"anp2" and AdminNetworkPolicy "anp1" both have priority 1/);
});

test('a render larger than the size limit is analysed when each of its sources is within it (kustomize makes 1 MB of dashboards 5.7 MB)', async () => {
  // Each source under --max-file-size 1K; the render of both is over it.
  const pad = (n: number) => `\n  annotations:\n    note: "${'x'.repeat(n)}"`;
  const dir = tree({
    'monitoring/kustomization.yaml': 'namespace: monitoring\nresources:\n- grafana.yaml\n- policy.yaml\n',
    'monitoring/grafana.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: grafana${pad(500)}\nspec:\n  selector:\n    matchLabels: {app: grafana}\n  template:\n    metadata:\n      labels: {app: grafana}\n    spec:\n      containers:\n      - name: grafana\n        image: grafana\n`,
    'monitoring/policy.yaml': `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: grafana${pad(500)}\nspec:\n  podSelector:\n    matchLabels: {app: grafna}\n  ingress:\n  - {}\n`,
  });
  const { out } = await cli(['check', '.', '--max-file-size', '1K', ...RENDER], dir);
  assert.match(out, /^monitoring\/policy\.yaml:\d+:\d+ warning netpol-selector-matches-nothing .*app=grafna/m);
  // A loose file over the limit is still not analysed.
  const loose = tree({ 'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big${pad(2000)}\n` });
  assert.match((await cli(['check', '.', '--max-file-size', '1K'], loose)).out, /info file-too-large/);
});

test('a chart that refuses its default values on purpose (required, fail, a schema asking for an unset value) is a warning that says so', async () => {
  // external-dns: `policy:` left empty in values.yaml, required by values.schema.json.
  const chart = (schema: string, values: string) => tree({
    'chart/Chart.yaml': 'apiVersion: v2\nname: dns\nversion: 1.0.0\n',
    'chart/values.yaml': values,
    'chart/values.schema.json': schema,
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dns\ndata:\n  policy: {{ .Values.policy | quote }}\n',
  });
  const HELM = ['--helm-cmd', path.resolve(__dirname, '../../.tools/bin/helm')];
  const required = '{"type":"object","required":["policy"],"properties":{"policy":{"type":"string","enum":["sync","upsert-only"]}}}';
  const unset = await cli(['check', '.', ...HELM], chart(required, '# -- (REQUIRED)\npolicy:\n'));
  assert.match(unset.out, /^chart\/Chart\.yaml:1:1 warning render-failed the chart asks for values its values\.yaml does not set, so it is not analysed; .*got null, want string/ms);
  // Rendered with values files that do not set it either: the message names them instead of advising --helm-values as if none were given.
  const given = chart(required, '# -- (REQUIRED)\npolicy:\n');
  fs.writeFileSync(path.join(given, 'prod.yaml'), 'replicas: 2\n');
  const withValues = await cli(['check', 'chart', ...HELM, '--helm-values', 'prod.yaml'], given);
  assert.match(withValues.out, /^chart\/Chart\.yaml:1:1 warning render-failed the chart asks for values that neither its values\.yaml nor the values files given \(\S*prod\.yaml\) set, so it is not analysed; add the values it is installed with/ms);
  assert.equal(unset.code, 0);
  // A default that breaks the chart's own schema is the repository's error.
  const wrong = await cli(['check', '.', ...HELM], chart(required, 'policy: 3\n'));
  assert.match(wrong.out, /^chart\/Chart\.yaml:1:1 error render-failed \S*helm failed on .*got number, want string/ms);
  // The chart's own `required` / `fail` (Helm's "execution error at (...)"); a nil pointer is a template bug.
  const project = new RenderedProject();
  const root = { tool: 'helm' as const, dir: 'c', file: 'c/Chart.yaml', members: ['c/Chart.yaml'] };
  project.setRenderProblem(root, 'render-failed', 'helm failed on c: Error: execution error at (c/templates/a.yaml:1:6): image.repository must be set', 'apiVersion: v2\n');
  assert.equal(project.problemOf(root.file)!.severity, 'warning');
  project.setRenderProblem(root, 'render-failed', 'helm failed on c: Error: c/templates/a.yaml:1:13\n  executing "c/templates/a.yaml" at <.Values.b.c>:\n    nil pointer evaluating interface {}.c', 'apiVersion: v2\n');
  assert.equal(project.problemOf(root.file)!.severity, 'error');
});

test('statefulset-service-missing: serviceName naming the ordinary Service clients use is a note; a per-pod name written somewhere is still judged there', () => {
  // harbor's database and jenkins' controller: one Service, not headless, named by serviceName.
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: harbor\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: db\n        image: postgres\n        ports:\n        - containerPort: 5432\n';
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: harbor\nspec:\n  selector: {app: db}\n  ports:\n  - port: 5432\n';
  const found = findings([['db.yaml', `${sts}---\n${svc}`]], 'statefulset-service-missing');
  assert.deepEqual(found.map(f => f.severity), ['info']);
  assert.match(found[0]!.message, /^serviceName db names Service harbor\/db, which is not headless \(no clusterIP: None\): .*, which matters only to what addresses a pod by its name \(peers of a replicated database\)$/);
  // No Service at all stays a warning.
  assert.deepEqual(findings([['db.yaml', sts]], 'statefulset-service-missing').map(f => f.severity), ['warning']);
  // A name that does address a pod is judged where it is written: CoreDNS answers it, kube-dns does not.
  const ws = new Workspace();
  ws.set('db.yaml', `${sts}---\n${svc}`);
  const r = resolveName(ws, 'db-0.db.harbor.svc.cluster.local', 'harbor');
  assert.equal(r.found, true);
  assert.match(r.note ?? '', /CoreDNS answers them .*kube-dns does not/);
});

test('a kustomize render that fails on a file the repository ignores (.gitignore) is a warning: each checkout makes it', async () => {
  // velero's tilt-resources: a secretGenerator reads `cloud`, a credentials file listed in .gitignore.
  const files = {
    '.gitignore': 'tilt-resources/cloud\n',
    'tilt-resources/kustomization.yaml': 'secretGenerator:\n- name: cloud-credentials\n  namespace: velero\n  files:\n  - cloud\n',
    'design/kustomization.yaml': 'secretGenerator:\n- name: creds\n  files:\n  - cloud\n',
  };
  const dir = tree(files);
  const git = spawnSync('git', ['init', '-q'], { cwd: dir });
  assert.equal(git.status, 0);
  const { out } = await cli(['check', '.', ...RENDER], dir);
  assert.match(out, /^tilt-resources\/kustomization\.yaml:1:1 warning render-failed \S*tilt-resources\/cloud is missing and the repository ignores it \(\.gitignore\): it is made where the overlay is applied/m);
  // The same missing file, not ignored, is the repository's error.
  assert.match(out, /^design\/kustomization\.yaml:1:1 error render-failed \S*kubectl failed on .*design/m);
});

test('DNS: prometheus-operator\'s pods answer under its *-operated Services (alertmanager-main-0.alertmanager-operated), as many as the resource asks for', () => {
  // kube-prometheus' Alertmanager `main` (3 replicas) and Prometheus `k8s` (2 shards): the operator makes the
  // StatefulSets alertmanager-main, prometheus-k8s and prometheus-k8s-shard-1 governed by the -operated Services.
  const ws = new Workspace();
  ws.set('monitoring.yaml', 'apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata:\n  name: main\n  namespace: monitoring\nspec:\n  replicas: 3\n---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  replicas: 2\n  shards: 2\n');
  const peer = resolveName(ws, 'alertmanager-main-2.alertmanager-operated', 'monitoring');
  assert.equal(peer.found, true);
  assert.equal(peer.fqdn, 'alertmanager-main-2.alertmanager-operated.monitoring.svc.cluster.local');
  assert.equal(peer.perPod?.ordinal, 2);
  assert.equal(resolveName(ws, 'prometheus-k8s-shard-1-1.prometheus-operated', 'monitoring').found, true);
  const beyond = resolveName(ws, 'alertmanager-main-3.alertmanager-operated', 'monitoring');
  assert.equal(beyond.found, false);
  assert.match(beyond.reason ?? '', /it has alertmanager-main-0, alertmanager-main-1, alertmanager-main-2/);
  assert.equal(resolveName(ws, 'prometheus-k8s-0.alertmanager-operated', 'monitoring').found, false);
});

test('netpol-selector-matches-nothing counts the workloads its verdict stands on, not every one the namespace name gathers', () => {
  // kubernetes/website: examples of many tutorials in sibling folders, most writing no namespace.
  const deploy = (name: string, ns = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}${ns}\nspec:\n  selector:\n    matchLabels: {run: ${name}}\n  template:\n    metadata:\n      labels: {run: ${name}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n`;
  const policy = (ns = '') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: access-nginx${ns}\nspec:\n  podSelector:\n    matchLabels: {app: nginx}\n  ingress:\n  - {}\n`;
  const files: Array<[string, string]> = [
    ['service/networking/nginx-policy.yaml', policy()], ['service/networking/run-my-nginx.yaml', deploy('my-nginx')],
    ['application/web/web.yaml', deploy('web')], ['application/guestbook/frontend.yaml', deploy('frontend')],
    ['service/networking/np-default.yaml', policy('\n  namespace: default').replace('access-nginx', 'db')], ['pods/dns.yaml', deploy('dns', '\n  namespace: default')],
  ];
  const found = findings(files, 'netpol-selector-matches-nothing').map(f => [f.file, f.message]);
  assert.deepEqual(found, [
    ['service/networking/nginx-policy.yaml', 'podSelector app=nginx selects none of the 1 workload applied with it (namespace default assumed: none is written).'],
    ['service/networking/np-default.yaml', 'podSelector app=nginx selects none of the 1 workload in namespace default.'],
  ]);
});

test('a Go template outside a chart that reads none of Helm\'s objects is not called a Helm template', () => {
  // elastic/cloud-on-k8s config/e2e: an e2e harness fills `{{ .Context.TestRun }}`; `helm template` cannot.
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: chaos\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsNonRoot: true\n{{ if not .Context.OcpCluster }}\n        fsGroup: 1001\n{{ end }}\n      containers:\n      - name: c\n        image: x\n';
  const go = parseManifest('config/e2e/chaos_job.yaml', job);
  assert.equal(go.skipped, 'helm-template');
  assert.equal(go.problems[0]!.message, 'Go template (`{{ }}` actions in the YAML, none of Helm\'s objects): not analysed until the tool that applies it fills it in.');
  // Helm's objects, or a chart's templates/ folder: Helm.
  assert.match(parseManifest('snippets/pod.yaml', job.replace('.Context.OcpCluster', '.Values.ocp')).problems[0]!.message, /^Helm template: .*helm template/);
  assert.match(parseManifest('chart/templates/job.yaml', job).problems[0]!.message, /^Helm template: /);
});

test('a Service port\'s targetPort 0 (or "") is defaulted to its port, as the API server does, not rejected', () => {
  // instana/robot-shop: a headless Service for a queue consumer that listens on nothing writes targetPort 0.
  const svc = (target: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: dispatch\nspec:\n  clusterIP: None\n  ports:\n  - name: headless\n    port: 55555\n    targetPort: ${target}\n  selector:\n    service: dispatch\n`;
  assert.deepEqual(findings([['dispatch-service.yaml', svc('0')]], 'manifest-rejected'), []);
  assert.deepEqual(findings([['dispatch-service.yaml', svc('""')]], 'manifest-rejected'), []);
  const ws = new Workspace();
  ws.set('dispatch-service.yaml', svc('0'));
  assert.equal(ws.services[0]!.ports[0]!.targetPort, 55555);
  // Out of range otherwise.
  assert.match(findings([['dispatch-service.yaml', svc('70000')]], 'manifest-rejected')[0]!.message, /^targetPort 70000 is outside 1-65535/);
});

test('ingress-backend-port-undefined: an ExternalName Service is reached at the backend\'s port number, whatever ports it lists', () => {
  // nginxinc/kubernetes-ingress tests/data/externalname-services: the controller proxies to `externalName:80`.
  const files: Array<[string, string]> = [
    ['svc.yaml', 'kind: Service\napiVersion: v1\nmetadata:\n  name: external\nspec:\n  type: ExternalName\n  externalName: backend.external-ns.svc.cluster.local\n'],
    ['ingress.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: example\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: external\n            port:\n              number: 80\n'],
  ];
  assert.deepEqual(findings(files, 'ingress-backend-port-undefined'), []);
  // A ClusterIP Service without that port is still reported.
  files[0]![1] = 'kind: Service\napiVersion: v1\nmetadata:\n  name: external\nspec:\n  selector: {app: a}\n  ports:\n  - port: 8080\n';
  assert.match(findings(files, 'ingress-backend-port-undefined')[0]!.message, /^port 80 is not a port of Service default\/external, which exposes 8080\.$/);
});

test('a Service defined differently in folders of alternatives: a port verdict stands on the copy nearest the reference', () => {
  // bank-of-anthos extras/postgres-hpa (its own frontend Service on 8080, beside kubernetes-manifests'
  // on 80); nginx's tcp-udp example (coredns on 53) beside another example's coredns (5353).
  const svc = (port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\nspec:\n  selector: {app: frontend}\n  ports:\n  - name: http\n    port: ${port}\n    targetPort: 8080\n`;
  const ingress = (port: number) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: frontend\nspec:\n  defaultBackend:\n    service:\n      name: frontend\n      port:\n        number: ${port}\n`;
  const config = (port: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proxy\ndata:\n  upstream: frontend.default.svc.cluster.local:${port}\n`;
  const files: Array<[string, string]> = [
    ['kubernetes-manifests/frontend.yaml', svc(80)],
    ['extras/hpa/kubernetes-manifests/frontend.yaml', `${svc(8080)}---\n${ingress(8080)}---\n${config(8080)}`],
  ];
  assert.deepEqual(findings(files, 'ingress-backend-port-undefined'), []);
  assert.deepEqual(findings(files, 'dns-port-not-exposed'), []);
  // The copy applied with the reference lacks the port: reported, naming that copy.
  files[1]![1] = `${svc(8080)}---\n${ingress(80)}---\n${config(80)}`;
  assert.deepEqual(findings(files, 'ingress-backend-port-undefined').map(f => f.message), ['port 80 is not a port of Service default/frontend, which exposes http (8080).']);
  // (The Ingress backend and the ConfigMap's host:port, both.)
  assert.deepEqual(findings(files, 'dns-port-not-exposed').map(f => f.message), Array(2).fill('port 80 is not exposed by Service default/frontend (ports: 8080/TCP)'));
  // A reference in a third folder, as near to both copies: reported only if neither has the port.
  const third: Array<[string, string]> = [
    ['a/frontend.yaml', svc(80)], ['b/frontend.yaml', svc(8080)], ['c/ingress.yaml', ingress(8080)],
  ];
  assert.deepEqual(findings(third, 'ingress-backend-port-undefined'), []);
  third[2]![1] = ingress(9090);
  assert.equal(findings(third, 'ingress-backend-port-undefined').length, 1);
});

test('envsubst placeholders (${VAR:-default}) in a protocol or a port name are filled in before apply: not judged', () => {
  // GoogleCloudPlatform/kubernetes-engine-samples ai-ml/infw-gw: `*-variables.yaml` files are envsubst templates.
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: epp\nspec:\n  selector: {app: epp}\n  ports:\n  - protocol: ${SERVICE_PROTOCOL:-TCP}\n    port: ${GRPC_PORT:-9002}\n    targetPort: ${GRPC_PORT:-9002}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: epp\nspec:\n  selector:\n    matchLabels: {app: epp}\n  template:\n    metadata:\n      labels: {app: epp}\n    spec:\n      containers:\n      - name: epp\n        image: epp\n        ports:\n        - name: ${PORT_NAME}\n          containerPort: 9090\n          protocol: $(PROTO)\n';
  assert.deepEqual(findings([['pool-variables.yaml', text]], 'manifest-rejected'), []);
  assert.deepEqual(findings([['pool-variables.yaml', text]], 'service-target-port-undefined'), []);
  // Written values are still judged.
  assert.equal(findings([['pool.yaml', text.replace('${SERVICE_PROTOCOL:-TCP}', 'tcp')]], 'manifest-rejected').length, 1);
});

test('a kustomization that reads a file outside its folder is a warning naming the load restrictor; rendered with it, it is analysed', async () => {
  // nginxinc/kubernetes-ingress config/crd/app-protect-dos lists ../bases/*.yaml; its Makefile runs
  // `kustomize build --load-restrictor='LoadRestrictionsNone'`. GKE samples' gemma overlays list ../tgi-7b.yaml.
  const files = {
    'crd/bases/cm.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: webb}\n  ports:\n  - port: 80\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n',
    'crd/dos/kustomization.yaml': 'resources:\n- ../bases/cm.yaml\n',
  };
  const { out } = await cli(['check', '.', ...RENDER], tree(files));
  assert.match(out, /^crd\/dos\/kustomization\.yaml:1:1 warning render-failed crd\/bases\/cm\.yaml is outside the overlay's folder, which Kustomize's default load restrictor refuses \(`kubectl kustomize`, `kubectl apply -k`\); it renders with `--load-restrictor LoadRestrictionsNone`/m);
  const relaxed = await cli(['check', '.', '--kustomize-cmd', `${KUBECTL} kustomize --load-restrictor LoadRestrictionsNone`], tree(files));
  assert.match(relaxed.out, /^crd\/bases\/cm\.yaml:\d+:\d+ warning service-selector-matches-nothing .*\(in overlay crd\/dos\)$/m);
  assert.doesNotMatch(relaxed.out, /render-failed/);
  // A chart that cannot fetch its schema offline is called a chart, not an overlay.
  const project = new RenderedProject();
  const chart = { tool: 'helm' as const, dir: 'charts/nginx-ingress', file: 'charts/nginx-ingress/Chart.yaml', members: [] };
  project.setRenderProblem(chart, 'render-failed', 'helm failed on charts/nginx-ingress: Error: values don\'t meet the specifications of the schema(s) in the following chart(s):\nnginx-ingress:\nfailing loading "https://raw.githubusercontent.com/x/_definitions.json": HTTP request failed: dial tcp: lookup raw.githubusercontent.com on 10.0.0.1:53: no such host', 'apiVersion: v2\n');
  assert.match(project.problemOf(chart.file)!.message, /^a remote resource could not be fetched \(no network here\), so the chart is not analysed;/);
});

test('service-selector-matches-nothing: the root Service of an SMI TrafficSplit is a note naming the split and its backends', () => {
  // BuoyantIO/emojivoto training/traffic-split: web-apex selects app=web-apex; meshed clients go to web-svc and web-svc-2.
  const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-svc-2\n  namespace: emojivoto\nspec:\n  selector:\n    matchLabels: {app: web-svc-2}\n  template:\n    metadata:\n      labels: {app: web-svc-2}\n    spec:\n      containers:\n      - name: web\n        image: web\n';
  const apex = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-apex\n  namespace: emojivoto\nspec:\n  ports:\n  - name: http\n    port: 80\n  selector:\n    app: web-apex\n';
  const split = 'apiVersion: split.smi-spec.io/v1alpha1\nkind: TrafficSplit\nmetadata:\n  name: web-svc-ts\n  namespace: emojivoto\nspec:\n  service: web-apex\n  backends:\n  - service: web-svc\n    weight: 500m\n  - service: web-svc-2\n    weight: 500m\n';
  const files: Array<[string, string]> = [['web-svc-2.yml', deploy], ['web-apex.yml', apex], ['web-svc-ts.yml', split]];
  assert.deepEqual(findings(files, 'service-selector-matches-nothing').map(f => [f.severity, f.message]), [
    ['info', 'selector app=web-apex matches no pod of the 1 workload in namespace emojivoto: as the root Service of TrafficSplit emojivoto/web-svc-ts, meshed clients are sent to its backends (web-svc, web-svc-2); clients outside the mesh get no endpoint'],
  ]);
  // Without the split it is the usual warning with its guess.
  assert.deepEqual(findings(files.slice(0, 2), 'service-selector-matches-nothing').map(f => f.severity), ['warning']);
});

test('render-failed quotes Kustomize as `kubectl kustomize <overlay>` prints it, without the layers of kube-netlens\' wrapper', async () => {
  // emojivoto kustomize/statefulset and argocd-example-apps plugins/kustomized-helm: kustomize v1's
  // `patches: [file]` (now patchesStrategicMerge), which kustomize v3 and later refuse.
  const dir = tree({ 'kustomize/statefulset/kustomization.yml': 'resources:\n- svc.yml\npatches:\n- service-name.yml\n', 'kustomize/statefulset/svc.yml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n' });
  const { out } = await cli(['check', '.', ...RENDER], dir);
  assert.match(out, /^kustomize\/statefulset\/kustomization\.yml:1:1 error render-failed \S*kubectl failed on \S+kustomize\/statefulset: error: invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization\.patches/m);
  assert.doesNotMatch(out, /must resolve to a file/);
  // After kustomize's deprecation warnings too (flagger's test overlays use commonLabels).
  const warned = tree({ 'o/kustomization.yaml': 'commonLabels: {a: b}\nresources:\n- missing.yaml\n' });
  const second = await cli(['check', '.', ...RENDER], warned);
  assert.match(second.out, /# Warning: 'commonLabels' is deprecated[^]*\nerror: accumulating resources: accumulation err='accumulating resources from 'missing\.yaml'/);
  assert.doesNotMatch(second.out, /must resolve to a file/);
});

test('statefulset-service-missing: a Service of that name only in another folder, both without a namespace, is no verdict', () => {
  // kyverno/policies: each chainsaw test folder is applied on its own (in a namespace chainsaw makes);
  // require-storageclass's StatefulSet `nginx` was paired with another test's Service `nginx`.
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: nginx\nspec:\n  serviceName: nginx\n  selector:\n    matchLabels: {app: nginx}\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n';
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  selector: {app: lb}\n  ports:\n  - port: 80\n';
  assert.deepEqual(findings([['storageclass/.chainsaw-test/ss-bad.yaml', sts], ['aws-lb/.chainsaw-test/service-skip.yaml', svc]], 'statefulset-service-missing'), []);
  // Applied together (one folder), the Service is judged: not headless, a note.
  assert.deepEqual(findings([['storageclass/.chainsaw-test/ss-bad.yaml', sts], ['storageclass/.chainsaw-test/svc.yaml', svc]], 'statefulset-service-missing').map(f => f.severity), ['info']);
  // No Service of that name anywhere: still a warning.
  assert.deepEqual(findings([['storageclass/.chainsaw-test/ss-bad.yaml', sts]], 'statefulset-service-missing').map(f => f.severity), ['warning']);
});

test('duplicates: a chainsaw assert file or a Kyverno CLI test\'s patchedResource is the expected state, not a second declaration; two chainsaw Tests never hold their objects at once', () => {
  // kyverno/policies psa/add-psa-labels: ns.yaml is applied, patched-ns01.yaml asserted after the policy labels it.
  const ns = (labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: psa-ns01${labels}\n`;
  const chainsaw = 'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: add-psa-labels\nspec:\n  steps:\n  - try:\n    - apply:\n        file: ns.yaml\n    - assert:\n        file: ./patched-ns01.yaml\n    catch:\n    - error:\n        file: ../shared/not-patched.yaml\n';
  const kyvernoTest = 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: add-psa-labels\npolicies:\n- ../add-psa-labels.yaml\nresources:\n- resource.yaml\nresults:\n- kind: Namespace\n  patchedResources: patchedResource.yaml\n  policy: add-psa-labels\n  resources: [psa-ns01]\n  result: pass\n';
  const labelled = ns('\n  labels: {pod-security.kubernetes.io/enforce: baseline}');
  const files: Array<[string, string]> = [
    ['psa/.chainsaw-test/chainsaw-test.yaml', chainsaw], ['psa/.chainsaw-test/ns.yaml', ns()],
    ['psa/.chainsaw-test/patched-ns01.yaml', labelled], ['psa/shared/not-patched.yaml', ns('\n  labels: {a: b}')],
    ['psa/.kyverno-test/kyverno-test.yaml', kyvernoTest], ['psa/.kyverno-test/patchedResource.yaml', labelled],
  ];
  assert.deepEqual(findings(files, 'namespace-duplicate'), []);
  // Without the Test that names it, the asserted copy reads as a second declaration.
  assert.equal(findings(files.slice(1, 3), 'namespace-duplicate').length, 1);
  // Two chainsaw Tests applying one Namespace their own way (cel and vpol variants of a policy) never
  // hold it at once: chainsaw deletes a test's objects when it ends. A file outside any test still counts.
  const other = ['psa-cel/.chainsaw-test/chainsaw-test.yaml', chainsaw.replace(/file: \.\/patched-ns01\.yaml/, 'file: patched.yaml')] as [string, string];
  const cel: Array<[string, string]> = [...files, other, ['psa-cel/.chainsaw-test/ns.yaml', ns('\n  labels: {team: cel}')]];
  assert.deepEqual(findings(cel, 'namespace-duplicate'), []);
  assert.equal(findings([...cel, ['deploy/namespace.yaml', ns('\n  labels: {team: ops}')]], 'namespace-duplicate').length, 1);
});

test('duplicates: the objects of a gator Suite\'s cases are evaluated offline, never applied', () => {
  // open-policy-agent/gatekeeper-library: each version of a policy keeps its samples, two of them a
  // Namespace `disallowed-namespace` with other labels.
  const suite = (dir: string) => [`${dir}/suite.yaml`, 'kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata:\n  name: requiredlabels\ntests:\n- name: must-have-owner\n  template: template.yaml\n  constraint: samples/c.yaml\n  cases:\n  - name: disallowed\n    object: samples/example_disallowed.yaml\n    inventory:\n    - samples/inventory.yaml\n'] as [string, string];
  const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: disallowed-namespace\n  labels: {${labels}}\n`;
  const files: Array<[string, string]> = [
    suite('1.0.0'), ['1.0.0/samples/example_disallowed.yaml', ns('owner: me')],
    suite('1.1.0'), ['1.1.0/samples/example_disallowed.yaml', ns('owner: me.agilebank.demo')], ['1.1.0/samples/inventory.yaml', ns('a: b')],
  ];
  assert.deepEqual(findings(files, 'namespace-duplicate'), []);
  assert.equal(findings(files.filter(f => !f[0].endsWith('suite.yaml')), 'namespace-duplicate').length, 2);
});

test('files a harness evaluates offline get no rule findings; the state a chainsaw step asserts is still judged', () => {
  // kyverno/policies kubecost: `.kyverno-test/resource.yaml` (label value "John Doe") is read only by `kyverno test`.
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: badpod\n  labels:\n    owner: John Doe\nspec:\n  containers:\n  - name: c\n    image: busybox\n';
  const kyvernoTest = 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: require-kubecost-labels\npolicies:\n- ../require-kubecost-labels.yaml\nresources:\n- resource.yaml\nresults:\n- kind: Pod\n  policy: require-kubecost-labels\n  resources: [badpod]\n  result: fail\n';
  assert.deepEqual(findings([['kubecost/.kyverno-test/kyverno-test.yaml', kyvernoTest], ['kubecost/.kyverno-test/resource.yaml', pod]], 'manifest-rejected'), []);
  // The same Pod applied by chainsaw, or with no harness naming it, is rejected by the API server.
  assert.equal(findings([['kubecost/.kyverno-test/resource.yaml', pod]], 'manifest-rejected').length, 1);
  // A chainsaw step's assert file is the state a controller makes, so it is judged; its error file
  // (a state that must not exist) is not.
  const chainsaw = 'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: dns\nspec:\n  steps:\n  - try:\n    - assert:\n        file: generated.yaml\n    - error:\n        file: not-generated.yaml\n';
  const np = (name: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  podSelector: {}\n  policyTypes: [Egres]\n`;
  const files: Array<[string, string]> = [['dns/.chainsaw-test/chainsaw-test.yaml', chainsaw], ['dns/.chainsaw-test/generated.yaml', np('default-deny')], ['dns/.chainsaw-test/not-generated.yaml', np('other')]];
  assert.deepEqual(findings(files, 'manifest-rejected').map(f => f.file), ['dns/.chainsaw-test/generated.yaml']);
});
