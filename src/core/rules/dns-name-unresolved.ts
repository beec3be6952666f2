import { LOOKUP_KINDS, lookupsOf, shortNameElsewhere, unresolvedButUnsure } from '../net/dns/checks';
import { hasClusterShape, normalizeName } from '../net/dns/names';
import { resolveReference, type DnsReference } from '../net/dns/references';
import type { MissingService } from '../net/dns/records';
import { servicesNamed } from '../net/dns/service-index';
import type { Workspace } from '../workspace';
import { defineRule, type Fix } from './rule';
import { closestName } from './support/text';

/**
 * A name a manifest uses that cluster DNS does not answer. Only names meant for the cluster are
 * judged: ending in `.svc`, `.svc.<zone>` or the zone; naming a Service that exists elsewhere; or a
 * single label with a port (`db:5432`). External hosts are upstream DNS's business. Ingress backends
 * are left to the Ingress rules.
 *
 * A Service the workspace defines nowhere may still exist: a Helm release, an operator or another
 * repository can create it. Such a name is a warning only when a Service of that namespace is a likely
 * misspelling of it; otherwise it is a hint that says the name depends on something outside the
 * workspace.
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
      const message = `${ref.host} does not resolve from namespace ${ref.namespace}: ${r.reason ?? 'no such name'}`;
      if (!r.missing || servicesNamed(ws, r.missing.service).length) {
        ctx.report({ span: ref.span, message });
        continue;
      }
      const near = misspelt(ws, r.missing);
      if (near) {
        ctx.report({ span: ref.span, message: `${message}; did you mean ${near}?`, fixes: renameFix(ctx.entry.manifest.text, ref, r.missing.service, near) });
        continue;
      }
      ctx.report({
        span: ref.span,
        severity: 'hint',
        message: `${ref.host} resolves only if something outside this workspace (a Helm release, an operator, another repository) creates Service ${r.missing.service} in namespace ${r.missing.namespace}: no manifest here defines it`,
      });
    }
  },
});

/** The Service of the missing one's namespace whose name is a likely misspelling of it, if exactly one is. */
function misspelt(ws: Workspace, missing: MissingService): string | undefined {
  const len = missing.service.length;
  const max = len >= 8 ? 2 : len >= 4 ? 1 : 0;
  if (!max) return undefined;
  return closestName(missing.service, ws.servicesIn(missing.namespace).map(s => s.object.name), max);
}

/** Replace the Service label when it is the host's first label, written as is. */
function renameFix(text: string, ref: DnsReference, from: string, to: string): Fix[] {
  const start = ref.span.start;
  const written = text.slice(start, start + from.length);
  const after = text.charAt(start + from.length);
  if (written.toLowerCase() !== from || (after !== '' && /[a-z0-9-]/i.test(after))) return [];
  return [{ title: `Change to ${to}`, preferred: true, edits: [{ file: ref.file, span: { start, end: start + from.length }, newText: to }] }];
}
