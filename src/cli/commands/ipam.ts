import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { Command } from '../command';
import { loadPaths, reportSkipped } from '../load';
import { formatIP, ipBits, nodeCapacity, parseCIDR } from '../../core/net/ip';
import { addressPlan, formatCount, roleName, type AddressPlan, type PlanEntry, type PlanProblem } from '../../core/net/ipam';
import { DEFAULT_SETTINGS } from '../../core/settings';
import type { Workspace } from '../../core/workspace';

function sizeOf(e: PlanEntry, plan: AddressPlan): string {
  if (!e.cidr) return `invalid: ${e.error}`;
  if (e.isAddress) return 'address';
  const n = formatCount(e.cidr.last - e.cidr.first + 1n);
  const pow = e.cidr.family === 6 ? ` (2^${ipBits(6) - e.cidr.prefix})` : '';
  let extra = '';
  if (e.role === 'podSubnet' || e.role === 'clusterCIDR' || e.role === 'podCIDRSetting') {
    const mask = plan.nodeMaskSize[e.cidr.family].size;
    extra = `, ${formatCount(nodeCapacity(e.cidr, mask).nodes)} nodes at /${mask}`;
  }
  if (e.role === 'ipPool' && e.blockSize !== undefined) extra = `, blockSize /${e.blockSize}`;
  return `${n} addresses${pow}${extra}${e.hostBitsSet ? `, host bits set (means ${e.canonical})` : ''}`;
}

function position(ws: Workspace, p: PlanProblem): string {
  if (!p.at) return 'settings';
  const pos = ws.get(p.at.file)?.manifest.lines.position(p.at.span.start);
  return pos ? `${p.at.file}:${pos.line + 1}:${pos.character + 1}` : `${p.at.file}:${p.at.line}`;
}

function sections(plan: AddressPlan): Array<[string, string, readonly PlanEntry[]]> {
  const other = plan.entries.filter(e => e.role === 'loadBalancerIP' || e.role === 'externalIP' || e.role === 'loadBalancerSourceRange');
  return [
    ['podRanges', 'Pod ranges', plan.podRanges],
    ['serviceRanges', 'Service ranges', plan.serviceRanges],
    ['nodePodCIDRs', 'Node podCIDRs', plan.nodePodCIDRs],
    ['clusterDNS', 'Cluster DNS', plan.clusterDNS],
    ['clusterIPs', 'Service clusterIPs', plan.clusterIPs],
    ['otherAddresses', 'Load balancer and external addresses', other],
    ['ipBlocks', 'NetworkPolicy ipBlocks', plan.ipBlocks.flatMap(b => [...(b.cidr ? [b.cidr] : []), ...b.except])],
  ];
}

function entryJSON(e: PlanEntry) {
  return {
    role: e.role,
    value: e.value,
    where: e.where,
    ...(e.cidr
      ? {
          canonical: e.canonical,
          family: e.cidr.family === 4 ? 'IPv4' : 'IPv6',
          prefix: e.cidr.prefix,
          first: formatIP(e.cidr.family, e.cidr.first),
          last: formatIP(e.cidr.family, e.cidr.last),
          size: (e.cidr.last - e.cidr.first + 1n).toString(),
          hostBitsSet: e.hostBitsSet,
        }
      : { error: e.error }),
    ...(e.blockSize !== undefined ? { blockSize: e.blockSize } : {}),
  };
}

/** `kube-netlens ipam PATH...`: the cluster address plan and every overlap or containment problem. */
export const ipam: Command = {
  name: 'ipam',
  summary: 'print the cluster address plan (pod, service, node, pool ranges, clusterIPs, ipBlocks) and its problems',
  usage: `kube-netlens ipam PATH... [--json] [--pod-cidr CIDR]... [--service-cidr CIDR]... [--ipblock-reading external|all] [-n NS] [--max-file-size SIZE]\n${LOAD_USAGE}`,
  run(argv, io) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      'pod-cidr': { type: 'string', multiple: true },
      'service-cidr': { type: 'string', multiple: true },
      'ipblock-reading': { type: 'string' },
      ...LOAD_OPTIONS,
    });
    const cidrs = (name: string): string[] => {
      const list = (values[name] as string[] | undefined) ?? [];
      for (const c of list) {
        const r = parseCIDR(c);
        if (!r.ok) throw new UsageError(`--${name}: ${r.error}`);
      }
      return list;
    };
    const settings = {
      ...DEFAULT_SETTINGS,
      podCIDRs: cidrs('pod-cidr'),
      serviceCIDRs: cidrs('service-cidr'),
      ipBlockReading: choice(values['ipblock-reading'], 'ipblock-reading', ['external', 'all'] as const, 'external'),
    };
    const loaded = loadPaths(positionals, loadSettings(values, settings));
    const { workspace, warnings } = loaded;
    for (const w of warnings) io.err(`warning: ${w}`);
    reportSkipped(loaded, line => io.err(line));
    const plan = addressPlan(workspace);
    if (values.json) {
      io.out(JSON.stringify({
        nodeMaskSize: { IPv4: plan.nodeMaskSize[4], IPv6: plan.nodeMaskSize[6] },
        ...Object.fromEntries(sections(plan).map(([key, , es]) => [key, es.map(entryJSON)])),
        problems: plan.problems.map(p => ({
          rule: p.code, severity: p.severity, at: position(workspace, p), message: p.message,
          related: p.related.map(r => ({ where: r.entry.where, message: r.message })),
        })),
      }, null, 2));
      return 0;
    }
    for (const [, title, es] of sections(plan)) {
      io.out(`${title}${es.length ? '' : ': none'}`);
      const width = Math.max(0, ...es.map(e => e.value.length));
      for (const e of es) io.out(`  ${e.value.padEnd(width)}  ${roleName(e.role)}  ${e.where}  ${sizeOf(e, plan)}`);
    }
    for (const f of [4, 6] as const) {
      const m = plan.nodeMaskSize[f];
      io.out(`Node CIDR mask size (IPv${f}): /${m.size} ${m.where ? `from ${m.where}` : '(default)'}`);
    }
    io.out(plan.problems.length ? `Problems (${plan.problems.length})` : 'Problems: none');
    for (const p of plan.problems) io.out(`  ${position(workspace, p)} ${p.severity} ${p.code} ${p.message}`);
    return 0;
  },
};
