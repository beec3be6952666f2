/**
 * DNS edges of the diagram: a workload that writes a name resolving to a Service, green when the
 * policies allow the connection the name stands for, red when they block it. The verdict is the one
 * the `dns-reference-blocked-by-policy` rule gives (same resolution per caller, same `blocks()`), so
 * a red edge and that diagnostic always agree. An edge is drawn only when the port is known: written,
 * or the Service's only port.
 */
import { dnsReferencesInFile, resolveName, resolvePort, type DnsReference } from '../net/dns';
import type { Protocol } from '../parse/views/protocol';
import type { Service } from '../parse/views/service';
import type { Workload } from '../parse/views/workload';
import { adminPolicyTitle, adminRuleName } from '../parse/admin';
import { blocks, evaluatedAsItself, governedByPolicy, policyList } from '../net/policy/reach';
import { adminPolicies } from '../net/policy/admin';
import { thirdPartyPolicies } from '../net/policy/thirdparty';
import { workloadName } from '../net/policy/peers';
import type { Workspace } from '../workspace';
import { nodeIdOfWorkload, serviceId, type GraphEdge } from './model';
import { policyInputs, workloadInputs } from './inputs';

/**
 * Verdicts of DNS edges kept across generations: a caller's and a target's inputs
 * ({@link workloadInputs}), their namespaces' policies ({@link policyInputs}), the protocol and port
 * → what blocks the connection (empty: allowed), as the words of an edge's explanation after the
 * port. Valid while the namespaces' labels, the cluster-wide tiers, third-party policies, pod
 * networks and the settings stay the same: the graph's state starts a new one on every whole build.
 */
export class VerdictCache {
  /** Caller namespace's policies → target namespace's → the rest of the inputs → verdict (nested: the long texts are hashed once each, not joined per lookup). */
  private readonly byPolicies = new Map<string, Map<string, Map<string, readonly string[]>>>();
  private size = 0;

  get(policiesA: string, policiesB: string, rest: string): readonly string[] | undefined {
    return this.byPolicies.get(policiesA)?.get(policiesB)?.get(rest);
  }

  set(policiesA: string, policiesB: string, rest: string, verdict: readonly string[]): void {
    // Bounded: past this, verdicts are judged again (the next whole build starts a new cache).
    if (this.size >= 200_000) return;
    let byB = this.byPolicies.get(policiesA);
    if (!byB) this.byPolicies.set(policiesA, (byB = new Map()));
    let byRest = byB.get(policiesB);
    if (!byRest) byB.set(policiesB, (byRest = new Map()));
    if (!byRest.has(rest)) this.size++;
    byRest.set(rest, verdict);
  }
}

/** The words of each block of `caller` → `target` on the port (empty: allowed). */
function verdictOf(ws: Workspace, caller: Workload, t: Target): string[] {
  return blocks(ws, caller, t.workload, t.protocol, t.port).map(x => x.decidedBy
    ? `denied at ${x.direction} by ${adminPolicyTitle(x.decidedBy.policy)} rule ${adminRuleName(x.decidedBy.rule)}`
    : x.dependsOnCni
    ? `may be blocked at ${x.direction} by ${policyList(x.policies)}, depending on whether the CNI matches pod addresses with an ipBlock`
    : `blocked at ${x.direction} by ${policyList(x.policies)} (no ${x.direction} rule allows it)`);
}

/** {@link verdictOf}, from `cache` when the same inputs were judged before (never with cluster-wide tiers or third-party policies). */
function cachedVerdict(ws: Workspace, caller: Workload, t: Target, cache: VerdictCache | undefined): readonly string[] {
  if (!cache || adminPolicies(ws).length > 0 || thirdPartyPolicies(ws).length > 0) return verdictOf(ws, caller, t);
  const a = caller.object.namespace;
  const b = t.workload.object.namespace;
  const policiesA = policyInputs(ws, a);
  const policiesB = a === b ? '' : policyInputs(ws, b);
  const rest = `${t.protocol} ${t.port}\u0000${workloadInputs(caller)}\u0000${evaluatedAsItself(ws, caller)}\u0000${workloadInputs(t.workload)}\u0000${evaluatedAsItself(ws, t.workload)}`;
  let v = cache.get(policiesA, policiesB, rest);
  if (!v) {
    v = verdictOf(ws, caller, t);
    cache.set(policiesA, policiesB, rest, v);
  }
  return v;
}

interface Target { readonly protocol: Protocol; readonly port: number; readonly workload: Workload }

/** The Service a caller reaches by the name, and the pod ports behind it; undefined when unknown. */
function resolveFor(ws: Workspace, ref: DnsReference, caller: Workload): { service: Service; fqdn: string; targets: Target[] } | undefined {
  const r = resolveName(ws, ref.host, ref.namespace, { workload: caller });
  if (!r.found || r.unknown || !r.service || r.service.type === 'ExternalName') return undefined;
  const port = ref.port ?? (r.service.ports.length === 1 ? r.service.ports[0]!.port : undefined);
  if (port === undefined) return undefined;
  const p = resolvePort(r, port);
  const protocol = p.servicePort ? p.servicePort.protocol : 'TCP';
  if (!p.exposed || !protocol) return undefined;
  const targets = p.direct
    ? r.workloads.map(workload => ({ protocol, port, workload }))
    : (p.resolvedTargetPorts ?? []).flatMap(t => (t.port === undefined ? [] : [{ protocol, port: t.port, workload: t.workload }]));
  return { service: r.service, fqdn: r.fqdn ?? ref.host, targets: targets.filter(t => governedByPolicy(t.workload)) };
}

/** One edge per (reference, calling workload) whose name resolves to a Service with pods and a known port. */
export function dnsEdges(ws: Workspace): GraphEdge[] {
  return ws.fileNames.flatMap(f => dnsEdgesOfFile(ws, f).edges);
}

/**
 * The DNS edges of the references written in one file, and the namespaces they depend on: the
 * callers' and every namespace the names may resolve into (each dotted label of a name, the
 * caller's for a short name). The edges change only when the file or one of those namespaces does.
 * With `verdicts`, a connection judged before on the same inputs is not judged again.
 */
export function dnsEdgesOfFile(ws: Workspace, file: string, verdicts?: VerdictCache): { edges: GraphEdge[]; namespaces: Set<string> } {
  const out: GraphEdge[] = [];
  const namespaces = new Set<string>();
  // An edge's id numbers the references from one caller to one Service in the file (in file order),
  // not their offsets: typing above a reference moves it, and its edge keeps its id.
  const ordinals = new Map<string, number>();
  for (const ref of dnsReferencesInFile(ws, file)) {
    namespaces.add(ref.namespace);
    for (const label of ref.host.toLowerCase().split('.')) namespaces.add(label);
    for (const w of ref.workloads) namespaces.add(w.object.namespace);
    if (ref.source === 'ingress') continue;
    for (const caller of ref.workloads) {
      if (!governedByPolicy(caller)) continue;
      const res = resolveFor(ws, ref, caller);
      if (!res || res.targets.length === 0) continue;
      const lines: string[] = [];
      let blocked = false;
      for (const t of res.targets) {
        const where = `${t.protocol} ${t.port} to ${workloadName(t.workload)}`;
        const b = cachedVerdict(ws, caller, t, verdicts);
        if (b.length === 0) lines.push(`${where}: allowed`);
        else blocked = true;
        for (const x of b) lines.push(`${where}: ${x}`);
      }
      const source = nodeIdOfWorkload(caller);
      const target = serviceId(res.service.object.namespace, res.service.object.name);
      for (const t of res.targets) namespaces.add(t.workload.object.namespace);
      namespaces.add(res.service.object.namespace);
      const base = `dns:${source}->${target}@${ref.file}`;
      const ordinal = ordinals.get(base) ?? 0;
      ordinals.set(base, ordinal + 1);
      out.push({
        id: `${base}#${ordinal}`, kind: 'dns', source, target,
        label: ref.port !== undefined ? `${ref.host}:${ref.port}` : ref.host,
        status: blocked ? 'blocked' : 'allowed',
        explanation: [`${ref.key ? `${ref.key}: ` : ''}${ref.host} resolves to ${res.fqdn}`, ...lines],
        sourceLocation: { file: ref.file, span: { start: ref.span.start, end: ref.span.end } },
      });
    }
  }
  return { edges: out, namespaces };
}
