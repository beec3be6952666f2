/**
 * DNS edges of the diagram: a workload that writes a name resolving to a Service, green when the
 * policies allow the connection the name stands for, red when they block it. The verdict is the one
 * the `dns-reference-blocked-by-policy` rule gives (same resolution per caller, same `blocks()`), so
 * a red edge and that diagnostic always agree. An edge is drawn only when the port is known: written,
 * or the Service's only port.
 */
import { dnsReferences, resolveName, resolvePort, type DnsReference } from '../net/dns';
import type { Protocol } from '../parse/views/protocol';
import type { Service } from '../parse/views/service';
import type { Workload } from '../parse/views/workload';
import { adminPolicyTitle, adminRuleName } from '../parse/admin';
import { blocks, governedByPolicy, policyList } from '../net/policy/reach';
import { workloadName } from '../net/policy/peers';
import type { Workspace } from '../workspace';
import { nodeIdOfWorkload, serviceId, type GraphEdge } from './model';

interface Target { readonly protocol: Protocol; readonly port: number; readonly workload: Workload }

/** The Service a caller reaches by the name, and the pod ports behind it; undefined when unknown. */
function resolveFor(ws: Workspace, ref: DnsReference, caller: Workload): { service: Service; fqdn: string; targets: Target[] } | undefined {
  const r = resolveName(ws, ref.host, ref.namespace, { workload: caller });
  if (!r.found || r.unknown || !r.service || r.service.type === 'ExternalName') return undefined;
  const port = ref.port ?? (r.service.ports.length === 1 ? r.service.ports[0]!.port : undefined);
  if (port === undefined) return undefined;
  const p = resolvePort(r, port);
  const protocol = p.servicePort ? p.servicePort.protocol : 'TCP';
  if (!p.exposed || !protocol) return undefined;
  const targets = p.direct
    ? r.workloads.map(workload => ({ protocol, port, workload }))
    : (p.resolvedTargetPorts ?? []).flatMap(t => (t.port === undefined ? [] : [{ protocol, port: t.port, workload: t.workload }]));
  return { service: r.service, fqdn: r.fqdn ?? ref.host, targets: targets.filter(t => governedByPolicy(t.workload)) };
}

/** One edge per (reference, calling workload) whose name resolves to a Service with pods and a known port. */
export function dnsEdges(ws: Workspace): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (const ref of dnsReferences(ws)) {
    if (ref.source === 'ingress') continue;
    for (const caller of ref.workloads) {
      if (!governedByPolicy(caller)) continue;
      const res = resolveFor(ws, ref, caller);
      if (!res || res.targets.length === 0) continue;
      const lines: string[] = [];
      let blocked = false;
      for (const t of res.targets) {
        const where = `${t.protocol} ${t.port} to ${workloadName(t.workload)}`;
        const b = blocks(ws, caller, t.workload, t.protocol, t.port);
        if (b.length === 0) {
          lines.push(`${where}: allowed`);
          continue;
        }
        blocked = true;
        for (const x of b) {
          lines.push(x.decidedBy
            ? `${where}: denied at ${x.direction} by ${adminPolicyTitle(x.decidedBy.policy)} rule ${adminRuleName(x.decidedBy.rule)}`
            : x.dependsOnCni
            ? `${where}: may be blocked at ${x.direction} by ${policyList(x.policies)}, depending on whether the CNI matches pod addresses with an ipBlock`
            : `${where}: blocked at ${x.direction} by ${policyList(x.policies)} (no ${x.direction} rule allows it)`);
        }
      }
      const source = nodeIdOfWorkload(caller);
      const target = serviceId(res.service.object.namespace, res.service.object.name);
      out.push({
        id: `dns:${source}->${target}@${ref.file}#${ref.span.start}`, kind: 'dns', source, target,
        label: ref.port !== undefined ? `${ref.host}:${ref.port}` : ref.host,
        status: blocked ? 'blocked' : 'allowed',
        explanation: [`${ref.key ? `${ref.key}: ` : ''}${ref.host} resolves to ${res.fqdn}`, ...lines],
        sourceLocation: { file: ref.file, span: { start: ref.span.start, end: ref.span.end } },
      });
    }
  }
  return out;
}
