/**
 * The diagram's "changes" mode: a connectivity diff laid over the current graph. Added and changed
 * flows mark their edge; removed flows come back as edges of their own (with their ends, when a
 * workload or address range exists only at the base). Each changed edge explains both sides.
 */
import { groupId, type GraphEdge, type GraphNode, type NetworkGraph } from './model';
import { explanationLines, peerId } from './build';
import type { ConnectivityDiff } from '../net/policy/diff';
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

/** "+2 flows, −1 flow, ~1 changed" (the parts that are not zero; "no connectivity change" when all are). */
export function countsText(c: ChangeCounts): string {
  const parts: string[] = [];
  if (c.added) parts.push(`+${c.added} flow${c.added === 1 ? '' : 's'}`);
  if (c.removed) parts.push(`\u2212${c.removed} flow${c.removed === 1 ? '' : 's'}`);
  if (c.changed) parts.push(`~${c.changed} changed`);
  return parts.length ? parts.join(', ') : 'no connectivity change';
}

/**
 * `graph` (of the current workspace) with the changes of `diff` against `base` marked. `baseLabel`
 * names the base in the words shown (e.g. `HEAD`).
 */
export function withChanges(graph: NetworkGraph, diff: ConnectivityDiff, current: Workspace, base: Workspace, baseLabel: string): NetworkGraph {
  const nodes = new Map(graph.nodes.map(n => [n.id, n]));
  const edges = new Map(graph.edges.map(e => [e.id, e]));
  const groups = new Set(graph.groups.map(g => g.id));
  const ensure = (peer: PeerRef): string => {
    const id = peerId(peer);
    if (nodes.has(id)) return id;
    let node: GraphNode;
    if (peer.kind === 'workload') {
      const ns = peer.workload.object.namespace;
      const owner = ownerOf(peer.workload);
      node = {
        id, kind: 'workload', label: owner.name, objectKind: owner.kind, namespace: ns,
        ...(groups.has(groupId(ns)) ? { parent: groupId(ns) } : {}),
        badges: [], details: [`exists only at ${baseLabel}`],
      };
    } else if (peer.kind === 'external') {
      node = { id, kind: 'external', label: peer.id.replace(/\[External\]$/, ''), badges: [], details: [`addresses ${peer.id.replace(/\[External\]$/, '')} outside the cluster`] };
    } else {
      node = { id, kind: 'ingress-controller', label: '{ingress-controller}', badges: [], details: ['the source of traffic admitted by Ingresses and Routes'] };
    }
    nodes.set(id, node);
    return id;
  };
  for (const p of diff.pairs) {
    if (p.type === 'unchanged') continue;
    const source = ensure(p.src);
    const target = ensure(p.dst);
    const id = `flow:${source}->${target}`;
    const before = p.before?.toString() ?? 'No Connections';
    const after = p.after?.toString() ?? 'No Connections';
    const baseLines = p.before ? explanationLines(base, p.src, p.dst) : [];
    const nowLines = p.after ? explanationLines(current, p.src, p.dst) : [];
    const edge: GraphEdge = {
      ...(edges.get(id) ?? { id, kind: 'flow' as const, source, target }),
      label: p.type === 'changed' ? `${after} (${baseLabel}: ${before})` : p.type === 'removed' ? before : after,
      change: p.type,
      explanation: [
        `${p.type === 'added' ? 'Added' : p.type === 'removed' ? 'Removed' : 'Changed'} since ${baseLabel}: now ${after}, at ${baseLabel} ${before}`,
        ...(nowLines.length ? ['Now:', ...nowLines] : []),
        ...(baseLines.length ? [`At ${baseLabel}:`, ...baseLines] : []),
      ],
    };
    edges.set(id, edge);
  }
  const c = changeCounts(diff);
  return {
    ...graph,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    notes: [...graph.notes, `Connectivity changes vs ${baseLabel}: ${countsText(c)}.`],
  };
}
