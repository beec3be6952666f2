/**
 * DNS hovers: on a name a manifest uses (what it resolves to, through which search steps, the
 * Service's ports and the workloads behind it, or why it does not resolve); on a Service's
 * `metadata.name` (all its DNS names and SRV records); on a StatefulSet's name or serviceName, or a
 * pod template with hostname/subdomain (its per-pod names).
 */
import { pathMatches } from '../cursor';
import { referenceAt } from '../net/dns/cursor';
import { dnsNamesOf, hostnameFqdnOf, podDnsNamesOf, type DnsName } from '../net/dns/records';
import { resolveReference, type DnsReference } from '../net/dns/references';
import { resolvePort, type Resolution } from '../net/dns/resolve';
import { workloadId } from '../net/policy/peers';
import type { K8sObject } from '../parse/manifest';
import type { Service } from '../parse/views/service';
import type { Workload } from '../parse/views/workload';
import type { HoverContext, HoverResult } from '../providers';
import type { Workspace } from '../workspace';
import { code, escape, fileLabel, sourceLink } from './markdown';
import { MADE_BY_ANNOTATION, OPERATOR_FILE } from '../parse/operators';
import { BUILT_IN_FILE } from '../net/dns/builtin';

function objectLink(ws: Workspace, o: K8sObject): string {
  if (o.file === BUILT_IN_FILE) return '_built in_';
  if (o.file === OPERATOR_FILE) return `_made by the operator of ${escape(o.annotations[MADE_BY_ANNOTATION] ?? 'a custom resource')}_`;
  const lines = ws.get(o.file)?.manifest.lines;
  const span = o.nameSpan ?? o.span;
  return lines ? sourceLink(o.file, span, lines.position(span.start).line + 1) : code(fileLabel(o.file));
}

function servicePorts(s: Service): string {
  if (!s.ports.length) return 'no ports';
  return s.ports.map(p => {
    const name = p.name ? `${p.name} ` : '';
    const target = p.targetPort !== undefined && p.targetPort !== p.port ? ` → ${p.targetPort}` : '';
    return code(`${name}${p.port ?? '?'}/${p.protocol ?? 'TCP'}${target}`);
  }).join(', ');
}

function serviceKind(s: Service): string {
  if (s.type === 'ExternalName') return 'ExternalName';
  if (s.headless) return 'headless';
  return s.type;
}

function portLines(r: Resolution, port: number): string[] {
  const p = resolvePort(r, port);
  const s = r.service;
  if (!s || s.type === 'ExternalName') return [`Port ${code(String(port))}: goes straight to the destination`];
  if (p.direct) {
    return [p.exposed
      ? `Port ${code(String(port))}: straight to the pod (headless: no port mapping)`
      : `Port ${code(String(port))}: straight to the pod; neither the Service nor a container declares it (the pod may still listen on it)`];
  }
  if (!p.exposed) return [`**Port ${code(String(port))} is not exposed** by Service ${code(`${s.object.namespace}/${s.object.name}`)} (ports: ${servicePorts(s)}): the connection is refused`];
  const mapped = (p.resolvedTargetPorts ?? []).map(t =>
    `${code(workloadId(t.workload))} ${t.port === undefined ? `has no container port named ${code(String(p.targetPort))}` : `port ${code(String(t.port))}`}`);
  return [`Port ${code(String(port))} → targetPort ${code(String(p.targetPort))}${mapped.length ? ` (${mapped.join(', ')})` : ''}`];
}

/** Where the zone comes from: a manifest, or only the setting (kubelet's clusterDomain is rarely in a repository). */
function zoneText(ws: Workspace): string {
  const { value, source } = ws.clusterDomain;
  return source
    ? `zone ${code(value)} from ${escape(source.kind)} ${code(source.name || fileLabel(source.file))}`
    : `zone ${code(value)} assumed: no kubelet clusterDomain in the workspace, from the ${code('kubeNetlens.clusterDomain')} setting`;
}

function stepLines(ws: Workspace, r: Resolution): string[] {
  if (!r.steps.length) return [];
  const cfg = r.resolver;
  const out = [`Search (dnsPolicy ${escape(cfg.dnsPolicy)}, ndots:${cfg.ndots}; ${zoneText(ws)}):`, ''];
  r.steps.forEach((s, i) => out.push(`${i + 1}. ${code(s.candidate)} ${s.found ? '✓ ' : ''}${escape(s.outcome)}`));
  return out;
}

/** The Markdown for a reference's resolution. */
export function referenceMarkdown(ws: Workspace, ref: DnsReference, r: Resolution): string {
  const lines: string[] = [];
  if (r.found) {
    lines.push(`${code(ref.host)} → ${code(r.fqdn ?? '')} (${r.type})`, '');
    if (r.perPod && r.target) {
      const ord = r.perPod.ordinal !== undefined ? `pod ${r.perPod.ordinal} of ` : 'pods of ';
      lines.push(`${ord}${escape(r.target.kind)} ${code(`${r.target.namespace}/${r.target.name}`)} — ${objectLink(ws, r.target.object)}`, '');
    }
    if (r.service) {
      lines.push(`Service ${code(`${r.service.object.namespace}/${r.service.object.name}`)} (${escape(serviceKind(r.service))}) — ${objectLink(ws, r.service.object)}`, '');
      if (r.service.type !== 'ExternalName') lines.push(`Ports: ${servicePorts(r.service)}`, '');
    }
    if (ref.port !== undefined) lines.push(...portLines(r, ref.port), '');
    if (r.workloads.length) lines.push(`Reaches: ${r.workloads.map(w => code(workloadId(w))).join(', ')}`, '');
    if (r.note) lines.push(`_${escape(r.note)}_`, '');
  } else if (r.unknown) {
    lines.push(`${code(ref.host)} **may resolve** from namespace ${code(ref.namespace)}: the manifests cannot decide`, '', escape(r.reason ?? ''), '');
  } else {
    lines.push(`${code(ref.host)} **does not resolve** from namespace ${code(ref.namespace)}`, '', escape(r.reason ?? ''), '');
  }
  if (ref.source === 'configmap') {
    lines.push(ref.workloads.length
      ? `Used by ${ref.workloads.map(w => code(workloadId(w))).join(', ')} (resolved from namespace ${code(ref.namespace)})`
      : `No workload in the workspace loads this ConfigMap (resolved from namespace ${code(ref.namespace)})`, '');
  }
  lines.push(...stepLines(ws, r));
  return lines.join('\n').trim();
}

function namesTable(names: readonly DnsName[]): string[] {
  return names.map(n => `- ${code(n.name)} ${n.type} — ${escape(n.detail)}`);
}

function serviceNamesMarkdown(ws: Workspace, s: Service): string {
  const lines = [`**DNS names of Service ${code(`${s.object.namespace}/${s.object.name}`)}** (${escape(serviceKind(s))})`, '', ...namesTable(dnsNamesOf(ws, s))];
  if (s.type === 'ExternalName') lines.push('', '_No ports and no pods: NetworkPolicy cannot select it; allow the external address with an ipBlock._');
  else if (s.ports.some(p => !p.name)) lines.push('', '_Unnamed ports have no SRV record._');
  lines.push('', `From namespace ${code(s.object.namespace)}: ${code(s.object.name)}; from others: ${code(`${s.object.name}.${s.object.namespace}`)}`);
  return lines.join('\n');
}

function podNamesMarkdown(ws: Workspace, w: Workload): string {
  const { names, reason } = podDnsNamesOf(ws, w);
  const head = `**Per-pod DNS names of ${escape(w.kind)} ${code(`${w.object.namespace}/${w.object.name}`)}**`;
  const fqdn = hostnameFqdnOf(ws, w);
  const tail = fqdn === undefined ? [] : ['', fqdn.length > 64
    ? `**setHostnameAsFQDN: the pod's hostname would be ${code(fqdn)} (${fqdn.length} characters): Linux allows 64, so the pod does not start.**`
    : `setHostnameAsFQDN: the pod's own hostname is ${code(fqdn)} (${fqdn.length} of the 64 characters Linux allows).`];
  if (!names.length) return [`${head}\n\nNone: ${escape(reason ?? '')}`, ...tail].join('\n');
  return [head, '', ...namesTable(names), ...tail].join('\n');
}

/** The DNS hover provider (registered in index.ts). */
export function dnsHover(ctx: HoverContext): HoverResult | undefined {
  const { workspace: ws, entry, offset, target } = ctx;
  const ref = referenceAt(ws, entry.manifest.file, offset);
  if (ref) {
    const r = resolveReference(ws, ref);
    const span = ref.portSpan && offset >= ref.portSpan.start && offset <= ref.portSpan.end
      ? { start: ref.span.start, end: ref.portSpan.end }
      : ref.span;
    return { markdown: referenceMarkdown(ws, ref, r), span };
  }
  if (!target.scalar) return undefined;
  const o = target.object;
  const onName = pathMatches(target.path, ['metadata', 'name']);
  if (onName && o.kind === 'Service') {
    const s = entry.services.find(x => x.object === o);
    if (s) return { markdown: serviceNamesMarkdown(ws, s), span: target.scalar.span };
  }
  const w = entry.workloads.find(x => x.object === o);
  if (!w) return undefined;
  const onSubdomain = w.kind === 'StatefulSet'
    ? pathMatches(target.path, ['spec', 'serviceName'])
    : pathMatches(target.path, ['**', 'spec', 'subdomain']) || pathMatches(target.path, ['**', 'spec', 'hostname']);
  const hasNames = w.kind === 'StatefulSet' ? !!w.serviceName : !!w.subdomain;
  if ((onName && hasNames) || onSubdomain) return { markdown: podNamesMarkdown(ws, w), span: target.scalar.span };
  return undefined;
}
