/**
 * Why a connection is allowed or denied, port by port: for each direction (egress at the source,
 * ingress at the destination) and each protocol, the port space is cut into segments that share a
 * verdict and the list of deciding rules. This is the explanation object every front end reads
 * (`connectivity --explain`, diagram edge hovers, diagnostics); `format-explain.ts` renders it in
 * np-guard's `list --explain` layout.
 *
 * Combination follows np-guard's explainability semantics (netpol-analyzer, pkg/netpol/eval):
 * - within one NetworkPolicy, rules are read in order; at each port the first rule that allows it
 *   decides, and where none allows, the first rule that selects the peer says why not;
 * - across the NetworkPolicies isolating a pod, every policy that allows a port is listed, and where
 *   none allows it every policy says why not;
 * - a direction no policy captures is decided by the system default (allow all);
 * - egress and ingress each keep their own rules and verdict; the connection is allowed where both are.
 *
 * Tiers: every deciding rule carries a {@link Tier}. Where admin or baseline policies select the pod,
 * a port an AdminNetworkPolicy rule allows or denies is explained by that rule alone; a port it
 * passes lists the pass rule and the lower tier's rules (the NetworkPolicies when one isolates the
 * pod, else the BaselineAdminNetworkPolicy rule or the system default), as np-guard explains them.
 *
 * Over 400 lines: the explanation algebra (rule sets, per-port verdicts and how they combine) and
 * its application per tier and direction are one model; format-explain.ts renders it.
 */
import type { K8sObject } from '../../parse/manifest';
import type { PolicyRule } from '../../parse/views/policy';
import type { Protocol } from '../../parse/views/protocol';
import { serviceSelects, type Workspace } from '../../workspace';
import { ConnectionSet, MAX_PORT, MIN_PORT } from './connections';
import { tieredVerdict, tiersApply, type AdminDecision } from './admin';
import { endpointOf, peerMatch, type Endpoint } from './evaluate';
import { servicePortsFor, targetConns } from './ingress';
import { modelOf, namedPortConns, networkIsolated, type CompiledPolicy, type CompiledRule, type IPBlockReading, type Model } from './model';
import type { PrimaryNetwork } from './networks';
import { workloadPeers, type PeerRef } from './peers';

/**
 * The layer a deciding rule belongs to, highest precedence first: `network` is the isolation of
 * primary user-defined networks (no policy opens it).
 */
export type Tier = 'network' | 'admin' | 'networkpolicy' | 'baseline' | 'default';

/**
 * np-guard's rule kinds (its output groups rules by kind); '' is the system default; `UDN` a network
 * isolation; `MultiNetworkPolicy` decides on secondary networks only.
 */
export type RuleKind = 'MultiNetworkPolicy' | 'UDN' | 'AdminNetworkPolicy' | 'NetworkPolicy' | 'Ingress' | 'Route' | 'BaselineAdminNetworkPolicy' | '';

/** One policy rule (or default) that decides some ports of a direction. */
export interface DecidingRule {
  readonly tier: Tier;
  readonly kind: RuleKind;
  /** One sentence, in np-guard's words. */
  readonly text: string;
  /** The object responsible (policy, Ingress, Route), absent for the system default. */
  readonly object?: K8sObject;
  /** The rule of `object` (NetworkPolicy rules), absent when the whole object decides. */
  readonly rule?: PolicyRule;
  readonly direction?: 'ingress' | 'egress';
  /** For an admin or baseline rule: its action (a `Pass` decides nothing by itself). */
  readonly action?: AdminDecision['action'];
}

/** The sentence np-guard uses for the system default. */
export const SYSTEM_DEFAULT = 'the system default (Allow all)';

const PROTOCOL_ORDER: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

function layer(kind: RuleKind): number {
  switch (kind) {
    case 'MultiNetworkPolicy': return 5;
    case 'UDN': return 4;
    case 'AdminNetworkPolicy': return 3;
    case 'NetworkPolicy': case 'Ingress': case 'Route': return 2;
    case 'BaselineAdminNetworkPolicy': return 1;
    default: return 0;
  }
}

export function tierOf(kind: RuleKind): Tier {
  switch (layer(kind)) {
    case 5: return 'networkpolicy';
    case 4: return 'network';
    case 3: return 'admin';
    case 2: return 'networkpolicy';
    case 1: return 'baseline';
    default: return 'default';
  }
}

/** A set of deciding rules: per kind, sorted by text, no two with one text. */
export class RuleSet {
  static readonly EMPTY = new RuleSet([]);
  /** Sorted by text. */
  readonly rules: readonly DecidingRule[];
  private keyCache: string | undefined;

  private constructor(rules: readonly DecidingRule[]) {
    this.rules = rules;
  }

  static of(...rules: DecidingRule[]): RuleSet {
    const sorted = rules.slice().sort((x, y) => cmp(x.text, y.text) || cmp(x.kind, y.kind));
    return new RuleSet(sorted.filter((r, i) => i === 0 || r.text !== sorted[i - 1]!.text || r.kind !== sorted[i - 1]!.kind));
  }

  isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** The highest layer among the rules (0 when empty). */
  dominant(): number {
    let d = 0;
    for (const r of this.rules) d = Math.max(d, layer(r.kind));
    return d;
  }

  /** Decided by the isolation of user-defined networks. */
  byNetwork(): boolean {
    return this.dominant() === layer('UDN');
  }

  /** Only the system default. */
  onlyDefault(): boolean {
    return this.rules.length > 0 && this.rules.every(r => r.kind === '');
  }

  union(other: RuleSet): RuleSet {
    if (other.isEmpty() || other === this) return this;
    if (this.isEmpty()) return other;
    // Both are sorted by text: merge them, keeping one rule per (kind, text).
    const a = this.rules;
    const b = other.rules;
    const out: DecidingRule[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const x = a[i];
      const y = b[j];
      const c = x === undefined ? 1 : y === undefined ? -1 : cmp(x.text, y.text) || cmp(x.kind, y.kind);
      if (c <= 0) { out.push(x!); i++; if (c === 0) j++; } else { out.push(y!); j++; }
    }
    if (out.length === a.length) return this;
    if (out.length === b.length) return other;
    return new RuleSet(out);
  }

  /** Rules grouped by kind, in np-guard's order: higher layer first, then kind name. */
  byKind(): Array<{ kind: RuleKind; rules: DecidingRule[] }> {
    const groups = new Map<RuleKind, DecidingRule[]>();
    for (const r of this.rules) {
      const g = groups.get(r.kind);
      if (g) g.push(r);
      else groups.set(r.kind, [r]);
    }
    return [...groups.entries()]
      .map(([kind, rules]) => ({ kind, rules }))
      .sort((a, b) => layer(b.kind) - layer(a.kind) || cmp(a.kind, b.kind));
  }

  key(): string {
    return (this.keyCache ??= this.rules.map(r => `${r.kind}\u0000${r.text}`).join('\u0001'));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The verdict and deciding rules of one port range. */
export interface Segment {
  readonly first: number;
  readonly last: number;
  readonly allowed: boolean;
  readonly rules: RuleSet;
}

type Point = { allowed: boolean; rules: RuleSet };

/** One direction's verdict over every protocol and port. */
export class PortVerdicts {
  private constructor(readonly byProtocol: Readonly<Partial<Record<Protocol, readonly Segment[]>>>) {}

  /** Verdicts of some protocols only (np-guard's focus connection). */
  static fromPartial(byProtocol: Partial<Record<Protocol, readonly Segment[]>>): PortVerdicts {
    return new PortVerdicts(byProtocol);
  }

  /** The protocols present, in np-guard's order (TCP, UDP, SCTP). */
  protocols(): Protocol[] {
    return PROTOCOL_ORDER.filter(p => this.byProtocol[p] !== undefined);
  }

  /** Both sides cut at each other's boundaries, per protocol present in both. */
  pairWith(other: PortVerdicts): Partial<Record<Protocol, Array<{ first: number; last: number; e: Segment; i: Segment }>>> {
    const out: Partial<Record<Protocol, Array<{ first: number; last: number; e: Segment; i: Segment }>>> = {};
    for (const p of this.protocols()) {
      const a = this.byProtocol[p]!;
      const b = other.byProtocol[p];
      if (!b) continue;
      const list: Array<{ first: number; last: number; e: Segment; i: Segment }> = [];
      let i = 0;
      let j = 0;
      let pos = a[0]!.first;
      while (i < a.length && j < b.length) {
        const last = Math.min(a[i]!.last, b[j]!.last);
        list.push({ first: pos, last, e: a[i]!, i: b[j]! });
        pos = last + 1;
        if (a[i]!.last === last) i++;
        if (b[j]!.last === last) j++;
      }
      out[p] = list;
    }
    return out;
  }

  static uniform(allowed: boolean, rules: RuleSet): PortVerdicts {
    const s: readonly Segment[] = [{ first: MIN_PORT, last: MAX_PORT, allowed, rules }];
    return new PortVerdicts({ TCP: s, UDP: s, SCTP: s });
  }

  /** `this` with the ports of `conns` set to `point`. */
  overlay(conns: ConnectionSet, point: Point): PortVerdicts {
    const out: Partial<Record<Protocol, readonly Segment[]>> = {};
    for (const p of this.protocols()) {
      const ranges = conns.portRanges(p);
      if (ranges.length === 0) { out[p] = this.byProtocol[p]; continue; }
      const mask: Segment[] = [];
      let pos = MIN_PORT;
      for (const r of ranges) {
        if (r.first > pos) mask.push({ first: pos, last: r.first - 1, allowed: false, rules: MARK_KEEP });
        mask.push({ first: r.first, last: r.last, allowed: point.allowed, rules: point.rules });
        pos = r.last + 1;
      }
      if (pos <= MAX_PORT) mask.push({ first: pos, last: MAX_PORT, allowed: false, rules: MARK_KEEP });
      out[p] = combineSegments(this.byProtocol[p]!, mask, (a, b) => (b.rules === MARK_KEEP ? a : b));
    }
    return new PortVerdicts(out);
  }

  /** Point-wise combination with `other`. */
  combine(other: PortVerdicts, f: (a: Point, b: Point) => Point): PortVerdicts {
    const out: Partial<Record<Protocol, readonly Segment[]>> = {};
    for (const p of this.protocols()) {
      const b = other.byProtocol[p];
      if (b) out[p] = combineSegments(this.byProtocol[p]!, b, f);
    }
    return new PortVerdicts(out);
  }

  map(f: (a: Point) => Point): PortVerdicts {
    return this.combine(this, a => f(a));
  }

  anyAllowed(): boolean {
    return this.protocols().some(p => this.byProtocol[p]!.some(s => s.allowed));
  }

  /** Every port decided by the system default alone. */
  onlyDefault(): boolean {
    return this.protocols().every(p => this.byProtocol[p]!.every(s => s.rules.onlyDefault()));
  }

  at(protocol: Protocol, port: number): Segment {
    return (this.byProtocol[protocol] ?? []).find(s => s.first <= port && port <= s.last)
      ?? { first: port, last: port, allowed: false, rules: RuleSet.EMPTY };
  }
}

const MARK_KEEP = RuleSet.of({ tier: 'default', kind: '', text: '\u0000keep' });

function combineSegments(a: readonly Segment[], b: readonly Segment[], f: (a: Point, b: Point) => Point): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let j = 0;
  let pos = a[0]?.first ?? MIN_PORT;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const last = Math.min(x.last, y.last);
    const r = f(x, y);
    const prev = out[out.length - 1];
    if (prev && prev.allowed === r.allowed && (prev.rules === r.rules || prev.rules.key() === r.rules.key())) {
      out[out.length - 1] = { ...prev, last };
    } else {
      out.push({ first: pos, last, allowed: r.allowed, rules: r.rules });
    }
    pos = last + 1;
    if (x.last === last) i++;
    if (y.last === last) j++;
  }
  return out;
}

/** Union where the first set's rules stay unless empty or of a lower layer (np-guard: within one policy). */
export function unionFirstWins(a: Point, b: Point): Point {
  if (a.allowed !== b.allowed) return a.allowed ? a : b;
  return a.rules.isEmpty() || a.rules.dominant() < b.rules.dominant() ? b : a;
}

/** Union collecting the rules of both sides with the same verdict (np-guard: across policies). */
export function unionCollect(a: Point, b: Point): Point {
  if (a.allowed !== b.allowed) return a.allowed ? a : b;
  return { allowed: a.allowed, rules: a.rules.union(b.rules) };
}

/** Intersection collecting the rules of both sides. */
export function intersectCollect(a: Point, b: Point): Point {
  return { allowed: a.allowed && b.allowed, rules: a.rules.union(b.rules) };
}

/** The explanation of one ordered pair. */
export interface PairWhy {
  readonly src: PeerRef;
  readonly dst: PeerRef;
  /** Egress at the source: verdict and deciding rules per port. */
  readonly egress: PortVerdicts;
  /** Ingress at the destination (for the ingress controller: Ingress/Route objects and policies). */
  readonly ingress: PortVerdicts;
  /** Both directions decided by the system default alone (np-guard lists these pairs apart). */
  readonly defaultOnly: boolean;
}

const DEFAULT_RULE: DecidingRule = { tier: 'default', kind: '', text: SYSTEM_DEFAULT };
const DEFAULT_RULES = RuleSet.of(DEFAULT_RULE);

function policyFullName(cp: CompiledPolicy): string {
  const o = cp.policy.object;
  return `NetworkPolicy '${o.namespace}/${o.name}'`;
}

function ruleMatches(m: Model, r: CompiledRule, e: Endpoint): boolean {
  if (r.allPeers) return true;
  return r.peers.some(p => peerMatch(m, p, e) !== 'no');
}

/** A policy whose rules decide a direction: its object, its name in np-guard's sentences, its rule kind. */
export interface RuleSource {
  readonly object: K8sObject;
  /** `NetworkPolicy 'ns/name'`, `MultiNetworkPolicy 'ns/name'`. */
  readonly fullName: string;
  readonly kind: 'NetworkPolicy' | 'MultiNetworkPolicy';
}

/** What one rule that selects the other peer allows, per port, with np-guard's sentences. */
function ruleVerdicts(src: RuleSource, rule: PolicyRule, index: number, subjectId: string, otherId: string,
  dstPorts: Parameters<typeof namedPortConns>[2] | undefined): PortVerdicts {
  const Dir = rule.direction === 'ingress' ? 'Ingress' : 'Egress';
  const full = src.fullName;
  const name = `${Dir} rule #${index + 1}`;
  const mk = (text: string) => RuleSet.of({ tier: 'networkpolicy', kind: src.kind, text, object: src.object, rule, direction: rule.direction });
  const allowedBy = mk(`${full} allows connections by ${name}`);
  const ports = rule.ports ?? [];
  if (ports.length === 0) return PortVerdicts.uniform(true, allowedBy);
  let v = PortVerdicts.uniform(false, mk(`${full} selects ${subjectId}, and ${name} selects ${otherId}, but the protocols and ports do not match`));
  let any = false;
  for (const p of ports) {
    if (!p.protocol) continue;
    let conns: ConnectionSet | undefined;
    if (p.port === undefined) conns = fullProtocol(p.protocol);
    else if (typeof p.port === 'number') {
      const last = p.endPort ?? p.port;
      conns = last < p.port ? undefined : rangeOf(p.protocol, p.port, last);
    } else if (p.endPort === undefined && dstPorts) {
      conns = namedPortConns(p.port, p.protocol, dstPorts);
    }
    if (!conns || conns.isEmpty()) continue;
    any = true;
    v = v.overlay(conns, { allowed: true, rules: allowedBy });
  }
  if (!any) {
    return PortVerdicts.uniform(false, mk(`${full} selects ${subjectId}, and ${name} selects ${otherId}, but named ports of the rule have no match in the configuration of the destination peer`));
  }
  return v;
}

function fullProtocol(p: Protocol): ConnectionSet {
  return ConnectionSet.protocol(p);
}
function rangeOf(p: Protocol, first: number, last: number): ConnectionSet {
  return ConnectionSet.ports(p, first, last);
}

/**
 * One policy's verdicts for a direction (np-guard: NetworkPolicy.GetXgressAllowedConns,
 * MultiNetworkPolicy.GetMNPXgressAllowedConns): the rules that select the other peer (`selects`),
 * in order, the first to allow a port deciding it.
 */
export function policyDirectionVerdicts(src: RuleSource, rules: readonly PolicyRule[], direction: 'ingress' | 'egress',
  subjectId: string, otherId: string, selects: (rule: PolicyRule, index: number) => boolean,
  dstPorts: Parameters<typeof namedPortConns>[2] | undefined): PortVerdicts {
  const Dir = direction === 'ingress' ? 'Ingress' : 'Egress';
  const mk = (text: string) => RuleSet.of({ tier: 'networkpolicy', kind: src.kind, text, object: src.object, direction });
  if (rules.length === 0) {
    return PortVerdicts.uniform(false, mk(`${src.fullName} selects ${subjectId}, but ${otherId} is not allowed by any ${Dir} rule (no rules defined)`));
  }
  let v: PortVerdicts | undefined;
  rules.forEach((r, i) => {
    if (!selects(r, i)) return;
    const rv = ruleVerdicts(src, r, i, subjectId, otherId, dstPorts);
    v = v ? v.combine(rv, unionFirstWins) : rv;
  });
  return v ?? PortVerdicts.uniform(false, mk(`${src.fullName} selects ${subjectId}, but ${otherId} is not allowed by any ${Dir} rule`));
}

/** One NetworkPolicy's verdicts for a direction. */
function policyVerdicts(m: Model, cp: CompiledPolicy, direction: 'ingress' | 'egress', subject: PeerRef, other: PeerRef,
  otherEndpoint: Endpoint, dstPorts: Parameters<typeof namedPortConns>[2] | undefined): PortVerdicts {
  const rules = direction === 'ingress' ? cp.ingress : cp.egress;
  const src: RuleSource = { object: cp.policy.object, fullName: policyFullName(cp), kind: 'NetworkPolicy' };
  return policyDirectionVerdicts(src, rules.map(r => r.rule), direction, subject.id, other.id,
    (_, i) => ruleMatches(m, rules[i]!, otherEndpoint), dstPorts);
}

/** The sentence np-guard gives an admin or baseline rule (pkg/netpol/eval/internal/k8s/adminnetpol.go). */
function adminRuleText(d: AdminDecision, direction: 'ingress' | 'egress'): string {
  const op = d.action === 'Allow' ? 'allows' : d.action === 'Deny' ? 'denies' : 'passes';
  const Dir = direction === 'ingress' ? 'Ingress' : 'Egress';
  // np-guard prints the rule's name as written, empty when the manifest leaves it out.
  return `${d.policy.kind} '${d.policy.object.name}' ${op} connections by ${Dir} rule ${d.rule.name?.value ?? ''}`;
}

function adminRuleSet(d: AdminDecision, direction: 'ingress' | 'egress'): RuleSet {
  return RuleSet.of({
    tier: d.policy.tier, kind: d.policy.tier === 'admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy',
    text: adminRuleText(d, direction), object: d.policy.object, direction, action: d.action,
  });
}

const MASK_IN = RuleSet.of({ tier: 'default', kind: '', text: '\u0000in' });
const MASK_OUT = RuleSet.of({ tier: 'default', kind: '', text: '\u0000out' });

/** `v` where the ports of `conns` take their verdict from `inside`. */
function overlayVerdicts(v: PortVerdicts, conns: ConnectionSet, inside: PortVerdicts): PortVerdicts {
  const mask = PortVerdicts.uniform(false, MASK_OUT).overlay(conns, { allowed: true, rules: MASK_IN });
  const picked = inside.combine(mask, (p, mk) => (mk.rules.key() === MASK_IN.key() ? p : { allowed: false, rules: MASK_OUT }));
  return v.combine(picked, (a, b) => (b.rules.key() === MASK_OUT.key() ? a : b));
}

/** One tier's decisions over the `lower` tier: Allow/Deny ports keep the rule alone, passed ports add the rule to `lower`'s. */
function applyTier(lower: PortVerdicts, decisions: readonly AdminDecision[], direction: 'ingress' | 'egress'): PortVerdicts {
  let v = lower;
  for (const d of decisions) {
    const rules = adminRuleSet(d, direction);
    if (d.action === 'Pass') {
      v = overlayVerdicts(v, d.conns, lower.map(p => ({ allowed: p.allowed, rules: rules.union(p.rules) })));
    } else {
      v = v.overlay(d.conns, { allowed: d.action === 'Allow', rules });
    }
  }
  return v;
}

/**
 * The verdicts of one direction of `src => dst` through every tier, as np-guard explains them
 * (pkg/netpol/eval/check.go, allAllowedXgressConnsConsideringAllLayersConns): ports an admin rule
 * allows or denies are explained by that rule alone; ports an admin rule passes list the pass rule
 * and the lower tier's rules; the lower tier is the NetworkPolicies when one isolates the pod, else
 * the baseline tier's deciding rule over the system default.
 */
function directionVerdicts(m: Model, direction: 'ingress' | 'egress', src: PeerRef, dst: PeerRef): PortVerdicts {
  const subject = direction === 'egress' ? src : dst;
  const other = direction === 'egress' ? dst : src;
  const se = endpointOf(m, subject);
  const oe = endpointOf(m, other);
  if (!se || !oe || se.kind !== 'pod') return PortVerdicts.uniform(true, DEFAULT_RULES);
  const isolating = (direction === 'ingress' ? m.ingressPolicies : m.egressPolicies)[se.cls]!;
  const de = direction === 'ingress' ? se : oe;
  const dstPorts = de.kind === 'pod' ? m.classes[de.cls]!.ports : undefined;
  let netpol: PortVerdicts | undefined;
  if (isolating.length > 0) {
    netpol = PortVerdicts.uniform(false, RuleSet.EMPTY);
    for (const cp of isolating) netpol = netpol.combine(policyVerdicts(m, cp, direction, subject, other, oe, dstPorts), unionCollect);
  }
  if (!tiersApply(m.admin, direction, se.cls)) return netpol ?? PortVerdicts.uniform(true, DEFAULT_RULES);
  const tiers = tieredVerdict(m.admin, direction, se.cls, oe, dstPorts, netpol ? allowedOf(netpol) : undefined);
  let lower = netpol ?? PortVerdicts.uniform(true, DEFAULT_RULES);
  if (!netpol && tiers.baseline) lower = applyTier(lower, tiers.baseline.decisions, direction);
  return tiers.admin ? applyTier(lower, tiers.admin.decisions, direction) : lower;
}

/** The connections a direction's verdicts allow. */
function allowedOf(v: PortVerdicts): ConnectionSet {
  let out = ConnectionSet.none();
  for (const p of v.protocols()) {
    for (const s of v.byProtocol[p]!) if (s.allowed) out = out.union(ConnectionSet.ports(p, s.first, s.last));
  }
  return out;
}

/** What Ingress and Route objects open to `dst` (np-guard's ingress analyzer), per port; undefined if none targets it. */
function ingressObjectVerdicts(ws: Workspace, dst: PeerRef): PortVerdicts | undefined {
  if (dst.kind !== 'workload') return undefined;
  const peer = workloadPeers(ws).find(p => p.ref.id === dst.id);
  if (!peer) return undefined;
  let v: PortVerdicts | undefined;
  for (const ingress of ws.ingresses) {
    const o = ingress.object;
    const ns = o.namespace;
    const kind: RuleKind = o.kind === 'Route' ? 'Route' : 'Ingress';
    for (const backend of ingress.backends) {
      const name = backend.serviceName?.value;
      if (!name) continue;
      const service = ws.service(ns, name);
      if (!service || !serviceSelects(service, peer.ref.workload)) continue;
      const prefix = `${kind} '${ns}/${o.name}'`;
      const mk = (text: string) => RuleSet.of({ tier: 'networkpolicy', kind, text, object: o, direction: 'ingress' });
      let bv = PortVerdicts.uniform(false, mk(`${prefix} allows ingress to service ${name}, but the protocols and ports do not match`));
      for (const p of servicePortsFor(service, backend.port?.value)) {
        const conns = targetConns(p, peer);
        if (!conns.isEmpty()) bv = bv.overlay(conns, { allowed: true, rules: mk(`${prefix} allows ingress connections through service ${name}`) });
      }
      v = v ? v.combine(bv, unionCollect) : bv;
    }
  }
  return v;
}

/**
 * The explanation of `src => dst` under `reading` (default: the workspace setting). From the
 * ingress controller, undefined when no Ingress or Route targets `dst`.
 */
export function whyPair(ws: Workspace, src: PeerRef, dst: PeerRef, reading?: IPBlockReading, model?: Model): PairWhy | undefined {
  // A model of the pair's two namespaces gives the same verdicts for two workloads (see scopedModelOf).
  const m = model ?? modelOf(ws, reading);
  if (src.kind !== 'workload' || dst.kind !== 'workload') return computeWhyPair(ws, m, src, dst);
  // Between two workloads the verdicts depend on the compiled model and the two ids only: they are
  // kept with the compiled policies, which a model kept across edits shares (scopedModelOf).
  let memo = pairMemo.get(m.policies);
  if (!memo) pairMemo.set(m.policies, (memo = new Map()));
  const key = `${src.id}\u0000${dst.id}`;
  let v = memo.get(key);
  if (!v) {
    if (memo.size >= 4096) memo.clear();
    const w = computeWhyPair(ws, m, src, dst)!;
    memo.set(key, (v = { egress: w.egress, ingress: w.ingress, defaultOnly: w.defaultOnly }));
  }
  return { src, dst, ...v };
}

/** Pair verdicts between workloads, per compiled model (its policies list; see {@link whyPair}). */
const pairMemo = new WeakMap<object, Map<string, Omit<PairWhy, 'src' | 'dst'>>>();

function computeWhyPair(ws: Workspace, m: Model, src: PeerRef, dst: PeerRef): PairWhy | undefined {
  const isolation = networkIsolation(m, src, dst);
  if (isolation) {
    const v = PortVerdicts.uniform(false, isolation);
    return { src, dst, egress: v, ingress: v, defaultOnly: false };
  }
  const egress = directionVerdicts(m, 'egress', src, dst);
  let ingress = directionVerdicts(m, 'ingress', src, dst);
  if (src.kind === 'ingress-controller') {
    const objects = ingressObjectVerdicts(ws, dst);
    if (!objects) return undefined;
    // np-guard drops the default rule on this side: the objects say why.
    const policy = ingress.map(p => (p.rules.onlyDefault() ? { allowed: p.allowed, rules: RuleSet.EMPTY } : p));
    ingress = objects.combine(policy, intersectCollect);
    return { src, dst, egress, ingress, defaultOnly: false };
  }
  return { src, dst, egress, ingress, defaultOnly: egress.onlyDefault() && ingress.onlyDefault() };
}

function networkKindName(n: PrimaryNetwork): string {
  return n.kind === 'UDN' ? 'UserDefinedNetwork' : 'ClusterUserDefinedNetwork';
}

/**
 * When `src` and `dst` are pods on different primary networks: the rule np-guard gives both
 * directions (pkg/netpol/internal/common IsolatedUDNRule), naming each side's network.
 */
function networkIsolation(m: Model, src: PeerRef, dst: PeerRef): RuleSet | undefined {
  const s = endpointOf(m, src);
  const d = endpointOf(m, dst);
  if (s?.kind !== 'pod' || d?.kind !== 'pod') return undefined;
  const sc = m.classes[s.cls]!;
  const dc = m.classes[d.cls]!;
  if (!networkIsolated(sc, dc)) return undefined;
  const parts: string[] = [];
  const objects: K8sObject[] = [];
  for (const [n, peer] of [[sc.network, src], [dc.network, dst]] as const) {
    if (!n) continue;
    parts.push(`${networkKindName(n)} '${n.name}' isolates ${peer.id}`);
    objects.push(n.view.object);
  }
  return RuleSet.of({ tier: 'network', kind: 'UDN', text: parts.join('; and '), object: objects[0] });
}

/** What decides one port of one direction of a pair: the verdict and the deciding rules. */
export interface PortReason {
  readonly allowed: boolean;
  /** The deciding rules (sorted by text), each with its sentence in np-guard's words. */
  readonly rules: readonly DecidingRule[];
}

/** The cluster-wide tier whose Allow or Deny rules decide some ports of a pair (admin first), if any. */
export function decidingTier(w: PairWhy): 'admin' | 'baseline' | undefined {
  let baseline = false;
  for (const v of [w.egress, w.ingress]) {
    for (const p of v.protocols()) {
      for (const seg of v.byProtocol[p]!) {
        for (const r of seg.rules.rules) {
          if (r.action === undefined || r.action === 'Pass') continue;
          if (r.tier === 'admin') return 'admin';
          if (r.tier === 'baseline') baseline = true;
        }
      }
    }
  }
  return baseline ? 'baseline' : undefined;
}

/** The verdict and deciding rules of `protocol`/`port` in one direction of an explanation. */
export function portReason(w: PairWhy, direction: 'egress' | 'ingress', protocol: Protocol, port: number): PortReason {
  const seg = w[direction].at(protocol, port);
  return { allowed: seg.allowed, rules: seg.rules.rules };
}

/**
 * The deciding rules' sentences as one clause: what `--explain`, the diagram's edge explanation
 * and the rules' messages all say about a port (one explanation object, one wording).
 */
export function reasonText(rules: readonly DecidingRule[]): string {
  return rules.map(r => r.text).join('; ');
}

/** Whether anything is allowed from `src` to `dst` by this explanation. */
export function whyAllows(w: PairWhy): boolean {
  return w.egress.combine(w.ingress, intersectCollect).anyAllowed();
}

/** The connections the explanation allows (egress and ingress both allow the port). */
export function allowedConns(w: PairWhy): ConnectionSet {
  let out = ConnectionSet.none();
  for (const [protocol, segs] of Object.entries(w.egress.pairWith(w.ingress)) as Array<[Protocol, Array<{ first: number; last: number; e: Segment; i: Segment }>]>) {
    for (const s of segs) if (s.e.allowed && s.i.allowed) out = out.union(ConnectionSet.ports(protocol, s.first, s.last));
  }
  return out;
}
