// What the page draws, derived from the host's graph and the page's view state, no DOM (unit tests
// and the bench run it in Node):
// - the view: "policy" (allowed flows, Services, Ingresses, blocked DNS references) or
//   "dependencies" (who calls whom by DNS name, green/red by the policies' verdict);
// - no hairball: a flow that is only there because nothing is isolated (the source's egress is open
//   and the target's ingress is open) is said by the "open" badges, not drawn, unless asked;
// - between namespaces (and the outside of the cluster) edges are aggregated into one edge per
//   ordered pair of frames, with counts, until that pair is expanded; a collapsed namespace is one
//   small frame and all its edges are aggregated.
import type { DiagramViewState, GraphEdge, GraphNode, NetworkGraph, SourceLocation } from '../shared/protocol';

export type ViewState = DiagramViewState;
export type ViewMode = ViewState['mode'];

export const DEFAULT_VIEW: ViewState = { mode: 'policy', showOpen: false, collapsed: [], expanded: [] };

/** The pseudo-group of the peers outside the cluster (external ranges, the ingress controller). */
export const OUTSIDE = 'outside';

export interface ViewGroup {
  readonly id: string;
  readonly label: string;
  readonly kind: 'namespace' | 'outside';
  readonly collapsed: boolean;
  readonly workloads: number;
  /** Workloads no policy isolates for ingress: every pod may reach them. */
  readonly open: number;
  readonly source?: SourceLocation;
}

/** One edge per ordered pair of frames standing for the edges between their nodes. */
export interface Aggregate {
  /** `agg:<source group>-><target group>`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly members: readonly string[];
  readonly flows: number;
  readonly dns: number;
  readonly blocked: number;
  readonly routes: number;
  readonly label: string;
}

export interface View {
  readonly nodes: readonly GraphNode[];
  /** Edges drawn from node to node (inside a frame, or of an expanded pair). */
  readonly edges: readonly GraphEdge[];
  readonly aggregates: readonly Aggregate[];
  readonly groups: readonly ViewGroup[];
  /** Flows left out because the open badges say them. */
  readonly hiddenOpen: number;
  /** With `foldServices`: each Service drawn inside its workload's box, by Service id → the workload's id. */
  readonly folded: ReadonlyMap<string, string>;
  /** With `foldServices`: the names of the Services folded into a workload, by workload id. */
  readonly servicesOf: ReadonlyMap<string, readonly string[]>;
}

export const groupOf = (n: GraphNode): string => n.parent ?? OUTSIDE;
export const aggregateId = (source: string, target: string): string => `agg:${source}->${target}`;

/** Whether the flow is only there because neither end is isolated in its direction. */
export function isOpenFlow(e: GraphEdge, byId: ReadonlyMap<string, GraphNode>): boolean {
  if (e.kind !== 'flow') return false;
  const s = byId.get(e.source), t = byId.get(e.target);
  if (!s || !t) return false;
  const srcOpen = s.kind !== 'workload' || s.badges.includes('egress-open');
  const dstOpen = t.kind !== 'workload' || t.badges.includes('ingress-open');
  return srcOpen && dstOpen;
}

function keptInMode(e: GraphEdge, mode: ViewMode): boolean {
  if (mode === 'dependencies') return e.kind === 'dns' || e.kind === 'selects' || e.kind === 'routes';
  return e.kind !== 'dns' || e.status === 'blocked';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The view of `graph` under `state`: ids sorted, so the result does not depend on the order the host read files in. */
export function deriveView(graph: NetworkGraph, state: ViewState): View {
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const collapsed = new Set(state.collapsed);
  const expanded = new Set(state.expanded);
  const sortedNodes = [...graph.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const groups: ViewGroup[] = [];
  const outside = sortedNodes.filter(n => !n.parent);
  if (outside.length) groups.push({ id: OUTSIDE, label: 'outside the cluster', kind: 'outside', collapsed: collapsed.has(OUTSIDE), workloads: 0, open: 0 });
  const workloadsOf = new Map<string, GraphNode[]>();
  for (const n of sortedNodes) {
    if (n.kind !== 'workload' || !n.parent) continue;
    const l = workloadsOf.get(n.parent);
    if (l) l.push(n); else workloadsOf.set(n.parent, [n]);
  }
  for (const g of [...graph.groups].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const members = workloadsOf.get(g.id) ?? [];
    groups.push({
      id: g.id, label: g.label, kind: 'namespace', collapsed: collapsed.has(g.id), workloads: members.length,
      open: members.filter(n => n.badges.includes('ingress-open')).length, ...(g.source ? { source: g.source } : {}),
    });
  }
  const present = new Set(groups.map(g => g.id));

  // Services folded into their workload: those selecting exactly one workload.
  const folded = new Map<string, string>();
  const servicesOf = new Map<string, string[]>();
  if (state.foldServices) {
    const selected = new Map<string, string[]>();
    for (const e of graph.edges) if (e.kind === 'selects' && byId.get(e.target)?.kind === 'workload') selected.set(e.source, [...(selected.get(e.source) ?? []), e.target]);
    for (const n of sortedNodes) {
      const ws = n.kind === 'service' ? [...new Set(selected.get(n.id) ?? [])] : [];
      if (ws.length !== 1) continue;
      folded.set(n.id, ws[0]!);
      servicesOf.set(ws[0]!, [...(servicesOf.get(ws[0]!) ?? []), n.label]);
    }
  }
  const fold = (e: GraphEdge): GraphEdge | undefined => {
    if (!folded.size) return e;
    if (e.kind === 'selects' && folded.has(e.source)) return undefined;
    const source = folded.get(e.source) ?? e.source, target = folded.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) return e;
    // A workload calling its own Service by name: inside its box.
    return source === target ? undefined : { ...e, source, target };
  };

  let hiddenOpen = 0;
  const edges: GraphEdge[] = [];
  const agg = new Map<string, { source: string; target: string; members: string[]; flows: number; dns: number; blocked: number; routes: number }>();
  for (const original of [...graph.edges].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!keptInMode(original, state.mode)) continue;
    const e = fold(original);
    if (!e) continue;
    // A flow the changes mode marks (added, removed, changed) is always drawn.
    if (!state.showOpen && !e.change && isOpenFlow(e, byId)) { hiddenOpen++; continue; }
    const s = byId.get(e.source), t = byId.get(e.target);
    if (!s || !t) continue;
    const gs = groupOf(s), gt = groupOf(t);
    if (!present.has(gs) || !present.has(gt)) continue;
    const id = aggregateId(gs, gt);
    if (gs === gt && !collapsed.has(gs)) { edges.push(e); continue; }
    if (gs !== gt && expanded.has(id) && !collapsed.has(gs) && !collapsed.has(gt)) { edges.push(e); continue; }
    if (gs === gt) continue; // inside a collapsed frame
    let a = agg.get(id);
    if (!a) agg.set(id, a = { source: gs, target: gt, members: [], flows: 0, dns: 0, blocked: 0, routes: 0 });
    a.members.push(e.id);
    if (e.kind === 'flow') a.flows++;
    else if (e.kind === 'dns') { a.dns++; if (e.status === 'blocked') a.blocked++; } else if (e.kind === 'routes') a.routes++;
  }
  const aggregates: Aggregate[] = [...agg.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, a]) => ({
    id, ...a,
    label: [
      a.flows ? plural(a.flows, 'flow') : '',
      a.dns ? `${plural(a.dns, 'DNS ref')}${a.blocked ? ` (${a.blocked} blocked)` : ''}` : '',
      a.routes ? plural(a.routes, 'route') : '',
    ].filter(Boolean).join(' · '),
  }));
  // Expanded pairs that no longer exist are forgotten by the caller; here they simply match nothing.
  const nodes = sortedNodes.filter(n => !collapsed.has(groupOf(n)) && !folded.has(n.id));
  return { nodes, edges, aggregates, groups, hiddenOpen, folded, servicesOf };
}
