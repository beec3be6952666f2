/**
 * The glob matcher the editor's file watcher uses to exclude a changed file exactly as the scan's
 * `findFiles` exclude does (VS Code's glob syntax, on paths relative to the workspace folder).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXCLUDE_GLOBS, globMatcher } from '../../src/core/files';

const matches = (glob: string, path: string) => globMatcher(glob)(path);

test('`**/` spans any number of folders, none included; a trailing `/**` everything under a folder', () => {
  assert.equal(matches('**/node_modules/**', 'node_modules/a.yaml'), true);
  assert.equal(matches('**/node_modules/**', 'x/node_modules/b/a.yaml'), true);
  assert.equal(matches('**/node_modules/**', 'x/node_modulesx/a.yaml'), false);
  assert.equal(matches('generated/**', 'generated/a/b.yaml'), true);
  assert.equal(matches('generated/**', 'src/generated/b.yaml'), false);
  assert.equal(matches('a/**/b.yaml', 'a/b.yaml'), true);
  assert.equal(matches('a/**/b.yaml', 'a/x/y/b.yaml'), true);
  assert.equal(matches('**', 'a/b.yaml'), true);
});

test('`*` and `?` stay within one folder; `[...]` and `[!...]` are character ranges; other characters are literal', () => {
  assert.equal(matches('**/*.gen.yaml', 'a.gen.yaml'), true);
  assert.equal(matches('**/*.gen.yaml', 'x/y/a.gen.yaml'), true);
  assert.equal(matches('*.yaml', 'x/a.yaml'), false);
  assert.equal(matches('**/test?/**', 'test1/x.yaml'), true);
  assert.equal(matches('**/test?/**', 'test12/x.yaml'), false);
  assert.equal(matches('**/test[0-9]/**', 'test5/x.yaml'), true);
  assert.equal(matches('**/test[!0-9]/**', 'test5/x.yaml'), false);
  assert.equal(matches('**/test[!0-9]/**', 'testa/x.yaml'), true);
  assert.equal(matches('a.b/**', 'aXb/c.yaml'), false);
  assert.equal(matches('(x)+/**', '(x)+/c.yaml'), true);
  assert.equal(matches('Charts/**', 'charts/c.yaml'), false);
});

test('a brace group is a set of alternatives, as the scan joins its exclude patterns', () => {
  const scanExclude = `{${[...EXCLUDE_GLOBS, 'charts/**', '**/*.tmp.yaml'].join(',')}}`;
  const excluded = globMatcher(scanExclude);
  assert.equal(excluded('charts/x.yaml'), true);
  assert.equal(excluded('deploy/.git/x.yaml'), true);
  assert.equal(excluded('deploy/app.tmp.yaml'), true);
  assert.equal(excluded('deploy/app.yaml'), false);
  assert.equal(excluded('deploy/charts/x.yaml'), false);
  assert.equal(matches('**/*.{yaml,yml}', 'a/b.yml'), true);
  assert.equal(matches('**/*.{yaml,yml}', 'a/b.json'), false);
});

test('a pattern that does not close its brace matches nothing', () => {
  assert.equal(matches('{a/**', 'a/b.yaml'), false);
});
