/**
 * Hover for CIDRs and IPs: the range facts of the value under the cursor (network, mask, first and
 * last address, size, canonical form), what it means in its role (nodes that fit a pod subnet,
 * Calico blocks in a pool, whether a clusterIP is in the service range, what an ipBlock matches
 * under the reading in force) and every known range that contains or overlaps it.
 */
import { pathMatches } from '../cursor';
import { parseIPOrCIDR } from '../net/ip';
import {
  describeAddress, formatCount, planEntriesIn, roleName, type AddressNote, type AddressRelation, type PlanEntry, type PlanRole,
} from '../net/ipam/index';
import type { HoverContext, HoverResult } from '../providers';
import { code, escape, sourceLink } from './markdown';

/** Fields that hold an IP or CIDR but define no part of the address plan. */
const OTHER_ADDRESS_PATHS: readonly (readonly string[])[] = [
  ['**', 'hostAliases', '*', 'ip'],
  ['**', 'dnsConfig', 'nameservers', '*'],
  ['subsets', '*', 'addresses', '*', 'ip'],
  ['subsets', '*', 'notReadyAddresses', '*', 'ip'],
  ['endpoints', '*', 'addresses', '*'],
  ['status', 'podIP'],
  ['status', 'podIPs', '*', 'ip'],
  ['status', 'hostIP'],
  ['status', 'hostIPs', '*', 'ip'],
  ['status', 'loadBalancer', 'ingress', '*', 'ip'],
  ['status', 'addresses', '*', 'address'],
  // Calico and Cilium policy peers.
  ['**', 'nets', '*'],
  ['**', 'notNets', '*'],
  ['**', 'toCIDR', '*'],
  ['**', 'fromCIDR', '*'],
  ['**', 'toCIDRSet', '*', 'cidr'],
  ['**', 'fromCIDRSet', '*', 'cidr'],
  ['**', 'cidr'],
  ['**', 'cidrs', '*'],
];

const MAX_RELATIONS = 8;
/** Addresses of Endpoints, EndpointSlices and Pod status: listed apart from the ranges, a few per kind. */
const LISTED_ADDRESSES: ReadonlySet<PlanRole> = new Set<PlanRole>(['endpointAddress', 'endpointSliceAddress', 'podIP']);
const MAX_LISTED = 3;
const LISTED_PLURAL: Readonly<Record<string, string>> = {
  endpointAddress: 'Endpoints addresses', endpointSliceAddress: 'EndpointSlice addresses', podIP: 'Pod IPs (status.podIPs)',
};

const RELATION_TEXT: Readonly<Record<AddressRelation['relation'], string>> = {
  equal: 'equals',
  contains: 'contains',
  inside: 'is inside',
};

/** The address-plan hover at the cursor, or undefined when the scalar is not an address. */
export function ipamHover(ctx: HoverContext): HoverResult | undefined {
  const { target, entry, offset, workspace } = ctx;
  if (target.onKey || !target.scalar) return undefined;
  const file = entry.manifest.file;
  const known = planEntriesIn(workspace, file).find(
    e => e.source && e.source.file === file && e.source.span.start <= offset && offset <= e.source.span.end,
  );
  if (known?.source) return render(ctx, known.value, known.role, known.source.span);
  const value = target.scalar.value;
  if (!OTHER_ADDRESS_PATHS.some(p => pathMatches(target.path, p))) return undefined;
  if (!parseIPOrCIDR(value).ok) return undefined;
  return render(ctx, value, undefined, target.scalar.span);
}

function render(ctx: HoverContext, value: string, role: PlanRole | undefined, span: HoverResult['span']): HoverResult {
  const file = ctx.entry.manifest.file;
  const facts = describeAddress(ctx.workspace, value, role, { file, span });
  const title = role ? escape(capitalize(roleName(role))) : 'Address';
  const lines: string[] = [`**${title}** ${code(value)}`, ''];
  if (!facts.ok) {
    lines.push(`Invalid: ${escape(facts.error)}`);
    return { markdown: lines.join('\n'), span };
  }
  const fam = facts.family === 4 ? 'IPv4' : 'IPv6';
  if (facts.kind === 'ip') {
    lines.push(`- ${fam} address ${code(facts.canonical)}`);
  } else {
    const mask = facts.mask ? `, mask ${code(facts.mask)}` : '';
    const size = facts.family === 6 ? `${formatCount(facts.size)} (2^${128 - facts.prefix})` : formatCount(facts.size);
    lines.push(
      `- ${fam} network ${code(facts.network)}${mask} (/${facts.prefix})`,
      `- first ${code(facts.first)}, last ${code(facts.last)}`,
      `- ${size} address${facts.size === 1n ? '' : 'es'}`,
    );
  }
  if (facts.hostBitsSet) {
    lines.push(`- host bits are set after /${facts.prefix}: it means ${code(facts.canonical)}`);
  } else if (facts.canonical !== value) {
    lines.push(`- canonical form ${code(facts.canonical)}`);
  }
  if (facts.blockSize !== undefined) lines.push(`- blockSize /${facts.blockSize}`);
  for (const n of facts.notes) lines.push('', noteText(n));
  const where = (e: PlanEntry) => (e.source ? sourceLink(e.source.file, e.source.span, e.source.line) : escape(e.where));
  const known = facts.relations.filter(r => !LISTED_ADDRESSES.has(r.entry.role));
  if (known.length) {
    lines.push('', '**Known ranges**');
    for (const r of known.slice(0, MAX_RELATIONS)) {
      lines.push(`- ${RELATION_TEXT[r.relation]} ${escape(roleName(r.entry.role))} ${code(r.entry.value)} (${where(r.entry)})`);
    }
    if (known.length > MAX_RELATIONS) lines.push(`- …and ${known.length - MAX_RELATIONS} more`);
  }
  // Endpoints, EndpointSlice and Pod status addresses (a dump may hold thousands): counted per kind, a few named.
  const listed = new Map<string, AddressRelation[]>();
  for (const r of facts.relations) {
    if (!LISTED_ADDRESSES.has(r.entry.role)) continue;
    const k = `${r.relation}\u0000${r.entry.role}`;
    listed.set(k, [...(listed.get(k) ?? []), r]);
  }
  if (listed.size) {
    lines.push('', '**Addresses in use**');
    for (const rs of listed.values()) {
      const { relation, entry } = rs[0]!;
      const shown = rs.slice(0, MAX_LISTED).map(r => `${code(r.entry.value)} (${where(r.entry)})`).join(', ');
      const more = rs.length > MAX_LISTED ? `, …and ${rs.length - MAX_LISTED} more` : '';
      const what = rs.length === 1 ? `the ${roleName(entry.role)}` : `${rs.length} ${LISTED_PLURAL[entry.role]}`;
      lines.push(`- ${RELATION_TEXT[relation]} ${escape(what)}: ${shown}${more}`);
    }
  }
  return { markdown: lines.join('\n'), span };
}

const ranges = (es: readonly PlanEntry[]) => es.map(r => code(r.value)).join(', ');

/** One note of the facts in words (Markdown). */
export function noteText(n: AddressNote): string {
  switch (n.kind) {
    case 'nodeBlocks': {
      const set = n.mask.where ? `node-cidr-mask-size from ${n.mask.where}` : `the default node-cidr-mask-size for IPv${n.family}`;
      return n.nodes === 0n
        ? `Node blocks are /${n.mask.size} (${set}), larger than this range: kube-controller-manager cannot give any node a podCIDR from it.`
        : `Fits ${formatCount(n.nodes)} nodes at /${n.mask.size} (${set}), ${formatCount(n.addressesPerNode)} addresses per node; kubelet's maxPods (${n.maxPods} by default) caps pods per node separately.`;
    }
    case 'clearOfServiceRanges':
      return `No overlap with the service range ${n.serviceRanges.map(s => `${code(s.value)} (${escape(s.where)})`).join(', ')}.`;
    case 'poolBlocks':
      return n.fits
        ? `Calico hands out /${n.blockSize} blocks (${formatCount(n.addressesPerBlock)} addresses each) to nodes on demand: ${formatCount(n.blocks)} blocks in this pool.`
        : `Block size /${n.blockSize} does not fit in this pool.`;
    case 'serviceCapacity':
      return `Up to ${formatCount(n.clusterIPs)} Service clusterIPs. The first address (${code(n.apiServiceIP)}) goes to the ${code('kubernetes')} API Service; kubeadm gives kube-dns the tenth.`;
    case 'serviceCIDRRange':
      return `A ServiceCIDR: Services get clusterIPs from it (up to ${formatCount(n.clusterIPs)}) as from the cluster's other service ranges${n.others.length ? ` (${ranges(n.others)})` : ''}.`;
    case 'inServiceRange': {
      const lines = [`Inside the service range ${code(n.range.value)} (${escape(n.range.where)}${n.range.role === 'serviceCIDR' ? ', a ServiceCIDR' : ''}).`];
      // The kubernetes Service and kube-dns take addresses of the cluster's first range, not of an added ServiceCIDR.
      if (n.range.role === 'serviceCIDR') return lines.join('\n\n');
      if (n.offset === 1n) lines.push(`The first address of the range: the ${code('kubernetes')} API Service's clusterIP.`);
      if (n.offset === 10n) lines.push('The tenth address of the range: conventionally kube-dns (kubeadm\'s choice), the address kubelet `clusterDNS` names.');
      return lines.join('\n\n');
    }
    case 'outsideServiceRanges':
      return n.role === 'clusterDNS'
        ? `Outside the service range ${ranges(n.serviceRanges)}: pods resolve through this address, so it must be the kube-dns Service's clusterIP, or a node-local cache such as NodeLocal DNSCache (${code('169.254.20.10')}).`
        : `Outside the service range ${ranges(n.serviceRanges)}: the API server rejects it.`;
    case 'noServiceRange':
      return n.serviceCIDRs
        ? `Not inside the ServiceCIDR ${ranges(n.serviceCIDRs)}; the cluster's own service range is not known (the API server's flag, rarely in Git): define kubeadm \`serviceSubnet\` or the \`kubeNetlens.serviceCIDRs\` setting to check it.`
        : 'No service range is known: define kubeadm `serviceSubnet` or the `kubeNetlens.serviceCIDRs` setting to check it.';
    case 'podNameserver':
      return 'kubelet writes it as the nameserver of every pod with `dnsPolicy: ClusterFirst`.';
    case 'exceptCarvedOut':
      return 'Addresses in this block are carved out of the ipBlock\'s cidr.';
    case 'coversPodRanges':
      return n.reading === 'all'
        ? `Covers pod addresses (${ranges(n.podRanges)}). Under the ${code('all')} reading (CNIs such as Calico) ipBlock also matches pod IPs inside it.`
        : `Covers pod addresses (${ranges(n.podRanges)}). Under the API's documented intent (the ${code('external')} reading) ipBlock matches only traffic from or to outside the cluster, so pods inside it are not matched by this peer; select them with podSelector / namespaceSelector.`;
    case 'coversServiceRanges':
      return `Covers the service range (${ranges(n.serviceRanges)}): most implementations translate Service IPs to pod IPs before policies apply, so this part usually matches nothing.`;
    case 'externalAddresses':
      // Only what is known is claimed: without a service range, the block may still hold Service IPs.
      return n.known === 'both' ? 'Outside the cluster\'s pod and service ranges: external addresses.'
        : n.known === 'pods' ? 'Outside the cluster\'s pod range. No service range is known (kubeadm `serviceSubnet` or the `kubeNetlens.serviceCIDRs` setting), so it may still hold Service IPs.'
        : 'Outside the cluster\'s service range. No pod range is known (kubeadm `podSubnet`, Calico IP pools or the `kubeNetlens.podCIDRs` setting), so it may still hold pod IPs.';
    case 'nodePodAddresses':
      return `This node's pods get addresses from it: ${formatCount(n.addresses)} addresses; kubelet's maxPods (${n.maxPods} by default) caps pods separately.`;
    case 'loadBalancerSourceRange':
      return 'Clients outside this range cannot reach the load balancer (where the provider supports source ranges).';
    case 'podAddress':
      return 'A pod address.';
    case 'apiLegacyForm':
      if (n.form === 'nonStandard') {
        return `A non-standard form: the API server accepts it with a warning ("will be considered invalid in a future Kubernetes release") and reads it as ${code(n.canonical)}, leading zeros as decimal (k8s.io/utils ParseIPSloppy, Go 1.16's parser; libc and Go ≥ 1.17 differ: octal or rejected); with the ${code('StrictIPCIDRValidation')} feature gate on (alpha in Kubernetes 1.33, off by default; beta and on by default from 1.36) it rejects it in a new or changed object. The API server stores the text as written, so each network plugin parses it again (one using Go ≥ 1.17's parser rejects it). Write ${code(n.canonical)}.`;
      }
      return n.form === 'hostBits'
        ? `The API server accepts it with a warning (ambiguous: ${code(n.canonical)} or ${code(n.single)}?) and reads it as ${code(n.canonical)}; with the ${code('StrictIPCIDRValidation')} feature gate on (alpha in Kubernetes 1.33, off by default; beta and on by default from 1.36) it rejects it in a new or changed object: bits set beyond the prefix length.`
        : `An IPv4-mapped IPv6 value: the API server accepts it with a warning (use ${code(n.ipv4)}) and Go (Kubernetes components, most network plugins) reads it as the IPv4 ${code(n.ipv4)}; other plugins may read it as written (IPv6), so Kube NetLens says "may" for the verdicts on the addresses of either reading. With the ${code('StrictIPCIDRValidation')} feature gate on (on by default from Kubernetes 1.36) the API server rejects it in a new or changed object.`;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
