/** From an object in the editor to the diagram: which node it is, and what it selects (for CodeLenses). */
import type { K8sObject } from '../parse/manifest';
import { isWorkloadKind } from '../parse/kinds';
import { networkPolicyView } from '../parse/views/policy';
import { serviceView } from '../parse/views/service';
import { workloadsSelectedBy } from '../net/policy';
import type { Workspace } from '../workspace';
import { groupId, ingressId, nodeIdOfWorkload, serviceId } from './model';

/**
 * The diagram id of the node or group standing for `o`: a workload, Service, Ingress/Route node, or
 * a namespace frame for a Namespace. A NetworkPolicy has no node of its own; it stands for the
 * first workload it selects. `undefined` when the object has no place in the diagram.
 */
export function nodeIdOfObject(ws: Workspace, o: K8sObject): string | undefined {
  // Any kind that makes pods: built-in workloads, Rollouts, operators' custom resources.
  const w = ws.get(o.file)?.workloads.find(x => x.object === o);
  if (w) return nodeIdOfWorkload(w);
  if (isWorkloadKind(o.kind)) return undefined;
  if (o.kind === 'Service') return serviceId(o.namespace, o.name);
  if (o.kind === 'Ingress' || o.kind === 'Route') return ingressId(o.namespace, o.kind, o.name);
  if (o.kind === 'Namespace') return groupId(o.name);
  if (o.kind === 'NetworkPolicy') {
    const first = selectedWorkloads(ws, o)?.[0];
    return first ? nodeIdOfWorkload(first) : groupId(o.namespace);
  }
  return undefined;
}

/** The object of `file` whose span holds `offset` (the innermost, for objects inside a List). */
export function objectAt(ws: Workspace, file: string, offset: number): K8sObject | undefined {
  let best: K8sObject | undefined;
  for (const o of ws.get(file)?.manifest.objects ?? []) {
    if (o.span.start <= offset && offset <= o.span.end && (!best || o.span.end - o.span.start < best.span.end - best.span.start)) best = o;
  }
  return best;
}

/**
 * The workloads a NetworkPolicy's `podSelector` or a Service's `selector` selects (same namespace);
 * `undefined` for other kinds.
 */
export function selectedWorkloads(ws: Workspace, o: K8sObject) {
  const policy = networkPolicyView(o);
  if (policy) return workloadsSelectedBy(ws, policy);
  const service = serviceView(o);
  if (service) return ws.workloadsOfService(service);
  return undefined;
}
