/**
 * Fixture tests for every rule in RULES: `fires` yields exactly the findings its `# expect: <id>`
 * markers announce (by line), `ok` yields none, and every quick fix, applied to the text, removes its
 * finding without breaking the YAML.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../../src/core/rules/index';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';
import { applyFix, chosenFix, expectedLines, findingsOf, loadFixture, workspaceOf } from './rule-fixtures';

for (const rule of RULES) {
  describe(rule.id, () => {
    const fires = loadFixture(rule.id, 'fires');
    const ok = loadFixture(rule.id, 'ok');

    test('fires exactly where the fixture marks it', () => {
      assert.ok(fires, `test/fixtures/rules/${rule.id}/fires(.yaml) is missing`);
      const ws = workspaceOf(fires);
      const found = findingsOf(ws, rule);
      assert.ok(found.length > 0, 'no finding on the fires fixture');
      for (const [file, text] of fires) {
        const lines = ws.get(file)!.manifest.lines;
        const actual = found.filter(f => f.file === file).map(f => lines.position(f.span.start).line).sort((a, b) => a - b);
        const detail = found.filter(f => f.file === file).map(f => `${lines.position(f.span.start).line + 1}: ${f.message}`).join('\n');
        assert.deepEqual(actual.map(l => l + 1), expectedLines(text, rule.id).map(l => l + 1), `${file}: findings (1-based lines) differ from the markers:\n${detail}`);
      }
      for (const f of found) {
        assert.ok(f.span.end > f.span.start, `empty span for: ${f.message}`);
        assert.ok(!f.message.includes('could not check'), f.message);
      }
    });

    test('stays quiet on the ok fixture', () => {
      assert.ok(ok, `test/fixtures/rules/${rule.id}/ok(.yaml) is missing`);
      const found = findingsOf(workspaceOf(ok), rule);
      assert.deepEqual(found.map(f => `${f.file}: ${f.message}`), []);
    });

    test('each quick fix removes its finding and keeps the YAML valid', () => {
      assert.ok(fires, 'no fires fixture');
      const files: ReadonlyMap<string, string> = fires;
      const ws = workspaceOf(files);
      for (const finding of findingsOf(ws, rule)) {
        const fix = chosenFix(finding);
        if (!fix) continue;
        const after = applyFix(files, fix);
        const ws2 = workspaceOf(after);
        for (const file of files.keys()) {
          const before = ws.get(file)!.manifest;
          const now = ws2.get(file)!.manifest;
          assert.ok(now.problems.filter(p => p.code === 'yaml-syntax').length <= before.problems.filter(p => p.code === 'yaml-syntax').length,
            `fix "${fix.title}" broke the YAML of ${file}:\n${after.get(file)}`);
          // A fix may add an object (the missing headless Service) but never loses one.
          assert.ok(now.objects.length >= before.objects.length, `fix "${fix.title}" lost objects of ${file}`);
        }
        const count = (list: readonly { message: string; file: string }[]) => list.filter(f => f.message === finding.message && f.file === finding.file).length;
        assert.ok(count(findingsOf(ws2, rule)) < count(findingsOf(ws, rule)),
          `fix "${fix.title}" left the finding: ${finding.message}\n--- after:\n${after.get(finding.file)}`);
      }
    });
  });
}

test('netpol-port-is-service-port: destinations in several namespaces name the first Service in workspace order', () => {
  const app = (ns: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}, {containerPort: 9090}]}]}\n`;
  const svc = (ns: string, target: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ${ns}}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: ${target}}]}\n`;
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: client, namespace: front}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [a, b]}]}\n      podSelector: {matchLabels: {app: web}}\n    ports:\n    - port: 80\n';
  const rule = RULES.find(r => r.id === 'netpol-port-is-service-port')!;
  const messages = (files: Array<[string, string]>) => {
    const ws = new Workspace();
    for (const [f, text] of files) ws.set(f, text);
    return checkFile(ws, 'policy.yaml', {}, [rule]).map(f => f.message);
  };
  const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {team: web}}\n`;
  const apps: Array<[string, string]> = [['a.yaml', `${ns('a')}---\n${app('a')}`], ['b.yaml', `${ns('b')}---\n${app('b')}`]];
  assert.deepEqual(messages([['policy.yaml', policy], ...apps, ['b-svc.yaml', svc('b', 9090)], ['a-svc.yaml', svc('a', 8080)]]),
    ['port 80 is the port of Service b/web, whose pods listen on targetPort 9090; policies match the pod\'s port.']);
  assert.deepEqual(messages([['policy.yaml', policy], ...apps, ['both.yaml', `${svc('a', 8080)}---\n${svc('b', 9090)}`]]),
    ['port 80 is the port of Service a/web, whose pods listen on targetPort 8080; policies match the pod\'s port.']);
});
