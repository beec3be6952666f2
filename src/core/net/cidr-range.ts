/**
 * The range facts of one CIDR block (start, end, size, containment) for the hover and the address
 * plan, read by the `ip-cidr` package. `ip.ts` stays the validator (the API server's rules, with a
 * message naming the value) and does the set algebra (interval sets); this module answers questions
 * about one block that `ip.ts` already accepted. `test/unit/ip.test.ts` cross-checks the two.
 */
import IPCIDR from 'ip-cidr';
import type { IPFamily } from './ip';

/** One CIDR block's range. */
export interface CIDRRange {
  readonly family: IPFamily;
  readonly prefix: number;
  /** The first address (the network address). */
  readonly start: bigint;
  /** The last address. */
  readonly end: bigint;
  /** How many addresses the block holds. */
  readonly size: bigint;
  /** Whether `other` (an address or a CIDR, as text) lies wholly inside this block. */
  contains(other: string): boolean;
}

/**
 * An IPv6 text with an embedded dotted IPv4 tail (`::ffff:10.0.0.0/104`, how RFC 5952 writes
 * mapped addresses) with the tail as two hex groups: ip-cidr reads any dotted tail as plain IPv4.
 */
function hexTail(text: string): string {
  if (!text.includes(':')) return text;
  return text.replace(/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?=\/|$)/, (_, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
}

/**
 * The range of `text`, a CIDR (`10.1.0.0/16`) or a single address (its /32 or /128), or undefined
 * when ip-cidr cannot read it. Give it values `ip.ts` has validated: ip-cidr is more lenient.
 */
export function cidrRange(text: string): CIDRRange | undefined {
  const family: IPFamily = text.includes(':') ? 6 : 4;
  const withPrefix = text.includes('/') ? hexTail(text) : `${hexTail(text)}/${family === 4 ? 32 : 128}`;
  let block: IPCIDR;
  try {
    block = new IPCIDR(withPrefix);
  } catch {
    return undefined;
  }
  const start = block.start<bigint>({ type: 'bigInteger' });
  const end = block.end<bigint>({ type: 'bigInteger' });
  return {
    family,
    prefix: Number(withPrefix.slice(withPrefix.lastIndexOf('/') + 1)),
    start,
    end,
    size: block.size as bigint,
    contains: other => block.contains(hexTail(other)),
  };
}
