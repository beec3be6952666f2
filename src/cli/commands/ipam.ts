import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, NAMESPACE_OPTION, NAMESPACE_USAGE, parse, UsageError } from '../args';
import type { Command } from '../command';
import { loadPaths, reportSkipped } from '../load';
import { cidrRange } from '../../core/net/cidr-range';
import { formatIP, ipBits, nodeCapacity, parseCIDR } from '../../core/net/ip';
import { addressPlan, formatCount, planProblems, roleName, type AddressPlan, type PlanEntry, type PlanProblem } from '../../core/net/ipam';
import { DEFAULT_SETTINGS } from '../../core/settings';
import type { Workspace } from '../../core/workspace';

const isClusterPodRange = (e: PlanEntry) => e.role === 'podSubnet' || e.role === 'clusterCIDR' || e.role === 'podCIDRSetting';

/** Nodes the cluster pod range `e` can give a podCIDR at the node mask size. */
function nodesOf(e: PlanEntry, plan: AddressPlan): { nodes: bigint; mask: number } | undefined {
  if (!e.cidr || !isClusterPodRange(e)) return undefined;
  const mask = plan.nodeMaskSize[e.cidr.family].size;
  return { nodes: nodeCapacity(e.cidr, mask).nodes, mask };
}

function sizeOf(e: PlanEntry, plan: AddressPlan): string {
  if (!e.cidr) return `invalid: ${e.error}`;
  if (e.isAddress) return 'address';
  const n = formatCount(e.cidr.last - e.cidr.first + 1n);
  const pow = e.cidr.family === 6 ? ` (2^${ipBits(6) - e.cidr.prefix})` : '';
  let extra = '';
  const nodes = nodesOf(e, plan);
  if (nodes) extra = `, ${formatCount(nodes.nodes)} nodes at /${nodes.mask}`;
  if (e.role === 'ipPool' && e.blockSize !== undefined) extra = `, blockSize /${e.blockSize}`;
  return `${n} addresses${pow}${extra}${e.hostBitsSet ? `, host bits set (means ${e.canonical})` : ''}`;
}

/** 1-based line and column of a problem's place. */
function positionOf(ws: Workspace, p: PlanProblem): { file: string; line: number; column: number } | undefined {
  if (!p.at) return undefined;
  const pos = ws.get(p.at.file)?.manifest.lines.position(p.at.span.start);
  return pos ? { file: p.at.file, line: pos.line + 1, column: pos.character + 1 } : { file: p.at.file, line: p.at.line, column: 1 };
}

function position(ws: Workspace, p: PlanProblem): string {
  const pos = positionOf(ws, p);
  return pos ? `${pos.file}:${pos.line}:${pos.column}` : 'settings';
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

/** Where an entry is defined: `file` and `line` for a manifest, `setting` for a setting; the others null. */
function definedIn(e: PlanEntry): { file: string | null; line: number | null; setting: string | null } {
  return e.source ? { file: e.source.file, line: e.source.line, setting: null } : { file: null, line: null, setting: e.setting ?? e.where };
}

/** One entry as plain facts (docs/schemas/ipam.schema.json); sizes are decimal strings (IPv6 sizes exceed JSON numbers). */
function entryJSON(e: PlanEntry, plan: AddressPlan) {
  const range = e.canonical ? cidrRange(e.canonical) : undefined;
  const nodes = nodesOf(e, plan);
  return {
    role: e.role,
    value: e.value,
    ...definedIn(e),
    ...(e.cidr && range
      ? {
          canonical: e.canonical,
          family: e.cidr.family === 4 ? 'IPv4' : 'IPv6',
          prefix: range.prefix,
          first: formatIP(range.family, range.start),
          last: formatIP(range.family, range.end),
          size: range.size.toString(),
          hostBitsSet: e.hostBitsSet,
        }
      : { error: e.error ?? `${e.value} is not an IP address or CIDR` }),
    ...(nodes ? { nodes: nodes.nodes.toString(), nodeMaskSize: nodes.mask } : {}),
    ...(e.blockSize !== undefined ? { blockSize: e.blockSize } : {}),
  };
}

const maskJSON = (m: AddressPlan['nodeMaskSize'][4]) => ({ size: m.size, file: m.source?.file ?? null, line: m.source?.line ?? null });

/** `kube-netlens ipam PATH...`: the cluster address plan and every overlap or containment problem. */
export const ipam: Command = {
  name: 'ipam',
  docs: 'docs/cli/ipam.md',
  summary: 'print the cluster address plan (pod, service, node, pool ranges, clusterIPs, ipBlocks) and its problems',
  usage: `kube-netlens ipam PATH... [--json] [--pod-cidr CIDR]... [--service-cidr CIDR]... [--ipblock-reading external|all] [-n NS] [--max-file-size SIZE]\n${NAMESPACE_USAGE}\n${LOAD_USAGE}`,
  run(argv, io) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      'pod-cidr': { type: 'string', multiple: true },
      'service-cidr': { type: 'string', multiple: true },
      'ipblock-reading': { type: 'string' },
      ...LOAD_OPTIONS, ...NAMESPACE_OPTION,
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
    const problems = planProblems(workspace);
    if (values.json) {
      io.out(JSON.stringify({
        nodeMaskSize: { IPv4: maskJSON(plan.nodeMaskSize[4]), IPv6: maskJSON(plan.nodeMaskSize[6]) },
        ...Object.fromEntries(sections(plan).map(([key, , es]) => [key, es.map(e => entryJSON(e, plan))])),
        problems: problems.map(p => {
          const pos = positionOf(workspace, p);
          return {
            rule: p.code, severity: p.severity,
            file: pos?.file ?? null, line: pos?.line ?? null, column: pos?.column ?? null,
            message: p.message,
            related: p.related.map(r => ({ ...definedIn(r.entry), value: r.entry.value, message: r.message })),
          };
        }),
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
    io.out(problems.length ? `Problems (${problems.length})` : 'Problems: none');
    for (const p of problems) io.out(`  ${position(workspace, p)} ${p.severity} ${p.code} ${p.message}`);
    return 0;
  },
};
