import path from 'node:path';
import { choice, parse, UsageError } from '../args';
import type { Command } from '../command';
import { defaultDocsBase } from './check';
import { formatDiffSarif } from '../diff-sarif';
import { inGitWorkTree, loadAtRef } from '../git';
import { loadPaths } from '../load';
import { VERSION } from '../version';
import { DEFAULT_SETTINGS } from '../../core/settings';
import { connectivityDiff, hasChanges, portDelta, type ConnectivityDiff } from '../../core/net/policy/diff';
import { DIFF_FORMATS, formatDiff } from '../../core/net/policy/format-diff';
import { readingSentence } from '../../core/net/policy/index';

const READINGS = ['external', 'all'] as const;
const FAIL_ON = ['any', 'added', 'none'] as const;

/** Exit code 3 when the diff holds what `failOn` names, else 0. */
function exitCode(d: ConnectivityDiff, failOn: (typeof FAIL_ON)[number]): number {
  if (failOn === 'none') return 0;
  if (failOn === 'any') return hasChanges(d) ? 3 : 0;
  return d.pairs.some(p => p.type !== 'unchanged' && portDelta(p).gained) ? 3 : 0;
}

/** A Markdown comment for a pull request: a heading, counts, then np-guard's diff table. */
function markdownComment(d: ConnectivityDiff, base: string, labels: readonly [string, string]): string {
  const count = (t: string) => d.pairs.filter(p => p.type === t).length;
  const heading = `### Connectivity changes vs \`${base.replace(/`/g, '')}\``;
  if (!hasChanges(d)) return `${heading}\n\nNo connectivity change.`;
  const summary = `${count('added')} added, ${count('removed')} removed, ${count('changed')} changed (${count('unchanged')} unchanged).`;
  return `${heading}\n\n${summary}\n\n${formatDiff(d, 'md', labels)}`;
}

/**
 * `kube-netlens diff DIR1 DIR2` (np-guard's `diff`) or `kube-netlens diff --base REF [PATH...]`
 * (the work tree against a git revision, read with git without a checkout).
 */
export const diff: Command = {
  name: 'diff',
  docs: 'docs/cli/diff.md',
  summary: 'connectivity changes between two folders, or the work tree and a git revision (np-guard diff formats, SARIF)',
  usage: [
    'kube-netlens diff DIR1 DIR2 [-o txt|csv|md|dot] [--labels REF1,REF2]',
    'kube-netlens diff --base REF [PATH...] [-o txt|csv|md|dot|sarif] [--fail-on any|added|none]',
    '',
    '  DIR1 DIR2              the two input sets, before and after (np-guard: --dir1, --dir2)',
    '  --base REF             compare the work tree (uncommitted edits included) with git revision REF;',
    '                         PATH (default .) limits both sides to those files and folders',
    '  -o, --output FORMAT    txt (default), csv, md, dot: np-guard\'s diff formats;',
    '                         sarif (with --base): a SARIF 2.1.0 log, one result per changed flow on the rule responsible;',
    '                         md with --base: a pull-request comment (heading, counts, the table)',
    '  --labels A,B           the names of the two sides in the output (default ref1,ref2; with --base: REF,worktree)',
    '  --fail-on WHAT         exit 3 on any change (default), only when a flow gains ports (added), or never (none)',
    '  --ipblock-reading R    external (default) or all',
    '',
    'Exit codes: 0 no connectivity change, 3 connectivity changed (see --fail-on), 2 usage or input error.',
  ].join('\n'),
  run(argv, io) {
    const { values, positionals } = parse(argv, {
      output: { type: 'string', short: 'o' },
      base: { type: 'string' },
      labels: { type: 'string' },
      'fail-on': { type: 'string' },
      'ipblock-reading': { type: 'string' },
    });
    const base = values.base as string | undefined;
    const format = choice(values.output, 'output', [...DIFF_FORMATS, 'sarif'] as const, 'txt');
    const failOn = choice(values['fail-on'], 'fail-on', FAIL_ON, 'any');
    const reading = choice(values['ipblock-reading'], 'ipblock-reading', READINGS, 'external');
    const settings = { ...DEFAULT_SETTINGS, ipBlockReading: reading };
    let labels: [string, string] = base !== undefined ? [base, 'worktree'] : ['ref1', 'ref2'];
    if (values.labels !== undefined) {
      const l = String(values.labels).split(',');
      if (l.length !== 2 || !l[0] || !l[1]) throw new UsageError('--labels expects two names: A,B');
      labels = [l[0], l[1]];
    }
    if (base === undefined) {
      if (positionals.length !== 2) throw new UsageError('give two folders (DIR1 DIR2), or --base REF');
      if (format === 'sarif') throw new UsageError('-o sarif needs --base REF (results are located in the work tree)');
      const before = loadPaths([positionals[0]!], settings);
      const after = loadPaths([positionals[1]!], settings);
      for (const w of [...before.warnings, ...after.warnings]) io.err(`warning: ${w}`);
      const d = connectivityDiff(before.workspace, after.workspace, reading);
      io.err(`note: ${readingSentence(reading)}`);
      const text = formatDiff(d, format, labels);
      if (text) io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
      return exitCode(d, failOn);
    }
    if (!inGitWorkTree()) throw new UsageError('--base needs a git work tree: run it inside a git checkout');
    const paths = positionals.length ? positionals : ['.'];
    const after = loadPaths(paths, settings);
    for (const w of after.warnings) io.err(`warning: ${w}`);
    const before = loadAtRef(base, paths.map(p => path.normalize(p)), settings);
    const d = connectivityDiff(before.workspace, after.workspace, reading);
    io.err(`note: ${readingSentence(reading)}`);
    let text: string;
    if (format === 'sarif') text = formatDiffSarif(after.workspace, d, base, VERSION, defaultDocsBase().replace(/\/rules$/, '/diff.md'));
    else if (format === 'md') text = markdownComment(d, base, labels);
    else text = formatDiff(d, format, labels);
    if (text) io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
    return exitCode(d, failOn);
  },
};
