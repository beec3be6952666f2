/**
 * The README's generated tables: rules (from the rule catalogue), commands and settings (from
 * package.json), CLI commands (from the command table, one line each with a link to its page). `npm
 * run readme` rewrites them in README.md between `<!-- BEGIN name -->` and `<!-- END name -->`, and
 * the usage block of each command's page `docs/cli/<name>.md` from its `usage`;
 * test/unit/readme.test.ts fails when they drift. It also writes the ids the `kubeNetlens.rules` setting
 * takes into package.json's schema of it, so the settings editor completes them and flags a typo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../src/cli/commands/index';
import { rulesTable } from '../src/core/rules/catalogue';
import { RULES } from '../src/core/rules/index';
import { FILE_PROBLEM_IDS } from '../src/core/rules/run';
import { RENDER_PROBLEM_IDS } from '../src/core/render/project';

const ROOT = path.resolve(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const PACKAGE_JSON = path.join(ROOT, 'package.json');
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

interface Setting { type?: string; default?: unknown; enum?: string[]; markdownDescription?: string; description?: string }
interface CommandContribution { command: string; title: string; category?: string }

/** What each command of the palette does, for the README (package.json has no place for it). */
const COMMAND_DOCS: Record<string, string> = {
  'kubeNetlens.openDiagram': 'Opens the network diagram of the workspace (also: the status bar item, the button in a YAML editor\'s title bar).',
  'kubeNetlens.showInDiagram': 'Opens the diagram with the object at the cursor selected: a workload, Service, Ingress, Route, Namespace, or a NetworkPolicy\'s first selected workload. Elsewhere it says so.',
  'kubeNetlens.reindex': 'Reads every manifest of the workspace folders again (after changes the file watcher missed); overlays and charts whose files changed are rendered again.',
  'kubeNetlens.showLog': 'Shows the Kube NetLens output: what was indexed and rendered, render failures, errors.',
  'kubeNetlens.compareWithBase': 'Asks for a git revision (`HEAD`, a branch, a tag, `HEAD~1`) and shows in the diagram the flows your manifests add, remove or change against it. Outside a git repository it says so.',
  'kubeNetlens.hideChanges': 'Takes the changes marks off the diagram (offered while they are shown).',
};

function commandsTable(): string {
  const hidden = new Set<string>(((pkg.contributes.menus?.commandPalette ?? []) as Array<{ command: string; when?: string }>)
    .filter(m => m.when === 'false').map(m => m.command));
  const rows = (pkg.contributes.commands as CommandContribution[]).filter(c => !hidden.has(c.command)).map(c => {
    const doc = COMMAND_DOCS[c.command];
    if (!doc) throw new Error(`${c.command} has no description in scripts/readme-tables.ts COMMAND_DOCS`);
    return `| ${c.category ? `${c.category}: ` : ''}${c.title} | \`${c.command}\` | ${cell(doc)} |`;
  });
  return ['| Command | Id | What it does |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}

function settingsTable(): string {
  const props = pkg.contributes.configuration.properties as Record<string, Setting>;
  const rows = Object.entries(props).map(([key, s]) => {
    const type = s.enum ? s.enum.map(v => `\`${v}\``).join(' \\| ') : s.type ?? '';
    return `| \`${key}\` | ${type} | \`${JSON.stringify(s.default)}\` | ${cell(s.markdownDescription ?? s.description ?? '')} |`;
  });
  return ['| Setting | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

function cliTable(): string {
  const rows = COMMANDS.map(c => `| [\`${c.name}\`](${c.docs}) | ${cell(c.summary)} |`);
  return ['| Command | What it does |', '| --- | --- |', ...rows].join('\n') + '\n';
}

/** Replaces the `<!-- BEGIN name -->` ... `<!-- END name -->` section of `text` (which must have one). */
function replaceSection(text: string, name: string, content: string, where: string): string {
  const re = new RegExp(`(<!-- BEGIN ${name} -->\\n)[\\s\\S]*?(<!-- END ${name} -->)`);
  if (!re.test(text)) throw new Error(`${where} has no <!-- BEGIN ${name} --> ... <!-- END ${name} --> section`);
  return text.replace(re, (_m, a: string, b: string) => `${a}${content}${b}`);
}

/** Each command's page (absolute path) with its usage block as `usage` says now. */
export function commandPages(): Array<{ file: string; text: string | undefined; expected: string | undefined }> {
  return COMMANDS.map(c => {
    const file = path.join(ROOT, c.docs);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const fence = c.usage.includes('```') ? '````' : '```';
    return { file, text, expected: text === undefined ? undefined : replaceSection(text, 'usage', `${fence}\n${c.usage}\n${fence}\n`, c.docs) };
  });
}

export function tables(): Record<string, string> {
  return { rules: rulesTable(), commands: commandsTable(), settings: settingsTable(), cli: cliTable() };
}

/** Every id `kubeNetlens.rules` (and `check --rule`) takes: the rules, the file problems and the render problems. */
export function ruleIds(): string[] {
  return [...RULES.map(r => r.id), ...FILE_PROBLEM_IDS, ...RENDER_PROBLEM_IDS].sort();
}

/** package.json's text with the `kubeNetlens.rules` setting's key list set to {@link ruleIds}. */
export function withRuleIds(packageJson: string): string {
  const p = JSON.parse(packageJson);
  p.contributes.configuration.properties['kubeNetlens.rules'].propertyNames = { enum: ruleIds() };
  return `${JSON.stringify(p, null, 2)}\n`;
}

/** The README text with every generated table replaced by its current content. */
export function withTables(readme: string): string {
  let out = readme;
  for (const [name, table] of Object.entries(tables())) out = replaceSection(out, name, table, 'README.md');
  return out;
}

if (require.main === module) {
  fs.writeFileSync(README, withTables(fs.readFileSync(README, 'utf8')));
  fs.writeFileSync(PACKAGE_JSON, withRuleIds(fs.readFileSync(PACKAGE_JSON, 'utf8')));
  for (const p of commandPages()) {
    if (p.expected === undefined) throw new Error(`${path.relative(ROOT, p.file)} is missing: every CLI command has a page`);
    fs.writeFileSync(p.file, p.expected);
  }
  console.log('README.md tables, docs/cli usage blocks and the rule ids of package.json updated');
}
