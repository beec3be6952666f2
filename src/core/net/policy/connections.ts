/**
 * Sets of connections: for each protocol NetworkPolicy knows (SCTP, TCP, UDP), a set of ports kept
 * as sorted, merged inclusive intervals. Cost grows with the number of distinct port ranges written
 * in policies, never with the 65,535 ports.
 */
import type { Protocol } from '../../parse/views/protocol';

/** The protocols a NetworkPolicy port can name, in np-guard's print order. */
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** An inclusive port interval. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

type Ranges = readonly PortRange[];

const FULL: Ranges = Object.freeze([Object.freeze({ first: MIN_PORT, last: MAX_PORT })]);
const EMPTY: Ranges = Object.freeze([]);

function normalize(ranges: readonly PortRange[]): Ranges {
  const sorted = ranges
    .map(r => ({ first: Math.max(MIN_PORT, r.first), last: Math.min(MAX_PORT, r.last) }))
    .filter(r => r.first <= r.last)
    .sort((a, b) => a.first - b.first);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const top = out[out.length - 1];
    if (top && r.first <= top.last + 1) out[out.length - 1] = { first: top.first, last: Math.max(top.last, r.last) };
    else out.push(r);
  }
  return out.length === 0 ? EMPTY : Object.freeze(out.map(r => Object.freeze(r)));
}

/** A list of sorted, disjoint, non-adjacent intervals within 1-65535 (already normal), frozen. */
function frozen(out: PortRange[]): Ranges {
  if (out.length === 0) return EMPTY;
  return isFull(out) ? FULL : Object.freeze(out);
}

/** The union of two normal lists in one merge pass (no sort, no copies of the inputs). */
function unionRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || b === FULL) return b;
  if (b.length === 0 || a === FULL) return a;
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  let first = 0;
  let last = -2;
  while (i < a.length || j < b.length) {
    const r = j >= b.length || (i < a.length && a[i]!.first <= b[j]!.first) ? a[i++]! : b[j++]!;
    if (r.first <= last + 1) {
      if (r.last > last) last = r.last;
      continue;
    }
    if (last >= first) out.push(Object.freeze({ first, last }));
    first = r.first;
    last = r.last;
  }
  out.push(Object.freeze({ first, last }));
  return frozen(out);
}

function intersectRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || b === FULL) return a;
  if (b.length === 0 || a === FULL) return b;
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const first = Math.max(x.first, y.first);
    const last = Math.min(x.last, y.last);
    if (first <= last) out.push(Object.freeze({ first, last }));
    if (x.last < y.last) i++;
    else j++;
  }
  // Pieces of two normal lists' intervals: sorted, disjoint and never adjacent (normal already).
  if (sameRanges(out, a)) return a;
  if (sameRanges(out, b)) return b;
  return frozen(out);
}

function subtractRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || b.length === 0) return a;
  const out: PortRange[] = [];
  // Index loops: these run per pair and per address range, before the code is optimised too.
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    let cur = x.first;
    for (let j = 0; j < b.length; j++) {
      const y = b[j]!;
      if (y.last < cur || y.first > x.last) continue;
      if (y.first > cur) out.push(Object.freeze({ first: cur, last: y.first - 1 }));
      cur = Math.max(cur, y.last + 1);
      if (cur > x.last) break;
    }
    if (cur <= x.last) out.push(Object.freeze({ first: cur, last: x.last }));
  }
  // Pieces of `a`'s intervals with `b`'s cut out: sorted, disjoint, never adjacent (normal already).
  if (sameRanges(out, a)) return a;
  return frozen(out);
}

function sameRanges(a: Ranges, b: Ranges): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.first !== b[i]!.first || a[i]!.last !== b[i]!.last) return false;
  return true;
}

function isFull(r: Ranges): boolean {
  return r.length === 1 && r[0]!.first === MIN_PORT && r[0]!.last === MAX_PORT;
}

function formatRanges(r: Ranges): string {
  return r.map(x => (x.first === x.last ? String(x.first) : `${x.first}-${x.last}`)).join(',');
}

/**
 * An immutable set of (protocol, port) pairs over TCP, UDP and SCTP ports 1-65535. Operations are
 * linear in the number of port intervals.
 */
export class ConnectionSet {
  private constructor(private readonly byProtocol: Readonly<Record<Protocol, Ranges>>) {
    Object.freeze(this);
  }

  private static readonly ALL = new ConnectionSet({ SCTP: FULL, TCP: FULL, UDP: FULL });
  private static readonly NONE = new ConnectionSet({ SCTP: EMPTY, TCP: EMPTY, UDP: EMPTY });

  /** Every port of every protocol (`All Connections`). */
  static all(): ConnectionSet {
    return ConnectionSet.ALL;
  }

  /** No connection at all. */
  static none(): ConnectionSet {
    return ConnectionSet.NONE;
  }

  /** Ports `first..last` (inclusive, clipped to 1-65535) of one protocol; empty when `first > last`. */
  static ports(protocol: Protocol, first: number, last: number = first): ConnectionSet {
    const r = normalize([{ first, last }]);
    return new ConnectionSet({ ...ConnectionSet.NONE.byProtocol, [protocol]: isFull(r) ? FULL : r });
  }

  /** Every port of one protocol. */
  static protocol(protocol: Protocol): ConnectionSet {
    return new ConnectionSet({ ...ConnectionSet.NONE.byProtocol, [protocol]: FULL });
  }

  private combine(other: ConnectionSet, op: (a: Ranges, b: Ranges) => Ranges): ConnectionSet {
    // The ops return FULL for every full list and an input itself when nothing changes: a result
    // equal to an operand is that operand (no allocation; evaluation combines sets in tight loops).
    const a = this.byProtocol;
    const b = other.byProtocol;
    const SCTP = op(a.SCTP, b.SCTP);
    const TCP = op(a.TCP, b.TCP);
    const UDP = op(a.UDP, b.UDP);
    if (SCTP === a.SCTP && TCP === a.TCP && UDP === a.UDP) return this;
    if (SCTP === b.SCTP && TCP === b.TCP && UDP === b.UDP) return other;
    if (SCTP === FULL && TCP === FULL && UDP === FULL) return ConnectionSet.ALL;
    if (SCTP.length === 0 && TCP.length === 0 && UDP.length === 0) return ConnectionSet.NONE;
    return new ConnectionSet({ SCTP, TCP, UDP });
  }

  /** Connections in `this` or `other`. */
  union(other: ConnectionSet): ConnectionSet {
    if (this === ConnectionSet.ALL || other === ConnectionSet.NONE) return this;
    if (other === ConnectionSet.ALL || this === ConnectionSet.NONE) return other;
    return this.combine(other, unionRanges);
  }

  /** Connections in both `this` and `other`. */
  intersect(other: ConnectionSet): ConnectionSet {
    if (this === ConnectionSet.NONE || other === ConnectionSet.ALL) return this;
    if (other === ConnectionSet.NONE || this === ConnectionSet.ALL) return other;
    return this.combine(other, intersectRanges);
  }

  /** Connections in `this` but not in `other`. */
  subtract(other: ConnectionSet): ConnectionSet {
    if (other === ConnectionSet.NONE || this === ConnectionSet.NONE) return this;
    if (other === ConnectionSet.ALL) return ConnectionSet.NONE;
    return this.combine(other, subtractRanges);
  }

  /** Every port of every protocol. */
  isAll(): boolean {
    const b = this.byProtocol;
    return this === ConnectionSet.ALL || (isFull(b.SCTP) && isFull(b.TCP) && isFull(b.UDP));
  }

  /** No connection. */
  isEmpty(): boolean {
    // Asked per pair and per address range in tight loops: no closure, and the shared empty set first.
    const b = this.byProtocol;
    return this === ConnectionSet.NONE || (b.SCTP.length === 0 && b.TCP.length === 0 && b.UDP.length === 0);
  }

  /** Same connections. */
  equals(other: ConnectionSet): boolean {
    return this === other || PROTOCOLS.every(p => sameRanges(this.byProtocol[p], other.byProtocol[p]));
  }

  /** Whether `port` of `protocol` is in the set. */
  allows(protocol: Protocol, port: number): boolean {
    return this.byProtocol[protocol].some(r => r.first <= port && port <= r.last);
  }

  /** The port intervals of one protocol, ascending. */
  portRanges(protocol: Protocol): readonly PortRange[] {
    return this.byProtocol[protocol];
  }

  /**
   * np-guard's notation: `All Connections`, `No Connections`, or per protocol in the order SCTP,
   * TCP, UDP `PROTO ranges` joined by `,` (`SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535`).
   */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    return PROTOCOLS.filter(p => this.byProtocol[p].length > 0)
      .map(p => `${p} ${formatRanges(this.byProtocol[p])}`)
      .join(',');
  }
}
