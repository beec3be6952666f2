/**
 * Traffic admitted from outside through Ingress and OpenShift Route objects: each backend names a
 * Service of the object's namespace; the Service's pods are reachable from the synthetic
 * `{ingress-controller}` peer on the resolved target ports, over TCP (np-guard's model). Policies
 * still apply on the pods' side: the caller intersects with what policies allow.
 */
import type { Ingress } from '../../parse/views/ingress';
import type { Service, ServicePort } from '../../parse/views/service';
import { namedPortsOf } from '../../parse/views/workload';
import { serviceSelects, type Workspace } from '../../workspace';
import { ConnectionSet } from './connections';
import { namedPortConns, namespacePeers } from './model';
import { workloadPeers, type WorkloadPeer } from './peers';

/** One Ingress/Route backend that reaches a workload. */
export interface IngressPath {
  readonly ingress: Ingress;
  readonly service: Service;
  /** TCP connections this backend opens to the workload (before policies). */
  readonly conns: ConnectionSet;
}

/** What ingress objects expose of one workload peer. */
export interface IngressExposure {
  readonly peer: WorkloadPeer;
  readonly conns: ConnectionSet;
  readonly paths: readonly IngressPath[];
}

/**
 * The Service ports a backend reaches: the one matching `required` by name, port or targetPort
 * (first match, as np-guard does), or every port when the backend names none.
 */
export function servicePortsFor(service: Service, required: number | string | undefined): ServicePort[] {
  if (required === undefined || required === '' || required === 0) return [...service.ports];
  const match = service.ports.find(p =>
    (p.name !== undefined && p.name !== '' && p.name === required) || p.port === required || p.targetPort === required);
  return match ? [match] : [];
}


/** The TCP connections a Service port's targetPort opens on a workload's pods. */
export function targetConns(port: ServicePort, peer: WorkloadPeer): ConnectionSet {
  if ((port.protocol ?? 'TCP') !== 'TCP') return ConnectionSet.none();
  const target = port.targetPort;
  if (typeof target === 'number') return ConnectionSet.ports('TCP', target);
  if (typeof target === 'string') return namedPortConns(target, 'TCP', namedPortsOf(peer.ref.workload));
  return ConnectionSet.none();
}

/** Every workload exposed through an Ingress or Route, with the ports each backend opens; cached. */
export function ingressExposures(ws: Workspace): ReadonlyMap<string, IngressExposure> {
  return ws.derived('policy:ingress', () => exposures(ws, ws.ingresses, workloadPeers(ws)));
}

/**
 * {@link ingressExposures} of one namespace's workloads (a backend is a Service of the Ingress's own
 * namespace, which selects pods of that namespace only): what the diagram's update of one namespace reads.
 */
export function namespaceIngressExposures(ws: Workspace, namespace: string): ReadonlyMap<string, IngressExposure> {
  const slice = ws.inNamespace(namespace);
  return slice.ingresses.length ? exposures(ws, slice.ingresses, namespacePeers(ws, namespace)) : new Map();
}

function exposures(ws: Workspace, ingresses: readonly Ingress[], peers: readonly WorkloadPeer[]): Map<string, IngressExposure> {
  const out = new Map<string, { peer: WorkloadPeer; conns: ConnectionSet; paths: IngressPath[] }>();
  // A Service selects pods of its own namespace only: each backend is matched against that
  // namespace's peers, not every peer of the workspace (backends x peers grew with the workspace).
  const byNamespace = new Map<string, WorkloadPeer[]>();
  for (const peer of peers) {
    const ns = peer.ref.workload.object.namespace;
    const list = byNamespace.get(ns);
    if (list) list.push(peer);
    else byNamespace.set(ns, [peer]);
  }
  for (const ingress of ingresses) {
    const ns = ingress.object.namespace;
    const here = byNamespace.get(ns) ?? [];
    for (const backend of ingress.backends) {
      const name = backend.serviceName?.value;
      if (!name) continue;
      const service = ws.service(ns, name);
      if (!service) continue;
      const ports = servicePortsFor(service, backend.port?.value);
      for (const peer of here) {
        if (!serviceSelects(service, peer.ref.workload)) continue;
        let conns = ConnectionSet.none();
        for (const p of ports) conns = conns.union(targetConns(p, peer));
        if (conns.isEmpty()) continue;
        const e = out.get(peer.ref.id) ?? { peer, conns: ConnectionSet.none(), paths: [] };
        e.conns = e.conns.union(conns);
        e.paths.push({ ingress, service, conns });
        out.set(peer.ref.id, e);
      }
    }
  }
  return out;
}
