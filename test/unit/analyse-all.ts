/**
 * Runs every analysis the extension runs on a workspace, the way the editor would: rules for each
 * file, hovers and definitions at many offsets. Fuzz and pathological tests call this and require
 * that nothing throws.
 */
import { definitionAt } from '../../src/core/definition';
import { buildGraph } from '../../src/core/graph/build';
import { hoverAt } from '../../src/core/hover/index';
import { dnsReferences, resolveReference } from '../../src/core/net/dns/index';
import { planProblems } from '../../src/core/net/ipam';
import { connectivity, formatConnectivity } from '../../src/core/net/policy/index';
import { checkFile } from '../../src/core/rules/run';
import type { Workspace } from '../../src/core/workspace';

/** Every whole-workspace analysis, by name. */
export const WORKSPACE_ANALYSES: Record<string, (ws: Workspace) => unknown> = {
  objects: ws => ws.objects.length,
  namespaces: ws => ws.namespaces.size,
  addressPlan: ws => planProblems(ws).length,
  connectivity: ws => formatConnectivity(connectivity(ws), 'txt').length,
  connectivityAll: ws => connectivity(ws, { ipBlockReading: 'all' }).connections.length,
  graph: ws => JSON.stringify(buildGraph(ws, {})).length,
  dns: ws => dnsReferences(ws).map(r => resolveReference(ws, r)).length,
};

/** Runs everything; `offsets` caps how many cursor positions per file are tried. */
export function analyseAll(ws: Workspace, offsets = 40): void {
  for (const run of Object.values(WORKSPACE_ANALYSES)) run(ws);
  for (const file of ws.fileNames) {
    checkFile(ws, file, { 'workload-not-isolated': 'info' });
    const text = ws.get(file)!.manifest.text;
    const step = Math.max(1, Math.floor(text.length / offsets));
    for (let o = 0; o <= text.length; o += step) {
      hoverAt(ws, file, o);
      definitionAt(ws, file, o);
    }
  }
}
