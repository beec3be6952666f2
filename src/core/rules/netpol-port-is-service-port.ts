import { serviceSelects, type Workspace } from '../workspace';
import type { Service } from '../parse/views/service';
import { objectRef } from '../parse/manifest';
import { namedPortsOf } from '../parse/views/workload';
import { defineRule, type Fix } from './rule';
import { forEachPort, policyInForce } from './support/policy';
import { destinationsWithout } from './support/select';
import { scalarReplacement } from './support/emit';

/** A policy port that is a Service's port where the pods listen on a different targetPort. */
export default defineRule({
  id: 'netpol-port-is-service-port',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A policy allows a Service\'s port number, but the selected pods listen on the Service\'s different targetPort.',
    rationale: 'NetworkPolicies see pod-to-pod traffic after the Service has translated port to targetPort, so a rule must name the pod\'s port. Writing the Service port (80) where the pods listen on 8080 allows nothing.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p) return;
    forEachPort(p, (port, rule) => {
      if (typeof port.port !== 'number' || port.endPort !== undefined || !port.portSpan) return;
      const protocol = port.protocol ?? 'TCP';
      const dests = destinationsWithout(ctx.workspace, p, rule, port.port, protocol);
      if (!dests) return;
      // Services back pods of their own namespace: the destinations' namespaces hold all there is to
      // check (in workspace order, as a pass over every Service would meet them; not a pass over
      // every Service of the workspace per keystroke).
      const namespaces = [...new Set(dests.map(w => w.object.namespace))];
      const services = namespaces.length === 1 ? ctx.workspace.servicesIn(namespaces[0]!) : inWorkspaceOrder(ctx.workspace, namespaces.flatMap(ns => ctx.workspace.servicesIn(ns)));
      for (const svc of services) {
        const sp = svc.ports.find(x => x.port === port.port && (x.protocol ?? 'TCP') === protocol && x.targetPort !== undefined && x.targetPort !== port.port);
        if (!sp) continue;
        const backs = dests.filter(w => serviceSelects(svc, w));
        // A named targetPort must name another port on those pods: where none of them defines it
        // (Bitnami Cassandra's `tls` without TLS), what they listen on is not known from the Service.
        if (!backs.length || (typeof sp.targetPort === 'string' && !backs.some(w => namedPortsOf(w).some(c =>
          c.name === sp.targetPort && (c.protocol ?? 'TCP') === protocol && c.containerPort !== undefined && c.containerPort !== port.port)))) continue;
        const target = String(sp.targetPort);
        const fixes: Fix[] = [{
          title: `Use targetPort ${target}`,
          preferred: true,
          edits: [{ file: object.file, span: port.portSpan, newText: typeof sp.targetPort === 'number' ? target : scalarReplacement(ctx.entry.manifest.text, port.portSpan, target) }],
        }];
        ctx.report({
          span: port.portSpan,
          message: `port ${port.port} is the port of ${objectRef(svc.object)}, whose pods listen on targetPort ${target}; policies match the pod's port.`,
          fixes,
          related: sp.targetPortSpan ? [{ file: svc.object.file, span: sp.targetPortSpan, message: `targetPort ${target}` }] : [],
        });
        return;
      }
    });
  },
});

/** Services of several namespaces in workspace order: by file, then by position in the file. */
function inWorkspaceOrder(ws: Workspace, services: Service[]): Service[] {
  return services.sort((a, b) => (ws.orderOf(a.object.file)! - ws.orderOf(b.object.file)!) || a.object.index - b.object.index);
}
