/**
 * Findings that were false on Helm charts and operators' install bundles outside ../shared/corpus
 * (docs/true-findings.md, "Third round (b)"), each reduced to YAML written here: the case in, the verdict out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../src/core/rules';
import { checkFile } from '../../src/core/rules/run';
import { workspaceOf } from './rule-fixtures';
import { resolveName, resolvePort } from '../../src/core/net/dns/resolve';
import { Workspace } from '../../src/core/workspace';
import { parseManifest } from '../../src/core/parse/manifest';
import { helmMap } from '../../src/core/render/sourcemap';
import { dnsReferencesInFile } from '../../src/core/net/dns/references';
import { main } from '../../src/cli/main';
import { tree } from './tree';

function findings(files: Array<[string, string]>, ruleId: string): Array<{ file: string; severity: string; message: string }> {
  // The rule as configured by default (hints stay hints).
  const ws = workspaceOf(new Map(files));
  return ws.fileNames.flatMap(f => checkFile(ws, f, {}, RULES.filter(r => r.id === ruleId)))
    .filter(x => x.rule === ruleId).map(x => ({ file: x.file, severity: x.severity, message: x.message }));
}

/** A Deployment `name` in `namespace`, its pods labelled `app: <name>`, with `containers` (a flow list). */
const deployment = (name: string, namespace: string, containers: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: ${containers}}
`;

// Vault in HA mode: the server labels its own pod `vault-active: "true"|"false"` (service_registration
// "kubernetes"), and the chart grants its ServiceAccount `patch` on pods for that.
const vault = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: vault, namespace: vault}
spec:
  serviceName: vault-internal
  selector: {matchLabels: {app: vault}}
  template:
    metadata: {labels: {app: vault, component: server}}
    spec:
      serviceAccountName: vault
      containers: [{name: vault, image: vault, ports: [{containerPort: 8200, name: http}]}]
---
apiVersion: v1
kind: Service
metadata: {name: vault-active, namespace: vault}
spec:
  selector: {app: vault, component: server, vault-active: "true"}
  ports: [{port: 8200, targetPort: 8200}]
`;
const role = (verbs: string, subject = 'vault') => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: vault-discovery-role, namespace: vault}
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: [${verbs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: vault-discovery-rolebinding, namespace: vault}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: vault-discovery-role}
subjects:
- {kind: ServiceAccount, name: ${subject}, namespace: vault}
`;

test('service-selector-matches-nothing: a label the pods set on themselves (their ServiceAccount may patch pods) is not missing', () => {
  assert.deepEqual(findings([['vault.yaml', vault], ['rbac.yaml', role('"get", "watch", "list", "update", "patch"')]], 'service-selector-matches-nothing'), []);
  const ws = new Workspace();
  ws.set('vault.yaml', vault);
  ws.set('rbac.yaml', role('"patch"'));
  const r = resolveName(ws, 'vault-active', 'vault');
  assert.equal(r.found, true);
  assert.deepEqual(r.workloads.map(w => w.object.name), ['vault']);
  assert.match(r.note ?? '', /StatefulSet vault's pods carry vault-active only once they label themselves/);
});

test('service-selector-matches-nothing: without that right, or with it for another ServiceAccount, the label is still missing', () => {
  for (const rbac of [role('"get", "watch", "list"'), role('"patch"', 'vault-agent-injector'), '']) {
    const found = findings([['vault.yaml', vault], ['rbac.yaml', rbac]], 'service-selector-matches-nothing');
    assert.deepEqual(found.map(f => f.severity), ['warning'], rbac);
    assert.match(found[0]!.message, /the closest, StatefulSet vault\/vault, has no vault-active label/);
  }
  // A value the template writes differently is not one the pods add: still a mismatch.
  const other = vault.replace('component: server}}', 'component: server, vault-active: "no"}}');
  assert.equal(findings([['vault.yaml', other], ['rbac.yaml', role('"patch"')]], 'service-selector-matches-nothing').length, 1);
});

test('service-selector-matches-nothing: a ClusterRole bound cluster-wide to a leader-elected operator lets it label its own pod (operator: leader)', () => {
  const operator = `apiVersion: apps/v1
kind: Deployment
metadata: {name: minio-operator, namespace: minio-operator}
spec:
  replicas: 2
  selector: {matchLabels: {name: minio-operator}}
  template:
    metadata: {labels: {name: minio-operator}}
    spec:
      serviceAccountName: minio-operator
      containers: [{name: operator, image: minio/operator}]
---
apiVersion: v1
kind: Service
metadata: {name: operator, namespace: minio-operator}
spec:
  selector: {name: minio-operator, operator: leader}
  ports: [{port: 4221, name: http}]
`;
  const rbac = (kind: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: minio-operator-role}
rules:
- apiGroups: [""]
  resources: [pods, services]
  verbs: [get, list, ${kind}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: minio-operator-binding}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: minio-operator-role}
subjects:
- {kind: ServiceAccount, name: minio-operator, namespace: minio-operator}
`;
  assert.deepEqual(findings([['operator.yaml', operator], ['rbac.yaml', rbac('patch')]], 'service-selector-matches-nothing'), []);
  assert.equal(findings([['operator.yaml', operator], ['rbac.yaml', rbac('watch')]], 'service-selector-matches-nothing').length, 1);
});

test('service-selector-matches-nothing: a workload that may patch pods but writes none of the selector\'s labels is not selected', () => {
  // argo-rollouts may patch every pod of the cluster; a Service for pods an operator makes is not its.
  const unrelated = vault.replace('labels: {app: vault, component: server}', 'labels: {app.kubernetes.io/name: argo-rollouts}')
    .replace('selector: {app: vault, component: server, vault-active: "true"}', 'selector: {app: vault, vault-active: "true"}');
  const found = findings([['vault.yaml', unrelated], ['rbac.yaml', role('"patch"')]], 'service-selector-matches-nothing');
  assert.equal(found.length, 1);
});

test('a Helm template of several documents: a rendered field maps to the document that made it (by kind and whole name)', () => {
  // loki-distributed's networkpolicy.yaml: `<name>-ingress` and `<name>-ingress-metrics`, each with a `- port:` line.
  const template = `{{- if .Values.networkPolicy.enabled }}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: {{ .Release.Name }}-ingress
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: {{ .Values.port }}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: {{ .Release.Name }}-ingress-metrics
spec:
  podSelector: {}
  policyTypes:
    - Ingress
  ingress:
    - ports:
        - port: http-metrics
{{- end }}
`;
  // What `helm template` makes of it (release loki, port http): each document under its `# Source:`.
  const rendered = template.replace('{{- if .Values.networkPolicy.enabled }}\n', '').replace('{{- end }}\n', '')
    .replace(/\{\{ \.Release\.Name \}\}/g, 'loki').replace('{{ .Values.port }}', 'http')
    .replace(/^---\n/gm, '---\n# Source: loki/templates/networkpolicy.yaml\n');
  const map = helmMap({ rendered: parseManifest('render.yaml', rendered), chartDir: 'loki', chartName: 'loki', read: p => (p === 'loki/templates/networkpolicy.yaml' ? template : undefined) });
  const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
  const port = rendered.lastIndexOf('http-metrics');
  const at = map.toSource({ start: port, end: port + 'http-metrics'.length })!;
  assert.equal(at.exact, true);
  assert.equal(template.slice(at.span.start, at.span.end), 'http-metrics');
  // A key with no value to tell the lines apart (policyTypes) lands in its own document too.
  const types = rendered.lastIndexOf('policyTypes');
  const t = map.toSource({ start: types, end: types + 'policyTypes'.length })!;
  assert.equal(t.exact, true);
  assert.equal(lineOf(template, t.span.start), 19);
  // The object's first line is its own document's kind line.
  const name = rendered.indexOf('name: loki-ingress\n');
  assert.equal(lineOf(template, map.originAt(name)!.whole.start), 3);
});

test('netpol-peer-matches-nothing: a client label no workload here uses (kafka-client: "true") is a hint; a key in use with another value still warns', () => {
  // Bitnami's Kafka with networkPolicy.allowExternal false: clients from other releases carry kafka-client.
  const kafka = (peer: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kafka-controller, namespace: kafka}
spec:
  serviceName: kafka-controller-headless
  selector: {matchLabels: {app.kubernetes.io/name: kafka}}
  template:
    metadata: {labels: {app.kubernetes.io/name: kafka, app.kubernetes.io/component: controller-eligible}}
    spec: {containers: [{name: kafka, image: kafka}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: kafka-controller, namespace: kafka}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: kafka}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app.kubernetes.io/name: kafka}}
    - podSelector: {matchLabels: ${peer}}
`;
  const client = findings([['kafka.yaml', kafka('{kafka-client: "true"}')]], 'netpol-peer-matches-nothing');
  assert.deepEqual(client.map(f => f.severity), ['hint']);
  assert.match(client[0]!.message, /selects no workload defined in this workspace \(no workload in namespace kafka has a label kafka-client\); pods created elsewhere may carry it/);
  const typo = findings([['kafka.yaml', kafka('{app.kubernetes.io/name: kafak}')]], 'netpol-peer-matches-nothing');
  assert.deepEqual(typo.map(f => f.severity), ['warning']);
});

test('DNS: $(VAR) from the Downward API\'s metadata.namespace expands to the pod\'s namespace (Bitnami MongoDB\'s MONGODB_INITIAL_PRIMARY_HOST)', () => {
  const arbiter = (namespace: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mongodb-arbiter${namespace}
spec:
  serviceName: mongodb-arbiter-headless
  selector: {matchLabels: {app: arbiter}}
  template:
    metadata: {labels: {app: arbiter}}
    spec:
      containers:
      - name: mongodb-arbiter
        image: mongodb
        env:
        - name: MY_POD_NAMESPACE
          valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
        - name: MONGODB_INITIAL_PRIMARY_HOST
          value: "mongodb-0.mongodb-headless.$(MY_POD_NAMESPACE).svc.cluster.local"
`;
  const ws = new Workspace();
  ws.set('mongodb.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: mongodb-headless, namespace: mongodb}\nspec:\n  clusterIP: None\n  selector: {app: mongodb}\n  ports: [{port: 27017}]\n');
  ws.set('arbiter.yaml', arbiter('\n  namespace: mongodb'));
  assert.deepEqual(dnsReferencesInFile(ws, 'arbiter.yaml').map(r => r.host), ['mongodb-0.mongodb-headless.mongodb.svc.cluster.local']);
  // No namespace written and none given: the pod's namespace is not known, nothing is expanded.
  ws.set('arbiter.yaml', arbiter(''));
  assert.deepEqual(dnsReferencesInFile(ws, 'arbiter.yaml').map(r => r.host), []);
});

test('"selects nothing" abstains in a namespace where a workload\'s ServiceAccount may create pods (Longhorn\'s manager makes instance-manager pods)', () => {
  const longhorn = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: longhorn-manager, namespace: longhorn-system}
spec:
  selector: {matchLabels: {app: longhorn-manager}}
  template:
    metadata: {labels: {app: longhorn-manager}}
    spec:
      serviceAccountName: longhorn-service-account
      containers: [{name: manager, image: longhornio/longhorn-manager}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: instance-manager, namespace: longhorn-system}
spec:
  podSelector: {matchLabels: {longhorn.io/component: instance-manager}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: longhorn-manager}}
`;
  const rbac = (resources: string, verbs = '"*"') => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: longhorn, namespace: longhorn-system}
rules:
- apiGroups: ["", "apps"]
  resources: [${resources}]
  verbs: [${verbs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: longhorn, namespace: longhorn-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: longhorn}
subjects:
- {kind: ServiceAccount, name: longhorn-service-account, namespace: longhorn-system}
`;
  const rule = 'netpol-selector-matches-nothing';
  assert.deepEqual(findings([['longhorn.yaml', longhorn], ['rbac.yaml', rbac('"pods", "services"')]], rule), []);
  assert.deepEqual(findings([['longhorn.yaml', longhorn], ['rbac.yaml', rbac('"daemonsets"', '"create"')]], rule), []);
  // Reading pods, or a grant of every resource (an administrator's, a GitOps controller's), makes none.
  for (const rbacText of [rbac('"pods"', '"get", "list", "watch", "delete"'), rbac('"*"'), '']) {
    assert.equal(findings([['longhorn.yaml', longhorn], ['rbac.yaml', rbacText]], rule).length, 1, rbacText);
  }
  const ws = new Workspace();
  ws.set('longhorn.yaml', `${longhorn}---\napiVersion: v1\nkind: Service\nmetadata: {name: longhorn-im, namespace: longhorn-system}\nspec:\n  selector: {longhorn.io/component: instance-manager}\n  ports: [{port: 8500}]\n`);
  ws.set('rbac.yaml', rbac('"pods"'));
  assert.match(resolveName(ws, 'longhorn-im', 'longhorn-system').note ?? '', /but DaemonSet longhorn-system\/longhorn-manager may create pods in namespace longhorn-system/);
});

test('service-target-port-undefined does not judge the ports of pods a Service selects only once they label themselves', () => {
  // An operator that may patch pods shares the selector's written label with the pods it makes.
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: operator, namespace: db}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: pg}}
  template:
    metadata: {labels: {app.kubernetes.io/part-of: pg}}
    spec:
      serviceAccountName: operator
      containers: [{name: operator, image: operator, ports: [{name: metrics, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: pg-primary, namespace: db}
spec:
  selector: {app.kubernetes.io/part-of: pg, role: primary}
  ports: [{port: 5432, targetPort: postgres}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: operator, namespace: db}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, patch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: operator, namespace: db}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}
subjects: [{kind: ServiceAccount, name: operator, namespace: db}]
`;
  assert.deepEqual(findings([['db.yaml', text]], 'service-target-port-undefined'), []);
  assert.equal(findings([['db.yaml', text.replace(', role: primary}', '}')]], 'service-target-port-undefined').length, 1);
});

test('check does not say "every pod accepts and sends all traffic" beside Cilium policies; connectivity names the policies it does not evaluate', async () => {
  // KEDA's chart with networkPolicy.flavor: cilium.
  const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: keda-operator, namespace: keda}\nspec:\n  selector: {matchLabels: {app: keda-operator}}\n  template:\n    metadata: {labels: {app: keda-operator}}\n    spec: {containers: [{name: keda, image: keda}]}\n';
  const cnp = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: keda-operator, namespace: keda}\nspec:\n  endpointSelector: {matchLabels: {app: keda-operator}}\n  ingress:\n  - fromEntities: [cluster]\n';
  const run = async (files: Record<string, string>, command: string) => {
    const err: string[] = [];
    await main([command, tree(files, 'netlens-charts-')], { out: () => undefined, err: l => err.push(l) });
    return err.join('\n');
  };
  assert.match(await run({ 'keda.yaml': deploy }, 'check'), /no NetworkPolicy found/);
  assert.doesNotMatch(await run({ 'keda.yaml': deploy, 'cnp.yaml': cnp }, 'check'), /no NetworkPolicy found/);
  assert.match(await run({ 'keda.yaml': deploy, 'cnp.yaml': cnp }, 'connectivity'),
    /note: Cilium CiliumNetworkPolicy 'keda\/keda-operator' is not evaluated, so the connections of the pods it selects may differ from those listed/);
});

test('a Service port with targetPort 0 (or "") is accepted: the API server defaults it to port before validating', () => {
  // Redpanda's chart, generated from Go types, writes the zero value `targetPort: 0`.
  const svc = (target: string) => `apiVersion: v1
kind: Service
metadata: {name: redpanda-console, namespace: redpanda}
spec:
  selector: {app: console}
  ports:
  - {name: http, port: 8080, protocol: TCP, targetPort: ${target}}
---
${deployment('console', 'redpanda', '[{name: console, image: console, ports: [{name: http, containerPort: 8080}]}]')}`;
  for (const target of ['0', '""']) {
    assert.deepEqual(findings([['svc.yaml', svc(target)]], 'manifest-rejected'), [], target);
    const ws = new Workspace();
    ws.set('svc.yaml', svc(target));
    const r = resolveName(ws, 'redpanda-console', 'redpanda');
    assert.equal(resolvePort(r, 8080).targetPort, 8080);
  }
  assert.equal(findings([['svc.yaml', svc('70000')]], 'manifest-rejected').length, 1);
});

test('protocol "" is defaulted to TCP on Service and container ports (accepted), not on NetworkPolicy ports (rejected)', () => {
  const text = `apiVersion: v1
kind: Service
metadata: {name: s, namespace: x}
spec:
  selector: {app: a}
  ports: [{port: 80, protocol: ""}]
---
${deployment('a', 'x', '[{name: a, image: a, ports: [{containerPort: 80, protocol: ""}]}]')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress: [{ports: [{port: 80, protocol: ""}]}]
`;
  const found = findings([['a.yaml', text]], 'manifest-rejected');
  assert.deepEqual(found.map(f => f.message), ['Protocol "" is not TCP, UDP or SCTP (upper case), so the API server rejects this NetworkPolicy.']);
  const ws = new Workspace();
  ws.set('a.yaml', text);
  assert.equal(ws.servicesIn('x')[0]!.ports[0]!.protocol, 'TCP');
  assert.equal(ws.workloadsIn('x')[0]!.containers[0]!.ports[0]!.protocol, 'TCP');
});

test('netpol-port-is-service-port: a named targetPort no selected pod defines says nothing of the port the pods listen on', () => {
  // Bitnami Cassandra: the headless Service always has `tls: 7001 → tls`; the pods define `tls` only
  // with internode TLS, and the policy allows 7001, the port they then listen on.
  const cassandra = (ports: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cassandra, namespace: cassandra}
spec:
  serviceName: cassandra-headless
  selector: {matchLabels: {app: cassandra}}
  template:
    metadata: {labels: {app: cassandra}}
    spec: {containers: [{name: cassandra, image: cassandra, ports: [${ports}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: cassandra-headless, namespace: cassandra}
spec:
  clusterIP: None
  selector: {app: cassandra}
  ports: [{name: tls, port: 7001, targetPort: tls}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cassandra, namespace: cassandra}
spec:
  podSelector: {matchLabels: {app: cassandra}}
  ingress: [{ports: [{port: 7001}]}]
`;
  const rule = 'netpol-port-is-service-port';
  assert.deepEqual(findings([['c.yaml', cassandra('{name: intra, containerPort: 7000}')]], rule), []);
  assert.deepEqual(findings([['c.yaml', cassandra('{name: tls, containerPort: 7001}')]], rule), []);
  // `tls` names 7443 on the pods: 7001 is the Service's port only.
  assert.equal(findings([['c.yaml', cassandra('{name: tls, containerPort: 7443}')]], rule).length, 1);
});
