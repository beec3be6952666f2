/**
 * Hover content for any position in a manifest. Each analysis contributes a provider; the first
 * that answers wins, in the order listed. Content is Markdown; `span` is what the hover covers.
 */
import { reportContained } from '../contained';
import { targetAt, type CursorTarget } from '../cursor';
import { dnsHover } from '../net/dns/hover';
import { ipamHover } from '../net/ipam-hover';
import { policyHover } from '../net/policy/hover';
import type { Span } from '../span';
import type { FileEntry, Workspace } from '../workspace';

export interface HoverContext {
  readonly workspace: Workspace;
  readonly entry: FileEntry;
  readonly offset: number;
  readonly target: CursorTarget;
}

export interface HoverResult {
  /** Markdown. Values from manifests must be escaped or put in code spans. */
  readonly markdown: string;
  readonly span: Span;
}

export type HoverProvider = (ctx: HoverContext) => HoverResult | undefined;

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
    } catch (e) {
      // A provider's bug must not take the others down; the next one may still answer.
      reportContained('hover', e);
    }
  }
  return undefined;
}
