/**
 * Facts the DNS rules share: the references an object writes, the short names that exist only in
 * another namespace, and whether a headless Service gives a pod its per-pod name.
 */
import type { K8sObject } from '../../parse/manifest';
import type { Service, Workload } from '../../parse/views';
import type { Workspace } from '../../workspace';
import { normalizeName } from './names';
import { hasSelector, serviceSelects } from '../../workspace';
import { findService, servicesNamed } from './records';
import { dnsReferencesInFile, type DnsReference } from './references';
import type { Resolution } from './resolve';

/** The references written in `object`, in text order. */
export function referencesOf(ws: Workspace, object: K8sObject): DnsReference[] {
  return dnsReferencesInFile(ws, object.file).filter(r => r.object === object);
}

/**
 * For a single-label name that cluster DNS could not find in the caller's namespace: the Services
 * of that name in other namespaces (empty when the name is dotted, found, or not looked up in
 * cluster DNS at all).
 */
export function shortNameElsewhere(ws: Workspace, ref: DnsReference, r: Resolution): Service[] {
  const n = normalizeName(ref.host);
  if (r.found || n.includes('.') || ref.host.endsWith('.') || r.resolver.usesClusterDns !== true) return [];
  return servicesNamed(ws, n).filter(s => s.object.namespace.toLowerCase() !== ref.namespace.toLowerCase());
}

/** Why a pod's subdomain (or a StatefulSet's serviceName) gives no per-pod names, or undefined when it does. */
export function subdomainProblem(ws: Workspace, w: Workload, name: string): { message: string; missing: boolean; service?: Service } | undefined {
  const ns = w.object.namespace;
  const s = findService(ws, ns, name);
  const field = w.kind === 'StatefulSet' ? 'serviceName' : 'subdomain';
  if (!s) {
    return { missing: true, message: `${field} ${name} names no Service in namespace ${ns}: the pods get no per-pod DNS names` };
  }
  if (!s.headless) {
    return {
      missing: false, service: s,
      message: `${field} ${name} names Service ${ns}/${s.object.name}, which is not headless (clusterIP: None): the pods get no per-pod DNS names`,
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
