/**
 * The full analysis's one pass (src/core/rules/run.ts: each object meets the rules of its kind, in
 * catalogue order, through contexts made once per file) finds exactly what every rule finds when it
 * runs alone: same findings, same order, same fields. Run over a generated workspace of 2,000
 * objects (the bench's generator) beside every rule fixture, whose objects include other API groups
 * of the same kinds (Calico's NetworkPolicy), ignore annotations and suppression comments. The pass
 * answers questions about pairs of namespaces with the whole policy model, rule by rule they are
 * answered by models of the pair: the verdicts and their words are the same.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateWorkspace } from '../../bench/gen';
import { isKind } from '../../src/core/parse/kinds';
import { RULES } from '../../src/core/rules/index';
import { checkFile, checkWorkspace } from '../../src/core/rules/run';
import type { Finding, Rule } from '../../src/core/rules/rule';
import { Workspace } from '../../src/core/workspace';
import { filesUnder } from './corpus';

const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

function workspace(): Workspace {
  const ws = new Workspace();
  for (const f of generateWorkspace(2000).files) ws.set(f.path, f.text);
  for (const f of filesUnder(FIXTURES).filter(f => /\.(ya?ml|json)$/i.test(f))) {
    ws.set(`fixtures/${path.relative(FIXTURES, f)}`, fs.readFileSync(f, 'utf8'));
  }
  // Kinds of the same name in other API groups: not the rules' objects.
  ws.set('other-groups.yaml', [
    'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: calico, namespace: ns-1}\nspec:\n  selector: all()\n  egress: [{action: Allow, destination: {ports: [http]}}]',
    'apiVersion: example.com/v1\nkind: Service\nmetadata: {name: app-1, namespace: ns-1}\nspec: {selector: {nothing: here}, ports: [{port: 80, targetPort: none}]}',
    'apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: custom, namespace: ns-1}\nspec: {template: {spec: {containers: [{name: c, env: [{name: DB, value: "nowhere.ns-1.svc.cluster.local:5432"}]}]}}}',
    // Ignored by annotation, and one finding suppressed by a comment.
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: ignored\n  namespace: ns-2\n  annotations: {kube-netlens.io/ignore: service-selector-matches-nothing}\nspec: {selector: {nothing: here}, ports: [{port: 80}]}',
    'apiVersion: v1\nkind: Service\nmetadata: {name: suppressed, namespace: ns-2}\nspec:\n  # kube-netlens-disable-next-line service-selector-matches-nothing\n  selector: {nothing: here}\n  ports: [{port: 80}]',
    'apiVersion: v1\nkind: Service\nmetadata: {name: reported, namespace: ns-2}\nspec:\n  selector: {nothing: here}\n  ports: [{port: 80}]',
  ].join('\n---\n'));
  return ws;
}

/**
 * The findings of every rule run alone over every object of `file`, which it checks when one of its
 * kinds is the object's (by kind and API group), with the file's problems, in the pass's order.
 */
function ruleByRule(ws: Workspace, file: string): Finding[] {
  const problems = checkFile(ws, file, {}, []);
  const byRule = RULES.flatMap(rule => {
    const alone: Rule = {
      ...rule, kinds: undefined,
      check: (o, ctx) => { if (!rule.kinds || rule.kinds.some(k => isKind(o, k))) rule.check(o, ctx); },
    };
    return checkFile(ws, file, {}, [alone]).filter(f => f.rule === rule.id);
  });
  return [...problems, ...byRule].sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

test('one pass over every rule finds what each rule finds alone, on 2,000 generated objects and every rule fixture', () => {
  const ws = workspace();
  // Rule by rule first: file after file, pairs of namespaces are answered by models of the pair
  // (until they cost as much as the whole model); the pass then answers them all with the whole one.
  const alone = new Map(ws.fileNames.map(file => [file, ruleByRule(ws, file)]));
  const pass = checkWorkspace(ws);
  let total = 0;
  const rules = new Set<string>();
  for (const file of ws.fileNames) {
    const found = pass.get(file) ?? [];
    total += found.length;
    for (const f of found) rules.add(f.rule);
    assert.deepEqual(found, alone.get(file), file);
  }
  assert.ok(total > 1500, `${total} findings`);
  assert.ok(rules.size > 30, `${rules.size} rules fired`);
  // Of the three Services that select nothing, only the one neither ignored nor suppressed is reported.
  const text = ws.get('other-groups.yaml')!.manifest.text;
  const unmatched = pass.get('other-groups.yaml')!.filter(f => f.rule === 'service-selector-matches-nothing');
  assert.deepEqual(unmatched.map(f => f.span.start > text.indexOf('name: reported')), [true]);
});
