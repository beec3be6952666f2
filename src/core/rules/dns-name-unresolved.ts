import { LOOKUP_KINDS, lookupsOf, shortNameElsewhere, unresolvedButUnsure } from '../net/dns/checks';
import { hasClusterShape, normalizeName } from '../net/dns/names';
import { servicesNamed } from '../net/dns/service-index';
import { resolveReference } from '../net/dns/references';
import { defineRule } from './rule';

/**
 * A name a manifest uses that cluster DNS does not answer. Only names meant for the cluster are
 * judged: ending in `.svc`, `.svc.<zone>` or the zone; naming a Service that exists elsewhere; or a
 * single label with a port (`db:5432`). External hosts are upstream DNS's business. Ingress backends
 * are left to the Ingress rules.
 */
export default defineRule({
  id: 'dns-name-unresolved',
  severity: 'warning',
  kinds: LOOKUP_KINDS,
  docs: {
    summary: 'A cluster DNS name used in env, args, command or a ConfigMap does not resolve.',
    rationale: 'The pod would fail at run time with NXDOMAIN: the Service is missing, in another namespace, headless without ready pods, or the pod does not use cluster DNS.',
  },
  check(object, ctx) {
    const ws = ctx.workspace;
    const zone = ws.clusterDomain.value;
    for (const ref of lookupsOf(ws, object)) {
      const r = resolveReference(ws, ref);
      if (r.found || r.unknown) continue;
      // The short-name rule says it better, with a fix.
      if (shortNameElsewhere(ws, ref, r).length) continue;
      if (unresolvedButUnsure(ws, ref)) continue;
      const n = normalizeName(ref.host);
      const labels = n.split('.');
      const meant = hasClusterShape(n, zone)
        || (labels.length > 1 && servicesNamed(ws, labels[0]!).length > 0)
        || (labels.length === 1 && ref.port !== undefined);
      if (!meant) continue;
      ctx.report({ span: ref.span, message: `${ref.host} does not resolve from namespace ${ref.namespace}: ${r.reason ?? 'no such name'}` });
    }
  },
});
