import { objectRef } from '../parse/manifest';
import { nearestServices } from '../net/dns/service-index';
import { ingressView } from '../parse/views/ingress';
import { defineRule, type Fix } from './rule';
import { scalarReplacement } from './support/emit';
import { closestName } from './support/text';

/** An Ingress backend port that its Service does not expose. */
export default defineRule({
  id: 'ingress-backend-port-undefined',
  severity: 'warning',
  kinds: ['Ingress'],
  docs: {
    summary: 'An Ingress backend names a port number or port name that its Service does not expose.',
    rationale: 'The controller resolves the backend port against the Service\'s ports (its `port` numbers or `name`s, not its targetPorts); an unknown one leaves the path without endpoints (503).',
  },
  check(object, ctx) {
    const ing = ingressView(object);
    if (!ing) return;
    const text = ctx.entry.manifest.text;
    for (const b of ing.backends) {
      if (!b.serviceName || !b.port) continue;
      const first = ctx.workspace.service(object.namespace, b.serviceName.value);
      if (!first) continue;
      const port = b.port.value;
      // Folders of alternatives may each define this Service: judge the copies nearest the Ingress.
      const candidates = nearestServices(ctx.workspace, object.namespace, b.serviceName.value, object.file);
      const exposes = (s: typeof first) => typeof port === 'number' ? s.ports.some(p => p.port === port) : s.ports.some(p => p.name === port);
      if (candidates.some(exposes)) continue;
      const svc = candidates[0] ?? first;
      // The AWS Load Balancer Controller reserves the port name `use-annotation`: the backend is an
      // action from the `alb.ingress.kubernetes.io/actions.<service>` annotation (which Argo Rollouts
      // writes at run time), not a Service port (kubernetes-sigs/aws-load-balancer-controller docs,
      // "ingress annotations", actions.${action-name}).
      if (port === 'use-annotation') continue;
      // An ExternalName Service has no endpoints to map a port onto: controllers connect to the
      // external name at the backend's port number (nginxinc/kubernetes-ingress
      // getExternalEndpointsForIngressBackend: `externalName:port.number`), whatever ports it lists.
      if (svc.type === 'ExternalName' && typeof port === 'number') continue;
      const numbers = svc.ports.map(p => p.port).filter((n): n is number => n !== undefined);
      const names = svc.ports.map(p => p.name).filter((n): n is string => !!n);
      let replacement: string | undefined;
      if (typeof port === 'number') {
        if (numbers.length === 1) replacement = String(numbers[0]);
        else {
          // Ingresses often name the targetPort by mistake: map it back to the Service port.
          const viaTarget = svc.ports.filter(p => p.targetPort === port && p.port !== undefined);
          if (viaTarget.length === 1) replacement = String(viaTarget[0]!.port);
        }
      } else {
        const guess = closestName(port, names) ?? (names.length === 1 ? names[0] : undefined);
        if (guess) replacement = scalarReplacement(text, b.port.span, guess);
      }
      const exposed = svc.ports.map(p => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'no ports';
      const fixes: Fix[] = replacement !== undefined
        ? [{ title: `Use Service port ${replacement}`, preferred: true, edits: [{ file: object.file, span: b.port.span, newText: replacement }] }]
        : [];
      ctx.report({
        span: b.port.span,
        message: `${typeof port === 'number' ? 'port' : 'port name'} ${port} is not a port of ${objectRef(svc.object)}, which exposes ${exposed}.`,
        fixes,
        related: svc.object.nameSpan ? [{ file: svc.object.file, span: svc.object.nameSpan, message: `${objectRef(svc.object)}` }] : [],
      });
    }
  },
});
