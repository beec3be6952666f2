/** Whether policy egress rules let pods reach the cluster DNS service (kube-dns in kube-system). */
import { contains, ipv4MappedReading, parseCIDR, parseIP } from '../../net/ip';
import { isEmptySelector, selectorMatches } from '../../net/selectors';
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../parse/views/policy';
import type { Protocol } from '../../parse/views/protocol';
import type { Workspace } from '../../workspace';
import { portEntryAdmits } from './policy';
import { namespaceLabels } from './select';

/** The labels CoreDNS and kube-dns pods carry in every mainstream distribution. */
export const KUBE_DNS_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };
/** Where the cluster DNS pods run. */
export const DNS_NAMESPACE = 'kube-system';
/** The container port names CoreDNS defines for port 53. */
const DNS_PORT_NAMES: Readonly<Record<string, Protocol>> = { dns: 'UDP', 'dns-tcp': 'TCP' };

function admitsDns(entry: PolicyPort, protocol: Protocol): boolean {
  if (typeof entry.port === 'string') return DNS_PORT_NAMES[entry.port] === protocol && (entry.protocol ?? 'TCP') === protocol;
  return portEntryAdmits(entry, protocol, 53);
}

function peerMayBeDns(ws: Workspace, policyNamespace: string, peer: PolicyPeer): boolean {
  if (peer.ipBlock) {
    const cidr = peer.ipBlock.cidr ? parseCIDR(peer.ipBlock.cidr.value, 'legacy') : undefined;
    // An unreadable cidr (a placeholder such as ${CIDR}, a typo) might hold the DNS address.
    if (!cidr?.ok) return true;
    // An IPv4-mapped IPv6 cidr or except (`::ffff:10.96.0.10/128`): Go-based plugins read it as IPv4,
    // others as written; which addresses it holds depends on the plugin.
    if (ipv4MappedReading(cidr.cidr) || peer.ipBlock.except.some(e => { const x = parseCIDR(e.value, 'legacy'); return x.ok && !!ipv4MappedReading(x.cidr); })) return true;
    // Per generation: asked per ipBlock peer, and the address list holds the whole workspace's.
    const dnsIPs = ws.derived('rules:clusterDnsIPs', () => ws.addresses.filter(a => a.role === 'clusterDNS').map(a => parseIP(a.value)).filter(a => !!a));
    // Without a known cluster DNS address any ipBlock might hold it: assume it does.
    if (!dnsIPs.length) return true;
    return dnsIPs.some(ip => {
      const r = { family: ip.family, first: ip.value, last: ip.value };
      if (!contains(cidr.cidr, r)) return false;
      return !peer.ipBlock!.except.some(e => { const x = parseCIDR(e.value, 'legacy'); return x.ok && contains(x.cidr, r); });
    });
  }
  const inDnsNamespace = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(ws, DNS_NAMESPACE))
    : policyNamespace === DNS_NAMESPACE;
  if (!inDnsNamespace) return false;
  return !peer.podSelector || isEmptySelector(peer.podSelector) || selectorMatches(peer.podSelector, KUBE_DNS_LABELS);
}

/**
 * Whether an egress rule allows `protocol` port 53 to the cluster DNS. A rule that names port 53
 * explicitly counts toward any peer (the author is pointing at their resolver, which may be
 * node-local or in another namespace); a rule open on all ports counts only toward peers that may be
 * kube-dns.
 */
export function ruleAllowsDns(ws: Workspace, p: NetworkPolicy, rule: PolicyRule, protocol: Protocol): boolean {
  const entries = rule.ports ?? [];
  const allPorts = rule.ports === undefined || entries.length === 0;
  if (!allPorts && !entries.some(e => admitsDns(e, protocol))) return false;
  if (!rule.peers || rule.peers.length === 0) return true;
  const explicit = !allPorts && entries.some(e => e.port !== undefined && admitsDns(e, protocol));
  return explicit || rule.peers.some(peer => peerMayBeDns(ws, p.object.namespace, peer));
}
