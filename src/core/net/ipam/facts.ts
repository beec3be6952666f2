/**
 * Facts about one address or CIDR in the workspace's plan, for the hover: its range (network,
 * mask, first and last address, size), the known ranges it relates to, and what it means in its role.
 */
import { code, escape } from '../../hover/markdown';
import type { Span } from '../../span';
import type { Workspace } from '../../workspace';
import { cidrSize, contains, formatCIDR, formatIP, ipBits, ipFamilyName, nodeCapacity, overlaps, type CIDR, type IPFamily } from '../ip';
import {
  ADDRESS_ROLES, addressPlan, DEFAULT_BLOCK_SIZE, DEFAULT_MAX_PODS, formatCount, parseFor, valid,
  type AddressPlan, type PlanEntry, type PlanRole,
} from './plan';

/** How a known entry relates to the described block. */
export interface AddressRelation {
  /**
   * `equal`; `contains`: the described block contains the entry; `inside`: the entry contains it.
   * Two CIDR blocks are either nested or disjoint, so there is no partial overlap.
   */
  readonly relation: 'equal' | 'contains' | 'inside';
  readonly entry: PlanEntry;
}

/** What {@link describeAddress} knows about a valid value. */
export interface AddressFactsOk {
  readonly ok: true;
  readonly text: string;
  readonly kind: 'ip' | 'cidr';
  readonly family: IPFamily;
  readonly cidr: CIDR;
  readonly network: string;
  /** IPv4 dotted mask (`255.255.0.0`); undefined for IPv6. */
  readonly mask: string | undefined;
  readonly first: string;
  readonly last: string;
  readonly size: bigint;
  /** `65,536`; IPv6 adds the power of two: `18,446,744,073,709,551,616 (2^64)`. */
  readonly sizeText: string;
  readonly hostBitsSet: boolean;
  readonly canonical: string;
  /** Known ranges and addresses that contain, equal, lie inside or overlap this one (self excluded). */
  readonly relations: readonly AddressRelation[];
  /** What the value means in its role, as Markdown lines (manifest values already in code spans). */
  readonly notes: readonly string[];
}

/** {@link describeAddress}'s answer: facts, or ip.ts's error for an invalid value. */
export type AddressFacts = AddressFactsOk | { readonly ok: false; readonly text: string; readonly error: string };

/**
 * Facts about `text` (an IP or CIDR) in this workspace's plan. `role` says what the value is (for
 * address roles a CIDR is an error); `self` excludes the value's own entry from the relations.
 */
export function describeAddress(ws: Workspace, text: string, role?: PlanRole, self?: { file: string; span: Span }): AddressFacts {
  const parsed = role ? parseFor(role, text) : parseAny(text);
  if (!parsed.cidr) return { ok: false, text, error: parsed.error ?? `"${text}" is not an IP address or CIDR` };
  const cidr = parsed.cidr;
  const family = cidr.family;
  const bits = ipBits(family);
  const kind = (role ? ADDRESS_ROLES.has(role) : !text.includes('/')) ? 'ip' : 'cidr';
  const size = cidrSize(cidr);
  const plan = addressPlan(ws);
  const isSelf = (e: PlanEntry) =>
    !!self && !!e.source && e.source.file === self.file && e.source.span.start === self.span.start && e.source.span.end === self.span.end;
  const relations: AddressRelation[] = [];
  for (const e of plan.entries) {
    if (!e.cidr || !overlaps(e.cidr, cidr) || isSelf(e)) continue;
    const relation = e.cidr.first === cidr.first && e.cidr.last === cidr.last ? 'equal'
      : contains(cidr, e.cidr) ? 'contains' : 'inside';
    relations.push({ relation, entry: e });
  }
  return {
    ok: true, text, kind, family, cidr,
    network: formatIP(family, cidr.network),
    mask: family === 4 ? formatIP(4, ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - cidr.prefix)) - 1n)) : undefined,
    first: formatIP(family, cidr.first),
    last: formatIP(family, cidr.last),
    size,
    sizeText: family === 6 ? `${formatCount(size)} (2^${bits - cidr.prefix})` : formatCount(size),
    hostBitsSet: parsed.hostBitsSet,
    canonical: parsed.canonical ?? formatCIDR(cidr),
    relations,
    notes: notesFor(ws, plan, role, cidr, kind, plan.entries.find(isSelf)),
  };
}

function parseAny(text: string): Pick<PlanEntry, 'cidr' | 'error' | 'hostBitsSet' | 'canonical'> {
  return text.includes('/') ? parseFor('ipBlockCidr', text) : parseFor('clusterIP', text);
}

const pow = (n: number) => formatCount(1n << BigInt(n));

function notesFor(ws: Workspace, plan: AddressPlan, role: PlanRole | undefined, cidr: CIDR, kind: 'ip' | 'cidr', selfEntry: PlanEntry | undefined): string[] {
  const family = cidr.family;
  const bits = ipBits(family);
  const notes: string[] = [];
  const svc = valid(plan.serviceRanges).filter(s => s.cidr.family === family);
  const pods = valid(plan.podRanges).filter(s => s.cidr.family === family);
  switch (role) {
    case 'podSubnet': case 'clusterCIDR': case 'podCIDRSetting': {
      const mask = plan.nodeMaskSize[family];
      const set = mask.where ? `node-cidr-mask-size from ${mask.where}` : `the default node-cidr-mask-size for ${ipFamilyName(family)}`;
      const cap = nodeCapacity(cidr, mask.size);
      notes.push(cap.nodes === 0n
        ? `Node blocks are /${mask.size} (${set}), larger than this range: kube-controller-manager cannot give any node a podCIDR from it.`
        : `Fits ${formatCount(cap.nodes)} nodes at /${mask.size} (${set}), ${formatCount(cap.podsPerNode)} addresses per node; kubelet's maxPods (${DEFAULT_MAX_PODS} by default) caps pods per node separately.`);
      if (svc.length && !svc.some(s => overlaps(s.cidr, cidr))) {
        notes.push(`No overlap with the service range ${svc.map(s => `${code(s.value)} (${escape(s.where)})`).join(', ')}.`);
      }
      break;
    }
    case 'ipPool': {
      const blockSize = selfEntry?.blockSize ?? DEFAULT_BLOCK_SIZE[family];
      notes.push(blockSize < cidr.prefix || blockSize > bits
        ? `Block size /${blockSize} does not fit in this pool.`
        : `Calico hands out /${blockSize} blocks (${pow(bits - blockSize)} addresses each) to nodes on demand: ${formatCount(1n << BigInt(blockSize - cidr.prefix))} blocks in this pool.`);
      break;
    }
    case 'serviceSubnet': case 'serviceCIDRSetting': {
      // The network address is never allocated; IPv4 also loses the broadcast address.
      const usable = cidrSize(cidr) - (family === 4 && cidr.prefix < 31 ? 2n : 1n);
      notes.push(`Up to ${formatCount(usable > 0n ? usable : 0n)} Service clusterIPs. The first address (${code(formatIP(family, cidr.first + 1n <= cidr.last ? cidr.first + 1n : cidr.first))}) goes to the ${code('kubernetes')} API Service; kubeadm gives kube-dns the tenth.`);
      break;
    }
    case 'clusterIP': case 'clusterDNS': {
      const home = svc.find(s => contains(s.cidr, cidr));
      if (home) {
        const n = cidr.first - home.cidr.first;
        notes.push(`Inside the service range ${code(home.value)} (${escape(home.where)}).`);
        if (n === 1n) notes.push(`The first address of the range: the ${code('kubernetes')} API Service's clusterIP.`);
        if (n === 10n) notes.push('The tenth address of the range: conventionally kube-dns (kubeadm\'s choice), the address kubelet `clusterDNS` names.');
      } else if (svc.length) {
        notes.push(role === 'clusterDNS'
          ? `Outside the service range ${svc.map(s => code(s.value)).join(', ')}: pods resolve through this address, so it must be the kube-dns Service's clusterIP, or a node-local cache such as NodeLocal DNSCache (${code('169.254.20.10')}).`
          : `Outside the service range ${svc.map(s => code(s.value)).join(', ')}: the API server rejects it.`);
      } else {
        notes.push('No service range is known: define kubeadm `serviceSubnet` or the `kubeNetlens.serviceCIDRs` setting to check it.');
      }
      if (role === 'clusterDNS' && home) notes.push('kubelet writes it as the nameserver of every pod with `dnsPolicy: ClusterFirst`.');
      break;
    }
    case 'ipBlockCidr': case 'ipBlockExcept': {
      const hitPods = pods.filter(r => overlaps(r.cidr, cidr));
      const hitSvc = svc.filter(r => overlaps(r.cidr, cidr));
      if (role === 'ipBlockExcept') notes.push('Addresses in this block are carved out of the ipBlock\'s cidr.');
      if (hitPods.length) {
        notes.push(ws.settings.ipBlockReading === 'all'
          ? `Covers pod addresses (${hitPods.map(r => code(r.value)).join(', ')}). Under the ${code('all')} reading (CNIs such as Calico) ipBlock also matches pod IPs inside it.`
          : `Covers pod addresses (${hitPods.map(r => code(r.value)).join(', ')}). Under the API's documented intent (the ${code('external')} reading) ipBlock matches only traffic from or to outside the cluster, so pods inside it are not matched by this peer; select them with podSelector / namespaceSelector.`);
      }
      if (hitSvc.length) notes.push(`Covers the service range (${hitSvc.map(r => code(r.value)).join(', ')}): most implementations translate Service IPs to pod IPs before policies apply, so this part usually matches nothing.`);
      if (!hitPods.length && !hitSvc.length && (pods.length || svc.length)) notes.push('Outside the cluster\'s pod and service ranges: external addresses.');
      break;
    }
    case 'nodePodCIDR': {
      const cap = nodeCapacity(cidr, cidr.prefix);
      notes.push(`This node's pods get addresses from it: ${formatCount(cap.podsPerNode)} addresses; kubelet's maxPods (${DEFAULT_MAX_PODS} by default) caps pods separately.`);
      break;
    }
    case 'loadBalancerSourceRange':
      notes.push('Clients outside this range cannot reach the load balancer (where the provider supports source ranges).');
      break;
    default:
      if (kind === 'ip' && pods.some(r => contains(r.cidr, cidr))) notes.push('A pod address.');
      break;
  }
  return notes;
}

