/**
 * A connectivity diff as a SARIF 2.1.0 log: one result per added, removed or changed flow, located
 * on the policy rule that now allows (or the policy that now denies) it, else on the workload, so a
 * code-scanning UI shows it on the line of the pull request that caused it.
 */
import { decidingRulesFor, portDelta, type ConnectivityDiff, type PairDiff } from '../core/net/policy/diff';
import type { PeerRef } from '../core/net/policy/peers';
import type { DecidingRule } from '../core/net/policy/why';
import type { Span } from '../core/span';
import type { Workspace } from '../core/workspace';
import { regionOf, sarifLog, sarifRegion, uriOf, type Region } from './formats';

/** The result kinds of a connectivity diff, with their SARIF rule descriptors. */
export const DIFF_RULES = [
  { id: 'connectivity-added', level: 'warning', summary: 'A flow that was not allowed is now allowed.' },
  { id: 'connectivity-removed', level: 'note', summary: 'A flow that was allowed is now denied.' },
  { id: 'connectivity-changed', level: 'warning', summary: 'The ports allowed between two peers changed.' },
] as const;

/**
 * Where a span of the workspace is in the files the user edits: itself for a manifest read as it
 * is; a render's span maps to its base, patch or template (undefined when it has no source).
 */
export type Placer = (file: string, span: Span) => { file: string; region: Region } | undefined;

const inPlace = (ws: Workspace): Placer => (file, span) => ({ file, region: regionOf(ws, file, span) });

function location(place: Placer, file: string, span: Span, message?: string) {
  const at = place(file, span);
  if (!at) return undefined;
  return {
    physicalLocation: { artifactLocation: { uri: uriOf(at.file) }, region: sarifRegion(at.region) },
    ...(message ? { message: { text: message } } : {}),
  };
}

function ruleLocation(ws: Workspace, place: Placer, r: DecidingRule) {
  const o = r.object!;
  if (!ws.get(o.file)) return undefined;
  return location(place, o.file, r.rule?.span ?? o.span, r.text);
}

function workloadLocation(ws: Workspace, place: Placer, peer: PeerRef) {
  if (peer.kind !== 'workload') return undefined;
  const o = peer.workload.object;
  if (!ws.get(o.file)) return undefined;
  // The peer may come from the other side of the diff: find the same workload in this workspace.
  const here = ws.workloads.find(w => w.object.kind === o.kind && w.object.name === o.name && w.object.namespace === o.namespace && w.object.file === o.file);
  return here ? location(place, here.object.file, here.object.nameSpan ?? here.object.span, `workload ${peer.id}`) : undefined;
}

function messageOf(p: PairDiff, refLabel: string): string {
  const before = p.before ? p.before.toString() : 'No Connections';
  const after = p.after ? p.after.toString() : 'No Connections';
  const what = p.type === 'added' ? 'New flow' : p.type === 'removed' ? 'Removed flow' : 'Changed flow';
  const peers = [p.srcNewOrLost ? `${p.src.id} ${p.type}` : '', p.dstNewOrLost ? `${p.dst.id} ${p.type}` : ''].filter(Boolean);
  const on = p.network?.kind === 'NAD' ? ` on secondary network ${p.network.name}` : '';
  return `${what} ${p.src.id} => ${p.dst.id}${on}: ${after} (${refLabel}: ${before})${peers.length ? `; workload ${peers.join(', ')}` : ''}.`;
}

/** One set of workloads compared (the loose manifests, or one render), located in its work tree side. */
export interface DiffPart {
  readonly ws: Workspace;
  readonly diff: ConnectivityDiff;
  /** Default: spans are in the workspace's own files. */
  readonly place?: Placer;
  /** Added to each message when several parts are compared (`overlay deploy/overlays/dev`). */
  readonly label?: string;
}

/**
 * The SARIF log of `diff`, located in `ws` (the work tree side). `refLabel` names the base in the
 * messages (e.g. `HEAD~1`). Several parts (the loose manifests and each render) give one log.
 */
export function formatDiffSarif(ws: Workspace | readonly DiffPart[], diff: ConnectivityDiff | undefined, refLabel: string, version: string, helpUri: string): string {
  const parts: readonly DiffPart[] = Array.isArray(ws) ? ws : [{ ws: ws as Workspace, diff: diff! }];
  const results = parts.flatMap(p => partResults(p, refLabel));
  return sarifLog(version, DIFF_RULES.map(r => ({
    id: r.id, shortDescription: { text: r.summary }, helpUri, defaultConfiguration: { level: r.level },
  })), results);
}

function partResults({ ws, diff, place = inPlace(ws), label }: DiffPart, refLabel: string) {
  const index = new Map<string, number>(DIFF_RULES.map((r, i) => [r.id, i]));
  return diff.pairs.filter(p => p.type !== 'unchanged')
    .sort((a, b) => (a.src.id < b.src.id ? -1 : a.src.id > b.src.id ? 1 : a.dst.id < b.dst.id ? -1 : a.dst.id > b.dst.id ? 1 : 0))
    .map(p => {
      const id = `connectivity-${p.type}`;
      const { gained, lost } = portDelta(p);
      const rules = [
        ...(gained ? decidingRulesFor(ws, p.src, p.dst, gained, true, undefined, p.network) : []),
        ...(lost ? decidingRulesFor(ws, p.src, p.dst, lost, false, undefined, p.network) : []),
      ];
      const locs = rules.map(r => ruleLocation(ws, place, r)).filter((l): l is NonNullable<typeof l> => !!l);
      if (locs.length === 0) {
        for (const peer of [p.dst, p.src]) {
          const l = workloadLocation(ws, place, peer);
          if (l) { locs.push(l); break; }
        }
      }
      const [primary, ...related] = locs;
      return {
        ruleId: id,
        ruleIndex: index.get(id)!,
        level: DIFF_RULES[index.get(id)!]!.level,
        message: { text: `${messageOf(p, refLabel)}${label ? ` (in ${label})` : ''}` },
        ...(primary ? { locations: [primary] } : {}),
        ...(related.length ? { relatedLocations: related.map((l, i) => ({ id: i + 1, ...l })) } : {}),
        partialFingerprints: { flow: `${label ? `${label}:` : ''}${p.type}:${p.src.id}=>${p.dst.id}${p.network?.kind === 'NAD' ? `@${p.network.name}` : ''}` },
        properties: { source: p.src.id, destination: p.dst.id, before: p.before?.toString() ?? 'No Connections', after: p.after?.toString() ?? 'No Connections' },
      };
    });
}
