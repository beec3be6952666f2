/**
 * Hover and definition providers: what a provider is asked (the cursor in a file of the workspace),
 * what it answers, and how the registries ask them. A leaf module (it imports no analysis and no
 * registry), so that the registries (`hover/index.ts`, `definition.ts`) and the analyses that
 * provide answers import it without importing each other.
 */
import { targetAt, type CursorTarget } from './cursor';
import type { Span } from './span';
import type { FileEntry, Workspace } from './workspace';

/** Where the cursor is: the file's entry, the offset and what is under it. */
export interface CursorContext {
  readonly workspace: Workspace;
  readonly entry: FileEntry;
  readonly offset: number;
  readonly target: CursorTarget;
}

export type HoverContext = CursorContext;

export interface HoverResult {
  /** Markdown. Values from manifests must be escaped or put in code spans. */
  readonly markdown: string;
  readonly span: Span;
}

export type HoverProvider = (ctx: HoverContext) => HoverResult | undefined;

export type DefinitionContext = CursorContext;

export interface Location {
  readonly file: string;
  readonly span: Span;
}

/** The span of the word a definition explains, and where it is defined. */
export interface DefinitionResult {
  readonly origin: Span;
  readonly locations: Location[];
}

export type DefinitionProvider = (ctx: DefinitionContext) => DefinitionResult | undefined;

/**
 * The first answer of `providers`, in order, about `offset` in `file` that `accept` takes. A
 * provider that throws is skipped (its bug must not take the others down). Never throws.
 */
export function firstAnswer<R>(
  workspace: Workspace, file: string, offset: number,
  providers: readonly ((ctx: CursorContext) => R | undefined)[], accept: (r: R) => boolean = () => true,
): R | undefined {
  const entry = workspace.get(file);
  if (!entry) return undefined;
  const target = targetAt(entry.manifest, offset);
  if (!target) return undefined;
  for (const provider of providers) {
    try {
      const r = provider({ workspace, entry, offset, target });
      if (r !== undefined && accept(r)) return r;
    } catch {
      // The next provider may still answer.
    }
  }
  return undefined;
}
