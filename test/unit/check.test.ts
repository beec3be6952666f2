/** `kube-netlens check`: the three formats, 1-based positions, severity options and exit codes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { RULES } from '../../src/core/rules/index';
import { FILE_PROBLEM_IDS } from '../../src/core/rules/run';
import { RENDER_PROBLEM_IDS } from '../../src/core/render/project';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: l => out.push(l), err: l => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-netlens-check-'));
const POLICY = path.join(dir, 'policy.yaml');
fs.writeFileSync(POLICY, [
  'apiVersion: networking.k8s.io/v1',
  'kind: NetworkPolicy',
  'metadata:',
  '  name: web',
  'spec:',
  '  podSelector: {}',
  '  egress: []',
  '  ingress:',
  '  - ports:',
  '    - port: 10',
  '      endPort: 1',
  '',
].join('\n'));
const CLEAN = path.join(dir, 'clean.yaml');
fs.writeFileSync(CLEAN, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');

test('text: file:line:col severity rule message, 1-based; exit 1 on an error', async () => {
  const r = await cli('check', POLICY);
  assert.equal(r.code, 1);
  const rel = path.relative(process.cwd(), POLICY);
  assert.deepEqual(r.out.split('\n'), [
    `${rel}:7:3 warning netpol-egress-not-isolated egress: [] denies nothing because policyTypes (defaulted to [Ingress]) leaves out Egress.`,
    `${rel}:11:16 error netpol-endport-invalid endPort 1 is below port 10, which the API server rejects; the range must run from port up to endPort.`,
  ]);
  assert.match(r.err, /1 error, 1 warning, 0 notes in 1 file\./);
});

test('exit 0 without errors; --rule ID=off and --severity filter', async () => {
  assert.equal((await cli('check', CLEAN)).code, 0);
  const off = await cli('check', POLICY, '--rule', 'netpol-endport-invalid=off');
  assert.equal(off.code, 0);
  assert.doesNotMatch(off.out, /endport/);
  const errorsOnly = await cli('check', POLICY, '--severity', 'error');
  assert.equal(errorsOnly.out.split('\n').length, 1);
  const demoted = await cli('check', POLICY, '--rule', 'netpol-endport-invalid=warning');
  assert.equal(demoted.code, 0);
  assert.match(demoted.out, /warning netpol-endport-invalid/);
});

test('usage errors exit 2', async () => {
  for (const argv of [['check'], ['check', POLICY, '-o', 'xml'], ['check', POLICY, '--rule', 'nope=off'], ['check', POLICY, '--rule', 'netpol-endport-invalid'],
    ['check', POLICY, '--rule', 'netpol-endport-invalid=loud'], ['check', POLICY, '--severity', 'hint'], ['check', path.join(dir, 'missing')]]) {
    assert.equal((await cli(...argv)).code, 2, argv.join(' '));
  }
});

test('json: an array of located findings with 1-based, end-exclusive columns', async () => {
  const r = await cli('check', POLICY, '-o', 'json');
  const list = JSON.parse(r.out) as Array<Record<string, unknown>>;
  assert.equal(list.length, 2);
  assert.deepEqual(list[1], {
    file: path.relative(process.cwd(), POLICY), line: 11, column: 16, endLine: 11, endColumn: 17,
    severity: 'error', rule: 'netpol-endport-invalid',
    message: 'endPort 1 is below port 10, which the API server rejects; the range must run from port up to endPort.',
  });
});

/** The fields SARIF 2.1.0 requires (§3.13 sarifLog, §3.14 run, §3.18 toolComponent, §3.27 result, ...). */
function validateSarif(log: any): void {
  assert.equal(log.version, '2.1.0');
  assert.ok(Array.isArray(log.runs));
  const region = (r: any) => {
    assert.ok(Number.isInteger(r.startLine) && r.startLine >= 1, 'region.startLine >= 1');
    assert.ok(Number.isInteger(r.startColumn) && r.startColumn >= 1, 'region.startColumn >= 1');
    assert.ok(r.endLine >= r.startLine && (r.endLine > r.startLine || r.endColumn >= r.startColumn));
  };
  const location = (l: any) => {
    assert.equal(typeof l.physicalLocation.artifactLocation.uri, 'string');
    assert.ok(!l.physicalLocation.artifactLocation.uri.includes('\\'));
    region(l.physicalLocation.region);
  };
  for (const run of log.runs) {
    const driver = run.tool.driver;
    assert.equal(typeof driver.name, 'string');
    for (const rule of driver.rules) {
      assert.equal(typeof rule.id, 'string');
      assert.doesNotThrow(() => new URL(rule.helpUri), 'helpUri is an absolute URI');
      assert.ok(['error', 'warning', 'note', 'none'].includes(rule.defaultConfiguration.level));
    }
    for (const result of run.results) {
      assert.equal(typeof result.message.text, 'string');
      assert.ok(['error', 'warning', 'note', 'none'].includes(result.level));
      if (result.ruleIndex !== undefined) assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
      result.locations.forEach(location);
      for (const rel of result.relatedLocations ?? []) { location(rel); assert.equal(typeof rel.message.text, 'string'); }
      for (const fix of result.fixes ?? []) {
        assert.ok(fix.artifactChanges.length >= 1);
        for (const change of fix.artifactChanges) {
          assert.equal(typeof change.artifactLocation.uri, 'string');
          assert.ok(change.replacements.length >= 1);
          for (const rep of change.replacements) region(rep.deletedRegion);
        }
      }
    }
  }
}

test('sarif: a valid 2.1.0 log with rule metadata, docs links and fixes', async () => {
  const r = await cli('check', POLICY, '-o', 'sarif', '--docs-url', 'https://example.com/docs/rules/');
  assert.equal(r.code, 1);
  const log = JSON.parse(r.out);
  validateSarif(log);
  const driver = log.runs[0].tool.driver;
  assert.deepEqual(driver.rules.map((x: any) => x.id), [...RULES.map(x => x.id), ...FILE_PROBLEM_IDS, ...RENDER_PROBLEM_IDS]);
  assert.equal(driver.rules[0].helpUri, `https://example.com/docs/rules/${RULES[0]!.id}.md`);
  const results = log.runs[0].results;
  assert.deepEqual(results.map((x: any) => [x.ruleId, x.level]), [['netpol-egress-not-isolated', 'warning'], ['netpol-endport-invalid', 'error']]);
  assert.deepEqual(results[1].locations[0].physicalLocation.region, { startLine: 11, startColumn: 16, endLine: 11, endColumn: 17 });
  const fix = results[0].fixes[0];
  assert.equal(fix.description.text, 'Add Egress to policyTypes');
  assert.deepEqual(fix.artifactChanges[0].replacements[0].deletedRegion, { startLine: 7, startColumn: 1, endLine: 7, endColumn: 1 });
});

test('sarif: related locations and a default docs link that is a file URL', async () => {
  const file = path.join(dir, 'dup.yaml');
  fs.writeFileSync(file, 'kind: Namespace\nmetadata:\n  name: a\n---\nkind: Namespace\nmetadata:\n  name: a\n');
  const log = JSON.parse((await cli('check', file, '-o', 'sarif')).out);
  validateSarif(log);
  assert.match(log.runs[0].tool.driver.rules[0].helpUri, /^file:\/\/.*\/docs\/rules\/[a-z-]+\.md$/);
  const rel = log.runs[0].results[0].relatedLocations[0];
  assert.equal(rel.physicalLocation.region.startLine, 3);
  assert.equal(rel.message.text, 'first declared here');
});
