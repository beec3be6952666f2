/**
 * The README's generated tables: rules (from the rule catalogue), commands and settings (from
 * package.json), CLI commands (from the command table). `npm run readme` rewrites them in README.md
 * between `<!-- BEGIN name -->` and `<!-- END name -->`; test/unit/readme.test.ts fails when they drift.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../src/cli/commands/index';
import { rulesTable } from '../src/core/rules/catalogue';

export const README = path.resolve(__dirname, '..', 'README.md');
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

interface Setting { type?: string; default?: unknown; enum?: string[]; markdownDescription?: string; description?: string }
interface CommandContribution { command: string; title: string; category?: string }

function commandsTable(): string {
  const hidden = new Set<string>(((pkg.contributes.menus?.commandPalette ?? []) as Array<{ command: string; when?: string }>)
    .filter(m => m.when === 'false').map(m => m.command));
  const rows = (pkg.contributes.commands as CommandContribution[]).filter(c => !hidden.has(c.command))
    .map(c => `| ${c.category ? `${c.category}: ` : ''}${c.title} | \`${c.command}\` |`);
  return ['| Command | Id |', '| --- | --- |', ...rows].join('\n') + '\n';
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
  const rows = COMMANDS.map(c => `| \`${cell(c.usage)}\` | ${cell(c.summary)} |`);
  return ['| Command | What it does |', '| --- | --- |', ...rows].join('\n') + '\n';
}

export function tables(): Record<string, string> {
  return { rules: rulesTable(), commands: commandsTable(), settings: settingsTable(), cli: cliTable() };
}

/** The README text with every generated table replaced by its current content. */
export function withTables(readme: string): string {
  let out = readme;
  for (const [name, table] of Object.entries(tables())) {
    const re = new RegExp(`(<!-- BEGIN ${name} -->\\n)[\\s\\S]*?(<!-- END ${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- BEGIN ${name} --> ... <!-- END ${name} --> section`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}${table}${b}`);
  }
  return out;
}

if (require.main === module) {
  fs.writeFileSync(README, withTables(fs.readFileSync(README, 'utf8')));
  console.log('README.md tables updated');
}
