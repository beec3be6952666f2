import { isSeq, type YAMLSeq } from 'yaml';
import { formatSelector, isEmptySelector, selectorMatches } from '../net/selectors';
import { objectRef } from '../parse/manifest';
import type { NetworkPolicy, PolicyRule } from '../parse/views/policy';
import type { Protocol } from '../parse/views/protocol';
import type { Workload } from '../parse/views/workload';
import { at, spanOf } from '../parse/yaml';
import type { Workspace } from '../workspace';
import { policyInForce } from './support/policy';
import { defineRule, type Fix } from './rule';
import { adminTierPolicies, firstAdminDecision } from '../net/policy/admin';
import { thirdPartyPolicies, thirdPartyPoliciesOn } from '../net/policy/thirdparty';
import type { ContainerPort } from '../parse/views/workload';
import { DNS_NAMESPACE, KUBE_DNS_LABELS, ruleAllowsDns } from './support/dns';
import { namespaceLabels, policyPods } from './support/select';
import { appendLinesAfter, dashPrefix, isBlock, keySpan, nameList } from './support/text';

/** The container ports of CoreDNS (kube-dns), for admin rules naming a port. */
const KUBE_DNS_PORTS: readonly ContainerPort[] = [
  { name: 'dns', containerPort: 53, protocol: 'UDP', span: { start: 0, end: 0 }, nameSpan: undefined, portSpan: undefined },
  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP', span: { start: 0, end: 0 }, nameSpan: undefined, portSpan: undefined },
];

interface Verdict {
  /** The policy the finding goes on: the first egress-isolating policy with egress rules. */
  readonly reporter: NetworkPolicy;
  readonly missing: Protocol[];
}

/**
 * An egress rule that allows nothing but the API server's port (6443, TCP). In-cluster clients reach
 * the API server at the address in KUBERNETES_SERVICE_HOST, not by a name: pods allowed nothing else
 * (metallb's controller) resolve no names. 443 is not taken: it is also every external HTTPS API.
 */
function apiServerOnly(r: PolicyRule): boolean {
  return !!r.ports?.length && r.ports.every(pt => pt.port === 6443 && pt.endPort === undefined && (pt.protocol ?? 'TCP') === 'TCP');
}

/**
 * DNS verdict for pods governed by `policies` (every policy that selects them and isolates egress).
 * Undefined when DNS is allowed, or when no egress is allowed at all: a deliberate deny-all egress
 * makes DNS moot.
 */
function verdict(ws: Workspace, policies: readonly NetworkPolicy[]): Verdict | undefined {
  const withRules = policies.filter(p => p.egress && p.egress.length > 0);
  const reporter = withRules[0];
  if (!reporter) return undefined;
  if (withRules.every(p => p.egress!.every(apiServerOnly))) return undefined;
  const allows = (proto: Protocol) => withRules.some(p => p.egress!.some(r => ruleAllowsDns(ws, p, r, proto)));
  const missing = (['UDP', 'TCP'] as const).filter(proto => !allows(proto));
  return missing.length ? { reporter, missing } : undefined;
}

/**
 * The verdict once the other tiers are taken into account: a protocol the admin tier allows or
 * denies before the NetworkPolicies are consulted is not theirs to allow; a Calico or Cilium policy
 * selecting the pods, or an admin `networks` rule reached first, makes the verdict unknowable.
 */
function tierFiltered(ws: Workspace, w: Workload, v: Verdict | undefined): Verdict | undefined {
  if (!v) return undefined;
  if (thirdPartyPoliciesOn(ws, w).length) return undefined;
  const ns = w.object.namespace;
  const subject = { namespace: ns, labels: w.podLabels, namespaceLabels: namespaceLabels(ws, ns) };
  const dns = { namespace: DNS_NAMESPACE, labels: KUBE_DNS_LABELS, namespaceLabels: namespaceLabels(ws, DNS_NAMESPACE) };
  const missing: Protocol[] = [];
  for (const proto of v.missing) {
    const d = firstAdminDecision(ws, subject, 'egress', dns, KUBE_DNS_PORTS, proto, 53);
    if (d === 'uncertain') return undefined;
    if (!d || d.action === 'Pass') missing.push(proto);
  }
  return missing.length ? { ...v, missing } : undefined;
}

/** Whether an admin-tier egress policy, or a Calico/Cilium policy, may apply in `namespace` (pods unknown). */
function otherTiersMayDecide(ws: Workspace, namespace: string): boolean {
  return adminTierPolicies(ws).some(p => p.egress.length > 0)
    || thirdPartyPolicies(ws).some(p => p.clusterWide || p.object.namespace === namespace);
}

function egressPoliciesFor(ws: Workspace, w: Workload): NetworkPolicy[] {
  return ws.policiesIn(w.object.namespace).filter(p => p.isolatesEgress && selectorMatches(p.podSelector, w.podLabels));
}

function dnsRuleLines(prefix: string): string[] {
  const c = ' '.repeat(prefix.length);
  return [
    `${prefix}to:`,
    `${c}- namespaceSelector:`,
    `${c}    matchLabels:`,
    `${c}      kubernetes.io/metadata.name: ${DNS_NAMESPACE}`,
    `${c}  podSelector:`,
    `${c}    matchLabels:`,
    ...Object.entries(KUBE_DNS_LABELS).map(([k, v]) => `${c}      ${k}: ${v}`),
    `${c}ports:`,
    `${c}- protocol: UDP`,
    `${c}  port: 53`,
    `${c}- protocol: TCP`,
    `${c}  port: 53`,
  ];
}

/** Egress isolation that leaves pods unable to resolve names. */
export default defineRule({
  id: 'netpol-egress-blocks-dns',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'Pods isolated for egress may reach some destinations, but no policy selecting them allows DNS (UDP and TCP port 53) to the cluster DNS.',
    rationale: 'Once a policy isolates egress, every connection must be allowed, DNS lookups included. Without port 53 to kube-dns the pods cannot resolve Service names, so the destinations the policy does allow are unreachable by name. DNS answers too large for UDP are retried over TCP, so both are needed. All policies that select the same pods are taken together, and the finding is reported once, on the first of them that has egress rules. Pods with no egress allowed at all (a deliberate deny-all) are not reported, nor pods allowed only the API server\'s port (TCP 6443), which in-cluster clients reach at the address in KUBERNETES_SERVICE_HOST.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p || !p.isolatesEgress || !p.egress?.length) return;
    const ws = ctx.workspace;
    // In a render, policies other parts of the repository put in this namespace may allow DNS.
    if (ws.policiesElsewhere?.(object.namespace)) return;
    const hits: Array<{ w: Workload | undefined; v: Verdict }> = [];
    const pods = policyPods(ws, p);
    if (pods.length) {
      for (const w of pods) {
        const v = tierFiltered(ws, w, verdict(ws, egressPoliciesFor(ws, w)));
        if (v?.reporter.object === object) hits.push({ w, v });
      }
    } else if (!ws.workloadsIn(object.namespace).length && !otherTiersMayDecide(ws, object.namespace)) {
      // No workloads here to go by: take the policies certain to select the same pods.
      const key = formatSelector(p.podSelector);
      const same = ws.policiesIn(object.namespace).filter(q => q.isolatesEgress
        && (q.object === object || formatSelector(q.podSelector) === key || isEmptySelector(q.podSelector)));
      const v = verdict(ws, same);
      if (v?.reporter.object === object) hits.push({ w: undefined, v });
    }
    if (!hits.length) return;
    const doc = object.doc;
    const spec = at(doc, object.node, 'spec');
    const egressType = p.policyTypesWritten?.find(t => t.value === 'Egress');
    const span = egressType?.span ?? keySpan(doc, spec, 'egress');
    if (!span) return;
    const missing = [...new Set(hits.flatMap(h => h.v.missing))];
    const udp = missing.includes('UDP');
    const who = hits[0]!.w ? nameList(hits.map(h => objectRef(h.w!.object)), 3) : `pods matching ${formatSelector(p.podSelector)}`;
    const text = ctx.entry.manifest.text;
    const fixes: Fix[] = [];
    const egressNode = at(doc, spec, 'egress');
    if (isSeq(egressNode) && isBlock(egressNode)) {
      const seq = egressNode as YAMLSeq;
      const first = spanOf(seq.items[0]);
      const prefix = first && dashPrefix(text, first.start);
      if (prefix) {
        fixes.push({
          title: 'Allow DNS to kube-dns (UDP and TCP 53)',
          preferred: true,
          edits: [{ file: object.file, ...appendLinesAfter(text, spanOf(seq)!.end, dnsRuleLines(prefix)) }],
        });
      }
    }
    ctx.report({
      span,
      message: udp
        ? `Egress isolation of ${who} allows no DNS to kube-dns (UDP port 53), so Service names cannot be resolved.`
        : `Egress isolation of ${who} allows DNS over UDP but not TCP port 53, so DNS answers too large for UDP fail.`,
      severity: udp ? 'warning' : 'info',
      fixes,
    });
  },
});
