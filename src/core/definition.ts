/**
 * Go to Definition: where a name under the cursor is defined (a Service for a DNS name, a
 * StatefulSet for a per-pod name, the Service an Ingress backend names...). Analyses register
 * providers; all answers are collected.
 */
import { reportContained } from './contained';
import { targetAt, type CursorTarget } from './cursor';
import { dnsDefinition } from './net/dns/definition';
import type { Span } from './span';
import type { FileEntry, Workspace } from './workspace';

export interface Location {
  readonly file: string;
  readonly span: Span;
}

export interface DefinitionContext {
  readonly workspace: Workspace;
  readonly entry: FileEntry;
  readonly offset: number;
  readonly target: CursorTarget;
}

export type DefinitionProvider = (ctx: DefinitionContext) => { origin: Span; locations: Location[] } | undefined;

/** Providers in order of precedence: each analysis adds its provider to this list. */
const DEFINITION_PROVIDERS: readonly DefinitionProvider[] = [dnsDefinition];

/** Definitions at `offset` in `file` with the span of the word they explain. Never throws. */
export function definitionAt(workspace: Workspace, file: string, offset: number): { origin: Span; locations: Location[] } | undefined {
  const entry = workspace.get(file);
  if (!entry) return undefined;
  const target = targetAt(entry.manifest, offset);
  if (!target) return undefined;
  for (const provider of DEFINITION_PROVIDERS) {
    try {
      const r = provider({ workspace, entry, offset, target });
      if (r && r.locations.length) return r;
    } catch (e) {
      // Keep going: another provider may answer.
      reportContained('definition', e);
    }
  }
  return undefined;
}
