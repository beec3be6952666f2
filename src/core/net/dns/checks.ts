/**
 * Facts the DNS rules share: the references an object writes, the short names that exist only in
 * another namespace, and whether a headless Service gives a pod its per-pod name.
 */
import { WORKLOAD_KINDS } from '../../parse/kinds';
import type { K8sObject } from '../../parse/manifest';
import type { Service } from '../../parse/views/service';
import type { Workload } from '../../parse/views/workload';
import { surelySameNamespace, type Workspace } from '../../workspace';
import { normalizeName } from './names';
import { hasSelector, serviceSelects } from '../../workspace';
import { findService, servicesNamed } from './service-index';
import { dnsReferencesInFile, type DnsReference } from './references';
import type { Resolution } from './resolve';

/** The references written in `object`, in text order. */
export function referencesOf(ws: Workspace, object: K8sObject): DnsReference[] {
  return dnsReferencesInFile(ws, object.file).filter(r => r.object === object);
}

/** The kinds whose pods look names up: workloads, and ConfigMaps their pods read. */
export const LOOKUP_KINDS: readonly string[] = [...WORKLOAD_KINDS, 'ConfigMap'];

/** The names `object`'s pods look up, in text order: its references but Ingress backends (the Ingress rules' business). */
export function lookupsOf(ws: Workspace, object: K8sObject): DnsReference[] {
  return referencesOf(ws, object).filter(r => r.source !== 'ingress');
}

/**
 * For a single-label name that cluster DNS could not find in the caller's namespace: the Services
 * of that name in other namespaces (empty when the name is dotted, found, or not looked up in
 * cluster DNS at all).
 */
export function shortNameElsewhere(ws: Workspace, ref: DnsReference, r: Resolution): Service[] {
  const n = normalizeName(ref.host);
  if (r.found || n.includes('.') || ref.host.endsWith('.') || r.resolver.usesClusterDns !== true) return [];
  const named = servicesNamed(ws, n);
  // Where either side lands is only assumed: the Service may well be in the caller's namespace.
  if (ref.object.namespaceDefaulted || named.some(s => s.object.namespaceDefaulted)) return [];
  return named.filter(s => s.object.namespace.toLowerCase() !== ref.namespace.toLowerCase());
}

/**
 * Why a name that did not resolve may still resolve where the objects really land, or undefined when
 * the verdict stands: the caller's namespace is only assumed (`default` because none is written) and a
 * Service of that name exists somewhere; a Service of that name has an assumed namespace itself; or
 * the namespaces involved hold custom resources whose operators make Services (`<cluster>-rw`,
 * `<kafka>-kafka-bootstrap`) the workspace cannot list.
 */
export function unresolvedButUnsure(ws: Workspace, ref: DnsReference): string | undefined {
  const labels = normalizeName(ref.host).split('.');
  const named = servicesNamed(ws, labels[0]!);
  if (ref.object.namespaceDefaulted && named.length) {
    return `${objectName(ref)} has no namespace written, so where it runs (and what ${labels[0]} finds) depends on how it is applied`;
  }
  const assumed = named.find(s => s.object.namespaceDefaulted);
  if (assumed) return `Service ${assumed.object.name} has no namespace written, so it may be applied into the caller's namespace`;
  for (const ns of new Set([ref.namespace, ...(labels.length > 1 ? [labels[1]!] : [])])) {
    if (ws.hasCustomResourcesIn(ns)) return `namespace ${ns} holds custom resources whose operators may create a Service ${labels[0]}`;
  }
  return undefined;
}

function objectName(ref: DnsReference): string {
  return `${ref.object.kind} ${ref.object.name}`;
}

/** Why a pod's subdomain (or a StatefulSet's serviceName) gives no per-pod names, or undefined when it does. */
export function subdomainProblem(ws: Workspace, w: Workload, name: string): { message: string; missing: boolean; service?: Service } | undefined {
  const ns = w.object.namespace;
  let s = findService(ws, ns, name);
  const field = w.kind === 'StatefulSet' ? 'serviceName' : 'subdomain';
  // A Service found only under an assumed namespace in another folder (files applied apart, such as
  // one test's fixtures beside another's) may not share the pods' namespace: judge the one applied
  // with them, or give no verdict.
  if (s && (s.object.namespaceDefaulted || w.object.namespaceDefaulted) && !surelySameNamespace(s.object, w.object)) {
    const sure = servicesNamed(ws, name).find(x => x.object.namespace === ns && surelySameNamespace(x.object, w.object));
    if (!sure) return undefined;
    s = sure;
  }
  // Where the pod or a Service of that name lands is only assumed, or an operator may make it: no verdict.
  if (!s && (ws.hasCustomResourcesIn(ns) || servicesNamed(ws, name).some(x => (x.object.namespaceDefaulted || w.object.namespaceDefaulted) && !surelySameNamespace(x.object, w.object)))) return undefined;
  if (!s) {
    return { missing: true, message: `${field} ${name} names no Service in namespace ${ns}: the pods get no per-pod DNS names` };
  }
  if (!s.headless) {
    return {
      missing: false, service: s,
      message: `${field} ${name} names Service ${ns}/${s.object.name}, which is not headless (no clusterIP: None): the DNS specification gives per-pod names only under a headless Service (CoreDNS also answers them for this one, kube-dns does not)`,
    };
  }
  if (hasSelector(s) && !serviceSelects(s, w)) {
    return {
      missing: false, service: s,
      message: `${field} ${name} names headless Service ${ns}/${s.object.name}, which does not select these pods: they are not its endpoints and get no per-pod DNS names`,
    };
  }
  return undefined;
}
