/**
 * The rule catalogue's conventions: each rule is the default export of src/core/rules/<id>.ts, ids
 * are unique kebab-case, RULES is alphabetical, and every rule has docs and both fixtures; every doc
 * and fixture folder belongs to a rule (or, for docs, a file problem).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { rulesTable } from '../../src/core/rules/catalogue';
import { RULES } from '../../src/core/rules/index';
import { FILE_PROBLEM_IDS } from '../../src/core/rules/run';
import { RENDER_PROBLEM_IDS } from '../../src/core/render/project';
import { FIXTURES, loadFixture } from './rule-fixtures';

const ROOT = path.resolve(__dirname, '../..');
const RULES_DIR = path.join(ROOT, 'src/core/rules');
const DOCS = path.join(ROOT, 'docs/rules');
/** Files of src/core/rules that are the framework, not rules. */
const FRAMEWORK = new Set(['rule.ts', 'run.ts', 'index.ts', 'catalogue.ts']);
const SECTIONS = ['Summary', 'Why it matters', 'When it stays silent', 'How to fix', 'Example'];

test('rule ids are unique kebab-case', () => {
  const ids = RULES.map(r => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  for (const id of FILE_PROBLEM_IDS) assert.ok(!ids.includes(id), `${id} is both a rule and a file problem`);
});

test('RULES is alphabetical', () => {
  const ids = RULES.map(r => r.id);
  assert.deepEqual(ids, [...ids].sort());
});

test('each rule is the default export of src/core/rules/<id>.ts, and every such file is a registered rule', async () => {
  for (const rule of RULES) {
    const file = path.join(RULES_DIR, `${rule.id}.ts`);
    assert.ok(fs.existsSync(file), `${rule.id}: src/core/rules/${rule.id}.ts is missing`);
    const mod = (await import(file)) as { default?: unknown };
    assert.equal(mod.default, rule, `${rule.id}: not the default export of its file`);
  }
  const ids = new Set(RULES.map(r => r.id));
  for (const f of fs.readdirSync(RULES_DIR).filter(f => f.endsWith('.ts') && !FRAMEWORK.has(f))) {
    assert.ok(ids.has(f.slice(0, -3)), `src/core/rules/${f} is not registered in RULES`);
  }
});

test('every rule has docs with the four sections, a one-line summary and both fixtures', () => {
  for (const rule of RULES) {
    const doc = path.join(DOCS, `${rule.id}.md`);
    assert.ok(fs.existsSync(doc), `docs/rules/${rule.id}.md is missing`);
    const text = fs.readFileSync(doc, 'utf8');
    assert.match(text.split('\n')[0]!, new RegExp(`^# .*\\b${rule.id}\\b`), `docs/rules/${rule.id}.md must start with a title naming its id`);
    for (const s of SECTIONS) assert.ok(text.includes(`\n## ${s}\n`), `docs/rules/${rule.id}.md lacks "## ${s}"`);
    assert.ok(!rule.docs.summary.includes('\n') && rule.docs.summary.length > 0, `${rule.id}: summary must be one line`);
    assert.ok(loadFixture(rule.id, 'fires'), `${rule.id}: fires fixture missing`);
    assert.ok(loadFixture(rule.id, 'ok'), `${rule.id}: ok fixture missing`);
  }
});

test('every doc and fixture folder belongs to a rule or a file problem', () => {
  const known = new Set<string>([...RULES.map(r => r.id), ...FILE_PROBLEM_IDS, ...RENDER_PROBLEM_IDS]);
  for (const f of fs.readdirSync(DOCS)) {
    assert.ok(f.endsWith('.md') && known.has(f.slice(0, -3)), `docs/rules/${f} matches no rule or file problem`);
  }
  for (const id of [...FILE_PROBLEM_IDS, ...RENDER_PROBLEM_IDS]) assert.ok(fs.existsSync(path.join(DOCS, `${id}.md`)), `docs/rules/${id}.md is missing`);
  const ruleIds = new Set(RULES.map(r => r.id));
  for (const d of fs.readdirSync(FIXTURES)) assert.ok(ruleIds.has(d), `test/fixtures/rules/${d} matches no rule`);
});

test('rulesTable lists every rule once, linked to its docs, with its default severity', () => {
  const lines = rulesTable().trimEnd().split('\n');
  assert.equal(lines.length, RULES.length + 2);
  RULES.forEach((rule, i) => {
    const row = lines[i + 2]!;
    assert.ok(row.startsWith(`| [\`${rule.id}\`](docs/rules/${rule.id}.md) |`), row);
    assert.ok(row.includes(rule.enabledByDefault === false ? `| off (${rule.severity}) |` : `| ${rule.severity} |`), row);
  });
});
