/**
 * Workloads: Pods and every pod-template owner (built-in kinds and any kind with a pod template), their
 * containers and ports, the labels controllers add to their pods, and named-port lookup (`FindPort`).
 * Defaults that Kubernetes applies (replicas 1, protocol TCP) are applied here.
 */
import type { Ranged, Span } from '../../span';
import { isWorkload, isWorkloadKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, bool, int, items, spanOf, str, stringMap, text, toRecord, type StringMapEntry, type YDoc } from '../yaml';
import { asProtocol, protocolOf, type Protocol } from './protocol';
import { labelSelector, mapSelector, type LabelSelector } from './selectors';

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
  /** `valueFrom.fieldRef.fieldPath` (the Downward API: `metadata.namespace`, `status.podIP`, ...). */
  readonly fieldPath?: string;
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
export function namedPortsOf(w: Workload): readonly ContainerPort[] {
  // Asked per pair, peer and port by the engine, DNS and rules: made once per view (views are not changed).
  let ports = portsByWorkload.get(w);
  if (!ports) {
    ports = [
      ...w.containers.filter(c => !c.init).flatMap(c => c.ports),
      ...w.containers.filter(c => c.sidecar).flatMap(c => c.ports),
    ];
    portsByWorkload.set(w, ports);
  }
  return ports;
}

const portsByWorkload = new WeakMap<Workload, readonly ContainerPort[]>();

/** The container port a named port resolves to on `w`'s pods (`FindPort`: the first with that name and protocol). */
export function findNamedPort(w: Workload, name: string, protocol: Protocol): ContainerPort | undefined {
  return namedPortsOf(w).find(p => p.name === name && (p.protocol ?? 'TCP') === protocol);
}

/** Where a kind's pod template sits (a Pod: the object itself). */
export function podTemplatePath(kind: string): string[] {
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
          protocol: asProtocol(proto?.value || undefined),
          span: spanOf(p) ?? { start: 0, end: 0 },
        });
      }
      const env: EnvVar[] = [];
      for (const e of items(doc, at(doc, c, 'env'))) {
        const name = str(doc, at(doc, e, 'name'));
        const fieldPath = str(doc, at(doc, e, 'valueFrom', 'fieldRef', 'fieldPath'))?.value;
        if (name) env.push({ name: name.value, value: text(doc, at(doc, e, 'value')), ...(fieldPath ? { fieldPath } : {}) });
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
