// UI e2e: what a user sees in a real VS Code on examples/ — hovers, the Problems view, a quick fix.
// Each step leaves a screenshot in test-results/ (the README's pictures come from here).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { activeEditorText, dismissHover, hoverWord, openFile, readProblems, revealText, runCommand, screenshot, startWorkbench, step, webview, type Workbench } from './lib/workbench';

let wb: Workbench | undefined;
before(async () => { wb = await startWorkbench(); }, { timeout: 120000 });
after(async () => { await wb?.close(); });

test('hovering a DNS name in an env var shows its resolution', { timeout: 120000 }, async () => {
  const { page } = wb!;
  await step(page, 'dns-hover', async () => {
    await openFile(page, 'shop/api.yaml');
    await revealText(page, 'postgres.data');
    const text = await hoverWord(page, 'postgres.data', { expect: 'postgres.data.svc.cluster.local' });
    assert.match(text, /Service data\/postgres \(headless\)/);
    assert.match(text, /data\/postgres\[StatefulSet\]/);
    await screenshot(page, 'hover-dns', { readme: true });
    await dismissHover(page);
  });
});

test('hovering the podSubnet shows the range facts', { timeout: 120000 }, async () => {
  const { page } = wb!;
  await step(page, 'cidr-hover', async () => {
    await openFile(page, 'cluster/kubeadm.yaml');
    const text = await hoverWord(page, '10.244.0.0/16', { expect: '65,536 addresses' });
    assert.match(text, /Fits 256 nodes at \/24/);
    assert.match(text, /No overlap with the service range/);
    await screenshot(page, 'hover-cidr', { readme: true });
    await dismissHover(page);
  });
});

test('the Problems view lists the findings on examples/ with their rule ids', { timeout: 120000 }, async () => {
  const { page } = wb!;
  await step(page, 'problems', async () => {
    await openFile(page, 'policies/shop.yaml');
    const rows = await readProblems(page, { expect: 'host bits', timeoutMs: 30000 });
    const row = rows.find(r => /203\.0\.113\.7\/24 has host bits set/.test(r));
    assert.ok(row, `rows: ${rows.join(' | ')}`);
    assert.match(row, /cidr-host-bits/);
    await screenshot(page, 'problems', { readme: true });
  });
  await step(page, 'quick-fix', async () => {
    // Selecting the row reveals the finding in the editor; Ctrl+. on it lists its quick fixes. The
    // fixes are computed on request, so a first press can come too early: ask again until they show.
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'host bits' }).first();
    const fix = page.locator('.context-view', { hasText: 'Replace with 203.0.113.0/24' }).getByText('Replace with 203.0.113.0/24');
    for (let attempt = 0; ; attempt++) {
      await row.click();
      await page.keyboard.press('Control+.');
      try {
        await fix.waitFor({ timeout: 5000 });
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await screenshot(page, 'quick-fix', { readme: true });
    await fix.click();
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'host bits' }).waitFor({ state: 'detached', timeout: 20000 });
    assert.match(await activeEditorText(page), /cidr: 203\.0\.113\.0\/24/);
    // Leave examples/ as it was on disk.
    await page.keyboard.press('Control+Z');
  });
});

test('the network diagram draws the demo workspace', { timeout: 120000 }, async () => {
  const { page } = wb!;
  await step(page, 'diagram', async () => {
    // Room for the picture: no editors, no panel, no side bar; the diagram then takes the window.
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'View: Hide Panel');
    await runCommand(page, 'View: Close Primary Side Bar');
    await runCommand(page, 'Kube NetLens: Open Network Diagram');
    const diagram = webview(page);
    await diagram.locator('[data-id="workload:data/postgres[StatefulSet]"]').waitFor({ timeout: 60000 });
    // The first picture may come before the flows and DNS edges: the complete one.
    await diagram.locator('body:not([data-pending])').waitFor({ timeout: 60000 });
    await diagram.getByText('Fit', { exact: true }).click();
    assert.equal(await diagram.locator('.frame.frame-namespace').count(), 2, 'namespaces data and shop');
    assert.equal(await diagram.locator('.edges > .edge-dns.edge-blocked').count(), 1, 'api → cache:6379 is blocked');
    await screenshot(page, 'diagram', { readme: true });
  });
  await step(page, 'diagram-restore', async () => {
    // The panel's serializer brings the diagram back after a reload, drawn again from the index.
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor();
    await webview(page).locator('[data-id="workload:data/postgres[StatefulSet]"]').waitFor({ timeout: 90000 });
  });
});
