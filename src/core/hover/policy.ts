/**
 * Policy hovers: on a NetworkPolicy's `spec.podSelector` (what it selects and isolates), on a rule
 * peer's selectors (what that peer admits, with AND semantics spelled out), on an ipBlock (the
 * reading in force), and on a workload's pod labels (which policies select it, what they let in and out).
 */
import { pathMatches } from '../cursor';
import { connectivityReport } from '../net/policy/evaluate';
import { readingSentence } from '../net/policy/explain';
import { isolation, peerMatches, policiesSelecting, workloadsSelectedBy } from '../net/policy/index';
import { tiersApply } from '../net/policy/admin';
import { modelOf } from '../net/policy/model';
import { workloadId } from '../net/policy/peers';
import { governedByPolicy } from '../net/policy/reach';
import { formatSelector } from '../net/selectors';
import { adminKindOf } from '../parse/admin';
import { rejections } from '../parse/validate';
import { networkPolicyView, type NetworkPolicy } from '../parse/views/policy';
import { workloadView, type Workload } from '../parse/views/workload';
import type { HoverContext, HoverResult } from '../providers';
import { adminHover, tierLines } from './admin';
import { code, escape } from './markdown';

const MAX_LIST = 20;

function list(items: string[]): string[] {
  const shown = items.slice(0, MAX_LIST).map(i => `- ${i}`);
  if (items.length > MAX_LIST) shown.push(`- … and ${items.length - MAX_LIST} more`);
  return shown;
}

function policyRef(p: NetworkPolicy): string {
  return code(`${p.object.namespace}/${p.object.name}`);
}

function directions(p: NetworkPolicy): string {
  return p.isolatesIngress && p.isolatesEgress ? 'ingress and egress'
    : p.isolatesIngress ? 'ingress' : p.isolatesEgress ? 'egress' : 'neither direction';
}

/** `1 workload`, `3 workloads`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function podSelectorHover(ctx: HoverContext, policy: NetworkPolicy): string {
  const selected = workloadsSelectedBy(ctx.workspace, policy);
  const ns = policy.object.namespace;
  const what = `namespace ${code(ns)} (selector ${code(formatSelector(policy.podSelector))})`;
  const lines = [
    selected.length
      ? `**NetworkPolicy ${policyRef(policy)}** selects ${count(selected.length, 'workload')} of ${what} and isolates ${selected.length === 1 ? 'it' : 'them'} for **${directions(policy)}**.`
      : `**NetworkPolicy ${policyRef(policy)}** selects no workload of the workspace in ${what}; the pods it selects are isolated for **${directions(policy)}**.`,
    '',
    ...list(selected.map(w => code(workloadId(w)))),
  ];
  if (!policy.isolatesEgress && policy.egress && policy.egress.length > 0) {
    lines.push('', 'Its `egress` rules have no effect: `policyTypes` does not list `Egress`.');
  }
  if (!policy.isolatesIngress && policy.ingress && policy.ingress.length > 0) {
    lines.push('', 'Its `ingress` rules have no effect: `policyTypes` does not list `Ingress`.');
  }
  return lines.join('\n');
}

function peerHover(ctx: HoverContext, policy: NetworkPolicy, direction: 'ingress' | 'egress', rule: number, index: number): string | undefined {
  const peer = (direction === 'ingress' ? policy.ingress : policy.egress)?.[rule]?.peers?.[index];
  if (!peer) return undefined;
  const ns = policy.object.namespace;
  const who = direction === 'ingress' ? 'sources' : 'destinations';
  const head = `**${direction === 'ingress' ? 'Ingress' : 'Egress'} rule #${rule + 1}, peer #${index + 1}** admits as ${who}`;
  if (peer.ipBlock) {
    const { cidr, except } = peer.ipBlock;
    const range = cidr ? `the addresses in ${code(cidr.value)}${except.length ? `, except ${except.map(e => code(e.value)).join(', ')}` : ''}` : 'no address (the ipBlock has no cidr)';
    return `${head}: ${range}.\n\n${escape(readingSentence(ctx.workspace.settings.ipBlockReading))}.`;
  }
  const { workloads, namespaces } = peerMatches(ctx.workspace, policy, peer);
  let meaning: string;
  if (peer.namespaceSelector && peer.podSelector) {
    meaning = `pods matching ${code(formatSelector(peer.podSelector))} **AND** in namespaces matching ${code(formatSelector(peer.namespaceSelector))} (both in one peer: they are combined with AND; as two list items they would be OR)`;
  } else if (peer.namespaceSelector) {
    meaning = `every pod in namespaces matching ${code(formatSelector(peer.namespaceSelector))}`;
  } else if (peer.podSelector) {
    meaning = `pods matching ${code(formatSelector(peer.podSelector))} in the policy's own namespace ${code(ns)} only`;
  } else {
    return 'This peer sets no selector and no ipBlock: the API rejects it, and it matches nothing.';
  }
  return [
    `${head}: ${meaning}.`,
    '',
    `Namespaces: ${namespaces.length ? namespaces.map(code).join(', ') : '_none in the workspace_'}`,
    '',
    ...(workloads.length ? [`Workloads (${workloads.length}):`, ...list(workloads.map(w => code(workloadId(w))))] : ['Workloads: _none in the workspace_']),
  ].join('\n');
}

function labelsHover(ctx: HoverContext, w: Workload): string {
  const ws = ctx.workspace;
  const id = workloadId(w);
  const selecting = policiesSelecting(ws, w);
  const iso = isolation(ws, w);
  const lines = [`**${code(id)}**`];
  const tiers = tierLines(ctx, w);
  const m = modelOf(ws);
  const i = m.peers.findIndex(p => p.ref.id === id);
  const tiered = (direction: 'ingress' | 'egress') => i >= 0 && tiersApply(m.admin, direction, m.classOfPeer[i]!);
  if (!governedByPolicy(w)) {
    lines.push('', 'These pods use the node\'s network (`hostNetwork: true`): their traffic has the node\'s addresses, and the NetworkPolicy API leaves how policies treat them to the network plugin. Rules and the diagram give no verdict on them; the lists below are np-guard\'s reading, which evaluates them like other pods.');
  }
  if (selecting.length === 0 && !tiered('ingress') && !tiered('egress')) {
    lines.push('', 'No NetworkPolicy selects these pods: all traffic in and out is allowed' + (tiers.length ? ' by the NetworkPolicy tier.' : '.'), ...tiers);
    return lines.join('\n');
  }
  if (selecting.length) lines.push('', 'Selected by:', ...list(selecting.map(p => `${policyRef(p)} (isolates ${directions(p)})`)));
  else lines.push('', 'No NetworkPolicy selects these pods.');
  lines.push(...tiers);
  const report = connectivityReport(ws);
  const summary = (dir: 'in' | 'out') => {
    const rows = report.connections.filter(c => (dir === 'in' ? c.dst.id : c.src.id) === id);
    return rows.map(c => `${code(dir === 'in' ? c.src.id : c.dst.id)}: ${escape(c.conns.toString())}`);
  };
  const incoming = summary('in');
  const outgoing = summary('out');
  const limitsIn = iso.ingress.length > 0 || tiered('ingress');
  const limitsOut = iso.egress.length > 0 || tiered('egress');
  const allowed = (title: string, limits: boolean, rows: string[], direction: string) => {
    if (!limits) lines.push('', `**${title}**: everything (not isolated for ${direction})`);
    else if (!rows.length) lines.push('', `**${title}**: nothing`);
    else lines.push('', `**${title}** (${count(rows.length, 'peer')}):`, ...list(rows));
  };
  allowed('Allowed in', limitsIn, incoming, 'ingress');
  allowed('Allowed out', limitsOut, outgoing, 'egress');
  // Both ends decide: a peer this workload's policies allow may still be missing (its own policies deny).
  if (limitsIn || limitsOut) lines.push('', '_A connection is listed when the egress of its source and the ingress of its destination both allow it._');
  if (report.connections.some(c => (c.src.id === id || c.dst.id === id) && (c.src.kind === 'external' || c.dst.kind === 'external'))) {
    lines.push('', `_${escape(readingSentence(report.reading))}._`);
  }
  return lines.join('\n');
}

/** The policy hover at the cursor, or undefined when the cursor is not on a policy-relevant field. */
export function policyHover(ctx: HoverContext): HoverResult | undefined {
  const { target } = ctx;
  const o = target.object;
  const path = target.path;
  if (adminKindOf(o)) return adminHover(ctx);
  if (o.kind === 'NetworkPolicy') {
    const policy = networkPolicyView(o);
    if (!policy) return undefined;
    // A policy the API server rejects is not in force: say so instead of what it would select.
    const rejected = rejections(o);
    const answer = (md: string) => ({
      markdown: rejected.length
        ? [`**NetworkPolicy ${policyRef(policy)}** is rejected by the API server, so it is not in force: it selects, isolates and allows nothing.`, '', ...rejected.slice(0, 3).map(r => `- ${escape(r.message)}`)].join('\n')
        : md,
      span: target.span,
    });
    if (pathMatches(path, ['spec', 'podSelector', '**'])) return answer(podSelectorHover(ctx, policy));
    for (const [direction, key] of [['ingress', 'from'], ['egress', 'to']] as const) {
      for (const field of ['podSelector', 'namespaceSelector', 'ipBlock']) {
        if (pathMatches(path, ['spec', direction, '*', key, '*', field, '**'])) {
          const md = peerHover(ctx, policy, direction, Number(path[2]), Number(path[4]));
          return md ? answer(md) : undefined;
        }
      }
    }
    return undefined;
  }
  const w = workloadView(o);
  if (!w) return undefined;
  const labelsPath = o.kind === 'Pod' ? ['metadata', 'labels', '**']
    : o.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels', '**']
    : ['spec', 'template', 'metadata', 'labels', '**'];
  if (!pathMatches(path, labelsPath)) return undefined;
  return { markdown: labelsHover(ctx, w), span: target.span };
}
