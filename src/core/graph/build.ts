/**
 * Workspace → {@link NetworkGraph}: namespaces as groups; workloads, Services and Ingresses as nodes;
 * Service → workload (`selects`), Ingress → Service (`routes`), allowed flows (`flow`, one edge per
 * ordered pair of peers, exactly the engine's connectivity) and DNS references (`dns`). The full
 * graph is computed once per workspace generation; options only filter it.
 */
import type { K8sObject } from '../parse/manifest';
import type { NetworkPolicy, Service, Workload } from '../parse/views';
import { formatSelector, isEmptySelector, selectorMatches } from '../net/selectors';
import type { Workspace } from '../workspace';
import {
  externalId, groupId, INGRESS_CONTROLLER_ID, ingressId, serviceId, workloadId,
  type Badge, type GraphEdge, type GraphGroup, type GraphNode, type GraphOptions, type NetworkGraph, type PolicyRef,
  type SourceLocation,
} from './model';
import { DEFAULT_SOURCES } from './engine';
import type { FlowPeer, GraphSources } from './sources';

const location = (o: K8sObject): SourceLocation => ({ file: o.file, span: { start: o.span.start, end: o.span.end } });

/** The node id of a workload. */
export function nodeIdOfWorkload(w: Workload): string {
  return workloadId(w.object.namespace, w.kind, w.object.name);
}

/** The policies in the workload's namespace whose `podSelector` selects its pods, in workspace order. */
export function policiesSelectingWorkload(ws: Workspace, w: Workload): NetworkPolicy[] {
  return ws.policies.filter(p => p.object.namespace === w.object.namespace && selectorMatches(p.podSelector, w.podLabels));
}

/** The workloads in the Service's namespace its selector selects; none for a Service without selector. */
export function workloadsSelectedByService(ws: Workspace, s: Service): Workload[] {
  if (!s.selector.present || isEmptySelector(s.selector)) return [];
  return ws.workloads.filter(w => w.object.namespace === s.object.namespace && selectorMatches(s.selector, w.podLabels));
}

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

function peerId(peer: FlowPeer): string {
  switch (peer.kind) {
    case 'workload': return nodeIdOfWorkload(peer.workload);
    case 'external': return externalId(peer.range);
    case 'ingress-controller': return INGRESS_CONTROLLER_ID;
  }
}

/** The whole graph, before options filter it. Cached per workspace generation and sources. */
function fullGraph(ws: Workspace, sources: GraphSources): NetworkGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const groups = new Map<string, GraphGroup>();
  const notes: string[] = [];
  const addEdge = (e: GraphEdge) => { if (!edges.has(e.id)) edges.set(e.id, e); };

  for (const ns of [...ws.namespaces.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const decl = ns.objects[0];
    groups.set(groupId(ns.name), { id: groupId(ns.name), label: ns.name, ...(decl ? { source: location(decl) } : {}) });
  }

  const flows = sources.flows?.(ws);
  if (!flows) notes.push('Allowed flows and exposure are not shown: the policy engine is not available.');
  const fromExternal = new Set<string>();
  for (const f of flows?.flows ?? []) if (f.src.kind === 'external') fromExternal.add(peerId(f.dst));

  for (const w of ws.workloads) {
    const id = nodeIdOfWorkload(w);
    if (nodes.has(id)) continue;
    const selecting = policiesSelectingWorkload(ws, w);
    const ingressIsolated = selecting.some(p => p.isolatesIngress);
    const egressIsolated = selecting.some(p => p.isolatesEgress);
    const badges: Badge[] = [ingressIsolated ? 'ingress-isolated' : 'ingress-open', egressIsolated ? 'egress-isolated' : 'egress-open'];
    if (!ingressIsolated || selecting.some(admitsAllNamespaces)) badges.push('exposed-all-namespaces');
    if (!ingressIsolated || selecting.some(admitsEverySource) || fromExternal.has(id)) badges.push('exposed-internet');
    const policies: PolicyRef[] = selecting.map(p => ({
      namespace: p.object.namespace,
      name: p.object.name,
      directions: [...(p.isolatesIngress ? ['ingress' as const] : []), ...(p.isolatesEgress ? ['egress' as const] : [])],
      source: location(p.object),
    }));
    const labels = Object.entries(w.podLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const ports = w.containers.flatMap(c => c.ports)
      .map(p => `${p.protocol ?? '?'} ${p.containerPort ?? '?'}${p.name ? ` (${p.name})` : ''}`);
    nodes.set(id, {
      id, kind: 'workload', label: w.object.name, objectKind: w.kind, namespace: w.object.namespace,
      parent: groupId(w.object.namespace), badges,
      ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
      details: [`pod labels ${labels || 'none'}`, `container ports ${ports.join(', ') || 'none'}`],
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
    for (const w of workloadsSelectedByService(ws, s)) {
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

  const ensurePeer = (peer: FlowPeer): string => {
    const id = peerId(peer);
    if (nodes.has(id)) return id;
    if (peer.kind === 'external') {
      nodes.set(id, { id, kind: 'external', label: peer.range, badges: [], details: ['addresses outside the cluster'] });
    } else if (peer.kind === 'ingress-controller') {
      nodes.set(id, { id, kind: 'ingress-controller', label: '{ingress-controller}', badges: [], details: ['the source of traffic admitted by Ingresses and Routes'] });
    }
    return id;
  };
  if (anyIngress) ensurePeer({ kind: 'ingress-controller' });
  for (const f of flows?.flows ?? []) {
    const source = ensurePeer(f.src);
    const target = ensurePeer(f.dst);
    addEdge({ id: `flow:${source}->${target}`, kind: 'flow', source, target, label: f.label, explanation: f.explanation });
  }

  const dns = sources.dns?.(ws);
  if (!dns) notes.push('DNS references are not shown: the DNS resolver is not available.');
  for (const d of dns ?? []) {
    const source = nodeIdOfWorkload(d.from);
    const target = serviceId(d.service.namespace, d.service.name);
    if (!nodes.has(source) || !nodes.has(target)) continue;
    addEdge({
      id: `dns:${source}->${target}@${d.file}#${d.span.start}`, kind: 'dns', source, target, label: d.host,
      status: d.allowed ? 'allowed' : 'blocked', explanation: d.explanation,
      sourceLocation: { file: d.file, span: { start: d.span.start, end: d.span.end } },
    });
  }

  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    groups: [...groups.values()],
    namespaces: [...groups.values()].map(g => g.label),
    notes,
  };
}

/** Keeps the nodes `keep` accepts (the seeds), their neighbours when `withNeighbours`, and the edges touching a seed. */
function restrict(g: NetworkGraph, keep: (n: GraphNode) => boolean, withNeighbours: boolean, edgeOk: (e: GraphEdge) => boolean = () => true): NetworkGraph {
  const seeds = new Set(g.nodes.filter(keep).map(n => n.id));
  const kept = new Set(seeds);
  const edges = g.edges.filter(edgeOk);
  if (withNeighbours) {
    for (const e of edges) {
      if (seeds.has(e.source)) kept.add(e.target);
      if (seeds.has(e.target)) kept.add(e.source);
    }
  }
  const nodes = g.nodes.filter(n => kept.has(n.id));
  const parents = new Set(nodes.map(n => n.parent));
  return {
    ...g,
    nodes,
    edges: edges.filter(e => kept.has(e.source) && kept.has(e.target) && (seeds.has(e.source) || seeds.has(e.target))),
    groups: g.groups.filter(gr => parents.has(gr.id)),
  };
}

/**
 * The network graph of the workspace, filtered by `options` (each filter narrows the previous one).
 * `sources` defaults to the policy engine and the DNS resolver; tests may pass others.
 */
export function buildGraph(ws: Workspace, options: GraphOptions = {}, sources: GraphSources = DEFAULT_SOURCES): NetworkGraph {
  let g = sources === DEFAULT_SOURCES ? ws.derived('graph:full', () => fullGraph(ws, sources)) : fullGraph(ws, sources);
  if (options.namespace) {
    const ns = options.namespace;
    g = restrict(g, n => n.namespace === ns, true);
  }
  if (options.deniedDnsOnly) {
    const ends = new Set(g.edges.filter(e => e.kind === 'dns' && e.status === 'blocked').flatMap(e => [e.source, e.target]));
    g = restrict(g, n => ends.has(n.id), false, e => e.kind === 'dns' && e.status === 'blocked');
  }
  if (options.search) {
    const q = options.search.toLowerCase();
    g = restrict(g, n => n.label.toLowerCase().includes(q), true);
  }
  if (options.focus) {
    const f = options.focus;
    g = restrict(g, n => n.id === f || n.parent === f, true);
  }
  return g;
}
