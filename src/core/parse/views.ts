/**
 * Typed views of the kinds the analysis reads. Each view keeps the spans of the values rules and
 * hovers point at. Views are total: a half-typed object gives a view with the fields it has.
 * Defaults that Kubernetes applies (protocol TCP, targetPort = port, ...) are applied here and marked
 * by a missing span where it matters.
 */
import type { Ranged, Span } from '../span';
import { isKind, isWorkload, isWorkloadKind } from './kinds';
import type { K8sObject } from './manifest';
import { at, bool, entries, int, items, spanOf, str, stringMap, text, toRecord, type StringMapEntry, type YDoc } from './yaml';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

function protocolOf(doc: YDoc, node: unknown): Ranged<string> | undefined {
  return str(doc, at(doc, node, 'protocol'));
}

/** A protocol as written, upper-cased check only: Kubernetes accepts exactly TCP, UDP, SCTP. */
export function asProtocol(value: string | undefined): Protocol | undefined {
  if (value === undefined) return 'TCP';
  return value === 'TCP' || value === 'UDP' || value === 'SCTP' ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Label selectors

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
  readonly span: Span;
  readonly keySpan: Span | undefined;
  readonly valueSpans: readonly Span[];
}

/** A metav1.LabelSelector. `present: false` means the field is absent (different from `{}`). */
export interface LabelSelector {
  readonly present: boolean;
  readonly span: Span | undefined;
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchLabelEntries: readonly StringMapEntry[];
  readonly matchExpressions: readonly SelectorRequirement[];
}

export function labelSelector(doc: YDoc, node: unknown): LabelSelector {
  const matchLabelEntries = stringMap(doc, at(doc, node, 'matchLabels'));
  const matchExpressions: SelectorRequirement[] = [];
  for (const e of items(doc, at(doc, node, 'matchExpressions'))) {
    const key = str(doc, at(doc, e, 'key'));
    const values = items(doc, at(doc, e, 'values')).map(v => text(doc, v)).filter((v): v is Ranged<string> => !!v);
    matchExpressions.push({
      key: key?.value ?? '',
      keySpan: key?.span,
      operator: str(doc, at(doc, e, 'operator'))?.value ?? '',
      values: values.map(v => v.value),
      valueSpans: values.map(v => v.span),
      span: spanOf(e) ?? { start: 0, end: 0 },
    });
  }
  return {
    present: node !== undefined && node !== null,
    span: spanOf(node),
    matchLabels: toRecord(matchLabelEntries),
    matchLabelEntries,
    matchExpressions,
  };
}

/** A Service-style selector: a plain map of labels (no expressions). */
export function mapSelector(doc: YDoc, node: unknown): LabelSelector {
  const matchLabelEntries = stringMap(doc, node);
  return {
    present: node !== undefined && node !== null,
    span: spanOf(node),
    matchLabels: toRecord(matchLabelEntries),
    matchLabelEntries,
    matchExpressions: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Workloads (Pod and every pod-template owner)

export interface ContainerPort {
  readonly name: string | undefined;
  readonly containerPort: number | undefined;
  readonly protocol: Protocol | undefined;
  readonly span: Span;
  readonly nameSpan: Span | undefined;
  readonly portSpan: Span | undefined;
}

export interface EnvVar {
  readonly name: string;
  readonly value: Ranged<string> | undefined;
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  /** A native sidecar: an init container with `restartPolicy: Always`, which runs beside the others. */
  readonly sidecar: boolean;
  readonly ports: readonly ContainerPort[];
  readonly env: readonly EnvVar[];
  readonly args: readonly Ranged<string>[];
  readonly command: readonly Ranged<string>[];
  /** ConfigMaps named by `envFrom[].configMapRef.name`. */
  readonly envFromConfigMaps: readonly string[];
  readonly span: Span | undefined;
}

export interface OwnerReference {
  readonly kind: string;
  readonly name: string;
  readonly controller: boolean;
}

export interface DnsConfig {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: ReadonlyArray<{ name: string; value?: string }>;
}

export interface Workload {
  readonly object: K8sObject;
  /**
   * The kind of the object that stands for these pods: a built-in workload kind, any other kind with a
   * pod template (`Rollout`, `CloneSet`), or an operator's custom resource (`Prometheus`, `Cluster`).
   */
  readonly kind: string;
  /** Labels of the pods it makes (the template's labels; a Pod's own). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podLabelEntries: readonly StringMapEntry[];
  /** The span of the pod labels map (template.metadata.labels), or of the object when absent. */
  readonly podLabelsSpan: Span | undefined;
  /** The owner's `spec.selector` (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, RC). */
  readonly selector: LabelSelector | undefined;
  readonly replicas: number | undefined;
  readonly containers: readonly Container[];
  readonly hostname: Ranged<string> | undefined;
  readonly subdomain: Ranged<string> | undefined;
  readonly hostNetwork: boolean;
  readonly dnsPolicy: Ranged<string> | undefined;
  readonly dnsConfig: DnsConfig | undefined;
  /** StatefulSet `spec.serviceName`. */
  readonly serviceName: Ranged<string> | undefined;
  readonly ownerReferences: readonly OwnerReference[];
  /** The node of the pod spec, for rules that read more. */
  readonly podSpecNode: unknown;
  /**
   * Labels a controller adds to every pod it makes, beyond the template's: key → the values it can
   * take, or undefined when the value is not known from manifests (a hash). See {@link controllerLabels}.
   */
  readonly addedLabels: ReadonlyMap<string, readonly string[] | undefined>;
  /**
   * Set for pods an operator makes from a custom resource: who makes them and where their labels and
   * ports are documented. Their containers are the modelled ones, which may not be all.
   */
  readonly madeBy?: string;
}

/** Most pods of a StatefulSet whose `statefulset.kubernetes.io/pod-name` values are listed one by one. */
const MAX_LISTED_ORDINALS = 1000;

/**
 * Labels controllers add to the pods they create (Kubernetes source, pkg/controller):
 * - StatefulSet: `statefulset.kubernetes.io/pod-name` = `<name>-<ordinal>` and
 *   `apps.kubernetes.io/pod-index` = `<ordinal>` (stateful_set_utils.go `initIdentity`/`updateIdentity`,
 *   PodIndexLabel since 1.28), `controller-revision-hash` (`apps.ControllerRevisionHashLabelKey`).
 * - Deployment: `pod-template-hash` on its ReplicaSets' pods (deployment/util `DefaultDeploymentUniqueLabelKey`).
 * - DaemonSet: `controller-revision-hash` and `pod-template-generation` (daemon/util).
 * - Job: `batch.kubernetes.io/job-name` and `job-name` = the Job's name, `batch.kubernetes.io/controller-uid`
 *   and `controller-uid` (job_controller.go; `batch/v1` types `JobNameLabel`, `LegacyJobNameLabel`).
 * - CronJob: the Job labels, with the name of each Job it creates (`<cronjob>-<scheduled time>`), not known here.
 * - Argo Rollouts: `rollouts-pod-template-hash` (argoproj/argo-rollouts `DefaultRolloutUniqueLabelKey`).
 */
export function controllerLabels(kind: string, name: string, ordinals?: { start: number; replicas: number | undefined }): Map<string, readonly string[] | undefined> {
  const out = new Map<string, readonly string[] | undefined>();
  switch (kind) {
    case 'StatefulSet': {
      const start = ordinals?.start ?? 0;
      const n = ordinals?.replicas ?? 1;
      const listed = n <= MAX_LISTED_ORDINALS;
      const indexes = listed ? Array.from({ length: n }, (_, i) => String(start + i)) : undefined;
      out.set('statefulset.kubernetes.io/pod-name', indexes?.map(i => `${name}-${i}`));
      out.set('apps.kubernetes.io/pod-index', indexes);
      out.set('controller-revision-hash', undefined);
      break;
    }
    case 'Deployment': out.set('pod-template-hash', undefined); break;
    case 'DaemonSet':
      out.set('controller-revision-hash', undefined);
      out.set('pod-template-generation', undefined);
      break;
    case 'Job':
    case 'CronJob': {
      const job = kind === 'Job' ? [name] : undefined;
      out.set('batch.kubernetes.io/job-name', job);
      out.set('job-name', job);
      out.set('batch.kubernetes.io/controller-uid', undefined);
      out.set('controller-uid', undefined);
      break;
    }
    case 'Rollout': out.set('rollouts-pod-template-hash', undefined); break;
  }
  return out;
}

/**
 * The ports a workload's pods serve on, in the order Kubernetes' `FindPort` searches them: the
 * containers, then native sidecars (init containers with `restartPolicy: Always`). Other init
 * containers have exited before the pod serves. The one list the engine, DNS and rules resolve
 * named ports (and look up declared ports) in.
 */
export function namedPortsOf(w: Workload): ContainerPort[] {
  return [
    ...w.containers.filter(c => !c.init).flatMap(c => c.ports),
    ...w.containers.filter(c => c.sidecar).flatMap(c => c.ports),
  ];
}

/** The container port a named port resolves to on `w`'s pods (`FindPort`: the first with that name and protocol). */
export function findNamedPort(w: Workload, name: string, protocol: Protocol): ContainerPort | undefined {
  return namedPortsOf(w).find(p => p.name === name && (p.protocol ?? 'TCP') === protocol);
}

function podTemplatePath(kind: string): string[] {
  switch (kind) {
    case 'Pod': return [];
    case 'CronJob': return ['spec', 'jobTemplate', 'spec', 'template'];
    default: return ['spec', 'template'];
  }
}

function containersOf(doc: YDoc, spec: unknown): Container[] {
  const out: Container[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const c of items(doc, at(doc, spec, field))) {
      const ports: ContainerPort[] = [];
      for (const p of items(doc, at(doc, c, 'ports'))) {
        const name = str(doc, at(doc, p, 'name'));
        const port = int(doc, at(doc, p, 'containerPort'));
        const proto = protocolOf(doc, p);
        ports.push({
          name: name?.value, nameSpan: name?.span,
          containerPort: port?.value, portSpan: port?.span,
          protocol: asProtocol(proto?.value),
          span: spanOf(p) ?? { start: 0, end: 0 },
        });
      }
      const env: EnvVar[] = [];
      for (const e of items(doc, at(doc, c, 'env'))) {
        const name = str(doc, at(doc, e, 'name'));
        if (name) env.push({ name: name.value, value: text(doc, at(doc, e, 'value')) });
      }
      const strings = (key: string) =>
        items(doc, at(doc, c, key)).map(v => text(doc, v)).filter((v): v is Ranged<string> => !!v);
      const envFromConfigMaps = items(doc, at(doc, c, 'envFrom'))
        .map(e => str(doc, at(doc, e, 'configMapRef', 'name'))?.value)
        .filter((v): v is string => !!v);
      out.push({
        name: str(doc, at(doc, c, 'name'))?.value ?? '',
        init, sidecar: init && str(doc, at(doc, c, 'restartPolicy'))?.value === 'Always', ports, env, args: strings('args'), command: strings('command'), envFromConfigMaps,
        span: spanOf(c),
      });
    }
  }
  return out;
}

/**
 * Whether an object of a kind the analysis does not list has a pod template (`spec.template.spec.containers`):
 * Argo Rollouts' `Rollout`, OpenKruise's `CloneSet`, ... make pods from it like a Deployment does.
 */
function hasPodTemplate(o: K8sObject): boolean {
  return items(o.doc, at(o.doc, o.node, 'spec', 'template', 'spec', 'containers')).length > 0;
}

/**
 * The workload an object is: a built-in workload kind, or any other kind with a pod template
 * (`spec.template.spec.containers`). Operators' custom resources without a template are modelled
 * in `operators.ts`.
 */
export function workloadView(o: K8sObject): Workload | undefined {
  if (!isWorkload(o) && (isWorkloadKind(o.kind) || !hasPodTemplate(o))) return undefined;
  const doc = o.doc;
  const template = at(doc, o.node, ...podTemplatePath(o.kind));
  const spec = o.kind === 'Pod' ? at(doc, o.node, 'spec') : at(doc, template, 'spec');
  const labelsNode = o.kind === 'Pod' ? at(doc, o.node, 'metadata', 'labels') : at(doc, template, 'metadata', 'labels');
  const podLabelEntries = stringMap(doc, labelsNode);
  const selectorNode = o.kind === 'Pod' || o.kind === 'CronJob' ? undefined : at(doc, o.node, 'spec', 'selector');
  const dnsConfigNode = at(doc, spec, 'dnsConfig');
  const replicas = int(doc, at(doc, o.node, 'spec', 'replicas'))?.value;
  return {
    object: o,
    kind: o.kind,
    podLabels: toRecord(podLabelEntries),
    podLabelEntries,
    podLabelsSpan: spanOf(labelsNode),
    selector: selectorNode === undefined
      ? undefined
      : o.kind === 'ReplicationController' ? mapSelector(doc, selectorNode) : labelSelector(doc, selectorNode),
    replicas: o.kind === 'Pod' ? 1 : replicas ?? (o.kind === 'DaemonSet' || o.kind === 'Job' || o.kind === 'CronJob' ? undefined : 1),
    containers: containersOf(doc, spec),
    hostname: str(doc, at(doc, spec, 'hostname')),
    subdomain: str(doc, at(doc, spec, 'subdomain')),
    hostNetwork: bool(doc, at(doc, spec, 'hostNetwork')) ?? false,
    dnsPolicy: str(doc, at(doc, spec, 'dnsPolicy')),
    dnsConfig: dnsConfigNode === undefined ? undefined : {
      nameservers: items(doc, at(doc, dnsConfigNode, 'nameservers')).map(n => text(doc, n)?.value ?? ''),
      searches: items(doc, at(doc, dnsConfigNode, 'searches')).map(n => text(doc, n)?.value ?? ''),
      options: items(doc, at(doc, dnsConfigNode, 'options')).map(n => {
        const value = text(doc, at(doc, n, 'value'))?.value;
        return value === undefined
          ? { name: text(doc, at(doc, n, 'name'))?.value ?? '' }
          : { name: text(doc, at(doc, n, 'name'))?.value ?? '', value };
      }),
    },
    serviceName: o.kind === 'StatefulSet' ? str(doc, at(doc, o.node, 'spec', 'serviceName')) : undefined,
    ownerReferences: items(doc, at(doc, o.node, 'metadata', 'ownerReferences')).map(r => ({
      kind: str(doc, at(doc, r, 'kind'))?.value ?? '',
      name: str(doc, at(doc, r, 'name'))?.value ?? '',
      controller: bool(doc, at(doc, r, 'controller')) ?? false,
    })),
    podSpecNode: spec,
    addedLabels: controllerLabels(o.kind, o.name, o.kind === 'StatefulSet'
      ? { start: int(doc, at(doc, o.node, 'spec', 'ordinals', 'start'))?.value ?? 0, replicas: replicas ?? 1 }
      : undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// Services

export interface ServicePort {
  readonly name: string | undefined;
  readonly nameSpan: Span | undefined;
  readonly port: number | undefined;
  readonly portSpan: Span | undefined;
  /** `targetPort` as written: a number or a container port name; defaults to `port`. */
  readonly targetPort: number | string | undefined;
  readonly targetPortSpan: Span | undefined;
  readonly protocol: Protocol | undefined;
  readonly nodePort: number | undefined;
  readonly span: Span;
}

export interface Service {
  readonly object: K8sObject;
  readonly type: string;
  readonly selector: LabelSelector;
  readonly ports: readonly ServicePort[];
  readonly clusterIP: Ranged<string> | undefined;
  readonly clusterIPs: readonly Ranged<string>[];
  /** `clusterIP: None`. */
  readonly headless: boolean;
  readonly externalName: Ranged<string> | undefined;
  readonly publishNotReadyAddresses: boolean;
  readonly ipFamilies: readonly Ranged<string>[];
  readonly ipFamilyPolicy: string | undefined;
  readonly loadBalancerIP: Ranged<string> | undefined;
  readonly externalIPs: readonly Ranged<string>[];
}

export function serviceView(o: K8sObject): Service | undefined {
  if (!isKind(o, 'Service')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const strings = (key: string) =>
    items(doc, at(doc, spec, key)).map(v => text(doc, v)).filter((v): v is Ranged<string> => !!v);
  const clusterIP = text(doc, at(doc, spec, 'clusterIP'));
  const clusterIPs = strings('clusterIPs');
  const type = str(doc, at(doc, spec, 'type'))?.value ?? 'ClusterIP';
  return {
    object: o,
    type,
    selector: mapSelector(doc, at(doc, spec, 'selector')),
    ports: items(doc, at(doc, spec, 'ports')).map(p => {
      const name = str(doc, at(doc, p, 'name'));
      const port = int(doc, at(doc, p, 'port'));
      const targetNode = at(doc, p, 'targetPort');
      const target = int(doc, targetNode) ?? str(doc, targetNode);
      return {
        name: name?.value, nameSpan: name?.span,
        port: port?.value, portSpan: port?.span,
        targetPort: target?.value ?? port?.value,
        targetPortSpan: target?.span,
        protocol: asProtocol(protocolOf(doc, p)?.value),
        nodePort: int(doc, at(doc, p, 'nodePort'))?.value,
        span: spanOf(p) ?? { start: 0, end: 0 },
      };
    }),
    clusterIP,
    clusterIPs,
    headless: clusterIP?.value === 'None' || clusterIPs[0]?.value === 'None',
    externalName: type === 'ExternalName' ? str(doc, at(doc, spec, 'externalName')) : undefined,
    publishNotReadyAddresses: bool(doc, at(doc, spec, 'publishNotReadyAddresses')) ?? false,
    ipFamilies: strings('ipFamilies'),
    ipFamilyPolicy: str(doc, at(doc, spec, 'ipFamilyPolicy'))?.value,
    loadBalancerIP: text(doc, at(doc, spec, 'loadBalancerIP')),
    externalIPs: strings('externalIPs'),
  };
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy

export interface IPBlock {
  readonly cidr: Ranged<string> | undefined;
  readonly except: readonly Ranged<string>[];
  readonly span: Span;
}

export interface PolicyPeer {
  readonly podSelector: LabelSelector | undefined;
  readonly namespaceSelector: LabelSelector | undefined;
  readonly ipBlock: IPBlock | undefined;
  readonly span: Span;
}

export interface PolicyPort {
  readonly protocol: Protocol | undefined;
  readonly protocolSpan: Span | undefined;
  /** A number, a named port, or undefined (all ports). */
  readonly port: number | string | undefined;
  readonly portSpan: Span | undefined;
  readonly endPort: number | undefined;
  readonly endPortSpan: Span | undefined;
  readonly span: Span;
}

export interface PolicyRule {
  readonly direction: 'ingress' | 'egress';
  /** `from` (ingress) or `to` (egress); undefined when absent (all peers). */
  readonly peers: readonly PolicyPeer[] | undefined;
  readonly peersSpan: Span | undefined;
  /** undefined when absent (all ports). */
  readonly ports: readonly PolicyPort[] | undefined;
  readonly portsSpan: Span | undefined;
  readonly span: Span;
  /** Index of the rule in its list. */
  readonly index: number;
}

export interface NetworkPolicy {
  readonly object: K8sObject;
  readonly podSelector: LabelSelector;
  /** policyTypes as written, or undefined when absent. */
  readonly policyTypesWritten: readonly Ranged<string>[] | undefined;
  readonly policyTypesSpan: Span | undefined;
  /** Effective policy types, with the API's defaulting applied. */
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  /** undefined when the field is absent. */
  readonly ingress: readonly PolicyRule[] | undefined;
  readonly ingressSpan: Span | undefined;
  readonly egress: readonly PolicyRule[] | undefined;
  readonly egressSpan: Span | undefined;
}

function policyRules(doc: YDoc, node: unknown, direction: 'ingress' | 'egress'): PolicyRule[] | undefined {
  if (node === undefined || node === null) return undefined;
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  return items(doc, node).map((r, index) => {
    const peersNode = at(doc, r, peerKey);
    const portsNode = at(doc, r, 'ports');
    const absent = (n: unknown) => n === undefined || n === null;
    return {
      direction,
      index,
      span: spanOf(r) ?? { start: 0, end: 0 },
      peersSpan: spanOf(peersNode),
      portsSpan: spanOf(portsNode),
      peers: absent(peersNode) ? undefined : items(doc, peersNode).map(p => {
        const ps = at(doc, p, 'podSelector');
        const nss = at(doc, p, 'namespaceSelector');
        const ib = at(doc, p, 'ipBlock');
        return {
          span: spanOf(p) ?? { start: 0, end: 0 },
          podSelector: ps === undefined ? undefined : labelSelector(doc, ps),
          namespaceSelector: nss === undefined ? undefined : labelSelector(doc, nss),
          ipBlock: ib === undefined ? undefined : {
            cidr: text(doc, at(doc, ib, 'cidr')),
            except: items(doc, at(doc, ib, 'except')).map(e => text(doc, e)).filter((e): e is Ranged<string> => !!e),
            span: spanOf(ib) ?? { start: 0, end: 0 },
          },
        };
      }),
      ports: absent(portsNode) ? undefined : items(doc, portsNode).map(p => {
        const portNode = at(doc, p, 'port');
        const port = int(doc, portNode) ?? str(doc, portNode);
        const endPort = int(doc, at(doc, p, 'endPort'));
        const proto = protocolOf(doc, p);
        return {
          protocol: asProtocol(proto?.value), protocolSpan: proto?.span,
          port: port?.value, portSpan: port?.span,
          endPort: endPort?.value, endPortSpan: endPort?.span,
          span: spanOf(p) ?? { start: 0, end: 0 },
        };
      }),
    };
  });
}

/** Read once per parsed object: the index and a dozen rules ask for the same view. */
export function networkPolicyView(o: K8sObject): NetworkPolicy | undefined {
  if (!policyViews.has(o)) policyViews.set(o, readNetworkPolicy(o));
  return policyViews.get(o);
}
const policyViews = new WeakMap<K8sObject, NetworkPolicy | undefined>();

function readNetworkPolicy(o: K8sObject): NetworkPolicy | undefined {
  if (!isKind(o, 'NetworkPolicy')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const typesNode = at(doc, spec, 'policyTypes');
  const written = typesNode === undefined || typesNode === null
    ? undefined
    : items(doc, typesNode).map(t => text(doc, t)).filter((t): t is Ranged<string> => !!t);
  const ingressNode = at(doc, spec, 'ingress');
  const egressNode = at(doc, spec, 'egress');
  const egress = policyRules(doc, egressNode, 'egress');
  return {
    object: o,
    podSelector: labelSelector(doc, at(doc, spec, 'podSelector')),
    policyTypesWritten: written,
    policyTypesSpan: spanOf(typesNode),
    // Defaulting (networking/v1 SetDefaults_NetworkPolicy): policyTypes absent or empty means
    // Ingress, plus Egress when egress rules exist.
    isolatesIngress: written && written.length > 0 ? written.some(t => t.value === 'Ingress') : true,
    isolatesEgress: written && written.length > 0
      ? written.some(t => t.value === 'Egress')
      : egress !== undefined && egress.length > 0,
    ingress: policyRules(doc, ingressNode, 'ingress'),
    ingressSpan: spanOf(ingressNode),
    egress,
    egressSpan: spanOf(egressNode),
  };
}

// ---------------------------------------------------------------------------------------------
// Ingress

export interface IngressBackend {
  readonly serviceName: Ranged<string> | undefined;
  /** Port number or name; undefined when missing. */
  readonly port: Ranged<number | string> | undefined;
  readonly host: string | undefined;
  readonly path: string | undefined;
  readonly span: Span;
}

export interface Ingress {
  readonly object: K8sObject;
  readonly ingressClassName: string | undefined;
  readonly backends: readonly IngressBackend[];
}

function ingressBackend(doc: YDoc, b: unknown, host?: string, path?: string): IngressBackend | undefined {
  if (b === undefined || b === null) return undefined;
  const svc = at(doc, b, 'service');
  // networking.k8s.io/v1: backend.service.{name, port.{number|name}}; v1beta1: serviceName/servicePort.
  const serviceName = svc !== undefined ? str(doc, at(doc, svc, 'name')) : str(doc, at(doc, b, 'serviceName'));
  const portNode = svc !== undefined ? at(doc, svc, 'port') : at(doc, b, 'servicePort');
  const port = svc !== undefined
    ? int(doc, at(doc, portNode, 'number')) ?? str(doc, at(doc, portNode, 'name'))
    : int(doc, portNode) ?? str(doc, portNode);
  return { serviceName, port, host, path, span: spanOf(b) ?? { start: 0, end: 0 } };
}

export function ingressView(o: K8sObject): Ingress | undefined {
  if (!isKind(o, 'Ingress')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const backends: IngressBackend[] = [];
  const def = ingressBackend(doc, at(doc, spec, 'defaultBackend') ?? at(doc, spec, 'backend'));
  if (def) backends.push(def);
  for (const rule of items(doc, at(doc, spec, 'rules'))) {
    const host = str(doc, at(doc, rule, 'host'))?.value;
    for (const p of items(doc, at(doc, rule, 'http', 'paths'))) {
      const b = ingressBackend(doc, at(doc, p, 'backend'), host, str(doc, at(doc, p, 'path'))?.value);
      if (b) backends.push(b);
    }
  }
  return { object: o, ingressClassName: str(doc, at(doc, spec, 'ingressClassName'))?.value, backends };
}

/** OpenShift Route: `spec.to` names a Service (np-guard treats Routes like Ingresses). */
export function routeView(o: K8sObject): Ingress | undefined {
  if (!isKind(o, 'Route')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const to = at(doc, spec, 'to');
  const portNode = at(doc, spec, 'port', 'targetPort');
  return {
    object: o,
    ingressClassName: undefined,
    backends: [{
      serviceName: str(doc, at(doc, to, 'name')),
      port: int(doc, portNode) ?? str(doc, portNode),
      host: str(doc, at(doc, spec, 'host'))?.value,
      path: str(doc, at(doc, spec, 'path'))?.value,
      span: spanOf(to) ?? o.span,
    }],
  };
}

// ---------------------------------------------------------------------------------------------
// Address-plan sources

/** A CIDR or IP value found in a manifest, with what defined it. */
export interface AddressSource {
  readonly role:
    | 'podSubnet' | 'serviceSubnet' | 'clusterCIDR' | 'clusterDNS' | 'nodePodCIDR' | 'ipPool'
    | 'clusterIP' | 'loadBalancerIP' | 'externalIP' | 'loadBalancerSourceRange' | 'ipBlockCidr' | 'ipBlockExcept';
  readonly object: K8sObject;
  readonly value: string;
  readonly span: Span;
  /** For IPPools, the block size (`blockSize`), when written. */
  readonly blockSize?: number;
}

/** Splits a comma-separated dual-stack list (`10.244.0.0/16,fd00::/48`) into ranged parts. */
export function splitList(r: Ranged<string>): Ranged<string>[] {
  const out: Ranged<string>[] = [];
  // The span of a scalar includes quotes when quoted; locate the value inside it by search.
  let pos = 0;
  for (const part of r.value.split(',')) {
    const trimmed = part.trim();
    const inPart = part.indexOf(trimmed);
    out.push({ value: trimmed, span: { start: r.span.start + pos + inPart, end: r.span.start + pos + inPart + trimmed.length } });
    pos += part.length + 1;
  }
  return out;
}

/** Every address or range an object defines, in text order. */
export function addressSources(o: K8sObject): AddressSource[] {
  const doc = o.doc;
  const out: AddressSource[] = [];
  const add = (role: AddressSource['role'], r: Ranged<string> | undefined, list = false, blockSize?: number) => {
    if (!r) return;
    const parts = list ? splitList(r) : [r];
    for (const p of parts) if (p.value) out.push({ role, object: o, value: p.value, span: p.span, ...(blockSize !== undefined ? { blockSize } : {}) });
  };
  if (!isKind(o, o.kind)) return out;
  switch (o.kind) {
    case 'ClusterConfiguration': {
      const net = at(doc, o.node, 'networking');
      add('podSubnet', text(doc, at(doc, net, 'podSubnet')), true);
      add('serviceSubnet', text(doc, at(doc, net, 'serviceSubnet')), true);
      break;
    }
    case 'KubeProxyConfiguration':
      add('clusterCIDR', text(doc, at(doc, o.node, 'clusterCIDR')), true);
      break;
    case 'KubeletConfiguration':
      for (const ip of items(doc, at(doc, o.node, 'clusterDNS'))) add('clusterDNS', text(doc, ip));
      break;
    case 'Node': {
      const cidrs = items(doc, at(doc, o.node, 'spec', 'podCIDRs'));
      if (cidrs.length) for (const c of cidrs) add('nodePodCIDR', text(doc, c));
      else add('nodePodCIDR', text(doc, at(doc, o.node, 'spec', 'podCIDR')));
      break;
    }
    case 'IPPool':
      add('ipPool', text(doc, at(doc, o.node, 'spec', 'cidr')), false, int(doc, at(doc, o.node, 'spec', 'blockSize'))?.value);
      break;
    case 'Installation':
      for (const p of items(doc, at(doc, o.node, 'spec', 'calicoNetwork', 'ipPools'))) {
        add('ipPool', text(doc, at(doc, p, 'cidr')), false, int(doc, at(doc, p, 'blockSize'))?.value);
      }
      break;
    case 'Service': {
      const s = serviceView(o)!;
      if (s.clusterIPs.length) for (const ip of s.clusterIPs) { if (ip.value !== 'None') add('clusterIP', ip); }
      else if (s.clusterIP && s.clusterIP.value !== 'None' && s.clusterIP.value !== '') add('clusterIP', s.clusterIP);
      add('loadBalancerIP', s.loadBalancerIP);
      for (const ip of s.externalIPs) add('externalIP', ip);
      for (const r of items(doc, at(doc, o.node, 'spec', 'loadBalancerSourceRanges'))) add('loadBalancerSourceRange', text(doc, r));
      break;
    }
    case 'NetworkPolicy': {
      const p = networkPolicyView(o)!;
      for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
        for (const peer of rule.peers ?? []) {
          if (!peer.ipBlock) continue;
          add('ipBlockCidr', peer.ipBlock.cidr);
          for (const e of peer.ipBlock.except) add('ipBlockExcept', e);
        }
      }
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cluster configuration

export interface ClusterNetworking {
  readonly object: K8sObject;
  readonly dnsDomain: Ranged<string> | undefined;
}

/** The cluster domain an object sets: kubeadm `networking.dnsDomain` or kubelet `clusterDomain`. */
export function clusterDomainOf(o: K8sObject): Ranged<string> | undefined {
  if (isKind(o, 'ClusterConfiguration')) return str(o.doc, at(o.doc, o.node, 'networking', 'dnsDomain'));
  if (isKind(o, 'KubeletConfiguration')) return str(o.doc, at(o.doc, o.node, 'clusterDomain'));
  return undefined;
}

/**
 * kube-controller-manager node CIDR mask sizes when a kubeadm ClusterConfiguration sets them:
 * `node-cidr-mask-size-ipv4`/`-ipv6`, and `single`, the plain `node-cidr-mask-size`, which applies
 * to the one family of a single-stack cluster (IPv4 or IPv6; dual-stack clusters refuse it).
 */
export function nodeCidrMaskSizes(o: K8sObject): { v4?: number; v6?: number; single?: number } {
  if (!isKind(o, 'ClusterConfiguration')) return {};
  const extra = at(o.doc, o.node, 'controllerManager', 'extraArgs');
  const out: { v4?: number; v6?: number; single?: number } = {};
  const read = (key: string): number | undefined => {
    // kubeadm v1beta3: a map; v1beta4: a list of {name, value}.
    for (const [k, , v] of entries(o.doc, extra)) if (k === key) return Number(text(o.doc, v)?.value);
    for (const arg of items(o.doc, extra)) {
      if (str(o.doc, at(o.doc, arg, 'name'))?.value === key) return Number(text(o.doc, at(o.doc, arg, 'value'))?.value);
    }
    return undefined;
  };
  const single = read('node-cidr-mask-size');
  const v4 = read('node-cidr-mask-size-ipv4');
  const v6 = read('node-cidr-mask-size-ipv6');
  if (v4 !== undefined && Number.isInteger(v4)) out.v4 = v4;
  if (v6 !== undefined && Number.isInteger(v6)) out.v6 = v6;
  if (single !== undefined && Number.isInteger(single)) out.single = single;
  return out;
}

// ---------------------------------------------------------------------------------------------
// ConfigMaps, Namespaces, Endpoints

export interface ConfigMap {
  readonly object: K8sObject;
  readonly data: readonly StringMapEntry[];
}

export function configMapView(o: K8sObject): ConfigMap | undefined {
  if (!isKind(o, 'ConfigMap')) return undefined;
  return { object: o, data: stringMap(o.doc, at(o.doc, o.node, 'data')) };
}

/** Endpoints / EndpointSlice: the addresses they list (for headless Services without selectors). */
export interface EndpointsView {
  readonly object: K8sObject;
  /** The Service these endpoints belong to. */
  readonly serviceName: string;
  readonly addresses: ReadonlyArray<{ ip: string; hostname: string | undefined; ready: boolean }>;
  readonly ports: ReadonlyArray<{ name: string | undefined; port: number | undefined; protocol: Protocol | undefined }>;
}

export function endpointsView(o: K8sObject): EndpointsView | undefined {
  const doc = o.doc;
  const portsOf = (n: unknown) => items(doc, n).map(p => ({
    name: str(doc, at(doc, p, 'name'))?.value,
    port: int(doc, at(doc, p, 'port'))?.value,
    protocol: asProtocol(str(doc, at(doc, p, 'protocol'))?.value),
  }));
  if (isKind(o, 'Endpoints')) {
    const addresses: Array<{ ip: string; hostname: string | undefined; ready: boolean }> = [];
    const ports: EndpointsView['ports'][number][] = [];
    for (const subset of items(doc, at(doc, o.node, 'subsets'))) {
      for (const [key, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        for (const a of items(doc, at(doc, subset, key))) {
          addresses.push({ ip: text(doc, at(doc, a, 'ip'))?.value ?? '', hostname: str(doc, at(doc, a, 'hostname'))?.value, ready });
        }
      }
      ports.push(...portsOf(at(doc, subset, 'ports')));
    }
    return { object: o, serviceName: o.name, addresses, ports };
  }
  if (isKind(o, 'EndpointSlice')) {
    const addresses: Array<{ ip: string; hostname: string | undefined; ready: boolean }> = [];
    for (const ep of items(doc, at(doc, o.node, 'endpoints'))) {
      const ready = bool(doc, at(doc, ep, 'conditions', 'ready')) ?? true;
      const hostname = str(doc, at(doc, ep, 'hostname'))?.value;
      for (const a of items(doc, at(doc, ep, 'addresses'))) addresses.push({ ip: text(doc, a)?.value ?? '', hostname, ready });
    }
    return {
      object: o,
      serviceName: o.labels['kubernetes.io/service-name'] ?? '',
      addresses,
      ports: portsOf(at(doc, o.node, 'ports')),
    };
  }
  return undefined;
}
