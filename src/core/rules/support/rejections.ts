/** Reports the API server's rejections of an object (parse/validate.ts) whose codes a rule owns. */
import type { K8sObject } from '../../parse/manifest';
import { rejections, type RejectionCode } from '../../parse/validate';
import type { RuleContext } from '../rule';

/**
 * Rejection codes reported by a rule of their own; `manifest-rejected` reports every other code.
 * Per kind where a code means something else elsewhere (`port-range` of a NetworkPolicy port).
 */
export const OWNED_CODES: Readonly<Record<string, readonly RejectionCode[]>> = {
  'netpol-empty-peer': ['empty-peer'],
  'netpol-ipblock-with-selector': ['ipblock-with-selector'],
  'netpol-endport-invalid': ['endport', 'port-range'],
  'cidr-invalid': ['ipblock-cidr'],
  'ipblock-except-outside-cidr': ['ipblock-except'],
};

/** Whether a rejection of `code` on an object of `kind` is reported by a rule other than `manifest-rejected`. */
export function ownedElsewhere(code: RejectionCode, kind: string): boolean {
  if (kind !== 'NetworkPolicy') return false;
  return Object.values(OWNED_CODES).some(codes => codes.includes(code));
}

/** Reports the rejections of `object` with one of `codes`. */
export function reportRejections(ctx: RuleContext, object: K8sObject, codes: readonly RejectionCode[]): void {
  for (const r of rejections(object)) {
    if (codes.includes(r.code)) ctx.report({ span: r.span, message: r.message });
  }
}
