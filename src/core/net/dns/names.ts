/**
 * DNS name syntax: what can be a hostname, how names compare, and the shapes that mark a name as
 * the cluster's. Comparisons are case-insensitive (kubernetes/dns specification §2.1: "All
 * comparisons between query data and data in Kubernetes is case-insensitive").
 */
import { parseIP } from '../ip';

/** A label of a hostname (RFC 1123), or an SRV `_service`/`_proto` label. */
const LABEL = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|_[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/i;

/** `name` lower-cased and without a trailing dot. */
export function normalizeName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/** Whether `name` (with or without a trailing dot) is a syntactically valid DNS name of ≤ 253 characters. */
export function isDnsName(name: string): boolean {
  const n = name.replace(/\.$/, '');
  if (n.length === 0 || n.length > 253) return false;
  return n.split('.').every(l => LABEL.test(l));
}

/** Whether `text` is an IPv4 or IPv6 address (addresses are never DNS names here). */
export function isIPAddress(text: string): boolean {
  return parseIP(text.replace(/^\[|\]$/g, '')) !== undefined;
}

/** Whether `name` ends with the zone (or is it), compared case-insensitively. */
export function inZone(name: string, zone: string): boolean {
  const n = normalizeName(name);
  return n === zone || n.endsWith(`.${zone}`);
}

/**
 * Whether a name has the cluster's shape whatever the workspace holds: it ends in `.svc`, in
 * `.svc.<zone>`, or in the zone. Such a name is meant for cluster DNS, so when it does not resolve
 * that is worth saying.
 */
export function hasClusterShape(name: string, zone: string): boolean {
  const n = normalizeName(name);
  return n.endsWith('.svc') || inZone(n, zone);
}

/**
 * `a-b-c-d` for an IPv4 address a.b.c.d with each part 0-255 and no leading zero (the pod A
 * record's first label; CoreDNS reads it with Go's net.ParseIP, which rejects `010` since Go 1.17).
 */
export function dashedIPv4(label: string): string | undefined {
  const m = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/.exec(label);
  if (!m) return undefined;
  const ip = m.slice(1).join('.');
  return parseIP(ip) ? ip : undefined;
}

/**
 * The address a pod record's first label names, as CoreDNS reads it (plugin/kubernetes findPods):
 * three dashes and no `--` are an IPv4 address, anything else has its dashes read as colons
 * (`2001-db8--1` is 2001:db8::1). Undefined when Go's net.ParseIP would reject the result.
 */
export function dashedPodIP(label: string): string | undefined {
  const dashes = label.split('-').length - 1;
  if (dashes === 3 && !label.includes('--')) return dashedIPv4(label);
  const ip = label.split('-').join(':');
  return ip.includes(':') && parseIP(ip)?.family === 6 ? ip : undefined;
}
