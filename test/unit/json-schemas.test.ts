/**
 * Every JSON output of the CLI against its schema in docs/schemas (documented in docs/json.md):
 * real outputs over the examples, the rule fixtures and the corpus, strictly (no field the schema
 * does not name). Findings, the address plan and DNS answers are plain: no Markdown in any string.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { main } from '../../src/cli/main';
import { CORPUS } from './corpus';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'rules');
const SCHEMAS = path.join(ROOT, 'docs', 'schemas');

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();
function schema(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) compiled.set(name, (v = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${name}.schema.json`), 'utf8')))));
  return v;
}

async function json(...argv: string[]): Promise<{ code: number; value: unknown }> {
  const out: string[] = [];
  const code = await main(argv, { out: l => out.push(l), err: () => {} });
  return { code, value: JSON.parse(out.join('\n')) };
}

function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  assert.ok(validate(value), `${what}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function assertPlain(value: unknown, what: string): void {
  for (const s of strings(value)) assert.ok(!/`|\*\*|\]\(command:/.test(s), `${what}: Markdown in a JSON string: ${s}`);
}

const dirsIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => path.join(dir, e.name)) : []);

test('every schema in docs/schemas is valid JSON Schema and names its command', () => {
  const names = fs.readdirSync(SCHEMAS).filter(f => f.endsWith('.schema.json')).map(f => f.replace('.schema.json', '')).sort();
  assert.deepEqual(names, ['check', 'connectivity', 'ipam', 'resolve']);
  for (const n of names) {
    const s = JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${n}.schema.json`), 'utf8'));
    assert.ok(ajv.validateSchema(s), `${n}: ${ajv.errorsText()}`);
    schema(n);
    assert.match(s.title, new RegExp(`^kube-netlens ${n} `));
  }
});

test('check -o json matches docs/schemas/check.schema.json (examples, every rule fixture, corpus apps)', async () => {
  const validate = schema('check');
  let findings = 0;
  for (const dir of [EXAMPLES, ...dirsIn(FIXTURES), path.join(CORPUS, 'apps')]) {
    const { code, value } = await json('check', dir, '-o', 'json');
    assert.ok(code === 0 || code === 1, `check ${dir} exited ${code}`);
    assertValid(validate, value, `check ${dir}`);
    assertPlain(value, `check ${dir}`);
    findings += (value as unknown[]).length;
  }
  assert.ok(findings > 50, `the fixtures produce findings to validate (${findings})`);
});

test('connectivity -o json matches docs/schemas/connectivity.schema.json (examples and every corpus case)', async () => {
  const validate = schema('connectivity');
  const cases = dirsIn(path.join(CORPUS, 'connectivity')).map(d => path.join(d, 'input')).filter(d => fs.existsSync(d));
  assert.ok(cases.length >= 10, 'the connectivity corpus is there');
  let rows = 0;
  for (const dir of [EXAMPLES, ...cases]) {
    const { code, value } = await json('connectivity', dir, '-o', 'json');
    assert.equal(code, 0, `connectivity ${dir}`);
    assertValid(validate, value, `connectivity ${dir}`);
    rows += (value as unknown[]).length;
  }
  assert.ok(rows > 100);
});

test('resolve --json matches docs/schemas/resolve.schema.json: found, not found, per-pod, ports, external', async () => {
  const validate = schema('resolve');
  const queries: Array<[string, string, number]> = [
    ['api', 'shop', 0],
    ['api:8081', 'shop', 1],
    ['postgres-0.postgres.data.svc.cluster.local:5432', 'shop', 0],
    ['postgres', 'shop', 1],
    ['nope.other', 'shop', 1],
    ['example.com:443', 'shop', 1],
    ['frontend:80', 'shop', 0],
  ];
  const seen = new Set<string>();
  for (const [q, from, expected] of queries) {
    const { code, value } = await json('resolve', q, '--from', from, EXAMPLES, '--json');
    assert.equal(code, expected, `resolve ${q}`);
    assertValid(validate, value, `resolve ${q}`);
    assertPlain(value, `resolve ${q}`);
    for (const k of Object.keys(value as object)) seen.add(k);
  }
  for (const k of ['reason', 'port', 'ordinal']) assert.ok(seen.has(k), `the queries cover the optional field ${k}`);
});

test('ipam --json matches docs/schemas/ipam.schema.json and holds plain facts (examples, fixtures, settings)', async () => {
  const validate = schema('ipam');
  const runs: string[][] = [
    [EXAMPLES],
    [FIXTURES],
    [FIXTURES, '--ipblock-reading', 'all'],
    [path.join(EXAMPLES, 'shop'), '--pod-cidr', '10.96.0.0/16', '--service-cidr', '10.96.0.0/12'],
    [path.join(FIXTURES, 'cidr-invalid')],
  ];
  const kinds = new Set<string>();
  for (const args of runs) {
    const { code, value } = await json('ipam', ...args, '--json');
    assert.equal(code, 0);
    assertValid(validate, value, `ipam ${args.join(' ')}`);
    assertPlain(value, `ipam ${args.join(' ')}`);
    const v = value as { problems: Array<{ file: string | null }> };
    for (const e of Object.values(value as Record<string, unknown>).flat() as Array<Record<string, unknown>>) {
      if (e && typeof e === 'object' && 'role' in e) kinds.add(e.error ? 'invalid' : e.setting ? 'setting' : 'manifest');
    }
    if (v.problems.some(p => p.file === null)) kinds.add('settings problem');
  }
  for (const k of ['invalid', 'manifest', 'setting', 'settings problem']) assert.ok(kinds.has(k), `the runs cover ${k} entries`);
});

test('the schemas are strict: an unknown or missing field fails', async () => {
  const { value } = await json('ipam', EXAMPLES, '--json');
  const validate = schema('ipam');
  const v = structuredClone(value) as { podRanges: Array<Record<string, unknown>> };
  v.podRanges[0]!.where = 'cluster/kubeadm.yaml:8';
  assert.equal(validate(v), false, 'an extra field');
  delete v.podRanges[0]!.where;
  delete v.podRanges[0]!.size;
  assert.equal(validate(v), false, 'a missing size');
  assert.equal(schema('check')([{ file: 'a.yaml', line: 0, column: 1, endLine: 1, endColumn: 2, severity: 'error', rule: 'x', message: 'm' }]), false, 'line 0');
});
