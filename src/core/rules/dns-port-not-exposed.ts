import { WORKLOAD_KINDS } from '../parse/kinds';
import { referencesOf } from '../net/dns/checks';
import { resolveReference } from '../net/dns/references';
import { resolvePort } from '../net/dns/resolve';
import { nearestServices } from '../net/dns/service-index';
import { defineRule } from './rule';

/**
 * `host:port` through a ClusterIP Service whose ports do not include `port`: the Service's virtual
 * IP forwards only the ports it lists. Headless, per-pod and ExternalName names go straight to the
 * destination, so they are not judged here.
 */
export default defineRule({
  id: 'dns-port-not-exposed',
  severity: 'warning',
  kinds: [...WORKLOAD_KINDS, 'ConfigMap', 'Ingress', 'Route'],
  docs: {
    summary: 'A name:port reaches a Service that does not expose that port.',
    rationale: 'A ClusterIP Service forwards only the ports it lists; a connection to any other port of its cluster IP is refused or times out.',
  },
  check(object, ctx) {
    const ws = ctx.workspace;
    for (const ref of referencesOf(ws, object)) {
      if (ref.port === undefined || !ref.portSpan) continue;
      const r = resolveReference(ws, ref);
      if (!r.found || !r.service) continue;
      // Folders of alternatives may each define this Service: judge the copies nearest the reference.
      const nearest = nearestServices(ws, r.service.object.namespace, r.service.object.name, object.file);
      const candidates = nearest.length ? nearest : [r.service];
      if (candidates.some(c => { const p = resolvePort(c === r.service ? r : { ...r, service: c }, ref.port!); return p.exposed || p.direct; })) continue;
      const s = candidates[0]!;
      const ports = s.ports.map(sp => `${sp.port}/${sp.protocol ?? 'TCP'}`).join(', ') || 'none';
      const portsSpan = s.ports.length
        ? { start: s.ports[0]!.span.start, end: s.ports[s.ports.length - 1]!.span.end }
        : s.object.nameSpan ?? s.object.span;
      ctx.report({
        span: ref.portSpan,
        message: `port ${ref.port} is not exposed by Service ${s.object.namespace}/${s.object.name} (ports: ${ports})`,
        related: [{ file: s.object.file, span: portsSpan, message: `ports of Service ${s.object.namespace}/${s.object.name}` }],
      });
    }
  },
});
