/**
 * Pods that operators create from custom resources. No manifest declares these pods, but Services,
 * NetworkPolicies and DNS names select them by the labels the operator puts on them, so the analysis
 * models the operators whose labels and ports are documented in their source:
 *
 * - prometheus-operator (github.com/prometheus-operator/prometheus-operator, commit 6adcebc):
 *   `Prometheus`: `makeSelectorLabels` in pkg/prometheus/server/operator.go: `app.kubernetes.io/name:
 *   prometheus`, `app.kubernetes.io/managed-by: prometheus-operator`, `app.kubernetes.io/instance: <name>`,
 *   `operator.prometheus.io/name: <name>`, `prometheus: <name>`; `operator.prometheus.io/shard` per shard
 *   (pkg/prometheus/common.go `ShardLabelName`); `spec.podMetadata.labels` added. Ports: `web` 9090
 *   (pkg/prometheus/common.go), `reloader-web` 8080 (pkg/operator/config_reloader.go), and with
 *   `spec.thanos` the sidecar's `http` 10902 and `grpc` 10901 (pkg/prometheus/server/statefulset.go).
 *   `PrometheusAgent`: pkg/prometheus/agent/operator.go (name `prometheus-agent`, no `prometheus` label).
 *   `Alertmanager`: pkg/alertmanager/operator.go (`alertmanager: <name>`); ports `web` 9093, `mesh-tcp`
 *   9094/TCP, `mesh-udp` 9094/UDP (pkg/alertmanager/statefulset.go).
 *   `ThanosRuler`: pkg/thanos/operator.go (`thanos-ruler: <name>`); ports `web` 10902, `grpc` 10901
 *   (pkg/thanos/statefulset.go).
 * - CloudNativePG (github.com/cloudnative-pg/cloudnative-pg, commit a95a534): `Cluster` instance pods carry
 *   `cnpg.io/cluster: <name>`, `cnpg.io/podRole: instance`, `cnpg.io/instanceName: <name>-<n>`,
 *   `cnpg.io/instanceRole` and `role` (`primary`/`replica`) (pkg/utils/labels_annotations.go,
 *   pkg/specs/pods.go), plus `spec.inheritedMetadata.labels`; ports `postgresql` 5432, `metrics` 9187,
 *   `status` 8000 (pkg/specs/pods.go, pkg/management/url/url.go). `Pooler` pods carry
 *   `cnpg.io/poolerName: <name>`, `cnpg.io/podRole: pooler`; ports `pgbouncer` 5432, `metrics` 9127
 *   (pkg/specs/pgbouncer/deployments.go, pkg/management/pgbouncer/config/config.go).
 * - Strimzi (github.com/strimzi/strimzi-kafka-operator, commit 8541da1): pods of a `Kafka`, `KafkaConnect`,
 *   `KafkaBridge`, `KafkaMirrorMaker2` named X carry `strimzi.io/cluster: X`, `strimzi.io/kind: <kind>` and
 *   `strimzi.io/name: <component name>` (api/.../ResourceLabels.java), the component names being `X-kafka`,
 *   `X-connect`, `X-bridge`, `X-mirrormaker2` (KafkaResources.java, KafkaConnectResources.java,
 *   KafkaBridgeResources.java, KafkaMirrorMaker2Resources.java). Ports are not modelled.
 *
 * - KubeVirt (kubevirt.io/api core/v1): a `VirtualMachine` runs in one virt-launcher pod with the labels of
 *   `spec.template.metadata.labels`; it declares no container ports (np-guard reads it the same way).
 *
 * Kinds that create pods we cannot model (see {@link mayCreatePods}) make rules that would conclude
 * "selects nothing" abstain in their namespace.
 */
import { parseManifest, type K8sObject } from './manifest';
import type { Protocol } from './views/protocol';
import { serviceView, type Service } from './views/service';
import type { Container, ContainerPort, Workload } from './views/workload';
import { at, int, items, stringMap, str, toRecord } from './yaml';

type PortSpec = readonly [name: string, port: number, protocol?: Protocol];

interface Model {
  /** Who makes the pods and where the labels come from, for hovers. */
  readonly source: string;
  /** The API group of the custom resource. */
  readonly group: string;
  labels(o: K8sObject): Record<string, string>;
  readonly added?: (o: K8sObject) => Map<string, readonly string[] | undefined>;
  /** Ports of the pods; undefined when not modelled. */
  ports?(o: K8sObject): PortSpec[];
  /** Where extra pod labels are written on the resource. */
  readonly extraLabelsPath?: readonly string[];
  /** Replicas of the pods (undefined: unknown). */
  replicas?(o: K8sObject): number | undefined;
}

const PROM_OP = 'prometheus-operator';

function promLabels(app: string, extra: Record<string, string>) {
  return (o: K8sObject) => ({
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/managed-by': PROM_OP,
    'app.kubernetes.io/instance': o.name,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v === '$name' ? o.name : v])),
  });
}

const num = (o: K8sObject, ...path: string[]) => int(o.doc, at(o.doc, o.node, ...path))?.value;
const word = (o: K8sObject, ...path: string[]) => str(o.doc, at(o.doc, o.node, ...path))?.value;

/** A prometheus-operator kind: its package, app name, extra selector labels and ports. */
function promModel(pkg: string, app: string, extra: Record<string, string>, ports: (o: K8sObject) => PortSpec[], more: Partial<Model> = {}): Model {
  return {
    source: `the Prometheus Operator (prometheus-operator pkg/${pkg})`,
    group: 'monitoring.coreos.com',
    labels: promLabels(app, extra),
    ports,
    extraLabelsPath: ['spec', 'podMetadata', 'labels'],
    replicas: o => num(o, 'spec', 'replicas') ?? 1,
    ...more,
  };
}

const webPort = (o: K8sObject, port: number): PortSpec => [word(o, 'spec', 'portName') ?? 'web', port];

const MODELS: Readonly<Record<string, Model>> = {
  Prometheus: promModel('prometheus/server', 'prometheus', { 'operator.prometheus.io/name': '$name', prometheus: '$name' }, o => [
    webPort(o, 9090), ['reloader-web', 8080],
    ...(at(o.doc, o.node, 'spec', 'thanos') !== undefined ? [['http', 10902], ['grpc', 10901]] as PortSpec[] : []),
  ], {
    added: o => {
      const shards = Math.max(1, num(o, 'spec', 'shards') ?? 1);
      return new Map([['operator.prometheus.io/shard', Array.from({ length: Math.min(shards, 1000) }, (_, i) => String(i))]]);
    },
  }),
  PrometheusAgent: promModel('prometheus/agent', 'prometheus-agent', { 'operator.prometheus.io/name': '$name' },
    o => [webPort(o, 9090), ['reloader-web', 8080]],
    { replicas: o => (word(o, 'spec', 'mode') === 'DaemonSet' ? undefined : num(o, 'spec', 'replicas') ?? 1) }),
  Alertmanager: promModel('alertmanager', 'alertmanager', { alertmanager: '$name' },
    o => [webPort(o, 9093), ['mesh-tcp', 9094, 'TCP'], ['mesh-udp', 9094, 'UDP'], ['reloader-web', 8080]]),
  ThanosRuler: promModel('thanos', 'thanos-ruler', { 'thanos-ruler': '$name' }, o => [webPort(o, 10902), ['grpc', 10901]]),
  Cluster: {
    source: 'CloudNativePG (cloudnative-pg pkg/specs/pods.go)',
    group: 'postgresql.cnpg.io',
    labels: o => ({ 'cnpg.io/cluster': o.name, 'cnpg.io/podRole': 'instance' }),
    added: o => {
      const n = Math.min(num(o, 'spec', 'instances') ?? 1, 1000);
      return new Map<string, readonly string[] | undefined>([
        ['cnpg.io/instanceName', Array.from({ length: n }, (_, i) => `${o.name}-${i + 1}`)],
        ['cnpg.io/instanceRole', n > 1 ? ['primary', 'replica'] : ['primary']],
        ['role', n > 1 ? ['primary', 'replica'] : ['primary']],
      ]);
    },
    ports: () => [['postgresql', 5432], ['metrics', 9187], ['status', 8000]],
    extraLabelsPath: ['spec', 'inheritedMetadata', 'labels'],
    replicas: o => num(o, 'spec', 'instances') ?? 1,
  },
  Pooler: {
    source: 'CloudNativePG (cloudnative-pg pkg/specs/pgbouncer)',
    group: 'postgresql.cnpg.io',
    labels: o => ({ 'cnpg.io/poolerName': o.name, 'cnpg.io/podRole': 'pooler' }),
    ports: () => [['pgbouncer', 5432], ['metrics', 9127]],
    replicas: o => num(o, 'spec', 'instances') ?? 1,
  },
  // KubeVirt: a VirtualMachine runs in one virt-launcher pod carrying the labels of its VMI template
  // (`spec.template.metadata.labels`, kubevirt.io/api core/v1 VirtualMachineSpec); a VM declares no ports.
  VirtualMachine: {
    source: 'KubeVirt (virt-launcher pod, spec.template.metadata.labels)',
    group: 'kubevirt.io',
    labels: () => ({}),
    extraLabelsPath: ['spec', 'template', 'metadata', 'labels'],
    replicas: () => 1,
  },
  ...Object.fromEntries(([['Kafka', 'kafka'], ['KafkaConnect', 'connect'], ['KafkaBridge', 'bridge'], ['KafkaMirrorMaker2', 'mirrormaker2']] as const)
    .map(([kind, suffix]) => [kind, {
      source: 'Strimzi (strimzi-kafka-operator ResourceLabels.java)',
      group: 'kafka.strimzi.io',
      labels: (o: K8sObject) => ({ 'strimzi.io/cluster': o.name, 'strimzi.io/kind': kind, 'strimzi.io/name': `${o.name}-${suffix}` }),
      added: () => new Map([['strimzi.io/pool-name', undefined], ['strimzi.io/component-type', undefined]]),
      replicas: (o: K8sObject) => num(o, 'spec', 'replicas') ?? 1,
    } satisfies Model])),
};

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The operator model for an object, when its kind and API group are one we model. */
function modelOf(o: K8sObject): Model | undefined {
  const m = Object.prototype.hasOwnProperty.call(MODELS, o.kind) ? MODELS[o.kind] : undefined;
  return m && groupOf(o.apiVersion) === m.group ? m : undefined;
}

/** The pods an operator makes for a custom resource we model, as one workload (undefined otherwise). */
export function operatorWorkload(o: K8sObject): Workload | undefined {
  const m = modelOf(o);
  if (!m || !o.name) return undefined;
  const extra = m.extraLabelsPath ? toRecord(stringMap(o.doc, at(o.doc, o.node, ...m.extraLabelsPath))) : {};
  const span = o.kindSpan;
  const ports: ContainerPort[] = (m.ports?.(o) ?? []).map(([name, port, protocol]) => ({
    name, nameSpan: undefined, containerPort: port, portSpan: undefined, protocol: protocol ?? 'TCP', span,
  }));
  const containers: Container[] = ports.length
    ? [{ name: o.kind.toLowerCase(), init: false, sidecar: false, ports, env: [], args: [], command: [], envFromConfigMaps: [], span: undefined }]
    : [];
  return {
    object: o,
    kind: o.kind,
    podLabels: { ...extra, ...m.labels(o) },
    podLabelEntries: [],
    podLabelsSpan: undefined,
    selector: undefined,
    replicas: m.replicas?.(o),
    containers,
    hostname: undefined,
    subdomain: undefined,
    hostNetwork: false,
    dnsPolicy: undefined,
    dnsConfig: undefined,
    serviceName: undefined,
    ownerReferences: [],
    podSpecNode: undefined,
    addedLabels: m.added?.(o) ?? new Map(),
    madeBy: `pods made by ${m.source}`,
  };
}

/** API groups of Kubernetes itself: their kinds are read by the analysis or create no pods we miss. */
function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * Custom-resource groups and kinds known to create no pods: configuration an operator or mesh reads.
 * Anything else outside Kubernetes' own groups may make pods with labels we cannot know.
 */
const PODLESS_GROUPS = new Set([
  'networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io',
  'cert-manager.io', 'acme.cert-manager.io',
  'cilium.io', 'projectcalico.org', 'crd.projectcalico.org', 'policy.linkerd.io', 'linkerd.io', 'split.smi-spec.io',
  'specs.smi-spec.io', 'access.smi-spec.io', 'appmesh.k8s.aws', 'getambassador.io', 'apisix.apache.org', 'traefik.io',
  'traefik.containo.us', 'externaldns.k8s.io', 'cloud.google.com', 'networking.gke.io', 'monitoring.googleapis.com',
  'kustomize.config.k8s.io', 'helm.cattle.io', 'source.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io', 'kyverno.io', 'templates.gatekeeper.sh', 'constraints.gatekeeper.sh',
  'k8s.ovn.org', 'k8s.cni.cncf.io',
]);
const PODLESS_KINDS = new Set([
  'monitoring.coreos.com/ServiceMonitor', 'monitoring.coreos.com/PodMonitor', 'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/Probe', 'monitoring.coreos.com/AlertmanagerConfig', 'monitoring.coreos.com/ScrapeConfig',
  'argoproj.io/AnalysisTemplate', 'argoproj.io/ClusterAnalysisTemplate', 'argoproj.io/AppProject',
  'kafka.strimzi.io/KafkaTopic', 'kafka.strimzi.io/KafkaUser', 'kafka.strimzi.io/KafkaNodePool', 'kafka.strimzi.io/KafkaRebalance',
  'core.strimzi.io/StrimziPodSet',
  'postgresql.cnpg.io/Backup', 'postgresql.cnpg.io/ScheduledBackup', 'postgresql.cnpg.io/ImageCatalog',
  'postgresql.cnpg.io/ClusterImageCatalog', 'postgresql.cnpg.io/Database', 'postgresql.cnpg.io/Publication',
  'postgresql.cnpg.io/Subscription', 'postgresql.cnpg.io/FailoverQuorum',
]);

/**
 * Whether an object may make pods the analysis does not see: a custom resource of a group that is
 * not Kubernetes' own, neither modelled here nor known to be configuration only. Objects with a pod
 * template are workloads themselves and do not count.
 */
export function mayCreatePods(o: K8sObject): boolean {
  const group = groupOf(o.apiVersion);
  if (isBuiltinGroup(group) || modelOf(o)) return false;
  if (PODLESS_GROUPS.has(group) || PODLESS_KINDS.has(`${group}/${o.kind}`)) return false;
  return true;
}

/** The file name the Services operators make carry: not a path; definitions and edits never point there. */
export const OPERATOR_FILE = 'kube-netlens:operator';

/** The annotation a modelled operator Service carries, saying which resource makes it. */
export const MADE_BY_ANNOTATION = 'kube-netlens.io/made-by';

interface ServiceSpec {
  readonly name: string;
  readonly headless?: boolean;
  readonly selector: Record<string, string>;
  readonly ports: ReadonlyArray<readonly [name: string, port: number, protocol?: Protocol]>;
}

/**
 * Services operators create for a custom resource (names and selectors from the same sources as the
 * pods): prometheus-operator's governing Services `prometheus-operated`, `prometheus-agent-operated`,
 * `alertmanager-operated`, `thanos-ruler-operated` (headless; pkg/*\/statefulset.go); CloudNativePG's
 * `<cluster>-rw`, `-ro`, `-r` (api/v1/cluster_types.go suffixes, pkg/specs/services.go selectors) and a
 * Pooler's Service of its own name; Strimzi's `<kafka>-kafka-bootstrap` and headless
 * `<kafka>-kafka-brokers` (KafkaResources.java) with the listeners' ports.
 */
function operatorServiceSpecs(o: K8sObject): ServiceSpec[] {
  if (!modelOf(o) || !o.name) return [];
  const app = (name: string) => ({ 'app.kubernetes.io/name': name });
  switch (o.kind) {
    case 'Prometheus': return [{
      name: 'prometheus-operated', headless: true, selector: app('prometheus'),
      ports: [['web', 9090], ...(at(o.doc, o.node, 'spec', 'thanos') !== undefined ? [['grpc', 10901] as const] : [])],
    }];
    case 'PrometheusAgent': return [{ name: 'prometheus-agent-operated', headless: true, selector: app('prometheus-agent'), ports: [['web', 9090]] }];
    case 'Alertmanager': return [{
      name: 'alertmanager-operated', headless: true, selector: app('alertmanager'),
      ports: [['web', 9093], ['tcp-mesh', 9094, 'TCP'], ['udp-mesh', 9094, 'UDP']],
    }];
    case 'ThanosRuler': return [{ name: 'thanos-ruler-operated', headless: true, selector: app('thanos-ruler'), ports: [['grpc', 10901], ['web', 10902]] }];
    case 'Cluster': {
      const c = { 'cnpg.io/cluster': o.name };
      const ports = [['postgres', 5432]] as const;
      return [
        { name: `${o.name}-rw`, selector: { ...c, 'cnpg.io/instanceRole': 'primary' }, ports },
        { name: `${o.name}-ro`, selector: { ...c, 'cnpg.io/instanceRole': 'replica' }, ports },
        { name: `${o.name}-r`, selector: { ...c, 'cnpg.io/podRole': 'instance' }, ports },
      ];
    }
    case 'Pooler': return [{ name: o.name, selector: { 'cnpg.io/poolerName': o.name }, ports: [['pgbouncer', 5432]] }];
    case 'Kafka': {
      const listeners = items(o.doc, at(o.doc, o.node, 'spec', 'kafka', 'listeners'))
        .map(l => [str(o.doc, at(o.doc, l, 'name'))?.value ?? '', int(o.doc, at(o.doc, l, 'port'))?.value] as const)
        .filter((l): l is readonly [string, number] => l[1] !== undefined)
        .map(([name, port]) => [`tcp-${name}`, port] as const);
      const ports = listeners.length ? listeners : [['tcp-plain', 9092] as const];
      const selector = { 'strimzi.io/cluster': o.name, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${o.name}-kafka` };
      return [{ name: `${o.name}-kafka-bootstrap`, selector, ports }, { name: `${o.name}-kafka-brokers`, headless: true, selector, ports }];
    }
    default: return [];
  }
}

/**
 * The StatefulSets prometheus-operator makes for a resource and the governing Service they name, which
 * gives their pods per-pod names `<statefulset>-<i>.<service>`: `prometheus-<name>`, then
 * `prometheus-<name>-shard-<n>` per shard (pkg/prometheus/common.go `prometheusNameByShard`),
 * `prom-agent-<name>`, `alertmanager-<name>`, `thanos-ruler-<name>` (`prefixedName`), with the
 * `*-operated` Services above. Undefined for other kinds, and for an agent run as a DaemonSet.
 */
export function operatorStatefulSets(o: K8sObject): { names: string[]; serviceName: string } | undefined {
  if (!modelOf(o) || !o.name) return undefined;
  const sharded = (base: string) => {
    const shards = Math.min(Math.max(1, num(o, 'spec', 'shards') ?? 1), 1000);
    return Array.from({ length: shards }, (_, i) => (i === 0 ? base : `${base}-shard-${i}`));
  };
  switch (o.kind) {
    case 'Prometheus': return { names: sharded(`prometheus-${o.name}`), serviceName: 'prometheus-operated' };
    case 'PrometheusAgent':
      return word(o, 'spec', 'mode') === 'DaemonSet' ? undefined : { names: sharded(`prom-agent-${o.name}`), serviceName: 'prometheus-agent-operated' };
    case 'Alertmanager': return { names: [`alertmanager-${o.name}`], serviceName: 'alertmanager-operated' };
    case 'ThanosRuler': return { names: [`thanos-ruler-${o.name}`], serviceName: 'thanos-ruler-operated' };
    default: return undefined;
  }
}

const operatorServiceCache = new WeakMap<K8sObject, readonly Service[]>();

/**
 * The Services an operator makes for `o`, parsed from generated manifests (in {@link OPERATOR_FILE},
 * annotated with {@link MADE_BY_ANNOTATION}); cached per object.
 */
export function operatorServices(o: K8sObject): readonly Service[] {
  let out = operatorServiceCache.get(o);
  if (!out) {
    const docs = operatorServiceSpecs(o).map(s => [
      'apiVersion: v1', 'kind: Service',
      `metadata: {name: ${JSON.stringify(s.name)}, namespace: ${JSON.stringify(o.namespace)}, annotations: {${MADE_BY_ANNOTATION}: ${JSON.stringify(`${o.kind} ${o.name}`)}}}`,
      `spec: {${s.headless ? 'clusterIP: None, ' : ''}selector: ${JSON.stringify(s.selector)}, ports: [${s.ports.map(([name, port, protocol]) => `{name: ${JSON.stringify(name)}, port: ${port}, targetPort: ${port}, protocol: ${protocol ?? 'TCP'}}`).join(', ')}]}`,
    ].join('\n'));
    out = docs.length ? parseManifest(OPERATOR_FILE, docs.join('\n---\n')).objects.map(x => serviceView(x)).filter((x): x is Service => !!x) : [];
    operatorServiceCache.set(o, out);
  }
  return out;
}
