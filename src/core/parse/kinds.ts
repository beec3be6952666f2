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
