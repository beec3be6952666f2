/**
 * Hover content for any position in a manifest. Each analysis contributes a provider; the first
 * that answers wins, in the order listed. Content is Markdown; `span` is what the hover covers.
 * The providers live beside this file (the hover layer puts the analyses' facts into words).
 */
import { firstAnswer, type HoverProvider, type HoverResult } from '../providers';
import type { Workspace } from '../workspace';
import { dnsHover } from './dns';
import { ipamHover } from './ipam';
import { policyHover } from './policy';

export type { HoverContext, HoverProvider, HoverResult } from '../providers';

/** Providers in order of precedence: each analysis adds its provider to this list. */
const HOVER_PROVIDERS: readonly HoverProvider[] = [ipamHover, dnsHover, policyHover];

/** The hover at `offset` in `file`, or undefined. Never throws. */
export function hoverAt(workspace: Workspace, file: string, offset: number): HoverResult | undefined {
  return firstAnswer(workspace, file, offset, HOVER_PROVIDERS);
}
