/**
 * What the API server's validation of the network-policy-api kinds rejects (the CRDs' OpenAPI and
 * CEL rules: priority 0-1000, at most 100 rules per direction (25 in v1alpha2), `from`/`to` with at
 * least one peer, exactly one field per subject, peer and port, known actions, valid CIDRs, a port
 * range that holds a port, no named port toward networks/nodes, the BANP named `default`), plus
 * a `portRange` whose end is below its start, which np-guard refuses too. A policy with any of these
 * is not in force: rules that conclude from verdicts abstain over it, and the validation rule
 * reports each problem at its node.
 */
import { parseCIDR } from '../ip';
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule } from '../../parse/admin';
import type { Span } from '../../span';
import type { Workspace } from '../../workspace';

export interface AdminProblem {
  readonly span: Span;
  readonly message: string;
}

const MAX_PORT = 65535;

function describe(p: AdminPolicy): string {
  return `${p.kind} "${p.object.name}"`;
}

function ruleTitle(r: AdminRule): string {
  return `${r.direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${r.name ? `"${r.name.value}"` : `#${r.index + 1}`}`;
}

function peerFields(p: AdminPeer): string[] {
  const out: string[] = [];
  if (p.namespaces) out.push('namespaces');
  if (p.pods) out.push('pods');
  if (p.nodes) out.push('nodes');
  if (p.networks) out.push('networks');
  if (p.domainNames) out.push('domainNames');
  return out;
}

function portProblems(p: AdminPolicy, r: AdminRule, port: AdminPort, out: AdminProblem[]): void {
  const v2 = p.kind === 'ClusterNetworkPolicy';
  if (port.kind === 'invalid') {
    out.push({
      span: port.span,
      message: v2
        ? `A protocols item of ${ruleTitle(r)} sets ${port.fieldCount} fields; exactly one of tcp, udp, sctp or destinationNamedPort must be set.`
        : `A ports item of ${ruleTitle(r)} sets ${port.fieldCount} fields; exactly one field must be set in an AdminNetworkPolicyPort (portNumber, namedPort or portRange).`,
    });
    return;
  }
  if (port.protocolText && !port.protocol) {
    out.push({ span: port.protocolText.span, message: `Protocol "${port.protocolText.value}" is not one of TCP, UDP, SCTP.` });
  }
  for (const n of [port.port, port.start, port.end]) {
    if (n && (n.value < 1 || n.value > MAX_PORT)) out.push({ span: n.span, message: `Port ${n.value} is outside 1-65535.` });
  }
  if (port.kind === 'range' && port.start && port.end && (port.end.value < port.start.value || (v2 && port.end.value === port.start.value))) {
    out.push({
      span: port.end.span,
      message: v2
        ? `Port range ${port.start.value}-${port.end.value} of ${ruleTitle(r)}: start must be less than end.`
        : `Port range ${port.start.value}-${port.end.value} of ${ruleTitle(r)} holds no port: end is below start.`,
    });
  }
  if (port.kind === 'number' && !port.port) out.push({ span: port.span, message: `A port of ${ruleTitle(r)} has no port number.` });
}

function ruleProblems(p: AdminPolicy, r: AdminRule, out: AdminProblem[]): void {
  const v2 = p.kind === 'ClusterNetworkPolicy';
  const max = v2 ? 25 : 100;
  const title = ruleTitle(r);
  const peerKey = r.direction === 'ingress' ? 'from' : 'to';
  if (!r.action) {
    out.push({ span: r.name?.span ?? r.span, message: `${title} of ${describe(p)} has no action.` });
  } else if (!r.actionValue) {
    const known = v2 ? 'Accept, Deny, Pass' : p.kind === 'BaselineAdminNetworkPolicy' ? 'Allow, Deny' : 'Allow, Deny, Pass';
    out.push({ span: r.action.span, message: `Action "${r.action.value}" of ${title} is an unrecognized action for ${p.kind}: it must be one of ${known}.` });
  }
  if (!r.peers || r.peers.length === 0) {
    out.push({
      span: r.peersKeySpan ?? r.name?.span ?? r.span,
      message: `${title} of ${describe(p)}: the ${peerKey} field must be defined and contain at least one item.`,
    });
  } else if (r.peers.length > max) {
    out.push({ span: r.peersKeySpan ?? r.span, message: `${title} lists ${r.peers.length} ${peerKey} peers; at most ${max} are allowed.` });
  }
  for (const peer of r.peers ?? []) {
    const fields = peerFields(peer);
    if (fields.length !== 1) {
      out.push({
        span: peer.span,
        message: `A ${peerKey} peer of ${title} sets ${fields.length ? fields.join(' and ') : 'no field'}; exactly one field must be set in a rule peer.`,
      });
      continue;
    }
    if (r.direction === 'ingress' && !peer.namespaces && !peer.pods) {
      out.push({ span: peer.span, message: `A from peer of ${title} sets ${fields[0]}; ingress peers select only namespaces or pods.` });
    }
    if (p.kind !== 'ClusterNetworkPolicy' && peer.domainNames) {
      out.push({ span: peer.span, message: `domainNames is a ClusterNetworkPolicy (v1alpha2) peer; ${p.kind} does not know it.` });
    }
    for (const n of peer.networks ?? []) {
      const c = parseCIDR(n.value);
      if (!c.ok) out.push({ span: n.span, message: `Networks entry "${n.value}" of ${title} is an invalid CIDR address.` });
    }
    if (peer.networks && peer.networks.length > 25) {
      out.push({ span: peer.span, message: `A networks peer of ${title} lists ${peer.networks.length} CIDRs; at most 25 are allowed.` });
    }
  }
  for (const port of r.ports ?? []) portProblems(p, r, port, out);
  const named = (r.ports ?? []).find(x => x.kind === 'named');
  const nonPod = (r.peers ?? []).find(x => x.networks || x.nodes || x.domainNames);
  if (named && nonPod) {
    out.push({
      span: named.name?.span ?? named.span,
      message: `Named port "${named.name?.value ?? ''}" of ${title} is set with a ${peerFields(nonPod)[0]} peer, which has no named ports; the API server rejects it.`,
    });
  }
}

/** Every validation problem of one policy, in document order. */
export function adminProblems(ws: Workspace, p: AdminPolicy): AdminProblem[] {
  const cache = ws.derived('policy:admin:problems', () => new Map<AdminPolicy, AdminProblem[]>());
  let out = cache.get(p);
  if (!out) cache.set(p, (out = problemsOf(p)));
  return out;
}

function problemsOf(p: AdminPolicy): AdminProblem[] {
  const out: AdminProblem[] = [];
  const o = p.object;
  const where = o.nameSpan ?? o.kindSpan;
  if (p.kind === 'BaselineAdminNetworkPolicy' && o.name !== 'default') {
    out.push({ span: where, message: `BaselineAdminNetworkPolicy "${o.name}" is not named default: only one baseline admin network policy with metadata.name=default can be created in the cluster.` });
  }
  if (p.kind !== 'BaselineAdminNetworkPolicy') {
    if (!p.priority) {
      out.push({ span: p.prioritySpan ?? p.keySpans.spec ?? where, message: `${describe(p)} has no integer priority (0-1000).` });
    } else if (p.priority.value < 0 || p.priority.value > 1000) {
      out.push({ span: p.priority.span, message: `Invalid priority ${p.priority.value} of ${describe(p)}: priority must be between 0-1000.` });
    }
  }
  if (p.kind === 'ClusterNetworkPolicy' && p.tierText?.value !== 'Admin' && p.tierText?.value !== 'Baseline') {
    out.push({ span: p.tierText?.span ?? p.keySpans.tier ?? p.keySpans.spec ?? where, message: `Tier ${p.tierText ? `"${p.tierText.value}"` : '(missing)'} of ${describe(p)} must be Admin or Baseline.` });
  }
  if (!p.subject) {
    out.push({ span: p.keySpans.subject ?? p.keySpans.spec ?? where, message: `${describe(p)} has no subject: exactly one of namespaces or pods must be set.` });
  } else {
    const fields = peerFields(p.subject);
    if (fields.length !== 1 || (!p.subject.namespaces && !p.subject.pods)) {
      out.push({
        span: p.keySpans.subject ?? p.subjectSpan ?? p.subject.span,
        message: `The subject of ${describe(p)} sets ${fields.length ? fields.join(' and ') : 'no field'}; exactly one field must be set in a subject (namespaces or pods).`,
      });
    }
  }
  const max = p.kind === 'ClusterNetworkPolicy' ? 25 : 100;
  for (const [dir, rules] of [['ingress', p.ingress], ['egress', p.egress]] as const) {
    if (rules.length > max) {
      out.push({ span: p.keySpans[dir] ?? where, message: `${describe(p)} has ${rules.length} ${dir} rules; at most ${max} are allowed.` });
    }
    for (const r of rules) ruleProblems(p, r, out);
  }
  return out;
}
