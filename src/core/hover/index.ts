/**
 * Hover content for any position in a manifest. Each analysis contributes a provider; the first
 * that answers wins, in the order listed. Content is Markdown; `span` is what the hover covers.
 * The providers live beside this file (the hover layer puts the analyses' facts into words).
 */
import { targetAt } from '../cursor';
import type { HoverProvider, HoverResult } from '../providers';
import type { Workspace } from '../workspace';
import { dnsHover } from './dns';
import { ipamHover } from './ipam';
import { policyHover } from './policy';

export type { HoverContext, HoverProvider, HoverResult } from '../providers';

/** Providers in order of precedence: each analysis adds its provider to this list. */
const HOVER_PROVIDERS: readonly HoverProvider[] = [ipamHover, dnsHover, policyHover];

/** The hover at `offset` in `file`, or undefined. Never throws. */
export function hoverAt(workspace: Workspace, file: string, offset: number): HoverResult | undefined {
  const entry = workspace.get(file);
  if (!entry) return undefined;
  const target = targetAt(entry.manifest, offset);
  if (!target) return undefined;
  for (const provider of HOVER_PROVIDERS) {
    try {
      const r = provider({ workspace, entry, offset, target });
      if (r) return r;
    } catch {
      // A provider's bug must not take the others down; the next one may still answer.
    }
  }
  return undefined;
}
