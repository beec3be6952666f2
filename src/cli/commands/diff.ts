import path from 'node:path';
import { choice, loadSettings, parse, UsageError } from '../args';
import type { Command } from '../command';
import { defaultDocsBase } from './check';
import { formatDiffSarif, type DiffPart, type Placer } from '../diff-sarif';
import { inGitWorkTree, loadAtRef, treeAtRef } from '../git';
import { loadProject, RENDER_OPTIONS, RENDER_USAGE, renderFlags, warnRenderProblems, worldsOf, type World } from '../load';
import { VERSION } from '../version';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../core/settings';
import { mapSpan, type RenderedProject } from '../../core/render/project';
import { Workspace } from '../../core/workspace';
import { hasChanges, portDelta, type ConnectivityDiff } from '../../core/net/policy/diff';
import { DIFF_FORMATS, formatDiff } from '../../core/net/policy/format-diff';
import { connectivityDiffAllNetworks } from '../../core/net/policy/secondary-diff';
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

/** One side of a diff: its sets of workloads by a key both sides share, in the side's order. */
interface Side {
  readonly worlds: Map<string, World>;
  readonly project?: RenderedProject;
}

/** The loose manifests are `''`; a render is its tool and root folder relative to the side's folder. */
function sideOf(project: RenderedProject, folder: string): Side {
  const worlds = new Map<string, World>();
  for (const w of worldsOf(project)) {
    worlds.set(w.render ? `${w.render.root.tool} ${path.relative(folder, w.render.root.dir).split(path.sep).join('/') || '.'}` : '', w);
  }
  return { worlds, project };
}

const looseSide = (workspace: Workspace): Side => ({ worlds: new Map([['', { label: 'manifests read as they are', workspace }]]) });

/** The pairs of worlds to compare: loose first, then the renders (a render on one side only is compared with nothing). */
function pairsOf(before: Side, after: Side, settings: AnalysisSettings): Array<{ label: string; before: Workspace; after: World }> {
  const keys = [...new Set([...after.worlds.keys(), ...before.worlds.keys()])];
  return keys.map(k => {
    const a = after.worlds.get(k);
    const b = before.worlds.get(k);
    return { label: (a ?? b)!.label, before: b?.workspace ?? new Workspace(settings), after: a ?? { label: b!.label, workspace: new Workspace(settings) } };
  });
}

/** Places in a world of the work tree side, in the files the user edits. */
function placerOf(project: RenderedProject | undefined, world: World): Placer | undefined {
  const render = world.render;
  if (!project || !render) return undefined;
  // One line-index cache for every place (each read of lineSource starts a new one).
  const source = project.lineSource;
  return (file, span) => {
    const at = mapSpan(render, file, span);
    const lines = at && source.get(at.file)?.manifest.lines;
    if (!at || !lines) return undefined;
    const s = lines.position(at.span.start);
    const e = lines.position(at.span.end);
    return { file: at.file, region: { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 } };
  };
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
    RENDER_USAGE,
    'Kustomize overlays and Helm charts are rendered on both sides (with --base, the revision\'s tree is written to a',
    'temporary folder first) and compared overlay with overlay: with more than one, each gets a `# <overlay or chart>` heading.',
    '',
    'Exit codes: 0 no connectivity change, 3 connectivity changed (see --fail-on), 2 usage or input error.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RENDER_OPTIONS,
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
    const settings = loadSettings(values, { ...DEFAULT_SETTINGS, ipBlockReading: reading });
    let labels: [string, string] = base !== undefined ? [base, 'worktree'] : ['ref1', 'ref2'];
    if (values.labels !== undefined) {
      const l = String(values.labels).split(',');
      if (l.length !== 2 || !l[0] || !l[1]) throw new UsageError('--labels expects two names: A,B');
      labels = [l[0], l[1]];
    }
    const flags = renderFlags(values);
    const load = async (paths: readonly string[], cwd?: string) => {
      const loaded = await loadProject(paths, settings, flags, cwd);
      for (const w of loaded.warnings) io.err(`warning: ${w}`);
      warnRenderProblems(loaded.project, io);
      return loaded.project;
    };
    let before: Side;
    let after: Side;
    if (base === undefined) {
      if (positionals.length !== 2) throw new UsageError('give two folders (DIR1 DIR2), or --base REF');
      if (format === 'sarif') throw new UsageError('-o sarif needs --base REF (results are located in the work tree)');
      const [dir1, dir2] = [positionals[0]!, positionals[1]!];
      before = sideOf(await load([dir1]), path.resolve(dir1));
      after = sideOf(await load([dir2]), path.resolve(dir2));
    } else {
      if (!inGitWorkTree()) throw new UsageError('--base needs a git work tree: run it inside a git checkout');
      const paths = positionals.length ? positionals : ['.'];
      after = sideOf(await load(paths), process.cwd());
      // A revision with overlays or charts is rendered from its tree, written to a temporary folder.
      const tree = flags.render ? treeAtRef(base, paths.map(p => path.normalize(p))) : undefined;
      try {
        if (tree) before = sideOf(await load(paths, tree.dir), tree.dir);
        else {
          const old = loadAtRef(base, paths.map(p => path.normalize(p)), settings);
          before = looseSide(old.workspace);
        }
      } finally {
        tree?.remove();
      }
    }
    const pairs = pairsOf(before, after, settings);
    const several = pairs.length > 1;
    const diffs = pairs.map(p => ({ ...p, diff: connectivityDiffAllNetworks(p.before, p.after.workspace, reading) }));
    io.err(`note: ${readingSentence(reading)}`);
    if (format === 'sarif') {
      const parts: DiffPart[] = diffs.map(d => {
        const place = placerOf(after.project, d.after);
        return { ws: d.after.workspace, diff: d.diff, ...(place ? { place } : {}), ...(several ? { label: d.label } : {}) };
      });
      io.out(formatDiffSarif(parts, undefined, base!, VERSION, defaultDocsBase().replace(/\/rules$/, '/diff.md')));
    } else {
      for (const [i, d] of diffs.entries()) {
        if (several) io.out(`${i ? '\n' : ''}# ${d.label}`);
        const text = format === 'md' && base !== undefined ? markdownComment(d.diff, base, labels) : formatDiff(d.diff, format, labels);
        if (text) io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
      }
    }
    return Math.max(0, ...diffs.map(d => exitCode(d.diff, failOn)));
  },
};
