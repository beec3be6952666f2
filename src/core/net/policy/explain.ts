/**
 * Why a connection is allowed or denied: the verdict of each direction with the policy rules that
 * match, what each contributes, and the Ingress/Route paths for the ingress controller.
 */
import type { Workspace } from '../../workspace';
import { ConnectionSet } from './connections';
import {
  allowedBetween, directionVerdict, endpointOf, ingressPathsTo,
  type DirectionVerdict, type RuleContribution,
} from './evaluate';
import type { IngressPath } from './ingress';
import { modelOf, type IPBlockReading } from './model';
import type { PeerRef } from './peers';
import { explanationText } from './format-explain';
import { readingSentence } from './reading';

export { readingSentence };
import { SYSTEM_DEFAULT, whyPair, type PairWhy } from './why';
import { thirdPartyPoliciesOn, thirdPartyTitle, type ThirdPartyPolicy } from './thirdparty';
import { unevaluatedRulesToward, type UnevaluatedAdminRule } from './admin';
import { adminPolicyTitle, adminRuleName } from '../../parse/admin';

/** `ClusterNetworkPolicy 'x' rule y (domainNames, ...)`, for the rules an explanation cannot evaluate. */
export function unevaluatedRuleText(u: UnevaluatedAdminRule): string {
  const why = u.peer === 'nodes' ? 'nodes: node addresses are not in the workspace' : 'domainNames: names are not resolved offline';
  return `${adminPolicyTitle(u.policy)} rule ${adminRuleName(u.rule)} (${why})`;
}

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
  /**
   * Toward an address: admin or baseline egress rules with a `nodes` or `domainNames` peer, reached
   * before the verdict is settled. Node addresses and DNS answers are not in the workspace, so the
   * verdict may differ for the addresses they stand for.
   */
  readonly unevaluatedRules: readonly UnevaluatedAdminRule[];
  /** What is allowed in the end. */
  readonly conns: ConnectionSet;
  /**
   * Per port, the verdict and the deciding rules of each direction (with their tier): the object
   * np-guard's explain layout, the diagram's edge hovers and the CLI all read. Undefined from the
   * ingress controller to a workload no Ingress or Route targets.
   */
  readonly why: PairWhy | undefined;
  /**
   * np-guard's words for the pair (`Connections between …`, then the Allowed and Denied groups), plus
   * the ipBlock reading when it matters (our fact, which np-guard's layout has no line for). Manifest
   * values verbatim: escape before putting in Markdown.
   */
  readonly text: string;
}

/** `ns/name` of a policy. */
export function policyName(c: RuleContribution | { policy: RuleContribution['policy'] }): string {
  const o = c.policy.object;
  return `${o.namespace}/${o.name}`;
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
  const why = whyPair(ws, src, dst, reading);
  let text = `Connections between ${src.id} => ${dst.id}:\n\n`;
  if (!why) text += `Denied connections:\n\tNo Ingress or Route reaches ${dst.id}\n`;
  else if (why.defaultOnly) text += `Allowed connections:\n\tAllowed TCP, UDP, SCTP due to ${SYSTEM_DEFAULT}\n`;
  else text += explanationText(why);
  if (src.kind === 'external' || dst.kind === 'external' || egress.contributions.some(c => c.mayMatch) || ingress.contributions.some(c => c.mayMatch)) {
    text += `\n${readingSentence(reading)}\n`;
  }
  const external = src.kind === 'external' || dst.kind === 'external';
  const mapped = external ? [...egress.contributions, ...ingress.contributions].filter(c => c.mayMatch) : [];
  if (mapped.length) {
    // For addresses, a "may" match comes only from an IPv4-mapped IPv6 ipBlock value (model.ts BlockSets.uncertain).
    text += `\nThe connection may or may not be allowed: ${mapped.map(c => `${c.direction === 'ingress' ? 'Ingress' : 'Egress'} rule #${c.ruleIndex + 1} of NetworkPolicy ${c.policy.object.namespace}/${c.policy.object.name}`).join(', ')} matches these addresses only under one reading of an IPv4-mapped IPv6 ipBlock value (::ffff:…): Go-based network plugins read it as IPv4, others as IPv6\n`;
  }
  const notEvaluated = { egress: [] as ThirdPartyPolicy[], ingress: [] as ThirdPartyPolicy[] };
  for (const [peer, side] of [[src, 'egress'], [dst, 'ingress']] as const) {
    if (peer.kind !== 'workload') continue;
    const others = thirdPartyPoliciesOn(ws, peer.workload);
    notEvaluated[side] = others;
    if (others.length) {
      text += `\nThe ${side} of ${peer.id} also depends on ${others.slice(0, 3).map(thirdPartyTitle).join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''} (not evaluated)\n`;
    }
  }
  const unevaluatedRules = s?.kind === 'pod' && d?.kind === 'ip'
    ? unevaluatedRulesToward(m.admin, s.cls, { kind: 'ip', family: d.family, first: d.first, last: d.last }, egress.isolated)
    : [];
  if (unevaluatedRules.length) {
    text += `
The egress of ${src.id} toward these addresses may also be decided by ${unevaluatedRules.slice(0, 3).map(unevaluatedRuleText).join(', ')}${unevaluatedRules.length > 3 ? ` and ${unevaluatedRules.length - 3} more` : ''} (not evaluated)\n`;
  }
  return { src, dst, reading, egress, ingress, ingressPaths, conns, notEvaluated, unevaluatedRules, why, text: text.trimEnd() };
}
