/**
 * Name resolution as a pod does it: the pod's resolv.conf (from its dnsPolicy and dnsConfig, per
 * "DNS for Services and Pods" › Pod's DNS Policy / Pod's DNS Config), the resolver's search-list and
 * ndots rules, then cluster DNS's answer for each candidate (records.ts).
 */
import type { Service, ServicePort } from '../../parse/views/service';
import { findNamedPort, namedPortsOf, type Workload } from '../../parse/views/workload';
import type { Workspace } from '../../workspace';
import { hasClusterShape, inZone, normalizeName } from './names';
import { lookupFqdn, namespacesToWrite, type DnsTarget, type LookupAnswer, type MissingService, type PerPod, type RecordType } from './records';
import { findService, servicesNamed } from './service-index';

/** One candidate the resolver tried, and what cluster DNS said. */
export interface ResolutionStep {
  /** The fully qualified candidate, without trailing dot. */
  readonly candidate: string;
  readonly outcome: string;
  readonly found: boolean;
}

/** The resolver configuration a pod gets. */
export interface ResolverConfig {
  /** `ClusterFirst` unless written; `Default` when hostNetwork downgrades `ClusterFirst`. */
  readonly dnsPolicy: string;
  /** Whether queries reach cluster DNS; 'unknown' for dnsPolicy None with nameservers we cannot identify. */
  readonly usesClusterDns: boolean | 'unknown';
  readonly search: readonly string[];
  readonly ndots: number;
  /** Why the configuration is what it is (hostNetwork, None...), for hovers. */
  readonly note?: string;
}

/** How a name resolves from a namespace. */
export interface Resolution {
  /** The name as asked (without port). */
  readonly query: string;
  /** The namespace of the caller. */
  readonly from: string;
  /** The candidate that resolved (lower case, no trailing dot). */
  readonly fqdn?: string;
  readonly found: boolean;
  readonly type?: RecordType;
  readonly target?: DnsTarget;
  readonly service?: Service;
  /** The workloads whose pods the name reaches. */
  readonly workloads: readonly Workload[];
  /** The search, in the order the resolver tries candidates. */
  readonly steps: readonly ResolutionStep[];
  /** Why not found (set when `found` is false). */
  readonly reason?: string;
  /** When not found because a Service is missing: which one (the caller's rules judge how sure that is). */
  readonly missing?: MissingService;
  /** A caveat when found (headless, ExternalName, dashed pod IP...). */
  readonly note?: string;
  readonly perPod?: PerPod;
  /** True when the name is outside the cluster zone: upstream DNS answers it, which we cannot know. */
  readonly external: boolean;
  /** True when manifests cannot decide (dnsPolicy None with unknown nameservers). */
  readonly unknown: boolean;
  readonly resolver: ResolverConfig;
}

const DEFAULT_NDOTS = 5;
/** The kubelet caps ndots at 15. */
const MAX_NDOTS = 15;

/** The cluster DNS Service addresses the workspace names (kubelet `clusterDNS`). */
function clusterDnsIPs(ws: Workspace): Set<string> {
  return ws.derived('dns:clusterDnsIPs', () => new Set(ws.addresses.filter(a => a.role === 'clusterDNS').map(a => a.value)));
}

/**
 * The resolver configuration of a workload's pods (`undefined`: the defaults of ClusterFirst).
 * ClusterFirst search path: `<ns>.svc.<zone> svc.<zone> <zone>`, `options ndots:5`; dnsConfig
 * searches are appended and its options merged. `hostNetwork: true` with ClusterFirst falls back
 * to Default; Default uses the node's resolver; None uses dnsConfig only.
 */
export function resolverConfig(ws: Workspace, namespace: string, w?: Workload): ResolverConfig {
  if (!w || hasDefaultResolver(w)) {
    // The namespace's default resolver: one per namespace and generation, shared by its pods' answers.
    const defaults = ws.derived('dns:defaultResolvers', () => new Map<string, ResolverConfig>());
    let r = defaults.get(namespace);
    if (!r) defaults.set(namespace, (r = configOf(ws, namespace, undefined)));
    return r;
  }
  return configOf(ws, namespace, w);
}

/** ClusterFirst (written or not), no dnsConfig, not on the host network: the namespace's default resolver. */
function hasDefaultResolver(w: Workload): boolean {
  return !w.dnsConfig && !w.hostNetwork && (w.dnsPolicy?.value ?? 'ClusterFirst') === 'ClusterFirst';
}

function configOf(ws: Workspace, namespace: string, w: Workload | undefined): ResolverConfig {
  const zone = ws.clusterDomain.value;
  const written = w?.dnsPolicy?.value ?? 'ClusterFirst';
  const cfg = w?.dnsConfig;
  const ndotsOpt = cfg?.options.find(o => o.name === 'ndots')?.value;
  const ndotsParsed = ndotsOpt !== undefined && /^\d+$/.test(ndotsOpt) ? Math.min(Number(ndotsOpt), MAX_NDOTS) : undefined;
  const extra = (cfg?.searches ?? []).filter(Boolean).map(s => normalizeName(s));
  const dedupe = (xs: string[]) => [...new Set(xs)];
  if (written === 'Default' || (written === 'ClusterFirst' && w?.hostNetwork)) {
    return {
      dnsPolicy: 'Default', usesClusterDns: false, search: extra, ndots: ndotsParsed ?? 1,
      note: written === 'ClusterFirst'
        ? 'hostNetwork: true with dnsPolicy ClusterFirst falls back to Default (the node\'s resolver); set dnsPolicy: ClusterFirstWithHostNet to use cluster DNS'
        : 'dnsPolicy Default: the pod inherits the node\'s resolver, not cluster DNS',
    };
  }
  if (written === 'None') {
    const known = clusterDnsIPs(ws);
    const servers = cfg?.nameservers ?? [];
    const usesCluster = servers.some(s => known.has(s)) ? true : known.size ? false : 'unknown';
    return {
      dnsPolicy: 'None', usesClusterDns: usesCluster, search: dedupe(extra), ndots: ndotsParsed ?? 1,
      note: usesCluster === true
        ? `dnsPolicy None: only dnsConfig applies; nameserver ${servers.find(s => known.has(s))} is the cluster DNS`
        : usesCluster === false
          ? `dnsPolicy None: only dnsConfig applies, and its nameservers (${servers.join(', ') || 'none'}) are not the cluster DNS (${[...known].join(', ')})`
          : `dnsPolicy None: only dnsConfig applies; whether nameservers ${servers.join(', ') || '(none)'} include the cluster DNS is unknown here`,
    };
  }
  const base = [`${namespace}.svc.${zone}`, `svc.${zone}`, zone].map(s => s.toLowerCase());
  return {
    dnsPolicy: written, usesClusterDns: true, search: dedupe([...base, ...extra]), ndots: ndotsParsed ?? DEFAULT_NDOTS,
    ...(written === 'ClusterFirst' || written === 'ClusterFirstWithHostNet' ? {} : { note: `unknown dnsPolicy ${written}: read as ClusterFirst` }),
  };
}

/**
 * The candidates in the order a glibc resolver tries them: a name with a trailing dot is absolute;
 * a name with at least `ndots` dots is tried as is first, then with each search domain; a name
 * with fewer dots tries the search domains first and itself last.
 */
export function searchCandidates(name: string, search: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [normalizeName(name)];
  const n = name.toLowerCase();
  const dots = (n.match(/\./g) ?? []).length;
  const searched = search.map(s => `${n}.${s}`);
  return dots >= ndots ? [n, ...searched] : [...searched, n];
}

function outcomeOf(a: LookupAnswer, candidate: string, zone: string): string {
  if (a.found) return `${a.type}${a.target ? ` → ${a.target.kind} ${a.target.namespace}/${a.target.name}` : ''}`;
  if (!inZone(candidate, zone)) return 'outside the cluster zone: forwarded upstream';
  return `${a.nodata ? 'NODATA (the name exists, with no address)' : 'NXDOMAIN'}: ${a.reason ?? 'no such name'}`;
}

/**
 * Resolves `name` (no port; a trailing dot makes it absolute) as a pod in `fromNamespace` would,
 * with the resolver configuration of `opts.workload` when given. Never throws.
 */
export function resolveName(ws: Workspace, name: string, fromNamespace: string, opts: { workload?: Workload } = {}): Resolution {
  // A pod with the namespace's default resolver (ClusterFirst, no dnsConfig, not on the host network)
  // resolves a name as any other there: one answer per namespace and name per generation, shared by
  // every reference and caller (a whole-workspace pass asks once per caller of each reference). A pod
  // with its own resolver gets its own answers, once per generation too (several rules and the hover
  // ask the same names).
  const w = opts.workload;
  const memo = ws.derived('dns:resolveName', () => ({ byWorkload: new WeakMap<Workload, Map<string, Resolution>>(), plain: new Map<string, Resolution>() }));
  const own = w !== undefined && !hasDefaultResolver(w);
  let answers = own ? memo.byWorkload.get(w) : memo.plain;
  if (!answers) memo.byWorkload.set(w!, (answers = new Map()));
  const key = `${fromNamespace}\u0000${name}`;
  let r = answers.get(key);
  if (!r) answers.set(key, (r = resolveUncached(ws, name, fromNamespace, own ? w : undefined)));
  return r;
}

function resolveUncached(ws: Workspace, name: string, fromNamespace: string, workload: Workload | undefined): Resolution {
  const zone = ws.clusterDomain.value;
  const query = name;
  const resolver = resolverConfig(ws, fromNamespace, workload);
  const base = { query, from: fromNamespace, workloads: [] as Workload[], external: false, unknown: false, resolver };
  if (resolver.usesClusterDns !== true) {
    const viaCluster = resolveName(ws, name, fromNamespace);
    const would = viaCluster.found && viaCluster.fqdn ? ` (with dnsPolicy ClusterFirst it would resolve to ${viaCluster.fqdn})` : '';
    return {
      ...base, found: false, steps: [], unknown: resolver.usesClusterDns === 'unknown',
      external: !hasClusterShape(name, zone) && !viaCluster.found,
      reason: `${resolver.note ?? `dnsPolicy ${resolver.dnsPolicy} does not use cluster DNS`}${would}`,
    };
  }
  const steps: ResolutionStep[] = [];
  const answers: Array<{ candidate: string; answer: LookupAnswer }> = [];
  for (const candidate of searchCandidates(name, resolver.search, resolver.ndots)) {
    const answer = lookupFqdn(ws, candidate);
    steps.push({ candidate, outcome: outcomeOf(answer, candidate, zone), found: answer.found });
    if (answer.found) {
      const note = [answer.note, muslCaveat(name, candidate, resolver, answers), cnameCaveat(ws, answer)].filter(Boolean).join('; ');
      return {
        ...base, fqdn: candidate, found: true, steps, workloads: answer.workloads,
        ...(answer.type ? { type: answer.type } : {}),
        ...(answer.target ? { target: answer.target } : {}),
        ...(answer.service ? { service: answer.service } : {}),
        ...(answer.perPod ? { perPod: answer.perPod } : {}),
        ...(note ? { note } : {}),
      };
    }
    answers.push({ candidate, answer });
  }
  const absolute = normalizeName(name);
  if (!inZone(absolute, zone) && !answers.some(a => a.answer.relevance >= 2)) {
    const other = otherZone(ws, absolute);
    if (other) return { ...base, found: false, steps, external: true, unknown: true, reason: other };
    return { ...base, found: false, steps, external: true, reason: `${absolute} is not a cluster name: no search domain makes it one, and outside the zone ${zone} upstream DNS answers it` };
  }
  const why = notFound(ws, name, fromNamespace, answers);
  return { ...base, found: false, steps, reason: why.reason, ...(why.missing ? { missing: why.missing } : {}) };
}

/**
 * A name of the shape `<service>.<ns>.svc.<other zone>` naming a Service of the workspace while the
 * zone is only the setting's (no kubelet `clusterDomain` or kubeadm `dnsDomain` in the workspace):
 * the cluster may well use that zone, so no verdict.
 */
function otherZone(ws: Workspace, absolute: string): string | undefined {
  if (ws.clusterDomain.source) return undefined;
  const m = /^([^.]+)\.([^.]+)\.svc\.(.+)$/.exec(absolute);
  const s = m && findService(ws, m[2]!, m[1]!);
  if (!m || !s) return undefined;
  return `${absolute} names Service ${s.object.namespace}/${s.object.name} if the cluster domain is ${m[3]}: no kubelet clusterDomain or kubeadm dnsDomain in the workspace sets it, and the kubeNetlens.clusterDomain setting assumes ${ws.clusterDomain.value}`;
}

/**
 * Where musl libc (Alpine images) would not find what glibc finds: musl tries a name with at least
 * `ndots` dots only as is, never with the search list (src/network/lookup_name.c,
 * name_from_dns_search), and stops the search at a NODATA answer that glibc walks past.
 */
function muslCaveat(name: string, found: string, resolver: ResolverConfig, before: ReadonlyArray<{ candidate: string; answer: LookupAnswer }>): string | undefined {
  if (name.endsWith('.') || found === normalizeName(name)) return undefined;
  const dots = (name.match(/\./g) ?? []).length;
  if (dots >= resolver.ndots) {
    return `found through the search list although the name has ${dots} dot${dots === 1 ? '' : 's'} (ndots:${resolver.ndots}): glibc tries it as is first, then the search list; musl libc (Alpine images) tries it only as is, so there it does not resolve`;
  }
  const stop = before.find(b => b.answer.nodata);
  return stop ? `musl libc (Alpine images) stops at ${stop.candidate}, which exists with no address (NODATA), so there it does not resolve` : undefined;
}

/**
 * An ExternalName's CNAME target is absolute: no search list applies to it. A target such as
 * `db.other` (meant as the Service db in namespace other) is looked up upstream as is.
 */
function cnameCaveat(ws: Workspace, a: LookupAnswer): string | undefined {
  const s = a.service;
  const target = s?.type === 'ExternalName' ? s.externalName?.value : undefined;
  if (!s || !target) return undefined;
  const zone = ws.clusterDomain.value;
  const t = normalizeName(target);
  if (inZone(t, zone)) return undefined;
  const ns = s.object.namespace.toLowerCase();
  const meant = [`${ns}.svc.${zone}`, `svc.${zone}`].map(d => `${t}.${d}`).find(c => lookupFqdn(ws, c).found);
  return meant ? `the CNAME target ${target} is absolute (no search list applies to it): it is looked up as is, outside the cluster zone, not as ${meant}; write externalName: ${meant}` : undefined;
}

/** The most telling reason among the candidates: a short name first says where it does exist. */
function notFound(ws: Workspace, name: string, from: string, answers: Array<{ candidate: string; answer: LookupAnswer }>): { reason: string; missing?: MissingService } {
  const n = normalizeName(name);
  if (!n.includes('.')) {
    const elsewhere = servicesNamed(ws, n).filter(s => s.object.namespace.toLowerCase() !== from.toLowerCase());
    if (elsewhere.length) {
      const where = namespacesToWrite(elsewhere, () => n);
      return { reason: `no Service ${n} in namespace ${from}: a short name only finds Services of the caller's namespace; ${n} exists in namespace ${where}` };
    }
  }
  // On a tie, an answer that names the missing Service wins: `svc.ns.svc.cluster.local` in a namespace
  // the workspace does not know is a Service created elsewhere, not the shapeless search expansions
  // (`svc.ns.svc.cluster.local.ns2.svc.cluster.local`) tried before it.
  let best = answers[0];
  for (const a of answers) {
    if (best && (a.answer.relevance > best.answer.relevance || (a.answer.relevance === best.answer.relevance && a.answer.missing && !best.answer.missing))) best = a;
  }
  const missing = best?.answer.missing;
  return { reason: best?.answer.reason ?? `${n} does not resolve`, ...(missing ? { missing } : {}) };
}

/** What happens to a port on a resolved name. */
export interface PortResolution {
  readonly requested: number;
  /**
   * Whether the port is served: for a ClusterIP Service, whether it lists the port (else the
   * connection is refused); for direct-to-pod names, whether the Service or a container declares it.
   */
  readonly exposed: boolean;
  /** True when the client talks to pods (or an external host) directly, so no Service port maps it. */
  readonly direct: boolean;
  readonly servicePort?: ServicePort;
  /** The Service port's targetPort as written (number or container port name), or the port itself when direct. */
  readonly targetPort?: number | string;
  /** For a named targetPort: the number it resolves to in each workload (undefined: no such container port). */
  readonly resolvedTargetPorts?: ReadonlyArray<{ workload: Workload; port: number | undefined }>;
}

function containerPortNumbers(w: Workload): Set<number> {
  return new Set(namedPortsOf(w).map(p => p.containerPort).filter((p): p is number => p !== undefined));
}

/**
 * How `port` behaves on a resolution: through a ClusterIP Service it must be one of the Service's
 * ports and maps to its targetPort; to a headless name, a per-pod name or an ExternalName it goes
 * straight to the destination.
 */
export function resolvePort(r: Resolution, port: number): PortResolution {
  const s = r.service;
  if (!r.found) return { requested: port, exposed: false, direct: false };
  if (!s || s.type === 'ExternalName') return { requested: port, exposed: true, direct: true, targetPort: port };
  const byNumber = s.ports.filter(p => p.port === port);
  const sp = byNumber.find(p => (p.protocol ?? 'TCP') === 'TCP') ?? byNumber[0];
  if (s.headless || r.perPod) {
    const declared = sp !== undefined || r.workloads.some(w => containerPortNumbers(w).has(port));
    return { requested: port, exposed: declared, direct: true, targetPort: port, ...(sp ? { servicePort: sp } : {}) };
  }
  if (!sp) return { requested: port, exposed: false, direct: false };
  const target = sp.targetPort ?? port;
  const resolvedTargetPorts = r.workloads.map(w => ({
    workload: w,
    port: typeof target === 'number'
      ? target
      : findNamedPort(w, target, sp.protocol ?? 'TCP')?.containerPort,
  }));
  return { requested: port, exposed: true, direct: false, servicePort: sp, targetPort: target, resolvedTargetPorts };
}
