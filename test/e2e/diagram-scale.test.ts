// UI e2e at scale: the network diagram of the bench's synthetic 2,000-workload workspace in a real
// VS Code. Reports (does not assert times; targets live in docs/diagram.md and `npm run bench`)
// the page's figures: time from the graph message to the drawn picture, time of an update after a
// one-line edit, DOM elements; asserts what must hold whatever the machine: at Fit every namespace
// is drawn collapsed (names readable), focusing a workload draws it, an edit moves no other frame.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateWorkspace } from '../../bench/diagram-workspace';
import { openFile, revealText, runCommand, screenshot, startWorkbench, step, webview, type Workbench } from './lib/workbench';

const N = 2000;

async function focusEditor(page: Workbench['page']): Promise<void> {
  await page.locator('.tab', { hasText: 'team-3.yaml' }).click();
  await page.locator('.tab.active', { hasText: 'team-3.yaml' }).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
}
let wb: Workbench | undefined;
let folder = '';
let objects = 0;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-diagram-scale-'));
  const ws = generateWorkspace(N);
  objects = ws.objects.length;
  for (const f of ws.fileNames) fs.writeFileSync(path.join(folder, f.replace(/^gen:\/\//, '')), ws.get(f)!.manifest.text);
  wb = await startWorkbench({ folder });
}, { timeout: 180000 });

after(async () => {
  await wb?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

test(`the diagram of ${N} workloads: overview, focus on one workload, an edit`, { timeout: 600000 }, async () => {
  const { page } = wb!;
  const diagram = webview(page);
  const body = diagram.locator('body');
  const figures: Record<string, string | number | null> = {};

  await step(page, 'scale-open', async () => {
    await runCommand(page, 'View: Close Primary Side Bar');
    // The manifest first: the diagram opens beside it.
    await openFile(page, 'team-3.yaml');
    // The index's first scan is done (its time is the first-scan figure of docs/bench.md): what
    // follows is the diagram's own time, from the command to the picture.
    await page.locator('.statusbar', { hasText: `${objects} objects` }).waitFor({ timeout: 240000 });
    await page.locator('.statusbar', { hasText: 'indexing' }).waitFor({ state: 'hidden', timeout: 240000 }).catch(() => {});
    const t0 = Date.now();
    await runCommand(page, 'Kube NetLens: Open Network Diagram');
    // The first picture: the page drew the first message (more may follow quickly).
    await diagram.locator('body[data-updates]').waitFor({ timeout: 240000 });
    figures.commandToFirstPictureMs = Number(await body.getAttribute('data-first-drawn-at')) - t0;
    // Where that time went: the page loading until it says `ready`, the host until it posts the
    // first graph (of which building it), the message's way to the page, the page's drawing.
    const at = async (name: string) => Number(await body.getAttribute(`data-${name}`));
    figures.firstCommandToReadyMs = await at('ready-at') - t0;
    figures.firstReadyToHostSentMs = await at('first-host-sent-at') - await at('ready-at');
    figures.firstHostGraphMs = await at('first-host-graph-ms');
    figures.firstHostMessageMs = await at('first-host-message-ms');
    figures.firstHostSentToReceivedMs = await at('first-received-at') - await at('first-host-sent-at');
    figures.firstPageMs = await body.getAttribute('data-first-update-ms');
    // The first picture comes before the flows (the host computes them after it): it says so.
    assert.equal(await body.getAttribute('data-first-pending'), 'flows', 'the first picture comes before the flows');
    assert.match(await body.getAttribute('data-first-status') ?? '', /computing flows…/);
    // The index may still be reading files, and the flows be computed: wait for the picture of all of them.
    await diagram.locator('.frame.frame-namespace').nth(N / 20 - 1).waitFor({ timeout: 240000 });
    await page.locator('.statusbar', { hasText: 'indexing' }).waitFor({ state: 'hidden', timeout: 240000 }).catch(() => {});
    await diagram.locator('body:not([data-pending])').waitFor({ timeout: 240000 });
    figures.commandToFullPictureMs = Date.now() - t0;
    figures.commandToCompletePictureMs = Number(await body.getAttribute('data-complete-at')) - t0;
    assert.match(await diagram.locator('.status').textContent() ?? '', /\b[1-9]\d* flows/, 'the flows came');
    figures.messagesUntilFull = await body.getAttribute('data-updates');
    figures.pageFirstRenderMs = await body.getAttribute('data-update-ms');
    figures.pageLayoutMs = await body.getAttribute('data-layout-ms');
    figures.domElementsAtFit = await body.getAttribute('data-dom-nodes');
    assert.equal(await diagram.locator('.frame.frame-namespace').count(), N / 20, 'every namespace frame is drawn');
    await diagram.getByText('Fit', { exact: true }).click();
    assert.ok(Number(figures.domElementsAtFit) < 10000, `${figures.domElementsAtFit} elements at Fit`);
    // The names' size on screen at Fit: font size times the SVG's scale, from the rendered elements
    // (workload names when drawn, else the frames' names of the overview).
    const sizes = await diagram.locator('.node text.label, .frame .frame-title').evaluateAll(els => els.map(e => {
      const m = (e as SVGGraphicsElement).getScreenCTM();
      return m ? Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(e).fontSize) : 0;
    }).filter(x => x > 0).sort((a, b) => a - b));
    figures.nameFontPxAtFitMin = sizes.length ? Number(sizes[0].toFixed(1)) : null;
    figures.nameFontPxAtFitMedian = sizes.length ? Number(sizes[Math.floor(sizes.length / 2)].toFixed(1)) : null;
    assert.ok(sizes.length >= N / 20, 'every frame has a name on screen');

    // Too large to read expanded: it opens with every namespace collapsed, in the compact grid
    // (layout.ts defaultCollapsed; names at least 9 px at Fit in a panel of 700 × 730 px and more).
    assert.equal(await diagram.locator('.frame.frame-namespace.collapsed').count(), N / 20, 'every namespace collapsed');
    figures.panel = await diagram.locator('.canvas').evaluate(e => `${e.clientWidth} x ${e.clientHeight}`);
  });
  await screenshot(page, 'diagram-2000-overview', { readme: true });

  await step(page, 'scale-focus', async () => {
    await focusEditor(page);
    await revealText(page, 'name: svc-4');
    await runCommand(page, 'Kube NetLens: Show in Network Diagram');
    // The cursor is in the Deployment or the Service svc-4 (Find starts from the cursor).
    await diagram.locator('.node.selected[data-id="workload:team-3/svc-4[Deployment]"], .node.selected[data-id="service:team-3/svc-4"]').first().waitFor({ timeout: 60000 });
    figures.domElementsFocused = await body.getAttribute('data-dom-nodes');
    figures.drawnNodesFocused = await body.getAttribute('data-drawn-nodes');
    assert.ok(Number(figures.drawnNodesFocused) < 1000, 'only the visible part is drawn');
  });
  await screenshot(page, 'diagram-2000-focused', { readme: true });

  await step(page, 'scale-edit', async () => {
    const frames = async () => Object.fromEntries(await diagram.locator('.frame').evaluateAll(els => els.map(e => [e.getAttribute('data-group'), e.getAttribute('transform')])));
    const before = await frames();
    const updates = Number(await body.getAttribute('data-updates'));
    await focusEditor(page);
    await revealText(page, 'replicas: 2');
    const t0 = Date.now();
    await page.keyboard.type('replicas: 5');
    // At least one more update (typing may reach the page as more than one delta).
    for (const end = Date.now() + 120000; Number(await body.getAttribute('data-updates')) <= updates;) {
      assert.ok(Date.now() < end, 'the edit reaches the picture within 120 s');
      await page.waitForTimeout(20);
    }
    // Typing, the index's debounce, the panel's 300 ms batching, the host's graph update and the page's redraw.
    figures.editToPictureMs = Date.now() - t0;
    figures.pageUpdateMs = await body.getAttribute('data-update-ms');
    figures.hostUpdateGraphMs = await body.getAttribute('data-host-graph-ms');
    figures.hostUpdateMessageMs = await body.getAttribute('data-host-message-ms');
    figures.updateSentToReceivedMs = Number(await body.getAttribute('data-received-at')) - Number(await body.getAttribute('data-host-sent-at'));
    figures.pageUpdateDeriveMs = await body.getAttribute('data-derive-ms');
    figures.pageUpdateLayoutMs = await body.getAttribute('data-layout-ms');
    figures.pageUpdateRenderMs = await body.getAttribute('data-render-ms');
    const now = await frames();
    for (const [id, t] of Object.entries(before)) if (id !== 'ns:team-3') assert.equal(now[id], t, `${id} moved`);
  });
  console.log(`# diagram-scale figures ${JSON.stringify(figures)}`);
});
