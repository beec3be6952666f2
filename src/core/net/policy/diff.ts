/**
 * Connectivity diff between two workspaces (np-guard's `diff` semantics): every ordered pair whose
 * allowed connections differ is `added` (none before), `removed` (none after) or `changed`; pairs
 * with equal connections are `unchanged` (kept for the dot graph). External ranges are recomputed for
 * the diff: per workload and direction, the address space is cut at the ranges of both sides and
 * adjacent pieces with the same (before, after) connections are merged.
 */
import type { Workspace } from '../../workspace';
import type { IPFamily } from '../ip';
import type { ConnectionSet } from './connections';
import { connectivityReport, type ConnectivityReport } from './evaluate';
import type { IPBlockReading } from './model';
import { externalPeer, type PeerRef } from './peers';
import type { PairNetwork } from './network-layout';
import { whySecondaryPair } from './secondary';
import { whyPair, type DecidingRule } from './why';

export type DiffType = 'added' | 'removed' | 'changed' | 'unchanged';

/** One ordered pair and its connections on each side. */
export interface PairDiff {
  readonly type: DiffType;
  readonly src: PeerRef;
  readonly dst: PeerRef;
  /** Connections before (undefined: none). */
  readonly before: ConnectionSet | undefined;
  /** Connections after (undefined: none). */
  readonly after: ConnectionSet | undefined;
  /** The source workload exists on only one side (added with an added pair, lost with a removed one). */
  readonly srcNewOrLost: boolean;
  readonly dstNewOrLost: boolean;
  /**
   * The network the flow is on, set only when the inputs declare secondary networks
   * (`withSecondaryNetworks`); a `NAD` flow is decided by MultiNetworkPolicies.
   */
  readonly network?: PairNetwork;
}

export interface ConnectivityDiff {
  /** Every pair with traffic on either side, changed or not. */
  readonly pairs: readonly PairDiff[];
  readonly before: ConnectivityReport;
  readonly after: ConnectivityReport;
}

type Side = { src: PeerRef; dst: PeerRef; conns: ConnectionSet };

interface IPPiece { family: IPFamily; first: bigint; last: bigint; before?: ConnectionSet; after?: ConnectionSet }

/** The diff of `after` against `before` under the ipBlock reading (default: each workspace's setting). */
export function connectivityDiff(before: Workspace, after: Workspace, reading?: IPBlockReading): ConnectivityDiff {
  const r1 = connectivityReport(before, reading ?? before.settings.ipBlockReading);
  const r2 = connectivityReport(after, reading ?? after.settings.ipBlockReading);
  const pairs = new Map<string, { src: PeerRef; dst: PeerRef; before?: ConnectionSet; after?: ConnectionSet }>();
  // External pieces per (direction, workload id): the ranges of both sides.
  const external = new Map<string, { workload: PeerRef; srcIsIP: boolean; ranges: Array<{ family: IPFamily; first: bigint; last: bigint; conns: ConnectionSet; side: 1 | 2 }> }>();
  const add = (c: Side, side: 1 | 2) => {
    const ipSide = c.src.kind === 'external' ? c.src : c.dst.kind === 'external' ? c.dst : undefined;
    if (ipSide && ipSide.kind === 'external') {
      const workload = ipSide === c.src ? c.dst : c.src;
      const key = `${ipSide === c.src ? 'in' : 'out'}\u0000${workload.id}`;
      let e = external.get(key);
      if (!e) external.set(key, (e = { workload, srcIsIP: ipSide === c.src, ranges: [] }));
      e.ranges.push({ family: ipSide.family, first: ipSide.first, last: ipSide.last, conns: c.conns, side });
      return;
    }
    const key = `${c.src.id}\u0000${c.dst.id}`;
    const p = pairs.get(key) ?? { src: c.src, dst: c.dst };
    if (side === 1) p.before = c.conns;
    else p.after = c.conns;
    pairs.set(key, p);
  };
  for (const c of r1.connections) add(c, 1);
  for (const c of r2.connections) add(c, 2);
  for (const e of external.values()) {
    for (const piece of mergedPieces(e.ranges)) {
      const ip = externalPeer(piece.family, piece.first, piece.last);
      const src = e.srcIsIP ? ip : e.workload;
      const dst = e.srcIsIP ? e.workload : ip;
      pairs.set(`${src.id}\u0000${dst.id}`, { src, dst, before: piece.before, after: piece.after });
    }
  }
  return { pairs: pairDiffs(pairs.values(), r1, r2), before: r1, after: r2 };
}

/**
 * Each pair's change between the reports `r1` and `r2` (its connections `before` in r1, `after` in
 * r2), with whether an added or removed pair's workloads are new or lost.
 */
export function pairDiffs(
  pairs: Iterable<{ src: PeerRef; dst: PeerRef; before?: ConnectionSet; after?: ConnectionSet }>, r1: ConnectivityReport, r2: ConnectivityReport,
): PairDiff[] {
  const names1 = new Set(r1.peers.filter(p => p.kind === 'workload').map(p => p.id));
  const names2 = new Set(r2.peers.filter(p => p.kind === 'workload').map(p => p.id));
  const out: PairDiff[] = [];
  for (const p of pairs) {
    const type: DiffType = p.before && p.after ? (p.before.equals(p.after) ? 'unchanged' : 'changed') : p.before ? 'removed' : 'added';
    const other = type === 'removed' ? names2 : names1;
    const newOrLost = (peer: PeerRef) => (type === 'added' || type === 'removed') && peer.kind === 'workload' && !other.has(peer.id);
    out.push({ type, src: p.src, dst: p.dst, before: p.before, after: p.after, srcNewOrLost: newOrLost(p.src), dstNewOrLost: newOrLost(p.dst) });
  }
  return out;
}

/** Cuts the ranges of both sides at each other's boundaries and merges adjacent pieces with equal (before, after). */
function mergedPieces(ranges: Array<{ family: IPFamily; first: bigint; last: bigint; conns: ConnectionSet; side: 1 | 2 }>): IPPiece[] {
  const out: IPPiece[] = [];
  for (const family of [4, 6] as const) {
    const rs = ranges.filter(r => r.family === family);
    if (rs.length === 0) continue;
    const cuts = new Set<bigint>();
    for (const r of rs) { cuts.add(r.first); cuts.add(r.last + 1n); }
    const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // Each side's ranges for one workload and direction are disjoint: sweep them with one cursor each.
    const side = (n: 1 | 2) => rs.filter(r => r.side === n).sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    const s1 = side(1);
    const s2 = side(2);
    let i1 = 0;
    let i2 = 0;
    const at = (list: typeof rs, i: number, first: bigint): [ConnectionSet | undefined, number] => {
      while (i < list.length && list[i]!.last < first) i++;
      return [i < list.length && list[i]!.first <= first ? list[i]!.conns : undefined, i];
    };
    let prev: IPPiece | undefined;
    for (let i = 0; i + 1 < points.length; i++) {
      const first = points[i]!;
      const last = points[i + 1]! - 1n;
      let b: ConnectionSet | undefined;
      let a: ConnectionSet | undefined;
      [b, i1] = at(s1, i1, first);
      [a, i2] = at(s2, i2, first);
      if (!a && !b) { prev = undefined; continue; }
      if (prev && prev.last + 1n === first && sameConns(prev.before, b) && sameConns(prev.after, a)) {
        prev.last = last;
        continue;
      }
      prev = { family, first, last, before: b, after: a };
      out.push(prev);
    }
  }
  return out;
}

function sameConns(x: ConnectionSet | undefined, y: ConnectionSet | undefined): boolean {
  return x === undefined ? y === undefined : y !== undefined && x.equals(y);
}

/** Whether anything differs. */
export function hasChanges(d: ConnectivityDiff): boolean {
  return d.pairs.some(p => p.type !== 'unchanged');
}

/** The ports a pair gained (after minus before) and lost (before minus after). */
export function portDelta(p: PairDiff): { gained: ConnectionSet | undefined; lost: ConnectionSet | undefined } {
  const gained = p.after ? (p.before ? p.after.subtract(p.before) : p.after) : undefined;
  const lost = p.before ? (p.after ? p.before.subtract(p.after) : p.before) : undefined;
  return { gained: gained && !gained.isEmpty() ? gained : undefined, lost: lost && !lost.isEmpty() ? lost : undefined };
}

/**
 * The policy rules (or objects) of `ws` that decide the ports `conns` of `src => dst`: for ports now
 * allowed, the rules that allow them; for ports now denied, the policies that deny them. Rules of the
 * system default are left out (nothing in the workspace to point at). Deduplicated, in order of the
 * first port they decide, ingress side first.
 */
export function decidingRulesFor(ws: Workspace, src: PeerRef, dst: PeerRef, conns: ConnectionSet, allowed: boolean, reading?: IPBlockReading,
  network?: PairNetwork): DecidingRule[] {
  // On a secondary network the MultiNetworkPolicies decide.
  const why = network?.kind === 'NAD' ? whySecondaryPair(ws, src, dst, network.name) : whyPair(ws, src, dst, reading);
  if (!why) return [];
  const out: DecidingRule[] = [];
  const seen = new Set<string>();
  for (const side of [why.ingress, why.egress]) {
    for (const protocol of side.protocols()) {
      for (const r of conns.portRanges(protocol)) {
        for (const s of side.byProtocol[protocol] ?? []) {
          if (s.last < r.first || s.first > r.last) continue;
          // A denied port is denied by the side that denies it; an allowed one needs both sides.
          if (!allowed && s.allowed) continue;
          for (const rule of s.rules.rules) {
            if (!rule.object) continue;
            const key = `${rule.object.file}\u0000${rule.object.index}\u0000${rule.rule?.span.start ?? -1}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(rule);
          }
        }
      }
    }
  }
  return out;
}
