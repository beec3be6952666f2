/**
 * The compiled form of a workspace for policy evaluation, built once per workspace generation:
 * pod classes (workloads that no policy can tell apart), policies with the classes they select,
 * rules with the classes and address sets their peers match, and the external address cuts.
 *
 * Over 400 lines: one compiled model and what builds and scopes it (pod classes, the connection
 * sets of rules, peer matching, the two-namespace scoped model); the parts mean something only
 * together and are memoised as one per generation.
 */
import { ipv4MappedReading, IPIntervalSet, parseCIDR, splitByBoundaries, type CIDR, type IPFamily, type IPRange } from '../ip';
import { selectorKey, selectorMatches } from '../selectors';
import type { IPBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../parse/views/policy';
import type { Protocol } from '../../parse/views/protocol';
import { namedPortsOf, type ContainerPort, type Workload } from '../../parse/views/workload';
import type { AnalysisSettings } from '../../settings';
import { NAMESPACE_NAME_LABEL, type Workspace } from '../../workspace';
import { adminPolicies, compileAdmin, type AdminModel } from './admin';
import { ConnectionSet } from './connections';
import { primaryNetworks, samePrimaryNetwork, type PrimaryNetwork } from './networks';
import { compareIds, groupPeers, INGRESS_CONTROLLER_NAMESPACE, workloadPeers, type WorkloadPeer } from './peers';

/** How `ipBlock` peers treat pods; see docs/policy-engine.md. */
export type IPBlockReading = AnalysisSettings['ipBlockReading'];

/** Pods with the same namespace, labels and serving ports: every rule treats them alike. */
export interface PodClass {
  readonly index: number;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  /** Classes with equal named ports share this id: a rule allows them the same ports. */
  readonly portsId: number;
  /** Indexes into {@link Model.peers}. */
  readonly peers: number[];
  /** The primary user-defined network of its namespace; undefined: the cluster's pod network. */
  readonly network: PrimaryNetwork | undefined;
}

/** Whether two classes' pods are on different primary networks, so that nothing connects them (networks.ts). */
export function networkIsolated(a: PodClass, b: PodClass): boolean {
  return a.network !== b.network && !samePrimaryNetwork(a.network, b.network, a.namespace, b.namespace);
}

/** An address set of one ipBlock, or `undefined` when its CIDRs are invalid (it matches nothing). */
export interface BlockSets {
  readonly v4: IPIntervalSet;
  readonly v6: IPIntervalSet;
  /**
   * The part of `v4`/`v6` whose membership depends on the network plugin: with an IPv4-mapped IPv6
   * cidr or except (`::ffff:10.0.0.0/104`) the block as written holds IPv6 addresses, while Go's net
   * package (and so Go-based plugins) reads the value as IPv4 (`10.0.0.0/8`). `v4`/`v6` hold both
   * readings; a verdict on an address in this part says "may".
   */
  readonly uncertain?: BlockSets;
}

/** Whether an ipBlock may hold pod addresses under the `all` reading. */
export type PodOverlap = 'none' | 'may' | 'all';

export interface CompiledPeer {
  readonly peer: PolicyPeer;
  /** `selector`: pod/namespace selectors; `ipBlock`; `invalid`: empty, or ipBlock mixed with selectors. */
  readonly kind: 'selector' | 'ipBlock' | 'invalid';
  /** For selector peers: the classes selected. */
  readonly classes: ReadonlySet<number>;
  /** For selector peers: whether the ingress controller's pod is selected. */
  readonly ingressController: boolean;
  readonly block: BlockSets | undefined;
  /** For ipBlock peers: how the block relates to the pod network (`all` reading only). */
  readonly podOverlap: PodOverlap;
}

export interface CompiledRule {
  readonly policy: NetworkPolicy;
  readonly rule: PolicyRule;
  readonly direction: 'ingress' | 'egress';
  /** `from`/`to` absent or empty: every source/destination. */
  readonly allPeers: boolean;
  readonly peers: readonly CompiledPeer[];
  /** Connections when no port is named; `undefined` when a named port makes them depend on the pod. */
  readonly fixedConns: ConnectionSet | undefined;
}

export interface CompiledPolicy {
  readonly policy: NetworkPolicy;
  readonly namespace: string;
  readonly selected: readonly number[];
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

export interface Model {
  readonly peers: readonly WorkloadPeer[];
  /** Class index per peer index. */
  readonly classOfPeer: readonly number[];
  readonly classes: readonly PodClass[];
  readonly policies: readonly CompiledPolicy[];
  /** Per class: policies that select it and isolate it for ingress / egress. */
  readonly ingressPolicies: ReadonlyArray<readonly CompiledPolicy[]>;
  readonly egressPolicies: ReadonlyArray<readonly CompiledPolicy[]>;
  /** External sources: address space cut at the ipBlocks of ingress rules. */
  readonly sourceExternals: readonly IPRange[];
  /** External destinations: address space cut at the ipBlocks of egress rules. */
  readonly destinationExternals: readonly IPRange[];
  /** The pod networks known (from manifests or settings), per family; empty when unknown. */
  readonly podNetworks: BlockSets;
  /** Labels of the ingress controller's namespace. */
  readonly ingressControllerNamespaceLabels: Readonly<Record<string, string>>;
  readonly reading: IPBlockReading;
  /** The cluster-wide tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy). */
  readonly admin: AdminModel;
}

function portsKey(ports: readonly ContainerPort[]): string {
  return ports
    .filter(p => p.name)
    .map(p => `${p.name}/${p.protocol ?? '?'}/${p.containerPort ?? ''}`)
    .sort()
    .join(',');
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(labels).sort().map(k => [k, labels[k]]));
}

/** What the engine evaluates a workload by: its namespace, pod labels and named ports. */
export function classKeyOf(w: Workload): string {
  let key = classKeys.get(w);
  if (key === undefined) classKeys.set(w, (key = `${w.object.namespace}\u0000${labelsKey(w.podLabels)}\u0000${portsKey(namedPortsOf(w))}`));
  return key;
}

/** Per workload view (kept while its file is unchanged): its class key. */
const classKeys = new WeakMap<Workload, string>();

/** The address sets of an ipBlock (`cidr` minus `except`); undefined if any CIDR is invalid. */
export function blockSets(block: IPBlock): BlockSets | undefined {
  if (!block.cidr) return undefined;
  // Read as the API server validated them (ParseCIDRSloppy: `010.0.0.0/8` is 10.0.0.0/8).
  const parsed = parseCIDR(block.cidr.value, 'legacy');
  if (!parsed.ok) return undefined;
  const excepts = [];
  for (const e of block.except) {
    const p = parseCIDR(e.value, 'legacy');
    if (!p.ok) return undefined;
    excepts.push(p.cidr);
  }
  const written = cidrMinus(parsed.cidr, excepts);
  if (!ipv4MappedReading(parsed.cidr) && !excepts.some(e => ipv4MappedReading(e))) return written;
  // IPv4-mapped values: as written (IPv6) or as Go reads them (IPv4, To4()); both may be in force.
  const go = cidrMinus(ipv4MappedReading(parsed.cidr) ?? parsed.cidr, excepts.map(e => ipv4MappedReading(e) ?? e));
  const v4 = written.v4.union(go.v4);
  const v6 = written.v6.union(go.v6);
  return { v4, v6, uncertain: { v4: v4.subtract(written.v4.intersect(go.v4)), v6: v6.subtract(written.v6.intersect(go.v6)) } };
}

function cidrMinus(cidr: CIDR, excepts: readonly CIDR[]): BlockSets {
  const set = IPIntervalSet.fromCIDR(cidr).subtract(IPIntervalSet.fromCIDRs(cidr.family, excepts));
  return cidr.family === 4
    ? { v4: set, v6: IPIntervalSet.empty(6) }
    : { v4: IPIntervalSet.empty(4), v6: set };
}

/** The set of `family` in a {@link BlockSets}. */
export function familySet(b: BlockSets, family: IPFamily): IPIntervalSet {
  return family === 4 ? b.v4 : b.v6;
}

/** Whether the block holds every address of `first..last`. */
export function blockContains(b: BlockSets, family: IPFamily, first: bigint, last: bigint): boolean {
  const s = familySet(b, family);
  return s.intersect(IPIntervalSet.fromRange(family, first, last)).size() === last - first + 1n;
}

/** The CIDRs of the pod networks as written (manifests, else the setting). */
function podNetworkTexts(ws: Workspace): string[] {
  const roles = new Set(['podSubnet', 'clusterCIDR', 'ipPool', 'nodePodCIDR']);
  const texts = ws.addresses.filter(a => roles.has(a.role)).map(a => a.value);
  return texts.length ? texts : [...ws.settings.podCIDRs];
}

function podNetworksOf(ws: Workspace): BlockSets {
  const texts = podNetworkTexts(ws);
  const cidrs = texts.map(t => parseCIDR(t)).flatMap(p => (p.ok ? [p.cidr] : []));
  return { v4: IPIntervalSet.fromCIDRs(4, cidrs), v6: IPIntervalSet.fromCIDRs(6, cidrs) };
}

function podOverlap(block: BlockSets | undefined, pods: BlockSets): PodOverlap {
  if (!block) return 'none';
  const known = !pods.v4.isEmpty() || !pods.v6.isEmpty();
  let all = false;
  let some = false;
  for (const family of [4, 6] as const) {
    const b = familySet(block, family);
    if (b.isEmpty()) continue;
    const p = familySet(pods, family);
    if (!known) {
      // Pod addresses unknown: only a block of the whole family surely holds them.
      some = true;
      if (b.equals(IPIntervalSet.all(family))) all = true;
      continue;
    }
    if (p.isEmpty()) continue;
    const inter = b.intersect(p);
    if (inter.isEmpty()) continue;
    some = true;
    if (inter.equals(p)) all = true;
  }
  // A block read differently by network plugins (IPv4-mapped values) surely holds nothing.
  return all && !block.uncertain ? 'all' : some ? 'may' : 'none';
}

/** Connections of a rule's ports that do not depend on the destination; undefined if a port is named. */
function fixedConnsOf(ports: readonly PolicyPort[] | undefined): ConnectionSet | undefined {
  if (!ports || ports.length === 0) return ConnectionSet.all();
  let out = ConnectionSet.none();
  for (const p of ports) {
    if (typeof p.port === 'string') return undefined;
    out = out.union(portEntryConns(p, undefined));
  }
  return out;
}

/**
 * The connections one `ports` entry allows toward a destination whose serving ports are `dstPorts`
 * (`undefined` for an address outside the cluster, where a named port matches nothing). An invalid
 * entry (unknown protocol, `endPort` below `port` or with a named port) allows nothing.
 */
export function portEntryConns(p: PolicyPort, dstPorts: readonly ContainerPort[] | undefined): ConnectionSet {
  const protocol = p.protocol;
  if (!protocol) return ConnectionSet.none();
  if (p.port === undefined) return ConnectionSet.protocol(protocol);
  if (typeof p.port === 'number') {
    const last = p.endPort ?? p.port;
    return last < p.port ? ConnectionSet.none() : ConnectionSet.ports(protocol, p.port, last);
  }
  if (p.endPort !== undefined || !dstPorts) return ConnectionSet.none();
  return namedPortConns(p.port, protocol, dstPorts);
}

/** The container ports named `name` with `protocol` (both must match), as a connection set. */
export function namedPortConns(name: string, protocol: Protocol, dstPorts: readonly ContainerPort[]): ConnectionSet {
  let out = ConnectionSet.none();
  for (const c of dstPorts) {
    if (c.name === name && (c.protocol ?? 'TCP') === protocol && c.containerPort !== undefined) {
      out = out.union(ConnectionSet.ports(protocol, c.containerPort));
    }
  }
  return out;
}

/** Connections a rule allows toward a destination with serving ports `dstPorts` (undefined: external). */
export function ruleConns(r: CompiledRule, dstPorts: readonly ContainerPort[] | undefined): ConnectionSet {
  if (r.fixedConns) return r.fixedConns;
  let out = ConnectionSet.none();
  for (const p of r.rule.ports ?? []) out = out.union(portEntryConns(p, dstPorts));
  return out;
}

function peerKind(p: PolicyPeer): CompiledPeer['kind'] {
  const hasSelector = p.podSelector !== undefined || p.namespaceSelector !== undefined;
  if (p.ipBlock) return hasSelector ? 'invalid' : 'ipBlock';
  return hasSelector ? 'selector' : 'invalid';
}

/**
 * Whether a selector peer of a policy in `policyNs` selects a pod in `ns` with `labels`:
 * podSelector and namespaceSelector in one peer are ANDed; a podSelector alone means the policy's
 * namespace; a namespaceSelector alone means every pod of the matching namespaces.
 */
export function selectorPeerMatches(
  p: PolicyPeer, policyNs: string, ns: string, labels: Readonly<Record<string, string>>, nsLabels: Readonly<Record<string, string>>,
): boolean {
  if (p.namespaceSelector) {
    if (!selectorMatches(p.namespaceSelector, nsLabels)) return false;
  } else if (ns !== policyNs) {
    return false;
  }
  return p.podSelector ? selectorMatches(p.podSelector, labels) : true;
}

/**
 * The model of the whole workspace, or of the workloads and policies of `scope`'s namespaces only
 * (namespace labels and pod networks still come from the whole workspace). A verdict between two
 * workloads depends only on the policies of their two namespaces, so a model scoped to those gives
 * the same verdict as the whole one, at the cost of those namespaces.
 */
function buildModel(ws: Workspace, reading: IPBlockReading, scope?: readonly string[]): Model {
  const peers = scope ? scopedPeers(ws, scope) : workloadPeers(ws);
  const namespaces = ws.namespaces;
  const nsLabelsOf = (ns: string) => namespaces.get(ns)?.labels ?? { [NAMESPACE_NAME_LABEL]: ns };
  const classes: PodClass[] = [];
  const classByKey = new Map<string, PodClass>();
  const classOfPeer: number[] = [];
  const portsIds = new Map<string, number>();
  const classesByNs = new Map<string, PodClass[]>();
  const networks = primaryNetworks(ws);
  peers.forEach((peer, i) => {
    const w = peer.ref.workload;
    const namespace = w.object.namespace;
    const ports = namedPortsOf(w);
    const pk = portsKey(ports);
    const key = classKeyOf(w);
    let c = classByKey.get(key);
    if (!c) {
      if (!portsIds.has(pk)) portsIds.set(pk, portsIds.size);
      c = {
        index: classes.length, namespace, labels: w.podLabels, namespaceLabels: nsLabelsOf(namespace), ports,
        portsId: portsIds.get(pk)!, peers: [], network: networks.get(namespace),
      };
      classes.push(c);
      classByKey.set(key, c);
      const list = classesByNs.get(namespace);
      if (list) list.push(c);
      else classesByNs.set(namespace, [c]);
    }
    c.peers.push(i);
    classOfPeer.push(c.index);
  });

  // Per generation: a whole-workspace pass builds hundreds of scoped models, each would scan every address.
  const podNetworks = ws.derived('policy:podNetworks', () => podNetworksOf(ws));
  const icNsLabels = { [NAMESPACE_NAME_LABEL]: INGRESS_CONTROLLER_NAMESPACE };
  // Peers repeat the same selectors across policies: each distinct peer is matched against the
  // classes once, and a namespaceSelector is tested once per namespace, not once per class.
  const selections = new Map<string, { classes: ReadonlySet<number>; ingressController: boolean }>();
  const selectionOf = (p: PolicyPeer, policyNs: string) => {
    const key = p.namespaceSelector
      ? `ns\u0000${selectorKey(p.namespaceSelector)}\u0000${p.podSelector ? selectorKey(p.podSelector) : ''}`
      : `pod\u0000${policyNs}\u0000${selectorKey(p.podSelector!)}`;
    let out = selections.get(key);
    if (out) return out;
    const selected: number[] = [];
    // A podSelector alone only reaches the policy's namespace: scan just that namespace.
    const namespacesToScan = p.namespaceSelector ? [...classesByNs.keys()] : [policyNs];
    for (const ns of namespacesToScan) {
      const inNs = classesByNs.get(ns) ?? [];
      if (p.namespaceSelector && inNs.length && !selectorMatches(p.namespaceSelector, inNs[0]!.namespaceLabels)) continue;
      for (const c of inNs) {
        if (selectorPeerMatches(p, policyNs, c.namespace, c.labels, c.namespaceLabels)) selected.push(c.index);
      }
    }
    out = {
      classes: new Set(selected.sort((a, b) => a - b)),
      ingressController: selectorPeerMatches(p, policyNs, INGRESS_CONTROLLER_NAMESPACE, {}, icNsLabels),
    };
    selections.set(key, out);
    return out;
  };
  const compilePeer = (p: PolicyPeer, policyNs: string): CompiledPeer => {
    const kind = peerKind(p);
    if (kind === 'selector') {
      const { classes: selected, ingressController } = selectionOf(p, policyNs);
      return { peer: p, kind, classes: selected, block: undefined, podOverlap: 'none', ingressController };
    }
    const block = kind === 'ipBlock' ? blockSets(p.ipBlock!) : undefined;
    return { peer: p, kind, classes: new Set(), ingressController: false, block, podOverlap: podOverlap(block, podNetworks) };
  };

  const sourceBlocks: IPRange[] = [];
  const destinationBlocks: IPRange[] = [];
  const policies: CompiledPolicy[] = [];
  const ingressPolicies: CompiledPolicy[][] = classes.map(() => []);
  const egressPolicies: CompiledPolicy[][] = classes.map(() => []);
  for (const policy of scope ? scope.flatMap(ns => ws.policiesIn(ns)) : ws.policies) {
    const namespace = policy.object.namespace;
    const selected = (classesByNs.get(namespace) ?? [])
      .filter(c => selectorMatches(policy.podSelector, c.labels))
      .map(c => c.index);
    const compileRules = (rules: readonly PolicyRule[] | undefined, direction: 'ingress' | 'egress', cuts: IPRange[]) =>
      (rules ?? []).map((rule): CompiledRule => {
        const compiled = (rule.peers ?? []).map(p => compilePeer(p, namespace));
        for (const c of compiled) {
          if (!c.block) continue;
          for (const sets of c.block.uncertain ? [c.block, c.block.uncertain] : [c.block]) {
            for (const family of [4, 6] as const) {
              for (const iv of familySet(sets, family).intervals()) cuts.push({ family, first: iv.first, last: iv.last });
            }
          }
        }
        return {
          policy, rule, direction, peers: compiled,
          allPeers: !rule.peers || rule.peers.length === 0,
          fixedConns: fixedConnsOf(rule.ports),
        };
      });
    const cp: CompiledPolicy = {
      policy, namespace, selected,
      ingress: compileRules(policy.ingress, 'ingress', sourceBlocks),
      egress: compileRules(policy.egress, 'egress', destinationBlocks),
    };
    policies.push(cp);
    for (const c of selected) {
      if (policy.isolatesIngress) ingressPolicies[c]!.push(cp);
      if (policy.isolatesEgress) egressPolicies[c]!.push(cp);
    }
  }
  const admin = compileAdmin(ws, classes, { namespace: INGRESS_CONTROLLER_NAMESPACE, labels: {}, namespaceLabels: icNsLabels });
  // np-guard's layout: the IPv6 space is listed when a NetworkPolicy ipBlock names IPv6. An admin
  // `networks` IPv6 CIDR then refines it (and decides those ranges like an IPv4 one), but alone adds
  // no IPv6 rows, as np-guard lists none for admin policies.
  const listsIPv6 = destinationBlocks.some(b => b.family === 6);
  destinationBlocks.push(...admin.destinationCuts.filter(c => c.family === 4 || listsIPv6));
  const cut = (blocks: IPRange[]): IPRange[] => {
    const out = splitByBoundaries(blocks, 4);
    if (blocks.some(b => b.family === 6)) out.push(...splitByBoundaries(blocks, 6));
    return out;
  };
  return {
    peers, classOfPeer, classes, policies, ingressPolicies, egressPolicies,
    sourceExternals: cut(sourceBlocks),
    destinationExternals: cut(destinationBlocks),
    podNetworks,
    ingressControllerNamespaceLabels: icNsLabels,
    reading,
    admin,
  };
}

/**
 * The compiled model for `reading` (default: the workspace setting), once per generation: kept
 * (rebased on the new workloads) when no namespace's policy inputs changed ({@link policyInputsOf}),
 * rebuilt otherwise.
 */
export function modelOf(ws: Workspace, reading: IPBlockReading = ws.settings.ipBlockReading): Model {
  return ws.derived(`policy:model:${reading}`, () => {
    let byReading = wholeModels.get(ws);
    if (!byReading) wholeModels.set(ws, (byReading = new Map()));
    const previous = byReading.get(reading);
    // A workspace asked once (the CLI) pays no fingerprint: the inputs are read from the second model on.
    if (!previous) {
      const model = buildModel(ws, reading);
      byReading.set(reading, { model });
      return model;
    }
    const namespaces = [...ws.namespaces.keys()].sort();
    const inputs = [globalInputs(ws, reading), ...namespaces.map(ns => policyInputsOf(ws, ns))];
    const key = namespaces.join('\u0000');
    const model = previous.namespaces === key && previous.inputs?.every((x, i) => samePolicyInputs(x, inputs[i]!))
      ? rebase(ws, previous.model, workloadPeers(ws))
      : buildModel(ws, reading);
    byReading.set(reading, { namespaces: key, inputs, model });
    return model;
  });
}

/** The last whole model per reading, with the inputs it was built from (from the second model on). */
const wholeModels = new WeakMap<Workspace, Map<IPBlockReading, { namespaces?: string; inputs?: readonly PolicyInputs[]; model: Model }>>();

/** The workload peers of some namespaces, exactly as {@link workloadPeers} groups and sorts them. */
function scopedPeers(ws: Workspace, namespaces: readonly string[]): WorkloadPeer[] {
  const peers = namespaces.flatMap(ns => namespacePeers(ws, ns));
  return namespaces.length > 1 ? peers.sort((a, b) => compareIds(a.ref.id, b.ref.id)) : peers;
}

/** Per namespace slice (kept until that namespace changes): its workload peers, by id order. */
const peersBySlice = new WeakMap<object, WorkloadPeer[]>();

/** The workload peers of one namespace; peer ids start with the namespace, so they never mix namespaces. */
export function namespacePeers(ws: Workspace, namespace: string): WorkloadPeer[] {
  const slice = ws.inNamespace(namespace);
  let peers = peersBySlice.get(slice);
  if (!peers) peersBySlice.set(slice, (peers = groupPeers(slice.workloads)));
  return peers;
}

/**
 * What the part of one namespace in a policy model reads: its workload peers with their pod labels
 * and named ports (`text`), and, compared by identity, its NetworkPolicies (their selectors, rules,
 * ports and ipBlocks), its labels and its primary network. Two models of namespaces whose inputs are
 * equal (and equal {@link GlobalInputs}) give the same verdicts, so an edit that changes none of them
 * (an env value, an image, a Service, a ConfigMap in the namespace) keeps the compiled model.
 */
export interface PolicyInputs {
  readonly text: string;
  readonly refs: readonly unknown[];
}

/** Per namespace slice (kept until that namespace changes): the slice's part of {@link PolicyInputs}. */
const sliceInputs = new WeakMap<object, PolicyInputs>();

/** The policy inputs of one namespace (see {@link PolicyInputs}); the slice's part is computed once per slice. */
export function policyInputsOf(ws: Workspace, namespace: string): PolicyInputs {
  const slice = ws.inNamespace(namespace);
  let own = sliceInputs.get(slice);
  if (!own) {
    const text = namespacePeers(ws, namespace).map(p => `${p.ref.id}\u0001${classKeyOf(p.ref.workload)}`).join('\u0002');
    sliceInputs.set(slice, (own = { text, refs: slice.policies }));
  }
  const labels = ws.namespaces.get(namespace)?.labels;
  const network = primaryNetworks(ws).get(namespace);
  return {
    text: `${own.text}\u0003${labels ? labelsKey(labels) : ''}\u0003${network ? `${network.kind}:${network.name}` : ''}`,
    refs: [...own.refs, network?.view],
  };
}

/** Whether two {@link PolicyInputs} are the same: equal text, the same objects. */
export function samePolicyInputs(a: PolicyInputs, b: PolicyInputs): boolean {
  return a.text === b.text && a.refs.length === b.refs.length && a.refs.every((r, i) => r === b.refs[i]);
}

/**
 * What every namespace's part of a model reads beside its own inputs: the ipBlock reading, the pod
 * networks and the cluster-wide tiers (admin policies, compared by identity: the index keeps their
 * list while no file with one changes).
 */
function globalInputs(ws: Workspace, reading: IPBlockReading): PolicyInputs {
  return ws.derived(`policy:inputs:${reading}`, () => ({
    text: JSON.stringify([reading, ws.derived('policy:podNetworkTexts', () => podNetworkTexts(ws))]),
    refs: [...adminPolicies(ws)],
  }));
}

/**
 * `m` with the peers and classes of the current workspace: the same model as a build, for a
 * workspace whose policy inputs equal those `m` was built from (peer ids, classes and the compiled
 * policies are the same; only the workload objects are new). The compiled parts are shared.
 */
function rebase(ws: Workspace, m: Model, peers: readonly WorkloadPeer[]): Model {
  const namespaces = ws.namespaces;
  const networks = primaryNetworks(ws);
  const classes = m.classes.map((c): PodClass => {
    const w = peers[c.peers[0]!]!.ref.workload;
    if (w === m.peers[c.peers[0]!]!.ref.workload && c.network === networks.get(c.namespace)
      && c.namespaceLabels === (namespaces.get(c.namespace)?.labels ?? c.namespaceLabels)) return c;
    return {
      ...c, labels: w.podLabels, ports: namedPortsOf(w),
      namespaceLabels: namespaces.get(c.namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: c.namespace },
      network: networks.get(c.namespace),
    };
  });
  return { ...m, peers, classes };
}

/**
 * Whether `b` is `a` or `a` kept across edits that changed no policy input (the same compiled
 * policies, peers and classes by id): every verdict of `a` holds in `b`.
 */
export function sameCompiledModel(a: Model, b: Model): boolean {
  return a === b || (a.policies === b.policies && a.admin === b.admin);
}

interface ScopedEntry {
  readonly slices: readonly object[];
  readonly inputs: readonly PolicyInputs[];
  readonly model: Model;
}
const scopedModels = new WeakMap<Workspace, Map<string, ScopedEntry>>();

/**
 * The model of the workloads and policies of `namespaces` (one or two, or a few), kept across edits:
 * the same object while no file with objects in them changes (nor their labels, the pod networks,
 * the admin policies or the settings); rebased on the new workload objects, its compiled part kept,
 * when an edit in them changes no policy input ({@link policyInputsOf}); rebuilt otherwise.
 */
export function scopedModelOf(ws: Workspace, namespaces: readonly string[], reading: IPBlockReading = ws.settings.ipBlockReading): Model {
  // A whole-workspace pass (checkWorkspace) asks for a model per pair of namespaces: past about as
  // many builds as the whole model costs, the whole model (same verdicts) serves the rest of the
  // generation, so a full analysis costs one model, not one per pair. A keystroke builds a few.
  const state = ws.derived(`policy:scoped:${reading}`, () => ({ builds: 0, whole: false }));
  if (state.whole || wholePasses.get(ws) === ws.generation || state.builds >= Math.max(8, ws.namespaces.size / 2)) {
    if (!state.whole) {
      state.whole = true;
      // The pair models of this pass are not needed again: the next edit asks for a few, rebuilt then.
      scopedModels.get(ws)?.clear();
    }
    return modelOf(ws, reading);
  }
  // Asked per pair of workloads: once per generation and scope, the checks below.
  const asked = ws.derived(`policy:scoped:asked:${reading}`, () => new Map<string, Model>());
  const askedKey = namespaces.join('\u0000');
  const known = asked.get(askedKey);
  if (known) return known;
  const model = keptOrBuilt(ws, namespaces, reading, state);
  asked.set(askedKey, model);
  return model;
}

/** Workspaces in a pass over every file, with the generation the pass reads. */
const wholePasses = new WeakMap<Workspace, number>();

/**
 * Says that every file of `ws` is about to be checked (a full analysis): the questions about pairs
 * of namespaces are answered by the whole model from the first one (same verdicts), not by pair
 * models until they cost about as much. For this generation only: the next edit asks for a few.
 */
export function wholeWorkspacePass(ws: Workspace): void {
  wholePasses.set(ws, ws.generation);
}

function keptOrBuilt(ws: Workspace, namespaces: readonly string[], reading: IPBlockReading, state: { builds: number }): Model {
  const scope = [...new Set(namespaces)].sort();
  const slices = scope.map(ns => ws.inNamespace(ns));
  const inputs = [globalInputs(ws, reading), ...scope.map(ns => policyInputsOf(ws, ns))];
  let models = scopedModels.get(ws);
  if (!models) scopedModels.set(ws, (models = new Map()));
  const id = `${reading}\u0000${scope.join('\u0000')}`;
  const cached = models.get(id);
  if (cached && cached.inputs.every((x, i) => samePolicyInputs(x, inputs[i]!))) {
    if (cached.slices.every((s, i) => s === slices[i])) return cached.model;
    const model = rebase(ws, cached.model, scopedPeers(ws, scope));
    models.set(id, { slices, inputs, model });
    return model;
  }
  const model = buildModel(ws, reading, scope);
  state.builds++;
  // Bounded: pairs of namespaces seen long ago are rebuilt when asked again.
  if (models.size >= 4096) models.clear();
  models.set(id, { slices, inputs, model });
  return model;
}
