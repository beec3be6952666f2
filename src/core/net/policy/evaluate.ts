/**
 * NetworkPolicy evaluation (networking.k8s.io/v1): a connection needs egress allowed at the source
 * and ingress allowed at the destination; a pod is isolated in a direction only when a policy of its
 * namespace selects it and has that direction in its effective policyTypes; allowed traffic is the
 * union of the rules of the isolating policies.
 *
 * Over 400 lines: the verdict of one direction and the whole connectivity report share peer and
 * rule matching and the memo tables that keep the report's cost near the number of distinct rules.
 */
import { firstRangeFrom, type IPFamily, type IPRange } from '../ip';
import type { NetworkPolicy } from '../../parse/views/policy';
import type { Workspace } from '../../workspace';
import { runTier, runTierOnRanges, tieredVerdict, tiersApply, type TieredVerdict } from './admin';
import { ConnectionSet } from './connections';
import { ingressExposures, type IngressPath } from './ingress';
import {
  blockContains, familySet, modelOf, networkIsolated, ruleConns,
  type CompiledPeer, type CompiledPolicy, type CompiledRule, type IPBlockReading, type Model,
} from './model';
import { compareIds, externalPeer, INGRESS_CONTROLLER, type PeerRef, type WorkloadPeer } from './peers';

/** A resolved endpoint: a pod class, an address range, or the ingress controller. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly cls: number }
  | { readonly kind: 'ip'; readonly family: IPFamily; readonly first: bigint; readonly last: bigint }
  | { readonly kind: 'ingress-controller' };

type Match = 'yes' | 'may' | 'no';

const peerIndexes = new WeakMap<Model, Map<string, number>>();

/** The endpoint of a peer, or undefined for a workload the workspace no longer holds. */
export function endpointOf(m: Model, peer: PeerRef): Endpoint | undefined {
  if (peer.kind === 'external') return { kind: 'ip', family: peer.family, first: peer.first, last: peer.last };
  if (peer.kind === 'ingress-controller') return { kind: 'ingress-controller' };
  let index = peerIndexes.get(m);
  if (!index) peerIndexes.set(m, (index = new Map(m.peers.map((p, i) => [p.ref.id, i]))));
  const i = index.get(peer.id) ?? -1;
  return i < 0 ? undefined : { kind: 'pod', cls: m.classOfPeer[i]! };
}

/**
 * Whether one compiled `from`/`to` peer matches an endpoint (`may`: an ipBlock under the `all`
 * reading partly overlapping the pod network, or addresses an IPv4-mapped IPv6 ipBlock value holds
 * under one reading only).
 */
export function peerMatch(m: Model, cp: CompiledPeer, e: Endpoint): Match {
  switch (e.kind) {
    case 'pod':
      if (cp.kind === 'selector') return cp.classes.has(e.cls) ? 'yes' : 'no';
      if (cp.kind === 'ipBlock' && m.reading === 'all' && cp.podOverlap !== 'none') return cp.podOverlap === 'all' ? 'yes' : 'may';
      return 'no';
    case 'ip':
      if (cp.kind !== 'ipBlock' || !cp.block || !blockContains(cp.block, e.family, e.first, e.last)) return 'no';
      // An IPv4-mapped IPv6 value: the network plugin decides which reading applies.
      return cp.block.uncertain && blockContains(cp.block.uncertain, e.family, e.first, e.first) ? 'may' : 'yes';
    case 'ingress-controller':
      return cp.kind === 'selector' && cp.ingressController ? 'yes' : 'no';
  }
}

function ruleMatch(m: Model, r: CompiledRule, e: Endpoint): Match {
  if (r.allPeers) return 'yes';
  let best: Match = 'no';
  for (const p of r.peers) {
    const x = peerMatch(m, p, e);
    if (x === 'yes') return 'yes';
    if (x === 'may') best = 'may';
  }
  return best;
}

/** What one rule contributes to a connection. */
export interface RuleContribution {
  readonly policy: NetworkPolicy;
  readonly direction: 'ingress' | 'egress';
  /** Index of the rule in the policy's `ingress`/`egress` list (0-based). */
  readonly ruleIndex: number;
  readonly conns: ConnectionSet;
  /** The rule matched only through an ipBlock that may or may not hold the address (a pod under the `all` reading; an IPv4-mapped IPv6 value). */
  readonly mayMatch: boolean;
}

/** The verdict of one direction (egress at the source, ingress at the destination). */
export interface DirectionVerdict {
  readonly direction: 'ingress' | 'egress';
  /** False when the endpoint on this side is not a pod (external, ingress controller): no policy applies. */
  readonly applies: boolean;
  readonly isolated: boolean;
  /** Policies isolating the pod in this direction. */
  readonly policies: readonly NetworkPolicy[];
  /** Rules that match the other endpoint, with what each allows (empty connection sets included). */
  readonly contributions: readonly RuleContribution[];
  readonly conns: ConnectionSet;
  /**
   * When admin or baseline policies select the pod for this direction: what each tier decided
   * (`conns` is then the result of all tiers; `contributions` stay the NetworkPolicy tier's rules).
   */
  readonly tiers?: TieredVerdict;
}

/** Evaluates one direction for the pod class `subject` against the other endpoint. */
export function directionVerdict(m: Model, direction: 'ingress' | 'egress', subject: Endpoint, other: Endpoint): DirectionVerdict {
  if (subject.kind !== 'pod') {
    return { direction, applies: false, isolated: false, policies: [], contributions: [], conns: ConnectionSet.all() };
  }
  const isolating = (direction === 'ingress' ? m.ingressPolicies : m.egressPolicies)[subject.cls]!;
  const dstPorts = direction === 'ingress'
    ? m.classes[subject.cls]!.ports
    : other.kind === 'pod' ? m.classes[other.cls]!.ports : undefined;
  const tiered = (v: DirectionVerdict): DirectionVerdict => {
    if (!tiersApply(m.admin, direction, subject.cls)) return v;
    const tiers = tieredVerdict(m.admin, direction, subject.cls, other, dstPorts, v.isolated ? v.conns : undefined);
    return { ...v, conns: tiers.conns, tiers };
  };
  if (isolating.length === 0) {
    return tiered({ direction, applies: true, isolated: false, policies: [], contributions: [], conns: ConnectionSet.all() });
  }
  const contributions: RuleContribution[] = [];
  let conns = ConnectionSet.none();
  for (const cp of isolating) {
    for (const r of direction === 'ingress' ? cp.ingress : cp.egress) {
      const match = ruleMatch(m, r, other);
      if (match === 'no') continue;
      const c = ruleConns(r, dstPorts);
      contributions.push({ policy: cp.policy, direction, ruleIndex: r.rule.index, conns: c, mayMatch: match === 'may' });
      conns = conns.union(c);
    }
  }
  return tiered({ direction, applies: true, isolated: true, policies: isolating.map(p => p.policy), contributions, conns });
}

/** Whether two pods are on different primary networks (user-defined networks), which no policy opens. */
export function endpointsIsolated(m: Model, a: Endpoint, b: Endpoint): boolean {
  return a.kind === 'pod' && b.kind === 'pod' && networkIsolated(m.classes[a.cls]!, m.classes[b.cls]!);
}

/** Policy-allowed connections between two endpoints (egress at `src` ∩ ingress at `dst`). */
export function endpointConns(m: Model, src: Endpoint, dst: Endpoint): ConnectionSet {
  if (endpointsIsolated(m, src, dst)) return ConnectionSet.none();
  return directionVerdict(m, 'egress', src, dst).conns.intersect(directionVerdict(m, 'ingress', dst, src).conns);
}

/** Ingress-object connections to a workload peer (undefined: not exposed through any Ingress/Route). */
export function ingressPathsTo(ws: Workspace, peer: PeerRef): { conns: ConnectionSet; paths: readonly IngressPath[] } | undefined {
  return peer.kind === 'workload' ? ingressExposures(ws).get(peer.id) : undefined;
}

/**
 * Allowed connections from `src` to `dst`. From the ingress controller, only what Ingress/Route
 * objects expose and policies admit. Between two external peers, nothing (they are not analysed).
 */
export function allowedBetween(ws: Workspace, src: PeerRef, dst: PeerRef, reading?: IPBlockReading): ConnectionSet {
  const m = modelOf(ws, reading);
  if (src.kind !== 'workload' && dst.kind !== 'workload') return ConnectionSet.none();
  if (dst.kind === 'ingress-controller') return ConnectionSet.none();
  const s = endpointOf(m, src);
  const d = endpointOf(m, dst);
  if (!s || !d) return ConnectionSet.none();
  const policy = endpointConns(m, s, d);
  if (src.kind !== 'ingress-controller') return policy;
  return policy.intersect(ingressPathsTo(ws, dst)?.conns ?? ConnectionSet.none());
}

/** One row of the connectivity report. */
export interface Connection {
  readonly src: PeerRef;
  readonly dst: PeerRef;
  readonly conns: ConnectionSet;
}

/** The connectivity report: every ordered pair of distinct peers with something allowed. */
export interface ConnectivityReport {
  /** Workload peers, then external peers, then the ingress controller when it reaches anything; sorted by id. */
  readonly peers: readonly PeerRef[];
  /** Sorted by source id, then destination id (np-guard's order). */
  readonly connections: readonly Connection[];
  /** External peers as sources: the address space cut at the ipBlocks of ingress rules. */
  readonly externalSources: readonly PeerRef[];
  /** External peers as destinations: the address space cut at the ipBlocks of egress rules. */
  readonly externalDestinations: readonly PeerRef[];
  readonly reading: IPBlockReading;
}

/**
 * The rules of one set of isolating policies, indexed by the class on the other side. Classes with
 * the same isolating policies share a table; the ports a rule allows depend only on the destination
 * class's named ports, so they are memoised per (rule, ports id).
 */
interface SideTable {
  /** Rules matching every pod on the other side. */
  readonly all: CompiledRule[];
  readonly byClass: Map<number, CompiledRule[]>;
}

function matchesAllPods(m: Model, r: CompiledRule): boolean {
  return r.allPeers || (m.reading === 'all' && r.peers.some(p => p.kind === 'ipBlock' && p.podOverlap !== 'none'));
}

function sideTable(m: Model, policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress'): SideTable {
  const t: SideTable = { all: [], byClass: new Map() };
  for (const cp of policies) {
    for (const r of direction === 'ingress' ? cp.ingress : cp.egress) {
      if (matchesAllPods(m, r)) { t.all.push(r); continue; }
      for (const p of r.peers) {
        for (const c of p.classes) {
          const list = t.byClass.get(c);
          if (!list) t.byClass.set(c, [r]);
          else if (!list.includes(r)) list.push(r);
        }
      }
    }
  }
  return t;
}

class ConnsMemo {
  private readonly memo = new Map<CompiledRule, Map<number, ConnectionSet>>();
  constructor(private readonly m: Model) {}

  /** What rule `r` allows toward pods of class `dst`. */
  of(r: CompiledRule, dst: number): ConnectionSet {
    if (r.fixedConns) return r.fixedConns;
    const cls = this.m.classes[dst]!;
    let perRule = this.memo.get(r);
    if (!perRule) this.memo.set(r, (perRule = new Map()));
    let c = perRule.get(cls.portsId);
    if (!c) perRule.set(cls.portsId, (c = ruleConns(r, cls.ports)));
    return c;
  }

  /** The union of what `t`'s rules matching `other` allow toward class `dst`. */
  lookup(t: SideTable, other: number, dst: number): ConnectionSet {
    let c = ConnectionSet.none();
    for (const r of t.all) c = c.union(this.of(r, dst));
    for (const r of t.byClass.get(other) ?? NO_RULES) c = c.union(this.of(r, dst));
    return c;
  }
}

const NO_RULES: readonly CompiledRule[] = [];
/** A destination class only an admin Allow reaches, with what the admin tier allows toward it. */
interface AllowTarget {
  readonly cls: number;
  readonly allowed: ConnectionSet;
}
const NO_TARGETS: readonly AllowTarget[] = [];

function policySetKey(policies: readonly CompiledPolicy[], index: Map<CompiledPolicy, number>): string {
  return policies.map(p => index.get(p)).join(',');
}

/**
 * Per external interval (by index into `ranges`), what the rules of one side allow, written into
 * `out` (one array per direction reused for every class: a class's row is read before the next).
 */
function externalConns(
  rules: readonly CompiledRule[], ranges: readonly IPRange[], dstPorts: Parameters<typeof ruleConns>[1], out: ConnectionSet[],
  /** When given: the indexes written, each once (`all` when a rule without peers wrote every range). */
  touched?: Touched,
): ConnectionSet[] {
  out.fill(ConnectionSet.none());
  if (touched) {
    touched.list.length = 0;
    touched.all = false;
    touched.stamp++;
  }
  for (const r of rules) {
    const c = ruleConns(r, dstPorts);
    if (c.isEmpty()) continue;
    if (r.allPeers) {
      for (let i = 0; i < out.length; i++) out[i] = out[i]!.union(c);
      if (touched) touched.all = true;
      continue;
    }
    for (const p of r.peers) {
      if (p.kind !== 'ipBlock' || !p.block) continue;
      for (const family of [4, 6] as const) {
        for (const iv of familySet(p.block, family).intervals()) {
          // The ranges refine every block boundary, so each lies wholly inside or outside the block.
          let i = firstRangeFrom(ranges, family, iv.first);
          for (; i < ranges.length; i++) {
            const e = ranges[i]!;
            if (e.family !== family || e.first > iv.last) break;
            out[i] = out[i]!.union(c);
            if (touched && touched.seen[i] !== touched.stamp) {
              touched.seen[i] = touched.stamp;
              touched.list.push(i);
            }
          }
        }
      }
    }
  }
  return out;
}

/** The admin tier over the destination ranges (see {@link TierMemo.external}). */
interface RangeTier {
  readonly allowed: ConnectionSet[];
  readonly rest: ConnectionSet[];
  /** Ranges where the tier decided something (allowed, or not all left for the next tier). */
  readonly decided: number[];
  /** Ranges where it allows something. */
  readonly allowedAt: number[];
  base: ConnectionSet[] | undefined;
}

/** The ranges {@link externalConns} wrote: reused for every class (`seen[i] === stamp`: listed). */
interface Touched {
  readonly list: number[];
  readonly seen: Int32Array;
  stamp: number;
  all: boolean;
}

/**
 * Per-direction verdicts between pod classes when cluster-wide tiers exist. A direction's result
 * depends on the subject's admin, baseline and NetworkPolicy sets and on the other class (whose
 * ports a named port resolves to on egress), so it is memoised by those.
 */
class TierMemo {
  /** Per direction and class: a small integer naming its (admin, baseline, NetworkPolicy) sets. */
  private readonly sig: Record<'ingress' | 'egress', number[]>;
  /** Per direction and class: an id of its (admin, baseline) policy lists alone. */
  private readonly tierSig: Record<'ingress' | 'egress', number[]>;
  /** Per direction: memo rows (by subject's policy sets, and its named ports for ingress) indexed by the other class. */
  private readonly rows: Record<'ingress' | 'egress', Array<Map<number, ConnectionSet> | undefined>> = { ingress: [], egress: [] };
  private readonly rowOf: Record<'ingress' | 'egress', number[]>;
  /** Per direction and row: whether more than one class has it (only then is the row memoised). */
  private readonly shared: Record<'ingress' | 'egress', Set<number>>;
  private readonly C: number;
  constructor(
    private readonly m: Model,
    /** Per direction and class: the table of its isolating NetworkPolicies (undefined: none isolates it). */
    private readonly tables: Record<'ingress' | 'egress', ReadonlyArray<SideTable | undefined>>,
    private readonly conns: ConnsMemo,
  ) {
    const index = new Map([...m.admin.admin, ...m.admin.baseline].map((p, i) => [p, i]));
    const npIndex = new Map(m.policies.map((p, i) => [p, i]));
    const ids = new Map<string, number>();
    const tierIds = new Map<string, number>();
    const idOf = (key: string, map = ids) => {
      let id = map.get(key);
      if (id === undefined) map.set(key, (id = map.size));
      return id;
    };
    // A class's signature: its admin and baseline policy lists (the tier signature), then its NetworkPolicies.
    const sigs = (direction: 'ingress' | 'egress') => {
      const a = direction === 'ingress' ? m.admin.adminIngress : m.admin.adminEgress;
      const b = direction === 'ingress' ? m.admin.baselineIngress : m.admin.baselineEgress;
      const np = direction === 'ingress' ? m.ingressPolicies : m.egressPolicies;
      const tier: number[] = [];
      const sig: number[] = [];
      for (let c = 0; c < m.classes.length; c++) {
        let key = direction;
        for (const p of a[c]!) key += `${index.get(p)},`;
        key += '|';
        for (const p of b[c]!) key += `${index.get(p)},`;
        tier.push(idOf(key, tierIds));
        sig.push(idOf(`${key}|${policySetKey(np[c]!, npIndex)}`));
      }
      return { tier, sig };
    };
    const ingress = sigs('ingress');
    const egress = sigs('egress');
    this.sig = { ingress: ingress.sig, egress: egress.sig };
    this.tierSig = { ingress: ingress.tier, egress: egress.tier };
    this.C = m.classes.length;
    this.rowOf = {
      ingress: m.classes.map(c => idOf(`r${this.sig.ingress[c.index]}:${c.portsId}`)),
      egress: this.sig.egress,
    };
    const sharedRows = (rows: readonly number[]) => {
      const seen = new Set<number>();
      const out = new Set<number>();
      for (const r of rows) (seen.has(r) ? out : seen).add(r);
      return out;
    };
    this.shared = { ingress: sharedRows(this.rowOf.ingress), egress: sharedRows(this.rowOf.egress) };
  }

  private readonly externals = new Map<string, readonly ConnectionSet[]>();
  /** Per egress tier signature: the admin tier over the external ranges, and with the baseline tier after it. */
  private readonly rangeTiers = new Map<number, RangeTier>();

  /** The admin tier over the destination ranges for `subject`'s egress tier signature (shared by classes with the same). */
  private rangeTier(subject: number): RangeTier {
    const m = this.m;
    const tier = this.tierSig.egress[subject]!;
    let admin = this.rangeTiers.get(tier);
    if (!admin) {
      const ranges = m.destinationExternals;
      const a = runTierOnRanges(m.admin.adminEgress[subject]!, ranges, ranges.map(() => ConnectionSet.all()));
      // Where the admin tier decided nothing the NetworkPolicies' verdict stands: only the others are combined.
      const decided: number[] = [];
      const allowedAt: number[] = [];
      for (let i = 0; i < a.allowed.length; i++) {
        if (!a.allowed[i]!.isEmpty()) allowedAt.push(i);
        if (!a.allowed[i]!.isEmpty() || !a.rest[i]!.isAll()) decided.push(i);
      }
      this.rangeTiers.set(tier, (admin = { ...a, decided, allowedAt, base: undefined }));
    }
    return admin;
  }

  /**
   * The egress side of `subject`, isolated by NetworkPolicies, toward the external ranges where it
   * allows something, written as indexes and connections into `at`/`conns` (what {@link external}
   * gives, without visiting every range): the ranges its NetworkPolicies allow something toward
   * (`touched`, their verdicts in `np`) through the admin tier, then those only an admin Allow opens.
   */
  isolatedEgress(subject: number, np: readonly ConnectionSet[], touched: Touched, at: number[], conns: ConnectionSet[]): void {
    const admin = this.rangeTier(subject);
    at.length = 0;
    conns.length = 0;
    for (const i of touched.list) {
      const c = admin.allowed[i]!.union(admin.rest[i]!.intersect(np[i]!));
      if (c.isEmpty()) continue;
      at.push(i);
      conns.push(c);
    }
    // Elsewhere the NetworkPolicies allow nothing: the admin tier's Allow is the verdict.
    for (const i of admin.allowedAt) {
      if (touched.seen[i] === touched.stamp) continue;
      at.push(i);
      conns.push(admin.allowed[i]!);
    }
  }
  /** Per egress tier signature: see {@link adminAllowed}. */
  private readonly allowTargets = new Map<number, readonly AllowTarget[]>();

  /**
   * When NetworkPolicies isolate `subject`'s egress, the destinations they do not select are reached
   * only through the admin tier's Allow rules: those classes, each with what the admin tier allows
   * toward it (never empty; it is the whole egress verdict toward a class no NetworkPolicy rule
   * selects). Per tier signature: the tier's part depends on the subject's admin and baseline
   * policies alone, so classes with the same share the list.
   */
  adminAllowed(subject: number): readonly AllowTarget[] {
    if (!tiersApply(this.m.admin, 'egress', subject)) return NO_TARGETS;
    const tier = this.tierSig.egress[subject]!;
    let allow = this.allowTargets.get(tier);
    if (!allow) {
      const set = new Set<number>();
      for (const cp of this.m.admin.adminEgress[subject]!) {
        for (const r of cp.egress) {
          if (r.action !== 'Allow') continue;
          for (const p of r.peers) for (const c of p.classes) set.add(c);
        }
      }
      // Only those the admin tier allows something toward (an earlier Deny or Pass may take it all).
      const open: AllowTarget[] = [];
      for (const cls of set) {
        const allowed = this.part('egress', subject, cls).allowed;
        if (!allowed.isEmpty()) open.push({ cls, allowed });
      }
      this.allowTargets.set(tier, (allow = open));
    }
    return allow;
  }

  /**
   * What the `direction` side of class `subject` allows with each external range (`np`: what its
   * NetworkPolicies allow per range, all when none isolates it; the caller's row, which may be
   * returned or written when they isolate it), memoised by the subject's policy sets. The result is
   * read before the caller's next row.
   */
  external(direction: 'ingress' | 'egress', subject: number, np: ConnectionSet[]): readonly ConnectionSet[] {
    const m = this.m;
    // Keyed as the pod rows are (policy sets, and the ports on ingress), and kept only for a row
    // classes share: a row of its own would keep one array per class and range alive to the end.
    const rowId = this.rowOf[direction][subject]!;
    const kept = this.shared[direction].has(rowId);
    const key = `${direction}:${rowId}`;
    let out = kept ? this.externals.get(key) : undefined;
    if (out) return out;
    const ranges = direction === 'ingress' ? m.sourceExternals : m.destinationExternals;
    const isolated = (direction === 'ingress' ? m.ingressPolicies : m.egressPolicies)[subject]!.length > 0;
    if (direction === 'ingress') {
      // Admin and baseline ingress rules never match an address: the NetworkPolicies or the default decide.
      out = np;
    } else {
      const admin = this.rangeTier(subject);
      if (isolated) {
        for (const i of admin.decided) np[i] = admin.allowed[i]!.union(admin.rest[i]!.intersect(np[i]!));
        out = np;
      } else {
        const base = (admin.base ??= (() => {
          const b = runTierOnRanges(m.admin.baselineEgress[subject]!, ranges, admin.rest);
          return admin.allowed.map((x, i) => x.union(b.allowed[i]!).union(b.rest[i]!));
        })());
        out = base;
      }
    }
    if (kept) this.externals.set(key, (out = out === np ? [...np] : out));
    return out;
  }

  /** Per ingress tier signature: the match classes some admin Allow ingress rule of those policies selects. */
  private readonly allowFrom = new Map<number, Uint8Array>();

  /**
   * False when the ingress side of `subject` surely allows nothing from pod class `other`: its
   * NetworkPolicies isolate it and no rule of theirs selects `other`, nor does any admin Allow rule
   * of its policies (the baseline tier never decides an isolated direction). A test before
   * {@link pod} for the pairs an admin Allow opens at the source, most of which the destination closes.
   */
  mayAdmit(subject: number, other: number): boolean {
    const t = this.tables.ingress[subject];
    if (!t || t.all.length > 0 || t.byClass.has(other)) return true;
    const m = this.m;
    if (!tiersApply(m.admin, 'ingress', subject)) return false;
    const tier = this.tierSig.ingress[subject]!;
    let allow = this.allowFrom.get(tier);
    if (!allow) {
      allow = new Uint8Array(m.admin.matchClasses);
      for (const cp of m.admin.adminIngress[subject]!) {
        for (const r of cp.ingress) {
          if (r.action !== 'Allow') continue;
          for (const p of r.peers) for (const c of p.classes) allow[m.admin.matchClass[c]!] = 1;
        }
      }
      this.allowFrom.set(tier, allow);
    }
    return allow[m.admin.matchClass[other]!] === 1;
  }

  private readonly parts = new Map<number, { allowed: ConnectionSet; rest: ConnectionSet; final: ConnectionSet }>();

  /** The admin and baseline tiers' part of a direction, shared by subjects with the same tier policies and others matched alike. */
  private part(direction: 'ingress' | 'egress', subject: number, other: number) {
    const m = this.m;
    const dst = direction === 'ingress' ? subject : other;
    const key = ((this.tierSig[direction][subject]! * m.admin.matchClasses + m.admin.matchClass[other]!) * (this.C + 1)) + m.classes[dst]!.portsId;
    let p = this.parts.get(key);
    if (p) return p;
    const ports = m.classes[dst]!.ports;
    const endpoint = { kind: 'pod', cls: other } as const;
    const admin = runTier((direction === 'ingress' ? m.admin.adminIngress : m.admin.adminEgress)[subject]!, direction, endpoint, ports, undefined, false);
    const basePolicies = (direction === 'ingress' ? m.admin.baselineIngress : m.admin.baselineEgress)[subject]!;
    const base = basePolicies.length && !admin.rest.isEmpty() ? runTier(basePolicies, direction, endpoint, ports, admin.rest, false) : undefined;
    const final = admin.allowed.union(base ? base.allowed.union(base.rest) : admin.rest);
    p = { allowed: admin.allowed, rest: admin.rest, final };
    this.parts.set(key, p);
    return p;
  }

  /** The table of the NetworkPolicies isolating `subject` for egress (undefined: none does). */
  egressTable(subject: number): SideTable | undefined {
    return this.tables.egress[subject];
  }

  /** What the `direction` side of class `subject` allows with pod class `other`. */
  pod(direction: 'ingress' | 'egress', subject: number, other: number): ConnectionSet {
    const m = this.m;
    const dst = direction === 'ingress' ? subject : other;
    // Egress: the other class is the destination, so its ports are implied; ingress: the row holds the subject's ports.
    // A class with a row of its own asks each other class once: no memo (it would only cost memory).
    const rowId = this.rowOf[direction][subject]!;
    const row = this.shared[direction].has(rowId) ? (this.rows[direction][rowId] ??= new Map()) : undefined;
    let c = row?.get(other);
    if (c) return c;
    const table = this.tables[direction][subject];
    const np = table ? this.conns.lookup(table, other, dst) : undefined;
    if (tiersApply(m.admin, direction, subject)) {
      const p = this.part(direction, subject, other);
      c = np ? p.allowed.union(p.rest.intersect(np)) : p.final;
    } else {
      c = np ?? ConnectionSet.all();
    }
    row?.set(other, c);
    return c;
  }
}

/** Rows of every pod class pair, with {@link pairRows} (both sides read from the tier memo). */
function tieredPodRows(m: Model, tiers: TierMemo, allClasses: readonly number[], workload: readonly PeerRef[], connections: Connection[]): void {
  const pair = (s: number, d: number, egress: ConnectionSet) => {
    if (egress.isEmpty() || networkIsolated(m.classes[s]!, m.classes[d]!) || !tiers.mayAdmit(d, s)) return;
    const ingress = tiers.pod('ingress', d, s);
    const conns = egress === ingress || ingress.isAll() ? egress : egress.isAll() ? ingress : egress.intersect(ingress);
    if (!conns.isEmpty()) pairRows(m, s, d, conns, workload, connections);
  };
  for (let s = 0; s < m.classes.length; s++) {
    const t = tiers.egressTable(s);
    if (!t || t.all.length > 0) {
      for (const d of allClasses) pair(s, d, tiers.pod('egress', s, d));
      continue;
    }
    // Isolated egress: the classes its NetworkPolicy rules select, then those only an admin Allow reaches.
    for (const d of t.byClass.keys()) pair(s, d, tiers.pod('egress', s, d));
    for (const { cls: d, allowed } of tiers.adminAllowed(s)) if (!t.byClass.has(d)) pair(s, d, allowed);
  }
}

/** Rows of every pod class pair when no cluster-wide tier exists: only the classes the egress rules select, when isolated. */
function podRows(
  m: Model, memo: ConnsMemo, tableOf: (policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress') => SideTable,
  ingressTables: ReadonlyArray<SideTable | undefined>, allClasses: readonly number[], workload: readonly PeerRef[], connections: Connection[],
): void {
  for (let s = 0; s < m.classes.length; s++) {
    const t = m.egressPolicies[s]!.length ? tableOf(m.egressPolicies[s]!, 'egress') : undefined;
    const candidates = !t || t.all.length > 0 ? allClasses : [...t.byClass.keys()];
    for (const d of candidates) {
      if (networkIsolated(m.classes[s]!, m.classes[d]!)) continue;
      const egress = t ? memo.lookup(t, d, d) : ConnectionSet.all();
      if (egress.isEmpty()) continue;
      const it = ingressTables[d];
      const conns = it ? egress.intersect(memo.lookup(it, s, d)) : egress;
      if (!conns.isEmpty()) pairRows(m, s, d, conns, workload, connections);
    }
  }
}

/** One row per pair of distinct peers of classes `s` and `d`. */
function pairRows(m: Model, s: number, d: number, conns: ConnectionSet, workload: readonly PeerRef[], connections: Connection[]): void {
  for (const pi of m.classes[s]!.peers) {
    for (const qi of m.classes[d]!.peers) {
      if (pi !== qi) connections.push({ src: workload[pi]!, dst: workload[qi]!, conns });
    }
  }
}

/** Rows between every pod class and every external range, both ways. */
function externalRows(
  m: Model, tiers: TierMemo | undefined, workload: readonly PeerRef[], sources: readonly PeerRef[], destinations: readonly PeerRef[],
  connections: Connection[],
): void {
  // Rows per class over every range, not kept past the class (thousands of ranges per class would
  // be most of what the report allocates): the unisolated rows are shared, the others reuse one array.
  const allFrom = sources.map(() => ConnectionSet.all());
  const allTo = destinations.map(() => ConnectionSet.all());
  const fromRow = new Array<ConnectionSet>(sources.length);
  const toRow = new Array<ConnectionSet>(destinations.length);
  // With the tiers, an egress-isolated class's row is read where its NetworkPolicies or the admin
  // tier allow something, not over every range (the admin `networks` cuts multiply the ranges).
  const touched: Touched | undefined = tiers ? { list: [], seen: new Int32Array(destinations.length), stamp: 0, all: false } : undefined;
  const at: number[] = [];
  const atConns: ConnectionSet[] = [];
  for (let c = 0; c < m.classes.length; c++) {
    const cls = m.classes[c]!;
    const inRules = m.ingressPolicies[c]!.flatMap(p => p.ingress);
    const fromNp = m.ingressPolicies[c]!.length === 0 ? allFrom : externalConns(inRules, m.sourceExternals, cls.ports, fromRow);
    const outRules = m.egressPolicies[c]!.flatMap(p => p.egress);
    const tiered = tiers !== undefined && tiersApply(m.admin, 'egress', c);
    const toNp = m.egressPolicies[c]!.length === 0 ? allTo : externalConns(outRules, m.destinationExternals, undefined, toRow, tiered ? touched : undefined);
    const sparse = tiered && toNp !== allTo && !touched!.all;
    if (sparse) tiers.isolatedEgress(c, toNp, touched!, at, atConns);
    const toExt = tiered && !sparse ? tiers.external('egress', c, toNp) : toNp;
    const fromExt = tiers && tiersApply(m.admin, 'ingress', c) ? tiers.external('ingress', c, fromNp) : fromNp;
    for (const pi of cls.peers) {
      for (let i = 0; i < fromExt.length; i++) if (!fromExt[i]!.isEmpty()) connections.push({ src: sources[i]!, dst: workload[pi]!, conns: fromExt[i]! });
      if (sparse) {
        for (let k = 0; k < at.length; k++) connections.push({ src: workload[pi]!, dst: destinations[at[k]!]!, conns: atConns[k]! });
        continue;
      }
      for (let i = 0; i < toExt.length; i++) if (!toExt[i]!.isEmpty()) connections.push({ src: workload[pi]!, dst: destinations[i]!, conns: toExt[i]! });
    }
  }
}

function computeConnectivity(ws: Workspace, reading: IPBlockReading): ConnectivityReport {
  const m = modelOf(ws, reading);
  const workload = m.peers.map(p => p.ref as PeerRef);
  if (workload.length === 0) return { peers: [], connections: [], externalSources: [], externalDestinations: [], reading };
  const connections: Connection[] = [];
  const memo = new ConnsMemo(m);
  const policyIndex = new Map(m.policies.map((p, i) => [p, i]));
  const tables = new Map<string, SideTable>();
  const tableOf = (policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress'): SideTable => {
    const key = `${direction}:${policySetKey(policies, policyIndex)}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = sideTable(m, policies, direction)));
    return t;
  };
  const ingressTables = m.ingressPolicies.map(p => (p.length ? tableOf(p, 'ingress') : undefined));
  const allClasses = m.classes.map(c => c.index);

  const tiers = m.admin.any
    ? new TierMemo(m, { ingress: ingressTables, egress: m.egressPolicies.map(p => (p.length ? tableOf(p, 'egress') : undefined)) }, memo)
    : undefined;
  // The pod pairs with and without the tiers, in functions of their own: a report with tiers after
  // one without (or the reverse) does not meet, in one function's loops, branches it never ran.
  if (tiers) tieredPodRows(m, tiers, allClasses, workload, connections);
  else podRows(m, memo, tableOf, ingressTables, allClasses, workload, connections);

  const sources = m.sourceExternals.map(e => externalPeer(e.family, e.first, e.last));
  const destinations = m.destinationExternals.map(e => externalPeer(e.family, e.first, e.last));
  externalRows(m, tiers, workload, sources, destinations, connections);

  let controllerReaches = false;
  const positions = new Map<WorkloadPeer, number>(m.peers.map((p, i) => [p, i]));
  for (const [, exposure] of ingressExposures(ws)) {
    const i = positions.get(exposure.peer) ?? -1;
    if (i < 0) continue;
    const policy = endpointConns(m, { kind: 'ingress-controller' }, { kind: 'pod', cls: m.classOfPeer[i]! });
    const allowed = exposure.conns.intersect(policy);
    if (allowed.isEmpty()) continue;
    controllerReaches = true;
    connections.push({ src: INGRESS_CONTROLLER, dst: workload[i]!, conns: allowed });
  }

  connections.sort((a, b) => compareIds(a.src.id, b.src.id) || compareIds(a.dst.id, b.dst.id));
  const externals = new Map<string, PeerRef>();
  for (const p of [...sources, ...destinations]) externals.set(p.id, p);
  const peers = [...workload, ...[...externals.values()].sort((a, b) => compareIds(a.id, b.id))];
  if (controllerReaches) peers.push(INGRESS_CONTROLLER);
  return { peers, connections, externalSources: sources, externalDestinations: destinations, reading };
}

/** The connectivity report for `reading` (default: the workspace setting); cached per generation. */
export function connectivityReport(ws: Workspace, reading: IPBlockReading = ws.settings.ipBlockReading): ConnectivityReport {
  return ws.derived(`policy:connectivity:${reading}`, () => computeConnectivity(ws, reading));
}
