/**
 * The cluster address plan: every CIDR and IP the workspace defines (kubeadm, kube-proxy, kubelet,
 * Nodes, Calico pools, Services, NetworkPolicy ipBlocks) plus the `podCIDRs`/`serviceCIDRs`
 * settings, parsed once per workspace generation, with every overlap and containment problem
 * between them. Rules, the hover and `kube-netlens ipam` all read this one plan.
 *
 * Vocabulary:
 * - cluster pod ranges: kubeadm `podSubnet` and kube-proxy `clusterCIDR`; the `podCIDRs` setting
 *   only when no manifest defines either. Node podCIDRs and IP pools must lie inside them.
 * - pod ranges: the cluster pod ranges plus Calico IP pools (every address a pod may get).
 * - service ranges: kubeadm `serviceSubnet`; the `serviceCIDRs` setting when no manifest defines one.
 */
import type { K8sObject } from '../parse/manifest';
import { nodeCidrMaskSizes, type AddressSource } from '../parse/views';
import type { Span } from '../span';
import type { FileEntry, Workspace } from '../workspace';
import { code, escape } from '../hover/markdown';
import {
  cidrSize, contains, formatCIDR, formatIP, IPIntervalSet, ipBits, ipFamilyName, makeCIDR, nodeCapacity, overlaps,
  parseCIDR, parseIPResult, type CIDR, type IPFamily,
} from './ip';

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
  /** `file:line`, or the setting's name. */
  readonly where: string;
  /** True for roles that hold one address (clusterIP, clusterDNS, ...), false for CIDR roles. */
  readonly isAddress: boolean;
  /** The parsed block (an address as its /32 or /128); undefined when the value is invalid. */
  readonly cidr: CIDR | undefined;
  /** ip.ts's one-sentence error naming the value; undefined when valid. */
  readonly error: string | undefined;
  readonly hostBitsSet: boolean;
  /** The canonical text (`10.1.0.0/16`, `fd00::1`); undefined when invalid. */
  readonly canonical: string | undefined;
  /** Calico `blockSize` when written (IP pools). */
  readonly blockSize?: number;
}

/** A NetworkPolicy ipBlock: its cidr and except entries. */
export interface IPBlockPlan {
  readonly object: K8sObject;
  readonly cidr: PlanEntry | undefined;
  readonly except: readonly PlanEntry[];
}

/** The id of the rule that reports a problem kind. */
export type ProblemCode =
  | 'cidr-invalid' | 'cidr-host-bits' | 'ipblock-except-outside-cidr' | 'pod-service-cidr-overlap'
  | 'cluster-ip-outside-service-range' | 'cluster-ip-duplicate' | 'pool-outside-pod-cidr'
  | 'ipblock-covers-cluster' | 'service-ip-family-mismatch';

/** One problem of the plan. */
export interface PlanProblem {
  readonly code: ProblemCode;
  readonly severity: 'error' | 'warning' | 'info';
  /** One sentence naming the offending value. */
  readonly message: string;
  /** Where to report; undefined only when every value involved comes from settings. */
  readonly at: PlanSource | undefined;
  /** The entry at fault, when the problem is about one (not for Service family problems). */
  readonly entry: PlanEntry | undefined;
  /** Other values involved (the overlapping range, the other Service). */
  readonly related: ReadonlyArray<{ readonly entry: PlanEntry; readonly message: string }>;
}

/** The node CIDR mask size per family and where it was set (undefined: the default). */
export interface NodeMaskSize {
  readonly size: number;
  readonly where: string | undefined;
}

/** The address plan of a workspace. Lists are in file then text order. */
export interface AddressPlan {
  /** Every entry, settings ranges included. */
  readonly entries: readonly PlanEntry[];
  readonly clusterPodRanges: readonly PlanEntry[];
  /** Cluster pod ranges plus IP pools. */
  readonly podRanges: readonly PlanEntry[];
  readonly serviceRanges: readonly PlanEntry[];
  readonly nodePodCIDRs: readonly PlanEntry[];
  readonly ipPools: readonly PlanEntry[];
  readonly clusterIPs: readonly PlanEntry[];
  readonly clusterDNS: readonly PlanEntry[];
  readonly ipBlocks: readonly IPBlockPlan[];
  readonly nodeMaskSize: Readonly<Record<IPFamily, NodeMaskSize>>;
  readonly problems: readonly PlanProblem[];
}

const ADDRESS_ROLES: ReadonlySet<PlanRole> = new Set(['clusterDNS', 'clusterIP', 'loadBalancerIP', 'externalIP']);

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
    case 'podCIDRSetting': return 'pod range (setting kubeNetlens.podCIDRs)';
    case 'serviceCIDRSetting': return 'service range (setting kubeNetlens.serviceCIDRs)';
  }
}

/** `65536n` → `"65,536"`. */
export function formatCount(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Parses one value for a role: an address for address roles, a CIDR otherwise. */
function parseFor(role: PlanRole, value: string): Pick<PlanEntry, 'cidr' | 'error' | 'hostBitsSet' | 'canonical'> {
  if (ADDRESS_ROLES.has(role)) {
    const r = parseIPResult(value);
    if (!r.ok) return { cidr: undefined, error: r.error, hostBitsSet: false, canonical: undefined };
    const { family, value: v } = r.address;
    return { cidr: makeCIDR(family, v, ipBits(family)), error: undefined, hostBitsSet: false, canonical: r.canonical };
  }
  const r = parseCIDR(value);
  if (!r.ok) return { cidr: undefined, error: r.error, hostBitsSet: false, canonical: undefined };
  return { cidr: r.cidr, error: undefined, hostBitsSet: r.hostBitsSet, canonical: r.canonical };
}

const spanKey = (file: string, span: Span) => `${file}\u0000${span.start}\u0000${span.end}`;

type ValidEntry = PlanEntry & { cidr: CIDR };

const valid = (es: readonly PlanEntry[]): ValidEntry[] => es.filter((e): e is ValidEntry => !!e.cidr);

/**
 * What one file contributes to the plan. It depends on the file alone, so it is kept per
 * `FileEntry`, which survives edits of other files: a keystroke builds only the edited file's part.
 */
interface FilePlan {
  readonly entries: readonly PlanEntry[];
  readonly ipBlocks: readonly IPBlockPlan[];
  /** The file's entries of the range roles every file's problems are checked against. */
  readonly ranges: readonly PlanEntry[];
  readonly clusterIPs: readonly PlanEntry[];
}

const RANGE_ROLES: ReadonlySet<PlanRole> = new Set(['podSubnet', 'clusterCIDR', 'serviceSubnet', 'ipPool']);

const filePlans = new WeakMap<FileEntry, FilePlan>();

function filePlan(entry: FileEntry): FilePlan {
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
    out = values.map(value => ({ role, value, source: undefined, where: `setting ${name}`, isAddress: false, ...parseFor(role, value) }));
    settingEntries[role].set(values, out);
  }
  return out;
}

/**
 * The cluster-wide ranges every file's problems are checked against (few entries). One object per
 * distinct content: the context of the previous generation is reused when nothing in it changed, so
 * per-file problems computed against it stay valid.
 */
interface PlanContext {
  readonly clusterPodRanges: readonly PlanEntry[];
  readonly ipPools: readonly PlanEntry[];
  readonly podRanges: readonly PlanEntry[];
  readonly serviceRanges: readonly PlanEntry[];
  readonly settingEntries: readonly PlanEntry[];
  readonly ipBlockReading: Workspace['settings']['ipBlockReading'];
}

const lastContexts = new WeakMap<Workspace, PlanContext>();

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function planContext(ws: Workspace): PlanContext {
  return ws.derived('ipam:context', () => {
    const ranges: PlanEntry[] = [];
    for (const f of ws.files) ranges.push(...filePlan(f).ranges);
    const ofRole = (es: readonly PlanEntry[], ...roles: PlanRole[]) => es.filter(e => roles.includes(e.role));
    const settingsPods = ranges.some(e => e.role === 'podSubnet' || e.role === 'clusterCIDR')
      ? [] : fromSettings('podCIDRSetting', ws.settings.podCIDRs, 'kubeNetlens.podCIDRs');
    const settingsServices = ranges.some(e => e.role === 'serviceSubnet')
      ? [] : fromSettings('serviceCIDRSetting', ws.settings.serviceCIDRs, 'kubeNetlens.serviceCIDRs');
    const clusterPodRanges = [...ofRole(ranges, 'podSubnet', 'clusterCIDR'), ...settingsPods];
    const ipPools = ofRole(ranges, 'ipPool');
    const ctx: PlanContext = {
      clusterPodRanges,
      ipPools,
      podRanges: [...clusterPodRanges, ...ipPools],
      serviceRanges: [...ofRole(ranges, 'serviceSubnet'), ...settingsServices],
      settingEntries: [...settingsPods, ...settingsServices],
      ipBlockReading: ws.settings.ipBlockReading,
    };
    const last = lastContexts.get(ws);
    if (last && last.ipBlockReading === ctx.ipBlockReading && sameList(last.clusterPodRanges, ctx.clusterPodRanges)
      && sameList(last.ipPools, ctx.ipPools) && sameList(last.serviceRanges, ctx.serviceRanges) && sameList(last.settingEntries, ctx.settingEntries)) {
      return last;
    }
    lastContexts.set(ws, ctx);
    return ctx;
  });
}

function build(ws: Workspace): AddressPlan {
  const ctx = planContext(ws);
  const entries: PlanEntry[] = [];
  const ipBlocks: IPBlockPlan[] = [];
  const ranked: RankedProblem[] = [];
  for (const f of ws.files) {
    const fp = filePlan(f);
    entries.push(...fp.entries);
    ipBlocks.push(...fp.ipBlocks);
    ranked.push(...fileProblems(f, ctx));
  }
  entries.push(...ctx.settingEntries);
  ranked.push(...rangeOverlapProblems(ctx));
  const byIP = clusterIPsByIP(ws);
  for (const group of byIP.values()) for (const e of group) ranked.push(...duplicateProblems(e, group));
  const ofRole = (role: PlanRole) => entries.filter(e => e.role === role);
  return {
    entries,
    clusterPodRanges: ctx.clusterPodRanges,
    podRanges: ctx.podRanges,
    serviceRanges: ctx.serviceRanges,
    nodePodCIDRs: ofRole('nodePodCIDR'),
    ipPools: ctx.ipPools,
    clusterIPs: ofRole('clusterIP'),
    clusterDNS: ofRole('clusterDNS'),
    ipBlocks,
    nodeMaskSize: nodeMasks(ws),
    problems: sortProblems(ranked),
  };
}

function nodeMasks(ws: Workspace): Record<IPFamily, NodeMaskSize> {
  const out: Record<IPFamily, NodeMaskSize> = { 4: { size: DEFAULT_NODE_MASK[4], where: undefined }, 6: { size: DEFAULT_NODE_MASK[6], where: undefined } };
  let seen4 = false;
  let seen6 = false;
  for (const o of ws.objects) {
    if (o.kind !== 'ClusterConfiguration') continue;
    const m = nodeCidrMaskSizes(o);
    const where = `${o.file}:${(ws.get(o.file)?.manifest.lines.position(o.span.start).line ?? 0) + 1}`;
    // The plain flag is the mask of a single-stack cluster's one family: the family of its pod
    // subnet (IPv4 when the subnet is not written, as the controller's default range is IPv4).
    const families = new Set(ws.addresses
      .filter(a => a.object === o && a.role === 'podSubnet')
      .flatMap(a => { const p = parseCIDR(a.value); return p.ok ? [p.cidr.family] : []; }));
    const singleFamily: IPFamily | undefined = families.size === 0 ? 4 : families.size === 1 ? [...families][0] : undefined;
    const v4 = m.v4 ?? (singleFamily === 4 ? m.single : undefined);
    const v6 = m.v6 ?? (singleFamily === 6 ? m.single : undefined);
    if (!seen4 && v4 !== undefined && v4 >= 0 && v4 <= 32) { out[4] = { size: v4, where }; seen4 = true; }
    if (!seen6 && v6 !== undefined && v6 >= 0 && v6 <= 128) { out[6] = { size: v6, where }; seen6 = true; }
  }
  return out;
}

/** `${VAR}`, `$(VAR)`, `{{ x }}`: substituted by envsubst, kustomize or a template before the value is applied. */
const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}/;

/**
 * A problem with the rank of its check. Problems are listed by place, then by check in this order:
 * 0 invalid/host bits, 1 ipBlock except, 2 pod/service overlap, 3 clusterIP outside, 4 duplicate
 * clusterIP, 5 pool outside, 6 ipBlock covers the cluster, 7 IP family.
 */
interface RankedProblem {
  readonly rank: number;
  readonly problem: PlanProblem;
}

type Add = (p: Omit<PlanProblem, 'related'> & { related?: PlanProblem['related'] }) => void;

function collector(rank: number, out: RankedProblem[]): Add {
  return p => out.push({ rank, problem: { related: [], ...p } });
}

const orderKey = (p: PlanProblem) => (p.at ? `${p.at.file}\u0000${String(p.at.span.start).padStart(12, '0')}` : '\uffff');

/** Sorts by place, then check; stable, so problems of one check at one place keep their order. */
function sortProblems(ranked: RankedProblem[]): PlanProblem[] {
  const keyed = ranked.map(r => ({ key: orderKey(r.problem), rank: r.rank, problem: r.problem }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.rank - b.rank));
  return keyed.map(k => k.problem);
}

const fileProblemMemo = new WeakMap<FileEntry, { ctx: PlanContext; problems: RankedProblem[] }>();

/** The problems located in one file that depend only on the file and the cluster ranges. */
function fileProblems(entry: FileEntry, ctx: PlanContext): RankedProblem[] {
  const memo = fileProblemMemo.get(entry);
  if (memo && memo.ctx === ctx) return memo.problems;
  const problems = computeFileProblems(entry, ctx);
  fileProblemMemo.set(entry, { ctx, problems });
  return problems;
}

function computeFileProblems(entry: FileEntry, ctx: PlanContext): RankedProblem[] {
  const fp = filePlan(entry);
  const out: RankedProblem[] = [];
  let add = collector(0, out);
  for (const e of fp.entries) {
    if (e.error) {
      if (!PLACEHOLDER.test(e.value)) add({ code: 'cidr-invalid', severity: 'error', message: e.error, at: e.source, entry: e });
    }
    else if (e.hostBitsSet) {
      add({
        code: 'cidr-host-bits', severity: 'warning', at: e.source, entry: e,
        message: `${e.value} has host bits set after the /${e.cidr!.prefix} prefix; it means ${e.canonical}`,
      });
    }
  }

  add = collector(1, out);
  for (const b of fp.ipBlocks) {
    const c = b.cidr?.cidr;
    if (!c) continue;
    for (const x of b.except) {
      if (!x.cidr) continue;
      let why: string | undefined;
      if (x.cidr.family !== c.family) why = `is ${ipFamilyName(x.cidr.family)} but cidr ${b.cidr!.value} is ${ipFamilyName(c.family)}`;
      // Kubernetes validation wants a strict subset: inside the cidr and a longer prefix.
      else if (!contains(c, x.cidr)) why = `is outside cidr ${b.cidr!.value}`;
      else if (x.cidr.prefix <= c.prefix) why = `covers all of cidr ${b.cidr!.value}; it must be a strict subset`;
      if (why) {
        add({
          code: 'ipblock-except-outside-cidr', severity: 'error', at: x.source, entry: x,
          message: `except ${x.value} ${why}`,
          related: [{ entry: b.cidr!, message: `the ipBlock's cidr ${b.cidr!.value}` }],
        });
      }
    }
  }

  const services = valid(ctx.serviceRanges);
  clusterIPOutsideProblems(valid(fp.clusterIPs), services, collector(3, out));

  add = collector(5, out);
  const clusterPods = valid(ctx.clusterPodRanges);
  const pools = fp.entries.filter(e => e.role === 'ipPool');
  const nodes = fp.entries.filter(e => e.role === 'nodePodCIDR');
  for (const e of valid([...pools, ...nodes])) {
    const sameFamily = clusterPods.filter(r => r.cidr.family === e.cidr.family);
    if (sameFamily.length === 0 || sameFamily.some(r => contains(r.cidr, e.cidr))) continue;
    const what = e.role === 'ipPool' ? 'IP pool' : 'Node podCIDR';
    add({
      code: 'pool-outside-pod-cidr', severity: 'warning', at: e.source, entry: e,
      message: `${what} ${e.value} is outside the cluster's pod range ${sameFamily.map(r => r.value).join(', ')}`,
      related: sameFamily.map(r => ({ entry: r, message: `${roleName(r.role)} ${r.value}` })),
    });
  }

  add = collector(6, out);
  const pods = valid(ctx.podRanges);
  for (const b of fp.ipBlocks) {
    const e = b.cidr;
    if (!e?.cidr) continue;
    const set = ipBlockSet(e.cidr, b.except);
    const hitPods = pods.filter(r => !set.intersect(IPIntervalSet.fromCIDRs(set.family, [r.cidr])).isEmpty());
    const hitServices = services.filter(r => !set.intersect(IPIntervalSet.fromCIDRs(set.family, [r.cidr])).isEmpty());
    if (hitPods.length === 0 && hitServices.length === 0) continue;
    const parts: string[] = [];
    if (hitPods.length) {
      parts.push(ctx.ipBlockReading === 'all'
        ? `the pod range ${hitPods.map(r => r.value).join(', ')}, and under the 'all' reading (CNIs such as Calico) this peer also matches every pod there`
        : `the pod range ${hitPods.map(r => r.value).join(', ')}, but ipBlock matches only traffic from or to outside the cluster, so pods there are not matched by this peer and need a podSelector or namespaceSelector`);
    }
    if (hitServices.length) {
      parts.push(`the service range ${hitServices.map(r => r.value).join(', ')}, which usually matches nothing because most implementations translate Service IPs to pod IPs before policies apply`);
    }
    add({
      code: 'ipblock-covers-cluster', severity: 'info', at: e.source, entry: e,
      message: `ipBlock ${e.value} covers ${parts.join('; it also covers ')}`,
      related: [...hitPods, ...hitServices].map(r => ({ entry: r, message: `${roleName(r.role)} ${r.value}` })),
    });
  }

  familyProblems(entry, fp, services, collector(7, out));
  return out;
}

const overlapMemo = new WeakMap<PlanContext, RankedProblem[]>();

/** Pod ranges overlapping service ranges: between the few cluster ranges, once per context. */
function rangeOverlapProblems(ctx: PlanContext): RankedProblem[] {
  let out = overlapMemo.get(ctx);
  if (out) return out;
  out = [];
  const add = collector(2, out);
  const services = valid(ctx.serviceRanges);
  for (const p of valid(ctx.podRanges)) {
    for (const s of services) {
      if (!overlaps(p.cidr, s.cidr)) continue;
      const [at, other] = p.source ? [p, s] : [s, p];
      add({
        code: 'pod-service-cidr-overlap', severity: 'error', at: at.source, entry: at,
        message: `${roleName(p.role)} ${p.value} overlaps ${roleName(s.role)} ${s.value}`,
        related: [{ entry: other, message: `${roleName(other.role)} ${other.value}` }],
      });
    }
  }
  overlapMemo.set(ctx, out);
  return out;
}

/** The addresses an ipBlock peer names: cidr minus its same-family, valid excepts. */
export function ipBlockSet(cidr: CIDR, except: readonly PlanEntry[]): IPIntervalSet {
  return IPIntervalSet.fromCIDR(cidr).subtract(IPIntervalSet.fromCIDRs(cidr.family, valid(except).map(x => x.cidr)));
}

function clusterIPOutsideProblems(ips: readonly ValidEntry[], services: readonly ValidEntry[], add: Add): void {
  if (!services.length) return;
  for (const e of ips) {
    const home = services.find(s => contains(s.cidr, e.cidr));
    if (!home) {
      const family = services.some(s => s.cidr.family === e.cidr.family)
        ? 'outside'
        : `${ipFamilyName(e.cidr.family)} but the cluster has no ${ipFamilyName(e.cidr.family)} service range, so it is outside`;
      add({
        code: 'cluster-ip-outside-service-range', severity: 'error', at: e.source, entry: e,
        message: `clusterIP ${e.value} is ${family} the service range ${services.map(s => s.value).join(', ')}`,
        related: services.map(s => ({ entry: s, message: `${roleName(s.role)} ${s.value}` })),
      });
      continue;
    }
    // The allocator never hands out the network address, nor the IPv4 broadcast address.
    const reserved = e.cidr.first === home.cidr.first ? 'network' : e.cidr.family === 4 && e.cidr.first === home.cidr.last && home.cidr.prefix < 31 ? 'broadcast' : undefined;
    if (reserved && home.cidr.prefix < ipBits(home.cidr.family)) {
      add({
        code: 'cluster-ip-outside-service-range', severity: 'error', at: e.source, entry: e,
        message: `clusterIP ${e.value} is the ${reserved} address of the service range ${home.value}, which the API server never allocates`,
        related: [{ entry: home, message: `${roleName(home.role)} ${home.value}` }],
      });
    }
  }
}

const ipKey = (e: ValidEntry) => `${e.cidr.family}/${e.cidr.first}`;

/** Every valid clusterIP by address, in workspace order (per generation, from the per-file lists). */
function clusterIPsByIP(ws: Workspace): Map<string, ValidEntry[]> {
  return ws.derived('ipam:clusterIPsByIP', () => {
    const byIP = new Map<string, ValidEntry[]>();
    for (const f of ws.files) {
      for (const e of valid(filePlan(f).clusterIPs)) {
        const key = ipKey(e);
        const group = byIP.get(key);
        if (group) group.push(e);
        else byIP.set(key, [e]);
      }
    }
    return byIP;
  });
}

const svcName = (e: PlanEntry) => `${e.source!.object.namespace}/${e.source!.object.name}`;

function duplicateProblems(e: ValidEntry, group: readonly ValidEntry[]): RankedProblem[] {
  // The same Service defined twice (an all-in-one file beside split files) is not a clash of two Services.
  const others = group.filter(o => svcName(o) !== svcName(e));
  if (others.length === 0) return [];
  const out: RankedProblem[] = [];
  collector(4, out)({
    code: 'cluster-ip-duplicate', severity: 'error', at: e.source, entry: e,
    message: `clusterIP ${e.value} is also the clusterIP of Service ${[...new Set(others.map(svcName))].join(', ')}`,
    related: others.map(o => ({ entry: o, message: `Service ${svcName(o)} has clusterIP ${o.value}` })),
  });
  return out;
}

const FAMILY_NAMES: Readonly<Record<string, IPFamily>> = { IPv4: 4, IPv6: 6 };

function familyProblems(entry: FileEntry, fp: FilePlan, services: readonly ValidEntry[], add: Add): void {
  const byKey = new Map(fp.clusterIPs.filter(e => e.source).map(e => [spanKey(e.source!.file, e.source!.span), e]));
  const rangeFamilies = new Set(services.map(s => s.cidr.family));
  const lines = entry.manifest.lines;
  for (const svc of entry.services) {
    const file = svc.object.file;
    const sourceOf = (span: Span): PlanSource => ({ object: svc.object, file, span, line: lines.position(span.start).line + 1 });
    const ips = svc.clusterIPs.length ? svc.clusterIPs : svc.clusterIP ? [svc.clusterIP] : [];
    svc.ipFamilies.forEach((fam, i) => {
      const family = FAMILY_NAMES[fam.value];
      if (family === undefined) return;
      const ip = ips[i];
      const entry = ip ? byKey.get(spanKey(file, ip.span)) : undefined;
      if (entry?.cidr && entry.cidr.family !== family) {
        add({
          code: 'service-ip-family-mismatch', severity: 'warning', at: entry.source, entry,
          message: `clusterIP ${entry.value} is ${ipFamilyName(entry.cidr.family)} but ipFamilies[${i}] is ${fam.value}`,
        });
      }
      // PreferDualStack falls back to single-stack on a single-stack cluster, so a secondary family
      // the cluster lacks is not an error there.
      if (services.length && !rangeFamilies.has(family) && !(svc.ipFamilyPolicy === 'PreferDualStack' && i > 0)) {
        add({
          code: 'service-ip-family-mismatch', severity: 'warning', at: sourceOf(fam.span), entry: undefined,
          message: `ipFamilies entry ${fam.value} has no service range in this cluster (service ranges: ${services.map(s => s.value).join(', ')})`,
          related: services.map(s => ({ entry: s, message: `${roleName(s.role)} ${s.value}` })),
        });
      }
    });
  }
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

/**
 * Problems of one kind reported at `object` (for the rule of that id), in the order of
 * `addressPlan(ws).problems`. Costs the object's file and the cluster ranges, not the whole plan.
 */
export function problemsAt(ws: Workspace, object: K8sObject, id: ProblemCode): PlanProblem[] {
  const entry = ws.get(object.file);
  if (!entry) return [];
  const ranked: RankedProblem[] = [];
  const ctx = planContext(ws);
  if (id === 'pod-service-cidr-overlap') ranked.push(...rangeOverlapProblems(ctx));
  else if (id === 'cluster-ip-duplicate') {
    const byIP = clusterIPsByIP(ws);
    for (const e of valid(filePlan(entry).clusterIPs)) {
      if (e.source?.object === object) ranked.push(...duplicateProblems(e, byIP.get(ipKey(e)) ?? []));
    }
  } else ranked.push(...fileProblems(entry, ctx));
  return sortProblems(ranked.filter(r => r.problem.code === id && r.problem.at?.object === object));
}

// ---------------------------------------------------------------------------------------------
// Facts for the hover

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

// ---------------------------------------------------------------------------------------------
// Reporting through the rule framework

/** The kinds whose objects define address-plan values (what the ipam rules look at). */
export const ADDRESS_KINDS: readonly string[] = [
  'ClusterConfiguration', 'KubeProxyConfiguration', 'KubeletConfiguration', 'Node', 'IPPool', 'Installation', 'Service', 'NetworkPolicy',
];

