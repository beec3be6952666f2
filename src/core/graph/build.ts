/**
 * Workspace → {@link NetworkGraph}: namespaces as groups; workloads, Services and Ingresses as nodes;
 * Service → workload (`selects`), Ingress → Service (`routes`), allowed flows (`flow`, one edge per
 * ordered pair of peers, exactly the engine's connectivity) and DNS references (`dns`). The full
 * graph is computed once per workspace generation (updated from the previous one where an edit
 * stays inside some namespaces, see ./incremental.ts); options only filter it.
 */
import type { Workspace } from '../workspace';
import type { PeerRef } from '../net/policy/peers';
import { GRAPH_KEY, graphOf, peerOfNode } from './incremental';
import type { GraphEdge, GraphNode, GraphOptions, NetworkGraph } from './model';
import { explanationLines, textLines } from './parts';
import { explanationText } from '../net/policy/format-explain';
import { whySecondaryPair } from '../net/policy/secondary';

export { explanationLines, fullGraph, peerId, type GraphStep } from './parts';
export { graphSteps, warmGraphUpdate } from './incremental';

/**
 * The explanation of a flow edge of the workspace's graph (asked when the page opens the edge), one
 * line each; undefined when the edge is not a flow of the current graph.
 */
export function explainEdge(ws: Workspace, edgeId: string): string[] | undefined {
  const m = /^flow:(.*)->(.*)$/.exec(edgeId);
  if (!m) return undefined;
  // A flow on a secondary network: `…@<network>` (no peer id holds an `@`).
  const at = m[2]!.lastIndexOf('@');
  const network = at < 0 ? undefined : m[2]!.slice(at + 1);
  const src = peerOfNode(ws, m[1]!);
  const dst = peerOfNode(ws, at < 0 ? m[2]! : m[2]!.slice(0, at));
  if (!src || !dst) return undefined;
  return network === undefined ? explanationLines(ws, src, dst) : secondaryExplanationLines(ws, src, dst, network);
}

/** The explanation of a flow on the secondary network `network` (by its MultiNetworkPolicies), one line each; undefined without that network. */
export function secondaryExplanationLines(ws: Workspace, src: PeerRef, dst: PeerRef, network: string): string[] | undefined {
  const why = whySecondaryPair(ws, src, dst, network);
  return why ? [`on secondary network ${network}`, ...textLines(explanationText(why))] : undefined;
}

/**
 * Keeps the nodes `keep` accepts (the seeds), what is up to `hops` edges away from them (in either
 * direction), and the edges between kept nodes of which one end is nearer the seeds than `hops`.
 */
function restrict(g: NetworkGraph, keep: (n: GraphNode) => boolean, hops: number, edgeOk: (e: GraphEdge) => boolean = () => true): NetworkGraph {
  const dist = new Map<string, number>(g.nodes.filter(keep).map(n => [n.id, 0]));
  const edges = g.edges.filter(edgeOk);
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    adj.set(e.source, [...(adj.get(e.source) ?? []), e.target]);
    adj.set(e.target, [...(adj.get(e.target) ?? []), e.source]);
  }
  let frontier = [...dist.keys()];
  for (let d = 1; d <= hops && frontier.length; d++) {
    const next: string[] = [];
    for (const id of frontier) for (const m of adj.get(id) ?? []) if (!dist.has(m)) { dist.set(m, d); next.push(m); }
    frontier = next;
  }
  const nodes = g.nodes.filter(n => dist.has(n.id));
  const parents = new Set(nodes.map(n => n.parent));
  return {
    ...g,
    nodes,
    edges: edges.filter(e => dist.has(e.source) && dist.has(e.target) && Math.min(dist.get(e.source)!, dist.get(e.target)!) < Math.max(1, hops)),
    groups: g.groups.filter(gr => parents.has(gr.id)),
  };
}

/** The network graph of the workspace, filtered by `options` (each filter narrows the previous one). */
export function buildGraph(ws: Workspace, options: GraphOptions = {}): NetworkGraph {
  return filterGraph(ws.derived(GRAPH_KEY, () => graphOf(ws)), options);
}

/** The whole graph `g` (or a step of it, see {@link graphSteps}) filtered by `options`. */
export function filterGraph(g: NetworkGraph, options: GraphOptions): NetworkGraph {
  if (options.namespace) {
    const ns = options.namespace;
    g = restrict(g, n => n.namespace === ns, 1);
  }
  if (options.policy) {
    const p = options.policy;
    g = restrict(g, n => (n.policies ?? []).some(x => `${x.namespace}/${x.name}` === p), 1);
  }
  if (options.deniedDnsOnly) {
    const ends = new Set(g.edges.filter(e => e.kind === 'dns' && e.status === 'blocked').flatMap(e => [e.source, e.target]));
    g = restrict(g, n => ends.has(n.id), 0, e => e.kind === 'dns' && e.status === 'blocked');
  }
  if (options.search) {
    const q = options.search.toLowerCase();
    g = restrict(g, n => n.label.toLowerCase().includes(q), 1);
  }
  if (options.focus) {
    const f = options.focus;
    g = restrict(g, n => n.id === f || n.parent === f, Math.max(1, Math.min(5, options.hops ?? 1)));
  }
  return g;
}
