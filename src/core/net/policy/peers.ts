/**
 * The endpoints of policy analysis: workload peers (one per pod-template owner or bare Pod, with
 * Pods that name a controller merged into their owner), external address ranges, and the synthetic
 * ingress controller. Identifiers are exactly np-guard's (`ns/name[Kind]`, `a-b[External]`,
 * `{ingress-controller}`).
 */
import type { IPFamily } from '../ip';
import { formatRange } from '../ip';
import type { OwnerReference, Workload } from '../../parse/views/workload';
import type { Workspace } from '../../workspace';

/** A party to a connection, with `id` exactly as np-guard prints it. */
export type PeerRef =
  | { readonly kind: 'workload'; readonly workload: Workload; readonly id: string }
  | { readonly kind: 'external'; readonly family: 4 | 6; readonly first: bigint; readonly last: bigint; readonly id: string }
  | { readonly kind: 'ingress-controller'; readonly id: '{ingress-controller}' };

/** The workload peer variant of {@link PeerRef}. */
export type WorkloadPeerRef = Extract<PeerRef, { kind: 'workload' }>;

/** The synthetic source of traffic admitted by Ingress and Route objects. */
export const INGRESS_CONTROLLER: PeerRef = Object.freeze({ kind: 'ingress-controller', id: '{ingress-controller}' } as const);

/**
 * The namespace np-guard places the ingress controller in; namespace selectors see it with only its
 * `kubernetes.io/metadata.name` label, so `namespaceSelector: {}` admits it and a podSelector alone never does.
 */
export const INGRESS_CONTROLLER_NAMESPACE = 'ingress-controller-ns';

/** An external peer for the inclusive range `first..last`. */
export function externalPeer(family: IPFamily, first: bigint, last: bigint): PeerRef {
  return Object.freeze({ kind: 'external', family, first, last, id: `${formatRange(family, first, last)}[External]` });
}

/**
 * The controller that made a Pod (its controlling ownerReference: a ReplicaSet, a DaemonSet, an
 * operator's resource), whose pods are one peer; undefined for a Pod of its own. A Node is no
 * controller: the mirror pod of a static pod names its Node as owner, and is a peer of its own.
 */
export function controllerOf(w: Workload): OwnerReference | undefined {
  if (w.kind !== 'Pod') return undefined;
  const ref = w.ownerReferences.find(r => r.controller);
  return ref && ref.name && !NOT_CONTROLLERS.has(ref.kind) ? ref : undefined;
}

/** Owner kinds that make no pods of their own. */
const NOT_CONTROLLERS = new Set(['Node', 'Pod']);

/** The name and kind a workload is shown as: its controlling owner for a Pod a workload controller made. */
export function ownerOf(w: Workload): { name: string; kind: string } {
  const ref = controllerOf(w);
  return ref ? { name: ref.name, kind: ref.kind || 'Pod' } : { name: w.object.name, kind: w.kind };
}

/**
 * `ns/name[Kind]`: the one name of a workload peer, its id in the engine, the diagram, the CLI and
 * every message (after owner resolution: a Pod a workload controller made is named as that owner).
 */
export function workloadId(w: Workload): string {
  const o = ownerOf(w);
  return `${workloadName(w)}[${o.kind}]`;
}

/** `ns/name` of a workload peer (after owner resolution), for sentences that say its kind or need none. */
export function workloadName(w: Workload): string {
  return `${w.object.namespace}/${ownerOf(w).name}`;
}

/** One workload peer with every object merged into it (Pods of one owner, duplicates). */
export interface WorkloadPeer {
  readonly ref: WorkloadPeerRef;
  /** The objects merged into this peer, in workspace order; the first represents them. */
  readonly members: readonly Workload[];
}

/** Workload peers of the workspace, sorted by id; cached per workspace generation. */
export function workloadPeers(ws: Workspace): readonly WorkloadPeer[] {
  return ws.derived('policy:peers', () => groupPeers(ws.workloads));
}

/** Workloads (in workspace order) grouped into peers by id, sorted by id; nameless ones left out. */
export function groupPeers(workloads: readonly Workload[]): WorkloadPeer[] {
  const byId = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (!w.object.name) continue;
    const id = workloadId(w);
    const list = byId.get(id);
    if (list) list.push(w);
    else byId.set(id, [w]);
  }
  const ids = [...byId.keys()].sort(compareIds);
  return ids.map(id => {
    const members = byId.get(id)!;
    return { ref: Object.freeze({ kind: 'workload', workload: members[0]!, id } as const), members };
  });
}

/** Orders ids as np-guard does (Go string comparison, byte order). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
