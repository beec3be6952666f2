// The `npm test` orchestrator's parsing of each layer's output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMocha, parseNodeTest, summarize } from '../../scripts/test-summary.mjs';

describe('test summary parsing', () => {
  it('reads node --test TAP and spec summaries (last one wins)', () => {
    assert.deepEqual(parseNodeTest('# tests 5\n# pass 4\n# fail 1\n'), { passed: 4, failed: 1, found: true });
    assert.deepEqual(parseNodeTest('ℹ tests 2\nℹ pass 2\nℹ fail 0\nℹ cancelled 0\n'), { passed: 2, failed: 0, found: true });
    assert.deepEqual(parseNodeTest('# pass 1\n# fail 0\n...\n# pass 7\n# fail 2\n'), { passed: 7, failed: 2, found: true });
    assert.deepEqual(parseNodeTest('\x1b[34mℹ pass 3\x1b[39m\n'), { passed: 3, failed: 0, found: true });
  });

  it('counts cancelled node tests as failed', () => {
    assert.equal(parseNodeTest('# pass 1\n# fail 0\n# cancelled 1\n').failed, 1);
  });

  it('reads mocha epilogues', () => {
    assert.deepEqual(parseMocha('  6 passing (739ms)\n'), { passed: 6, failed: 0, found: true });
    assert.deepEqual(parseMocha('  5 passing (1s)\n  1 failing\n\n  1) suite\n'), { passed: 5, failed: 1, found: true });
    assert.deepEqual(parseMocha('Exit code: 1\n'), { passed: 0, failed: 0, found: false });
  });

  it('fails a layer that ran nothing or crashed, and totals the counts', () => {
    const s = summarize([
      { name: 'unit', passed: 3, failed: 0, exitCode: 0 },
      { name: 'integration', passed: 0, failed: 0, exitCode: 0 },
      { name: 'e2e', passed: 1, failed: 0, exitCode: 1 },
    ]);
    assert.equal(s.ok, false);
    assert.deepEqual(s.rows.map(r => r.ok), [true, false, false]);
    assert.equal(s.passed, 4);
    assert.equal(s.failed, 2);
    assert.equal(summarize([{ name: 'unit', passed: 2, failed: 0, exitCode: 0 }]).ok, true);
  });
});
