import { LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { CliIO, Command } from '../command';
import { loadProject, RENDER_OPTIONS, RENDER_USAGE, renderFlags, reportSkipped, skippedIn, warnRenderProblems, worldsOf } from '../load';
import type { Workspace } from '../../core/workspace';
import { resolveName, resolvePort } from '../../core/net/dns/resolve';
import { workloadId } from '../../core/net/policy/peers';
import type { Workload } from '../../core/parse/views/workload';

/** `NAME[:PORT]` → name and port; a bracketless name with one colon and digits after it has a port. */
function splitQuery(q: string): { name: string; port?: number } {
  const m = /^(.*):(\d{1,5})$/.exec(q);
  if (!m) return { name: q };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new UsageError(`port ${m[2]} is out of range 1-65535`);
  return { name: m[1]!, port };
}

/**
 * `kube-netlens resolve NAME[:PORT] --from NAMESPACE PATH...`: how a pod in NAMESPACE resolves
 * NAME against the manifests under PATH. Exit 0 when the name resolves (and a given port is
 * exposed), 1 when it does not, 2 on usage errors.
 */
export const resolve: Command = {
  name: 'resolve',
  docs: 'docs/cli/resolve.md',
  summary: 'resolve a DNS name the way a pod in a namespace would, against the manifests',
  usage: 'kube-netlens resolve NAME[:PORT] --from NAMESPACE PATH... [--workload KIND/NAME] [--json]\n'
    + '  --from       the namespace of the pod that resolves the name (default: default)\n'
    + '  --workload   use this workload\'s dnsPolicy, dnsConfig and hostNetwork (e.g. Deployment/api)\n'
    + '  --json       one JSON object (docs/schemas/resolve.schema.json); with several renders, an array of them, each naming its world\n'
    + `${RENDER_USAGE}\n${LOAD_USAGE}\n`
    + 'Kustomize overlays and Helm charts under PATH are rendered; with several renders, the name is resolved in each (a `# <overlay or chart>` heading each).\n'
    + 'Exit codes: 0 resolves (and the port, if given, is exposed) everywhere, 1 does not resolve or the port is not exposed, 2 usage error.',
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RENDER_OPTIONS,
      ...LOAD_OPTIONS,
      from: { type: 'string' },
      workload: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [query, ...paths] = positionals;
    if (!query) throw new UsageError('no NAME given');
    const { name, port } = splitQuery(query);
    if (!name) throw new UsageError('empty NAME');
    const from = typeof values.from === 'string' ? values.from : 'default';
    const { project, warnings } = await loadProject(paths, loadSettings(values), renderFlags(values));
    for (const w of warnings) io.err(`warning: ${w}`);
    warnRenderProblems(project, io);
    reportSkipped({ skipped: worldsOf(project).flatMap(w => skippedIn(w.workspace)) }, line => io.err(line));
    const worlds = worldsOf(project);
    let code = 0;
    const json: unknown[] = [];
    for (const [i, world] of worlds.entries()) {
      if (worlds.length > 1 && !values.json) io.out(`${i ? '\n' : ''}# ${world.label}`);
      const one = resolveIn(world.workspace, name, port, from, values, worlds.length > 1 ? world.label : undefined, io);
      if (one.json) json.push(one.json);
      code = Math.max(code, one.code);
    }
    if (values.json) io.out(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    return code;
  },
};

function resolveIn(
  workspace: Workspace, name: string, port: number | undefined, from: string, values: Record<string, unknown>, world: string | undefined, io: CliIO,
): { code: number; json?: unknown } {
  {
    let workload: Workload | undefined;
    if (typeof values.workload === 'string') {
      const [kind, wname] = values.workload.includes('/') ? values.workload.split('/', 2) : [undefined, values.workload];
      workload = workspace.workloads.find(w => w.object.namespace === from && w.object.name === wname && (!kind || w.kind.toLowerCase() === kind.toLowerCase()));
      if (!workload) throw new UsageError(`no workload ${values.workload} in namespace ${from}`);
    }
    const r = resolveName(workspace, name, from, workload ? { workload } : {});
    const p = port !== undefined ? resolvePort(r, port) : undefined;
    const ok = r.found && (!p || p.exposed);
    if (values.json) {
      return { code: ok ? 0 : 1, json: {
        ...(world ? { world } : {}),
        query: r.query, from: r.from, fqdn: r.fqdn ?? null, found: r.found, type: r.type ?? null,
        target: r.target ? { kind: r.target.kind, namespace: r.target.namespace, name: r.target.name } : null,
        workloads: r.workloads.map(workloadId),
        steps: r.steps.map(s => ({ candidate: s.candidate, outcome: s.outcome, found: s.found })),
        ...(r.perPod?.ordinal !== undefined ? { ordinal: r.perPod.ordinal } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.note ? { note: r.note } : {}),
        ...(p ? { port: { requested: p.requested, exposed: p.exposed, direct: p.direct, targetPort: p.targetPort ?? null } } : {}),
      } };
    }
    if (r.found) {
      io.out(`${name} → ${r.fqdn} (${r.type})${r.target ? ` → ${r.target.kind} ${r.target.namespace}/${r.target.name}` : ''}`);
      if (r.workloads.length) io.out(`  reaches: ${r.workloads.map(workloadId).join(', ')}`);
      if (r.note) io.out(`  note: ${r.note}`);
    } else {
      io.out(`${name}: does not resolve from namespace ${from}: ${r.reason ?? 'no such name'}`);
    }
    if (p && r.found) {
      if (p.exposed) io.out(`  port ${p.requested}: ${p.direct ? 'direct to the destination' : `exposed, targetPort ${p.targetPort}`}`);
      else io.out(`  port ${p.requested}: not exposed by the Service`);
    }
    if (r.steps.length) {
      io.out(`  search (dnsPolicy ${r.resolver.dnsPolicy}, ndots:${r.resolver.ndots}):`);
      for (const s of r.steps) io.out(`    ${s.candidate}: ${s.outcome}`);
    }
    return { code: ok ? 0 : 1 };
  }
}
