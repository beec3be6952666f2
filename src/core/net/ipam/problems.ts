/**
 * The address plan's problems: invalid values, host bits, ipBlock excepts outside their cidr,
 * pod/service range overlaps, clusterIPs outside the service range or used twice, pools and Node
 * podCIDRs outside the pod range, ipBlocks that cover the cluster, IP family mismatches. Each problem
 * is one sentence naming the value, reported by the rule of the same id. Per-file problems are kept
 * per `FileEntry` and cluster ranges, so an edit recomputes only the edited file's.
 */
import type { K8sObject } from '../../parse/manifest';
import type { Span } from '../../span';
import type { FileEntry, Workspace } from '../../workspace';
import { contains, IPIntervalSet, ipBits, ipFamilyName, ipv4MappedReading, isStrictSubsetForValidation, overlaps, type CIDR, type IPFamily } from '../ip';
import {
  API_LEGACY_ROLES, filePlan, OBSERVED_ROLES, planContext, roleName, spanKey, valid, type FilePlan, type PlanContext, type PlanEntry, type PlanSource, type ValidEntry,
} from './plan';
import { apiWarning, fieldPath, REJECTED, singleAddress } from './warnings';

/** The id of the rule that reports a problem kind. */
export type ProblemCode =
  | 'cidr-invalid' | 'cidr-host-bits' | 'ipblock-except-outside-cidr' | 'pod-service-cidr-overlap'
  | 'cluster-ip-outside-service-range' | 'cluster-ip-duplicate' | 'pool-outside-pod-cidr'
  | 'ipblock-covers-cluster' | 'service-ip-family-mismatch' | 'ip-non-standard';

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
    if (OBSERVED_ROLES.has(e.role)) continue;
    if (e.error) {
      if (!PLACEHOLDER.test(e.value)) add({ code: 'cidr-invalid', severity: 'error', message: e.error, at: e.source, entry: e });
    }
    else {
      if (e.hostBitsSet) {
        // A legacy API field: GetWarningsForCIDR's words ("ambiguous in this context") too.
        const api = e.source && API_LEGACY_ROLES.has(e.role)
          ? `. The API server warns: ${fieldPath(entry, e.source)}: CIDR value "${e.value}" is ambiguous in this context (should be "${e.canonical}" or "${singleAddress(e)}"?)${REJECTED}`
          : '';
        add({
          code: 'cidr-host-bits', severity: 'warning', at: e.source, entry: e,
          message: `${e.value} has host bits set after the /${e.cidr!.prefix} prefix; it means ${e.canonical}${api}`,
        });
      }
      const warning = e.source && apiWarning(e);
      if (warning) {
        // IPv6 outside RFC 5952 form stays a warning; the other forms strict validation rejects.
        const rejected = e.nonStandard || warning.message.startsWith('non-standard') ? REJECTED : '';
        add({ code: 'ip-non-standard', severity: 'warning', at: e.source, entry: e, message: `${fieldPath(entry, e.source!)}: ${warning.message}${rejected}` });
      }
    }
  }

  add = collector(1, out);
  for (const b of fp.ipBlocks) {
    const c = b.cidr?.cidr;
    if (!c) continue;
    for (const x of b.except) {
      // ValidateIPBlock's own test (Go's To4 reading of IPv4-mapped values included).
      if (!x.cidr || isStrictSubsetForValidation(c, x.cidr)) continue;
      let why: string | undefined;
      if (ipv4MappedReading(c) || ipv4MappedReading(x.cidr)) {
        why = `is not a strict subset of cidr ${b.cidr!.value} as the API server reads them (IPv4-mapped values as IPv4, the written prefix lengths /${c.prefix} and /${x.cidr.prefix} compared)`;
      }
      else if (x.cidr.family !== c.family) why = `is ${ipFamilyName(x.cidr.family)} but cidr ${b.cidr!.value} is ${ipFamilyName(c.family)}`;
      // Kubernetes validation wants a strict subset: inside the cidr and a longer prefix.
      else if (!contains(c, x.cidr)) why = `is outside cidr ${b.cidr!.value}`;
      else if (x.cidr.prefix <= c.prefix) why = `covers all of cidr ${b.cidr!.value}; it must be a strict subset`;
      else why = `is not a strict subset of cidr ${b.cidr!.value}`;
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
  const knownServices = valid(ctx.knownServiceRanges);
  for (const b of fp.ipBlocks) {
    const e = b.cidr;
    if (!e?.cidr) continue;
    const set = ipBlockSet(e.cidr, b.except);
    const hitPods = pods.filter(r => !set.intersect(IPIntervalSet.fromCIDRs(set.family, [r.cidr])).isEmpty());
    const hitServices = knownServices.filter(r => !set.intersect(IPIntervalSet.fromCIDRs(set.family, [r.cidr])).isEmpty());
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
  // An overlap is a fact of the two ranges: every service range known counts, ServiceCIDRs included.
  const services = valid(ctx.knownServiceRanges);
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

const clusterIPTables = new WeakMap<Workspace, { generation: number; byIP: Map<string, ValidEntry[]> }>();

/**
 * Every valid clusterIP by address, in workspace order (per generation, from the per-file lists).
 * After an edit, only the addresses the changed files had or have are regrouped (from the
 * workspace's change log; a rebuild from every file when it is not known).
 */
function clusterIPsByIP(ws: Workspace): Map<string, ValidEntry[]> {
  return ws.derived('ipam:clusterIPsByIP', () => {
    const prev = clusterIPTables.get(ws);
    const changes = prev ? ws.changesSince(prev.generation) : undefined;
    let byIP: Map<string, ValidEntry[]>;
    if (!changes) {
      byIP = new Map();
      for (const f of ws.files) {
        for (const e of valid(filePlan(f).clusterIPs)) {
          const key = ipKey(e);
          const group = byIP.get(key);
          if (group) group.push(e);
          else byIP.set(key, [e]);
        }
      }
    } else {
      byIP = new Map(prev!.byIP);
      const touched = new Set<string>();
      for (const c of changes) {
        for (const e of c.before ? valid(filePlan(c.before).clusterIPs) : []) {
          const key = ipKey(e);
          const rest = (byIP.get(key) ?? []).filter(x => x !== e);
          if (rest.length) byIP.set(key, rest);
          else byIP.delete(key);
        }
        for (const e of c.after ? valid(filePlan(c.after).clusterIPs) : []) {
          const key = ipKey(e);
          byIP.set(key, [...(byIP.get(key) ?? []), e]);
          touched.add(key);
        }
      }
      // Workspace order: by file, then by place in the file's list.
      const place = (e: ValidEntry) => {
        const entry = ws.get(e.source!.object.file)!;
        return [ws.orderOf(e.source!.object.file)!, filePlan(entry).clusterIPs.indexOf(e)] as const;
      };
      for (const key of touched) {
        const group = byIP.get(key);
        if (!group || group.length < 2) continue;
        byIP.set(key, group.map(e => [place(e), e] as const).sort(([a], [b]) => a[0] - b[0] || a[1] - b[1]).map(([, e]) => e));
      }
    }
    clusterIPTables.set(ws, { generation: ws.generation, byIP });
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


/** Every problem of the plan, by place then check; once per workspace generation. */
export function planProblems(ws: Workspace): readonly PlanProblem[] {
  return ws.derived('ipam:problems', () => {
    const ctx = planContext(ws);
    const ranked: RankedProblem[] = [];
    for (const f of ws.files) ranked.push(...fileProblems(f, ctx));
    ranked.push(...rangeOverlapProblems(ctx));
    for (const group of clusterIPsByIP(ws).values()) for (const e of group) ranked.push(...duplicateProblems(e, group));
    return sortProblems(ranked);
  });
}

/**
 * Problems of one kind reported at `object` (for the rule of that id), in the order of
 * `planProblems(ws)`. Costs the object's file and the cluster ranges, not the whole plan.
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
