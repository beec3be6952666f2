import * as assert from 'node:assert/strict';
import { waitFor } from './helpers';

describe('waitFor helper', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const v = await waitFor(() => (++calls >= 3 ? `value-${calls}` : undefined), 2000, { interval: 10 });
    assert.equal(v, 'value-3');
  });

  it('treats a throwing callback as "not yet" and awaits promises', async () => {
    let calls = 0;
    const v = await waitFor(async () => {
      if (++calls < 2) throw new Error('not ready');
      return 42;
    }, 2000, { interval: 10 });
    assert.equal(v, 42);
  });

  it('rejects after the timeout with the last error', async () => {
    await assert.rejects(
      waitFor(() => { throw new Error('still failing'); }, 100, { interval: 10, message: 'the impossible' }),
      /timed out after 100 ms waiting for the impossible: still failing/,
    );
  });
});
