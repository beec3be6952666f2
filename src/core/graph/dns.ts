/**
 * DNS edges of the diagram: a workload that writes a name resolving to a Service, green when the
 * policies allow the connection the name stands for, red when they block it. "Blocked" is said only
 * when it is sure: the port is known (written, or the Service's only port) and the engine denies it
 * toward at least one of the Service's workloads.
 */
import type { Protocol, Workload } from '../parse/views';
import { resolvePort, resolveReference, dnsReferences, type DnsReference, type Resolution } from '../net/dns';
import { allowedToWorkloadOnPort, policyName } from '../net/policy';
import type { Workspace } from '../workspace';
import { nodeIdOfWorkload, serviceId, type GraphEdge } from './model';

interface Target { readonly protocol: Protocol; readonly port: number; readonly workload: Workload }

/** The pod ports a reference reaches: per destination workload, through the Service's targetPort. */
function targets(r: Resolution, ref: DnsReference): Target[] | undefined {
  const s = r.service!;
  const port = ref.port ?? (s.ports.length === 1 ? s.ports[0]!.port : undefined);
  if (port === undefined) return undefined;
  const pr = resolvePort(r, port);
  if (!pr.exposed) return undefined;
  const protocol = pr.servicePort?.protocol ?? 'TCP';
  if (pr.direct) return r.workloads.map(workload => ({ protocol, port, workload }));
  return (pr.resolvedTargetPorts ?? []).flatMap(t => (t.port === undefined ? [] : [{ protocol, port: t.port, workload: t.workload }]));
}

/** One edge per (reference, calling workload) whose name resolves to a Service with pods and a known port. */
export function dnsEdges(ws: Workspace): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (const ref of dnsReferences(ws)) {
    if (ref.source === 'ingress' || ref.workloads.length === 0) continue;
    const r = resolveReference(ws, ref);
    if (!r.found || !r.service || r.service.type === 'ExternalName') continue;
    const to = targets(r, ref);
    if (!to || to.length === 0) continue;
    const target = serviceId(r.service.object.namespace, r.service.object.name);
    for (const from of ref.workloads) {
      const source = nodeIdOfWorkload(from);
      const lines: string[] = [];
      let blocked = false;
      for (const t of to) {
        const v = allowedToWorkloadOnPort(ws, from, t.workload, t.protocol, t.port);
        const where = `${t.protocol} ${t.port} to ${t.workload.object.namespace}/${t.workload.object.name}`;
        if (v.allowed) {
          lines.push(`${where}: allowed`);
        } else {
          blocked = true;
          const by = v.blockedBy;
          lines.push(by
            ? `${where}: blocked at ${by.direction} by ${by.policies.map(p => policyName({ policy: p })).join(', ')} (no rule allows it)`
            : `${where}: blocked`);
        }
      }
      out.push({
        id: `dns:${source}->${target}@${ref.file}#${ref.span.start}`, kind: 'dns', source, target,
        label: ref.port !== undefined ? `${ref.host}:${ref.port}` : ref.host,
        status: blocked ? 'blocked' : 'allowed',
        explanation: [`${ref.key ? `${ref.key}: ` : ''}${ref.host} resolves to ${r.fqdn ?? r.service.object.name}`, ...lines],
        sourceLocation: { file: ref.file, span: { start: ref.span.start, end: ref.span.end } },
      });
    }
  }
  return out;
}
