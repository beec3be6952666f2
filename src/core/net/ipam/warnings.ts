/**
 * What the API server says of a legacy IP/CIDR field's value in a non-standard form (Kubernetes 1.33
 * on: apimachinery util/validation ip.go GetWarningsForIP / GetWarningsForCIDR, KEP-4858), in its
 * words, with the field path it names.
 */
import { targetAt } from '../../cursor';
import type { FileEntry } from '../../workspace';
import { formatIP, ipBits, ipv4MappedReading, parseIPResult } from '../ip';
import { API_LEGACY_ROLES, type PlanEntry, type PlanSource } from './plan';

/** What strict validation (KEP-4858) does with a value the API server warns about. */
export const REJECTED = ' (Kubernetes 1.33 to 1.35 warn; from 1.36, with the StrictIPCIDRValidation feature gate on by default, the API server rejects it in a new or changed object)';

/**
 * The warning the API server gives (Kubernetes 1.33 on: apimachinery util/validation ip.go
 * GetWarningsForIP / GetWarningsForCIDR, KEP-4858) for a legacy IP/CIDR field's value in a
 * non-standard form, other than host bits (cidr-host-bits says those): leading zeros or an
 * over-long IPv6 group (read by ParseIPSloppy, not by netip), an IPv4-mapped IPv6 value, or IPv6 not
 * in RFC 5952 canonical form. `use` is what the API server says to write instead.
 */
export function apiWarning(e: PlanEntry): { message: string; use: string } | undefined {
  if (!API_LEGACY_ROLES.has(e.role) || !e.cidr || e.canonical === undefined) return undefined;
  const mapped = isMapped(e);
  if (e.isAddress) {
    // net.IP String(): an IPv4-mapped address prints as IPv4.
    const use = mapped ? formatIP(4, e.cidr.network & 0xffffffffn) : e.canonical;
    if (e.nonStandard || mapped) return { use, message: `non-standard IP address "${e.value}" will be considered invalid in a future Kubernetes release: use "${use}"` };
    if (e.cidr.family === 6 && e.value !== e.canonical) return { use, message: `IPv6 address "${e.value}" should be in RFC 5952 canonical format ("${use}")` };
    return undefined;
  }
  if (e.nonStandard || mapped) {
    // net.IPNet String(): the masked network, an IPv4-mapped one as IPv4.
    const use = (mapped && ipv4MappedReading(e.cidr)?.text) || e.canonical;
    return { use, message: `non-standard CIDR value "${e.value}" will be considered invalid in a future Kubernetes release: use "${use}"` };
  }
  if (e.cidr.family === 6 && !e.hostBitsSet && e.value !== e.canonical) {
    return { use: e.canonical, message: `IPv6 CIDR value "${e.value}" should be in RFC 5952 canonical format ("${e.canonical}")` };
  }
  return undefined;
}

/** Whether the written address is IPv4-mapped IPv6 (netip's Is4In6: IPv6 text, in ::ffff:0:0/96). */
function isMapped(e: PlanEntry): boolean {
  if (!e.cidr || e.cidr.family !== 6) return false;
  const slash = e.value.indexOf('/');
  const address = parseIPResult(slash < 0 ? e.value : e.value.slice(0, slash), 'legacy');
  return address.ok && address.address.family === 6 && address.address.value >> 32n === 0xffffn;
}

/** A CIDR's address as one address (`10.1.2.3/32`), as GetWarningsForCIDR offers it. */
export function singleAddress(e: PlanEntry): string {
  const slash = e.value.lastIndexOf('/');
  const address = parseIPResult(e.value.slice(0, slash), 'legacy');
  return address.ok ? `${formatIP(address.address.family, address.address.value)}/${ipBits(address.address.family)}` : e.value;
}

/** The API's field path of a value (`spec.ingress[0].from[1].ipBlock.cidr`), as its warnings name it. */
export function fieldPath(entry: FileEntry, at: PlanSource): string {
  const path = targetAt(entry.manifest, at.span.start)?.path ?? [];
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
