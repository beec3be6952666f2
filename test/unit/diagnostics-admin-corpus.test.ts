/**
 * np-guard's rejected AdminNetworkPolicy/BaselineAdminNetworkPolicy inputs (corpus/diagnostics-admin):
 * each is fatal upstream; in an editor each gives its diagnostic on the offending node (asserting the
 * range's text, and that the message carries the gist of np-guard's error), and nothing else fires.
 * The API server rejects all but one (an error); pods of one owner with a labels gap are valid manifests
 * the analysis cannot represent (a warning).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { checkWorkspace } from '../../src/core/rules/run';
import { CORPUS } from './corpus';

const DIR = path.join(CORPUS, 'diagnostics-admin');

interface Expected {
  readonly rule?: string;
  /** `error` unless said (the API server rejects those inputs). */
  readonly severity?: 'error' | 'warning';
  readonly file?: string;
  readonly line?: number;
  readonly text?: string;
  /** Substrings of the message: np-guard's gist and the offending value. */
  readonly mentions?: string[];
  /** Every finding as `file:line rule`. */
  readonly all: string[];
}

const inv = 'admin-policy-invalid';
const CASES: Record<string, Expected> = {
  anp_bad_path_test_3: { rule: 'admin-policy-duplicate-name', file: 'anps.yaml', line: 41, text: 'same-name', mentions: ['"same-name"', 'line 1'], all: ['anps.yaml:41 admin-policy-duplicate-name'] },
  anp_bad_path_test_5: { rule: inv, file: 'anp.yaml', line: 7, text: 'subject', mentions: ['exactly one field must be set in a subject', 'namespaces and pods'], all: ['anp.yaml:7 admin-policy-invalid'] },
  anp_bad_path_test_6: { rule: inv, file: 'anp.yaml', line: 14, text: 'to', mentions: ['to field must be defined and contain at least one item', '"allow-to-ravenclaw-everything"'], all: ['anp.yaml:14 admin-policy-invalid'] },
  anp_bad_path_test_9: { rule: inv, file: 'anp.yaml', line: 20, text: 'Accept', mentions: ['unrecognized action', '"Accept"'], all: ['anp.yaml:20 admin-policy-invalid'] },
  anp_bad_path_test_15: { rule: inv, file: 'anp.yaml', line: 14, text: 'from', mentions: ['from field must be defined and contain at least one item'], all: ['anp.yaml:14 admin-policy-invalid'] },
  anp_bad_path_test_16: { rule: inv, file: 'anp.yaml', line: 15, mentions: ['exactly one field must be set in a rule peer', 'namespaces and pods'], all: ['anp.yaml:15 admin-policy-invalid'] },
  anp_bad_path_test_17: { rule: inv, file: 'anp.yaml', line: 37, mentions: ['exactly one field must be set in an AdminNetworkPolicyPort'], all: ['anp.yaml:37 admin-policy-invalid'] },
  anp_bad_path_test_18: { rule: inv, file: 'anp.yaml', line: 13, text: 'Ok', mentions: ['unrecognized action', '"Ok"'], all: ['anp.yaml:13 admin-policy-invalid'] },
  anp_bad_path_test_20: { rule: inv, file: 'anps.yaml', line: 7, text: '1001', mentions: ['1001', '"invalid-priority"', 'between 0-1000'], all: ['anps.yaml:7 admin-policy-invalid'] },
  banp_bad_path_test_2: { rule: inv, file: 'banps.yaml', line: 4, text: 'banp-name', mentions: ['only one baseline admin network policy with metadata.name=default'], all: ['banps.yaml:4 admin-policy-invalid'] },
  banp_bad_path_test_4: { rule: inv, file: 'banp_core_ingress_sctp_rules.yaml', line: 6, text: 'subject', mentions: ['exactly one field must be set in a subject'], all: ['banp_core_ingress_sctp_rules.yaml:6 admin-policy-invalid'] },
  banp_bad_path_test_5: { rule: inv, file: 'banp_core_egress_sctp_rules.yaml', line: 13, text: 'to', mentions: ['to field must be defined and contain at least one item'], all: ['banp_core_egress_sctp_rules.yaml:13 admin-policy-invalid'] },
  banp_bad_path_test_11: { rule: inv, file: 'banp_core_ingress_sctp_rules.yaml', line: 13, text: 'from', mentions: ['from field must be defined and contain at least one item'], all: ['banp_core_ingress_sctp_rules.yaml:13 admin-policy-invalid'] },
  banp_bad_path_test_12: { rule: inv, file: 'banp_core_ingress_sctp_rules.yaml', line: 14, mentions: ['exactly one field must be set in a rule peer'], all: ['banp_core_ingress_sctp_rules.yaml:14 admin-policy-invalid'] },
  banp_bad_path_test_13: { rule: inv, file: 'banp_core_ingress_sctp_rules.yaml', line: 30, mentions: ['exactly one field must be set in an AdminNetworkPolicyPort'], all: ['banp_core_ingress_sctp_rules.yaml:30 admin-policy-invalid'] },
  banp_bad_path_test_14: { rule: inv, file: 'banp_core_ingress_sctp_rules.yaml', line: 12, text: 'Pass', mentions: ['unrecognized action', '"Pass"', 'Allow, Deny'], all: ['banp_core_ingress_sctp_rules.yaml:12 admin-policy-invalid'] },
  // np-guard stops at the CIDR error; the editor also reports the port item that sets two fields (a
  // real second problem the input's comment points out).
  banp_bad_path_test_15: {
    rule: inv, file: 'banp_core_egress_sctp_rules.yaml', line: 15, text: 'zc00::/8', mentions: ['invalid CIDR address', '"zc00::/8"'],
    all: ['banp_core_egress_sctp_rules.yaml:15 admin-policy-invalid', 'banp_core_egress_sctp_rules.yaml:23 admin-policy-invalid'],
  },
  // np-guard refuses the input; the manifests are valid (each pod is evaluated by its own labels), but
  // the replicas get different treatment while the analysis shows one peer: a warning on pod-2's label.
  example_w_err_pods_w_same_owner_and_labels_gap_anp: {
    rule: 'pod-owner-labels-gap', severity: 'warning', file: 'pods.yaml', line: 32, text: 'app: query-selector',
    mentions: ["of the same owner workload 'default/internal-security' differ in their labels", 'selectors impacted by this gap', "'app=query-selector'", "'app=command-selector'", "the subject of AdminNetworkPolicy 'new-example-with-err'"],
    all: ['pods.yaml:32 pod-owner-labels-gap'],
  },
};

test('every diagnostics-admin case is covered', () => {
  const dirs = fs.readdirSync(DIR, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();
  assert.deepEqual(dirs, Object.keys(CASES).sort());
});

for (const [name, expected] of Object.entries(CASES)) {
  test(`diagnostics-admin/${name}`, () => {
    const { workspace } = loadPaths([path.join(DIR, name)], undefined, path.join(DIR, name));
    const findings = [...checkWorkspace(workspace).values()].flat();
    const lineOf = (file: string, offset: number) => workspace.get(file)!.manifest.lines.position(offset).line + 1;
    assert.deepEqual(findings.map(f => `${f.file}:${lineOf(f.file, f.span.start)} ${f.rule}`).sort(), [...expected.all].sort());
    if (!expected.rule) return;
    const hit = findings.find(f => f.rule === expected.rule && f.file === expected.file && lineOf(f.file, f.span.start) === expected.line);
    assert.ok(hit, `no ${expected.rule} finding at ${expected.file}:${expected.line}`);
    assert.equal(hit.severity, expected.severity ?? 'error');
    if (expected.text) assert.equal(workspace.get(hit.file)!.manifest.text.slice(hit.span.start, hit.span.end), expected.text);
    for (const m of expected.mentions ?? []) assert.ok(hit.message.includes(m), `message "${hit.message}" should include ${m}`);
  });
}
