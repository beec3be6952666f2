/**
 * Why a connection is allowed or denied: the verdict of each direction with the policy rules that
 * match, what each contributes, and the Ingress/Route paths for the ingress controller.
 */
import { adminPolicyTitle, adminRuleName } from '../../parse/admin';
import type { Workspace } from '../../workspace';
import type { AdminDecision } from './admin';
import { ConnectionSet } from './connections';
import {
  allowedBetween, directionVerdict, endpointOf, ingressPathsTo,
  type DirectionVerdict, type RuleContribution,
} from './evaluate';
import type { IngressPath } from './ingress';
import { modelOf, type IPBlockReading } from './model';
import type { PeerRef } from './peers';
import { thirdPartyPoliciesOn, thirdPartyTitle, type ThirdPartyPolicy } from './thirdparty';

/** The full reasoning for one ordered pair of peers. */
export interface Explanation {
  readonly src: PeerRef;
  readonly dst: PeerRef;
  readonly reading: IPBlockReading;
  /** Egress at the source. */
  readonly egress: DirectionVerdict;
  /** Ingress at the destination. */
  readonly ingress: DirectionVerdict;
  /** For the ingress controller as source: the Ingress/Route backends reaching the destination. */
  readonly ingressPaths: readonly IngressPath[];
  /** Calico/Cilium policies that may select the source (egress) or destination (ingress): the verdict also depends on them. */
  readonly notEvaluated: { readonly egress: readonly ThirdPartyPolicy[]; readonly ingress: readonly ThirdPartyPolicy[] };
  /** What is allowed in the end. */
  readonly conns: ConnectionSet;
  /** Plain text, one fact per line (manifest values verbatim: escape before putting in Markdown). */
  readonly text: string;
}

/** `ns/name` of a policy. */
export function policyName(c: RuleContribution | { policy: RuleContribution['policy'] }): string {
  const o = c.policy.object;
  return `${o.namespace || 'default'}/${o.name}`;
}

/** One sentence naming how the ipBlock reading in force treats pods. */
export function readingSentence(reading: IPBlockReading): string {
  return reading === 'external'
    ? 'ipBlock reading: external (an ipBlock matches only addresses outside the cluster, never a pod)'
    : 'ipBlock reading: all (an ipBlock also matches pods whose addresses may fall inside it)';
}

function directionLines(v: DirectionVerdict, self: PeerRef, other: PeerRef): string[] {
  const Dir = v.direction === 'egress' ? 'Egress' : 'Ingress';
  if (!v.applies) return [`${Dir} (Allowed): ${self.id} is not a pod, no NetworkPolicy applies`];
  if (v.tiers) return tieredLines(v, Dir, self, other);
  if (!v.isolated) return [`${Dir} (Allowed) due to the system default (Allow all): no NetworkPolicy selects ${self.id} for ${v.direction}`];
  const lines = [`${Dir} (${v.conns.isEmpty() ? 'Denied' : v.conns.isAll() ? 'Allowed' : `Allowed ${v.conns}`})`];
  for (const p of v.policies) {
    const o = p.object;
    const name = `${o.namespace || 'default'}/${o.name}`;
    const mine = v.contributions.filter(c => c.policy === p);
    const rules = v.direction === 'ingress' ? p.ingress : p.egress;
    if (mine.length === 0) {
      lines.push(`\tNetworkPolicy '${name}' selects ${self.id}, but ${other.id} is not allowed by any ${Dir} rule${rules && rules.length ? '' : ' (no rules defined)'}`);
      continue;
    }
    for (const c of mine) {
      const may = c.mayMatch ? ' (only if its address falls in the rule\'s ipBlock)' : '';
      lines.push(c.conns.isEmpty()
        ? `\tNetworkPolicy '${name}' selects ${self.id}, and ${Dir} rule #${c.ruleIndex + 1} selects ${other.id}${may}, but its ports match nothing on the destination`
        : `\tNetworkPolicy '${name}' allows ${c.conns} by ${Dir} rule #${c.ruleIndex + 1}${may}`);
    }
  }
  return lines;
}

/**
 * A direction decided through the cluster-wide tiers: the admin rules that decided (np-guard's
 * wording), then the NetworkPolicy tier when it isolates the pod, then the baseline rules, then the
 * default for what no tier decided.
 */
function tieredLines(v: DirectionVerdict, Dir: string, self: PeerRef, other: PeerRef): string[] {
  const t = v.tiers!;
  const lines = [`${Dir} (${v.conns.isEmpty() ? 'Denied' : v.conns.isAll() ? 'Allowed' : `Allowed ${v.conns}`})`];
  const ruleLine = (d: AdminDecision) => {
    const part = d.conns.isAll() ? '' : ` (${d.conns})`;
    return `\t${adminPolicyTitle(d.policy)} ${d.action === 'Allow' ? 'allows' : d.action === 'Deny' ? 'denies' : 'passes'} connections by ${Dir} rule ${adminRuleName(d.rule)}${part}`;
  };
  for (const d of t.admin?.decisions ?? []) lines.push(ruleLine(d));
  if (!t.networkPolicyDecided.isEmpty()) {
    lines.push(...directionLines({ ...v, tiers: undefined }, self, other).slice(1));
  }
  for (const d of t.baseline?.decisions ?? []) lines.push(ruleLine(d));
  if (!t.defaultAllowed.isEmpty()) {
    lines.push(`\t${Dir} ${t.defaultAllowed.isAll() ? '' : `${t.defaultAllowed} `}allowed due to the system default (Allow all): no rule of any tier decides it`);
  }
  return lines;
}

/** Explains the connection from `src` to `dst` under `reading` (default: the workspace setting). */
export function explainPair(ws: Workspace, src: PeerRef, dst: PeerRef, reading: IPBlockReading = ws.settings.ipBlockReading): Explanation {
  const m = modelOf(ws, reading);
  const s = endpointOf(m, src);
  const d = endpointOf(m, dst);
  const none: DirectionVerdict = { direction: 'egress', applies: false, isolated: false, policies: [], contributions: [], conns: ConnectionSet.none() };
  const egress = s && d ? directionVerdict(m, 'egress', s, d) : none;
  const ingress = s && d ? directionVerdict(m, 'ingress', d, s) : { ...none, direction: 'ingress' as const };
  const ingressPaths = src.kind === 'ingress-controller' ? ingressPathsTo(ws, dst)?.paths ?? [] : [];
  const conns = allowedBetween(ws, src, dst, reading);
  const lines = [`Connections between ${src.id} => ${dst.id}: ${conns.isEmpty() ? 'none allowed' : conns.toString()}`];
  lines.push(...directionLines(egress, src, dst), ...directionLines(ingress, dst, src));
  if (src.kind === 'ingress-controller') {
    if (ingressPaths.length === 0) lines.push(`No Ingress or Route reaches ${dst.id}`);
    for (const p of ingressPaths) {
      const o = p.ingress.object;
      lines.push(`${o.kind} '${o.namespace || 'default'}/${o.name}' allows ${p.conns} through service ${p.service.object.name}`);
    }
  }
  if (src.kind === 'external' || dst.kind === 'external' || egress.contributions.some(c => c.mayMatch) || ingress.contributions.some(c => c.mayMatch)) {
    lines.push(readingSentence(reading));
  }
  const notEvaluated = { egress: [] as ThirdPartyPolicy[], ingress: [] as ThirdPartyPolicy[] };
  for (const [peer, side] of [[src, 'egress'], [dst, 'ingress']] as const) {
    if (peer.kind !== 'workload') continue;
    const others = thirdPartyPoliciesOn(ws, peer.workload);
    notEvaluated[side] = others;
    if (others.length) {
      lines.push(`The ${side} of ${peer.id} also depends on ${others.slice(0, 3).map(thirdPartyTitle).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''} (not evaluated)`);
    }
  }
  return { src, dst, reading, egress, ingress, ingressPaths, conns, notEvaluated, text: lines.join('\n') };
}
