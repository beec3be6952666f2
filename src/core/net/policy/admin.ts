/**
 * The cluster-wide tiers of the network-policy-api, evaluated per direction as the API specifies
 * (and np-guard computes): the admin tier (AdminNetworkPolicy, ClusterNetworkPolicy `Admin`) by
 * priority, lower first, rules in written order, the first rule matching the peer and port decides
 * (`Allow`/`Accept` allows, `Deny` denies, `Pass` skips the rest of the tier); then the namespace
 * NetworkPolicies when one isolates the pod for that direction (they decide alone); then the
 * baseline tier (BaselineAdminNetworkPolicy `default`, ClusterNetworkPolicy `Baseline`) the same way;
 * then allowed. Each port is decided separately, so every step works on connection sets.
 *
 * Readings shared with np-guard (documented in docs/policy-engine.md): a `networks` peer matches
 * only addresses outside the cluster; `nodes` peers match nothing; a named port is resolved on the
 * destination pod (by name only: the container port gives the protocol) and matches nothing toward
 * an address; `domainNames` (v1alpha2) cannot be resolved offline and match nothing (explanations
 * and the CLI say so). IPv6 `networks` CIDRs are evaluated like IPv4 ones on every IPv6 range the
 * report lists (np-guard ignores them; the list shows IPv6 ranges only when a NetworkPolicy ipBlock
 * names IPv6, as np-guard's does).
 *
 * Over 400 lines: the tiered decision is one algorithm (compile the admin rules, run a tier on
 * port ranges, combine it with the NetworkPolicy verdict); its steps share the compiled rule form.
 */
import { firstRangeFrom, IPIntervalSet, parseCIDR, type IPRange } from '../ip';
import { type AdminAction, type AdminPeer, type AdminPolicy, type AdminPort, type AdminRule } from '../../parse/admin';
import type { ContainerPort } from '../../parse/views/workload';
import { selectorKey, selectorMatches, type Labels } from '../selectors';
import type { Workspace } from '../../workspace';
import { ConnectionSet, MAX_PORT, MIN_PORT } from './connections';

export type { AdminAction, AdminPolicy, AdminRule } from '../../parse/admin';

/**
 * The network-policy-api policies of the workspace, in workspace order; cached per generation and
 * kept across changes to files that have none (see {@link Workspace.collected}).
 */
export function adminPolicies(ws: Workspace): readonly AdminPolicy[] {
  return ws.collected('policy:admin:views', e => e.adminPolicies);
}

/** What a class looks like to a selector: namespace, its labels, the pod labels. */
export interface SelectTarget {
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
}

export interface CompiledAdminPeer {
  readonly peer: AdminPeer;
  /** `pods`: namespaces/pods selectors; `networks`; `ignored`: nodes or domainNames; `invalid`: not exactly one field. */
  readonly kind: 'pods' | 'networks' | 'ignored' | 'invalid';
  readonly classes: ReadonlySet<number>;
  readonly ingressController: boolean;
  /** IPv4 addresses of `networks`. */
  readonly block: IPIntervalSet | undefined;
  /** IPv6 addresses of `networks` (undefined exactly when `block` is). */
  readonly block6: IPIntervalSet | undefined;
}

export interface CompiledAdminRule {
  readonly policy: AdminPolicy;
  readonly rule: AdminRule;
  readonly direction: 'ingress' | 'egress';
  readonly action: AdminAction | undefined;
  readonly peers: readonly CompiledAdminPeer[];
  /** Connections when no port is named; undefined when a named port makes them depend on the destination. */
  readonly fixedConns: ConnectionSet | undefined;
  /** With a named port: the connections per destination's port list, built on first use. */
  byPorts?: WeakMap<readonly ContainerPort[], ConnectionSet>;
}

export interface CompiledAdminPolicy {
  readonly policy: AdminPolicy;
  readonly selected: ReadonlySet<number>;
  readonly ingress: readonly CompiledAdminRule[];
  readonly egress: readonly CompiledAdminRule[];
  /**
   * The model's {@link AdminModel.matchClass} and, per peer class set, the match classes it holds
   * (set once the model is compiled): rules are indexed by match class, not by pod class.
   */
  match?: { readonly of: readonly number[]; readonly ofSet: ReadonlyMap<ReadonlySet<number>, readonly number[]> };
  /** Per direction, built on first use: the rules (in order) whose peers match each match class. */
  byClass?: {
    ingress?: Map<number, CompiledAdminRule[]>; egress?: Map<number, CompiledAdminRule[]>;
    networks?: { ingress: CompiledAdminRule[]; egress: CompiledAdminRule[] };
  };
}

/** The rules of `cp` in `direction` that may match an endpoint: for a pod class, only those whose peers select it. */
function candidateRules(cp: CompiledAdminPolicy, direction: 'ingress' | 'egress', other: AdminEndpoint): readonly CompiledAdminRule[] {
  const rules = direction === 'ingress' ? cp.ingress : cp.egress;
  const cache = (cp.byClass ??= {});
  // Only `networks` peers match an address, only selector peers the ingress controller.
  if (other.kind === 'ip') return (cache.networks ??= { ingress: [], egress: cp.egress.filter(r => r.peers.some(p => p.kind === 'networks' && p.block)) })[direction];
  if (other.kind === 'ingress-controller') return rules.filter(r => r.peers.some(p => p.ingressController));
  // Classes of one match class are selected by exactly the same peers: one list per match class.
  const match = cp.match!;
  let index = cache[direction];
  if (!index) {
    index = new Map();
    for (const r of rules) {
      for (const p of r.peers) {
        for (const mc of match.ofSet.get(p.classes) ?? NO_CLASSES) {
          const list = index.get(mc);
          if (!list) index.set(mc, [r]);
          else if (list[list.length - 1] !== r) list.push(r);
        }
      }
    }
    cache[direction] = index;
  }
  return index.get(match.of[other.cls]!) ?? NO_RULES;
}

const NO_CLASSES: readonly number[] = [];
const NO_RULES: readonly CompiledAdminRule[] = [];

export interface AdminModel {
  /** Admin tier, in evaluation order (priority, then name). */
  readonly admin: readonly CompiledAdminPolicy[];
  /** Baseline tier, in evaluation order. */
  readonly baseline: readonly CompiledAdminPolicy[];
  /** Per class and direction: the admin / baseline policies whose subject selects it and that have rules in that direction. */
  readonly adminIngress: ReadonlyArray<readonly CompiledAdminPolicy[]>;
  readonly adminEgress: ReadonlyArray<readonly CompiledAdminPolicy[]>;
  readonly baselineIngress: ReadonlyArray<readonly CompiledAdminPolicy[]>;
  readonly baselineEgress: ReadonlyArray<readonly CompiledAdminPolicy[]>;
  /** Intervals of every egress `networks` CIDR, IPv4 and IPv6 (the external destinations are cut at them). */
  readonly destinationCuts: readonly IPRange[];
  /** Whether any policy of either tier exists. */
  readonly any: boolean;
  /**
   * Per pod class: an id shared by the classes that exactly the same admin and baseline rule peers
   * match. The tiers treat classes with one id alike as the other endpoint (up to named ports).
   */
  readonly matchClass: readonly number[];
  readonly matchClasses: number;
}

/** Whether a subject or a `namespaces`/`pods` peer selects `t`. */
export function adminPeerSelects(p: AdminPeer, t: SelectTarget): boolean {
  if (p.fieldCount !== 1) return false;
  if (p.namespaces) return selectorMatches(p.namespaces, t.namespaceLabels);
  if (p.pods) return selectorMatches(p.pods.namespaceSelector, t.namespaceLabels) && selectorMatches(p.pods.podSelector, t.labels);
  return false;
}

/** Order of the admin tier: priority, then name (two policies with one priority are ambiguous; a rule says so). */
export function adminOrder(a: AdminPolicy, b: AdminPolicy): number {
  const pa = a.tier === 'baseline' && a.kind === 'BaselineAdminNetworkPolicy' ? Infinity : a.priority?.value ?? Infinity;
  const pb = b.tier === 'baseline' && b.kind === 'BaselineAdminNetworkPolicy' ? Infinity : b.priority?.value ?? Infinity;
  return pa - pb || (a.object.name < b.object.name ? -1 : a.object.name > b.object.name ? 1 : 0);
}

/** The IPv4 and IPv6 sets of a `networks` list, or undefined if a CIDR is unreadable. */
function networksSet(networks: readonly { value: string }[]): { v4: IPIntervalSet; v6: IPIntervalSet } | undefined {
  let v4 = IPIntervalSet.empty(4);
  let v6 = IPIntervalSet.empty(6);
  for (const n of networks) {
    const p = parseCIDR(n.value);
    if (!p.ok) return undefined;
    if (p.cidr.family === 4) v4 = v4.union(IPIntervalSet.fromCIDR(p.cidr));
    else v6 = v6.union(IPIntervalSet.fromCIDR(p.cidr));
  }
  return { v4, v6 };
}

/** Connections of one port entry toward a destination with `dstPorts` (undefined: an address). */
export function adminPortConns(p: AdminPort, dstPorts: readonly ContainerPort[] | undefined): ConnectionSet {
  switch (p.kind) {
    case 'invalid': return ConnectionSet.none();
    case 'number': {
      if (!p.protocol || !p.port) return ConnectionSet.none();
      return ConnectionSet.ports(p.protocol, p.port.value);
    }
    case 'range': {
      if (!p.protocol) return ConnectionSet.none();
      if (!p.start && !p.end) return ConnectionSet.protocol(p.protocol);
      const start = p.start?.value ?? MIN_PORT;
      const end = p.end?.value ?? MAX_PORT;
      return start > end || start < MIN_PORT || end > MAX_PORT ? ConnectionSet.none() : ConnectionSet.ports(p.protocol, start, end);
    }
    case 'named': {
      // As FindPort (and np-guard's ConvertPodNamedPort): the first container port with that name,
      // containers before native sidecars; its protocol is the port's.
      if (!dstPorts || !p.name) return ConnectionSet.none();
      const c = dstPorts.find(x => x.name === p.name!.value);
      return c?.containerPort !== undefined ? ConnectionSet.ports(c.protocol ?? 'TCP', c.containerPort) : ConnectionSet.none();
    }
  }
}

/** The connections a rule's ports cover toward a destination with `dstPorts`. */
export function adminRuleConns(r: CompiledAdminRule, dstPorts: readonly ContainerPort[] | undefined): ConnectionSet {
  if (r.fixedConns) return r.fixedConns;
  // A named port resolves per destination: kept per destination's ports (a class's list), once.
  const memo = dstPorts ? (r.byPorts ??= new WeakMap()) : undefined;
  let out = memo?.get(dstPorts!);
  if (out) return out;
  out = ConnectionSet.none();
  for (const p of r.rule.ports ?? []) out = out.union(adminPortConns(p, dstPorts));
  memo?.set(dstPorts!, out);
  return out;
}

function fixedConnsOf(ports: readonly AdminPort[] | undefined): ConnectionSet | undefined {
  if (ports === undefined) return ConnectionSet.all();
  let out = ConnectionSet.none();
  for (const p of ports) {
    if (p.kind === 'named') return undefined;
    out = out.union(adminPortConns(p, undefined));
  }
  return out;
}

/** Compiles the cluster-wide tiers against the model's classes. */
export function compileAdmin(
  ws: Workspace, classes: readonly SelectTarget[], ingressController: SelectTarget,
): AdminModel {
  const views = adminPolicies(ws);
  const C = classes.length;
  const empty = () => Array.from({ length: C }, () => [] as CompiledAdminPolicy[]);
  const model = {
    admin: [] as CompiledAdminPolicy[], baseline: [] as CompiledAdminPolicy[],
    adminIngress: empty(), adminEgress: empty(), baselineIngress: empty(), baselineEgress: empty(),
    destinationCuts: [] as IPRange[], any: views.length > 0,
    matchClass: classes.map(() => 0), matchClasses: 1,
  };
  if (views.length === 0) return model;
  // Peers repeat the same selectors across rules and policies: each distinct one is matched once,
  // its namespace selector once per namespace (the classes of a namespace share its labels).
  const byNamespace = new Map<string, number[]>();
  classes.forEach((c, i) => {
    const list = byNamespace.get(c.namespace);
    if (list) list.push(i);
    else byNamespace.set(c.namespace, [i]);
  });
  const selectCache = new Map<string, { classes: Set<number>; ic: boolean }>();
  const selectAll = (p: AdminPeer) => {
    const key = `${p.fieldCount}\u0000${p.namespaces ? selectorKey(p.namespaces) : ''}\u0000${
      p.pods ? `${selectorKey(p.pods.namespaceSelector)}\u0000${selectorKey(p.pods.podSelector)}` : '-'}`;
    let hit = selectCache.get(key);
    if (!hit) {
      const selected: number[] = [];
      const namespaceSelector = p.namespaces ?? p.pods?.namespaceSelector;
      if (p.fieldCount === 1 && namespaceSelector) {
        for (const list of byNamespace.values()) {
          if (!selectorMatches(namespaceSelector, classes[list[0]!]!.namespaceLabels)) continue;
          for (const i of list) if (!p.pods || selectorMatches(p.pods.podSelector, classes[i]!.labels)) selected.push(i);
        }
      }
      selectCache.set(key, (hit = { classes: new Set(selected.sort((a, b) => a - b)), ic: adminPeerSelects(p, ingressController) }));
    }
    return hit;
  };
  const compilePeer = (p: AdminPeer): CompiledAdminPeer => {
    const none = { block: undefined, block6: undefined };
    if (p.fieldCount !== 1) return { peer: p, kind: 'invalid', classes: new Set(), ingressController: false, ...none };
    if (p.namespaces || p.pods) {
      const s = selectAll(p);
      return { peer: p, kind: 'pods', classes: s.classes, ingressController: s.ic, ...none };
    }
    if (p.networks) {
      const sets = networksSet(p.networks);
      for (const set of sets ? [sets.v4, sets.v6] : []) {
        for (const iv of set.intervals()) model.destinationCuts.push({ family: set.family, first: iv.first, last: iv.last });
      }
      return { peer: p, kind: 'networks', classes: new Set(), ingressController: false, block: sets?.v4, block6: sets?.v6 };
    }
    return { peer: p, kind: 'ignored', classes: new Set(), ingressController: false, ...none };
  };
  const compileRules = (policy: AdminPolicy, rules: readonly AdminRule[]): CompiledAdminRule[] =>
    rules.map(rule => ({
      policy, rule, direction: rule.direction, action: rule.actionValue,
      peers: (rule.peers ?? []).map(compilePeer),
      fixedConns: fixedConnsOf(rule.ports),
    }));
  const sorted = [...views].sort(adminOrder);
  for (const policy of sorted) {
    const selected = policy.subject ? selectAll(policy.subject).classes : new Set<number>();
    const cp: CompiledAdminPolicy = { policy, selected, ingress: compileRules(policy, policy.ingress), egress: compileRules(policy, policy.egress) };
    const baseline = policy.tier === 'baseline';
    (baseline ? model.baseline : model.admin).push(cp);
    for (const c of selected) {
      if (cp.ingress.length) (baseline ? model.baselineIngress : model.adminIngress)[c]!.push(cp);
      if (cp.egress.length) (baseline ? model.baselineEgress : model.adminEgress)[c]!.push(cp);
    }
  }
  // Classes matched by the same peers (peers sharing a selector share one class set) are alike.
  const rulesOf = classes.map(() => [] as number[]);
  const setIds = new Map<ReadonlySet<number>, number>();
  for (const cp of [...model.admin, ...model.baseline]) {
    for (const r of [...cp.ingress, ...cp.egress]) {
      for (const p of r.peers) {
        if (p.kind !== 'pods' || setIds.has(p.classes)) continue;
        const id = setIds.size;
        setIds.set(p.classes, id);
        for (const c of p.classes) rulesOf[c]!.push(id);
      }
    }
  }
  const ids = new Map<string, number>();
  model.matchClass = rulesOf.map(list => {
    const key = list.join(',');
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  });
  model.matchClasses = ids.size;
  const ofSet = new Map<ReadonlySet<number>, number[]>();
  for (const set of setIds.keys()) ofSet.set(set, [...new Set([...set].map(c => model.matchClass[c]!))]);
  const match = { of: model.matchClass, ofSet };
  for (const cp of [...model.admin, ...model.baseline]) cp.match = match;
  return model;
}

/**
 * The admin or baseline tier over every external range at once (ranges refine every `networks`
 * boundary, so each lies wholly inside or outside a block): per range what is allowed and what is
 * left for the next tier, starting from `start`. Only egress rules with `networks` match addresses.
 */
export function runTierOnRanges(
  policies: readonly CompiledAdminPolicy[], ranges: readonly IPRange[], start: readonly ConnectionSet[],
): { allowed: ConnectionSet[]; rest: ConnectionSet[] } {
  const rest = [...start];
  const allowed = new Array<ConnectionSet>(ranges.length).fill(ConnectionSet.none());
  const passed = new Array<ConnectionSet>(ranges.length).fill(ConnectionSet.none());
  // A range two peers (or intervals) of one rule both hold is decided once: stamped with the rule's number.
  const seen = new Int32Array(ranges.length);
  let stamp = 0;
  for (const cp of policies) {
    for (const r of candidateRules(cp, 'egress', { kind: 'ip', family: 4, first: 0n, last: 0n })) {
      if (!r.action) continue;
      const conns = adminRuleConns(r, undefined);
      if (conns.isEmpty()) continue;
      stamp++;
      for (const p of r.peers) {
        if (p.kind !== 'networks' || !p.block || !p.block6) continue;
        for (const set of [p.block, p.block6]) {
          for (const iv of set.intervals()) {
            for (let i = firstRangeFrom(ranges, set.family, iv.first); i < ranges.length; i++) {
              const e = ranges[i]!;
              if (e.family !== set.family || e.first > iv.last) break;
              if (seen[i] === stamp) continue;
              seen[i] = stamp;
              const c = conns.intersect(rest[i]!);
              if (c.isEmpty()) continue;
              if (r.action === 'Allow') allowed[i] = allowed[i]!.union(c);
              else if (r.action === 'Pass') passed[i] = passed[i]!.union(c);
              rest[i] = rest[i]!.subtract(c);
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < rest.length; i++) rest[i] = rest[i]!.union(passed[i]!);
  return { allowed, rest };
}

/** The other endpoint of a direction, as admin rules see it. */
export type AdminEndpoint =
  | { readonly kind: 'pod'; readonly cls: number }
  | { readonly kind: 'ip'; readonly family: 4 | 6; readonly first: bigint; readonly last: bigint }
  | { readonly kind: 'ingress-controller' };

/** Whether a compiled rule's peers match the other endpoint (ingress rules never match an address). */
export function adminRuleMatches(r: CompiledAdminRule, e: AdminEndpoint): boolean {
  for (const p of r.peers) {
    switch (e.kind) {
      case 'pod': if (p.kind === 'pods' && p.classes.has(e.cls)) return true; break;
      case 'ingress-controller': if (p.kind === 'pods' && p.ingressController) return true; break;
      case 'ip':
        if (p.kind === 'networks' && p.block && r.direction === 'egress' && blockHolds(p, e.family, e.first, e.last)) return true;
        break;
    }
  }
  return false;
}

/** Whether a `networks` peer holds every address of `first..last` of `family` (binary search over its intervals). */
function blockHolds(p: CompiledAdminPeer, family: 4 | 6, first: bigint, last: bigint): boolean {
  const ivs = (family === 4 ? p.block : p.block6)?.intervals() ?? [];
  let lo = 0;
  let hi = ivs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const iv = ivs[mid]!;
    if (iv.last < first) lo = mid + 1;
    else if (iv.first > first) hi = mid - 1;
    else return last <= iv.last;
  }
  return false;
}

/** One rule that decided part of a connection. */
export interface AdminDecision {
  readonly policy: AdminPolicy;
  readonly rule: AdminRule;
  readonly action: AdminAction;
  /** The connections this rule decided (what earlier rules left undecided). */
  readonly conns: ConnectionSet;
}

/** What one tier decided for one direction. */
export interface TierResult {
  readonly allowed: ConnectionSet;
  readonly denied: ConnectionSet;
  /** Passed, or matched by no rule: what the next tier decides. */
  readonly rest: ConnectionSet;
  readonly decisions: readonly AdminDecision[];
}

/** Runs one tier's policies (already filtered to those selecting the subject) against the other endpoint. */
export function runTier(
  policies: readonly CompiledAdminPolicy[], direction: 'ingress' | 'egress', other: AdminEndpoint,
  dstPorts: readonly ContainerPort[] | undefined, start: ConnectionSet = ConnectionSet.all(),
  /** False: leave `decisions` empty (the connectivity report asks only for the sets, per class pair). */
  record = true,
): TierResult {
  let rest = start;
  let allowed = ConnectionSet.none();
  let denied = ConnectionSet.none();
  let passed = ConnectionSet.none();
  const decisions: AdminDecision[] = [];
  outer: for (const cp of policies) {
    // A pod class's candidates are exactly the rules whose peers select it: no second match.
    for (const r of candidateRules(cp, direction, other)) {
      if (!r.action || (other.kind !== 'pod' && !adminRuleMatches(r, other))) continue;
      const c = adminRuleConns(r, dstPorts).intersect(rest);
      if (c.isEmpty()) continue;
      if (record) decisions.push({ policy: cp.policy, rule: r.rule, action: r.action, conns: c });
      if (r.action === 'Allow') allowed = allowed.union(c);
      else if (r.action === 'Deny') denied = denied.union(c);
      else passed = passed.union(c);
      rest = rest.subtract(c);
      if (rest.isEmpty()) break outer;
    }
  }
  return { allowed, denied, rest: rest.union(passed), decisions };
}

/** Evaluates a direction through every tier; `netpol` is what NetworkPolicies allow, undefined when none isolates the pod. */
export interface TieredVerdict {
  readonly conns: ConnectionSet;
  readonly admin: TierResult | undefined;
  readonly baseline: TierResult | undefined;
  /** The part the NetworkPolicy tier decided (allowed or denied), when it isolates the pod. */
  readonly networkPolicyDecided: ConnectionSet;
  /** The part no tier decided: allowed by default. */
  readonly defaultAllowed: ConnectionSet;
}

export function tieredVerdict(
  m: AdminModel, direction: 'ingress' | 'egress', subjectCls: number, other: AdminEndpoint,
  dstPorts: readonly ContainerPort[] | undefined, netpol: ConnectionSet | undefined,
): TieredVerdict {
  const adminPolicies = (direction === 'ingress' ? m.adminIngress : m.adminEgress)[subjectCls]!;
  const admin = adminPolicies.length ? runTier(adminPolicies, direction, other, dstPorts) : undefined;
  const rest = admin ? admin.rest : ConnectionSet.all();
  const fromAdmin = admin ? admin.allowed : ConnectionSet.none();
  if (netpol) {
    return { conns: fromAdmin.union(rest.intersect(netpol)), admin, baseline: undefined, networkPolicyDecided: rest, defaultAllowed: ConnectionSet.none() };
  }
  const basePolicies = (direction === 'ingress' ? m.baselineIngress : m.baselineEgress)[subjectCls]!;
  const baseline = basePolicies.length && !rest.isEmpty() ? runTier(basePolicies, direction, other, dstPorts, rest) : undefined;
  const after = baseline ? baseline.rest : rest;
  return {
    conns: fromAdmin.union(baseline ? baseline.allowed : ConnectionSet.none()).union(after),
    admin, baseline, networkPolicyDecided: ConnectionSet.none(), defaultAllowed: after,
  };
}

/** Whether admin or baseline policies select the class for the direction (the tiers can change its verdicts). */
export function tiersApply(m: AdminModel, direction: 'ingress' | 'egress', cls: number): boolean {
  return direction === 'ingress'
    ? m.adminIngress[cls]!.length > 0 || m.baselineIngress[cls]!.length > 0
    : m.adminEgress[cls]!.length > 0 || m.baselineEgress[cls]!.length > 0;
}

/** The admin tier in evaluation order (cached per generation). */
export function adminTierPolicies(ws: Workspace): readonly AdminPolicy[] {
  return ws.derived('policy:admin:tier', () => adminPolicies(ws).filter(p => p.tier === 'admin').sort(adminOrder));
}

/**
 * The first admin-tier rule deciding `protocol`/`port` from pods like `subject` toward a pod like
 * `other` (egress) or from it (ingress), evaluated on the manifests (no compiled model): a pod that
 * need not exist in the workspace, such as the cluster DNS. `uncertain` when a `networks` peer is
 * reached first (the API also matches pod addresses against it); undefined when no rule decides.
 */
export function firstAdminDecision(
  ws: Workspace, subject: SelectTarget, direction: 'ingress' | 'egress', other: SelectTarget,
  dstPorts: readonly ContainerPort[], protocol: 'TCP' | 'UDP' | 'SCTP', port: number,
): { policy: AdminPolicy; rule: AdminRule; action: AdminAction } | 'uncertain' | undefined {
  for (const p of adminTierPolicies(ws)) {
    if (!p.subject || !adminPeerSelects(p.subject, subject)) continue;
    for (const r of direction === 'ingress' ? p.ingress : p.egress) {
      if (!r.actionValue) continue;
      const peers = r.peers ?? [];
      const matches = peers.some(x => adminPeerSelects(x, other));
      if (!matches) {
        if (direction === 'egress' && peers.some(x => x.networks?.length)) return 'uncertain';
        continue;
      }
      const conns = r.ports === undefined ? ConnectionSet.all() : r.ports.reduce((c, x) => c.union(adminPortConns(x, dstPorts)), ConnectionSet.none());
      if (conns.allows(protocol, port)) return { policy: p, rule: r, action: r.actionValue };
    }
  }
  return undefined;
}

/** A rule whose `nodes` or `domainNames` peer cannot be evaluated offline. */
export interface UnevaluatedAdminRule {
  readonly policy: AdminPolicy;
  readonly rule: AdminRule;
  readonly peer: 'nodes' | 'domainNames';
}

/** Which kind of peer of `r` is not evaluated, if any. */
function unevaluatedPeer(r: CompiledAdminRule): 'nodes' | 'domainNames' | undefined {
  const p = r.peers.find(x => x.kind === 'ignored');
  return p ? (p.peer.nodes ? 'nodes' : 'domainNames') : undefined;
}

/**
 * The egress rules with a `nodes` or `domainNames` peer that are reached, for some connection not yet
 * decided by an earlier rule, on the way from pod class `subject` to the address `other` (admin tier,
 * then the baseline tier when no NetworkPolicy isolates the pod's egress). Node addresses and the
 * answers for domain names are not in the workspace: such a rule may decide those connections for
 * some of these addresses, so the verdict toward them is not sure. Pod destinations are never node
 * addresses or external names (host-network pods are left to the CNI elsewhere), so only addresses ask.
 */
export function unevaluatedRulesToward(
  m: AdminModel, subject: number, other: AdminEndpoint & { kind: 'ip' }, egressIsolated: boolean,
): UnevaluatedAdminRule[] {
  const out: UnevaluatedAdminRule[] = [];
  const walk = (policies: readonly CompiledAdminPolicy[], start: ConnectionSet): ConnectionSet => {
    let rest = start;
    let passed = ConnectionSet.none();
    for (const cp of policies) {
      for (const r of cp.egress) {
        if (!r.action || rest.isEmpty()) continue;
        const conns = adminRuleConns(r, undefined);
        const peer = unevaluatedPeer(r);
        if (peer && !conns.intersect(rest).isEmpty()) out.push({ policy: cp.policy, rule: r.rule, peer });
        if (!adminRuleMatches(r, other)) continue;
        const c = conns.intersect(rest);
        if (r.action === 'Pass') passed = passed.union(c);
        rest = rest.subtract(c);
      }
    }
    return rest.union(passed);
  };
  const rest = walk(m.adminEgress[subject] ?? [], ConnectionSet.all());
  if (!egressIsolated && !rest.isEmpty()) walk(m.baselineEgress[subject] ?? [], rest);
  return out;
}

/** Every rule of the workspace's cluster-wide policies with a `nodes` or `domainNames` peer (in evaluation order). */
export function unevaluatedAdminRules(m: AdminModel): UnevaluatedAdminRule[] {
  return [...m.admin, ...m.baseline].flatMap(cp => [...cp.ingress, ...cp.egress].flatMap(r => {
    const peer = r.action ? unevaluatedPeer(r) : undefined;
    return peer ? [{ policy: cp.policy, rule: r.rule, peer }] : [];
  }));
}

