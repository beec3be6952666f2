// UI e2e: Kustomize overlays and a Helm chart in a real VS Code (test/fixtures/render, rendered with
// the real kubectl and helm from .tools/bin): the diagram draws the rendered objects, its side panel
// says which overlay rendered a node, and "Open in editor" opens the base, not the render.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openFile, runCommand, screenshot, startWorkbench, step, webview, type Workbench } from './lib/workbench';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, '.tools', 'bin');
const DEV_API = 'workload:dev/dev-api[Deployment]';

let wb: Workbench | undefined;
let folder = '';

before(async () => {
  assert.ok(fs.existsSync(path.join(BIN, 'kubectl')), 'run scripts/tools.mjs first');
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-render-'));
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'render'), folder, { recursive: true });
  wb = await startWorkbench({
    folder,
    settings: { 'kubeNetlens.kustomizeCommand': `${path.join(BIN, 'kubectl')} kustomize`, 'kubeNetlens.helmCommand': path.join(BIN, 'helm') },
  });
}, { timeout: 180000 });

after(async () => {
  await wb?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

test('the diagram shows what the overlays render, says which overlay, and reveals the base', { timeout: 240000 }, async () => {
  const { page } = wb!;
  const diagram = webview(page);

  await step(page, 'render-diagram-open', async () => {
    await openFile(page, 'overlay-app/overlays/dev/kustomization.yaml');
    await runCommand(page, 'Kube NetLens: Open Network Diagram');
    // The overlays' names and namespaces (dev-api in dev, api in prod) and the chart's release.
    await diagram.locator(`[data-id="${DEV_API}"]`).waitFor({ timeout: 90000 });
    await diagram.locator('[data-id="workload:prod/api[Deployment]"]').waitFor();
    await diagram.locator('[data-id="workload:default/web[Deployment]"]').waitFor();
    assert.equal(await diagram.locator('[data-id="workload:default/api[Deployment]"]').count(), 0, 'the base is not drawn as it is');
  });

  await step(page, 'render-side-panel', async () => {
    await diagram.locator(`[data-id="${DEV_API}"]`).click();
    await diagram.locator('.side h2', { hasText: 'dev-api' }).waitFor();
    assert.equal(await diagram.locator('.side .rendered-from').textContent(), 'rendered from overlay overlay-app/overlays/dev');
  });
  await screenshot(page, 'e2e-render-diagram');

  await step(page, 'render-open-in-editor-reveals-the-base', async () => {
    await diagram.locator('.side button', { hasText: 'Open in editor' }).click();
    await page.locator('.tab.active', { hasText: 'app.yaml' }).waitFor();
    // The editor opens beside the diagram, which keeps the focus. The Deployment is selected (its
    // spaces drawn as dots); the lines after it read as written.
    const handle = await page.waitForFunction(() => {
      const texts = Array.from(document.querySelectorAll('.monaco-editor .view-lines')).map(e => (e.textContent ?? '').replace(/\u00a0/g, ' '));
      return texts.find(t => /image:\s+client:1/.test(t));
    });
    const text = String(await handle.jsonValue());
    assert.match(text, /value: http:\/\/api:80/);
    assert.doesNotMatch(text, /dev-api|config\.kubernetes\.io\/origin/, 'the base, not the render');
  });
});
