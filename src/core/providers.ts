/**
 * The shapes of hover and definition providers: what a provider is asked (the cursor in a file of
 * the workspace) and what it answers. A leaf module, so that the registries (`hover/index.ts`,
 * `definition.ts`) and the analyses that provide answers import it without importing each other.
 */
import type { CursorTarget } from './cursor';
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
