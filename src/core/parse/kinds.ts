/** Kinds the analysis knows, and which of them are cluster-scoped. */

/** Kinds that own a pod template (or are a Pod), in the order np-guard lists peers. */
export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

const WORKLOADS = new Set<string>(WORKLOAD_KINDS);
export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return WORKLOADS.has(kind);
}

/** Cluster-scoped kinds among those we read (and common others), which have no namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'IPPool',
  'Installation',
  'APIServer',
  'GlobalNetworkPolicy',
  'GlobalNetworkSet',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterUserDefinedNetwork',
  'ClusterConfiguration',
  'InitConfiguration',
  'JoinConfiguration',
  'KubeletConfiguration',
  'KubeProxyConfiguration',
]);

/** Whether objects of this kind live in a namespace (unknown kinds are assumed namespaced). */
export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

/** `kind: List` and every `*List` kind (PodList, NetworkPolicyList, ...) wrap their objects in `items`. */
export function isListKind(kind: string): boolean {
  return kind === 'List' || (kind.length > 4 && kind.endsWith('List'));
}

/**
 * The API groups (and, where one group serves other kinds of the same name, the versions) under
 * which a kind is the Kubernetes kind the analysis reads. A `NetworkPolicy` of `projectcalico.org/v3`
 * or a `Service` of `serving.knative.dev/v1` is another resource with other semantics: opaque here.
 * Keys are kinds; values are accepted `apiVersion`s, a trailing `/` accepting every version of a group.
 */
const API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['v1'],
  Service: ['v1'],
  Namespace: ['v1'],
  ConfigMap: ['v1'],
  Endpoints: ['v1'],
  Node: ['v1'],
  ReplicationController: ['v1'],
  Deployment: ['apps/', 'extensions/v1beta1'],
  StatefulSet: ['apps/'],
  DaemonSet: ['apps/', 'extensions/v1beta1'],
  ReplicaSet: ['apps/', 'extensions/v1beta1'],
  Job: ['batch/'],
  CronJob: ['batch/'],
  NetworkPolicy: ['networking.k8s.io/v1'],
  Ingress: ['networking.k8s.io/', 'extensions/v1beta1'],
  EndpointSlice: ['discovery.k8s.io/'],
  ServiceCIDR: ['networking.k8s.io/'],
  Route: ['route.openshift.io/', 'v1'],
  ClusterConfiguration: ['kubeadm.k8s.io/'],
  KubeletConfiguration: ['kubelet.config.k8s.io/'],
  KubeProxyConfiguration: ['kubeproxy.config.k8s.io/'],
  IPPool: ['crd.projectcalico.org/', 'projectcalico.org/'],
  Installation: ['operator.tigera.io/'],
  UserDefinedNetwork: ['k8s.ovn.org/'],
  ClusterUserDefinedNetwork: ['k8s.ovn.org/'],
};

/**
 * Whether `o` is the resource the analysis knows as `kind`: same kind and an accepted group.
 * An object without `apiVersion` (still being typed, or an item of a typed List that omits it)
 * gets the benefit of the doubt.
 */
export function isKind(o: { readonly kind: string; readonly apiVersion: string }, kind: string): boolean {
  if (o.kind !== kind) return false;
  const accepted = API_VERSIONS[kind];
  if (!accepted || o.apiVersion === '') return true;
  return accepted.some(v => (v.endsWith('/') ? o.apiVersion.startsWith(v) : o.apiVersion === v));
}

/** Whether `o` is a Kubernetes workload kind (by kind and group). */
export function isWorkload(o: { readonly kind: string; readonly apiVersion: string }): o is { kind: WorkloadKind; apiVersion: string } {
  return isWorkloadKind(o.kind) && isKind(o, o.kind);
}
