/**
 * Go to Definition: where a name under the cursor is defined (a Service for a DNS name, a
 * StatefulSet for a per-pod name, the Service an Ingress backend names...). Analyses register
 * providers; all answers are collected.
 */
import { targetAt } from './cursor';
import { dnsDefinition } from './net/dns/definition';
import type { DefinitionProvider, DefinitionResult } from './providers';
import type { Workspace } from './workspace';

export type { DefinitionContext, DefinitionProvider, DefinitionResult, Location } from './providers';

/** Providers in order of precedence: each analysis adds its provider to this list. */
const DEFINITION_PROVIDERS: readonly DefinitionProvider[] = [dnsDefinition];

/** Definitions at `offset` in `file` with the span of the word they explain. Never throws. */
export function definitionAt(workspace: Workspace, file: string, offset: number): DefinitionResult | undefined {
  const entry = workspace.get(file);
  if (!entry) return undefined;
  const target = targetAt(entry.manifest, offset);
  if (!target) return undefined;
  for (const provider of DEFINITION_PROVIDERS) {
    try {
      const r = provider({ workspace, entry, offset, target });
      if (r && r.locations.length) return r;
    } catch {
      // Keep going: another provider may answer.
    }
  }
  return undefined;
}
