import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { CliIO, Command } from '../command';
import { loadProject, RENDER_OPTIONS, RENDER_USAGE, renderFlags, reportSkipped, skippedIn, warnRenderProblems, worldsOf } from '../load';
import type { Workspace } from '../../core/workspace';
import { DEFAULT_SETTINGS } from '../../core/settings';
import {
  connectivity as connectivityOf, CONNECTIVITY_FORMATS, explain, formatConnectivity, readingSentence, type PeerRef,
} from '../../core/net/policy/index';

const READINGS = ['external', 'all'] as const;

/**
 * `kube-netlens connectivity PATH...`: the allowed connections between every pair of workloads and
 * external address ranges, in netpol-analyzer's `list` formats. The ipBlock reading in force goes to
 * stderr so stdout stays byte-compatible with np-guard. Kustomize overlays and Helm charts under PATH
 * are rendered; each render is its own set of workloads (alternatives are never merged): with more
 * than one, each gets a `# <overlay or chart>` heading, and loose manifests come first.
 */
export const connectivity = {
  name: 'connectivity',
  docs: 'docs/cli/connectivity.md',
  summary: 'list allowed connections between workloads and external ranges (np-guard list formats)',
  usage: `kube-netlens connectivity PATH... [-o txt|json|csv|md|dot] [--explain] [--ipblock-reading external|all] [render options]\n\n${RENDER_USAGE}\n${LOAD_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RENDER_OPTIONS,
      ...LOAD_OPTIONS,
      output: { type: 'string', short: 'o' },
      explain: { type: 'boolean' },
      'ipblock-reading': { type: 'string' },
    });
    const format = choice(values.output, 'output', CONNECTIVITY_FORMATS, 'txt');
    const reading = choice(values['ipblock-reading'], 'ipblock-reading', READINGS, 'external');
    if (values.explain && format !== 'txt') throw new UsageError('--explain prints text: use it with -o txt');
    const { project, warnings } = await loadProject(positionals, loadSettings(values, { ...DEFAULT_SETTINGS, ipBlockReading: reading }), renderFlags(values));
    for (const w of warnings) io.err(`warning: ${w}`);
    warnRenderProblems(project, io);
    reportSkipped({ skipped: worldsOf(project).flatMap(w => skippedIn(w.workspace)) }, line => io.err(line));
    const worlds = worldsOf(project);
    for (const [i, world] of worlds.entries()) {
      if (worlds.length > 1) io.out(`${i ? '\n' : ''}# ${world.label}`);
      this.runOne(world.workspace, format, !!values.explain, io, i === 0);
    }
    return 0;
  },
  runOne(workspace: Workspace, format: (typeof CONNECTIVITY_FORMATS)[number], explainAll: boolean, io: CliIO, first: boolean): void {
    const report = connectivityOf(workspace);
    if (first) io.err(`note: ${readingSentence(report.reading)}`);
    if (!explainAll) {
      const text = formatConnectivity(report, format);
      if (text) io.out(text);
      return;
    }
    const inCluster = report.peers.filter(p => p.kind !== 'external');
    const pairs: Array<[PeerRef, PeerRef]> = [];
    for (const src of [...inCluster, ...report.externalSources]) {
      for (const dst of [...inCluster, ...report.externalDestinations]) {
        if (src.id === dst.id || dst.kind === 'ingress-controller') continue;
        if (src.kind === 'external' && dst.kind === 'external') continue;
        pairs.push([src, dst]);
      }
    }
    pairs.sort(([a, b], [c, d]) => (a.id < c.id ? -1 : a.id > c.id ? 1 : b.id < d.id ? -1 : b.id > d.id ? 1 : 0));
    const rule = '-'.repeat(100);
    for (const [src, dst] of pairs) io.out(`${rule}\n${explain(workspace, src, dst).text}\n`);
  },
} satisfies Command & { runOne(...args: unknown[]): void };
