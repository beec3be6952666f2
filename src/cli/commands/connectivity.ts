import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { Command } from '../command';
import { loadPaths, reportSkipped } from '../load';
import { DEFAULT_SETTINGS } from '../../core/settings';
import {
  connectivity as connectivityOf, CONNECTIVITY_FORMATS, explain, formatConnectivity, readingSentence, type PeerRef,
} from '../../core/net/policy/index';

const READINGS = ['external', 'all'] as const;

/**
 * `kube-netlens connectivity PATH...`: the allowed connections between every pair of workloads and
 * external address ranges, in netpol-analyzer's `list` formats. The ipBlock reading in force goes to
 * stderr so stdout stays byte-compatible with np-guard.
 */
export const connectivity: Command = {
  name: 'connectivity',
  docs: 'docs/cli/connectivity.md',
  summary: 'list allowed connections between workloads and external ranges (np-guard list formats)',
  usage: `kube-netlens connectivity PATH... [-o txt|json|csv|md|dot] [--explain] [--ipblock-reading external|all] [-n NS] [--max-file-size SIZE]\n${LOAD_USAGE}`,
  run(argv, io) {
    const { values, positionals } = parse(argv, {
      output: { type: 'string', short: 'o' },
      explain: { type: 'boolean' },
      'ipblock-reading': { type: 'string' },
      ...LOAD_OPTIONS,
    });
    const format = choice(values.output, 'output', CONNECTIVITY_FORMATS, 'txt');
    const reading = choice(values['ipblock-reading'], 'ipblock-reading', READINGS, 'external');
    if (values.explain && format !== 'txt') throw new UsageError('--explain prints text: use it with -o txt');
    const loaded = loadPaths(positionals, loadSettings(values, { ...DEFAULT_SETTINGS, ipBlockReading: reading }));
    const { workspace, warnings } = loaded;
    for (const w of warnings) io.err(`warning: ${w}`);
    reportSkipped(loaded, line => io.err(line));
    const report = connectivityOf(workspace);
    io.err(`note: ${readingSentence(report.reading)}`);
    if (!values.explain) {
      const text = formatConnectivity(report, format);
      if (text) io.out(text);
      return 0;
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
    return 0;
  },
};
