/**
 * Go to Definition for DNS names: a name in an env value, arg, ConfigMap or Ingress backend jumps
 * to the Service it resolves to, or for a per-pod name to the StatefulSet or Pod that makes the pod.
 */
import type { DefinitionContext, DefinitionResult } from '../../providers';
import { referenceAt } from './cursor';
import { resolveReference } from './references';

/** The DNS definition provider (registered in definition.ts). */
export function dnsDefinition(ctx: DefinitionContext): DefinitionResult | undefined {
  const ref = referenceAt(ctx.workspace, ctx.entry.manifest.file, ctx.offset);
  if (!ref) return undefined;
  const r = resolveReference(ctx.workspace, ref);
  const target = r.found ? r.target : undefined;
  if (!target) return undefined;
  return { origin: ref.span, locations: [{ file: target.object.file, span: target.object.nameSpan ?? target.object.span }] };
}
