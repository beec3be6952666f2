/**
 * Secondary networks: NetworkAttachmentDefinitions (Multus) and the MultiNetworkPolicies that decide
 * connections on them, as np-guard analyses them (see below). Apart from `networks.ts` (primary
 * user-defined networks), which the model reads: this module reads the model's rule helpers.
 */
import {
  NETWORKS_ANNOTATION, POLICY_FOR_ANNOTATION, networkAttachmentDefinitionView, networkAttachments, policyForTargets,
  virtualMachineAttachments, type NetworkAttachment,
} from '../../parse/networks';
import { multiNetworkPolicyView, type NetworkPolicy, type PolicyPeer, type PolicyPort } from '../../parse/views/policy';
import { podTemplatePath, type Workload } from '../../parse/views/workload';
import { at, int, stringMap, toRecord } from '../../parse/yaml';
import type { Workspace } from '../../workspace';
import { parseIP } from '../ip';
import { selectorMatches } from '../selectors';
import { ConnectionSet } from './connections';
import { blockContains, blockSets, portEntryConns, selectorPeerMatches } from './model';
import type { PeerRef, WorkloadPeerRef } from './peers';
import { PortVerdicts, policyDirectionVerdicts, RuleSet, unionCollect, type PairWhy } from './why';

/**
 * Secondary networks: NetworkAttachmentDefinitions (Multus), as np-guard reads them
 * (`eval/resources.go` insertNetworkAttachmentDefinition, `check.go` getPeerSecondaryNetworks,
 * allAllowedXgressConnectionsByMultiNetpolsCRDs, `internal/k8s/multi_netpol.go`). A network is named
 * by its NAD's name cluster-wide and exists in the namespaces that define a NAD of that name. A pod
 * joins it through its `k8s.v1.cni.cncf.io/networks` annotation when the namespace the annotation
 * names (else the pod's own) defines it. Two pods that share a network connect on it as the
 * MultiNetworkPolicies for that network allow (NetworkPolicy semantics: egress of the source ∩
 * ingress of the destination; no policy selecting a side allows all on that side); NetworkPolicies
 * and the admin tiers do not apply there, and external addresses never reach a secondary network.
 */
export interface SecondaryNetwork {
  readonly name: string;
  /** Namespaces with a NAD of this name. */
  readonly namespaces: ReadonlySet<string>;
}

/** NAD name → its secondary network, in workspace order; cached per generation. */
export function secondaryNetworks(ws: Workspace): ReadonlyMap<string, SecondaryNetwork> {
  return ws.derived('policy:nad:networks', () => {
    const out = new Map<string, { name: string; namespaces: Set<string> }>();
    const views = ws.collected('policy:nad:views', e => e.manifest.objects.flatMap(o => {
      const v = networkAttachmentDefinitionView(o);
      return v ? [v] : [];
    }));
    for (const v of views) {
      let n = out.get(v.name);
      if (!n) out.set(v.name, (n = { name: v.name, namespaces: new Set() }));
      n.namespaces.add(v.namespace);
    }
    return out as ReadonlyMap<string, SecondaryNetwork>;
  });
}

/** The MultiNetworkPolicies of the workspace, by namespace; cached per generation. */
function multiNetworkPolicies(ws: Workspace): ReadonlyMap<string, readonly NetworkPolicy[]> {
  return ws.derived('policy:nad:mnp', () => {
    const out = new Map<string, NetworkPolicy[]>();
    const views = ws.collected('policy:nad:mnp:views', e => e.manifest.objects.flatMap(o => {
      const v = multiNetworkPolicyView(o);
      return v ? [v] : [];
    }));
    for (const v of views) {
      const list = out.get(v.object.namespace) ?? [];
      list.push(v);
      out.set(v.object.namespace, list);
    }
    return out;
  });
}

const attachmentsOf = new WeakMap<Workload, readonly NetworkAttachment[]>();

/** The networks a workload's pods name in their `k8s.v1.cni.cncf.io/networks` annotation (an unparsable value: none). */
export function workloadAttachments(w: Workload): readonly NetworkAttachment[] {
  let a = attachmentsOf.get(w);
  if (!a) {
    const o = w.object;
    if (o.kind === 'VirtualMachine') {
      attachmentsOf.set(w, (a = virtualMachineAttachments(o)));
      return a;
    }
    const annotations = toRecord(stringMap(o.doc, at(o.doc, o.node, ...podTemplatePath(o.kind), 'metadata', 'annotations')));
    const value = annotations[NETWORKS_ANNOTATION];
    attachmentsOf.set(w, (a = value === undefined ? [] : networkAttachments(value) ?? []));
  }
  return a;
}

/** The secondary networks a workload is on: name → its attachment, sorted by name. */
export function workloadSecondaryNetworks(ws: Workspace, w: Workload): ReadonlyMap<string, NetworkAttachment> {
  const networks = secondaryNetworks(ws);
  if (networks.size === 0) return NO_NETWORKS;
  // Asked per pair and per peer: once per workload and generation.
  const cache = ws.derived('policy:nad:workload-networks', () => new WeakMap<Workload, ReadonlyMap<string, NetworkAttachment>>());
  let out = cache.get(w);
  if (!out) {
    const on = new Map<string, NetworkAttachment>();
    for (const a of [...workloadAttachments(w)].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
      if (networks.get(a.name)?.namespaces.has(a.namespace ?? w.object.namespace)) on.set(a.name, a);
    }
    cache.set(w, (out = on));
  }
  return out;
}

const NO_NETWORKS: ReadonlyMap<string, NetworkAttachment> = new Map();

function targetsNetwork(p: NetworkPolicy, network: SecondaryNetwork): boolean {
  const targets = policyForTargets(p.object.annotations[POLICY_FOR_ANNOTATION]);
  const t = targets?.find(x => x.name === network.name);
  return !!t && network.namespaces.has(t.namespace ?? p.object.namespace);
}

/**
 * Whether `w` is a destination of `direction` traffic that the MultiNetworkPolicy `p` decides: its
 * pods are on a secondary network `p` is for, and, as a `to` peer, selectable by a pod or namespace
 * selector (a VirtualMachine is selected only by an ipBlock).
 */
export function multiNetworkDestination(ws: Workspace, p: NetworkPolicy, direction: 'ingress' | 'egress', w: Workload): boolean {
  if (direction === 'egress' && w.object.kind === 'VirtualMachine') return false;
  const networks = secondaryNetworks(ws);
  return [...workloadSecondaryNetworks(ws, w).keys()].some(name => targetsNetwork(p, networks.get(name)!));
}

function peerSelects(ws: Workspace, peer: PolicyPeer, policyNs: string, other: Workload, network: string): boolean {
  const hasSelector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (hasSelector) {
    // A VirtualMachine is selected only by an ipBlock (np-guard's ruleSelectsPeer).
    if (peer.ipBlock || other.object.kind === 'VirtualMachine') return false;
    const ns = other.object.namespace;
    return selectorPeerMatches(peer, policyNs, ns, other.podLabels, ws.namespaces.get(ns)?.labels ?? {});
  }
  if (!peer.ipBlock) return false;
  const block = blockSets(peer.ipBlock);
  if (!block) return false;
  const attachment = workloadSecondaryNetworks(ws, other).get(network);
  // The address a pod is given, without the prefix length the annotation may carry.
  return (attachment?.ips ?? []).some(ip => {
    const addr = parseIP(ip.split('/')[0]!);
    return !!addr && blockContains(block, addr.family, addr.value, addr.value);
  });
}

/** The MultiNetworkPolicies for `network` that select `subject` in `direction` (np-guard's getMultiNetworkPoliciesSelectingPod). */
function selectingPolicies(ws: Workspace, direction: 'ingress' | 'egress', subject: Workload, network: SecondaryNetwork): NetworkPolicy[] {
  return (multiNetworkPolicies(ws).get(subject.object.namespace) ?? []).filter(p =>
    targetsNetwork(p, network)
    && (direction === 'ingress' ? p.isolatesIngress : p.isolatesEgress)
    && selectorMatches(p.podSelector, subject.podLabels));
}

function directionConns(ws: Workspace, direction: 'ingress' | 'egress', subject: Workload, other: Workload,
  dst: Workload, network: SecondaryNetwork): ConnectionSet {
  const policies = selectingPolicies(ws, direction, subject, network);
  if (policies.length === 0) return ConnectionSet.all();
  const dstPorts = dst.containers.flatMap(c => c.ports);
  let out = ConnectionSet.none();
  for (const p of policies) {
    for (const rule of (direction === 'ingress' ? p.ingress : p.egress) ?? []) {
      const selected = !rule.peers || rule.peers.length === 0
        || rule.peers.some(peer => peerSelects(ws, peer, p.object.namespace, other, network.name));
      if (!selected) continue;
      if (!rule.ports || rule.ports.length === 0) return ConnectionSet.all();
      for (const port of rule.ports) out = out.union(portEntryConns(port, dstPorts));
    }
  }
  return out;
}

/** What `src` may open to `dst` on the secondary network `name` (both must be on it). */
export function secondaryConns(ws: Workspace, src: Workload, dst: Workload, name: string): ConnectionSet {
  const network = secondaryNetworks(ws).get(name);
  if (!network) return ConnectionSet.none();
  const egress = directionConns(ws, 'egress', src, dst, dst, network);
  if (egress.isEmpty()) return egress;
  return egress.intersect(directionConns(ws, 'ingress', dst, src, dst, network));
}

/**
 * Why one direction of a pair is allowed or denied on a secondary network, port by port (np-guard's
 * allAllowedXgressConnectionsByMultiNetpolsCRDs with explanations): the MultiNetworkPolicies that
 * select the subject, each read as a NetworkPolicy is, their allowed ports collected. A direction no
 * MultiNetworkPolicy selects is allowed without any rule: np-guard names no system default there, so
 * `--explain` prints no line for it.
 */
function directionWhy(ws: Workspace, direction: 'ingress' | 'egress', src: WorkloadPeerRef,
  dst: WorkloadPeerRef, network: SecondaryNetwork): PortVerdicts {
  const subject = direction === 'egress' ? src : dst;
  const other = direction === 'egress' ? dst : src;
  const policies = selectingPolicies(ws, direction, subject.workload, network);
  if (policies.length === 0) return PortVerdicts.uniform(true, RuleSet.EMPTY);
  const dstPorts = dst.workload.containers.flatMap(c => c.ports);
  let v = PortVerdicts.uniform(false, RuleSet.EMPTY);
  for (const p of policies) {
    const o = p.object;
    const rules = (direction === 'ingress' ? p.ingress : p.egress) ?? [];
    const source = { object: o, fullName: `MultiNetworkPolicy '${o.namespace}/${o.name}'`, kind: 'MultiNetworkPolicy' } as const;
    const selects = (rule: (typeof rules)[number]) => !rule.peers || rule.peers.length === 0
      || rule.peers.some(peer => peerSelects(ws, peer, o.namespace, other.workload, network.name));
    v = v.combine(policyDirectionVerdicts(source, rules, direction, subject.id, other.id, selects, dstPorts), unionCollect);
  }
  return v;
}

/**
 * The explanation of `src => dst` on the secondary network `name` (both workloads attached to it),
 * or undefined when either is not a workload or the network is not declared.
 */
export function whySecondaryPair(ws: Workspace, src: PeerRef, dst: PeerRef, name: string): PairWhy | undefined {
  const network = secondaryNetworks(ws).get(name);
  if (!network || src.kind !== 'workload' || dst.kind !== 'workload') return undefined;
  return {
    src, dst,
    egress: directionWhy(ws, 'egress', src, dst, network),
    ingress: directionWhy(ws, 'ingress', src, dst, network),
    defaultOnly: false,
  };
}

/**
 * np-guard's warning on a named port of a MultiNetworkPolicy rule that a destination pod does not
 * define (with the rule's protocol): `MultiNetworkPolicy 'ns/name' port name: "web" has no match in
 * the configuration of the destination peer "ns/pod"` (`multi_netpol.go` ruleConnections). The rule
 * then allows nothing on that port toward that pod.
 */
export interface UnmatchedNamedPort {
  readonly policy: NetworkPolicy;
  readonly port: PolicyPort & { readonly port: string };
  /** np-guard's name of the destination pod (`ns/name`; a controller's pods are `<name>-1`, `<name>-2`). */
  readonly destination: string;
  readonly message: string;
}

/** The pods np-guard makes of a workload: a Pod itself; one per controller, two when it asks for more replicas (`pod.go` PodsFromWorkloadObject). */
function npGuardPodNames(w: Workload): string[] {
  const o = w.object;
  if (o.kind === 'Pod') return [`${o.namespace}/${o.name}`];
  const replicas = o.kind === 'DaemonSet' || o.kind === 'CronJob' || o.kind === 'VirtualMachine' ? 1
    : o.kind === 'Job' ? int(o.doc, at(o.doc, o.node, 'spec', 'parallelism'))?.value ?? 1
      : w.replicas ?? 1;
  return replicas > 1 ? [`${o.namespace}/${o.name}-1`, `${o.namespace}/${o.name}-2`] : [`${o.namespace}/${o.name}-1`];
}

/**
 * The {@link UnmatchedNamedPort} warnings np-guard logs while it lists connectivity, in the order it
 * meets them, each once: for every ordered pair of pods on a secondary network, the egress
 * MultiNetworkPolicies of the source, then (when egress allows something) the ingress ones of the
 * destination; in each policy the rules that select the other pod, in order, until one allows all.
 * `workloads` are the report's (the pairs np-guard evaluates).
 */
export function unmatchedNamedPorts(ws: Workspace, workloads: readonly Workload[]): UnmatchedNamedPort[] {
  const networks = secondaryNetworks(ws);
  if (networks.size === 0) return [];
  const seen = new Set<string>();
  const out: UnmatchedNamedPort[] = [];
  /** One policy's rules toward `other` in `direction` (np-guard's GetMNPXgressAllowedConns): what they allow, the warnings on the way. */
  const policyConns = (p: NetworkPolicy, direction: 'ingress' | 'egress', other: Workload, dst: Workload, dstName: string, network: SecondaryNetwork): ConnectionSet => {
    const dstPorts = dst.containers.flatMap(c => c.ports);
    let res = ConnectionSet.none();
    for (const rule of (direction === 'ingress' ? p.ingress : p.egress) ?? []) {
      const selected = !rule.peers || rule.peers.length === 0 || rule.peers.some(peer => peerSelects(ws, peer, p.object.namespace, other, network.name));
      if (!selected) continue;
      if (!rule.ports || rule.ports.length === 0) return ConnectionSet.all();
      for (const port of rule.ports) {
        const conns = portEntryConns(port, dstPorts);
        if (typeof port.port === 'string' && port.endPort === undefined && conns.isEmpty()) {
          const message = `MultiNetworkPolicy '${p.object.namespace}/${p.object.name}' port name: ${JSON.stringify(port.port)} has no match in the configuration of the destination peer ${JSON.stringify(dstName)}`;
          if (!seen.has(message)) {
            seen.add(message);
            out.push({ policy: p, port: port as PolicyPort & { port: string }, destination: dstName, message });
          }
        }
        res = res.union(conns);
      }
      if (res.isAll()) return res;
    }
    return res;
  };
  const directionConns = (direction: 'ingress' | 'egress', src: Workload, dst: Workload, dstName: string, network: SecondaryNetwork): ConnectionSet => {
    const subject = direction === 'egress' ? src : dst;
    const other = direction === 'egress' ? dst : src;
    const policies = selectingPolicies(ws, direction, subject, network);
    if (policies.length === 0) return ConnectionSet.all();
    return policies.reduce((acc, p) => acc.union(policyConns(p, direction, other, dst, dstName, network)), ConnectionSet.none());
  };
  const onNetwork = workloads.flatMap(w => {
    const nets = [...workloadSecondaryNetworks(ws, w).keys()];
    return nets.length ? [{ w, nets, pods: npGuardPodNames(w) }] : [];
  });
  for (const a of onNetwork) {
    for (const b of onNetwork) {
      for (const name of a.nets) {
        if (!b.nets.includes(name)) continue;
        const network = networks.get(name)!;
        for (const srcPod of a.pods) {
          for (const dstPod of b.pods) {
            if (srcPod === dstPod) continue;
            if (directionConns('egress', a.w, b.w, dstPod, network).isEmpty()) continue;
            directionConns('ingress', a.w, b.w, dstPod, network);
          }
        }
      }
    }
  }
  return out;
}
