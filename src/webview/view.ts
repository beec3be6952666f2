// What the page draws, derived from the host's graph and the page's view state, no DOM (unit tests
// and the bench run it in Node):
// - the view: "policy" (allowed flows, Services, Ingresses, blocked DNS references) or
//   "dependencies" (who calls whom by DNS name, green/red by the policies' verdict);
// - no hairball: a flow that is only there because nothing is isolated (the source's egress is open
//   and the target's ingress is open) is said by the "open" badges, not drawn, unless asked;
// - between namespaces (and the outside of the cluster) edges are aggregated into one edge per
//   ordered pair of frames, with counts, until that pair is expanded; a collapsed namespace is one
//   small frame and all its edges are aggregated.
//   Inside a namespace, the workloads of a group (groups.ts: by the application's labels, kind or
//   name family) may be collapsed into one box, its edges merged per kind and direction with counts.
import type { Badge, DiagramViewState, GraphEdge, GraphNode, NetworkGraph, SourceLocation } from '../shared/protocol';
import { groupNamespace, type Grouping, type Subgroup } from './groups';

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

/** A group of workloads inside a namespace (groups.ts), collapsed into one box or drawn as its rows. */
export interface ViewSubgroup extends Subgroup {
  readonly collapsed: boolean;
  /** Its workloads no policy isolates for ingress. */
  readonly open: number;
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
  /** The groups inside the drawn (not collapsed) namespaces, by id. */
  readonly subgroups: ReadonlyMap<string, ViewSubgroup>;
  /** For the layout: each workload's (or box's) group id, so a group's rows stand together. */
  readonly rowGroup: ReadonlyMap<string, string>;
  /** Edges standing for several edges of a collapsed group (`grouped:…` ids): their members' ids. */
  readonly merged: ReadonlyMap<string, readonly string[]>;
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

const byIdOrder = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `graph` with its nodes and edges sorted by id (the page keeps its graph so: a delta then appends a few, cheap to sort again). */
export function sortedGraph(graph: NetworkGraph): NetworkGraph {
  return { ...graph, nodes: [...graph.nodes].sort(byIdOrder), edges: [...graph.edges].sort(byIdOrder) };
}

/** What every view of one graph starts from (the page derives two per update: the default collapse's and the drawn one). */
interface Prepared {
  readonly byId: ReadonlyMap<string, GraphNode>;
  readonly sortedNodes: readonly GraphNode[];
  readonly sortedEdges: readonly GraphEdge[];
  /** The groups of the grouped namespaces (groups.ts), by id. */
  readonly subgroups: ReadonlyMap<string, Subgroup>;
}
const prepared = new WeakMap<NetworkGraph, Prepared>();
/** The last grouping of each namespace and the workload nodes it was chosen from. */
const groupings = new Map<string, { nodes: readonly GraphNode[]; grouping: Grouping | undefined }>();
function prepare(graph: NetworkGraph): Prepared {
  let p = prepared.get(graph);
  if (!p) {
    const sortedNodes = [...graph.nodes].sort(byIdOrder);
    const workloadsOf = new Map<string, GraphNode[]>();
    for (const n of sortedNodes) {
      if (n.kind !== 'workload' || !n.parent) continue;
      const l = workloadsOf.get(n.parent);
      if (l) l.push(n); else workloadsOf.set(n.parent, [n]);
    }
    const subgroups = new Map<string, Subgroup>();
    const seen = new Set<string>();
    for (const [parent, ws] of workloadsOf) {
      seen.add(parent);
      // An update keeps the node objects of namespaces it did not touch: their groups are kept too.
      const had = groupings.get(parent);
      const grouping = had && had.nodes.length === ws.length && had.nodes.every((n, i) => n === ws[i]) ? had.grouping : groupNamespace(parent, ws);
      groupings.set(parent, { nodes: ws, grouping });
      for (const sg of grouping?.groups ?? []) subgroups.set(sg.id, sg);
    }
    for (const k of [...groupings.keys()]) if (!seen.has(k)) groupings.delete(k);
    p = { byId: new Map(graph.nodes.map(n => [n.id, n])), sortedNodes, sortedEdges: [...graph.edges].sort(byIdOrder), subgroups };
    prepared.set(graph, p);
  }
  return p;
}

/** The view of `graph` under `state`: ids sorted, so the result does not depend on the order the host read files in. */
export function deriveView(graph: NetworkGraph, state: ViewState): View {
  const { byId, sortedNodes, sortedEdges, subgroups: allSubgroups } = prepare(graph);
  const collapsed = new Set(state.collapsed);
  const expanded = new Set(state.expanded);

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

  // Groups inside the namespaces drawn: a collapsed one is one box, its members' edges go to it.
  const subgroups = new Map<string, ViewSubgroup>();
  const rowGroup = new Map<string, string>();
  const boxOf = new Map<string, string>();
  const boxes: GraphNode[] = [];
  for (const sg of allSubgroups.values()) {
    // Within a collapsed group of groups: its box stands for it (groups of groups come after the others).
    if (collapsed.has(sg.parent) || (sg.within !== undefined && collapsed.has(sg.within))) continue;
    const members = sg.members.map(m => byId.get(m)!);
    const open = members.filter(n => n.badges.includes('ingress-open')).length;
    const vs: ViewSubgroup = { ...sg, collapsed: collapsed.has(sg.id), open };
    subgroups.set(sg.id, vs);
    // A group of groups, expanded, is the groups within it.
    if (sg.outer && !vs.collapsed) continue;
    rowGroup.set(sg.id, sg.id);
    for (const m of sg.members) { rowGroup.set(m, sg.id); if (vs.collapsed) boxOf.set(m, sg.id); }
    if (!vs.collapsed) continue;
    // The badges every member has; the namespace of its first member.
    const badges = members[0]!.badges.filter(b => members.every(n => n.badges.includes(b))) as Badge[];
    boxes.push({
      id: sg.id, kind: 'workload', label: sg.label, namespace: members[0]!.namespace, parent: sg.parent, badges,
      details: [`${plural(members.length, 'workload')} grouped by ${sg.key === 'name' ? 'the family of their names' : sg.key === 'app' ? 'the application\'s name (app.kubernetes.io/name, app or k8s-app)' : sg.key}: ${members.map(n => n.label).join(', ')}`],
    });
  }
  // A Service (drawn as a box) that selects only workloads of one collapsed group goes into its box.
  if (boxOf.size) {
    const selected = new Map<string, Set<string>>();
    for (const e of graph.edges) if (e.kind === 'selects' && byId.get(e.target)?.kind === 'workload') { const l = selected.get(e.source); if (l) l.add(e.target); else selected.set(e.source, new Set([e.target])); }
    for (const [svc, ws] of selected) {
      if (folded.has(svc)) continue;
      const inBoxes = new Set([...ws].map(w => boxOf.get(w)));
      if (inBoxes.size === 1 && !inBoxes.has(undefined)) boxOf.set(svc, [...inBoxes][0]!);
    }
  }
  const merging = new Map<string, { e: GraphEdge; members: string[] }>();

  let hiddenOpen = 0;
  const edges: GraphEdge[] = [];
  const agg = new Map<string, { source: string; target: string; members: string[]; flows: number; dns: number; blocked: number; routes: number }>();
  for (const original of sortedEdges) {
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
    if ((gs === gt && !collapsed.has(gs)) || (gs !== gt && expanded.has(id) && !collapsed.has(gs) && !collapsed.has(gt))) {
      const bs = boxOf.get(e.source) ?? e.source, bt = boxOf.get(e.target) ?? e.target;
      if (bs === e.source && bt === e.target) { edges.push(e); continue; }
      if (bs === bt) continue; // inside a collapsed group
      const key = `${e.kind}:${bs}->${bt}${e.status ? `#${e.status}` : ''}${e.change ? `!${e.change}` : ''}`;
      const m = merging.get(key);
      if (m) m.members.push(e.id); else merging.set(key, { e: { ...e, source: bs, target: bt }, members: [e.id] });
      continue;
    }
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
  // Edges of a collapsed group: one per kind, direction and verdict, labelled with its count.
  const merged = new Map<string, readonly string[]>();
  for (const [key, { e, members }] of [...merging].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (members.length === 1) { edges.push(e); continue; }
    const id = `grouped:${key}`;
    merged.set(id, members);
    const label = e.kind === 'flow' ? plural(members.length, 'flow') : e.kind === 'dns' ? plural(members.length, 'DNS ref') : e.kind === 'routes' ? plural(members.length, 'route') : '';
    const { explanation: _x, sourceLocation: _s, decidedBy: _d, network: _n, ...rest } = e;
    edges.push({ ...rest, id, label });
  }
  // Expanded pairs that no longer exist are forgotten by the caller; here they simply match nothing.
  const nodes = sortedNodes.filter(n => !collapsed.has(groupOf(n)) && !folded.has(n.id) && !boxOf.has(n.id));
  if (boxes.length) nodes.push(...boxes), nodes.sort(byIdOrder);
  return { nodes, edges, aggregates, groups, hiddenOpen, folded, servicesOf, subgroups, rowGroup, merged };
}
