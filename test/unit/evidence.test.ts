/**
 * Findings whose verdict depends on something the workspace may not hold (a Service a Helm release
 * creates, pods another chart makes) are hints that say "may", unless the workspace itself gives
 * evidence of a mistake (a near-miss name, a Service of that name in another namespace, a workload
 * that uses the selector's labels).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';

const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

function findings(id: string) {
  const text = fs.readFileSync(path.join(FIXTURES, id, 'fires.yaml'), 'utf8');
  const ws = new Workspace();
  ws.set('f.yaml', text);
  const found = checkFile(ws, 'f.yaml').filter(f => f.rule === id);
  return { text, found, at: (written: string) => found.find(f => text.slice(f.span.start, f.span.end) === written)! };
}

test('dns-name-unresolved: a Service defined nowhere is a hint that says may; a misspelt one is a warning with the rename', () => {
  const { text, at: by } = findings('dns-name-unresolved');
  const search = by('search');
  assert.equal(search.severity, 'hint');
  assert.equal(search.message, 'search resolves only if something outside this workspace (a Helm release, an operator, another repository) creates Service search in namespace shop: no manifest here defines it');
  assert.deepEqual(search.fixes, []);
  const typo = by('web-cahce.shop.svc.cluster.local');
  assert.equal(typo.severity, 'warning');
  assert.match(typo.message, /no Service web-cahce in namespace shop; did you mean web-cache\?$/);
  const e = typo.fixes[0]!.edits[0]!;
  assert.equal(text.slice(e.span.start, e.span.end), 'web-cahce');
  assert.equal(e.newText, 'web-cache');
  // A Service that exists in another namespace is evidence of a wrong namespace: still a warning.
  assert.equal(by('db.shop').severity, 'warning');
  assert.equal(by('db.staging.svc.cluster.local').severity, 'warning');
});


test('service-selector-matches-nothing: a selector no workload of the namespace uses a label of is a hint', () => {
  const { found, at } = findings('service-selector-matches-nothing');
  const hint = at('component: prometheus');
  assert.equal(hint.severity, 'hint');
  assert.equal(hint.message, 'selector component=prometheus matches no pod defined in this workspace (no workload in namespace shop has a label component); pods created elsewhere may carry it');
  assert.deepEqual(hint.fixes, []);
  // A misspelt value of a label the workloads use stays a warning with its fix.
  const typo = at('frontnd');
  assert.equal(typo.severity, 'warning');
  assert.equal(typo.fixes.length, 1);
  assert.equal(found.filter(f => f.severity === 'warning').length, 4);
});
