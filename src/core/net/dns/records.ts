/**
 * The records cluster DNS serves for the objects of a workspace, per the Kubernetes DNS-Based
 * Service Discovery specification (kubernetes/dns docs/specification.md, schema 1.1.0), the
 * "DNS for Services and Pods" page of the Kubernetes docs, and where the specification leaves room,
 * what CoreDNS's kubernetes plugin answers (a "may" note). Answers one fully qualified name at a
 * time (`lookupFqdn`) and lists the names of a Service or a workload (`dnsNamesOf`, `podDnsNamesOf`).
 *
 * Readiness is not in manifests: a selected workload with replicas ≥ 1 is taken to have ready pods,
 * replicas 0 to have none.
 *
 * Over 400 lines: one answer per record shape of the specification (ClusterIP, headless, per-pod,
 * SRV, pod A, ExternalName), each with the reasons a name does not exist; they share the headless
 * Service's endpoint facts. The Service index is in service-index.ts.
 */
import type { K8sObject } from '../../parse/manifest';
import type { EndpointsView } from '../../parse/views/endpoints';
import type { Service } from '../../parse/views/service';
import type { Workload } from '../../parse/views/workload';
import { at, bool, int } from '../../parse/yaml';
import { hasSelector, type Workspace } from '../../workspace';
import { MADE_BY_ANNOTATION, OPERATOR_FILE, operatorStatefulSets } from '../../parse/operators';
import { isBuiltIn } from './builtin';
import { dashedPodIP, isIPAddress, normalizeName } from './names';
import { findService, servicesNamed } from './service-index';
import { labelsSetAtRuntime } from '../rbac';

export type RecordType = 'A' | 'AAAA' | 'SRV' | 'CNAME';

/** What a name points at: a Service, or for per-pod names the workload that owns the pod. */
export interface DnsTarget {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: K8sObject;
}

/** One pod a per-pod name reaches: its owner, and for StatefulSets its ordinal. */
export interface PerPod {
  readonly workload: Workload;
  readonly ordinal?: number;
}

/** Cluster DNS's answer for one fully qualified name. */
export interface LookupAnswer {
  readonly found: boolean;
  readonly type?: RecordType;
  readonly target?: DnsTarget;
  readonly service?: Service;
  /** The workloads whose pods the name reaches (empty for a ClusterIP Service without selector). */
  readonly workloads: readonly Workload[];
  readonly perPod?: PerPod;
  /** Why the name does not exist (set when `found` is false). */
  readonly reason?: string;
  /** A caveat about a found name (what manifests cannot tell). */
  readonly note?: string;
  /** How well the name matched a record shape: 3 namespace+Service exist, 2 namespace exists, 1 shape only, 0 none. */
  readonly relevance: number;
  /** The Service the name needs and the workspace does not define there (set with `found: false`). */
  readonly missing?: MissingService;
  /**
   * The name exists with no address (NODATA, not NXDOMAIN): the zone apex, `svc.<zone>`, `pod.<zone>`
   * and `<ns>.svc.<zone>` of an existing namespace (CoreDNS plugin/kubernetes parseRequest, findServices).
   * glibc goes on with the next search domain; musl stops there.
   */
  readonly nodata?: boolean;
}

/** A Service a name needs: `name` in `namespace`. */
export interface MissingService {
  readonly service: string;
  readonly namespace: string;
}

/** One DNS name of a Service or a pod, for hovers. */
export interface DnsName {
  readonly name: string;
  readonly type: RecordType;
  /** What it answers (`10 100 5432 db.prod.svc.cluster.local.` for SRV, the pod for per-pod names). */
  readonly detail: string;
  readonly perPod?: PerPod;
}

const zoneOf = (ws: Workspace) => ws.clusterDomain.value;

/** Whether the workload has pods: replicas 0 means none; DaemonSets and Jobs are assumed to run some. */
export function hasPods(w: Workload): boolean {
  return w.replicas === undefined || w.replicas > 0;
}

/** Endpoints / EndpointSlices written for a Service (used when it has no selector). */
function writtenEndpoints(ws: Workspace, s: Service): EndpointsView[] {
  return ws.endpoints.filter(e =>
    e.object.namespace === s.object.namespace && e.serviceName.toLowerCase() === s.object.name.toLowerCase());
}

/**
 * §2.1 "ready": an address under `addresses` (EndpointSlice `conditions.ready`), or any address
 * when the Service has the `service.alpha.kubernetes.io/tolerate-unready-endpoints` annotation.
 * Hand-written addresses only: `publishNotReadyAddresses` makes the endpoint controllers mark a
 * selected pod ready, but the EndpointSlice mirroring controller copies a written Endpoints'
 * `notReadyAddresses` with `ready: false` whatever the Service says, and CoreDNS serves only ready
 * endpoints (plugin/kubernetes object/endpoint.go), so the annotation is a "may".
 */
function toleratesUnready(s: Service): boolean {
  return s.object.annotations['service.alpha.kubernetes.io/tolerate-unready-endpoints'] === 'true';
}

/** The first ordinal of a StatefulSet's pods (`spec.ordinals.start`, default 0). */
export function firstOrdinal(w: Workload): number {
  return int(w.object.doc, at(w.object.doc, w.object.node, 'spec', 'ordinals', 'start'))?.value ?? 0;
}

/** One endpoint hostname of a headless Service: who serves it. */
interface EndpointHost {
  readonly hostname: string;
  readonly perPod?: PerPod;
}

/** The ready endpoints of a headless Service, as manifests let us know them. */
interface HeadlessEndpoints {
  /** Workloads with (assumed ready) pods behind the Service. */
  readonly workloads: Workload[];
  /** Workloads selected but scaled to 0. */
  readonly scaledToZero: Workload[];
  /** Hand-written endpoint addresses (selector-less Services). */
  addresses: number;
  /** Of those, not-ready addresses counted only because of the tolerate-unready-endpoints annotation. */
  tolerated: number;
  /**
   * A custom resource in the Service's namespace that may make pods the analysis cannot model (set
   * when the selector matched no workload): whether it has endpoints is then unknown.
   */
  unknownPods?: K8sObject;
  readonly hosts: EndpointHost[];
}

/**
 * Endpoint hostnames (§2.1 "hostname"): the endpoints controller sets an address's hostname to
 * the pod's `spec.hostname` only when the pod's `spec.subdomain` equals the Service's name in the
 * same namespace; the StatefulSet controller sets every pod's hostname to its name
 * (`<sts>-<ordinal>`) and its subdomain to `spec.serviceName`. So a per-pod name needs both: the
 * Service selects the pod, and is the one the pod names as subdomain.
 */
function headlessEndpoints(ws: Workspace, s: Service): HeadlessEndpoints {
  return ws.derived(`dns:headless:${s.object.file}:${s.object.index}:${s.object.namespace}/${s.object.name}`, () => {
    const out: HeadlessEndpoints = { workloads: [], scaledToZero: [], addresses: 0, tolerated: 0, hosts: [] };
    const svcName = s.object.name.toLowerCase();
    if (hasSelector(s)) {
      for (const w of ws.workloadsOfService(s)) {
        if (!hasPods(w)) {
          out.scaledToZero.push(w);
          continue;
        }
        out.workloads.push(w);
        if (w.kind === 'StatefulSet') {
          if (w.serviceName?.value.toLowerCase() === svcName) {
            const start = firstOrdinal(w);
            const n = w.replicas ?? 1;
            for (let i = start; i < start + n; i++) out.hosts.push({ hostname: `${w.object.name}-${i}`.toLowerCase(), perPod: { workload: w, ordinal: i } });
          }
        } else if (operatorStatefulSets(w.object)?.serviceName === svcName) {
          // prometheus-operator's StatefulSets (alertmanager-main-0.alertmanager-operated).
          for (const sts of operatorStatefulSets(w.object)!.names) {
            for (let i = 0; i < (w.replicas ?? 1); i++) out.hosts.push({ hostname: `${sts}-${i}`.toLowerCase(), perPod: { workload: w, ordinal: i } });
          }
        } else if (w.hostname?.value && w.subdomain?.value.toLowerCase() === svcName) {
          out.hosts.push({ hostname: w.hostname.value.toLowerCase(), perPod: { workload: w } });
        }
      }
      if (!out.workloads.length && !out.scaledToZero.length) out.unknownPods = ws.inNamespace(s.object.namespace).podCreators[0];
    } else {
      const all = toleratesUnready(s);
      for (const e of writtenEndpoints(ws, s)) {
        for (const a of e.addresses) {
          if (!a.ready && !all) continue;
          out.addresses++;
          if (!a.ready) out.tolerated++;
          if (a.hostname) out.hosts.push({ hostname: a.hostname.toLowerCase() });
        }
      }
    }
    return out;
  });
}

/** The caveat for not-ready addresses counted ready by the tolerate-unready-endpoints annotation only. */
const TOLERATED_NOTE = 'may: its only addresses are not ready, which the specification counts as ready under the tolerate-unready-endpoints annotation, but CoreDNS serves only endpoints marked ready (NXDOMAIN there)';

/** Whether a headless Service has at least one ready endpoint (§2.4.1: else NXDOMAIN). */
function hasReadyEndpoints(e: HeadlessEndpoints): boolean {
  return e.workloads.length > 0 || e.addresses > 0 || e.unknownPods !== undefined;
}

/** The caveat for a Service whose pods may come from a custom resource the analysis cannot expand. */
function unknownPodsNote(e: HeadlessEndpoints): string | undefined {
  const o = e.unknownPods;
  return o && `no workload in the workspace matches its selector, but ${o.kind} ${o.name} in namespace ${o.namespace} may make its pods (a custom resource whose pods are not modelled)`;
}

function noEndpointsReason(ws: Workspace, s: Service, e: HeadlessEndpoints): string {
  const name = `${s.object.namespace}/${s.object.name}`;
  const hint = s.publishNotReadyAddresses ? '' : ' (until a pod is ready; publishNotReadyAddresses: true publishes pods before they are ready)';
  if (!hasSelector(s)) {
    const written = writtenEndpoints(ws, s);
    const unready = written.some(w => w.addresses.some(a => !a.ready));
    const publish = unready && s.publishNotReadyAddresses
      ? ' (publishNotReadyAddresses does not publish hand-written not-ready addresses: the EndpointSlice mirroring controller keeps them ready: false, and cluster DNS serves ready endpoints only)'
      : '';
    return written.length
      ? `headless Service ${name} has no selector and its Endpoints list no ready address: NXDOMAIN${publish}`
      : `headless Service ${name} has no selector and no Endpoints/EndpointSlice in the workspace: NXDOMAIN`;
  }
  if (e.scaledToZero.length) {
    return `headless Service ${name} selects only ${e.scaledToZero.map(w => `${w.kind} ${w.object.name}`).join(', ')} with replicas: 0, so it has no ready endpoints: NXDOMAIN`;
  }
  return `headless Service ${name} selects no pods, so it has no ready endpoints: NXDOMAIN${hint}`;
}

function isIPv6Family(s: Service): boolean {
  const first = s.ipFamilies[0]?.value ?? s.clusterIPs[0]?.value ?? s.clusterIP?.value ?? '';
  return first === 'IPv6' || first.includes(':');
}

/** A/AAAA (§2.3.1, §2.4.1): AAAA when the Service's primary IP family is IPv6. */
function addressType(s: Service): RecordType {
  return isIPv6Family(s) ? 'AAAA' : 'A';
}

/** Both address types a dual-stack Service answers. */
function addressTypes(s: Service): RecordType[] {
  const fams = new Set(s.ipFamilies.map(f => f.value));
  if (fams.has('IPv4') && fams.has('IPv6')) return ['A', 'AAAA'];
  return [addressType(s)];
}

function serviceTarget(s: Service): DnsTarget {
  return { kind: 'Service', namespace: s.object.namespace, name: s.object.name, object: s.object };
}

function workloadTarget(w: Workload): DnsTarget {
  return { kind: w.kind, namespace: w.object.namespace, name: w.object.name, object: w.object };
}

/** How many namespaces a message names before "and N more" (a name can be in hundreds). */
export const LISTED_NAMESPACES = 3;

/** `prod (write db.prod), staging (write db.staging)`, the first few of `services`, then how many more. */
export function namespacesToWrite(services: readonly Service[], name: (s: Service) => string): string {
  const list = services.slice(0, LISTED_NAMESPACES).map(s => `${s.object.namespace} (write ${name(s)}.${s.object.namespace})`).join(', ');
  const more = services.length - LISTED_NAMESPACES;
  return more > 0 ? `${list} and ${more} more` : list;
}

/** Where a Service of that name lives instead, as a hint: "there is one in namespace prod (write db.prod)". */
export function elsewhereHint(ws: Workspace, name: string, notIn: string): string {
  const others = servicesNamed(ws, name).filter(s => s.object.namespace.toLowerCase() !== notIn.toLowerCase());
  if (!others.length) return '';
  const list = namespacesToWrite(others, s => s.object.name);
  return `; a Service ${name} exists in namespace ${list}`;
}

function missingService(ws: Workspace, ns: string, name: string, relevance = 2): LookupAnswer {
  const nsKnown = ws.namespaces.has(ns);
  return {
    found: false, workloads: [], relevance: nsKnown ? relevance : 1, missing: { service: name, namespace: ns },
    reason: `no Service ${name} in namespace ${ns}${nsKnown ? '' : ' (no object in the workspace is in that namespace)'}${elsewhereHint(ws, name, ns)}${operatorHint(ws, ns)}`,
  };
}

/** The caveat for a Service missing where custom resources are: their operators make Services too. */
function operatorHint(ws: Workspace, ns: string): string {
  if (!ws.hasCustomResourcesIn(ns)) return '';
  const slice = ws.inNamespace(ns);
  const o = slice.podCreators[0] ?? slice.workloads.find(w => w.madeBy !== undefined)?.object;
  return o ? ` in the manifests, but ${o.kind} ${o.name} there is a custom resource whose operator may create it` : '';
}

/** For a Service an operator makes (see parse/operators.ts): which resource makes it. */
function madeByNote(s: Service): string | undefined {
  const by = s.object.file === OPERATOR_FILE ? s.object.annotations[MADE_BY_ANNOTATION] : undefined;
  return by && `made by the operator of ${by}: no manifest declares it`;
}

/** The answer for the Service's own name `<service>.<ns>.svc.<zone>`. */
function serviceAnswer(ws: Workspace, s: Service): LookupAnswer {
  const target = serviceTarget(s);
  if (s.type === 'ExternalName') {
    const ext = s.externalName?.value;
    if (ext && isIPAddress(ext.replace(/\.$/, ''))) {
      // "DNS for Services and Pods"/Service docs: an externalName that looks like an IP address is
      // not resolved; CoreDNS serves only a CNAME (plugin/kubernetes findServices), so: NXDOMAIN.
      return {
        found: false, target, service: s, workloads: [], relevance: 3,
        reason: `ExternalName Service ${s.object.namespace}/${s.object.name} names the IP address ${ext}: externalName must be a DNS name, and cluster DNS serves no record for an IP there (NXDOMAIN); use a Service without selector and an EndpointSlice for an IP`,
      };
    }
    // §2.5: a CNAME to the external name; no ports are involved and no pod is behind it.
    return {
      found: true, type: 'CNAME', target, service: s, workloads: [], relevance: 3,
      note: `CNAME to ${s.externalName?.value ?? '(externalName not set)'}: traffic goes to that host, on whatever port the client uses; NetworkPolicy cannot select it (allow its address with an ipBlock)`,
    };
  }
  if (s.headless) {
    const e = headlessEndpoints(ws, s);
    if (!hasReadyEndpoints(e)) return { found: false, target, service: s, workloads: [], relevance: 3, reason: noEndpointsReason(ws, s, e) };
    const unknown = unknownPodsNote(e);
    const made = madeByNote(s);
    const tolerated = e.tolerated && e.tolerated === e.addresses ? `; ${TOLERATED_NOTE}` : '';
    return {
      found: true, type: addressType(s), target, service: s, workloads: e.workloads, relevance: 3,
      note: `${made ? `${made}; ` : ''}headless: answers the IP of every ready pod (no cluster IP, no port mapping)${unknown ? `; ${unknown}` : ''}${tolerated}`,
    };
  }
  if (isBuiltIn(s)) {
    return {
      found: true, type: addressType(s), target, service: s, workloads: [], relevance: 3,
      note: `built into every cluster (${s.object.name === 'kubernetes' ? 'the API server' : 'the cluster DNS'}): no manifest declares it`,
    };
  }
  const all = ws.workloadsOfService(s);
  const live = all.filter(hasPods);
  const zero = all.filter(w => !hasPods(w));
  const notes: string[] = [];
  if (!hasSelector(s)) notes.push('no selector: its endpoints are managed by hand (Endpoints/EndpointSlice)');
  else if (!all.length) {
    const maker = ws.inNamespace(s.object.namespace).podCreators[0];
    const runtime = maker ? undefined : ws.podMakersIn(s.object.namespace)[0];
    notes.push(maker
      ? `no workload in the workspace matches its selector, but ${maker.kind} ${maker.name} in namespace ${maker.namespace} may make its pods (a custom resource whose pods are not modelled)`
      : runtime
        ? `no workload in the workspace matches its selector, but ${runtime.kind} ${runtime.object.namespace}/${runtime.object.name} may create pods in namespace ${s.object.namespace} (its ServiceAccount may create pods or workloads there)`
        // The workspace may not hold every pod (another repository, a Helm release): say what is known.
        : 'its selector matches no workload in the workspace: unless pods made elsewhere match it, it has no endpoints and connections fail');
  }
  if (zero.length) notes.push(`${zero.map(w => `${w.kind} ${w.object.name}`).join(', ')} has replicas: 0`);
  for (const w of all) {
    const unset = labelsSetAtRuntime(s.selector.matchLabels, w);
    if (unset.length) notes.push(`${w.kind} ${w.object.name}'s pods carry ${unset.join(', ')} only once they label themselves (their ServiceAccount may patch pods)`);
  }
  const made = madeByNote(s);
  if (made) notes.unshift(made);
  return {
    found: true, type: addressType(s), target, service: s, workloads: live, relevance: 3,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/**
 * Cluster DNS's answer for a fully qualified name (with or without the trailing dot, any case).
 * Names outside the zone get `found: false` with relevance 0: cluster DNS forwards them upstream.
 */
export function lookupFqdn(ws: Workspace, fqdn: string): LookupAnswer {
  const zone = zoneOf(ws);
  const n = normalizeName(fqdn);
  if (n !== zone && !n.endsWith(`.${zone}`)) {
    return { found: false, workloads: [], relevance: 0, reason: `${n} is outside the cluster zone ${zone}: cluster DNS forwards it upstream` };
  }
  const rest = n === zone ? [] : n.slice(0, n.length - zone.length - 1).split('.');
  const last = rest[rest.length - 1];
  if (rest.length === 0 || (rest.length === 1 && (last === 'svc' || last === 'pod'))) {
    return { found: false, workloads: [], relevance: 0, nodata: true, reason: `${n} is a domain of cluster DNS, not a record: name a Service as <service>.<namespace>.svc.${zone}` };
  }
  if (last === 'pod') {
    // `<a>-<b>-<c>-<d>.<ns>.pod.<zone>`: dropped from the specification in schema 1.1.0; CoreDNS
    // serves it by its `pods` option (plugin/kubernetes findPods): `disabled` (CoreDNS's default)
    // NXDOMAIN, `insecure` (kubeadm's Corefile) any IP Go's net.ParseIP reads (dashes as dots, or
    // as colons for IPv6), `verified` only a pod's IP in that namespace. So: "may".
    const ip = rest.length === 3 ? dashedPodIP(rest[0]!) : undefined;
    if (ip) {
      return {
        found: true, type: ip.includes(':') ? 'AAAA' : 'A', workloads: [], relevance: 1,
        note: `may answer ${ip}: pod A records are not in the DNS specification (removed in schema 1.1.0); CoreDNS answers them only with its pods option (insecure: any IP, as kubeadm configures; verified: a pod's IP in that namespace; disabled, CoreDNS's default: NXDOMAIN), and whether a pod has that IP cannot be known from manifests`,
      };
    }
    return { found: false, workloads: [], relevance: rest.length === 3 ? 2 : 1, reason: `pod names have the form a-b-c-d.<namespace>.pod.${zone} (a dashed IP address without leading zeros, as Go's net.ParseIP reads it)` };
  }
  if (last !== 'svc') {
    const s = rest.length === 2 ? findService(ws, rest[1]!, rest[0]!) : undefined;
    if (s) return { found: false, workloads: [], relevance: 2, reason: `missing .svc: Service ${s.object.namespace}/${s.object.name} is ${rest[0]}.${rest[1]}.svc.${zone}` };
    return { found: false, workloads: [], relevance: 0, reason: `no record: cluster names have the form <service>.<namespace>.svc.${zone}` };
  }
  if (rest.length === 3) {
    const [name, ns] = rest as [string, string, string];
    const s = findService(ws, ns, name);
    return s ? serviceAnswer(ws, s) : missingService(ws, ns, name);
  }
  if (rest.length === 4) {
    const [host, name, ns] = rest as [string, string, string, string];
    const s = findService(ws, ns, name);
    // A per-pod name under a missing Service is a weaker explanation than a missing Service.
    if (!s) return missingService(ws, ns, name, 1);
    return hostAnswer(ws, s, host);
  }
  if (rest.length === 5 && rest[0]!.startsWith('_') && rest[1]!.startsWith('_')) {
    const [portLabel, protoLabel, name, ns] = rest as [string, string, string, string, string];
    const s = findService(ws, ns, name);
    if (!s) return missingService(ws, ns, name);
    return srvAnswer(ws, s, portLabel.slice(1), protoLabel.slice(1));
  }
  if (rest.length <= 2) {
    const nsKnown = rest.length === 2 && ws.namespaces.has(rest[0]!);
    return { found: false, workloads: [], relevance: nsKnown ? 2 : 1, ...(nsKnown ? { nodata: true } : {}), reason: `a namespace or zone name is not a record: name a Service as <service>.<namespace>.svc.${zone}` };
  }
  return { found: false, workloads: [], relevance: 1, reason: `no record of that shape under svc.${zone}` };
}

/** `<hostname>.<service>.<ns>.svc.<zone>` (§2.4.1): per-endpoint names of headless Services only. */
function hostAnswer(ws: Workspace, s: Service, host: string): LookupAnswer {
  const svc = `${s.object.namespace}/${s.object.name}`;
  // CoreDNS answers no name under an ExternalName Service (plugin/kubernetes findServices skips it).
  if (s.type === 'ExternalName') return { found: false, service: s, target: serviceTarget(s), workloads: [], relevance: 3, reason: `Service ${svc} is an ExternalName: it has no per-pod names` };
  // The endpoint names of a Service with a cluster IP: CoreDNS answers `<endpoint>.<service>` for any
  // Service (findServices: `svc.Headless() || r.endpoint != ""`); the specification requires them
  // for headless Services only (§2.4.1), and kube-dns answered those only. So: "may".
  const clusterIP = !s.headless;
  const caveat = clusterIP ? `; Service ${svc} has a cluster IP, and the specification defines per-pod names for headless Services only: CoreDNS answers them (the pod's IP, not the cluster IP), kube-dns does not` : '';
  const e = headlessEndpoints(ws, s);
  if (!hasReadyEndpoints(e)) return { found: false, service: s, target: serviceTarget(s), workloads: [], relevance: 3, reason: clusterIP ? hostMissReason(ws, s, host, e) : noEndpointsReason(ws, s, e) };
  const hits = e.hosts.filter(h => h.hostname === host);
  if (!hits.length && e.unknownPods) return { found: true, type: addressType(s), service: s, target: serviceTarget(s), workloads: [], relevance: 3, note: `${unknownPodsNote(e)!}${caveat}` };
  if (hits.length) {
    const perPod = hits[0]!.perPod;
    const workloads = [...new Set(hits.map(h => h.perPod?.workload).filter((w): w is Workload => !!w))];
    const note = `${!perPod ? 'endpoint hostname from an Endpoints/EndpointSlice object' : ''}${caveat}`.replace(/^; /, '');
    return {
      found: true, type: addressType(s), service: s, workloads, relevance: 3,
      target: perPod ? workloadTarget(perPod.workload) : serviceTarget(s),
      ...(perPod ? { perPod } : {}),
      ...(note ? { note } : {}),
    };
  }
  // CoreDNS's endpoint_pod_names option (not the default) names an endpoint without hostname by its pod's name.
  const byPodName = e.workloads.find(w => w.kind === 'Pod' && w.object.name.toLowerCase() === host && host.length < 64);
  if (byPodName) {
    return {
      found: true, type: addressType(s), service: s, target: workloadTarget(byPodName), workloads: [byPodName], relevance: 3, perPod: { workload: byPodName },
      note: `may: only CoreDNS's endpoint_pod_names option (off by default) names an endpoint without hostname by its pod's name; otherwise NXDOMAIN (set hostname: ${host} and subdomain: ${s.object.name} on the pod)${caveat}`,
    };
  }
  const dashed = dashedPodIP(host);
  if (dashed && hasSelector(s)) {
    return {
      found: true, type: dashed.includes(':') ? 'AAAA' : 'A', service: s, target: serviceTarget(s), workloads: e.workloads, relevance: 3,
      note: `answers ${dashed} if a pod behind the Service has that IP, which manifests cannot tell (CoreDNS names an endpoint without hostname by its dashed IP)${caveat}`,
    };
  }
  return { found: false, service: s, target: serviceTarget(s), workloads: [], relevance: 3, reason: hostMissReason(ws, s, host, e) };
}

function hostMissReason(ws: Workspace, s: Service, host: string, e: HeadlessEndpoints): string {
  const svc = `${s.object.namespace}/${s.object.name}`;
  const kind = s.headless ? 'headless Service' : 'Service';
  const known = e.hosts.map(h => h.hostname);
  const m = /^(.*)-(\d+)$/.exec(host);
  const sts = m && ws.workloadsIn(s.object.namespace).find(w => w.kind === 'StatefulSet' && w.object.name.toLowerCase() === m[1]);
  if (sts && m) {
    const start = firstOrdinal(sts);
    const n = sts.replicas ?? 1;
    if (sts.serviceName?.value.toLowerCase() !== s.object.name.toLowerCase()) {
      return `StatefulSet ${sts.object.name} names serviceName ${sts.serviceName?.value ?? '(none)'}, not ${s.object.name}, so its pods have no names under ${svc}`;
    }
    if (!e.workloads.includes(sts)) {
      return hasPods(sts)
        ? `${kind} ${svc} does not select the pods of StatefulSet ${sts.object.name}, so they are not its endpoints`
        : `StatefulSet ${sts.object.name} has replicas: 0`;
    }
    return `StatefulSet ${sts.object.name} has ordinals ${start}..${start + n - 1} (replicas: ${n}): there is no pod ${host}`;
  }
  const hint = s.headless ? '' : '; per-pod names are defined for headless Services (clusterIP: None)';
  return `${kind} ${svc} has no endpoint with hostname ${host}${known.length ? ` (it has ${known.slice(0, 6).join(', ')}${known.length > 6 ? ', …' : ''})` : ' (none of its endpoints has a hostname)'}${hint}`;
}

/** `_<port>._<proto>.<service>.<ns>.svc.<zone>` (§2.3.2, §2.4.2): named ports only. */
function srvAnswer(ws: Workspace, s: Service, port: string, proto: string): LookupAnswer {
  const svc = `${s.object.namespace}/${s.object.name}`;
  const p = s.ports.find(sp => sp.name?.toLowerCase() === port && (sp.protocol ?? 'TCP').toLowerCase() === proto);
  if (!p || s.type === 'ExternalName') {
    const named = s.ports.filter(sp => sp.name).map(sp => `_${sp.name}._${(sp.protocol ?? 'TCP').toLowerCase()}`);
    return {
      found: false, service: s, target: serviceTarget(s), workloads: [], relevance: 3,
      reason: s.type === 'ExternalName'
        ? `Service ${svc} is an ExternalName: it has no SRV records`
        : `Service ${svc} has no port named ${port} with protocol ${proto.toUpperCase()} (SRV records exist for named ports only${named.length ? `: ${named.join(', ')}` : '; it has none'})`,
    };
  }
  if (s.headless) {
    const e = headlessEndpoints(ws, s);
    if (!hasReadyEndpoints(e)) return { found: false, service: s, target: serviceTarget(s), workloads: [], relevance: 3, reason: noEndpointsReason(ws, s, e) };
    return { found: true, type: 'SRV', service: s, target: serviceTarget(s), workloads: e.workloads, relevance: 3, note: `one answer per ready pod, port ${p.port}` };
  }
  return { found: true, type: 'SRV', service: s, target: serviceTarget(s), workloads: ws.workloadsOfService(s).filter(hasPods), relevance: 3, note: `port ${p.port}` };
}

/** Every DNS name of a Service: its own, its SRV records, and per-pod names when headless. */
export function dnsNamesOf(ws: Workspace, s: Service): DnsName[] {
  const zone = zoneOf(ws);
  const base = `${s.object.name}.${s.object.namespace}.svc.${zone}`.toLowerCase();
  const out: DnsName[] = [];
  if (s.type === 'ExternalName') {
    const ext = s.externalName?.value;
    out.push({ name: base, type: 'CNAME', detail: ext && isIPAddress(ext.replace(/\.$/, '')) ? `none: ${ext} is an IP address, not a CNAME target (NXDOMAIN)` : ext ?? '(externalName not set)' });
    return out;
  }
  const e = s.headless ? headlessEndpoints(ws, s) : undefined;
  const live = !e || hasReadyEndpoints(e);
  for (const type of addressTypes(s)) {
    out.push({ name: base, type, detail: !s.headless ? 'the cluster IP' : live ? 'the IP of every ready pod' : 'NXDOMAIN: no ready endpoints' });
  }
  for (const p of s.ports) {
    if (!p.name || !live) continue;
    const srv = `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`.toLowerCase();
    if (e) {
      const hosts = e.hosts.length ? e.hosts.map(h => `${h.hostname}.${base}.`) : ['one name per ready pod'];
      out.push({ name: srv, type: 'SRV', detail: `port ${p.port} on ${hosts.slice(0, 4).join(', ')}${hosts.length > 4 ? ', …' : ''}` });
    } else {
      out.push({ name: srv, type: 'SRV', detail: `port ${p.port} on ${base}.` });
    }
  }
  if (e && live) {
    for (const h of e.hosts) {
      out.push({
        name: `${h.hostname}.${base}`, type: addressType(s),
        detail: h.perPod ? `pod ${h.hostname} of ${h.perPod.workload.kind} ${h.perPod.workload.object.name}` : 'endpoint hostname',
        ...(h.perPod ? { perPod: h.perPod } : {}),
      });
    }
  }
  return out;
}

/**
 * With `setHostnameAsFQDN: true` the kernel hostname of the pod is its FQDN, which Linux limits to 64
 * characters: a longer one keeps the pod from starting ("DNS for Services and Pods" › Pod's
 * setHostnameAsFQDN field). The longest FQDN the workload's pods get, when the field is set.
 */
export function hostnameFqdnOf(ws: Workspace, w: Workload): string | undefined {
  const doc = w.object.doc;
  if (bool(doc, at(doc, w.podSpecNode, 'setHostnameAsFQDN')) !== true) return undefined;
  const host = w.kind === 'StatefulSet' ? `${w.object.name}-${firstOrdinal(w) + Math.max(0, (w.replicas ?? 1) - 1)}` : w.hostname?.value ?? w.object.name;
  const sub = w.kind === 'StatefulSet' ? w.serviceName?.value : w.subdomain?.value;
  return (sub ? `${host}.${sub}.${w.object.namespace}.svc.${zoneOf(ws)}` : host).toLowerCase();
}

/**
 * The per-pod names of a workload: `<sts>-<i>.<serviceName>.<ns>.svc.<zone>` for a StatefulSet,
 * `<hostname>.<subdomain>.<ns>.svc.<zone>` for pods with both fields, each only when the headless
 * Service of that name exists in the namespace and selects the pods. `reason` says why there are none.
 */
export function podDnsNamesOf(ws: Workspace, w: Workload): { names: DnsName[]; reason?: string } {
  const sub = w.kind === 'StatefulSet' ? w.serviceName?.value : w.subdomain?.value;
  if (!sub) {
    return {
      names: [],
      reason: w.kind === 'StatefulSet'
        ? 'no spec.serviceName: its pods get no per-pod DNS names'
        : 'no subdomain: pods get per-pod names only with hostname and subdomain set and a headless Service named like the subdomain',
    };
  }
  if (w.kind !== 'StatefulSet' && !w.hostname?.value) {
    return { names: [], reason: `subdomain ${sub} without hostname: the pods are only in the Service's own A record` };
  }
  const s = findService(ws, w.object.namespace, sub);
  if (!s) return { names: [], reason: `no Service ${sub} in namespace ${w.object.namespace}: per-pod names need a headless Service named ${sub}` };
  if (!s.headless) return { names: [], reason: `Service ${s.object.namespace}/${s.object.name} is not headless (no clusterIP: None): the DNS specification gives per-pod names only under a headless Service (CoreDNS also answers <hostname>.${s.object.name} for its endpoints, kube-dns does not)` };
  const names = dnsNamesOf(ws, s).filter(n => n.perPod?.workload === w);
  if (names.length) return { names };
  if (!hasPods(w)) return { names: [], reason: 'replicas: 0: no pods, no names' };
  return { names: [], reason: `headless Service ${s.object.namespace}/${s.object.name} does not select these pods, so they are not its endpoints and get no names` };
}
