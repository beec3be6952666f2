/**
 * Go to Definition: where a name under the cursor is defined (a Service for a DNS name, a
 * StatefulSet for a per-pod name, the Service an Ingress backend names...). Analyses register
 * providers; all answers are collected.
 */
import { dnsDefinition } from './net/dns/definition';
import { firstAnswer, type DefinitionProvider, type DefinitionResult } from './providers';
import type { Workspace } from './workspace';

export type { DefinitionContext, DefinitionProvider, DefinitionResult, Location } from './providers';

/** Providers in order of precedence: each analysis adds its provider to this list. */
const DEFINITION_PROVIDERS: readonly DefinitionProvider[] = [dnsDefinition];

/** Definitions at `offset` in `file` with the span of the word they explain. Never throws. */
export function definitionAt(workspace: Workspace, file: string, offset: number): DefinitionResult | undefined {
  return firstAnswer(workspace, file, offset, DEFINITION_PROVIDERS, r => r.locations.length > 0);
}
