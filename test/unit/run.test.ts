/** The rule runner: suppression comments and severity settings, YAML in, findings out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineRule } from '../../src/core/rules/rule';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';

/** Reports every `name: flagged` value, at `hint` severity per finding (its default is warning). */
const FLAG = defineRule({
  id: 'test-flag',
  severity: 'warning',
  docs: { summary: 'test', rationale: 'test' },
  check(object, ctx) {
    if (object.name === 'flagged' && object.nameSpan) ctx.report({ span: object.nameSpan, message: 'flagged', severity: 'hint' });
  },
});

const run = (text: string, settings = {}) => {
  const ws = new Workspace();
  ws.set('a.yaml', text);
  return checkFile(ws, 'a.yaml', settings, [FLAG]);
};

test('a disable-next-line comment suppresses the next line; the same text inside a block scalar or a string does not', () => {
  assert.equal(run('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  # kube-netlens-disable-next-line test-flag\n  name: flagged\n').length, 0);
  // The directive is the last line of a block scalar, right above the flagged line: data, not a comment.
  const inBlock = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    script: |\n      # kube-netlens-disable-next-line test-flag\n  name: flagged\n';
  assert.equal(run(inBlock).length, 1);
  const inQuotes = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {note: "a\n  # kube-netlens-disable-next-line test-flag",\n  name: flagged}\n';
  assert.equal(run(inQuotes).length, 1);
});

test('a rule set to "default" keeps the severity each finding gives itself; a named severity overrides it', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flagged\n';
  assert.deepEqual(run(text).map(f => f.severity), ['hint']);
  assert.deepEqual(run(text, { 'test-flag': 'default' }).map(f => f.severity), ['hint']);
  assert.deepEqual(run(text, { 'test-flag': 'error' }).map(f => f.severity), ['error']);
  assert.deepEqual(run(text, { 'test-flag': 'off' }), []);
});
