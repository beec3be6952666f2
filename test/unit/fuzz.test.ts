/**
 * Fuzzing: every manifest of examples/ and the shared corpus, mutated the ways a user's typing (or a
 * hostile file) mutates YAML, through the whole analysis; every provider at every cursor target on
 * some cases (hover, definition, each finding's fixes applied and checked again, the graph), the CLI
 * commands on a few. Zero failures: an exception that escapes and one a rule or provider boundary
 * contained both count. `FUZZ_CASES=10000` runs longer (the bench does), `FUZZ_SEED` picks another seed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onContainedError } from '../../src/core/contained';
import { hoverAt } from '../../src/core/hover/index';
import { RULES } from '../../src/core/rules/index';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';
import { driveFile, failuresOf } from './drive';
import { fuzz } from './fuzz-run';

const CASES = Number(process.env.FUZZ_CASES ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

test(`fuzz: ${CASES} mutated manifests through the whole analysis and every provider (seed ${SEED})`, async () => {
  const r = await fuzz({ cases: CASES, seed: SEED, driveEvery: 50, cliEvery: 1250 });
  assert.ok(r.driven >= CASES / 50 && r.cliRuns >= 1);
  const first = r.failures[0];
  assert.equal(r.failures.length, 0, first && `${r.failures.length} failures; first: case ${first.caseIndex} (${first.input}; ${first.mutations.join(', ')}) ${first.where}: ${first.message}\n--- input ---\n${first.text.slice(0, 2000)}`);
  // A hang detector, not a speed target: a few seconds means a runaway loop.
  assert.ok(r.slowestMs < 10_000, `a case took ${r.slowestMs} ms`);
});

test('a rule or hover provider that throws is counted, not swallowed', () => {
  const ws = new Workspace();
  ws.set('a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n');
  const rule = RULES.find(r => !r.kinds || r.kinds.includes('Service'))!;
  const original = rule.check;
  try {
    (rule as { check: typeof rule.check }).check = () => { throw new Error('forced'); };
    const failures = failuresOf(() => driveFile(ws, 'a.yaml'));
    assert.ok(failures.some(f => f.where === `rule:${rule.id}` && /forced/.test(f.message)), JSON.stringify(failures.map(f => f.where)));
    // The finding that says so is still reported, the other rules still run.
    assert.ok(checkFile(ws, 'a.yaml').some(f => f.rule === rule.id && /could not check/.test(f.message)));
  } finally {
    (rule as { check: typeof rule.check }).check = original;
  }
  const seen: string[] = [];
  const stop = onContainedError(e => seen.push(e.where));
  try {
    // A file whose cursor target makes a provider read a poisoned workspace.
    const broken = Object.create(ws) as Workspace;
    for (const key of ['namespaces', 'clusterDomain', 'workloads', 'services', 'policies']) {
      Object.defineProperty(broken, key, { get: () => { throw new Error('poisoned'); } });
    }
    for (const key of ['derived', 'inNamespace', 'servicesIn', 'workloadsIn', 'policiesIn']) {
      Object.defineProperty(broken, key, { value: () => { throw new Error('poisoned'); } });
    }
    for (let o = 0; o < 60; o++) hoverAt(broken, 'a.yaml', o);
  } finally {
    stop();
  }
  assert.ok(seen.includes('hover'), 'a hover provider that throws is reported');
});
