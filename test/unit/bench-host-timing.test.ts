// The bench's "longest host task during a keystroke" row: read from the file the integration test
// writes (test/integration/host-timing.test.ts), PASS/MISS against 50 ms, n/a without the file.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { hostTimingRow, type HostTimingFile } from '../../bench/host-timing';

function written(data: Partial<HostTimingFile>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-timing-'));
  const file = path.join(dir, 'host-timing.json');
  fs.writeFileSync(file, JSON.stringify({
    measuredAt: '2026-11-29T22:00:00.000Z', editor: 'VS Code 1.100.3 (code-server)', machine: '2 cores',
    workspace: { name: 'synthetic 4980', files: 1260, objects: 4980, editFile: 'ns-30/app-10.yaml' }, keystrokes: 20,
    handlers: {}, ...data,
  }));
  return file;
}

describe('bench: longest extension-host task while typing', () => {
  const now = new Date('2026-11-29T23:00:00.000Z');

  it('is n/a, naming the command that produces it, when the integration test has not written the file', () => {
    const row = hostTimingRow(path.join(os.tmpdir(), 'no-such-dir', 'host-timing.json'), now);
    assert.equal(row.status, 'n/a');
    assert.match(row.note, /npm run test:integration/);
  });

  it('passes when both the longest handler and the event loop stay under 50 ms, and names the handler', () => {
    const row = hostTimingRow(written({
      longest: { handler: 'diagnostics.analyse', ms: 12.3 }, eventLoop: { maxMs: 20.5, p99Ms: 10 },
      handlers: { 'index.parse': { calls: 20, maxMs: 3, totalMs: 30 }, 'diagnostics.analyse': { calls: 20, maxMs: 12.3, totalMs: 100 } },
    }), now);
    assert.equal(row.status, 'PASS');
    assert.equal(row.value, '21 ms (diagnostics.analyse 12 ms; event loop max 21 ms)');
    assert.deepEqual(row.handlers.map(h => h.handler), ['diagnostics.analyse', 'index.parse']);
    assert.match(row.note, /20 keystrokes in ns-30\/app-10\.yaml of synthetic 4980/);
  });

  it('misses when the event loop was blocked longer than any timed handler (an untimed async continuation)', () => {
    const row = hostTimingRow(written({ longest: { handler: 'index.parse', ms: 4 }, eventLoop: { maxMs: 180, p99Ms: 20 } }), now);
    assert.equal(row.status, 'MISS');
    assert.match(row.value, /^180 ms \(index\.parse 4\.0 ms/);
  });

  it('misses at 50 ms and says how old the measurement is', () => {
    const row = hostTimingRow(written({ longest: { handler: 'changesLens.diff', ms: 50 }, measuredAt: '2026-11-25T22:00:00.000Z' }), now);
    assert.equal(row.status, 'MISS');
    assert.match(row.note, /\(4 days ago\)$/);
  });
});
