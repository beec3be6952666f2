/**
 * Hovers for the cluster-wide tiers: on a policy's subject (the workloads it applies to), on a rule
 * peer (what it selects), and the tier section of a workload's hover: every policy of every tier
 * that applies to it, in evaluation order, with the rules in the order they are tried, and the
 * Calico/Cilium policies its verdicts also depend on.
 */
import { pathMatches } from '../cursor';
import type { CompiledAdminPolicy } from '../net/policy/admin';
import { modelOf, type Model } from '../net/policy/model';
import { workloadId } from '../net/policy/peers';
import { thirdPartyPoliciesOn, thirdPartyTitle } from '../net/policy/thirdparty';
import { adminPolicyTitle, adminPolicyView, adminRuleName, type AdminPolicy, type AdminRule } from '../parse/admin';
import type { Workload } from '../parse/views/workload';
import type { HoverContext, HoverResult } from '../providers';
import { code, escape } from './markdown';

const MAX_LIST = 20;

function list(items: string[]): string[] {
  const shown = items.slice(0, MAX_LIST).map(i => `- ${i}`);
  if (items.length > MAX_LIST) shown.push(`- … and ${items.length - MAX_LIST} more`);
  return shown;
}

function workloadsOf(m: Model, classes: Iterable<number>): string[] {
  const out: string[] = [];
  for (const c of classes) for (const i of m.classes[c]!.peers) out.push(m.peers[i]!.ref.id);
  return out.sort();
}

function tierName(p: AdminPolicy): string {
  return p.tier === 'admin' ? 'admin tier' : 'baseline tier';
}

function heading(p: AdminPolicy): string {
  const prio = p.priority && p.kind !== 'BaselineAdminNetworkPolicy' ? `, priority ${p.priority.value}` : '';
  return `**${escape(adminPolicyTitle(p))}** (${tierName(p)}${prio})`;
}

function subjectHover(m: Model, cp: CompiledAdminPolicy): string {
  const p = cp.policy;
  const names = workloadsOf(m, cp.selected);
  const dirs = [p.ingress.length ? `${p.ingress.length} ingress` : '', p.egress.length ? `${p.egress.length} egress` : ''].filter(Boolean).join(' and ');
  return [
    `${heading(p)} applies to ${names.length} workload${names.length === 1 ? '' : 's'} of the workspace with ${dirs || 'no'} rule${p.ingress.length + p.egress.length === 1 ? '' : 's'}${dirs ? '' : ': it affects no traffic'}.`,
    '',
    ...list(names.map(code)),
  ].join('\n');
}

function peerHover(m: Model, cp: CompiledAdminPolicy, direction: 'ingress' | 'egress', ruleIndex: number, peerIndex: number): string | undefined {
  const rule = cp[direction][ruleIndex];
  const peer = rule?.peers[peerIndex];
  if (!rule || !peer) return undefined;
  const title = `**${direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${escape(adminRuleName(rule.rule))}** (${rule.action ?? 'unknown action'}), peer #${peerIndex + 1}`;
  switch (peer.kind) {
    case 'invalid': return `${title} sets ${peer.peer.fieldCount === 0 ? 'no field' : 'more than one field'}: the API rejects the policy.`;
    case 'ignored':
      return peer.peer.nodes
        ? `${title} selects nodes: node addresses are not evaluated here (the workspace has no node IPs), so this peer matches nothing in the connectivity.`
        : `${title} names domains: they cannot be resolved offline, so this peer is not evaluated (it matches nothing in the connectivity).`;
    case 'networks':
      return `${title} selects the addresses of ${(peer.peer.networks ?? []).map(n => code(n.value)).join(', ')}. Read as addresses outside the cluster (np-guard's reading; the API also applies it to pod addresses). IPv6 CIDRs count like IPv4 ones; the connectivity lists IPv6 ranges when a NetworkPolicy ipBlock names IPv6.`;
    case 'pods': {
      const names = workloadsOf(m, peer.classes);
      return [
        `${title} matches ${names.length} workload${names.length === 1 ? '' : 's'} as ${direction === 'ingress' ? 'sources' : 'destinations'}${peer.ingressController ? ' and the ingress controller' : ''}:`,
        '',
        ...list(names.map(code)),
      ].join('\n');
    }
  }
}

/** The hover on an ANP/BANP/CNP subject or rule peer, or undefined. */
export function adminHover(ctx: HoverContext): HoverResult | undefined {
  const { target } = ctx;
  const view = adminPolicyView(target.object);
  if (!view) return undefined;
  const m = modelOf(ctx.workspace);
  const cp = [...m.admin.admin, ...m.admin.baseline].find(c => c.policy.object === target.object);
  if (!cp) return undefined;
  const path = target.path;
  if (pathMatches(path, ['spec', 'subject', '**'])) return { markdown: subjectHover(m, cp), span: target.span };
  for (const [direction, key] of [['ingress', 'from'], ['egress', 'to']] as const) {
    if (pathMatches(path, ['spec', direction, '*', key, '*', '**'])) {
      const md = peerHover(m, cp, direction, Number(path[2]), Number(path[4]));
      return md ? { markdown: md, span: target.span } : undefined;
    }
  }
  return undefined;
}

function ruleLine(r: AdminRule): string {
  return `${escape(adminRuleName(r))} → ${r.actionValue ?? 'invalid action'}`;
}

/**
 * The tier section of a workload's hover: per direction, the admin policies in evaluation order,
 * then the NetworkPolicy tier, then the baseline tier; empty when no cluster-wide or third-party
 * policy applies to the workload.
 */
export function tierLines(ctx: HoverContext, w: Workload): string[] {
  const ws = ctx.workspace;
  const m = modelOf(ws);
  const out: string[] = [];
  const third = thirdPartyPoliciesOn(ws, w);
  if (third.length) {
    out.push('', `**Also selected by** (not evaluated here; every verdict below also depends on ${third.length === 1 ? 'it' : 'them'}):`,
      ...list(third.map(p => escape(thirdPartyTitle(p)))));
  }
  if (!m.admin.any) return out;
  const id = workloadId(w);
  const i = m.peers.findIndex(p => p.ref.id === id);
  if (i < 0) return out;
  const cls = m.classOfPeer[i]!;
  for (const direction of ['ingress', 'egress'] as const) {
    const admin = (direction === 'ingress' ? m.admin.adminIngress : m.admin.adminEgress)[cls]!;
    const base = (direction === 'ingress' ? m.admin.baselineIngress : m.admin.baselineEgress)[cls]!;
    if (!admin.length && !base.length) continue;
    const np = (direction === 'ingress' ? m.ingressPolicies : m.egressPolicies)[cls]!;
    out.push('', `**${direction === 'ingress' ? 'Ingress' : 'Egress'} tiers, in evaluation order** (the first rule that matches a connection decides):`);
    let n = 1;
    for (const p of admin) {
      const rules = p.policy[direction];
      out.push(`${n++}. ${heading(p.policy)}: ${rules.slice(0, 5).map(ruleLine).join('; ')}${rules.length > 5 ? `; … ${rules.length - 5} more` : ''}`);
    }
    out.push(np.length
      ? `${n++}. NetworkPolicies ${np.map(p => code(`${p.namespace}/${p.policy.object.name}`)).join(', ')}: decide alone what the admin tier passes or leaves (what they do not allow is denied; the baseline tier is not consulted)`
      : `${n++}. No NetworkPolicy isolates these pods for ${direction}: what the admin tier passes or leaves goes to the baseline tier`);
    if (!np.length) {
      for (const p of base) {
        const rules = p.policy[direction];
        out.push(`${n++}. ${heading(p.policy)}: ${rules.slice(0, 5).map(ruleLine).join('; ')}${rules.length > 5 ? `; … ${rules.length - 5} more` : ''}`);
      }
    }
    if (!np.length) out.push(`${n}. Anything left: allowed`);
  }
  return out;
}
