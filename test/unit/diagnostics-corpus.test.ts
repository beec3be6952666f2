/**
 * np-guard's rejected inputs (corpus/diagnostics): in an editor none is fatal. Each must give its
 * diagnostic on the line of the offending value (asserting the range's text), and the analysis must
 * go on: every object of every file still parses and the other rules still run, so the complete list
 * of findings per input is asserted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { checkWorkspace } from '../../src/core/rules/run';
import type { RuleSeverity } from '../../src/core/rules/rule';
import { CORPUS } from './corpus';

const DIR = path.join(CORPUS, 'diagnostics');

interface Expected {
  /** The finding the corpus case is about. */
  readonly main?: { rule: string; severity: RuleSeverity; file: string; line: number; text: string; mentions: string[] };
  /** Every finding of the input as `file:line rule`, the main one included. */
  readonly all: string[];
  /** Objects per file, proving the rest of the file still parses. */
  readonly objects: Record<string, number>;
}

const CASES: Record<string, Expected> = {
  // Owned by the CIDR rules (branch ipam, merged).
  bad_netpols_subdir1: {
    main: { rule: 'cidr-invalid', severity: 'error', file: 'netpols.yaml', line: 22, text: 'A', mentions: ['"A"'] },
    all: ['netpols.yaml:22 cidr-invalid'],
    objects: { 'netpols.yaml': 1, 'kubernetes-manifests.yaml': 24 },
  },
  bad_netpols_subdir3: {
    main: { rule: 'netpol-ipblock-with-selector', severity: 'error', file: 'netpols.yaml', line: 12, text: 'ipBlock', mentions: ['0.0.0.0/0', 'app=checkoutservice'] },
    all: ['netpols.yaml:12 netpol-ipblock-with-selector'],
    objects: { 'netpols.yaml': 1, 'kubernetes-manifests.yaml': 24 },
  },
  bad_netpols_subdir4: {
    main: { rule: 'netpol-empty-peer', severity: 'error', file: 'netpols.yaml', line: 9, text: '{}', mentions: ['{}'] },
    all: ['netpols.yaml:9 netpol-empty-peer'],
    objects: { 'netpols.yaml': 1, 'kubernetes-manifests.yaml': 24 },
  },
  // The API server accepts a named port toward an ipBlock (np-guard refuses it): the rule is a
  // warning that the port never matches. The policy also allows egress only there, so the
  // shippingservice pods cannot reach DNS: true, and reported by the DNS rule on the same policy.
  bad_netpols_subdir6: {
    main: { rule: 'netpol-named-port-with-ipblock', severity: 'warning', file: 'netpols.yaml', line: 11, text: 'abc', mentions: ['"abc"', '0.0.0.0/0'] },
    all: ['netpols.yaml:11 netpol-named-port-with-ipblock', 'netpols.yaml:30 netpol-egress-blocks-dns'],
    objects: { 'netpols.yaml': 1, 'kubernetes-manifests.yaml': 24 },
  },
  // The API server rejects the policy: the endPort error is its finding, and rules about what a policy
  // selects or allows say nothing of a policy that is not in force.
  np_bad_path_test_2: {
    main: { rule: 'netpol-endport-invalid', severity: 'error', file: 'netpols.yaml', line: 14, text: '10000', mentions: ['10000', '"http"'] },
    all: ['netpols.yaml:14 netpol-endport-invalid'],
    objects: { 'netpols.yaml': 1, 'backend.yaml': 2 },
  },
  // The API server rejects the policy, so it is not in force: it blocks nothing (DNS included), and
  // the endPort error is the only finding.
  np_test_with_empty_port_range: {
    main: { rule: 'netpol-endport-invalid', severity: 'error', file: 'netpol.yaml', line: 15, text: '1', mentions: ['endPort 1', 'port 10'] },
    all: ['netpol.yaml:15 netpol-endport-invalid'],
    objects: { 'netpol.yaml': 1, 'pods.yaml': 4 },
  },
  bad_path_namespace_with_same_name: {
    main: { rule: 'namespace-duplicate', severity: 'error', file: 'objects.yaml', line: 12, text: 'blue', mentions: ['blue', 'line 2'] },
    all: ['objects.yaml:12 namespace-duplicate'],
    objects: { 'objects.yaml': 4 },
  },
  // np-guard warns "no relevant Kubernetes network policy resources found". That is a fact about the
  // input set, not a problem in any manifest (most repositories have no policies), so no file gets
  // a diagnostic. The CLI's text output states it as a note on stderr instead (see check.ts).
  no_netpols_dir: {
    all: [],
    objects: { 'pod.yaml': 1 },
  },
};

test('every corpus case is covered', () => {
  const dirs = fs.readdirSync(DIR, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();
  assert.deepEqual(dirs, Object.keys(CASES).sort());
});

for (const [name, expected] of Object.entries(CASES)) {
  test(`diagnostics/${name}`, () => {
    const { workspace } = loadPaths([path.join(DIR, name)], undefined, path.join(DIR, name));
    for (const [file, n] of Object.entries(expected.objects)) {
      assert.equal(workspace.get(file)?.manifest.objects.length, n, `${file}: objects parsed`);
    }
    const findings = [...checkWorkspace(workspace).values()].flat();
    const lineOf = (file: string, offset: number) => workspace.get(file)!.manifest.lines.position(offset).line + 1;
    const main = expected.main;
    const all = findings.map(f => `${f.file}:${lineOf(f.file, f.span.start)} ${f.rule}`).sort();
    assert.deepEqual(all, [...expected.all].sort());
    if (!main) return;
    const hit = findings.find(f => f.rule === main.rule);
    assert.ok(hit, `no ${main.rule} finding`);
    assert.equal(hit.file, main.file);
    assert.equal(lineOf(hit.file, hit.span.start), main.line);
    assert.equal(workspace.get(hit.file)!.manifest.text.slice(hit.span.start, hit.span.end), main.text);
    assert.equal(hit.severity, main.severity);
    for (const m of main.mentions) assert.ok(hit.message.includes(m), `message "${hit.message}" should name ${m}`);
  });
}
