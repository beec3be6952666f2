/**
 * Conformance with np-guard on the cluster-wide tiers: every case of corpus/connectivity-admin is
 * loaded from its `input/` folder and each golden its `args` file lists for the list output
 * (`format=<txt|json|csv|md|dot>` without `explain` or focus flags) must be reproduced exactly.
 * Explain goldens are checked by the explain test; goldens needing np-guard's focus flags are not
 * list outputs of the whole input.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { connectivity, formatConnectivity, type ConnectivityFormat } from '../../src/core/net/policy/index';
import { CORPUS } from './corpus';

const ROOT = path.join(CORPUS, 'connectivity-admin');
const cases = fs.readdirSync(ROOT).filter(d => fs.existsSync(path.join(ROOT, d, 'args'))).sort();

interface Golden { file: string; format: string; flags: Record<string, string> }

function goldens(name: string): Golden[] {
  const out: Golden[] = [];
  for (const line of fs.readFileSync(path.join(ROOT, name, 'args'), 'utf8').split('\n')) {
    if (!line.startsWith('golden=')) continue;
    const flags: Record<string, string> = {};
    for (const part of line.trim().split(/\s+/)) {
      const i = part.indexOf('=');
      flags[part.slice(0, i)] = part.slice(i + 1);
    }
    const { golden, format, ...rest } = flags;
    out.push({ file: golden!, format: format!, flags: rest });
  }
  return out;
}

test('the admin connectivity corpus is present', () => {
  assert.ok(cases.length >= 28, `expected the np-guard admin cases under ${ROOT}`);
});

for (const name of cases) {
  test(`np-guard admin conformance: ${name}`, () => {
    const { workspace } = loadPaths([path.join(ROOT, name, 'input')]);
    const report = connectivity(workspace, { ipBlockReading: 'external' });
    let compared = 0;
    for (const g of goldens(name)) {
      if (Object.keys(g.flags).length > 0) continue;
      const expected = fs.readFileSync(path.join(ROOT, name, 'expected', g.file), 'utf8').replace(/\r\n/g, '\n').trimEnd();
      assert.equal(formatConnectivity(report, g.format as ConnectivityFormat), expected, `${name} -o ${g.format}`);
      compared++;
    }
    assert.ok(compared >= 1, `${name} has no list golden`);
  });
}
