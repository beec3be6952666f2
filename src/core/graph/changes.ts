/**
 * The diagram's "changes" mode: a connectivity diff laid over the current graph. Added and changed
 * flows mark their edge; removed flows come back as edges of their own (with their ends, when a
 * workload or address range exists only at the base). Each changed edge explains both sides. A flow
 * on a secondary network (a NetworkAttachmentDefinition, from `connectivityDiffAllNetworks`) marks
 * that network's edge (`…@<network>`), explained by its MultiNetworkPolicies.
 */
import { groupId, type GraphEdge, type GraphNode, type NetworkGraph } from './model';
import { explanationLines, peerId, secondaryExplanationLines } from './build';
import { flowId, outsideNode, secondaryFlowId } from './parts';
import type { ConnectivityDiff, PairDiff } from '../net/policy/diff';
import type { PeerRef } from '../net/policy';
import { ownerOf } from '../net/policy/peers';
import type { Workspace } from '../workspace';

/** Counts of a diff, for the status bar and the CodeLens. */
export interface ChangeCounts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

export function changeCounts(d: ConnectivityDiff): ChangeCounts {
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const p of d.pairs) {
    if (p.type === 'added') added++;
    else if (p.type === 'removed') removed++;
    else if (p.type === 'changed') changed++;
  }
  return { added, removed, changed };
}

/** The NetworkAttachmentDefinition a pair of a diff is on; undefined on the pod (or primary) network. */
function nadOf(p: PairDiff): string | undefined {
  return p.network?.kind === 'NAD' ? p.network.name : undefined;
}

/** `added src => dst` (and ` on <network>` on a secondary network) per pair that is not unchanged, in the diff's order: the comparison's log. */
export function changeLines(d: ConnectivityDiff): string[] {
  return d.pairs.filter(p => p.type !== 'unchanged').map(p => {
    const nad = nadOf(p);
    return `${p.type} ${p.src.id} => ${p.dst.id}${nad === undefined ? '' : ` on ${nad}`}`;
  });
}

/** "+2 flows, −1 flow, ~1 changed" (the parts that are not zero; "no connectivity change" when all are). */
export function countsText(c: ChangeCounts): string {
  const parts: string[] = [];
  if (c.added) parts.push(`+${c.added} flow${c.added === 1 ? '' : 's'}`);
  if (c.removed) parts.push(`\u2212${c.removed} flow${c.removed === 1 ? '' : 's'}`);
  if (c.changed) parts.push(`~${c.changed} changed`);
  return parts.length ? parts.join(', ') : 'no connectivity change';
}

/**
 * One changed pair, ready to lay over a graph: plain data, so that it can be computed where the diff
 * is (the worker thread of the editor's comparison) and sent. The end nodes are used when the graph
 * lacks them (a workload or address range that exists only at the base).
 */
export interface ChangeMark {
  readonly change: 'added' | 'removed' | 'changed';
  readonly source: GraphNode;
  readonly target: GraphNode;
  readonly label: string;
  readonly explanation: readonly string[];
  /** The secondary network (NetworkAttachmentDefinition) the flow is on; absent: the pod (or primary) network. */
  readonly network?: string;
}

/** The changes of a diff against a base named `baseLabel`, as marks. */
export interface ChangeMarks {
  readonly baseLabel: string;
  readonly counts: ChangeCounts;
  readonly marks: readonly ChangeMark[];
}

/** The node of a peer the graph may lack (its `parent` is set when laid over a graph with its namespace's group). */
function markNode(peer: PeerRef, baseLabel: string): GraphNode {
  const id = peerId(peer);
  if (peer.kind === 'workload') {
    const owner = ownerOf(peer.workload);
    return { id, kind: 'workload', label: owner.name, objectKind: owner.kind, namespace: peer.workload.object.namespace, badges: [], details: [`exists only at ${baseLabel}`] };
  }
  if (peer.kind === 'external') {
    return { id, kind: 'external', label: peer.id.replace(/\[External\]$/, ''), badges: [], details: [`addresses ${peer.id.replace(/\[External\]$/, '')} outside the cluster`] };
  }
  return outsideNode(peer)!;
}

/** The marks of `diff` (of `current` against `base`): every pair that is not unchanged, both sides explained. */
export function changeMarks(diff: ConnectivityDiff, current: Workspace, base: Workspace, baseLabel: string): ChangeMarks {
  const marks: ChangeMark[] = [];
  for (const p of diff.pairs) {
    if (p.type === 'unchanged') continue;
    const before = p.before?.toString() ?? 'No Connections';
    const after = p.after?.toString() ?? 'No Connections';
    const nad = nadOf(p);
    const lines = (ws: Workspace) => (nad === undefined ? explanationLines(ws, p.src, p.dst) : secondaryExplanationLines(ws, p.src, p.dst, nad) ?? []);
    const baseLines = p.before ? lines(base) : [];
    const nowLines = p.after ? lines(current) : [];
    marks.push({
      change: p.type,
      source: markNode(p.src, baseLabel),
      target: markNode(p.dst, baseLabel),
      label: p.type === 'changed' ? `${after} (${baseLabel}: ${before})` : p.type === 'removed' ? before : after,
      explanation: [
        `${p.type === 'added' ? 'Added' : p.type === 'removed' ? 'Removed' : 'Changed'} since ${baseLabel}: now ${after}, at ${baseLabel} ${before}`,
        ...(nowLines.length ? ['Now:', ...nowLines] : []),
        ...(baseLines.length ? [`At ${baseLabel}:`, ...baseLines] : []),
      ],
      ...(nad === undefined ? {} : { network: nad }),
    });
  }
  return { baseLabel, counts: changeCounts(diff), marks };
}

/**
 * `graph` (of the current workspace) with the changes of `diff` against `base` marked. `baseLabel`
 * names the base in the words shown (e.g. `HEAD`).
 */
export function withChanges(graph: NetworkGraph, diff: ConnectivityDiff, current: Workspace, base: Workspace, baseLabel: string): NetworkGraph {
  return withChangeMarks(graph, changeMarks(diff, current, base, baseLabel));
}

/** `graph` with `marks` laid over it: changed edges marked, missing ends and removed flows added. */
export function withChangeMarks(graph: NetworkGraph, changes: ChangeMarks): NetworkGraph {
  const nodes = new Map(graph.nodes.map(n => [n.id, n]));
  const edges = new Map(graph.edges.map(e => [e.id, e]));
  const groups = new Set(graph.groups.map(g => g.id));
  const ensure = (node: GraphNode): string => {
    if (nodes.has(node.id)) return node.id;
    const ns = node.kind === 'workload' ? node.namespace : undefined;
    nodes.set(node.id, ns !== undefined && groups.has(groupId(ns)) ? { ...node, parent: groupId(ns) } : node);
    return node.id;
  };
  for (const m of changes.marks) {
    const source = ensure(m.source);
    const target = ensure(m.target);
    const id = m.network === undefined ? flowId(source, target) : secondaryFlowId(source, target, m.network);
    const edge: GraphEdge = {
      ...(edges.get(id) ?? { id, kind: 'flow' as const, source, target, ...(m.network === undefined ? {} : { network: m.network }) }),
      label: m.label,
      change: m.change,
      explanation: [...m.explanation],
    };
    edges.set(id, edge);
  }
  return {
    ...graph,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    notes: [...graph.notes, `Connectivity changes vs ${changes.baseLabel}: ${countsText(changes.counts)}.`],
  };
}
