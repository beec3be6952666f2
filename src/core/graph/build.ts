/**
 * Workspace → {@link NetworkGraph}: namespaces as groups; workloads, Services and Ingresses as nodes;
 * Service → workload (`selects`), Ingress → Service (`routes`), allowed flows (`flow`, one edge per
 * ordered pair of peers, exactly the engine's connectivity) and DNS references (`dns`). The full
 * graph is computed once per workspace generation; options only filter it.
 */
import type { K8sObject } from '../parse/manifest';
import type { NetworkPolicy } from '../parse/views/policy';
import type { Service } from '../parse/views/service';
import { namedPortsOf } from '../parse/views/workload';
import { formatCIDR, rangeToCIDRs } from '../net/ip';
import { connectivity, explain, isolation, peersOf, policiesSelecting, type Explanation, type PeerRef } from '../net/policy';
import { decidingTier } from '../net/policy/why';
import { tiersApply } from '../net/policy/admin';
import { modelOf } from '../net/policy/model';
import { thirdPartyPoliciesOn } from '../net/policy/thirdparty';
import { formatSelector, isEmptySelector } from '../net/selectors';
import type { Workspace } from '../workspace';
import { governedByPolicy } from '../net/policy/reach';
import { ownerOf } from '../net/policy/peers';
import { dnsEdges } from './dns';
import {
  externalId, groupId, INGRESS_CONTROLLER_ID, ingressId, nodeIdOfWorkload, serviceId,
  type Badge, type GraphEdge, type GraphGroup, type GraphNode, type GraphOptions, type NetworkGraph, type PolicyRef,
  type SourceLocation,
} from './model';

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

/** The explanation of one flow, one line each, without the engine's indentation. */
export function explanationLines(ws: Workspace, src: PeerRef, dst: PeerRef): string[] {
  return explain(ws, src, dst).text.split('\n').map(l => l.trim()).filter(Boolean);
}

/** The whole graph, before options filter it. Cached per workspace generation. */
function fullGraph(ws: Workspace): NetworkGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const groups = new Map<string, GraphGroup>();
  const notes: string[] = [];
  if (ws.policies.length === 0) notes.push('No NetworkPolicy in the workspace: every pod may reach every other and the internet.');
  const addEdge = (e: GraphEdge) => { if (!edges.has(e.id)) edges.set(e.id, e); };

  for (const ns of [...ws.namespaces.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const decl = ns.objects[0];
    groups.set(groupId(ns.name), { id: groupId(ns.name), label: ns.name, ...(decl ? { source: location(decl) } : {}) });
  }

  const report = connectivity(ws);
  const m = modelOf(ws);
  const fromExternal = new Set<string>();
  for (const c of report.connections) if (c.src.kind === 'external') fromExternal.add(peerId(c.dst));

  for (const peer of peersOf(ws)) {
    if (peer.kind !== 'workload') continue;
    const w = peer.workload;
    const id = peerId(peer);
    const iso = isolation(ws, w);
    const selecting = policiesSelecting(ws, w);
    const ingressIsolated = iso.ingress.length > 0;
    const badges: Badge[] = [ingressIsolated ? 'ingress-isolated' : 'ingress-open', iso.egress.length ? 'egress-isolated' : 'egress-open'];
    if (!ingressIsolated || iso.ingress.some(admitsAllNamespaces)) badges.push('exposed-all-namespaces');
    if (fromExternal.has(id)) badges.push('exposed-internet');
    const cls = m.peers.findIndex(x => x.ref.id === peer.id);
    if (cls >= 0 && (tiersApply(m.admin, 'ingress', m.classOfPeer[cls]!) || tiersApply(m.admin, 'egress', m.classOfPeer[cls]!))) badges.push('cluster-policy');
    if (thirdPartyPoliciesOn(ws, w).length) badges.push('cni-policy');
    const policies: PolicyRef[] = selecting.map(p => ({
      namespace: p.object.namespace,
      name: p.object.name,
      directions: [...(p.isolatesIngress ? ['ingress' as const] : []), ...(p.isolatesEgress ? ['egress' as const] : [])],
      source: location(p.object),
    }));
    const labels = Object.entries(w.podLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const ports = namedPortsOf(w)
      .map(p => `${p.protocol ?? '?'} ${p.containerPort ?? '?'}${p.name ? ` (${p.name})` : ''}`);
    const owner = ownerOf(w);
    nodes.set(id, {
      id, kind: 'workload', label: owner.name, objectKind: owner.kind, namespace: w.object.namespace,
      parent: groupId(w.object.namespace), badges,
      ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
      details: [
        `pod labels ${labels || 'none'}`, `container ports ${ports.join(', ') || 'none'}`,
        ...(governedByPolicy(w) ? [] : ['host network: traffic has the node\'s addresses; how policies treat it depends on the network plugin (flows shown in np-guard\'s reading)']),
      ],
      policies, source: location(w.object),
    });
  }

  for (const s of ws.services) {
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
  for (const ing of ws.ingresses) {
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

  const ensurePeer = (peer: PeerRef): string => {
    const id = peerId(peer);
    if (nodes.has(id)) return id;
    if (peer.kind === 'external') {
      nodes.set(id, { id, kind: 'external', label: rangeLabel(peer), badges: [], details: [`addresses ${peer.id.replace(/\[External\]$/, '')} outside the cluster`] });
    } else if (peer.kind === 'ingress-controller') {
      nodes.set(id, { id, kind: 'ingress-controller', label: '{ingress-controller}', badges: [], details: ['the source of traffic admitted by Ingresses and Routes'] });
    }
    return id;
  };
  if (anyIngress) ensurePeer({ kind: 'ingress-controller', id: '{ingress-controller}' });
  for (const c of report.connections) {
    const source = ensurePeer(c.src);
    const target = ensurePeer(c.dst);
    const decidedBy = m.admin.any ? tierOf(explain(ws, c.src, c.dst)) : undefined;
    addEdge({
      id: `flow:${source}->${target}`, kind: 'flow', source, target, label: c.conns.toString(), explanation: explanationLines(ws, c.src, c.dst),
      ...(decidedBy ? { decidedBy } : {}),
    });
  }

  for (const e of dnsEdges(ws)) if (nodes.has(e.source) && nodes.has(e.target)) addEdge(e);

  return {
    nodes: [...nodes.values()],
    // A Service may select a workload the engine has no peer for (a Pod still without a name).
    edges: [...edges.values()].filter(e => nodes.has(e.source) && nodes.has(e.target)),
    groups: [...groups.values()],
    namespaces: [...groups.values()].map(g => g.label),
    notes,
    reading: report.reading,
  };
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
  let g = ws.derived('graph:full', () => fullGraph(ws));
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
