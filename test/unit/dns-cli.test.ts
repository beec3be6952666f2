import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';

const EXAMPLES = path.resolve(__dirname, '../../examples');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: l => out.push(l), err: l => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('resolve --json: a per-pod name with its StatefulSet, workloads as ns/name[Kind], and the port', async () => {
  const r = await run('resolve', 'postgres-0.postgres.data.svc.cluster.local:5432', '--from', 'shop', EXAMPLES, '--json');
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(
    { query: j.query, from: j.from, fqdn: j.fqdn, found: j.found, type: j.type, target: j.target, workloads: j.workloads, port: j.port },
    {
      query: 'postgres-0.postgres.data.svc.cluster.local', from: 'shop', fqdn: 'postgres-0.postgres.data.svc.cluster.local',
      found: true, type: 'A', target: { kind: 'StatefulSet', namespace: 'data', name: 'postgres' },
      workloads: ['data/postgres[StatefulSet]'], port: { requested: 5432, exposed: true, direct: true, targetPort: 5432 },
    });
});

test('resolve: not found exits 1 and says why; an unexposed port exits 1; usage errors exit 2', async () => {
  const miss = await run('resolve', 'postgres', '--from', 'shop', EXAMPLES);
  assert.equal(miss.code, 1);
  assert.match(miss.out, /does not resolve from namespace shop: .*write postgres\.data/);
  assert.match(miss.out, /postgres\.shop\.svc\.cluster\.local: NXDOMAIN/);
  const port = await run('resolve', 'api:8081', '--from', 'shop', EXAMPLES, '--json');
  assert.equal(port.code, 1);
  assert.deepEqual(JSON.parse(port.out).port, { requested: 8081, exposed: false, direct: false, targetPort: null });
  const ok = await run('resolve', 'api:8080', '--from', 'shop', EXAMPLES);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /api → api\.shop\.svc\.cluster\.local \(A\) → Service shop\/api/);
  assert.match(ok.out, /port 8080: exposed, targetPort http/);
  assert.equal((await run('resolve', '--from', 'shop', EXAMPLES)).code, 2);
  assert.equal((await run('resolve', 'api', '--from', 'shop')).code, 2);
  assert.equal((await run('resolve', 'api', '--from', 'shop', '--workload', 'Deployment/nope', EXAMPLES)).code, 2);
});
