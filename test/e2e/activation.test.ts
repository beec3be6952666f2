// UI e2e: opening a manifest from examples/ in a real VS Code activates kube-netlens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openFile, readOutputChannel, screenshot, startWorkbench, step, yamlFiles, type Workbench } from './lib/workbench';

let wb: Workbench | undefined;
before(async () => { wb = await startWorkbench(); }, { timeout: 120000 });
after(async () => { await wb?.close(); });

test('opening a YAML file of examples/ activates Kube NetLens', { timeout: 120000 }, async () => {
  const { page } = wb!;
  const file = yamlFiles()[0];
  assert.ok(file, 'examples/ has no YAML file');
  await step(page, 'activation', async () => {
    await openFile(page, file);
    const text = await readOutputChannel(page, 'Kube NetLens', { expect: 'Kube NetLens activated' });
    assert.match(text, /Kube NetLens activated/);
  });
  await screenshot(page, 'e2e-activation');
});
