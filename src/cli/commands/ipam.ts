import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { Command } from '../command';
import {
  loadProject, RENDER_OPTIONS, RENDER_USAGE, renderFlags, reportSkipped, skippedIn, sourcePosition, warnRenderProblems, worldsOf,
  type World,
} from '../load';
import type { RenderedProject } from '../../core/render/project';
import { cidrRange } from '../../core/net/cidr-range';
import { formatIP, ipBits, nodeCapacity, parseCIDR } from '../../core/net/ip';
import { addressPlan, formatCount, planProblems, roleName, type AddressPlan, type PlanEntry } from '../../core/net/ipam';
import { DEFAULT_SETTINGS } from '../../core/settings';

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

/** Places in one world, in the files the user edits (a render's places map to its sources). */
interface Places {
  /** 1-based line and column of a manifest value. */
  at(src: { file: string; span: { start: number; end: number } } | undefined): { file: string; line: number; column: number } | undefined;
  /** `file:line` of an entry (a setting's entry keeps `setting NAME`). */
  where(e: PlanEntry): string;
  /** An entry's place for the JSON output. */
  definedIn(e: PlanEntry): { file: string | null; line: number | null; setting: string | null };
  /** The ClusterConfiguration that sets a node mask, as `file:line`. */
  mask(m: AddressPlan['nodeMaskSize'][4]): { file: string; line: number } | undefined;
}

function placesIn(project: RenderedProject, world: World): Places {
  const source = project.lineSource;
  const at: Places['at'] = src => (src ? sourcePosition(project, world, src.file, src.span, source) : undefined);
  const entryAt = (e: PlanEntry) => (e.source ? at(e.source) : undefined);
  return {
    at,
    where: e => { const p = entryAt(e); return p ? `${p.file}:${p.line}` : e.where; },
    definedIn: e => {
      if (!e.source) return { file: null, line: null, setting: e.setting ?? e.where };
      const p = entryAt(e);
      return { file: p?.file ?? null, line: p?.line ?? null, setting: null };
    },
    mask: m => {
      if (!m.source) return undefined;
      const lines = world.workspace.get(m.source.file)?.manifest.lines;
      const start = lines ? lines.lineStart(m.source.line - 1) : 0;
      const p = lines ? at({ file: m.source.file, span: { start, end: start } }) : undefined;
      return p ? { file: p.file, line: p.line } : m.source;
    },
  };
}

function sections(plan: AddressPlan): Array<[string, string, readonly PlanEntry[]]> {
  const other = plan.entries.filter(e => e.role === 'loadBalancerIP' || e.role === 'externalIP' || e.role === 'loadBalancerSourceRange');
  return [
    ['podRanges', 'Pod ranges', plan.podRanges],
    ['serviceRanges', 'Service ranges', plan.knownServiceRanges],
    ['nodePodCIDRs', 'Node podCIDRs', plan.nodePodCIDRs],
    ['clusterDNS', 'Cluster DNS', plan.clusterDNS],
    ['clusterIPs', 'Service clusterIPs', plan.clusterIPs],
    ['otherAddresses', 'Load balancer and external addresses', other],
    ['ipBlocks', 'NetworkPolicy ipBlocks', plan.ipBlocks.flatMap(b => [...(b.cidr ? [b.cidr] : []), ...b.except])],
  ];
}

/** One entry as plain facts (docs/schemas/ipam.schema.json); sizes are decimal strings (IPv6 sizes exceed JSON numbers). */
function entryJSON(e: PlanEntry, plan: AddressPlan, places: Places) {
  const range = e.canonical ? cidrRange(e.canonical) : undefined;
  const nodes = nodesOf(e, plan);
  return {
    role: e.role,
    value: e.value,
    ...places.definedIn(e),
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

const maskJSON = (m: AddressPlan['nodeMaskSize'][4], places: Places) => {
  const at = places.mask(m);
  return { size: m.size, file: at?.file ?? null, line: at?.line ?? null };
};

/** `kube-netlens ipam PATH...`: the cluster address plan and every overlap or containment problem. */
export const ipam: Command = {
  name: 'ipam',
  docs: 'docs/cli/ipam.md',
  summary: 'print the cluster address plan (pod, service, node, pool ranges, clusterIPs, ipBlocks) and its problems',
  usage: `kube-netlens ipam PATH... [--json] [--pod-cidr CIDR]... [--service-cidr CIDR]... [--ipblock-reading external|all] [-n NS] [--max-file-size SIZE] [render options]\n`
    + `${RENDER_USAGE}\n${LOAD_USAGE}\n`
    + 'Kustomize overlays and Helm charts under PATH are rendered; each render gets its own plan (a `# <overlay or chart>` heading each;\n'
    + 'with --json, an array of plans, each naming its world), with locations in the source files.',
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RENDER_OPTIONS,
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
    const { project, warnings } = await loadProject(positionals, loadSettings(values, settings), renderFlags(values));
    for (const w of warnings) io.err(`warning: ${w}`);
    warnRenderProblems(project, io);
    const worlds = worldsOf(project);
    reportSkipped({ skipped: worlds.flatMap(w => skippedIn(w.workspace)) }, line => io.err(line));
    const json: unknown[] = [];
    for (const [i, world] of worlds.entries()) {
      const several = worlds.length > 1;
      if (several && !values.json) io.out(`${i ? '\n' : ''}# ${world.label}`);
      const one = planOf(world, placesIn(project, world), values.json === true, io);
      if (one) json.push(several ? { world: world.label, ...one } : one);
    }
    if (values.json) io.out(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    return 0;
  },
};

/** One world's plan: printed, or returned as the JSON object (docs/schemas/ipam.schema.json). */
function planOf(world: World, places: Places, asJSON: boolean, io: { out(line: string): void }): Record<string, unknown> | undefined {
  const workspace = world.workspace;
  const plan = addressPlan(workspace);
  const problems = planProblems(workspace);
  if (asJSON) {
    return {
      nodeMaskSize: { IPv4: maskJSON(plan.nodeMaskSize[4], places), IPv6: maskJSON(plan.nodeMaskSize[6], places) },
      ...Object.fromEntries(sections(plan).map(([key, , es]) => [key, es.map(e => entryJSON(e, plan, places))])),
      problems: problems.map(p => {
        const pos = places.at(p.at);
        return {
          rule: p.code, severity: p.severity,
          file: pos?.file ?? null, line: pos?.line ?? null, column: pos?.column ?? null,
          message: p.message,
          related: p.related.map(r => ({ ...places.definedIn(r.entry), value: r.entry.value, message: r.message })),
        };
      }),
    };
  }
  for (const [, title, es] of sections(plan)) {
    io.out(`${title}${es.length ? '' : ': none'}`);
    const width = Math.max(0, ...es.map(e => e.value.length));
    for (const e of es) io.out(`  ${e.value.padEnd(width)}  ${roleName(e.role)}  ${places.where(e)}  ${sizeOf(e, plan)}`);
  }
  for (const f of [4, 6] as const) {
    const m = plan.nodeMaskSize[f];
    const at = places.mask(m);
    io.out(`Node CIDR mask size (IPv${f}): /${m.size} ${at ? `from ${at.file}:${at.line}` : '(default)'}`);
  }
  io.out(problems.length ? `Problems (${problems.length})` : 'Problems: none');
  for (const p of problems) {
    const pos = places.at(p.at);
    io.out(`  ${pos ? `${pos.file}:${pos.line}:${pos.column}` : 'settings'} ${p.severity} ${p.code} ${p.message}`);
  }
  return undefined;
}
