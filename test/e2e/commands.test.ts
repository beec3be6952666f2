// UI e2e: every command Kube NetLens contributes, run from the command palette as a newcomer would,
// in a folder that is not a git repository (a copy of examples/): each one does something visible
// or says why it cannot, and the palette offers only the commands that can do something.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EXAMPLES_DIR, openFile, readOutputChannel, readProblems, runCommand, screenshot, startWorkbench, step, webview, type Workbench } from './lib/workbench';

const ROOT = path.resolve(__dirname, '../..');
const contributed = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string; category: string }> };
}).contributes.commands;
const title = (id: string) => {
  const c = contributed.find(x => x.command === id)!;
  return `${c.category}: ${c.title}`;
};

let wb: Workbench | undefined;
let folder = '';
before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-commands-'));
  fs.cpSync(EXAMPLES_DIR, folder, { recursive: true, filter: src => !path.basename(src).startsWith('.') });
  // A typo in a rule id, as people make them.
  fs.mkdirSync(path.join(folder, '.vscode'));
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), '{\n  "kubeNetlens.rules": {\n    "cidr-hostbits": "off"\n  }\n}\n');
  wb = await startWorkbench({ folder });
}, { timeout: 120000 });
after(async () => {
  await wb?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

const toast = (text: string | RegExp) => wb!.page.locator('.notifications-toasts .notification-toast', { hasText: text });

test('the palette offers the commands that can act, and each says what it did or why not', { timeout: 240000 }, async () => {
  const { page } = wb!;
  const status = page.locator('.statusbar-item', { hasText: /NetLens: \d+ objects · \d+ problems?/ });

  await step(page, 'commands-palette', async () => {
    await openFile(page, 'shop/api.yaml');
    await status.waitFor({ timeout: 90000 });
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Kube NetLens:');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    const offered = (await rows.allInnerTexts()).map(t => t.split('\n')[0]!.trim()).sort();
    await page.keyboard.press('Escape');
    // Reveal Source is what hover links and the diagram run; Hide Connectivity Changes only while they are shown.
    const expected = contributed.filter(c => !['kubeNetlens.reveal', 'kubeNetlens.hideChanges'].includes(c.command)).map(c => `${c.category}: ${c.title}`).sort();
    assert.deepEqual(offered, expected);
  });

  await step(page, 'commands-compare-outside-git', async () => {
    // Not a git repository: said at once, no revision asked for.
    await runCommand(page, title('kubeNetlens.compareWithBase'));
    await toast('no workspace folder is in a git repository').waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no input box for a revision');
    await screenshot(page, 'e2e-commands-compare-outside-git');
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  await step(page, 'commands-reindex', async () => {
    const before = await status.innerText();
    await runCommand(page, title('kubeNetlens.reindex'));
    const log = await readOutputChannel(page, 'Kube NetLens', { expect: /indexed \d+ files[^]*indexed \d+ files/ });
    assert.match(log, /Kube NetLens activated/);
    await openFile(page, 'shop/api.yaml');
    assert.equal(await status.innerText(), before);
  });

  await step(page, 'commands-show-log', async () => {
    await runCommand(page, 'View: Hide Panel');
    await runCommand(page, title('kubeNetlens.showLog'));
    await page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'Kube NetLens activated' }).waitFor();
  });

  await step(page, 'commands-show-in-diagram', async () => {
    // On an object the diagram does not draw: said so, and no diagram opens.
    await openFile(page, 'cluster/kubeadm.yaml');
    await runCommand(page, title('kubeNetlens.showInDiagram'));
    await toast('the cursor is not on an object the network diagram draws').waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.tab', { hasText: 'Network Diagram' }).count(), 0);
    await runCommand(page, 'Notifications: Clear All Notifications');
    // On the api Deployment (the cursor at its first line): the diagram opens with it selected.
    await page.locator('.tab', { hasText: 'api.yaml' }).click();
    await page.locator('.tab.active', { hasText: 'api.yaml' }).waitFor();
    await runCommand(page, title('kubeNetlens.showInDiagram'));
    await webview(page).locator('.side h2', { hasText: /^api$/ }).waitFor({ timeout: 60000 });
    await screenshot(page, 'e2e-commands-show-in-diagram');
  });

  await step(page, 'commands-open-diagram', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, title('kubeNetlens.openDiagram'));
    const diagram = webview(page);
    await diagram.locator('[data-id="workload:data/postgres[StatefulSet]"]').waitFor({ timeout: 60000 });
    await diagram.locator('body:not([data-pending])').waitFor({ timeout: 60000 });
    // Counts in words, and the namespace's two actions apart from each other.
    assert.match(await diagram.locator('.status').innerText(), /4 workloads · \d+ flows · 3 open flows as badges/);
    await diagram.locator('.frame.frame-namespace', { hasText: 'namespace data' }).locator('.frame-title').click();
    await diagram.locator('.side h2', { hasText: 'namespace data' }).waitFor();
    assert.equal(await diagram.locator('.side .kind').innerText(), '1 workload');
    // Read at once (the panel is drawn again when a graph update comes): side by side with a gap,
    // or on a line of its own when the panel is narrow.
    const apart = await diagram.locator('.side .actions').evaluate(el => {
      const [a, b] = Array.from(el.querySelectorAll('button')).map(x => x.getBoundingClientRect());
      return { texts: Array.from(el.querySelectorAll('button')).map(x => x.textContent), ok: !!a && !!b && (b.left >= a.right + 8 || b.top >= a.bottom) };
    });
    assert.deepEqual(apart, { texts: ['Collapse into one box', 'Open in editor'], ok: true });
    await screenshot(page, 'e2e-commands-namespace-side');
  });
});

test('a rule id misspelt in the kubeNetlens.rules setting is flagged where it is written', { timeout: 120000 }, async () => {
  const { page } = wb!;
  await step(page, 'commands-settings-typo', async () => {
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, '.vscode/settings.json');
    const rows = await readProblems(page, { expect: 'Value is not accepted', timeoutMs: 30000 });
    const row = rows.find(r => r.includes('Value is not accepted'))!;
    assert.match(row, /"cidr-host-bits"/, 'the valid ids are listed');
    assert.match(row, /\[Ln 3, Col 5\]/);
    await screenshot(page, 'e2e-commands-settings-typo');
  });
});
