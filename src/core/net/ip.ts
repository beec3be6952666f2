/**
 * Exact IPv4 / IPv6 address math over BigInt.
 *
 * Pure TypeScript: no `vscode`, no DOM, no Node APIs. Used by the
 * NetworkPolicy engine (ipBlock `cidr` / `except` → sets of external address
 * intervals), CIDR hovers and diagnostics.
 *
 * Conventions used throughout this module:
 * - An address is an unsigned integer: 32 bits for IPv4, 128 bits for IPv6.
 * - Every interval / range is **inclusive** at both ends (`first..last`).
 * - IPv4 and IPv6 are never mixed: an IPv4-mapped IPv6 address such as
 *   `::ffff:1.2.3.4` stays family 6 (it is *not* unmapped to IPv4).
 * - Parsers never throw; they return `undefined` or `{ ok: false, error }`.
 *   Functions that take already-parsed values throw `RangeError` /
 *   `TypeError` on programmer errors (value out of range, family mismatch).
 *
 * Over 400 lines: parsing, formatting and the set algebra of one address representation (a BigInt
 * with its family); every part validates and produces the same frozen values, and ip.test.ts
 * checks them together. The range facts of one CIDR are in cidr-range.ts.
 */

/** IP address family: 4 for IPv4, 6 for IPv6. */
export type IPFamily = 4 | 6;

/** A parsed IP address. `value` is in `0 .. 2^bits - 1` (bits = 32 or 128). */
export interface IPAddress {
  readonly family: IPFamily;
  readonly value: bigint;
}

/** An inclusive address range `first..last` (`first <= last`) within one family. */
export interface IPRange {
  readonly family: IPFamily;
  /** First address, inclusive. */
  readonly first: bigint;
  /** Last address, inclusive. */
  readonly last: bigint;
}

/** The index of the first range of `family` whose first address is at least `first`, in ranges sorted by family, then first address. */
export function firstRangeFrom(ranges: readonly IPRange[], family: IPFamily, first: bigint): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = ranges[mid]!;
    if (e.family < family || (e.family === family && e.first < first)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A parsed CIDR block. */
export interface CIDR extends IPRange {
  /** Network address with host bits cleared (equal to `first`). */
  readonly network: bigint;
  /** Prefix length: 0..32 for IPv4, 0..128 for IPv6. */
  readonly prefix: number;
  /** The text as written by the user (for CIDRs built by this module: the canonical form). */
  readonly text: string;
}

/**
 * Result of {@link parseCIDR}. On success `hostBitsSet` tells whether the text
 * had bits set after the prefix (e.g. `10.1.2.3/16`; the CIDR is still usable,
 * it is masked), and `canonical` is the normalized form (`10.1.0.0/16`).
 * On failure `error` is one sentence that quotes the value.
 */
export type CIDRParse =
  | { readonly ok: true; readonly cidr: CIDR; readonly hostBitsSet: boolean; readonly canonical: string; readonly nonStandard?: true }
  | { readonly ok: false; readonly error: string };

/**
 * Result of {@link parseIPResult}: the address, or one sentence explaining
 * why the text is not a valid address (quoting the value).
 */
export type IPParse =
  | { readonly ok: true; readonly address: IPAddress; readonly canonical: string; readonly nonStandard?: true }
  | { readonly ok: false; readonly error: string };

/**
 * Result of {@link parseIPOrCIDR}. `kind: 'ip'` is a plain address, also
 * given as a single-address CIDR (/32 or /128) in `cidr`; its `canonical` is
 * the address without a prefix. `kind: 'cidr'` is as for {@link parseCIDR}.
 */
export type IPOrCIDRParse =
  | {
      readonly ok: true;
      readonly kind: 'ip';
      readonly address: IPAddress;
      readonly cidr: CIDR;
      readonly hostBitsSet: false;
      readonly canonical: string;
      readonly nonStandard?: true;
    }
  | {
      readonly ok: true;
      readonly kind: 'cidr';
      readonly cidr: CIDR;
      readonly hostBitsSet: boolean;
      readonly canonical: string;
      readonly nonStandard?: true;
    }
  | { readonly ok: false; readonly error: string };

// ---------------------------------------------------------------------------
// Family helpers
// ---------------------------------------------------------------------------

/** Number of address bits: 32 for IPv4, 128 for IPv6. */
export function ipBits(family: IPFamily): number {
  return family === 4 ? 32 : 128;
}

/** Largest address of the family: `2^32 - 1` or `2^128 - 1`. */
export function maxAddress(family: IPFamily): bigint {
  return family === 4 ? MAX4 : MAX6;
}

/** Human name of the family: `"IPv4"` or `"IPv6"`. */
export function ipFamilyName(family: IPFamily): 'IPv4' | 'IPv6' {
  return family === 4 ? 'IPv4' : 'IPv6';
}

const MAX4 = (1n << 32n) - 1n;
const MAX6 = (1n << 128n) - 1n;

function checkAddress(family: IPFamily, value: bigint, what = 'address'): void {
  if (family !== 4 && family !== 6) throw new TypeError(`Unknown IP family ${String(family)}`);
  if (typeof value !== 'bigint' || value < 0n || value > maxAddress(family)) {
    throw new RangeError(`${what} ${String(value)} is outside the ${ipFamilyName(family)} range`);
  }
}

/** Mask with the top `prefix` bits set. */
function prefixMask(family: IPFamily, prefix: number): bigint {
  const bits = ipBits(family);
  return maxAddress(family) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

type AddrResult =
  | { ok: true; family: IPFamily; value: bigint }
  | { ok: false; family: IPFamily | undefined; reason: string };

const LEADING_ZERO_REASON = (octet: string): string =>
  `octet "${octet}" has a leading zero, which is ambiguous (octal to libc, decimal to the API server's ` +
  `sloppy parser) and is rejected by Go's net.ParseIP since Go 1.17 and by the API server once its ` +
  `StrictIPCIDRValidation feature gate is on (KEP-4858; before that it warns); ` +
  `write "${String(Number.parseInt(octet, 10))}" if decimal was meant`;

/**
 * How a text is read: `strict` as Go ≥ 1.17's net.ParseIP / netip and apimachinery's strict
 * validation (`IsValidIP`, `IsValidCIDR`); `legacy` as k8s.io/utils/net `ParseIPSloppy` /
 * `ParseCIDRSloppy` (Go 1.16's parser, forked in internal/third_party/forked/golang/net/ip.go),
 * which the API server uses for the fields `IsValidIPForLegacyField` / `IsValidCIDRForLegacyField`
 * validate: octets and prefix lengths with leading zeros are read as decimal (`010` = 10) and an
 * IPv6 group may have more than 4 hex digits if its value fits 16 bits.
 */
export type ParseMode = 'strict' | 'legacy';

function parseV4(s: string, mode: ParseMode = 'strict'): { ok: true; value: bigint } | { ok: false; reason: string } {
  const parts = s.split('.');
  if (parts.length !== 4) {
    return { ok: false, reason: `it has ${parts.length} dot-separated parts, but IPv4 has exactly 4` };
  }
  let value = 0n;
  for (const p of parts) {
    if (p === '') return { ok: false, reason: 'it has an empty octet' };
    if (!/^[0-9]+$/.test(p)) return { ok: false, reason: `octet "${p}" is not a decimal number` };
    // ParseIPSloppy: dtoi reads every digit as decimal; only the value must be at most 255.
    if (mode === 'strict' && p.length > 1 && p[0] === '0') return { ok: false, reason: LEADING_ZERO_REASON(p) };
    if ((mode === 'strict' && p.length > 3) || Number(p) > 255) return { ok: false, reason: `octet "${p}" is greater than 255` };
    value = (value << 8n) | BigInt(Number(p));
  }
  return { ok: true, value };
}

function parseGroups(
  part: string,
  allowV4Tail: boolean,
  mode: ParseMode,
): { ok: true; groups: bigint[] } | { ok: false; reason: string } {
  if (part === '') return { ok: true, groups: [] };
  const raw = part.split(':');
  const groups: bigint[] = [];
  for (let i = 0; i < raw.length; i++) {
    const g = raw[i] as string;
    if (g.includes('.')) {
      if (!allowV4Tail || i !== raw.length - 1) {
        return { ok: false, reason: `an embedded IPv4 part ("${g}") may only appear at the end` };
      }
      const v4 = parseV4(g, mode);
      if (!v4.ok) return { ok: false, reason: `in its embedded IPv4 part "${g}", ${v4.reason}` };
      groups.push(v4.value >> 16n, v4.value & 0xffffn);
      continue;
    }
    if (g === '') return { ok: false, reason: 'it has an empty group (a stray ":")' };
    if (!/^[0-9a-fA-F]+$/.test(g)) return { ok: false, reason: `group "${g}" is not hexadecimal` };
    // ParseIPSloppy: xtoi reads any number of hex digits; only the value must fit 16 bits.
    if (g.length > 4 && (mode === 'strict' || BigInt(`0x${g}`) > 0xffffn)) return { ok: false, reason: `group "${g}" has more than 4 hex digits` };
    groups.push(BigInt(`0x${g}`));
  }
  return { ok: true, groups };
}

function parseV6(s: string, mode: ParseMode): { ok: true; value: bigint } | { ok: false; reason: string } {
  const first = s.indexOf('::');
  let groups: bigint[];
  if (first < 0) {
    const r = parseGroups(s, true, mode);
    if (!r.ok) return r;
    if (r.groups.length !== 8) {
      return {
        ok: false,
        reason: `it has ${r.groups.length} 16-bit groups, but IPv6 needs 8 (or fewer with "::")`,
      };
    }
    groups = r.groups;
  } else {
    if (s.includes(':::')) return { ok: false, reason: 'it contains ":::"' };
    if (s.indexOf('::', first + 1) >= 0) {
      return { ok: false, reason: '"::" may appear only once' };
    }
    const head = parseGroups(s.slice(0, first), false, mode);
    if (!head.ok) return head;
    const tail = parseGroups(s.slice(first + 2), true, mode);
    if (!tail.ok) return tail;
    const n = head.groups.length + tail.groups.length;
    if (n > 7) {
      return {
        ok: false,
        reason: `it has ${n} groups besides "::", but "::" must stand for at least one zero group in an 8-group address`,
      };
    }
    groups = [...head.groups, ...new Array<bigint>(8 - n).fill(0n), ...tail.groups];
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | g;
  return { ok: true, value };
}

const NOT_AN_IP = 'it is not an IP address';

function parseAddr(s: string, mode: ParseMode = 'strict'): AddrResult {
  if (typeof s !== 'string') return { ok: false, family: undefined, reason: 'it is not a string' };
  if (s === '') return { ok: false, family: undefined, reason: 'the value is empty' };
  if (s.trim() !== s) return { ok: false, family: undefined, reason: 'it has leading or trailing whitespace' };
  const pct = s.indexOf('%');
  if (pct >= 0 && s.includes(':')) {
    return {
      ok: false,
      family: 6,
      reason: `it has a zone index ("${s.slice(pct)}"), which Kubernetes IP fields do not allow`,
    };
  }
  if (s.includes(':')) {
    const r = parseV6(s, mode);
    return r.ok ? { ok: true, family: 6, value: r.value } : { ok: false, family: 6, reason: r.reason };
  }
  if (s.includes('.') && /^[0-9.]+$/.test(s)) {
    const r = parseV4(s, mode);
    return r.ok ? { ok: true, family: 4, value: r.value } : { ok: false, family: 4, reason: r.reason };
  }
  return { ok: false, family: undefined, reason: NOT_AN_IP };
}

/**
 * Parses an IPv4 or IPv6 address, explaining failures.
 *
 * IPv4: strict dotted quad, four decimal octets 0..255 with **no leading
 * zeros** (`010.0.0.1` is rejected, as Go ≥ 1.17 and Kubernetes' strict
 * validation do). IPv6: every RFC 4291 text form (`::`, `::1`, `fe80::1`,
 * full 8 groups, upper or lower case hex, embedded IPv4 tail such as
 * `::ffff:1.2.3.4`); zone indices (`fe80::1%eth0`) are rejected. No
 * surrounding whitespace, brackets or prefix length is accepted.
 *
 * On success `canonical` is {@link formatIP} of the address. With `mode` `legacy` the text is read
 * as `ParseIPSloppy` reads it (see {@link ParseMode}); `nonStandard` is then set when the strict
 * reading rejects it (the API server accepts it with a warning, or rejects it with the
 * StrictIPCIDRValidation feature gate on).
 */
export function parseIPResult(text: string, mode: ParseMode = 'strict'): IPParse {
  const r = parseAddr(text, mode);
  if (r.ok) {
    const address: IPAddress = Object.freeze({ family: r.family, value: r.value });
    const canonical = formatIP(r.family, r.value);
    return mode === 'legacy' && !parseAddr(text).ok ? { ok: true, address, canonical, nonStandard: true } : { ok: true, address, canonical };
  }
  if (r.family === undefined) {
    const why = r.reason === NOT_AN_IP ? '' : `: ${r.reason}`;
    return { ok: false, error: `"${text}" is not an IP address${why}` };
  }
  return { ok: false, error: `"${text}" is not a valid ${ipFamilyName(r.family)} address: ${r.reason}` };
}

/**
 * Parses an IPv4 or IPv6 address (rules as in {@link parseIPResult}).
 * Returns `undefined` when the text is not a valid address; use
 * {@link parseIPResult} to get the reason.
 */
export function parseIP(text: string, mode: ParseMode = 'strict'): IPAddress | undefined {
  const r = parseIPResult(text, mode);
  return r.ok ? r.address : undefined;
}

/**
 * Builds a CIDR from an address and prefix length, clearing host bits.
 * `text` defaults to the canonical form. Throws `RangeError` if the value or
 * prefix is out of range for the family.
 */
export function makeCIDR(family: IPFamily, value: bigint, prefix: number, text?: string): CIDR {
  checkAddress(family, value);
  const bits = ipBits(family);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new RangeError(`prefix length ${prefix} is outside 0..${bits} for ${ipFamilyName(family)}`);
  }
  const network = value & prefixMask(family, prefix);
  const last = network | ((1n << BigInt(bits - prefix)) - 1n);
  return Object.freeze({
    family,
    network,
    prefix,
    first: network,
    last,
    text: text ?? `${formatIP(family, network)}/${prefix}`,
  });
}

/**
 * Parses CIDR notation `address/prefix` (IPv4 or IPv6, address rules as in
 * {@link parseIPResult}; prefix length is decimal without leading zeros,
 * 0..32 or 0..128). Host bits set after the prefix (`10.1.2.3/16`) are
 * accepted: the result is masked, `hostBitsSet` is true and `canonical` is
 * `10.1.0.0/16`. Never throws. With `mode` `legacy` the text is read as `ParseCIDRSloppy` reads it
 * (leading zeros in octets and in the prefix length are decimal; see {@link ParseMode}), and
 * `nonStandard` is set when the strict reading rejects it.
 */
export function parseCIDR(text: string, mode: ParseMode = 'strict'): CIDRParse {
  const r = parseCIDRIn(text, mode);
  return r.ok && mode === 'legacy' && !parseCIDRIn(text, 'strict').ok ? { ...r, nonStandard: true } : r;
}

function parseCIDRIn(text: string, mode: ParseMode): CIDRParse {
  if (typeof text !== 'string') return { ok: false, error: `"${String(text)}" is not a CIDR: it is not a string` };
  if (text === '') return { ok: false, error: '"" is not a CIDR: the value is empty' };
  const slash = text.indexOf('/');
  if (slash < 0) {
    const a = parseAddr(text, mode);
    if (a.ok) {
      return {
        ok: false,
        error: `"${text}" is an IP address, not a CIDR; add a prefix length such as /${ipBits(a.family)}`,
      };
    }
    if (a.family === undefined) {
      return {
        ok: false,
        error: `"${text}" is not an IP address or CIDR` + (a.reason === NOT_AN_IP ? '' : `: ${a.reason}`),
      };
    }
    return { ok: false, error: `"${text}" is not a valid CIDR: its ${ipFamilyName(a.family)} address is invalid (${a.reason})` };
  }
  const addrText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const a = parseAddr(addrText, mode);
  if (!a.ok) {
    if (a.family === undefined) {
      const why = addrText === '' ? 'the address before "/" is missing' : `"${addrText}" is not an IP address`;
      return { ok: false, error: `"${text}" is not a valid CIDR: ${why}` };
    }
    return { ok: false, error: `"${text}" is not a valid CIDR: its ${ipFamilyName(a.family)} address is invalid (${a.reason})` };
  }
  const bits = ipBits(a.family);
  if (!/^[0-9]+$/.test(prefixText)) {
    const why = prefixText === '' ? 'the prefix length after "/" is missing' : `prefix length "${prefixText}" is not a decimal number`;
    return { ok: false, error: `"${text}" is not a valid CIDR: ${why}` };
  }
  // ParseCIDRSloppy reads the prefix length with dtoi: leading zeros are decimal.
  if (mode === 'strict' && prefixText.length > 1 && prefixText[0] === '0') {
    return { ok: false, error: `"${text}" is not a valid CIDR: prefix length "${prefixText}" has a leading zero` };
  }
  const prefix = prefixText.replace(/^0+(?=.)/, '').length > 3 ? Infinity : Number(prefixText);
  if (prefix > bits) {
    return {
      ok: false,
      error: `"${text}" has prefix length ${prefixText}, but ${ipFamilyName(a.family)} allows 0 to ${bits}`,
    };
  }
  const cidr = makeCIDR(a.family, a.value, prefix, text);
  return { ok: true, cidr, hostBitsSet: cidr.network !== a.value, canonical: formatCIDR(cidr) };
}

/**
 * Parses either a plain address or a CIDR, for hovers. A plain address is
 * returned as `kind: 'ip'` together with its single-address CIDR (/32 or
 * /128). Errors are as for {@link parseCIDR}, except that a plain address is
 * not an error. `mode` as for {@link parseCIDR}. Never throws.
 */
export function parseIPOrCIDR(text: string, mode: ParseMode = 'strict'): IPOrCIDRParse {
  if (typeof text === 'string' && !text.includes('/')) {
    const a = parseIPResult(text, mode);
    if (a.ok) {
      const { family, value } = a.address;
      const cidr = makeCIDR(family, value, ipBits(family), text);
      const r = { ok: true, kind: 'ip', address: a.address, cidr, hostBitsSet: false, canonical: a.canonical } as const;
      return a.nonStandard ? { ...r, nonStandard: true } : r;
    }
  }
  const r = parseCIDR(text, mode);
  if (!r.ok) return r;
  const c = { ok: true, kind: 'cidr', cidr: r.cidr, hostBitsSet: r.hostBitsSet, canonical: r.canonical } as const;
  return r.nonStandard ? { ...c, nonStandard: true } : c;
}

/**
 * How Go's net package reads an IPv4-mapped IPv6 block (`::ffff:10.0.0.0/104`): `IP.To4()` turns
 * its network address into IPv4, and `IPNet.Contains` / `String` apply the last 32 bits of the mask
 * (`10.0.0.0/8`). Undefined when the block's network is not IPv4-mapped (not in `::ffff:0:0/96`
 * with a prefix of at least 96).
 */
export function ipv4MappedReading(cidr: CIDR): CIDR | undefined {
  if (cidr.family !== 6 || cidr.network >> 32n !== 0xffffn || cidr.prefix < 96) return undefined;
  return makeCIDR(4, cidr.network & MAX4, cidr.prefix - 96);
}

/**
 * Whether ValidateIPBlock (pkg/apis/networking/validation) accepts `inner` as an `except` of
 * `outer`: `cidrIPNet.Contains(exceptCIDR.IP) && cidrMaskLen < exceptMaskLen`, with Go's `To4()`
 * reading of IPv4-mapped addresses in `Contains` and the written prefix lengths in the comparison.
 */
export function isStrictSubsetForValidation(outer: CIDR, inner: CIDR): boolean {
  const net = ipv4MappedReading(outer) ?? outer;
  const ip = ipv4MappedReading(makeCIDR(inner.family, inner.network, ipBits(inner.family))) ?? inner;
  const inside = net.family === ip.family && ip.network >= net.first && ip.network <= net.last;
  return inside && outer.prefix < inner.prefix;
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

function formatV4(value: bigint): string {
  const n = Number(value);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * Formats an address. IPv4 as a dotted quad; IPv6 in RFC 5952 canonical
 * form: lowercase hex without leading zeros, the longest run of two or more
 * zero groups compressed to `::` (the leftmost run on a tie; a single zero
 * group is never compressed), and IPv4-mapped addresses (`::ffff:0:0/96`)
 * written as `::ffff:1.2.3.4`. Throws `RangeError` if `value` is outside the
 * family's range.
 */
export function formatIP(family: IPFamily, value: bigint): string {
  checkAddress(family, value);
  if (family === 4) return formatV4(value);
  if (value >> 32n === 0xffffn) return `::ffff:${formatV4(value & MAX4)}`;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestLen < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** Canonical CIDR text: `formatIP(network)/prefix`, e.g. `10.1.0.0/16`, `2001:db8::/32`. */
export function formatCIDR(cidr: CIDR): string {
  return `${formatIP(cidr.family, cidr.network)}/${cidr.prefix}`;
}

/**
 * Formats an inclusive range as `first-last`, e.g. `0.0.0.0-9.255.255.255`
 * (the notation np-guard's netpol-analyzer uses for external peers).
 */
export function formatRange(family: IPFamily, first: bigint, last: bigint): string {
  return `${formatIP(family, first)}-${formatIP(family, last)}`;
}

// ---------------------------------------------------------------------------
// CIDR math
// ---------------------------------------------------------------------------

/** Number of addresses in the block: `2^(bits - prefix)` (a /32 has 1, a /0 IPv4 has 2^32). */
export function cidrSize(cidr: CIDR): bigint {
  return 1n << BigInt(ipBits(cidr.family) - cidr.prefix);
}

/**
 * True if every address of `b` is in `a` (a CIDR contains itself). Always
 * false when the families differ.
 */
export function contains(a: IPRange, b: IPRange): boolean {
  return a.family === b.family && a.first <= b.first && b.last <= a.last;
}

/** True if `a` and `b` share at least one address. Always false when the families differ. */
export function overlaps(a: IPRange, b: IPRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** The inclusive address range covered by a CIDR. */
export function cidrToRange(cidr: CIDR): IPRange {
  return Object.freeze({ family: cidr.family, first: cidr.first, last: cidr.last });
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The minimal list of CIDRs whose union is exactly `first..last`
 * (inclusive), in ascending order. Returns `[]` if `first > last`. Throws
 * `RangeError` if either bound is outside the family's range.
 */
export function rangeToCIDRs(family: IPFamily, first: bigint, last: bigint): CIDR[] {
  checkAddress(family, first, 'first');
  checkAddress(family, last, 'last');
  const bits = ipBits(family);
  const out: CIDR[] = [];
  let cur = first;
  while (cur <= last) {
    // Largest aligned block starting at cur: limited by cur's trailing zeros…
    const align = cur === 0n ? bits : bitLength(cur & -cur) - 1;
    // …and by the remaining length.
    const fit = bitLength(last - cur + 1n) - 1;
    const hostBits = Math.min(align, fit);
    out.push(makeCIDR(family, cur, bits - hostBits));
    cur += 1n << BigInt(hostBits);
  }
  return out;
}

/**
 * Kubernetes node IPAM capacity for a cluster pod CIDR split into per-node
 * blocks of prefix `nodeMaskSize` (kube-controller-manager
 * `--node-cidr-mask-size`).
 *
 * - `nodes` = `2^(nodeMaskSize - podCIDR.prefix)`, the number of node blocks;
 *   0 if `nodeMaskSize < podCIDR.prefix` (the node block would be larger than
 *   the cluster CIDR, which kube-controller-manager rejects).
 * - `podsPerNode` = `2^(bits - nodeMaskSize)`, the number of **addresses** in
 *   one node block. The actual pod limit is capped separately by kubelet's
 *   `--max-pods` (default 110) and may lose a few addresses to the CNI.
 *
 * Throws `RangeError` if `nodeMaskSize` is not an integer in `0..bits`.
 */
export function nodeCapacity(podCIDR: CIDR, nodeMaskSize: number): { nodes: bigint; podsPerNode: bigint } {
  const bits = ipBits(podCIDR.family);
  if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < 0 || nodeMaskSize > bits) {
    throw new RangeError(`node mask size ${nodeMaskSize} is outside 0..${bits} for ${ipFamilyName(podCIDR.family)}`);
  }
  const nodes = nodeMaskSize < podCIDR.prefix ? 0n : 1n << BigInt(nodeMaskSize - podCIDR.prefix);
  return { nodes, podsPerNode: 1n << BigInt(bits - nodeMaskSize) };
}

// ---------------------------------------------------------------------------
// Interval sets
// ---------------------------------------------------------------------------

/** One inclusive interval `first..last` of an {@link IPIntervalSet}. */
export interface IPInterval {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * An immutable set of addresses of one family, stored as sorted,
 * non-overlapping, non-adjacent (merged) inclusive intervals. All binary
 * operations are linear in the number of intervals and throw `TypeError`
 * when the two sets have different families.
 *
 * For a NetworkPolicy `ipBlock { cidr, except }` the peer set is
 * `IPIntervalSet.fromCIDR(cidr).subtract(IPIntervalSet.fromCIDRs(family, except))`.
 */
export class IPIntervalSet {
  private constructor(
    /** Address family of every member. */
    readonly family: IPFamily,
    private readonly ivs: readonly IPInterval[],
  ) {
    Object.freeze(this);
  }

  /** The empty set of the family. */
  static empty(family: IPFamily): IPIntervalSet {
    return new IPIntervalSet(family, Object.freeze([]));
  }

  /** Every address of the family (`0.0.0.0/0` or `::/0`). */
  static all(family: IPFamily): IPIntervalSet {
    return new IPIntervalSet(family, Object.freeze([Object.freeze({ first: 0n, last: maxAddress(family) })]));
  }

  /** The addresses of one CIDR. */
  static fromCIDR(cidr: CIDR): IPIntervalSet {
    return IPIntervalSet.fromRange(cidr.family, cidr.first, cidr.last);
  }

  /** The union of CIDRs of `family`; CIDRs of the other family are ignored. */
  static fromCIDRs(family: IPFamily, cidrs: readonly CIDR[]): IPIntervalSet {
    return IPIntervalSet.fromIntervals(
      family,
      cidrs.filter((c) => c.family === family),
    );
  }

  /**
   * The inclusive range `first..last`; empty if `first > last`. Throws
   * `RangeError` if a bound is outside the family's range.
   */
  static fromRange(family: IPFamily, first: bigint, last: bigint): IPIntervalSet {
    checkAddress(family, first, 'first');
    checkAddress(family, last, 'last');
    if (first > last) return IPIntervalSet.empty(family);
    return new IPIntervalSet(family, Object.freeze([Object.freeze({ first, last })]));
  }

  /**
   * The union of arbitrary inclusive intervals (any order, may overlap;
   * intervals with `first > last` are ignored). O(n log n) for the sort.
   * Throws `RangeError` if a bound is outside the family's range.
   */
  static fromIntervals(family: IPFamily, intervals: readonly IPInterval[]): IPIntervalSet {
    const sorted = intervals
      .filter((iv) => {
        checkAddress(family, iv.first, 'first');
        checkAddress(family, iv.last, 'last');
        return iv.first <= iv.last;
      })
      .map((iv) => ({ first: iv.first, last: iv.last }))
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const out: IPInterval[] = [];
    for (const iv of sorted) pushMerged(out, iv.first, iv.last);
    return IPIntervalSet.wrap(family, out);
  }

  private static wrap(family: IPFamily, ivs: IPInterval[]): IPIntervalSet {
    return new IPIntervalSet(family, Object.freeze(ivs.map((iv) => Object.freeze(iv))));
  }

  /** The intervals of `other`, a set of this family (a set of the other family throws). */
  private same(other: IPIntervalSet): readonly IPInterval[] {
    if (other.family !== this.family) {
      throw new TypeError(`Cannot combine ${ipFamilyName(this.family)} and ${ipFamilyName(other.family)} address sets`);
    }
    return other.ivs;
  }

  /** Addresses in `this` or `other`. */
  union(other: IPIntervalSet): IPIntervalSet {
    const a = this.ivs;
    const b = this.same(other);
    const out: IPInterval[] = [];
    for (let i = 0, j = 0; i < a.length || j < b.length;) {
      const next =
        j >= b.length || (i < a.length && (a[i] as IPInterval).first <= (b[j] as IPInterval).first)
          ? (a[i++] as IPInterval)
          : (b[j++] as IPInterval);
      pushMerged(out, next.first, next.last);
    }
    return IPIntervalSet.wrap(this.family, out);
  }

  /** Addresses in both `this` and `other`. */
  intersect(other: IPIntervalSet): IPIntervalSet {
    const a = this.ivs;
    const b = this.same(other);
    const out: IPInterval[] = [];
    for (let i = 0, j = 0; i < a.length && j < b.length;) {
      const x = a[i] as IPInterval;
      const y = b[j] as IPInterval;
      const first = x.first > y.first ? x.first : y.first;
      const last = x.last < y.last ? x.last : y.last;
      if (first <= last) out.push({ first, last });
      if (x.last < y.last) i++;
      else j++;
    }
    return IPIntervalSet.wrap(this.family, out);
  }

  /** Addresses in `this` but not in `other` (e.g. ipBlock cidr minus excepts). */
  subtract(other: IPIntervalSet): IPIntervalSet {
    const b = this.same(other);
    const out: IPInterval[] = [];
    let j = 0;
    for (const x of this.ivs) {
      let cur = x.first;
      // Skip removals entirely before this interval.
      while (j < b.length && (b[j] as IPInterval).last < cur) j++;
      let k = j;
      while (k < b.length && (b[k] as IPInterval).first <= x.last) {
        const y = b[k] as IPInterval;
        if (y.first > cur) out.push({ first: cur, last: y.first - 1n });
        if (y.last >= x.last) {
          cur = x.last + 1n;
          break;
        }
        cur = y.last + 1n;
        k++;
      }
      if (cur <= x.last) out.push({ first: cur, last: x.last });
      j = k;
    }
    return IPIntervalSet.wrap(this.family, out);
  }

  /** True if the set has no addresses. */
  isEmpty(): boolean {
    return this.ivs.length === 0;
  }

  /** True if both sets have the same family and exactly the same addresses. */
  equals(other: IPIntervalSet): boolean {
    if (other.family !== this.family || other.ivs.length !== this.ivs.length) return false;
    return this.ivs.every((iv, i) => {
      const o = other.ivs[i] as IPInterval;
      return iv.first === o.first && iv.last === o.last;
    });
  }

  /**
   * True if the address is in the set. A bare bigint is taken to be of this
   * set's family; an {@link IPAddress} of the other family is never contained.
   * O(log n).
   */
  contains(value: bigint | IPAddress): boolean {
    let v: bigint;
    if (typeof value === 'bigint') v = value;
    else if (value.family !== this.family) return false;
    else v = value.value;
    let lo = 0;
    let hi = this.ivs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const iv = this.ivs[mid] as IPInterval;
      if (v < iv.first) hi = mid - 1;
      else if (v > iv.last) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** The sorted, merged, inclusive intervals (a frozen array; safe to keep). */
  intervals(): readonly IPInterval[] {
    return this.ivs;
  }

  /** Number of addresses in the set. */
  size(): bigint {
    let n = 0n;
    for (const iv of this.ivs) n += iv.last - iv.first + 1n;
    return n;
  }

  /** The minimal CIDR cover of each interval, in ascending order. */
  toCIDRs(): CIDR[] {
    return this.ivs.flatMap((iv) => rangeToCIDRs(this.family, iv.first, iv.last));
  }

  /** Intervals as `first-last` joined by `, ` (`{}` when empty); for debugging and messages. */
  toString(): string {
    if (this.ivs.length === 0) return '{}';
    return this.ivs.map((iv) => formatRange(this.family, iv.first, iv.last)).join(', ');
  }
}

/** Appends `first..last` (sorted by first) to `out`, merging overlap and adjacency. */
function pushMerged(out: IPInterval[], first: bigint, last: bigint): void {
  const top = out[out.length - 1];
  if (top !== undefined && first <= top.last + 1n) {
    if (last > top.last) out[out.length - 1] = { first: top.first, last };
  } else {
    out.push({ first, last });
  }
}

// ---------------------------------------------------------------------------
// Boundary splitting
// ---------------------------------------------------------------------------

/**
 * Cuts the whole address space of `family` (default IPv4:
 * `0.0.0.0`–`255.255.255.255`) at every boundary of the given blocks (each
 * block's `first` and `last + 1`) and returns the resulting maximal
 * intervals in ascending order. They are disjoint and cover the whole space,
 * and every given block is exactly a union of some of them, so a caller can
 * evaluate policy once per interval. Blocks of the other family are ignored;
 * with no blocks the result is the single whole-space interval.
 *
 * Example: `[10.0.0.0/8]` →
 * `0.0.0.0-9.255.255.255`, `10.0.0.0-10.255.255.255`, `11.0.0.0-255.255.255.255`.
 */
export function splitByBoundaries(blocks: readonly IPRange[], family: IPFamily = 4): IPRange[] {
  const max = maxAddress(family);
  const cuts = new Set<bigint>([0n]);
  for (const b of blocks) {
    if (b.family !== family) continue;
    cuts.add(b.first);
    if (b.last < max) cuts.add(b.last + 1n);
  }
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map((first, i) => {
    const next = sorted[i + 1];
    return Object.freeze({ family, first, last: next === undefined ? max : next - 1n });
  });
}
