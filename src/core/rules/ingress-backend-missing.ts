import { objectRef } from '../parse/manifest';
import { ingressView, routeView } from '../parse/views/ingress';
import { defineRule, type Fix } from './rule';
import { scalarReplacement } from './support/emit';
import { closestName } from './support/text';

/** An Ingress (or Route) backend naming a Service its namespace does not have. */
export default defineRule({
  id: 'ingress-backend-missing',
  severity: 'warning',
  kinds: ['Ingress', 'Route'],
  docs: {
    summary: 'An Ingress or Route backend names a Service that the workspace does not define in its namespace.',
    rationale: 'An Ingress can only send traffic to a Service in its own namespace; a missing one makes the controller answer 503 for that path. The rule fires only when the workspace defines other Services in that namespace, so an Ingress kept apart from its app stays quiet.',
  },
  check(object, ctx) {
    const ing = ingressView(object) ?? routeView(object);
    if (!ing) return;
    const ns = object.namespace;
    const names = ctx.workspace.servicesIn(ns).map(s => s.object.name);
    // Operators make Services from custom resources (CloudNativePG's <cluster>-rw): none may be missing.
    if (!names.length || ctx.workspace.hasCustomResourcesIn(ns)) return;
    for (const b of ing.backends) {
      const name = b.serviceName;
      if (!name || !name.value || ctx.workspace.service(ns, name.value)) continue;
      const guess = closestName(name.value, names, 3);
      const fixes: Fix[] = guess
        ? [{ title: `Use Service ${guess}`, preferred: true, edits: [{ file: object.file, span: name.span, newText: scalarReplacement(ctx.entry.manifest.text, name.span, guess) }] }]
        : [];
      const svc = guess ? ctx.workspace.service(ns, guess) : undefined;
      ctx.report({
        span: name.span,
        message: `Service ${name.value} is not defined in namespace ${ns}${guess ? ` (did you mean ${guess}?)` : ''}, so ${objectRef(object)} has no backend for it.`,
        fixes,
        related: svc?.object.nameSpan ? [{ file: svc.object.file, span: svc.object.nameSpan, message: `Service ${guess}` }] : [],
      });
    }
  },
});
