/**
 * Fixture tests for every rule in RULES: `fires` yields exactly the findings its `# expect: <id>`
 * markers announce (by line), `ok` yields none, and every quick fix, applied to the text, removes its
 * finding without breaking the YAML.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../../src/core/rules/index';
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
