/**
 * The parts of the diagram's graph: workload, Service, Ingress and outside nodes, their edges, and
 * the whole graph built at once ({@link fullGraph}). ./incremental.ts updates a graph from these
 * parts namespace by namespace; ./build.ts is the entry point.
 */
import type { K8sObject } from '../parse/manifest';
import type { NetworkPolicy } from '../parse/views/policy';
import type { Ingress } from '../parse/views/ingress';
import type { Service } from '../parse/views/service';
import { namedPortsOf, type Workload } from '../parse/views/workload';
import { formatCIDR, rangeToCIDRs } from '../net/ip';
import {
  connectivity, explain, INGRESS_CONTROLLER, isolation, peersOf, policiesSelecting,
  type ConnectivityReport, type Explanation, type PeerRef, type WorkloadPeerRef,
} from '../net/policy';
import { decidingTier } from '../net/policy/why';
import { tiersApply } from '../net/policy/admin';
import { modelOf } from '../net/policy/model';
import { APP_LABELS } from '../../shared/app-labels';
import { thirdPartyPoliciesOn } from '../net/policy/thirdparty';
import { formatSelector, isEmptySelector } from '../net/selectors';
import type { Workspace } from '../workspace';
import { governedByPolicy } from '../net/policy/reach';
import { ownerOf } from '../net/policy/peers';
import { networkLayout } from '../net/policy/network-layout';
import { secondaryNetworks } from '../net/policy/secondary';
import { dnsEdgesOfFile, VerdictCache } from './dns';
import {
  externalId, groupId, INGRESS_CONTROLLER_ID, ingressId, nodeIdOfWorkload, serviceId,
  type Badge, type GraphEdge, type GraphGroup, type GraphNode, type NetworkGraph, type PolicyRef,
  type SourceLocation,
} from './model';

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Objects by file path, then place in the file: lists and "first definition wins" that do not depend on the order files were read. */
const byPath = <T extends { object: K8sObject }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => compareText(a.object.file, b.object.file) || a.object.index - b.object.index);
const location = (o: K8sObject): SourceLocation => ({ file: o.file, span: { start: o.span.start, end: o.span.end } });



/** Whether an ingress rule of the policy admits every source, in the cluster and outside it (no `from`). */
function admitsEverySource(p: NetworkPolicy): boolean {
  return p.isolatesIngress && (p.ingress ?? []).some(r => r.peers === undefined || r.peers.length === 0);
}

/** Whether a selecting policy admits every pod of every namespace through one of its ingress rules. */
function admitsAllNamespaces(p: NetworkPolicy): boolean {
  if (!p.isolatesIngress) return false;
  return admitsEverySource(p) || (p.ingress ?? []).some(r =>
    (r.peers ?? []).some(peer =>
      !peer.ipBlock && peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector) &&
      (peer.podSelector === undefined || isEmptySelector(peer.podSelector))));
}

function servicePortsLine(s: Service): string {
  const ports = s.ports.map(p => {
    const proto = p.protocol && p.protocol !== 'TCP' ? `${p.protocol} ` : '';
    return p.targetPort !== undefined && p.targetPort !== p.port ? `${proto}${p.port}→${p.targetPort}` : `${proto}${p.port}`;
  });
  return `ports ${ports.join(', ') || 'none'}`;
}

/** A range as its CIDRs when it is one or two of them, else as `first-last`. */
function rangeLabel(peer: Extract<PeerRef, { kind: 'external' }>): string {
  const cidrs = rangeToCIDRs(peer.family, peer.first, peer.last);
  return cidrs.length <= 2 ? cidrs.map(formatCIDR).join(', ') : peer.id.replace(/\[External\]$/, '');
}

export function peerId(peer: PeerRef): string {
  switch (peer.kind) {
    case 'workload': return nodeIdOfWorkload(peer.workload);
    case 'external': return externalId(peer.id.replace(/\[External\]$/, ''));
    case 'ingress-controller': return INGRESS_CONTROLLER_ID;
  }
}

/** The cluster-wide tier whose rules decided some connections of a flow (admin first), read from its explanation object. */
function tierOf(e: Explanation): 'admin' | 'baseline' | undefined {
  return e.why ? decidingTier(e.why) : undefined;
}

/** The id of a flow on the secondary network `network` (a NetworkAttachmentDefinition's name): the flow id and `@<network>`. */
export function secondaryFlowId(source: string, target: string, network: string): string {
  return `${flowId(source, target)}@${network}`;
}

/** An explanation's text, one line each, without the engine's indentation. */
export function textLines(text: string): string[] {
  return text.split('\n').map(l => l.trim()).filter(Boolean);
}

/** The explanation of one flow, one line each, without the engine's indentation. */
export function explanationLines(ws: Workspace, src: PeerRef, dst: PeerRef): string[] {
  return textLines(explain(ws, src, dst).text);
}

/** The badges of a workload node. */
function workloadBadges(ws: Workspace, w: Workload, fromExternal: boolean, clusterPolicy: boolean): Badge[] {
  const iso = isolation(ws, w);
  const ingressIsolated = iso.ingress.length > 0;
  const badges: Badge[] = [ingressIsolated ? 'ingress-isolated' : 'ingress-open', iso.egress.length ? 'egress-isolated' : 'egress-open'];
  if (!ingressIsolated || iso.ingress.some(admitsAllNamespaces)) badges.push('exposed-all-namespaces');
  if (fromExternal) badges.push('exposed-internet');
  if (clusterPolicy) badges.push('cluster-policy');
  if (thirdPartyPoliciesOn(ws, w).length) badges.push('cni-policy');
  return badges;
}

/** A workload node built without them, with the badges only flows tell, where {@link workloadBadges} puts them. */
function withReachBadges(node: GraphNode, fromExternal: boolean, clusterPolicy: boolean): GraphNode {
  const cni = node.badges.includes('cni-policy');
  const badges: Badge[] = node.badges.filter(b => b !== 'cni-policy');
  if (fromExternal) badges.push('exposed-internet');
  if (clusterPolicy) badges.push('cluster-policy');
  if (cni) badges.push('cni-policy');
  return { ...node, badges };
}

/** The node of a workload peer. */
export function workloadNode(ws: Workspace, peer: WorkloadPeerRef, fromExternal: boolean, clusterPolicy: boolean): GraphNode {
  const w = peer.workload;
  const id = peerId(peer);
  const policies: PolicyRef[] = byPath(policiesSelecting(ws, w)).map(p => ({
    namespace: p.object.namespace,
    name: p.object.name,
    directions: [...(p.isolatesIngress ? ['ingress' as const] : []), ...(p.isolatesEgress ? ['egress' as const] : [])],
    source: location(p.object),
  }));
  const labels = Object.entries(w.podLabels).map(([k, v]) => `${k}=${v}`).join(',');
  const ports = namedPortsOf(w)
    .map(p => `${p.protocol ?? '?'} ${p.containerPort ?? '?'}${p.name ? ` (${p.name})` : ''}`);
  const owner = ownerOf(w);
  const appLabels = Object.fromEntries(APP_LABELS.filter(k => w.podLabels[k] !== undefined).map(k => [k, w.podLabels[k]!]));
  return {
    id, kind: 'workload', label: owner.name, objectKind: owner.kind, namespace: w.object.namespace,
    parent: groupId(w.object.namespace), badges: workloadBadges(ws, w, fromExternal, clusterPolicy),
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    ...(Object.keys(appLabels).length ? { appLabels } : {}),
    details: [
      `pod labels ${labels || 'none'}`, `container ports ${ports.join(', ') || 'none'}`,
      ...(governedByPolicy(w) ? [] : ['host network: traffic has the node\'s addresses; how policies treat it depends on the network plugin (flows shown in np-guard\'s reading)']),
    ],
    policies, source: location(w.object),
  };
}

/**
 * The Service and Ingress nodes of `services` and `ingresses` (first definition of an id winning),
 * their `selects` and `routes` edges; whether any Ingress was drawn.
 */
export function serviceAndIngressItems(
  ws: Workspace, services: readonly Service[], ingresses: readonly Ingress[],
  nodes: Map<string, GraphNode>, addEdge: (e: GraphEdge) => void,
): boolean {
  // Duplicates: the first by file path wins, whatever order the files were read in.
  for (const s of byPath(services)) {
    const id = serviceId(s.object.namespace, s.object.name);
    if (nodes.has(id)) continue;
    const selector = s.selector.present ? formatSelector(s.selector) : 'none';
    nodes.set(id, {
      id, kind: 'service', label: s.object.name, objectKind: 'Service', namespace: s.object.namespace,
      parent: groupId(s.object.namespace), badges: [],
      details: [`type ${s.type}${s.headless ? ' (headless)' : ''}`, `selector ${selector}`, servicePortsLine(s)],
      source: location(s.object),
    });
    for (const w of ws.workloadsOfService(s)) {
      const target = nodeIdOfWorkload(w);
      addEdge({
        id: `selects:${id}->${target}`, kind: 'selects', source: id, target, label: '',
        ...(s.selector.span ? { sourceLocation: { file: s.object.file, span: s.selector.span } } : {}),
      });
    }
  }

  let anyIngress = false;
  for (const ing of byPath(ingresses)) {
    const o = ing.object;
    const id = ingressId(o.namespace, o.kind, o.name);
    if (nodes.has(id)) continue;
    anyIngress = true;
    const hosts = [...new Set(ing.backends.map(b => b.host).filter((h): h is string => !!h))];
    nodes.set(id, {
      id, kind: 'ingress', label: o.name, objectKind: o.kind, namespace: o.namespace, parent: groupId(o.namespace),
      badges: [], details: [`hosts ${hosts.join(', ') || '*'}`, ...(ing.ingressClassName ? [`class ${ing.ingressClassName}`] : [])],
      source: location(o),
    });
    addEdge({ id: `routes:${INGRESS_CONTROLLER_ID}->${id}`, kind: 'routes', source: INGRESS_CONTROLLER_ID, target: id, label: hosts.join(', ') });
    for (const b of ing.backends) {
      if (!b.serviceName?.value) continue;
      const target = serviceId(o.namespace, b.serviceName.value);
      if (!ws.service(o.namespace, b.serviceName.value)) continue;
      addEdge({
        id: `routes:${id}->${target}`, kind: 'routes', source: id, target,
        label: b.port ? String(b.port.value) : '', sourceLocation: { file: o.file, span: b.span },
      });
    }
  }
  return anyIngress;
}

/** The node of a peer outside the namespaces (an address range, the ingress controller). */
export function outsideNode(peer: PeerRef): GraphNode | undefined {
  const id = peerId(peer);
  if (peer.kind === 'external') {
    return { id, kind: 'external', label: rangeLabel(peer), badges: [], details: [`addresses ${peer.id.replace(/\[External\]$/, '')} outside the cluster`] };
  }
  if (peer.kind === 'ingress-controller') {
    return { id, kind: 'ingress-controller', label: '{ingress-controller}', badges: [], details: ['the source of traffic admitted by Ingresses and Routes'] };
  }
  return undefined;
}

/** The id of a flow edge. */
export const flowId = (source: string, target: string): string => `flow:${source}->${target}`;

/** The whole graph with what the incremental update needs to reuse it (see ./incremental.ts). */
export interface FullGraph {
  readonly graph: NetworkGraph;
  readonly report: ConnectivityReport;
  readonly dns: Map<string, { edges: GraphEdge[]; namespaces: Set<string> }>;
  /** The DNS edges' verdicts, for the next updates. */
  readonly verdicts: VerdictCache;
}

/**
 * A step of {@link fullGraphSteps}: what is still being computed (`flows`: the engine's
 * connectivity, and with it the flow edges, the outside nodes and the `INTERNET` badges; `dns`: the
 * DNS edges) and the graph so far (built when asked).
 */
export interface GraphStep {
  readonly pending: 'flows' | 'dns';
  graph(): NetworkGraph;
}

/**
 * The whole graph, before options filter it ({@link fullGraphSteps} run to its end). Flow edges
 * carry no explanation: the page asks for it when an edge is opened ({@link explainEdge}).
 */
export function fullGraph(ws: Workspace): FullGraph {
  const steps = fullGraphSteps(ws);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The whole graph built in steps, for a first picture before the flows are known: first the
 * namespaces, workloads, Services and Ingresses (yielded with `pending: 'flows'`), then the
 * connectivity and the flow edges (yielded with `pending: 'dns'`), then the DNS edges file by file
 * (a step every `dnsFiles` files). Returns the graph {@link fullGraph} returns: every item is put
 * in the same order, and a workload node the connectivity gives the `INTERNET` badge (or a
 * cluster-wide tier's) is made again in its place.
 */
export function* fullGraphSteps(ws: Workspace, dnsFiles = 16): Generator<GraphStep, FullGraph, void> {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const groups = new Map<string, GraphGroup>();
  const notes: string[] = [];
  if (ws.policies.length === 0) notes.push(NO_POLICY_NOTE);
  const addEdge = (e: GraphEdge) => { if (!edges.has(e.id)) edges.set(e.id, e); };
  let reading: NetworkGraph['reading'] = ws.settings.ipBlockReading;
  const graph = (): NetworkGraph => ({
    nodes: [...nodes.values()],
    // A Service may select a workload the engine has no peer for (a Pod still without a name).
    edges: [...edges.values()].filter(e => nodes.has(e.source) && nodes.has(e.target)),
    groups: [...groups.values()],
    namespaces: [...groups.values()].map(g => g.label),
    notes,
    reading,
  });

  for (const g of graphGroups(ws)) groups.set(g.id, g);
  const workloads = peersOf(ws).filter((p): p is WorkloadPeerRef => p.kind === 'workload');
  for (const peer of workloads) nodes.set(peerId(peer), workloadNode(ws, peer, false, false));
  const anyIngress = serviceAndIngressItems(ws, ws.services, ws.ingresses, nodes, addEdge);

  const ensurePeer = (peer: PeerRef): string => {
    const id = peerId(peer);
    if (nodes.has(id)) return id;
    const n = outsideNode(peer);
    if (n) nodes.set(id, n);
    return id;
  };
  if (anyIngress) ensurePeer(INGRESS_CONTROLLER);
  yield { pending: 'flows', graph };

  const report = connectivity(ws);
  reading = report.reading;
  const m = modelOf(ws);
  const fromExternal = new Set<string>();
  for (const c of report.connections) if (c.src.kind === 'external') fromExternal.add(peerId(c.dst));
  const classOf = new Map(m.peers.map((p, i) => [p.ref.id, m.classOfPeer[i]!]));
  for (const peer of workloads) {
    const id = peerId(peer);
    const cls = classOf.get(peer.id);
    const clusterPolicy = m.admin.any && cls !== undefined && (tiersApply(m.admin, 'ingress', cls) || tiersApply(m.admin, 'egress', cls));
    // The same place in the map: the node as the whole build makes it.
    if (fromExternal.has(id) || clusterPolicy) nodes.set(id, withReachBadges(nodes.get(id)!, fromExternal.has(id), clusterPolicy));
  }
  for (const c of report.connections) {
    const source = ensurePeer(c.src);
    const target = ensurePeer(c.dst);
    const decidedBy = m.admin.any ? tierOf(explain(ws, c.src, c.dst)) : undefined;
    addEdge({ id: flowId(source, target), kind: 'flow', source, target, label: c.conns.toString(), ...(decidedBy ? { decidedBy } : {}) });
  }
  // Secondary networks: one flow per NAD both workloads attach to, marked with that network.
  for (const c of secondaryNetworks(ws).size ? networkLayout(ws, report)?.secondary ?? [] : []) {
    const source = ensurePeer(c.src);
    const target = ensurePeer(c.dst);
    addEdge({ id: secondaryFlowId(source, target, c.name), kind: 'flow', source, target, label: c.conns.toString(), network: c.name });
  }
  yield { pending: 'dns', graph };

  const dns = new Map<string, { edges: GraphEdge[]; namespaces: Set<string> }>();
  const verdicts = new VerdictCache();
  const files = ws.fileNames;
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % dnsFiles === 0) yield { pending: 'dns', graph };
    const d = dnsEdgesOfFile(ws, files[i]!, verdicts);
    dns.set(files[i]!, d);
    for (const e of d.edges) if (nodes.has(e.source) && nodes.has(e.target)) addEdge(e);
  }

  return { graph: graph(), report, dns, verdicts };
}

export const NO_POLICY_NOTE = 'No NetworkPolicy in the workspace: every pod may reach every other and the internet.';

/** The namespace frames, by name. */
export function graphGroups(ws: Workspace): GraphGroup[] {
  return [...ws.namespaces.values()].sort((a, b) => a.name.localeCompare(b.name)).map(ns => {
    const decl = ns.objects[0];
    return { id: groupId(ns.name), label: ns.name, ...(decl ? { source: location(decl) } : {}) };
  });
}

