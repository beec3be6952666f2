import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CIDR,
  type IPFamily,
  IPIntervalSet,
  cidrSize,
  cidrToRange,
  contains,
  formatCIDR,
  formatIP,
  formatRange,
  ipBits,
  ipFamilyName,
  makeCIDR,
  maxAddress,
  nodeCapacity,
  overlaps,
  parseCIDR,
  parseIP,
  parseIPOrCIDR,
  parseIPResult,
  rangeToCIDRs,
  splitByBoundaries,
} from '../../src/core/net/ip';
import { cidrRange } from '../../src/core/net/cidr-range';
import { prng } from '../../bench/gen';

function cidr(text: string): CIDR {
  const r = parseCIDR(text);
  if (!r.ok) throw new Error(r.error);
  return r.cidr;
}
function ip(text: string): bigint {
  const a = parseIP(text);
  if (a === undefined) throw new Error(`bad ip ${text}`);
  return a.value;
}
function set(...cidrs: string[]): IPIntervalSet {
  const parsed = cidrs.map(cidr);
  const family = parsed[0]?.family ?? 4;
  return IPIntervalSet.fromCIDRs(family, parsed);
}
function ipErr(text: string): string {
  const r = parseIPResult(text);
  assert.equal(r.ok, false, `${text} should be invalid`);
  return r.ok ? '' : r.error;
}
function cidrErr(text: string): string {
  const r = parseCIDR(text);
  assert.equal(r.ok, false, `${text} should be invalid`);
  return r.ok ? '' : r.error;
}
function ranges(family: IPFamily, rs: readonly { first: bigint; last: bigint }[]): string[] {
  return rs.map((r) => formatRange(family, r.first, r.last));
}

// --- parsing IPv4 ----------------------------------------------------------

test('parseIP: IPv4 dotted quads', () => {
  assert.deepEqual(parseIP('0.0.0.0'), { family: 4, value: 0n });
  assert.deepEqual(parseIP('255.255.255.255'), { family: 4, value: 0xffffffffn });
  assert.deepEqual(parseIP('10.1.2.3'), { family: 4, value: 0x0a010203n });
  assert.deepEqual(parseIP('192.168.0.1'), { family: 4, value: 0xc0a80001n });
});

test('parseIP: invalid IPv4 returns undefined, with reasons from parseIPResult', () => {
  for (const t of ['256.0.0.1', '1.2.3.4.5', '1.2.3', '1..2.3', '010.0.0.1', '', 'A', ' 1.2.3.4', '1.2.3.4/32', '1.2.3.-4']) {
    assert.equal(parseIP(t), undefined, t);
  }
  assert.match(ipErr('256.0.0.1'), /^"256\.0\.0\.1" is not a valid IPv4 address: octet "256" is greater than 255$/);
  assert.match(ipErr('1.2.3.4.5'), /"1\.2\.3\.4\.5" .*5 dot-separated parts, but IPv4 has exactly 4/);
  assert.match(ipErr('1.2.3'), /3 dot-separated parts/);
  assert.match(ipErr('1..2.3'), /empty octet/);
  assert.match(ipErr('1.2.3.1000'), /octet "1000" is greater than 255/);
  assert.equal(ipErr(''), '"" is not an IP address: the value is empty');
  assert.equal(ipErr('A'), '"A" is not an IP address');
  assert.match(ipErr(' 1.2.3.4'), /whitespace/);
});

test('parseIP: leading zeros are rejected and the error says why', () => {
  for (const t of ['010.0.0.1', '10.00.0.1', '1.2.3.04', '00.0.0.0']) {
    const e = ipErr(t);
    assert.match(e, /leading zero/, t);
  }
  const e = ipErr('010.0.0.1');
  assert.match(e, /^"010\.0\.0\.1" is not a valid IPv4 address: octet "010" has a leading zero/);
  assert.match(e, /octal/);
  assert.match(e, /Go 1\.17/);
  assert.match(e, /write "10"/);
  // a lone zero octet is fine
  assert.deepEqual(parseIP('0.10.0.0'), { family: 4, value: 0x000a0000n });
});

// --- parsing IPv6 ----------------------------------------------------------

test('parseIP: IPv6 text forms (RFC 4291)', () => {
  assert.deepEqual(parseIP('::'), { family: 6, value: 0n });
  assert.deepEqual(parseIP('::1'), { family: 6, value: 1n });
  assert.deepEqual(parseIP('1::'), { family: 6, value: 1n << 112n });
  assert.deepEqual(parseIP('fe80::1'), { family: 6, value: (0xfe80n << 112n) | 1n });
  assert.equal(ip('2001:db8:0:0:1:0:0:1'), ip('2001:DB8::1:0:0:1'));
  assert.equal(ip('2001:0db8:0000:0000:0000:0000:0000:0001'), ip('2001:db8::1'));
  assert.equal(ip('FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF'), maxAddress(6));
  assert.equal(ip('1:2:3:4:5:6:7::'), 0x0001_0002_0003_0004_0005_0006_0007_0000n);
  assert.equal(ip('::2:3:4:5:6:7:8'), 0x0000_0002_0003_0004_0005_0006_0007_0008n);
  assert.equal(ip('::ffff:1.2.3.4'), (0xffffn << 32n) | 0x01020304n);
  assert.equal(ip('::FFFF:1.2.3.4'), ip('::ffff:102:304'));
  assert.equal(ip('0:0:0:0:0:ffff:10.0.0.1'), ip('::ffff:a00:1'));
  assert.equal(ip('64:ff9b::192.0.2.33'), ip('64:ff9b::c000:221'));
  assert.equal(parseIP('::ffff:1.2.3.4')?.family, 6, 'IPv4-mapped stays IPv6');
});

test('parseIP: invalid IPv6 with reasons', () => {
  assert.match(ipErr('1::2::3'), /^"1::2::3" is not a valid IPv6 address: "::" may appear only once$/);
  assert.match(ipErr('::1::'), /"::" may appear only once/);
  assert.match(ipErr(':::'), /":::"/);
  const zone = ipErr('fe80::1%eth0');
  assert.match(zone, /^"fe80::1%eth0" is not a valid IPv6 address: .*zone index \("%eth0"\)/);
  assert.match(ipErr('1:2:3:4:5:6:7'), /7 16-bit groups, but IPv6 needs 8/);
  assert.match(ipErr('1:2:3:4:5:6:7:8:9'), /9 16-bit groups/);
  assert.match(ipErr('1:2:3:4:5:6:7:8::'), /"::" must stand for at least one zero group/);
  assert.match(ipErr('12345::'), /group "12345" has more than 4 hex digits/);
  assert.match(ipErr('g::'), /group "g" is not hexadecimal/);
  assert.match(ipErr(':1:2:3:4:5:6:7'), /empty group/);
  assert.match(ipErr('1:2:3:4:5:6:7:'), /empty group/);
  assert.match(ipErr('::1.2.3.256'), /embedded IPv4 part "1\.2\.3\.256", octet "256" is greater than 255/);
  assert.match(ipErr('::ffff:01.2.3.4'), /leading zero/);
  assert.match(ipErr('1.2.3.4::'), /embedded IPv4 part .* only appear at the end/);
  assert.match(ipErr('::1.2.3.4:1'), /embedded IPv4 part .* only appear at the end/);
  assert.equal(parseIP('[::1]'), undefined);
});

// --- formatting ------------------------------------------------------------

test('formatIP: IPv4 and RFC 5952 IPv6', () => {
  assert.equal(formatIP(4, 0n), '0.0.0.0');
  assert.equal(formatIP(4, 0xffffffffn), '255.255.255.255');
  const canon: [string, string][] = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // tie → leftmost run
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // single zero group not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // longest run wins over the leftmost
    ['2001:DB8::ABCD', '2001:db8::abcd'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['fe80:0000:0000:0000:0000:0000:0000:0001', 'fe80::1'],
    ['0:1:0:1:0:1:0:1', '0:1:0:1:0:1:0:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['0:0:1:2:3:4:5:6', '::1:2:3:4:5:6'],
    ['1:2:3:4:5:6:0:0', '1:2:3:4:5:6::'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::FFFF:0102:0304', '::ffff:1.2.3.4'],
    ['::ffff:0:0', '::ffff:0.0.0.0'],
    ['::fffe:1.2.3.4', '::fffe:102:304'], // not mapped: plain hex
    ['::1.2.3.4', '::102:304'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ];
  for (const [input, want] of canon) {
    const r = parseIPResult(input);
    assert.ok(r.ok, input);
    assert.equal(r.canonical, want, input);
    assert.equal(formatIP(6, ip(input)), want, input);
  }
  assert.throws(() => formatIP(4, 1n << 32n), RangeError);
  assert.throws(() => formatIP(6, -1n), RangeError);
});

test('formatIP: random IPv6 agrees with WHATWG URL canonicalization and round-trips', () => {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let n = 0; n < 2000; n++) {
    let v = 0n;
    for (let g = 0; g < 8; g++) {
      const group = rnd() % 3 === 0 ? 0 : rnd() & 0xffff;
      v = (v << 16n) | BigInt(group);
    }
    const text = formatIP(6, v);
    assert.equal(ip(text), v, text);
    if (v >> 32n !== 0xffffn) {
      // URL serializes IPv6 hosts per RFC 5952 (except mapped IPv4 stays hex).
      assert.equal(new URL(`http://[${text}]/`).hostname, `[${text}]`);
    }
  }
});

// --- CIDRs -----------------------------------------------------------------

test('parseCIDR: canonical input', () => {
  const r = parseCIDR('10.0.0.0/8');
  assert.ok(r.ok);
  assert.equal(r.hostBitsSet, false);
  assert.equal(r.canonical, '10.0.0.0/8');
  assert.deepEqual(r.cidr, {
    family: 4,
    network: 0x0a000000n,
    prefix: 8,
    first: 0x0a000000n,
    last: 0x0affffffn,
    text: '10.0.0.0/8',
  });
  assert.ok(Object.isFrozen(r.cidr));
});

test('parseCIDR: host bits set are accepted, masked and flagged', () => {
  const r = parseCIDR('10.1.2.3/16');
  assert.ok(r.ok);
  assert.equal(r.hostBitsSet, true);
  assert.equal(r.canonical, '10.1.0.0/16');
  assert.equal(r.cidr.text, '10.1.2.3/16');
  assert.equal(r.cidr.network, ip('10.1.0.0'));
  assert.equal(r.cidr.last, ip('10.1.255.255'));
  const v6 = parseCIDR('2001:DB8::1/32');
  assert.ok(v6.ok);
  assert.equal(v6.hostBitsSet, true);
  assert.equal(v6.canonical, '2001:db8::/32');
  const mapped = parseCIDR('::ffff:10.1.2.3/120');
  assert.ok(mapped.ok);
  assert.equal(mapped.canonical, '::ffff:10.1.2.0/120');
});

test('parseCIDR: /0, /32, /128, /127', () => {
  const all4 = cidr('0.0.0.0/0');
  assert.equal(all4.first, 0n);
  assert.equal(all4.last, maxAddress(4));
  assert.equal(cidrSize(all4), 1n << 32n);
  const any4 = parseCIDR('1.2.3.4/0');
  assert.ok(any4.ok);
  assert.equal(any4.hostBitsSet, true);
  assert.equal(any4.canonical, '0.0.0.0/0');

  const host = cidr('1.2.3.4/32');
  assert.equal(host.first, host.last);
  assert.equal(cidrSize(host), 1n);

  const all6 = cidr('::/0');
  assert.equal(all6.last, maxAddress(6));
  assert.equal(cidrSize(all6), 1n << 128n);

  const host6 = cidr('2001:db8::1/128');
  assert.equal(cidrSize(host6), 1n);
  assert.equal(formatCIDR(host6), '2001:db8::1/128');

  const p2p = parseCIDR('2001:db8::1/127');
  assert.ok(p2p.ok);
  assert.equal(p2p.hostBitsSet, true);
  assert.equal(p2p.canonical, '2001:db8::/127');
  assert.equal(cidrSize(p2p.cidr), 2n);
  assert.equal(formatRange(6, p2p.cidr.first, p2p.cidr.last), '2001:db8::-2001:db8::1');
});

test('parseCIDR: error messages name the value', () => {
  assert.equal(cidrErr('10.0.0.0/33'), '"10.0.0.0/33" has prefix length 33, but IPv4 allows 0 to 32');
  assert.equal(cidrErr('::/129'), '"::/129" has prefix length 129, but IPv6 allows 0 to 128');
  assert.equal(cidrErr('10.0.0.0/99999999999999999999'), '"10.0.0.0/99999999999999999999" has prefix length 99999999999999999999, but IPv4 allows 0 to 32');
  assert.equal(cidrErr('A'), '"A" is not an IP address or CIDR');
  assert.equal(cidrErr(''), '"" is not a CIDR: the value is empty');
  assert.match(cidrErr('256.0.0.0/8'), /^"256\.0\.0\.0\/8" is not a valid CIDR: its IPv4 address is invalid \(octet "256" is greater than 255\)$/);
  assert.match(cidrErr('1.2.3.4.5/8'), /5 dot-separated parts/);
  assert.match(cidrErr('010.0.0.0/8'), /leading zero/);
  assert.match(cidrErr('1::2::3/64'), /"::" may appear only once/);
  assert.match(cidrErr('fe80::1%eth0/64'), /zone index/);
  assert.match(cidrErr('10.0.0.1'), /^"10\.0\.0\.1" is an IP address, not a CIDR; add a prefix length such as \/32$/);
  assert.match(cidrErr('::1'), /such as \/128/);
  assert.match(cidrErr('10.0.0.0/'), /prefix length after "\/" is missing/);
  assert.match(cidrErr('/8'), /address before "\/" is missing/);
  assert.match(cidrErr('10.0.0.0/x'), /prefix length "x" is not a decimal number/);
  assert.match(cidrErr('10.0.0.0/8/8'), /is not a decimal number/);
  assert.match(cidrErr('10.0.0.0/-1'), /is not a decimal number/);
  assert.match(cidrErr('10.0.0.0/08'), /prefix length "08" has a leading zero/);
  assert.match(cidrErr('A/8'), /^"A\/8" is not a valid CIDR: "A" is not an IP address$/);
});

test('parseIPOrCIDR: plain address is a /32 or /128', () => {
  const a = parseIPOrCIDR('10.0.0.1');
  assert.ok(a.ok && a.kind === 'ip');
  assert.equal(a.canonical, '10.0.0.1');
  assert.equal(a.cidr.prefix, 32);
  assert.equal(cidrSize(a.cidr), 1n);
  const b = parseIPOrCIDR('2001:DB8::1');
  assert.ok(b.ok && b.kind === 'ip');
  assert.equal(b.cidr.prefix, 128);
  assert.equal(b.canonical, '2001:db8::1');
  const c = parseIPOrCIDR('10.1.2.3/16');
  assert.ok(c.ok && c.kind === 'cidr');
  assert.equal(c.hostBitsSet, true);
  assert.equal(c.canonical, '10.1.0.0/16');
  const d = parseIPOrCIDR('A');
  assert.ok(!d.ok);
  assert.equal(d.error, '"A" is not an IP address or CIDR');
  const e = parseIPOrCIDR('010.0.0.1');
  assert.ok(!e.ok);
  assert.match(e.error, /leading zero/);
});

test('makeCIDR masks and validates', () => {
  const c = makeCIDR(4, ip('192.168.1.77'), 24);
  assert.equal(c.text, '192.168.1.0/24');
  assert.equal(c.network, ip('192.168.1.0'));
  assert.throws(() => makeCIDR(4, 0n, 33), RangeError);
  assert.throws(() => makeCIDR(4, 1n << 32n, 8), RangeError);
  assert.throws(() => makeCIDR(6, 0n, 1.5), RangeError);
});

test('contains / overlaps / cidrToRange', () => {
  const a = cidr('10.0.0.0/8');
  const b = cidr('10.1.0.0/16');
  const c = cidr('11.0.0.0/8');
  assert.equal(contains(a, b), true);
  assert.equal(contains(b, a), false);
  assert.equal(contains(a, a), true);
  assert.equal(contains(a, c), false);
  assert.equal(overlaps(a, b), true);
  assert.equal(overlaps(b, a), true);
  assert.equal(overlaps(a, c), false, 'adjacent blocks do not overlap');
  assert.equal(overlaps(cidr('10.0.0.0/25'), cidr('10.0.0.128/25')), false);
  assert.equal(contains(cidr('0.0.0.0/0'), cidr('::/0')), false, 'families differ');
  assert.equal(overlaps(cidr('0.0.0.0/0'), cidr('::/0')), false, 'families differ');
  assert.deepEqual(cidrToRange(b), { family: 4, first: ip('10.1.0.0'), last: ip('10.1.255.255') });
});

test('rangeToCIDRs: minimal covers', () => {
  const fmt = (cs: CIDR[]): string[] => cs.map(formatCIDR);
  assert.deepEqual(fmt(rangeToCIDRs(4, 0n, maxAddress(4))), ['0.0.0.0/0']);
  assert.deepEqual(fmt(rangeToCIDRs(6, 0n, maxAddress(6))), ['::/0']);
  assert.deepEqual(fmt(rangeToCIDRs(4, ip('10.0.0.5'), ip('10.0.0.5'))), ['10.0.0.5/32']);
  assert.deepEqual(fmt(rangeToCIDRs(4, ip('10.0.0.1'), ip('10.0.0.6'))), [
    '10.0.0.1/32',
    '10.0.0.2/31',
    '10.0.0.4/31',
    '10.0.0.6/32',
  ]);
  assert.deepEqual(fmt(rangeToCIDRs(4, 0n, ip('9.255.255.255'))), ['0.0.0.0/5', '8.0.0.0/7']);
  assert.deepEqual(fmt(rangeToCIDRs(4, ip('11.0.0.0'), maxAddress(4))), [
    '11.0.0.0/8',
    '12.0.0.0/6',
    '16.0.0.0/4',
    '32.0.0.0/3',
    '64.0.0.0/2',
    '128.0.0.0/1',
  ]);
  assert.deepEqual(rangeToCIDRs(4, 5n, 4n), []);
  assert.throws(() => rangeToCIDRs(4, 0n, 1n << 32n), RangeError);
  assert.deepEqual(fmt(rangeToCIDRs(6, ip('2001:db8::'), ip('2001:db8::2'))), ['2001:db8::/127', '2001:db8::2/128']);
});

test('rangeToCIDRs: round trip with CIDR → range and random ranges', () => {
  for (const t of ['10.0.0.0/8', '0.0.0.0/0', '1.2.3.4/32', '192.168.128.0/17', '::/0', '2001:db8::/32', 'fe80::1/128']) {
    const c = cidr(t);
    const back = rangeToCIDRs(c.family, c.first, c.last);
    assert.deepEqual(back.map(formatCIDR), [formatCIDR(c)], t);
  }
  let seed = 7;
  const rnd = (): bigint => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return BigInt(seed);
  };
  for (let n = 0; n < 500; n++) {
    const fam: IPFamily = n % 2 === 0 ? 4 : 6;
    const span = fam === 4 ? (rnd() << 1n) | (rnd() & 1n) : (rnd() << 97n) ^ (rnd() << 60n) ^ rnd();
    let x = span & maxAddress(fam);
    let y = (span * 2654435761n + rnd()) & maxAddress(fam);
    if (x > y) [x, y] = [y, x];
    const cs = rangeToCIDRs(fam, x, y);
    // contiguous, exact, each aligned
    let cur = x;
    for (const c of cs) {
      assert.equal(c.first, cur);
      assert.equal(c.network & (cidrSize(c) - 1n), 0n);
      cur = c.last + 1n;
    }
    assert.equal(cur, y + 1n);
    // minimal: no two consecutive blocks of equal size that could merge
    for (let i = 1; i < cs.length; i++) {
      const a = cs[i - 1] as CIDR;
      const b = cs[i] as CIDR;
      if (a.prefix === b.prefix && a.prefix > 0) {
        const parent = makeCIDR(fam, a.first, a.prefix - 1);
        assert.ok(!(parent.first === a.first && parent.last === b.last), `mergeable ${a.text} ${b.text}`);
      }
    }
    assert.ok(IPIntervalSet.fromCIDRs(fam, cs).equals(IPIntervalSet.fromRange(fam, x, y)));
  }
});

// --- interval sets ---------------------------------------------------------

test('IPIntervalSet: basics', () => {
  const e = IPIntervalSet.empty(4);
  assert.equal(e.isEmpty(), true);
  assert.equal(e.size(), 0n);
  assert.equal(e.toString(), '{}');
  assert.equal(IPIntervalSet.all(4).size(), 1n << 32n);
  assert.equal(IPIntervalSet.all(6).size(), 1n << 128n);
  const s = IPIntervalSet.fromCIDR(cidr('10.0.0.0/8'));
  assert.equal(s.contains(ip('10.255.255.255')), true);
  assert.equal(s.contains(ip('11.0.0.0')), false);
  assert.equal(s.contains(parseIP('10.0.0.1')!), true);
  assert.equal(s.contains(parseIP('::ffff:10.0.0.1')!), false, 'other family never contained');
  assert.deepEqual(s.intervals(), [{ first: ip('10.0.0.0'), last: ip('10.255.255.255') }]);
  assert.ok(Object.isFrozen(s));
  assert.ok(Object.isFrozen(s.intervals()));
  assert.equal(IPIntervalSet.fromRange(4, 5n, 4n).isEmpty(), true);
});

test('IPIntervalSet: adjacent /25 blocks merge to the /24', () => {
  const u = set('10.0.0.0/25').union(set('10.0.0.128/25'));
  assert.ok(u.equals(set('10.0.0.0/24')));
  assert.equal(u.intervals().length, 1);
  assert.deepEqual(u.toCIDRs().map(formatCIDR), ['10.0.0.0/24']);
  assert.deepEqual(set('10.0.0.128/25', '10.0.0.0/25').toCIDRs().map(formatCIDR), ['10.0.0.0/24']);
  // overlapping and nested
  assert.ok(set('10.0.0.0/8', '10.1.0.0/16', '10.200.0.0/24').equals(set('10.0.0.0/8')));
  // disjoint stay apart
  assert.equal(set('10.0.0.0/25', '10.0.1.0/25').intervals().length, 2);
});

test('IPIntervalSet: ipBlock except at the edges, equal, outside', () => {
  const block = set('10.0.0.0/24');
  // except at the low edge
  assert.equal(block.subtract(set('10.0.0.0/26')).toString(), '10.0.0.64-10.0.0.255');
  // except at the high edge
  assert.equal(block.subtract(set('10.0.0.192/26')).toString(), '10.0.0.0-10.0.0.191');
  // single addresses at both edges
  assert.equal(block.subtract(set('10.0.0.0/32', '10.0.0.255/32')).toString(), '10.0.0.1-10.0.0.254');
  // except in the middle splits
  assert.equal(block.subtract(set('10.0.0.128/30')).toString(), '10.0.0.0-10.0.0.127, 10.0.0.132-10.0.0.255');
  // except equal to cidr → empty
  assert.equal(block.subtract(set('10.0.0.0/24')).isEmpty(), true);
  // except larger than cidr → empty
  assert.equal(block.subtract(set('10.0.0.0/8')).isEmpty(), true);
  // except outside → unchanged
  assert.ok(block.subtract(set('192.168.0.0/16')).equals(block));
  assert.ok(block.subtract(set('10.0.1.0/24')).equals(block), 'adjacent except changes nothing');
  // whole space minus private ranges
  const pub = IPIntervalSet.all(4).subtract(set('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'));
  assert.equal(pub.size(), (1n << 32n) - (1n << 24n) - (1n << 20n) - (1n << 16n));
  assert.equal(pub.contains(ip('8.8.8.8')), true);
  assert.equal(pub.contains(ip('172.20.0.1')), false);
  // IPv6 edges
  const v6 = set('2001:db8::/32').subtract(set('2001:db8::/33'));
  assert.equal(v6.toString(), '2001:db8:8000::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
});

test('IPIntervalSet: intersect and equality', () => {
  const a = set('10.0.0.0/8', '192.168.0.0/16');
  const b = set('10.5.0.0/16', '192.0.0.0/8', '172.16.0.0/12');
  assert.ok(a.intersect(b).equals(set('10.5.0.0/16', '192.168.0.0/16')));
  assert.ok(a.intersect(IPIntervalSet.empty(4)).isEmpty());
  assert.ok(a.intersect(IPIntervalSet.all(4)).equals(a));
  assert.ok(a.equals(set('192.168.0.0/16', '10.0.0.0/8')), 'order-independent');
  assert.ok(!a.equals(b));
  assert.ok(!IPIntervalSet.empty(4).equals(IPIntervalSet.empty(6)), 'families differ');
  assert.ok(IPIntervalSet.empty(4).equals(IPIntervalSet.fromCIDRs(4, [])));
  assert.throws(() => a.union(IPIntervalSet.all(6)), TypeError);
  assert.throws(() => a.subtract(IPIntervalSet.all(6)), TypeError);
  assert.throws(() => a.intersect(IPIntervalSet.all(6)), TypeError);
});

test('IPIntervalSet: operations agree with brute force on a small universe', () => {
  // Sets over addresses 0..63 encoded as 64-bit masks.
  let seed = 99;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const randomSet = (): [IPIntervalSet, bigint] => {
    const ivs: { first: bigint; last: bigint }[] = [];
    let mask = 0n;
    const k = rnd(5);
    for (let i = 0; i < k; i++) {
      const a = rnd(64);
      const b = Math.min(63, a + rnd(20));
      ivs.push({ first: BigInt(a), last: BigInt(b) });
      for (let x = a; x <= b; x++) mask |= 1n << BigInt(x);
    }
    return [IPIntervalSet.fromIntervals(4, ivs), mask];
  };
  const toMask = (s: IPIntervalSet): bigint => {
    let m = 0n;
    let prevLast = -2n;
    for (const iv of s.intervals()) {
      assert.ok(iv.first > prevLast + 1n, 'sorted, disjoint and merged');
      assert.ok(iv.first <= iv.last);
      for (let x = iv.first; x <= iv.last; x++) m |= 1n << x;
      prevLast = iv.last;
    }
    return m;
  };
  const popcount = (m: bigint): bigint => BigInt(m.toString(2).replace(/0/g, '').length);
  const full = (1n << 64n) - 1n;
  for (let n = 0; n < 400; n++) {
    const [a, ma] = randomSet();
    const [b, mb] = randomSet();
    assert.equal(toMask(a), ma);
    assert.equal(toMask(a.union(b)), ma | mb);
    assert.equal(toMask(a.intersect(b)), ma & mb);
    assert.equal(toMask(a.subtract(b)), ma & (full ^ mb));
    assert.equal(a.size(), popcount(ma));
    assert.equal(a.equals(b), ma === mb);
    const probe = BigInt(rnd(66));
    assert.equal(a.contains(probe), ((ma >> probe) & 1n) === 1n);
  }
});

// --- boundaries ------------------------------------------------------------

test('splitByBoundaries: np-guard style external intervals', () => {
  assert.deepEqual(ranges(4, splitByBoundaries([cidr('10.0.0.0/8')])), [
    '0.0.0.0-9.255.255.255',
    '10.0.0.0-10.255.255.255',
    '11.0.0.0-255.255.255.255',
  ]);
  assert.deepEqual(ranges(4, splitByBoundaries([])), ['0.0.0.0-255.255.255.255']);
  assert.deepEqual(ranges(4, splitByBoundaries([cidr('0.0.0.0/0')])), ['0.0.0.0-255.255.255.255']);
  assert.deepEqual(ranges(4, splitByBoundaries([cidr('0.0.0.0/1')])), [
    '0.0.0.0-127.255.255.255',
    '128.0.0.0-255.255.255.255',
  ]);
});

test('splitByBoundaries: nested and adjacent CIDRs', () => {
  const blocks = ['10.0.0.0/8', '10.1.0.0/16', '10.1.0.0/24', '10.2.0.0/16', '10.3.0.0/16', '255.255.255.255/32', '::/0'].map(cidr);
  const parts = splitByBoundaries(blocks);
  assert.deepEqual(ranges(4, parts), [
    '0.0.0.0-9.255.255.255',
    '10.0.0.0-10.0.255.255',
    '10.1.0.0-10.1.0.255',
    '10.1.1.0-10.1.255.255',
    '10.2.0.0-10.2.255.255',
    '10.3.0.0-10.3.255.255',
    '10.4.0.0-10.255.255.255',
    '11.0.0.0-255.255.255.254',
    '255.255.255.255-255.255.255.255',
  ]);
  // cover the whole space without gaps, and every block is a union of parts
  assert.ok(IPIntervalSet.fromIntervals(4, parts).equals(IPIntervalSet.all(4)));
  for (const b of blocks.filter((c) => c.family === 4)) {
    for (const p of parts) assert.ok(contains(b, p) || !overlaps(b, p), `${b.text} vs ${formatRange(4, p.first, p.last)}`);
  }
  // IPv6 on request
  assert.deepEqual(ranges(6, splitByBoundaries(blocks, 6)), ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
});

// --- misc ------------------------------------------------------------------

test('nodeCapacity', () => {
  assert.deepEqual(nodeCapacity(cidr('10.244.0.0/16'), 24), { nodes: 256n, podsPerNode: 256n });
  assert.deepEqual(nodeCapacity(cidr('10.244.0.0/16'), 16), { nodes: 1n, podsPerNode: 65536n });
  assert.deepEqual(nodeCapacity(cidr('10.244.0.0/16'), 8), { nodes: 0n, podsPerNode: 1n << 24n });
  assert.deepEqual(nodeCapacity(cidr('fd00::/48'), 64), { nodes: 65536n, podsPerNode: 1n << 64n });
  assert.deepEqual(nodeCapacity(cidr('10.0.0.0/8'), 32), { nodes: 1n << 24n, podsPerNode: 1n });
  assert.throws(() => nodeCapacity(cidr('10.0.0.0/8'), 33), RangeError);
});

test('family helpers and formatRange', () => {
  assert.equal(ipFamilyName(4), 'IPv4');
  assert.equal(ipFamilyName(6), 'IPv6');
  assert.equal(ipBits(4), 32);
  assert.equal(ipBits(6), 128);
  assert.equal(formatRange(4, 0n, ip('9.255.255.255')), '0.0.0.0-9.255.255.255');
  assert.equal(formatRange(6, 0n, 1n), '::-::1');
});

test('parsers never throw on non-string input (e.g. unquoted YAML numbers)', () => {
  const n = 10 as unknown as string;
  assert.equal(parseIP(n), undefined);
  assert.match(cidrErr(n), /"10" is not a CIDR: it is not a string/);
  assert.equal(parseIPOrCIDR(n).ok, false);
});

// ip-cidr (net/cidr-range.ts) reads the range of one block; ip.ts validates and does set algebra.
// The two must agree on every block: start, end, size and containment, IPv4 and IPv6.
test('cidrRange (ip-cidr) agrees with ip.ts on random IPv4 and IPv6 blocks', () => {
  const rand = prng(21);
  const randomBig = (bits: number) => {
    let v = 0n;
    for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(rand() * 65536));
    return v & ((1n << BigInt(bits)) - 1n);
  };
  const randomBlock = (family: IPFamily): CIDR => {
    const bits = ipBits(family);
    // Favour the prefixes people write, but reach /0 and the single address too.
    const prefix = rand() < 0.1 ? (rand() < 0.5 ? 0 : bits) : Math.floor(rand() * (bits + 1));
    return makeCIDR(family, randomBig(bits), prefix);
  };
  let compared = 0;
  for (let i = 0; i < 2000; i++) {
    const family: IPFamily = i % 2 ? 6 : 4;
    const a = randomBlock(family);
    // Half the time a block inside or around `a`, so containment is tested both ways, not only disjoint pairs.
    const b = rand() < 0.5 ? makeCIDR(family, a.first + (randomBig(ipBits(family)) % cidrSize(a)), Math.min(ipBits(family), a.prefix + Math.floor(rand() * 9)))
      : rand() < 0.5 ? makeCIDR(family, a.first, Math.max(0, a.prefix - Math.floor(rand() * 9))) : randomBlock(family);
    const text = formatCIDR(a);
    const r = cidrRange(text);
    assert.ok(r, `ip-cidr reads ${text}`);
    assert.deepEqual([r.family, r.prefix, r.start, r.end, r.size], [a.family, a.prefix, a.first, a.last, cidrSize(a)], text);
    assert.equal(r.contains(formatCIDR(b)), contains(a, b), `${text} contains ${formatCIDR(b)}`);
    assert.equal(r.contains(formatIP(family, b.first)), contains(a, makeCIDR(family, b.first, ipBits(family))), `${text} contains address ${formatIP(family, b.first)}`);
    compared++;
  }
  assert.equal(compared, 2000);
});

test('cidrRange: single addresses, mapped IPv6, other family, what ip-cidr cannot read', () => {
  assert.deepEqual(cidrRange('10.1.2.3') && [cidrRange('10.1.2.3')!.prefix, cidrRange('10.1.2.3')!.size], [32, 1n]);
  const mapped = cidrRange('::ffff:10.0.0.0/104')!;
  assert.deepEqual([mapped.family, mapped.start, mapped.size], [6, cidr('::ffff:10.0.0.0/104').first, 1n << 24n], 'a dotted tail stays IPv6');
  assert.equal(mapped.contains('::ffff:10.1.2.3'), true);
  assert.equal(cidrRange('10.0.0.0/8')!.contains('fd00::1'), false, 'never across families');
  assert.equal(cidrRange('10.0.0.0/33'), undefined);
  assert.equal(cidrRange('nonsense'), undefined);
});
