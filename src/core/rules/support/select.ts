/**
 * Which workloads and namespaces of the workspace a policy, a peer or a Service selects, with the
 * conservative answers rules need: "nothing could match" only when the workspace knows enough to say so.
 */
import type { NetworkPolicy, PolicyPeer, PolicyRule } from '../../parse/views/policy';
import type { Protocol } from '../../parse/views/protocol';
import type { LabelSelector } from '../../parse/views/selectors';
import { findNamedPort, namedPortsOf, type Workload } from '../../parse/views/workload';
import { selectorKey, selectorMatches, type Labels } from '../../net/selectors';
import type { K8sObject } from '../../parse/manifest';
import { serviceView, type Service } from '../../parse/views/service';
import { NAMESPACE_NAME_LABEL, type FileEntry, type Workspace } from '../../workspace';

/** Stands for an object that names its namespace (a namespaceSelector pinned by name does). */
const WRITTEN: Asking = { file: '', namespaceDefaulted: false };

/** The object a "selects nothing" verdict is about: where it is and whether its namespace is assumed. */
type Asking = Pick<K8sObject, 'file' | 'namespaceDefaulted'>;

/**
 * Whether "nothing there matches" can be concluded for `namespace`: the workspace defines workloads
 * there and holds no custom resource there that may make pods it cannot model (an operator's).
 */
export function knowsPodsOf(ws: Workspace, namespace: string, asking?: Asking): boolean {
  return ws.knowsPodsOf(namespace, asking);
}

const entryServices = new WeakMap<FileEntry, Map<K8sObject, Service>>();

/**
 * The Service view of `object` in `entry`: the index's own when the object is in force (read once,
 * and the key of the workspace's per-Service caches), else read here.
 */
export function serviceOf(entry: FileEntry, object: K8sObject): Service | undefined {
  const services = entry.services;
  // A file of a few Services is searched (no table kept for it); a larger one gets a table.
  let s: Service | undefined;
  if (services.length <= 8) s = services.find(x => x.object === object);
  else {
    let byObject = entryServices.get(entry);
    if (!byObject) entryServices.set(entry, (byObject = new Map(services.map(x => [x.object, x]))));
    s = byObject.get(object);
  }
  return s ?? serviceView(object);
}

/** The workloads a policy applies to. */
export function policyPods(ws: Workspace, p: NetworkPolicy): Workload[] {
  return ws.workloadsSelectedBy(p.object.namespace, p.podSelector);
}

/** The labels a namespace has: declared ones, or just its name label when not declared. */
export function namespaceLabels(ws: Workspace, name: string): Labels {
  return ws.namespaces.get(name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
}

/**
 * The namespace names a namespaceSelector pins by `kubernetes.io/metadata.name` (matchLabels or an
 * `In` expression), or undefined when it selects by other labels and could match namespaces the
 * workspace does not declare.
 */
export function pinnedNamespaces(selector: LabelSelector): string[] | undefined {
  const byLabel = selector.matchLabels[NAMESPACE_NAME_LABEL];
  if (byLabel !== undefined) return [byLabel].filter(ns => selectorMatches(selector, { [NAMESPACE_NAME_LABEL]: ns }));
  const inExpr = selector.matchExpressions.find(r => r.key === NAMESPACE_NAME_LABEL && r.operator === 'In');
  if (inExpr) return inExpr.values.filter(ns => selectorMatches(selector, { [NAMESPACE_NAME_LABEL]: ns }));
  return undefined;
}

/** What a peer's pods could be, as far as the workspace can tell. */
export interface PeerPods {
  /** The workspace workloads the peer selects (shared per generation: not to be changed). */
  readonly workloads: readonly Workload[];
  /**
   * True when every pod the peer could select lives in namespaces the workspace defines workloads for
   * (so an empty `workloads` means the peer truly selects nothing that is deployed from here).
   */
  readonly complete: boolean;
}

/**
 * The pods a policy peer selects. A podSelector alone means the policy's namespace; with a
 * namespaceSelector, the namespaces it matches. Only a namespaceSelector pinned by name to namespaces
 * with workloads in the workspace gives a complete answer; other selectors may match namespaces
 * declared elsewhere. ipBlock peers select no pod (addresses outside the cluster).
 */
export function peerPods(ws: Workspace, policyNamespace: string, peer: PolicyPeer, policy?: Asking): PeerPods {
  if (peer.ipBlock) return { workloads: [], complete: false };
  const pods = peer.podSelector;
  if (!peer.namespaceSelector) {
    if (!pods) return { workloads: [], complete: false };
    return { workloads: ws.workloadsSelectedBy(policyNamespace, pods), complete: knowsPodsOf(ws, policyNamespace, policy) };
  }
  const pinned = pinnedNamespaces(peer.namespaceSelector);
  const complete = pinned !== undefined && pinned.length > 0 && pinned.every(ns => knowsPodsOf(ws, ns, WRITTEN));
  // The same selectors recur in policy after policy: their workloads are found once per generation.
  const table = ws.derived('select:peerWorkloads', () => new Map<string, Workload[]>());
  const key = `${selectorKey(peer.namespaceSelector)}\u0000${pods ? selectorKey(pods) : ''}`;
  let workloads = table.get(key);
  if (!workloads) {
    const namespaces = pinned ?? namespacesWithWorkloads(ws).filter(ns => selectorMatches(peer.namespaceSelector!, namespaceLabels(ws, ns)));
    workloads = namespaces.flatMap(ns => pods ? ws.workloadsSelectedBy(ns, pods) : [...ws.workloadsIn(ns)]);
    table.set(key, workloads);
  }
  return { workloads, complete };
}

/** The namespaces the workspace defines workloads in, in namespace order; once per generation. */
function namespacesWithWorkloads(ws: Workspace): string[] {
  return ws.derived('select:namespacesWithWorkloads', () => [...ws.namespaces.keys()].filter(ns => ws.workloadsIn(ns).length > 0));
}

/**
 * Whether {@link peerPods} surely answers "not complete" without looking at workloads: a peer of
 * no selector, or a namespaceSelector that does not pin namespaces by name.
 */
export function peerSurelyIncomplete(peer: PolicyPeer): boolean {
  if (peer.ipBlock) return true;
  if (!peer.namespaceSelector) return !peer.podSelector;
  return pinnedNamespaces(peer.namespaceSelector) === undefined;
}

/** The workloads a list of peers selects, and whether that list is complete (see {@link peerPods}). */
export function peersPods(ws: Workspace, policyNamespace: string, peers: readonly PolicyPeer[]): PeerPods {
  const workloads = new Set<Workload>();
  let complete = peers.length > 0;
  for (const peer of peers) {
    const r = peerPods(ws, policyNamespace, peer);
    for (const w of r.workloads) workloads.add(w);
    if (!r.complete) complete = false;
  }
  return { workloads: [...workloads], complete };
}

/** Whether any container of `w` defines a port named `name` with `protocol`. */
export function definesNamedPort(w: Workload, name: string, protocol: Protocol): boolean {
  return findNamedPort(w, name, protocol) !== undefined;
}

/** Whether any container of `w` declares `port` with `protocol`. */
export function declaresPort(w: Workload, port: number, protocol: Protocol): boolean {
  return namedPortsOf(w).some(p => p.containerPort === port && (p.protocol ?? 'TCP') === protocol);
}

/** The protocols under which `w` defines a port named `name`. */
export function namedPortProtocols(w: Workload, name: string): Protocol[] {
  const out = new Set<Protocol>();
  for (const p of namedPortsOf(w)) if (p.name === name && p.protocol) out.add(p.protocol);
  return [...out];
}

/**
 * The workloads a policy rule's traffic goes to, when the workspace knows them all: for ingress the
 * policy's own pods; for egress the pods its pod-selecting `to` peers select (ipBlock peers are
 * left out: they are never pods). Undefined when the set is empty or may include pods deployed elsewhere.
 * `keep` narrows the set (a MultiNetworkPolicy's: the pods on its networks).
 */
export function ruleDestinations(ws: Workspace, p: NetworkPolicy, direction: 'ingress' | 'egress', peers: readonly PolicyPeer[] | undefined,
  keep: (w: Workload) => boolean = () => true): readonly Workload[] | undefined {
  if (direction === 'ingress') {
    const pods = policyPods(ws, p).filter(keep);
    return pods.length ? pods : undefined;
  }
  const podPeers = (peers ?? []).filter(peer => !peer.ipBlock);
  if (!podPeers.length || podPeers.some(peerSurelyIncomplete)) return undefined;
  const r = peersPods(ws, p.object.namespace, podPeers);
  const pods = r.workloads.filter(keep);
  return r.complete && pods.length ? pods : undefined;
}

/**
 * Whether some of `pods` serves `port` (a number or a container port name) with `protocol`, or may:
 * operator-made pods have the modelled ports, which may not be all of theirs.
 */
export function mayServePort(pods: readonly Workload[], port: number | string, protocol: Protocol): boolean {
  return pods.some(w => w.madeBy !== undefined || (typeof port === 'number' ? declaresPort(w, port, protocol) : definesNamedPort(w, port, protocol)));
}

/** The destinations of `rule` (see {@link ruleDestinations}) when none of them serves `port` with `protocol`, nor may. */
export function destinationsWithout(ws: Workspace, p: NetworkPolicy, rule: PolicyRule, port: number | string, protocol: Protocol,
  keep?: (w: Workload) => boolean): readonly Workload[] | undefined {
  const dests = ruleDestinations(ws, p, rule.direction, rule.peers, keep);
  return dests && !mayServePort(dests, port, protocol) ? dests : undefined;
}
