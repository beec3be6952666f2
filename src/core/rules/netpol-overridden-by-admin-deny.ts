import { adminPolicyTitle, adminRuleName } from '../parse/admin';
import { runTier, type AdminDecision } from '../net/policy/admin';
import type { ConnectionSet } from '../net/policy/connections';
import { modelOf, ruleConns, type Model } from '../net/policy/model';
import type { PeerRef } from '../net/policy/peers';
import { portReason, reasonText, whyPair, type DecidingRule } from '../net/policy/why';
import type { Protocol } from '../parse/views/protocol';
import type { Workspace } from '../workspace';
import { inForce } from '../net/policy/reach';
import { thirdPartyPoliciesOn } from '../net/policy/thirdparty';
import { at } from '../parse/yaml';
import { defineRule, type Related } from './rule';
import { policyInForce } from './support/policy';
import { keySpan } from './support/text';

/**
 * The explanation of one pair the Deny decides (the subject class's pod on its side of the direction),
 * at the first port the rule allows: the admin rules that deny it, as `--explain` words them.
 */
function exampleWhy(ws: Workspace, m: Model, direction: 'ingress' | 'egress', subject: number, other: number, conns: ConnectionSet):
  { src: PeerRef; dst: PeerRef; protocol: Protocol; port: number; rules: readonly DecidingRule[] } | undefined {
  const a = m.classes[subject]!.peers[0]!;
  const b = m.classes[other]!.peers.find(i => i !== a);
  if (b === undefined) return undefined;
  const [src, dst] = direction === 'egress' ? [m.peers[a]!.ref, m.peers[b]!.ref] : [m.peers[b]!.ref, m.peers[a]!.ref];
  const protocol = (['TCP', 'UDP', 'SCTP'] as const).find(p => conns.portRanges(p).length > 0);
  if (!protocol) return undefined;
  const port = conns.portRanges(protocol)[0]!.first;
  const why = whyPair(ws, src, dst);
  if (!why) return undefined;
  const rules = portReason(why, direction, protocol, port).rules.filter(x => x.kind === 'AdminNetworkPolicy');
  return rules.length ? { src, dst, protocol, port, rules } : undefined;
}

/**
 * A NetworkPolicy rule whose every allowed connection, toward every pod of the workspace it
 * matches, an admin-tier Deny decides first: the allow never takes effect.
 */
export default defineRule({
  id: 'netpol-overridden-by-admin-deny',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'Everything a NetworkPolicy rule allows is denied first by an AdminNetworkPolicy (or Admin tier ClusterNetworkPolicy) rule.',
    rationale: 'The admin tier is evaluated before NetworkPolicies, and its Deny is final: no NetworkPolicy can allow that traffic back. A rule that looks right in its namespace then does nothing, and the application owner cannot see why from the namespace. The rule speaks only when the workspace holds the pods on both sides, only when the Deny covers every port the rule allows toward every pod pair it matches, and never for pods a Calico or Cilium policy may also select.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p) return;
    const ws = ctx.workspace;
    const m = modelOf(ws);
    if (!m.admin.any) return;
    const cp = m.policies.find(c => c.policy.object === object);
    if (!cp) return;
    const spec = at(object.doc, object.node, 'spec');
    for (const direction of ['ingress', 'egress'] as const) {
      if (!(direction === 'ingress' ? p.isolatesIngress : p.isolatesEgress)) continue;
      const tier = direction === 'ingress' ? m.admin.adminIngress : m.admin.adminEgress;
      for (const r of cp[direction]) {
        if (r.allPeers || r.peers.some(x => x.kind !== 'selector' || x.ingressController)) continue;
        let pairs = 0;
        let overridden = true;
        const deciders = new Map<string, AdminDecision>();
        // One pair and port the Deny decides: its explanation object gives the words of the message.
        let example: { subject: number; other: number; conns: ConnectionSet } | undefined;
        outer: for (const s of cp.selected) {
          const cls = m.classes[s]!;
          if (cls.peers.some(i => thirdPartyPoliciesOn(ws, m.peers[i]!.ref.workload).length)) { overridden = false; break; }
          for (const peer of r.peers) {
            for (const o of peer.classes) {
              if (o === s && cls.peers.length < 2) continue;
              const dstPorts = direction === 'ingress' ? cls.ports : m.classes[o]!.ports;
              const conns = ruleConns(r, dstPorts);
              if (conns.isEmpty()) continue;
              pairs++;
              const admin = runTier(tier[s]!, direction, { kind: 'pod', cls: o }, dstPorts);
              if (!conns.subtract(admin.denied).isEmpty()) { overridden = false; break outer; }
              for (const d of admin.decisions) {
                if (d.action === 'Deny' && !d.conns.intersect(conns).isEmpty()) deciders.set(`${d.policy.object.name} ${d.rule.index}`, d);
              }
              example ??= { subject: s, other: o, conns };
            }
          }
        }
        if (!overridden || pairs === 0 || deciders.size === 0) continue;
        const ds = [...deciders.values()];
        if (ds.some(d => !inForce(ws, d.policy))) continue;
        const ruleNode = at(object.doc, spec, direction, r.rule.index);
        const span = keySpan(object.doc, ruleNode, direction === 'ingress' ? 'from' : 'to') ?? r.rule.span;
        const related: Related[] = ds.map(d => ({
          file: d.policy.object.file,
          span: d.rule.action?.span ?? d.rule.span,
          message: `${adminPolicyTitle(d.policy)} denies it by ${direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${adminRuleName(d.rule)}`,
        }));
        const why = example && exampleWhy(ws, m, direction, example.subject, example.other, example.conns);
        const because = why ? `${why.src.id} => ${why.dst.id} on ${why.protocol} ${why.port}: ${reasonText(why.rules)}` : `${adminPolicyTitle(ds[0]!.policy)} rule ${adminRuleName(ds[0]!.rule)}`;
        ctx.report({
          span,
          message: `${direction === 'ingress' ? 'Ingress' : 'Egress'} rule #${r.rule.index + 1} of NetworkPolicy ${object.namespace}/${object.name} allows nothing in effect: an admin-tier Deny decides all of it first (${because})${ds.length > 1 ? ` (and ${ds.length - 1} more admin rules)` : ''}, and the admin tier's Deny is final.`,
          related,
        });
      }
    }
  },
});
