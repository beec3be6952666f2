/**
 * Go to Definition for DNS names: a name in an env value, arg, ConfigMap or Ingress backend jumps
 * to the Service it resolves to, or for a per-pod name to the StatefulSet or Pod that makes the pod.
 */
import type { DefinitionContext, DefinitionResult } from '../../providers';
import { referenceAt } from './cursor';
import { OPERATOR_FILE } from '../../parse/operators';
import { BUILT_IN_FILE } from './builtin';
import { resolveReference } from './references';

/** The DNS definition provider (registered in definition.ts). */
export function dnsDefinition(ctx: DefinitionContext): DefinitionResult | undefined {
  const ref = referenceAt(ctx.workspace, ctx.entry.manifest.file, ctx.offset);
  if (!ref) return undefined;
  const r = resolveReference(ctx.workspace, ref);
  const target = r.found ? r.target : undefined;
  // Built-in Services (kubernetes, kube-dns) and those operators make have no file to jump to.
  if (!target || target.object.file === BUILT_IN_FILE || target.object.file === OPERATOR_FILE) return undefined;
  return { origin: ref.span, locations: [{ file: target.object.file, span: target.object.nameSpan ?? target.object.span }] };
}
