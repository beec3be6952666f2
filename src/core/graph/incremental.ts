/**
 * The diagram's graph kept across edits: after a change confined to some namespaces, only their part
 * of the graph is rebuilt (their nodes, the flows with an end in them, the DNS edges that may resolve
 * into them) and the rest is kept as it was, object for object; anything else rebuilds it whole.
 *
 * Why a namespace is the unit: without cluster-wide tiers, a flow between pods of namespaces A and B
 * depends only on A's and B's workloads and policies and the namespaces' labels, which is the
 * two-namespace model `scopedModelOf` builds (the one `blocks()` reads); a flow between a pod of A and
 * an address range depends on A's policies and on where the ranges are cut, which every policy's
 * ipBlocks decide. So the update is exact as long as no namespace's labels change, no ipBlock is
 * added or removed, no cluster-wide tier exists, and only namespaced objects of the kinds below
 * change; otherwise the graph is built whole ({@link fullGraph}). A unit test holds the two equal
 * after every edit of a sequence.
 *
 * Over 400 lines: deciding which namespaces an edit touches, rebuilding their part, the stepped first
 * build and the warm-up share the kept state and its invariants; split, each would re-derive them.
 */
import type { K8sObject } from '../parse/manifest';
import type { NetworkPolicy } from '../parse/views/policy';
import type { LabelSelector } from '../parse/views/selectors';
import { selectorMatches } from '../net/selectors';
import { adminPolicies } from '../net/policy/admin';
import { ConnectionSet, type ConnectivityReport, type PeerRef } from '../net/policy';
import { endpointConns, type Endpoint } from '../net/policy/evaluate';
import { namespaceIngressExposures } from '../net/policy/ingress';
import { namespacePeers, scopedModelOf, type CompiledPolicy, type Model } from '../net/policy/model';
import { INGRESS_CONTROLLER } from '../net/policy/peers';
import { secondaryNetworks } from '../net/policy/secondary';
import type { FileEntry, NamespaceSlice, Workspace } from '../workspace';
import {
  flowId, fullGraph, fullGraphSteps, graphGroups, NO_POLICY_NOTE, outsideNode, peerId, serviceAndIngressItems, workloadNode,
  type FullGraph, type GraphStep,
} from './parts';
import { dnsEdgesOfFile, type VerdictCache } from './dns';
import { flowInputs, onlyWorkloadsGone, type FlowInputs } from './inputs';
import { INGRESS_CONTROLLER_ID, type GraphEdge, type GraphNode, type NetworkGraph } from './model';

/** What the last build of a workspace's graph leaves for the next one. */
interface State {
  readonly generation: number;
  readonly graph: NetworkGraph;
  /** The graph's nodes by id. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly reading: string;
  /** Namespaces and their labels, as text: any change rebuilds whole. */
  readonly namespacesKey: string;
  /** The slice each namespace had (kept by the workspace until that namespace changes). */
  readonly slices: Map<string, NamespaceSlice>;
  /** Each namespace's ipBlocks, as text. */
  readonly blocks: Map<string, string>;
  readonly externalSources: readonly PeerRef[];
  readonly externalDestinations: readonly PeerRef[];
  /** DNS edges per file, with the namespaces they depend on. */
  readonly dns: Map<string, { edges: GraphEdge[]; namespaces: Set<string> }>;
  /** The DNS edges' verdicts by their inputs (see {@link VerdictCache}); a whole build starts a new one. */
  readonly verdicts: VerdictCache;
  /** What each namespace's flows read of it ({@link flowInputs}), when the graph was built. */
  readonly flowInputs: Map<string, FlowInputs>;
  /**
   * This graph and the few before it since the last whole build, newest first: an edit that puts
   * every namespace's flow inputs back as they were (a line typed over: the object unparsable for
   * a keystroke, then whole again) takes the flows of that graph instead of computing them.
   */
  readonly history: readonly Earlier[];
  /** How the last build went, for the bench and the tests. */
  readonly how: BuildInfo;
}

/** A graph of the history (see State.history). */
interface Earlier {
  readonly inputs: ReadonlyMap<string, FlowInputs>;
  readonly graph: NetworkGraph;
  readonly nodes: ReadonlyMap<string, GraphNode>;
}
const HISTORY = 4;

/** How the graph of a generation was built. */
export interface BuildInfo {
  readonly incremental: boolean;
  /** The namespaces rebuilt (incremental builds). */
  readonly namespaces: readonly string[];
  /** Of those, the namespaces whose flows were computed again (the others' flow inputs were the same, or only lost workloads). */
  readonly flows?: readonly string[];
  /** Of those, the namespaces whose flows were taken from an earlier graph of the same flow inputs. */
  readonly restored?: readonly string[];
  /** Why the whole graph was rebuilt (whole builds). */
  readonly reason?: string;
}

const states = new WeakMap<Workspace, State>();

/**
 * Kinds whose objects only matter to their own namespace's part of the graph. A change to any other
 * object (a Namespace, a cluster-wide policy, a Calico or Cilium policy, a pod network) rebuilds whole.
 */
const LOCAL_KINDS = new Set([
  'apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', '/ReplicationController', 'batch/Job', 'batch/CronJob',
  '/Pod', '/Service', 'networking.k8s.io/NetworkPolicy', 'networking.k8s.io/Ingress', '/ConfigMap', '/Secret', '/ServiceAccount',
]);
/** Addresses that are facts of one object (a pod network, the cluster DNS, a node's CIDR are not). */
const LOCAL_ADDRESSES = new Set([
  'clusterIP', 'loadBalancerIP', 'externalIP', 'loadBalancerSourceRange', 'ipBlockCidr', 'ipBlockExcept', 'endpointAddress', 'endpointSliceAddress', 'podIP',
]);
const kindKey = (o: K8sObject): string => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`;

/** {@link blocksText} of a namespace's slice (the workspace keeps a slice until its namespace changes). */
const sliceBlocks = new WeakMap<NamespaceSlice, string>();
function blocksOfSlice(slice: NamespaceSlice): string {
  let text = sliceBlocks.get(slice);
  if (text === undefined) sliceBlocks.set(slice, (text = blocksText(slice.policies)));
  return text;
}

/** The ipBlocks of a namespace's policies (where the address ranges are cut), as text. */
function blocksText(policies: readonly NetworkPolicy[]): string {
  const of = (rules: NetworkPolicy['ingress']) => (rules ?? []).flatMap(r => (r.peers ?? [])
    .flatMap(x => (x.ipBlock ? [JSON.stringify([x.ipBlock.cidr?.value ?? null, x.ipBlock.except.map(e => e.value)])] : [])));
  return JSON.stringify([[...new Set(policies.flatMap(p => of(p.ingress)))].sort(), [...new Set(policies.flatMap(p => of(p.egress)))].sort()]);
}

function namespacesKey(ws: Workspace): string {
  return JSON.stringify([...ws.namespaces.values()].map(n => [n.name, n.labels]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

/** Why the change since `s` cannot be applied namespace by namespace (undefined: it can), or the namespaces it touched. */
function changedNamespaces(ws: Workspace, s: State): { reason: string } | { namespaces: Set<string> } {
  const changes = ws.changesSince(s.generation);
  if (!changes) return { reason: 'settings changed or too many edits since' };
  if (ws.settings.ipBlockReading !== s.reading) return { reason: 'ipBlock reading changed' };
  if (adminPolicies(ws).length > 0) return { reason: 'cluster-wide policy tiers' };
  // A secondary network spans namespaces: its flows are not one namespace's part.
  if (secondaryNetworks(ws).size > 0) return { reason: 'secondary networks' };
  const touched = new Set<string>();
  // A Namespace object may change with the objects of its namespace: its labels are compared below.
  const localOnly = (e: FileEntry | undefined): boolean => !e || (e.endpoints.length === 0 && e.addresses.every(a => LOCAL_ADDRESSES.has(a.role)) &&
    e.clusterDomains.length === 0 && e.podCreators.length === 0 && e.folderTargets.length === 0 &&
    e.manifest.objects.every(o => kindKey(o) === '/Namespace' || (LOCAL_KINDS.has(kindKey(o)) && o.namespace)));
  for (const c of changes) {
    if (!localOnly(c.before) || !localOnly(c.after)) return { reason: `${c.file} holds objects beyond one namespace's part` };
    for (const e of [c.before, c.after]) for (const o of e?.manifest.objects ?? []) touched.add(o.namespace || o.name);
  }
  if (namespacesKey(ws) !== s.namespacesKey) return { reason: 'namespaces or their labels changed' };
  // A slice the workspace rebuilt is a namespace whose objects changed (a parse that gave the same objects counts too).
  for (const ns of ws.namespaces.keys()) if (ws.inNamespace(ns) !== s.slices.get(ns)) touched.add(ns);
  for (const ns of touched) if (blocksOfSlice(ws.inNamespace(ns)) !== (s.blocks.get(ns) ?? blocksText([]))) return { reason: `ipBlocks of ${ns} changed` };
  return { namespaces: touched };
}

function snapshotState(ws: Workspace, graph: NetworkGraph, report: Pick<ConnectivityReport, 'externalSources' | 'externalDestinations'>,
  dns: State['dns'], verdicts: VerdictCache, how: BuildInfo, nodes?: ReadonlyMap<string, GraphNode>, history: readonly Earlier[] = []): State {
  const slices = new Map<string, NamespaceSlice>();
  const blocks = new Map<string, string>();
  const inputs = new Map<string, FlowInputs>();
  for (const ns of ws.namespaces.keys()) {
    const slice = ws.inNamespace(ns);
    slices.set(ns, slice);
    blocks.set(ns, blocksOfSlice(slice));
    inputs.set(ns, flowInputs(ws, ns));
  }
  const byId = nodes ?? new Map(graph.nodes.map(n => [n.id, n]));
  return {
    generation: ws.generation, graph, nodes: byId, history: [{ inputs, graph, nodes: byId }, ...history].slice(0, HISTORY), reading: ws.settings.ipBlockReading, namespacesKey: namespacesKey(ws), slices, blocks,
    externalSources: report.externalSources, externalDestinations: report.externalDestinations, dns, verdicts, flowInputs: inputs, how,
  };
}

/**
 * The policy peer a node of the current graph stands for (a workload, an address range of the
 * graph, the ingress controller), without computing the connectivity again; undefined for other ids.
 */
export function peerOfNode(ws: Workspace, id: string): PeerRef | undefined {
  if (id === INGRESS_CONTROLLER_ID) return INGRESS_CONTROLLER;
  if (id.startsWith('workload:')) {
    const peerId = id.slice('workload:'.length);
    const ns = peerId.slice(0, peerId.indexOf('/'));
    return namespacePeers(ws, ns).find(p => p.ref.id === peerId)?.ref;
  }
  if (id.startsWith('external:')) {
    ws.derived(GRAPH_KEY, () => graphOf(ws));
    const s = states.get(ws)!;
    return [...s.externalSources, ...s.externalDestinations].find(p => peerId(p) === id);
  }
  return undefined;
}

/** How the graph of the workspace's current generation was built (after {@link graphOf}). */
export function buildInfo(ws: Workspace): BuildInfo | undefined {
  const s = states.get(ws);
  return s?.generation === ws.generation ? s.how : undefined;
}

/** The whole graph of the workspace: updated from the previous generation's where it can be, else built whole. */
export function graphOf(ws: Workspace): NetworkGraph {
  const prev = states.get(ws);
  const change: { reason: string } | { namespaces: Set<string> } = prev ? changedNamespaces(ws, prev) : { reason: 'first build' };
  if (!prev || 'reason' in change) return builtWhole(ws, fullGraph(ws), change);
  const { graph, flows, restored, nodes } = update(ws, prev, change.namespaces);
  states.set(ws, snapshotState(ws, graph, prev, prev.dns, prev.verdicts,
    { incremental: true, namespaces: [...change.namespaces].sort(), flows: [...flows].sort(), restored: [...restored].sort() }, nodes, prev.history));
  return graph;
}

function builtWhole(ws: Workspace, { graph, report, dns, verdicts }: FullGraph, change: { reason: string } | { namespaces: Set<string> }): NetworkGraph {
  states.set(ws, snapshotState(ws, graph, report, dns, verdicts, { incremental: false, namespaces: [], reason: 'reason' in change ? change.reason : '' }));
  return graph;
}

/**
 * The whole graph of the workspace's current generation, in steps when it must be built whole
 * (the first build, a change beyond some namespaces): yields the graph so far with what is still
 * pending ({@link fullGraphSteps}), and returns the graph `buildGraph` returns (which then returns
 * it from its cache). When the graph is known or can be updated from the previous generation's,
 * yields nothing. The caller may stop between steps (the workspace changed meanwhile: the steps'
 * results are then dropped).
 */
export function* graphSteps(ws: Workspace): Generator<GraphStep, NetworkGraph, void> {
  const prev = states.get(ws);
  if (prev?.generation === ws.generation) return ws.derived(GRAPH_KEY, () => prev.graph);
  const change: { reason: string } | { namespaces: Set<string> } = prev ? changedNamespaces(ws, prev) : { reason: 'first build' };
  if (prev && !('reason' in change)) return ws.derived(GRAPH_KEY, () => graphOf(ws));
  const generation = ws.generation;
  const steps = fullGraphSteps(ws);
  for (;;) {
    const r = steps.next();
    if (r.done) {
      const graph = builtWhole(ws, r.value, change);
      return ws.derived(GRAPH_KEY, () => graph);
    }
    yield r.value;
    if (ws.generation !== generation) throw new Error('the workspace changed while its graph was built');
  }
}

/** The key of the whole graph in the workspace's per-generation cache. */
export const GRAPH_KEY = 'graph:full';

const pod = (cls: number): Endpoint => ({ kind: 'pod', cls });

/**
 * The flows between workload peers of `from` and of `to` (two namespaces, or one), on their
 * two-namespace model or on `scoped`, a model of more namespaces that holds both (the verdicts
 * between two namespaces' pods depend only on those two namespaces' policies, whatever else the
 * model holds).
 */
function pairFlows(ws: Workspace, from: string, to: string, add: (src: PeerRef, dst: PeerRef, conns: ConnectionSet) => void, scoped?: Model): void {
  const sources = namespacePeers(ws, from);
  const targets = namespacePeers(ws, to);
  if (sources.length === 0 || targets.length === 0) return;
  const m = scoped ?? scopedModelOf(ws, [from, to]);
  const classOf = classIndex(m);
  const memo = new Map<string, ConnectionSet>();
  const egress = reachable(m, 'egress');
  const ingress = reachable(m, 'ingress');
  for (const p of sources) {
    const s = classOf.get(p.ref.id)!;
    for (const q of targets) {
      if (p === q) continue;
      const d = classOf.get(q.ref.id)!;
      const key = `${s},${d}`;
      let conns = memo.get(key);
      if (!conns) memo.set(key, (conns = egress(s, d) && ingress(d, s) ? endpointConns(m, pod(s), pod(d)) : NONE));
      if (!conns.isEmpty()) add(p.ref, q.ref, conns);
    }
  }
}

const NONE = ConnectionSet.none();

/**
 * Whether some rule of the policies isolating `subject` in `direction` may match pods of class
 * `other` (always, when none isolates it): the engine's own pruning (a rule matching every pod, or
 * an ipBlock that may hold pod addresses under the `all` reading, else the classes its selectors
 * match). When it says no, nothing is allowed between the two classes.
 */
function reachable(m: Model, direction: 'ingress' | 'egress'): (subject: number, other: number) => boolean {
  const isolating = direction === 'ingress' ? m.ingressPolicies : m.egressPolicies;
  const tables = new Map<readonly CompiledPolicy[], { all: boolean; classes: Set<number> }>();
  return (subject, other) => {
    const policies = isolating[subject]!;
    if (policies.length === 0) return true;
    let t = tables.get(policies);
    if (!t) {
      t = { all: false, classes: new Set() };
      for (const cp of policies) {
        for (const r of direction === 'ingress' ? cp.ingress : cp.egress) {
          if (r.allPeers || (m.reading === 'all' && r.peers.some(p => p.kind === 'ipBlock' && p.podOverlap !== 'none'))) t.all = true;
          else for (const p of r.peers) for (const c of p.classes) t.classes.add(c);
        }
      }
      tables.set(policies, t);
    }
    return t.all || t.classes.has(other);
  };
}

/**
 * Whether pods of a namespace may reach pods of namespace `other` in `direction` (egress: as
 * destinations; ingress: as sources), judged on the namespace's own model: some pod is not isolated
 * in that direction, or a rule of an isolating policy has no peers, a namespaceSelector matching
 * `other`'s labels, or an ipBlock that may hold pod addresses (`all` reading). A peer without
 * namespaceSelector selects pods of the policy's own namespace only. When it says no, no flow in
 * that direction exists between the two namespaces, and their two-namespace model need not be built.
 */
function namespaceReach(m: Model, direction: 'ingress' | 'egress'): (other: string, labels: Readonly<Record<string, string>>) => boolean {
  const isolating = direction === 'ingress' ? m.ingressPolicies : m.egressPolicies;
  let any = m.classes.some((_, c) => isolating[c]!.length === 0);
  const selectors: LabelSelector[] = [];
  for (const cp of new Set(isolating.flat())) {
    for (const r of direction === 'ingress' ? cp.ingress : cp.egress) {
      if (r.allPeers) any = true;
      for (const p of r.peers) {
        if (p.kind === 'ipBlock' && m.reading === 'all' && p.podOverlap !== 'none') any = true;
        if (p.kind === 'selector' && p.peer.namespaceSelector) selectors.push(p.peer.namespaceSelector);
      }
    }
  }
  const own = m.peers[0]?.ref.workload.object.namespace;
  return (other, labels) => any || other === own || selectors.some(s => selectorMatches(s, labels));
}

const classIndexes = new WeakMap<Model, Map<string, number>>();
function classIndex(m: Model): Map<string, number> {
  let index = classIndexes.get(m);
  if (!index) classIndexes.set(m, (index = new Map(m.peers.map((p, i) => [p.ref.id, m.classOfPeer[i]!]))));
  return index;
}

/** Flows between the namespace's workloads and the address ranges (cut as before), and from the ingress controller. */
function outsideFlows(ws: Workspace, ns: string, s: State, add: (src: PeerRef, dst: PeerRef, conns: ConnectionSet) => void): void {
  const peers = namespacePeers(ws, ns);
  if (peers.length === 0) return;
  const m = scopedModelOf(ws, [ns]);
  const classOf = classIndex(m);
  const ip = (p: PeerRef): Endpoint => (p.kind === 'external' ? { kind: 'ip', family: p.family, first: p.first, last: p.last } : { kind: 'ingress-controller' });
  const exposures = namespaceIngressExposures(ws, ns);
  for (const p of peers) {
    const c = classOf.get(p.ref.id)!;
    for (const e of s.externalSources) { const conns = endpointConns(m, ip(e), pod(c)); if (!conns.isEmpty()) add(e, p.ref, conns); }
    for (const e of s.externalDestinations) { const conns = endpointConns(m, pod(c), ip(e)); if (!conns.isEmpty()) add(p.ref, e, conns); }
    const exposure = exposures.get(p.ref.id);
    if (exposure) {
      const conns = exposure.conns.intersect(endpointConns(m, { kind: 'ingress-controller' }, pod(c)));
      if (!conns.isEmpty()) add(INGRESS_CONTROLLER, p.ref, conns);
    }
  }
}

/**
 * The graph of `prev` with the part of the namespaces `changed` rebuilt, and the namespaces whose
 * flows were computed again: those whose {@link flowInputs} changed (the flows of the others, and
 * so their workloads' `INTERNET` badges, are kept).
 */
function update(ws: Workspace, prev: State, changed: Set<string>): {
  graph: NetworkGraph; flows: Set<string>; restored: Set<string>; nodes: ReadonlyMap<string, GraphNode>;
} {
  const old = prev.graph;
  // Per changed namespace: its flows kept (the same inputs, or only workloads gone: their edges go
  // with their nodes), taken from an earlier graph of the same inputs, or computed.
  const same = (a: FlowInputs | undefined, b: FlowInputs) => a !== undefined && (a === b || a.text === b.text);
  const flowsChanged = new Set<string>();
  const restored = new Set<string>();
  let earlier: Earlier | undefined | null = null;
  for (const x of changed) {
    const before = prev.flowInputs.get(x);
    const now = flowInputs(ws, x);
    if (same(before, now) || (before && onlyWorkloadsGone(before, now))) continue;
    earlier ??= prev.history.find(h => h.inputs.size === ws.namespaces.size && [...ws.namespaces.keys()].every(ns => same(h.inputs.get(ns), flowInputs(ws, ns))));
    (earlier ? restored : flowsChanged).add(x);
  }
  const inChanged = (n: GraphNode | undefined) => !!n && n.namespace !== undefined && changed.has(n.namespace);
  const inFlowsChanged = (n: GraphNode | undefined) => !!n && n.namespace !== undefined && (flowsChanged.has(n.namespace) || restored.has(n.namespace));
  const oldNodes = prev.nodes;
  const nodes = new Map<string, GraphNode>();
  for (const n of old.nodes) if (!inChanged(n) && n.kind !== 'external' && n.kind !== 'ingress-controller') nodes.set(n.id, n);
  const edges = new Map<string, GraphEdge>();
  for (const e of old.edges) {
    if (e.kind === 'dns') continue;
    const touched = e.kind === 'flow' ? inFlowsChanged : inChanged;
    if (!touched(oldNodes.get(e.source)) && !touched(oldNodes.get(e.target))) edges.set(e.id, e);
  }

  // Flows with an end in a namespace whose flow inputs changed.
  const flows: Array<[PeerRef, PeerRef, ConnectionSet]> = [];
  const add = (src: PeerRef, dst: PeerRef, conns: ConnectionSet) => { flows.push([src, dst, conns]); };
  const all = [...ws.namespaces.keys()].sort();
  for (const x of [...flowsChanged].sort()) {
    const single = scopedModelOf(ws, [x]);
    const out = namespaceReach(single, 'egress');
    const into = namespaceReach(single, 'ingress');
    const pairs: Array<[string, string]> = [];
    for (const other of all) {
      const labels = ws.namespaces.get(other)?.labels ?? {};
      if (other === x || out(other, labels)) pairs.push([x, other]);
      if (other !== x && !flowsChanged.has(other) && into(other, labels)) pairs.push([other, x]);
    }
    // One model of the namespace and every namespace it exchanges flows with, built once, instead
    // of a two-namespace model per pair (each holding the namespace's policies again).
    const scope = [...new Set(pairs.flat())].sort();
    const scoped = scope.length > 2 ? scopedModelOf(ws, scope) : undefined;
    for (const [from, to] of pairs) pairFlows(ws, from, to, add, scoped);
    outsideFlows(ws, x, prev, add);
  }
  const fromExternal = new Set<string>();
  for (const [src, dst] of flows) if (src.kind === 'external') fromExternal.add(peerId(dst));
  // The flows of the earlier graph with an end in a restored namespace, and the outside nodes they reach.
  const restoredFlows: GraphEdge[] = [];
  const restoredOutside = new Map<string, GraphNode>();
  if (earlier) {
    const inRestored = (n: GraphNode | undefined) => !!n && n.namespace !== undefined && restored.has(n.namespace);
    for (const e of earlier.graph.edges) {
      if (e.kind !== 'flow') continue;
      const s = earlier.nodes.get(e.source), t = earlier.nodes.get(e.target);
      if (!inRestored(s) && !inRestored(t)) continue;
      restoredFlows.push(e);
      for (const n of [s, t]) if (n && (n.kind === 'external' || n.kind === 'ingress-controller')) restoredOutside.set(n.id, n);
      if (s?.kind === 'external') fromExternal.add(e.target);
    }
  }
  // A workload whose flows were kept keeps the badge its flows gave it.
  for (const n of old.nodes) if (n.kind === 'workload' && inChanged(n) && !inFlowsChanged(n) && n.badges.includes('exposed-internet')) fromExternal.add(n.id);

  // The changed namespaces' nodes, Services, Ingresses and their edges.
  const addEdge = (e: GraphEdge) => { if (!edges.has(e.id)) edges.set(e.id, e); };
  for (const x of changed) {
    for (const p of namespacePeers(ws, x)) nodes.set(peerId(p.ref), workloadNode(ws, p.ref, fromExternal.has(peerId(p.ref)), false));
  }
  for (const x of changed) {
    const slice = ws.inNamespace(x);
    serviceAndIngressItems(ws, slice.services, slice.ingresses, nodes, addEdge);
  }
  for (const [src, dst, conns] of flows) {
    const source = peerId(src);
    const target = peerId(dst);
    edges.set(flowId(source, target), { id: flowId(source, target), kind: 'flow', source, target, label: conns.toString() });
  }
  for (const e of restoredFlows) edges.set(e.id, e);

  // Nodes outside the namespaces: those some flow reaches, the ingress controller when an Ingress exists.
  const outside = new Map<string, GraphNode>();
  for (const n of old.nodes) if (n.kind === 'external' || n.kind === 'ingress-controller') outside.set(n.id, n);
  for (const [id, n] of restoredOutside) if (!outside.has(id)) outside.set(id, n);
  for (const [src, dst] of flows) for (const p of [src, dst]) if (p.kind !== 'workload' && !outside.has(peerId(p))) outside.set(peerId(p), outsideNode(p)!);
  const used = new Set<string>();
  for (const e of edges.values()) if (e.kind === 'flow') { used.add(e.source); used.add(e.target); }
  if (ws.ingresses.length > 0) used.add(INGRESS_CONTROLLER_ID);
  for (const [id, n] of outside) if (used.has(id)) nodes.set(id, n);

  // DNS edges of the files whose references may resolve into a changed namespace, or that changed.
  const files = new Set(ws.changesSince(prev.generation)!.map(c => c.file));
  const dns = prev.dns;
  for (const f of [...dns.keys()]) if (!ws.has(f)) dns.delete(f);
  for (const f of ws.fileNames) {
    const kept = dns.get(f);
    if (kept && !files.has(f) && ![...kept.namespaces].some(ns => changed.has(ns))) continue;
    dns.set(f, dnsEdgesOfFile(ws, f, prev.verdicts));
  }
  for (const f of ws.fileNames) for (const e of dns.get(f)!.edges) addEdge(e);

  const groups = graphGroups(ws);
  const graph: NetworkGraph = {
    nodes: [...nodes.values()],
    edges: [...edges.values()].filter(e => nodes.has(e.source) && nodes.has(e.target)),
    groups,
    namespaces: groups.map(g => g.label),
    notes: ws.policies.length === 0 ? [NO_POLICY_NOTE] : [],
    reading: old.reading,
  };
  return { graph, flows: flowsChanged, restored, nodes };
}

/**
 * Runs the update path once on the workspace's current generation, for one namespace (the first
 * that has workloads), and drops its result: the first edit's update then finds its code compiled
 * and the generation-independent caches (the slices' peers, the files' DNS references) filled,
 * instead of paying for them on the keystroke. Does nothing unless the current generation's graph
 * is known. The graph it computes equals the known one (the same generation), and nothing it
 * computes is kept in the state.
 */
export function warmGraphUpdate(ws: Workspace): void {
  const s = states.get(ws);
  if (s?.generation !== ws.generation || !ws.changesSince(s.generation)) return;
  const ns = [...ws.namespaces.keys()].sort().find(n => namespacePeers(ws, n).length > 0);
  if (ns === undefined) return;
  update(ws, { ...s, dns: new Map(s.dns) }, new Set([ns]));
}
