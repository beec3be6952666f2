/**
 * The cluster address plan: every CIDR and IP the workspace defines (kubeadm, kube-proxy, kubelet,
 * Nodes, Calico pools, Services, NetworkPolicy ipBlocks) plus the `podCIDRs`/`serviceCIDRs`
 * settings, parsed once per workspace generation. Its problems are in `problems.ts`, the facts
 * about one value (for the hover) in `facts.ts`. Rules, the hover and `kube-netlens ipam` all read
 * this one plan.
 *
 * Vocabulary:
 * - cluster pod ranges: kubeadm `podSubnet` and kube-proxy `clusterCIDR`; the `podCIDRs` setting
 *   only when no manifest defines either. Node podCIDRs and IP pools must lie inside them.
 * - pod ranges: the cluster pod ranges plus Calico IP pools (every address a pod may get).
 * - service ranges: kubeadm `serviceSubnet`; the `serviceCIDRs` setting when no manifest defines one.
 */
import type { K8sObject } from '../../parse/manifest';
import type { AddressSource } from '../../parse/views/addresses';
import { nodeCidrMaskSizes } from '../../parse/views/cluster';
import type { Span } from '../../span';
import type { FileEntry, Workspace } from '../../workspace';
import { ipBits, makeCIDR, parseCIDR, parseIPResult, type CIDR, type IPFamily, type ParseMode } from '../ip';

/** What an entry is: a manifest role, or a range taken from the settings. */
export type PlanRole = AddressSource['role'] | 'podCIDRSetting' | 'serviceCIDRSetting';

/** Where a manifest value is: the object, its file, the value's span and its 1-based line. */
export interface PlanSource {
  readonly object: K8sObject;
  readonly file: string;
  readonly span: Span;
  readonly line: number;
}

/** One address or range of the plan. */
export interface PlanEntry {
  readonly role: PlanRole;
  /** The text as written. */
  readonly value: string;
  /** undefined when the entry comes from a setting. */
  readonly source: PlanSource | undefined;
  /** `file:line`, or `setting <name>`. */
  readonly where: string;
  /** The setting's name (`kubeNetlens.podCIDRs`) when the entry comes from a setting. */
  readonly setting?: string;
  /** True for roles that hold one address (clusterIP, clusterDNS, ...), false for CIDR roles. */
  readonly isAddress: boolean;
  /** The parsed block (an address as its /32 or /128); undefined when the value is invalid. */
  readonly cidr: CIDR | undefined;
  /** ip.ts's one-sentence error naming the value; undefined when valid. */
  readonly error: string | undefined;
  readonly hostBitsSet: boolean;
  /** The canonical text (`10.1.0.0/16`, `fd00::1`); undefined when invalid. */
  readonly canonical: string | undefined;
  /** A legacy API field's value that only the legacy (sloppy) parser reads, such as `010.0.0.0/8`. */
  readonly nonStandard?: true;
  /** Calico `blockSize` when written (IP pools). */
  readonly blockSize?: number;
}

/** A NetworkPolicy ipBlock: its cidr and except entries. */
export interface IPBlockPlan {
  readonly object: K8sObject;
  readonly cidr: PlanEntry | undefined;
  readonly except: readonly PlanEntry[];
}

/** The node CIDR mask size per family and where it was set (undefined: the default). */
export interface NodeMaskSize {
  readonly size: number;
  readonly where: string | undefined;
  /** The ClusterConfiguration that sets it (undefined: the default). */
  readonly source: { readonly file: string; readonly line: number } | undefined;
}

/** The address plan of a workspace. Lists are in file then text order. */
export interface AddressPlan {
  /** Every entry, settings ranges included. */
  readonly entries: readonly PlanEntry[];
  readonly clusterPodRanges: readonly PlanEntry[];
  /** Cluster pod ranges plus IP pools. */
  readonly podRanges: readonly PlanEntry[];
  /**
   * The service ranges the cluster has: kubeadm serviceSubnet (else the setting), and the
   * ServiceCIDRs of the workspace when one of those is known. Empty when none is known: a ServiceCIDR
   * alone does not say which other ranges the cluster has, so verdicts of "outside" abstain.
   */
  readonly serviceRanges: readonly PlanEntry[];
  /** Every service range known, ServiceCIDRs included (for what is inside or overlaps one). */
  readonly knownServiceRanges: readonly PlanEntry[];
  /** The cidrs of networking.k8s.io ServiceCIDR objects. */
  readonly serviceCIDRs: readonly PlanEntry[];
  readonly nodePodCIDRs: readonly PlanEntry[];
  readonly ipPools: readonly PlanEntry[];
  readonly clusterIPs: readonly PlanEntry[];
  readonly clusterDNS: readonly PlanEntry[];
  readonly ipBlocks: readonly IPBlockPlan[];
  readonly nodeMaskSize: Readonly<Record<IPFamily, NodeMaskSize>>;
}

export const ADDRESS_ROLES: ReadonlySet<PlanRole> = new Set([
  'clusterDNS', 'clusterIP', 'loadBalancerIP', 'externalIP', 'endpointAddress', 'endpointSliceAddress', 'podIP',
]);

/**
 * Addresses a live cluster reported (a Pod's status.podIPs, in a dump of one): part of the plan for
 * what contains or overlaps them, never judged (the API server drops a Pod's status on create).
 */
export const OBSERVED_ROLES: ReadonlySet<PlanRole> = new Set<PlanRole>(['podIP']);

/**
 * Roles whose value is an API field the API server validates as a legacy IP/CIDR field, with
 * k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy while StrictIPCIDRValidation is off:
 * pkg/apis/networking/validation ValidateIPBlock (ipBlock cidr, except: IsValidCIDRForLegacyField),
 * pkg/apis/core/validation ValidateService (clusterIPs, externalIPs, loadBalancerIP:
 * IsValidIPForLegacyField; loadBalancerSourceRanges: IsValidCIDRForLegacyField) and ValidateNode
 * (podCIDRs: IsValidCIDRForLegacyField), Endpoints and EndpointSlice addresses, Pod status podIPs.
 * Component configuration (kubeadm, kube-proxy, kubelet, Calico) is read strictly, as Go's net
 * package reads it, and so is ServiceCIDR (a field newer than the legacy ones: IsValidCIDR).
 */
export const API_LEGACY_ROLES: ReadonlySet<PlanRole> = new Set<PlanRole>([
  'ipBlockCidr', 'ipBlockExcept', 'loadBalancerSourceRange', 'nodePodCIDR', 'clusterIP', 'externalIP', 'loadBalancerIP',
  'endpointAddress', 'endpointSliceAddress', 'podIP',
]);

/** Kubernetes' defaults for kube-controller-manager `--node-cidr-mask-size-ipv4/-ipv6`. */
export const DEFAULT_NODE_MASK: Readonly<Record<IPFamily, number>> = { 4: 24, 6: 64 };
/** Calico's default IPPool `blockSize` per family. */
export const DEFAULT_BLOCK_SIZE: Readonly<Record<IPFamily, number>> = { 4: 26, 6: 122 };
/** kubelet's default `maxPods`. */
export const DEFAULT_MAX_PODS = 110;

/** A human name for a role, for messages and hovers (plain text). */
export function roleName(role: PlanRole): string {
  switch (role) {
    case 'podSubnet': return 'pod subnet (kubeadm networking.podSubnet)';
    case 'serviceSubnet': return 'service subnet (kubeadm networking.serviceSubnet)';
    case 'clusterCIDR': return 'pod range (kube-proxy clusterCIDR)';
    case 'clusterDNS': return 'cluster DNS address (kubelet clusterDNS)';
    case 'nodePodCIDR': return 'Node podCIDR';
    case 'ipPool': return 'Calico IP pool';
    case 'clusterIP': return 'Service clusterIP';
    case 'loadBalancerIP': return 'Service loadBalancerIP';
    case 'externalIP': return 'Service externalIP';
    case 'loadBalancerSourceRange': return 'Service loadBalancerSourceRanges entry';
    case 'ipBlockCidr': return 'NetworkPolicy ipBlock cidr';
    case 'ipBlockExcept': return 'NetworkPolicy ipBlock except';
    case 'serviceCIDR': return 'service range (ServiceCIDR)';
    case 'endpointAddress': return 'Endpoints address';
    case 'endpointSliceAddress': return 'EndpointSlice address';
    case 'podIP': return 'Pod IP (status.podIPs)';
    case 'podCIDRSetting': return 'pod range (setting kubeNetlens.podCIDRs)';
    case 'serviceCIDRSetting': return 'service range (setting kubeNetlens.serviceCIDRs)';
  }
}

/** `65536n` → `"65,536"`. */
export function formatCount(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Parses one value for a role: an address for address roles, a CIDR otherwise. */
export function parseFor(
  role: PlanRole, value: string, mode: ParseMode = API_LEGACY_ROLES.has(role) ? 'legacy' : 'strict',
): Pick<PlanEntry, 'cidr' | 'error' | 'hostBitsSet' | 'canonical' | 'nonStandard'> {
  if (ADDRESS_ROLES.has(role)) {
    const r = parseIPResult(value, mode);
    if (!r.ok) return { cidr: undefined, error: r.error, hostBitsSet: false, canonical: undefined };
    const { family, value: v } = r.address;
    const e = { cidr: makeCIDR(family, v, ipBits(family)), error: undefined, hostBitsSet: false, canonical: r.canonical };
    return r.nonStandard ? { ...e, nonStandard: true } : e;
  }
  const r = parseCIDR(value, mode);
  if (!r.ok) return { cidr: undefined, error: r.error, hostBitsSet: false, canonical: undefined };
  // ServiceCIDR validates its cidrs with IsValidCIDR: the canonical form only, so nothing else is a range of the cluster.
  if (role === 'serviceCIDR' && r.canonical !== value) {
    const why = r.hostBitsSet ? 'it has bits set beyond the prefix length' : `it is not in canonical form ("${r.canonical}")`;
    return { cidr: undefined, error: `"${value}" is not a valid ServiceCIDR cidr: ${why}, which the API server rejects`, hostBitsSet: false, canonical: undefined };
  }
  const e = { cidr: r.cidr, error: undefined, hostBitsSet: r.hostBitsSet, canonical: r.canonical };
  return r.nonStandard ? { ...e, nonStandard: true } : e;
}

export const spanKey = (file: string, span: Span) => `${file}\u0000${span.start}\u0000${span.end}`;

export type ValidEntry = PlanEntry & { cidr: CIDR };

export const valid = (es: readonly PlanEntry[]): ValidEntry[] => es.filter((e): e is ValidEntry => !!e.cidr);

/**
 * What one file contributes to the plan. It depends on the file alone, so it is kept per
 * `FileEntry`, which survives edits of other files: a keystroke builds only the edited file's part.
 */
export interface FilePlan {
  readonly entries: readonly PlanEntry[];
  readonly ipBlocks: readonly IPBlockPlan[];
  /** The file's entries of the range roles every file's problems are checked against. */
  readonly ranges: readonly PlanEntry[];
  readonly clusterIPs: readonly PlanEntry[];
}

const RANGE_ROLES: ReadonlySet<PlanRole> = new Set(['podSubnet', 'clusterCIDR', 'serviceSubnet', 'ipPool', 'serviceCIDR']);

const filePlans = new WeakMap<FileEntry, FilePlan>();

export function filePlan(entry: FileEntry): FilePlan {
  let fp = filePlans.get(entry);
  if (!fp) filePlans.set(entry, (fp = buildFilePlan(entry)));
  return fp;
}

function buildFilePlan(entry: FileEntry): FilePlan {
  const lines = entry.manifest.lines;
  const entries: PlanEntry[] = [];
  const byKey = new Map<string, PlanEntry>();
  for (const a of entry.addresses) {
    const file = a.object.file;
    const line = lines.position(a.span.start).line + 1;
    const e: PlanEntry = {
      role: a.role,
      value: a.value,
      source: { object: a.object, file, span: a.span, line },
      where: `${file}:${line}`,
      isAddress: ADDRESS_ROLES.has(a.role),
      ...parseFor(a.role, a.value),
      ...(a.blockSize !== undefined ? { blockSize: a.blockSize } : {}),
    };
    entries.push(e);
    byKey.set(spanKey(file, a.span), e);
  }
  const ipBlocks: IPBlockPlan[] = [];
  for (const p of entry.policiesWritten) {
    for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
      for (const peer of rule.peers ?? []) {
        const ib = peer.ipBlock;
        if (!ib) continue;
        const file = p.object.file;
        const find = (s: Span | undefined) => (s ? byKey.get(spanKey(file, s)) : undefined);
        ipBlocks.push({
          object: p.object,
          cidr: find(ib.cidr?.span),
          except: ib.except.map(e => find(e.span)).filter((e): e is PlanEntry => !!e),
        });
      }
    }
  }
  return {
    entries,
    ipBlocks,
    ranges: entries.filter(e => RANGE_ROLES.has(e.role)),
    clusterIPs: entries.filter(e => e.role === 'clusterIP'),
  };
}

/** The settings' ranges as entries, per settings list, so that they keep their identity across edits. */
const settingEntries = { podCIDRSetting: new WeakMap<readonly string[], PlanEntry[]>(), serviceCIDRSetting: new WeakMap<readonly string[], PlanEntry[]>() };

function fromSettings(role: 'podCIDRSetting' | 'serviceCIDRSetting', values: readonly string[], name: string): PlanEntry[] {
  let out = settingEntries[role].get(values);
  if (!out) {
    out = values.map(value => ({ role, value, source: undefined, where: `setting ${name}`, setting: name, isAddress: false, ...parseFor(role, value) }));
    settingEntries[role].set(values, out);
  }
  return out;
}

/**
 * The cluster-wide ranges every file's problems are checked against (few entries). One object per
 * distinct content: the context of the previous generation is reused when nothing in it changed, so
 * per-file problems computed against it stay valid.
 */
export interface PlanContext extends Pick<AddressPlan, 'clusterPodRanges' | 'ipPools' | 'podRanges' | 'serviceRanges' | 'knownServiceRanges' | 'serviceCIDRs'> {
  readonly settingEntries: readonly PlanEntry[];
  readonly ipBlockReading: Workspace['settings']['ipBlockReading'];
}

const lastContexts = new WeakMap<Workspace, PlanContext>();
/** The generation each context was last confirmed at. */
const contextGenerations = new WeakMap<PlanContext, number>();

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function planContext(ws: Workspace): PlanContext {
  return ws.derived('ipam:context', () => {
    // Most edits touch no range (pod/service subnets, pools): the last context stands.
    const last = lastContexts.get(ws);
    const changes = last && contextGenerations.has(last) ? ws.changesSince(contextGenerations.get(last)!) : undefined;
    if (last && changes && changes.every(c => !(c.before && filePlan(c.before).ranges.length) && !(c.after && filePlan(c.after).ranges.length))) {
      contextGenerations.set(last, ws.generation);
      return last;
    }
    const ranges: PlanEntry[] = [];
    for (const f of ws.files) ranges.push(...filePlan(f).ranges);
    const ofRole = (es: readonly PlanEntry[], ...roles: PlanRole[]) => es.filter(e => roles.includes(e.role));
    const settingsPods = ranges.some(e => e.role === 'podSubnet' || e.role === 'clusterCIDR')
      ? [] : fromSettings('podCIDRSetting', ws.settings.podCIDRs, 'kubeNetlens.podCIDRs');
    const settingsServices = ranges.some(e => e.role === 'serviceSubnet')
      ? [] : fromSettings('serviceCIDRSetting', ws.settings.serviceCIDRs, 'kubeNetlens.serviceCIDRs');
    const clusterPodRanges = [...ofRole(ranges, 'podSubnet', 'clusterCIDR'), ...settingsPods];
    const ipPools = ofRole(ranges, 'ipPool');
    const primaryServices = [...ofRole(ranges, 'serviceSubnet'), ...settingsServices];
    const serviceCIDRs = ofRole(ranges, 'serviceCIDR');
    const ctx: PlanContext = {
      clusterPodRanges,
      ipPools,
      podRanges: [...clusterPodRanges, ...ipPools],
      serviceRanges: primaryServices.length ? [...primaryServices, ...serviceCIDRs] : [],
      knownServiceRanges: [...primaryServices, ...serviceCIDRs],
      serviceCIDRs,
      settingEntries: [...settingsPods, ...settingsServices],
      ipBlockReading: ws.settings.ipBlockReading,
    };
    if (last && last.ipBlockReading === ctx.ipBlockReading && sameList(last.clusterPodRanges, ctx.clusterPodRanges)
      && sameList(last.ipPools, ctx.ipPools) && sameList(last.serviceRanges, ctx.serviceRanges) && sameList(last.settingEntries, ctx.settingEntries)
      && sameList(last.knownServiceRanges, ctx.knownServiceRanges)) {
      contextGenerations.set(last, ws.generation);
      return last;
    }
    lastContexts.set(ws, ctx);
    contextGenerations.set(ctx, ws.generation);
    return ctx;
  });
}

function build(ws: Workspace): AddressPlan {
  const ctx = planContext(ws);
  const entries: PlanEntry[] = [];
  const ipBlocks: IPBlockPlan[] = [];
  for (const f of ws.files) {
    const fp = filePlan(f);
    entries.push(...fp.entries);
    ipBlocks.push(...fp.ipBlocks);
  }
  entries.push(...ctx.settingEntries);
  const ofRole = (role: PlanRole) => entries.filter(e => e.role === role);
  return {
    entries,
    clusterPodRanges: ctx.clusterPodRanges,
    podRanges: ctx.podRanges,
    serviceRanges: ctx.serviceRanges,
    knownServiceRanges: ctx.knownServiceRanges,
    serviceCIDRs: ctx.serviceCIDRs,
    nodePodCIDRs: ofRole('nodePodCIDR'),
    ipPools: ctx.ipPools,
    clusterIPs: ofRole('clusterIP'),
    clusterDNS: ofRole('clusterDNS'),
    ipBlocks,
    nodeMaskSize: nodeMasks(ws),
  };
}

function nodeMasks(ws: Workspace): Record<IPFamily, NodeMaskSize> {
  const out: Record<IPFamily, NodeMaskSize> = {
    4: { size: DEFAULT_NODE_MASK[4], where: undefined, source: undefined },
    6: { size: DEFAULT_NODE_MASK[6], where: undefined, source: undefined },
  };
  let seen4 = false;
  let seen6 = false;
  for (const o of ws.objects) {
    if (o.kind !== 'ClusterConfiguration') continue;
    const m = nodeCidrMaskSizes(o);
    const source = { file: o.file, line: (ws.get(o.file)?.manifest.lines.position(o.span.start).line ?? 0) + 1 };
    const where = `${source.file}:${source.line}`;
    // The plain flag is the mask of a single-stack cluster's one family: the family of its pod
    // subnet (IPv4 when the subnet is not written, as the controller's default range is IPv4).
    const families = new Set(ws.addresses
      .filter(a => a.object === o && a.role === 'podSubnet')
      .flatMap(a => { const p = parseCIDR(a.value); return p.ok ? [p.cidr.family] : []; }));
    const singleFamily: IPFamily | undefined = families.size === 0 ? 4 : families.size === 1 ? [...families][0] : undefined;
    const v4 = m.v4 ?? (singleFamily === 4 ? m.single : undefined);
    const v6 = m.v6 ?? (singleFamily === 6 ? m.single : undefined);
    if (!seen4 && v4 !== undefined && v4 >= 0 && v4 <= 32) { out[4] = { size: v4, where, source }; seen4 = true; }
    if (!seen6 && v6 !== undefined && v6 >= 0 && v6 <= 128) { out[6] = { size: v6, where, source }; seen6 = true; }
  }
  return out;
}

/** The workspace's address plan, computed once per workspace generation from per-file parts kept across edits. */
export function addressPlan(ws: Workspace): AddressPlan {
  return ws.derived('ipam:plan', build);
}

/** The plan entries written in `file`: the same objects as in `addressPlan(ws).entries`, without building the whole plan. */
export function planEntriesIn(ws: Workspace, file: string): readonly PlanEntry[] {
  const entry = ws.get(file);
  return entry ? filePlan(entry).entries : [];
}

/** The kinds whose objects define address-plan values (what the ipam rules look at). */
export const ADDRESS_KINDS: readonly string[] = [
  'ClusterConfiguration', 'KubeProxyConfiguration', 'KubeletConfiguration', 'Node', 'IPPool', 'Installation', 'Service', 'NetworkPolicy',
  'ServiceCIDR', 'Endpoints', 'EndpointSlice',
];
