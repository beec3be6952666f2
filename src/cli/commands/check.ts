import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../../core/rules/index';
import type { RuleSeverity } from '../../core/rules/rule';
import { plural } from '../../core/rules/support/text';
import { FILE_PROBLEM_IDS, type RuleSettings } from '../../core/rules/run';
import { RENDER_PROBLEM_IDS } from '../../core/render/project';
import { choice, LOAD_OPTIONS, LOAD_USAGE, loadSettings, parse, UsageError } from '../args';
import type { Command } from '../command';
import { formatJson, formatSarif, formatText, regionOf, type Located, type RuleInfo } from '../formats';
import { loadProject, RENDER_OPTIONS, RENDER_USAGE, renderFlags } from '../load';
import { VERSION } from '../version';
import type { Workspace } from '../../core/workspace';
import { adminPolicies } from '../../core/net/policy/admin';
import { thirdPartyPolicies } from '../../core/net/policy/thirdparty';

const RANK: Record<RuleSeverity, number> = { error: 3, warning: 2, info: 1, hint: 0 };
const RULE_VALUES = ['error', 'warning', 'info', 'hint', 'off', 'default'] as const;

const FILE_PROBLEM_INFO: Record<(typeof FILE_PROBLEM_IDS)[number], { severity: RuleSeverity; summary: string }> = {
  'yaml-syntax': { severity: 'error', summary: 'The file is not valid YAML or JSON.' },
  'helm-template': { severity: 'info', summary: 'A Helm template, not analysed until rendered.' },
  'file-too-large': { severity: 'info', summary: 'The file is over the size limit and was not analysed.' },
  'not-text': { severity: 'info', summary: 'The file holds binary data, not YAML or JSON.' },
  'too-many-documents': { severity: 'info', summary: 'Only the first YAML documents of the file were analysed.' },
};

const RENDER_PROBLEM_INFO: Record<(typeof RENDER_PROBLEM_IDS)[number], { severity: RuleSeverity; summary: string }> = {
  'render-failed': { severity: 'error', summary: 'Kustomize or Helm failed to render this root; its files are not analysed.' },
  'render-tool-missing': { severity: 'info', summary: 'The renderer (kubectl/kustomize or helm) was not found; the root\'s files are not analysed.' },
  'helm-dependencies-missing': { severity: 'warning', summary: 'The chart\'s dependencies are not vendored in charts/; it is not rendered.' },
  'render-too-large': { severity: 'warning', summary: 'The render of this overlay or chart is over the size limit; nothing it renders is analysed.' },
};

/** docs/rules as a file URL, found beside the package (dist/cli.js and src/cli/commands alike). */
export function defaultDocsBase(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return pathToFileURL(path.join(dir, 'docs', 'rules')).href;
    dir = path.dirname(dir);
  }
  return pathToFileURL(path.resolve('docs', 'rules')).href;
}

/** Parses `--rule ID=SEVERITY|off` options into rule settings. */
function ruleSettings(values: readonly string[]): RuleSettings {
  const known = new Set<string>([...RULES.map(r => r.id), ...FILE_PROBLEM_IDS, ...RENDER_PROBLEM_IDS]);
  const out: Record<string, RuleSettings[string]> = {};
  for (const v of values) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(v);
    if (!m) throw new UsageError(`--rule expects ID=SEVERITY (got ${v})`);
    if (!known.has(m[1]!)) throw new UsageError(`--rule: unknown rule ${m[1]}`);
    out[m[1]!] = choice(m[2], `rule ${m[1]}`, RULE_VALUES, 'default');
  }
  return out;
}

/** `kube-netlens check PATH...`: every finding, as text, JSON or SARIF; exit 1 on errors. */
export const check: Command = {
  name: 'check',
  docs: 'docs/cli/check.md',
  summary: 'run the rules over manifests, as a compiler would (exit 1 on errors)',
  usage: [
    'kube-netlens check PATH... [-o text|json|sarif] [--severity error|warning|info] [--rule ID=SEVERITY|off ...] [--docs-url URL] [render options]',
    '',
    '  -o, --output FORMAT    text (default): file:line:col severity rule-id message, one per line;',
    '                         json: an array of {file, line, column, endLine, endColumn, severity, rule, message};',
    '                         sarif: a SARIF 2.1.0 log (code scanning), with fixes',
    '  --severity LEVEL       lowest severity shown: error, warning or info (default info; hints are editor-only)',
    '  --rule ID=SEVERITY     set a rule to error, warning, info, hint or off; repeatable',
    '  --docs-url URL         base of the rule docs linked from SARIF (default: docs/rules of this package)',
    RENDER_USAGE,
    LOAD_USAGE,
    '',
    'Kustomize overlays and Helm charts under PATH are rendered with kubectl/kustomize and helm;',
    'findings are reported on the source files, naming the overlay or chart.',
    'Lines and columns are 1-based; an end column is just after the range.',
    'Exit codes: 0 no error-severity finding, 1 at least one, 2 usage or input error.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RENDER_OPTIONS,
      ...LOAD_OPTIONS,
      output: { type: 'string', short: 'o' },
      severity: { type: 'string' },
      rule: { type: 'string', multiple: true },
      'docs-url': { type: 'string' },
    });
    const output = choice(values.output, 'output', ['text', 'json', 'sarif'] as const, 'text');
    const min = choice(values.severity, 'severity', ['error', 'warning', 'info'] as const, 'info');
    const settings = ruleSettings((values.rule as string[] | undefined) ?? []);
    const docsBase = String(values['docs-url'] ?? defaultDocsBase()).replace(/\/$/, '');
    const { project, warnings } = await loadProject(positionals, loadSettings(values), renderFlags(values));
    for (const w of warnings) io.err(`warning: ${w}`);
    const lines = project.lineSource;
    const workspace = project.loose;

    const located: Located[] = [];
    for (const [file, findings] of project.check(settings)) {
      for (const f of findings) {
        if (RANK[f.severity] >= RANK[min]) located.push({ finding: f, region: regionOf(lines, file, f.span) });
      }
    }
    if (output === 'text') {
      for (const line of formatText(located)) io.out(line);
      const count = (s: RuleSeverity) => located.filter(l => l.finding.severity === s).length;
      // A workspace without policies is not a problem in any file, but worth saying once.
      const worlds = [workspace, ...project.renders.map(r => r.workspace)];
      // Admin tiers and Calico/Cilium policies restrict traffic too: then "all traffic" is not so.
      const policed = (w: Workspace) => w.policies.length > 0 || adminPolicies(w).length > 0 || thirdPartyPolicies(w).length > 0;
      if (worlds.some(w => w.workloads.length) && !worlds.some(policed)) {
        io.err('note: no NetworkPolicy found: every pod accepts and sends all traffic.');
      }
      io.err(`${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')} in ${plural(project.looseFiles.length + project.renders.length, 'file')}${project.renders.length ? ` (${plural(project.renders.length, 'render')})` : ''}.`);
    } else if (output === 'json') {
      io.out(formatJson(located));
    } else {
      const infos: RuleInfo[] = [
        ...RULES.map(r => ({ id: r.id, severity: r.severity, summary: r.docs.summary, rationale: r.docs.rationale, helpUri: `${docsBase}/${r.id}.md` })),
        ...FILE_PROBLEM_IDS.map(id => ({ id, ...FILE_PROBLEM_INFO[id], rationale: FILE_PROBLEM_INFO[id].summary, helpUri: `${docsBase}/${id}.md` })),
        ...RENDER_PROBLEM_IDS.map(id => ({ id, ...RENDER_PROBLEM_INFO[id], rationale: RENDER_PROBLEM_INFO[id].summary, helpUri: `${docsBase}/${id}.md` })),
      ];
      io.out(formatSarif(lines, located, infos, VERSION));
    }
    return located.some(l => l.finding.severity === 'error') ? 1 : 0;
  },
};
