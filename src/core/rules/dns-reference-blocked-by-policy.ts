import { adminPolicyTitle, adminRuleName } from '../parse/admin';
import { LOOKUP_KINDS, lookupsOf } from '../net/dns/checks';
import { resolveName, resolvePort } from '../net/dns/resolve';
import type { DnsReference } from '../net/dns/references';
import { policyName, workloadId } from '../net/policy/index';
import { workloadName } from '../net/policy/peers';
import type { NetworkPolicy } from '../parse/views/policy';
import type { Protocol } from '../parse/views/protocol';
import type { Service } from '../parse/views/service';
import type { Workload } from '../parse/views/workload';
import type { Workspace } from '../workspace';
import { defineRule, relatedObject, type Edit, type Fix, type Related } from './rule';
import {
  appendPolicyRules, identityLabels, newPolicyAfter, podPeer, policyRule, policyToAmend,
} from './support/amend';
import type { YamlValue } from './support/emit';
import { blocks, governedByPolicy, policyList, type Block } from '../net/policy/reach';
import { reasonText } from '../net/policy/why';

/** Ports a URL scheme implies when the URL writes none. */
const SCHEME_PORTS: Readonly<Record<string, number>> = {
  http: 80, https: 443, postgres: 5432, postgresql: 5432, redis: 6379, mysql: 3306, mongodb: 27017, amqp: 5672,
};

/** The port of a reference: written, or implied by its URL's scheme. */
function portOf(text: string, ref: DnsReference): number | undefined {
  if (ref.port !== undefined) return ref.port;
  if (ref.form !== 'url') return undefined;
  // The scheme ends the text before the host, past any userinfo and earlier hosts of a multi-host URL.
  const lineStart = text.lastIndexOf('\n', ref.span.start - 1) + 1;
  const m = /([A-Za-z][A-Za-z0-9+.-]*):\/\/[^\s/?#'"<>`]*$/.exec(text.slice(lineStart, ref.span.start));
  return m ? SCHEME_PORTS[m[1]!.toLowerCase()] : undefined;
}

/** One caller → target pair the policies block. */
interface Hit {
  readonly caller: Workload;
  readonly target: Workload;
  readonly service: Service | undefined;
  readonly protocol: Protocol;
  readonly port: number;
  /** The port the reference names (the Service port when it maps to another targetPort). */
  readonly requested: number;
  readonly blocks: readonly Block[];
}

/** The blocked pairs behind one reference: every caller resolves it with its own resolver. */
function hitsOf(ws: Workspace, ref: DnsReference, port: number): Hit[] {
  const out: Hit[] = [];
  const seen = new Set<string>();
  for (const caller of ref.workloads) {
    if (!governedByPolicy(caller)) continue;
    const r = resolveName(ws, ref.host, ref.namespace, { workload: caller });
    if (!r.found || r.unknown || r.service?.type === 'ExternalName') continue;
    // A Service defined twice (overlays, an all-in-one copy) may select other pods in each copy:
    // which one is applied decides the answer, so say nothing rather than guess.
    if (r.service && ws.servicesIn(r.service.object.namespace).filter(s => s.object.name === r.service!.object.name).length > 1) continue;
    const p = resolvePort(r, port);
    if (!p.exposed) continue;
    const protocol = p.servicePort ? p.servicePort.protocol : 'TCP';
    if (!protocol) continue;
    const targets = p.direct
      ? r.workloads.map(workload => ({ workload, port: port as number | undefined }))
      : p.resolvedTargetPorts ?? [];
    for (const t of targets) {
      if (t.port === undefined || !governedByPolicy(t.workload)) continue;
      // In a render, policies other parts of the repository put in either namespace may allow it.
      if (ws.policiesElsewhere?.(caller.object.namespace) || ws.policiesElsewhere?.(t.workload.object.namespace)) continue;
      const key = `${workloadId(caller)} ${workloadId(t.workload)} ${t.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const b = blocks(ws, caller, t.workload, protocol, t.port);
      if (b.length) out.push({ caller, target: t.workload, service: r.service, protocol, port: t.port, requested: port, blocks: b });
    }
  }
  return out;
}

/**
 * One blocked side in words: which side denies the port, then why, quoting the deciding rules of the
 * pair's explanation object (the words `connectivity --explain` and the diagram's edge give).
 */
function blockSentence(h: Hit, b: Block): string {
  const what = `${h.protocol} ${h.port}${h.port !== h.requested ? ` (the targetPort of port ${h.requested})` : ''}`;
  const side = b.direction === 'egress' ? `egress of ${h.caller.object.name}` : `ingress of ${workloadId(h.target)}`;
  if (b.reason.length) return `${side} denies ${what}: ${reasonText(b.reason)}`;
  // Not reached (a block always has deciding rules); kept total.
  return `${side} denies ${what}: isolated by ${policyList(b.policies)}`;
}

/** The labels a rule should select the target by: its Service's selector, else the workload's own. */
function targetLabels(h: Hit): Record<string, string> {
  const sel = h.service?.selector;
  if (sel && sel.present && Object.keys(sel.matchLabels).length) return { ...sel.matchLabels };
  return identityLabels(h.target);
}

/** Edits adding the missing rules: one per amended policy and direction, new policies where only namespace-wide ones isolate. */
function fixOf(ws: Workspace, hits: readonly Hit[]): Fix | undefined {
  const amend = new Map<string, { policy: NetworkPolicy; direction: 'ingress' | 'egress'; rules: Map<string, YamlValue> }>();
  const created = new Map<string, { after: NetworkPolicy; w: Workload; name: string; direction: 'ingress' | 'egress'; rules: Map<string, YamlValue> }>();
  const targets: string[] = [];
  // A cluster-wide Deny cannot be undone by a NetworkPolicy rule: no fix then.
  if (hits.some(h => h.blocks.some(b => b.decidedBy))) return undefined;
  for (const h of hits) {
    for (const b of h.blocks) {
      const egress = b.direction === 'egress';
      const subject = egress ? h.caller : h.target;
      const peer = egress
        ? podPeer(targetLabels(h), h.target.object.namespace, h.caller.object.namespace)
        : podPeer(identityLabels(h.caller), h.caller.object.namespace, h.target.object.namespace);
      const rule = policyRule(b.direction, [peer], [{ protocol: h.protocol, port: h.port }]);
      const key = JSON.stringify(rule);
      const policy = policyToAmend(b.policies, b.direction);
      if (policy) {
        const k = `${b.direction} ${policy.object.file} ${policy.object.span.start}`;
        const e = amend.get(k) ?? { policy, direction: b.direction, rules: new Map() };
        e.rules.set(key, rule);
        amend.set(k, e);
        targets.push(`NetworkPolicy ${policyName({ policy })}`);
      } else {
        const name = egress
          ? `allow-${h.caller.object.name}-to-${h.target.object.name}`
          : `allow-${h.target.object.name}-from-${h.caller.object.name}`;
        const k = `${b.direction} ${workloadId(subject)}`;
        const e = created.get(k) ?? { after: b.policies[0]!, w: subject, name, direction: b.direction, rules: new Map() };
        e.rules.set(key, rule);
        created.set(k, e);
        targets.push(`new NetworkPolicy ${subject.object.namespace}/${name}`);
      }
    }
  }
  const edits: Edit[] = [];
  for (const e of amend.values()) {
    const edit = appendPolicyRules(ws, e.policy, e.direction, [...e.rules.values()]);
    if (!edit) return undefined;
    edits.push(edit);
  }
  for (const e of created.values()) {
    const edit = newPolicyAfter(ws, e.after, e.w, e.name, e.direction, [...e.rules.values()]);
    if (!edit) return undefined;
    edits.push(edit);
  }
  if (!edits.length) return undefined;
  const first = hits[0]!;
  return {
    title: `Allow ${first.protocol} ${first.port} from ${workloadName(first.caller)} to ${workloadName(first.target)} in ${[...new Set(targets)].join(', ')}`,
    preferred: true,
    edits,
  };
}

/**
 * A name:port a workload calls (env, args, command, or a ConfigMap it loads) that resolves to pods
 * the NetworkPolicies in force keep it from reaching on the resolved target port. One finding per
 * reference, naming every blocked caller → target pair (a ConfigMap loaded by several workloads).
 */
export default defineRule({
  id: 'dns-reference-blocked-by-policy',
  severity: 'warning',
  kinds: LOOKUP_KINDS,
  docs: {
    summary: 'A workload calls a name:port that resolves to pods, but NetworkPolicies (its egress or their ingress) do not allow that connection on the resolved target port.',
    rationale: 'Once a policy isolates a pod in a direction, only what some rule allows gets through, and a connection needs both the caller\'s egress and the destination\'s ingress. The name resolves and the Service exposes the port, so nothing but the policies says the call will time out: the application fails at run time with no error at apply time. The rule follows the name as the caller\'s resolver does (search path, per-pod and headless names go straight to the pods), maps the Service port to its targetPort per destination pod, and reports only certain blocks (an ipBlock that may hold pod addresses under the `all` reading counts as allowing). Host-network pods, ExternalName Services and callers that do not use cluster DNS are not judged.',
  },
  check(object, ctx) {
    const ws = ctx.workspace;
    const text = ctx.entry.manifest.text;
    for (const ref of lookupsOf(ws, object)) {
      if (!ref.workloads.length) continue;
      const port = portOf(text, ref);
      if (port === undefined) continue;
      const hits = hitsOf(ws, ref, port);
      if (!hits.length) continue;
      const h = hits[0]!;
      const more = hits.length > 1
        ? `; also blocked: ${hits.slice(1, 4).map(x => `${workloadName(x.caller)} → ${workloadId(x.target)}`).join(', ')}${hits.length > 4 ? ` and ${hits.length - 4} more` : ''}`
        : '';
      const related: Related[] = [];
      const seen = new Set<NetworkPolicy>();
      for (const x of hits) {
        for (const b of x.blocks) {
          if (b.decidedBy) {
            const r = b.decidedBy.rule;
            related.push({ file: b.decidedBy.policy.object.file, span: r.action?.span ?? r.span, message: `${adminPolicyTitle(b.decidedBy.policy)} rule ${adminRuleName(r)} denies it` });
            continue;
          }
          for (const p of b.policies) {
            if (seen.has(p)) continue;
            seen.add(p);
            related.push(relatedObject(p.object, `NetworkPolicy ${policyName({ policy: p })} isolates ${b.direction}`));
          }
        }
      }
      if (h.service) related.push(relatedObject(h.service.object));
      const fix = fixOf(ws, hits);
      // An ipBlock covering pod addresses is read differently by CNIs: then the block is only possible.
      const cni = h.blocks.every(b => b.dependsOnCni);
      ctx.report({
        span: { start: ref.span.start, end: ref.portSpan?.end ?? ref.span.end },
        message: cni
          ? `${workloadName(h.caller)} may be blocked from ${ref.host}:${port}, depending on the CNI: ${h.blocks.map(b => blockSentence(h, b)).join('; ')}, unless the CNI matches pod addresses with the ipBlock that covers them (Calico does; the API's documented intent is addresses outside the cluster)${more}`
          : `${workloadName(h.caller)} cannot reach ${ref.host}:${port}: ${h.blocks.map(b => blockSentence(h, b)).join('; ')}${more}`,
        ...(cni ? { severity: 'info' as const } : {}),
        related,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
