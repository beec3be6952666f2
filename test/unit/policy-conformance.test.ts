/**
 * Conformance with np-guard's netpol-analyzer: every case of corpus/connectivity is loaded from its
 * `input/` folder exactly as the CLI loads it, and every `<case>_connlist_output.<fmt>` golden must be
 * reproduced exactly (trailing newlines aside: the goldens differ in whether they end with one).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { allowed, connectivity, CONNECTIVITY_FORMATS, formatConnectivity } from '../../src/core/net/policy/index';
import { CORPUS } from './corpus';

const ROOT = path.join(CORPUS, 'connectivity');
const cases = fs.readdirSync(ROOT).filter(d => fs.existsSync(path.join(ROOT, d, 'input'))).sort();

test('the connectivity corpus is present', () => {
  assert.ok(cases.length >= 19, `expected the np-guard cases under ${ROOT}`);
});

for (const name of cases) {
  test(`np-guard conformance: ${name}`, () => {
    const { workspace } = loadPaths([path.join(ROOT, name, 'input')]);
    const report = connectivity(workspace, { ipBlockReading: 'external' });
    let compared = 0;
    for (const format of CONNECTIVITY_FORMATS) {
      const golden = path.join(ROOT, name, 'expected', `${name}_connlist_output.${format}`);
      if (!fs.existsSync(golden)) continue;
      const expected = fs.readFileSync(golden, 'utf8').replace(/\r\n/g, '\n').trimEnd();
      assert.equal(formatConnectivity(report, format), expected, `${name} -o ${format}`);
      compared++;
    }
    assert.ok(compared >= 1, `${name} has no connlist golden`);
  });
}

test('connectivity() agrees with allowed() on every ordered pair of a corpus case', () => {
  for (const name of ['ipblockstest', 'acs-security-demos', 'test_with_named_ports', 'with_end_port_example']) {
    const { workspace } = loadPaths([path.join(ROOT, name, 'input')]);
    const report = connectivity(workspace);
    const listed = new Map(report.connections.map(c => [`${c.src.id} ${c.dst.id}`, c.conns.toString()]));
    const workloads = report.peers.filter(p => p.kind !== 'external');
    let checked = 0;
    for (const src of [...workloads, ...report.externalSources]) {
      for (const dst of [...workloads, ...report.externalDestinations]) {
        if (src.id === dst.id || (src.kind === 'external' && dst.kind === 'external')) continue;
        const got = allowed(workspace, src, dst);
        assert.equal(got.isEmpty() ? undefined : got.toString(), listed.get(`${src.id} ${dst.id}`), `${name}: ${src.id} => ${dst.id}`);
        checked++;
      }
    }
    assert.ok(checked > 10, name);
  }
});
