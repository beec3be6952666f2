import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { commandPages, PACKAGE_JSON, README, ruleIds, withRuleIds, withTables } from '../../scripts/readme-tables';

test("the README's rules, commands, settings and CLI tables match the code (npm run readme)", () => {
  const text = fs.readFileSync(README, 'utf8');
  assert.equal(text, withTables(text));
});

test('every CLI command has a page in docs/cli whose usage block is the command\'s usage (npm run readme)', () => {
  for (const p of commandPages()) {
    assert.ok(p.text !== undefined, `${p.file} exists`);
    assert.equal(p.text, p.expected, `${p.file}: run npm run readme`);
  }
});

test('every link of the README and docs/cli to a file of the repository points at one that exists', () => {
  for (const [file, dir] of [[README, path.dirname(README)], ...commandPages().map(p => [p.file, path.dirname(p.file)])] as Array<[string, string]>) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      assert.ok(fs.existsSync(path.resolve(dir, target)), `${path.basename(file)} links to ${target}, which does not exist`);
    }
  }
});

test('every picture the README shows exists', () => {
  const text = fs.readFileSync(README, 'utf8');
  const images = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(m => m[1]!);
  assert.ok(images.length >= 5, 'a picture of each feature');
  for (const img of images) assert.ok(fs.existsSync(img), img);
});

test('the kubeNetlens.rules setting lists every rule id, so the settings editor completes them and flags a typo (npm run readme)', () => {
  const text = fs.readFileSync(PACKAGE_JSON, 'utf8');
  assert.equal(text, withRuleIds(text));
  const schema = JSON.parse(text).contributes.configuration.properties['kubeNetlens.rules'];
  assert.ok(schema.propertyNames.enum.includes('dns-reference-blocked-by-policy'));
  assert.ok(schema.propertyNames.enum.includes('yaml-syntax') && schema.propertyNames.enum.includes('render-failed'));
  assert.deepEqual(schema.propertyNames.enum, ruleIds());
});
