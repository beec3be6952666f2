/**
 * Facts about one address or CIDR in the workspace's plan, for the hover: its range (network,
 * mask, first and last address, size, read by ip-cidr), the known ranges it relates to, and what it
 * means in its role. Plain data: the hover (`hover/ipam.ts`) puts it into words.
 */
import type { Span } from '../../span';
import type { Workspace } from '../../workspace';
import { cidrRange } from '../cidr-range';
import { formatCIDR, formatIP, ipBits, nodeCapacity, overlaps, type CIDR, type IPFamily } from '../ip';
import {
  ADDRESS_ROLES, API_LEGACY_ROLES, addressPlan, DEFAULT_BLOCK_SIZE, DEFAULT_MAX_PODS, parseFor, valid,
  type AddressPlan, type NodeMaskSize, type PlanEntry, type PlanRole,
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

/**
 * What a value means in its role, one fact each; the hover words them in this order.
 * Ranges are plan entries (their value, role and where they are defined).
 */
export type AddressNote =
  /** A cluster pod range split into node blocks of `mask.size` (`nodes` is 0 when a block is larger than the range). */
  | { readonly kind: 'nodeBlocks'; readonly family: IPFamily; readonly mask: NodeMaskSize; readonly nodes: bigint; readonly addressesPerNode: bigint; readonly maxPods: number }
  /** A cluster pod range clear of the service ranges of its family. */
  | { readonly kind: 'clearOfServiceRanges'; readonly serviceRanges: readonly PlanEntry[] }
  /** A Calico pool handing out blocks of `/blockSize` (`fits` false: the block size does not fit the pool). */
  | { readonly kind: 'poolBlocks'; readonly blockSize: number; readonly fits: boolean; readonly addressesPerBlock: bigint; readonly blocks: bigint }
  /** A service range: how many clusterIPs it can give, and the `kubernetes` API Service's (its first usable address). */
  | { readonly kind: 'serviceCapacity'; readonly clusterIPs: bigint; readonly apiServiceIP: string }
  /** A ServiceCIDR: the clusterIPs it adds, and the cluster's other known service ranges of its family. */
  | { readonly kind: 'serviceCIDRRange'; readonly clusterIPs: bigint; readonly others: readonly PlanEntry[] }
  /** An address inside a service range, `offset` addresses after its network address (1: the API Service, 10: kube-dns by convention). */
  | { readonly kind: 'inServiceRange'; readonly range: PlanEntry; readonly offset: bigint }
  /** An address outside every service range (`role` clusterIP or clusterDNS). */
  | { readonly kind: 'outsideServiceRanges'; readonly role: 'clusterIP' | 'clusterDNS'; readonly serviceRanges: readonly PlanEntry[] }
  /** No service range is known to check the address against. */
  /** The cluster's own service range is unknown (`serviceCIDRs`: the ServiceCIDRs known, which it is not inside). */
  | { readonly kind: 'noServiceRange'; readonly serviceCIDRs?: readonly PlanEntry[] }
  /** kubelet's clusterDNS: the nameserver of every ClusterFirst pod. */
  | { readonly kind: 'podNameserver' }
  /** An ipBlock except: carved out of its cidr. */
  | { readonly kind: 'exceptCarvedOut' }
  /** An ipBlock that covers pod ranges; what that means depends on the ipBlock reading in force. */
  | { readonly kind: 'coversPodRanges'; readonly podRanges: readonly PlanEntry[]; readonly reading: 'external' | 'all' }
  /** An ipBlock that covers service ranges. */
  | { readonly kind: 'coversServiceRanges'; readonly serviceRanges: readonly PlanEntry[] }
  /** An ipBlock outside the cluster's known pod and service ranges (`known`: which of them the workspace gives). */
  | { readonly kind: 'externalAddresses'; readonly known: 'pods' | 'services' | 'both' }
  /** A Node's podCIDR: how many addresses its pods get. */
  | { readonly kind: 'nodePodAddresses'; readonly addresses: bigint; readonly maxPods: number }
  /** A Service loadBalancerSourceRanges entry. */
  | { readonly kind: 'loadBalancerSourceRange' }
  /** An address inside a pod range. */
  | { readonly kind: 'podAddress' }
  /**
   * A value of an API field the API server validates as a "legacy" IP/CIDR field
   * (apimachinery util/validation/ip.go, IsValidCIDRForLegacyField / IsValidIPForLegacyField, KEP-4858):
   * what it does with a block with host bits set (`hostBits`, read as `canonical`, `single` the
   * one-address reading) or an IPv4-mapped IPv6 value (`mapped`, which Go reads as `ipv4`).
   */
  | { readonly kind: 'apiLegacyForm'; readonly form: 'hostBits'; readonly canonical: string; readonly single: string }
  | { readonly kind: 'apiLegacyForm'; readonly form: 'mapped'; readonly ipv4: string }
  /** Leading zeros (`010.1.1.1`, `/032`) or an over-long IPv6 group: read as decimal `canonical`. */
  | { readonly kind: 'apiLegacyForm'; readonly form: 'nonStandard'; readonly canonical: string };

/** What {@link describeAddress} knows about a valid value. */
export interface AddressFactsOk {
  readonly ok: true;
  readonly text: string;
  readonly kind: 'ip' | 'cidr';
  readonly family: IPFamily;
  readonly cidr: CIDR;
  readonly prefix: number;
  readonly network: string;
  /** IPv4 dotted mask (`255.255.0.0`); undefined for IPv6. */
  readonly mask: string | undefined;
  readonly first: string;
  readonly last: string;
  readonly size: bigint;
  readonly hostBitsSet: boolean;
  readonly canonical: string;
  /** Calico `blockSize` as written, for a pool of the plan. */
  readonly blockSize: number | undefined;
  /** Known ranges and addresses that contain, equal, lie inside or overlap this one (self excluded). */
  readonly relations: readonly AddressRelation[];
  /** What the value means in its role. */
  readonly notes: readonly AddressNote[];
}

/** {@link describeAddress}'s answer: facts, or ip.ts's error for an invalid value. */
export type AddressFacts = AddressFactsOk | { readonly ok: false; readonly text: string; readonly error: string };

/**
 * Facts about `text` (an IP or CIDR) in this workspace's plan. `role` says what the value is (for
 * address roles a CIDR is an error); `self` excludes the value's own entry from the relations.
 * ip.ts validates the value; ip-cidr reads the range of its canonical form.
 */
export function describeAddress(ws: Workspace, text: string, role?: PlanRole, self?: { file: string; span: Span }): AddressFacts {
  const parsed = role ? parseFor(role, text) : parseAny(text);
  if (!parsed.cidr) return { ok: false, text, error: parsed.error ?? `"${text}" is not an IP address or CIDR` };
  const cidr = parsed.cidr;
  const family = cidr.family;
  const range = cidrRange(formatCIDR(cidr));
  if (!range) return { ok: false, text, error: `"${text}" is not an IP address or CIDR` };
  const kind = (role ? ADDRESS_ROLES.has(role) : !text.includes('/')) ? 'ip' : 'cidr';
  const plan = addressPlan(ws);
  const isSelf = (e: PlanEntry) =>
    !!self && !!e.source && e.source.file === self.file && e.source.span.start === self.span.start && e.source.span.end === self.span.end;
  const relations: AddressRelation[] = [];
  for (const e of plan.entries) {
    if (!e.cidr || !overlaps(e.cidr, cidr) || isSelf(e)) continue;
    const other = formatCIDR(e.cidr);
    const holdsOther = range.contains(other);
    const relation = holdsOther && cidrRange(other)?.contains(formatCIDR(cidr)) ? 'equal' : holdsOther ? 'contains' : 'inside';
    relations.push({ relation, entry: e });
  }
  const selfEntry = plan.entries.find(isSelf);
  return {
    ok: true, text, kind, family, cidr,
    prefix: range.prefix,
    network: formatIP(family, range.start),
    mask: family === 4 ? formatIP(4, ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - range.prefix)) - 1n)) : undefined,
    first: formatIP(family, range.start),
    last: formatIP(family, range.end),
    size: range.size,
    hostBitsSet: parsed.hostBitsSet,
    canonical: parsed.canonical ?? formatCIDR(cidr),
    blockSize: selfEntry?.blockSize,
    relations,
    notes: [...legacyFormNotes(role, text, cidr, parsed.hostBitsSet, parsed.canonical ?? formatCIDR(cidr), parsed.nonStandard === true), ...notesFor(ws, plan, role, cidr, kind, selfEntry)],
  };
}

function parseAny(text: string): Pick<PlanEntry, 'cidr' | 'error' | 'hostBitsSet' | 'canonical' | 'nonStandard'> {
  return text.includes('/') ? parseFor('ipBlockCidr', text, 'strict') : parseFor('clusterIP', text, 'strict');
}

/** Whether block `outer` contains block `inner` (same family), by ip-cidr. */
function holds(outer: CIDR, inner: CIDR): boolean {
  return outer.family === inner.family && !!cidrRange(formatCIDR(outer))?.contains(formatCIDR(inner));
}

/** The ::ffff:0:0/96 prefix of IPv4-mapped IPv6 addresses. */
const MAPPED_PREFIX = 0xffffn << 32n;

/** How the API server reads a legacy-field value in a non-standard form (see {@link AddressNote} `apiLegacyForm`). */
function legacyFormNotes(role: PlanRole | undefined, text: string, cidr: CIDR, hostBitsSet: boolean, canonical: string, nonStandard: boolean): AddressNote[] {
  if (!role || !API_LEGACY_ROLES.has(role)) return [];
  // GetWarningsForIP / GetWarningsForCIDR: a value ParseIPSloppy reads but netip does not.
  if (nonStandard) return [{ kind: 'apiLegacyForm', form: 'nonStandard', canonical }];
  if (cidr.family === 6 && cidr.first >> 32n === MAPPED_PREFIX >> 32n && (cidr.prefix >= 96 || !text.includes('/'))) {
    const v4 = formatIP(4, cidr.first & 0xffffffffn);
    return [{ kind: 'apiLegacyForm', form: 'mapped', ipv4: text.includes('/') ? `${v4}/${cidr.prefix - 96}` : v4 }];
  }
  if (hostBitsSet) {
    const slash = text.lastIndexOf('/');
    return [{ kind: 'apiLegacyForm', form: 'hostBits', canonical, single: `${text.slice(0, slash)}/${ipBits(cidr.family)}` }];
  }
  return [];
}

function notesFor(ws: Workspace, plan: AddressPlan, role: PlanRole | undefined, cidr: CIDR, kind: 'ip' | 'cidr', selfEntry: PlanEntry | undefined): AddressNote[] {
  const family = cidr.family;
  const bits = ipBits(family);
  const notes: AddressNote[] = [];
  const svc = valid(plan.serviceRanges).filter(s => s.cidr.family === family);
  const knownSvc = valid(plan.knownServiceRanges).filter(s => s.cidr.family === family);
  const pods = valid(plan.podRanges).filter(s => s.cidr.family === family);
  switch (role) {
    case 'podSubnet': case 'clusterCIDR': case 'podCIDRSetting': {
      const mask = plan.nodeMaskSize[family];
      const cap = nodeCapacity(cidr, mask.size);
      notes.push({ kind: 'nodeBlocks', family, mask, nodes: cap.nodes, addressesPerNode: cap.podsPerNode, maxPods: DEFAULT_MAX_PODS });
      if (svc.length && !svc.some(s => overlaps(s.cidr, cidr))) notes.push({ kind: 'clearOfServiceRanges', serviceRanges: svc });
      break;
    }
    case 'ipPool': {
      const blockSize = selfEntry?.blockSize ?? DEFAULT_BLOCK_SIZE[family];
      const fits = blockSize >= cidr.prefix && blockSize <= bits;
      notes.push({
        kind: 'poolBlocks', blockSize, fits,
        addressesPerBlock: fits ? 1n << BigInt(bits - blockSize) : 0n,
        blocks: fits ? 1n << BigInt(blockSize - cidr.prefix) : 0n,
      });
      break;
    }
    case 'serviceCIDR': {
      // The ServiceCIDR allocator reserves the network address (and IPv4's broadcast address), as the flag's range does.
      const usable = (cidr.last - cidr.first + 1n) - (family === 4 && cidr.prefix < 31 ? 2n : 1n);
      notes.push({ kind: 'serviceCIDRRange', clusterIPs: usable > 0n ? usable : 0n, others: knownSvc.filter(s => s !== selfEntry) });
      break;
    }
    case 'serviceSubnet': case 'serviceCIDRSetting': {
      // The network address is never allocated; IPv4 also loses the broadcast address.
      const usable = (cidr.last - cidr.first + 1n) - (family === 4 && cidr.prefix < 31 ? 2n : 1n);
      notes.push({ kind: 'serviceCapacity', clusterIPs: usable > 0n ? usable : 0n, apiServiceIP: formatIP(family, cidr.first + 1n <= cidr.last ? cidr.first + 1n : cidr.first) });
      break;
    }
    case 'clusterIP': case 'clusterDNS': {
      // Inside a known range is a fact; "outside" needs every range (a ServiceCIDR alone is not all of them).
      const home = knownSvc.find(s => holds(s.cidr, cidr));
      if (home) notes.push({ kind: 'inServiceRange', range: home, offset: cidr.first - home.cidr.first });
      else if (svc.length) notes.push({ kind: 'outsideServiceRanges', role, serviceRanges: svc });
      else notes.push(knownSvc.length ? { kind: 'noServiceRange', serviceCIDRs: knownSvc } : { kind: 'noServiceRange' });
      if (role === 'clusterDNS' && home) notes.push({ kind: 'podNameserver' });
      break;
    }
    case 'ipBlockCidr': case 'ipBlockExcept': {
      const hitPods = pods.filter(r => overlaps(r.cidr, cidr));
      const hitSvc = knownSvc.filter(r => overlaps(r.cidr, cidr));
      if (role === 'ipBlockExcept') notes.push({ kind: 'exceptCarvedOut' });
      if (hitPods.length) notes.push({ kind: 'coversPodRanges', podRanges: hitPods, reading: ws.settings.ipBlockReading });
      if (hitSvc.length) notes.push({ kind: 'coversServiceRanges', serviceRanges: hitSvc });
      if (!hitPods.length && !hitSvc.length && (pods.length || svc.length)) notes.push({ kind: 'externalAddresses', known: !svc.length ? 'pods' : !pods.length ? 'services' : 'both' });
      break;
    }
    case 'nodePodCIDR':
      notes.push({ kind: 'nodePodAddresses', addresses: nodeCapacity(cidr, cidr.prefix).podsPerNode, maxPods: DEFAULT_MAX_PODS });
      break;
    case 'loadBalancerSourceRange':
      notes.push({ kind: 'loadBalancerSourceRange' });
      break;
    default:
      if (kind === 'ip' && pods.some(r => holds(r.cidr, cidr))) notes.push({ kind: 'podAddress' });
      break;
  }
  return notes;
}
