// UI e2e: the network diagram in a real VS Code, on a copy of examples/ (the test edits a policy)
// plus a workload whose name is markup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EXAMPLES_DIR, openFile, revealText, runCommand, screenshot, startWorkbench, step, webview, yamlFiles, type Workbench } from './lib/workbench';

const EVIL = '<img src=x onerror=alert(1)>';
const API = 'workload:shop/api[Deployment]';
const POSTGRES = 'workload:data/postgres[StatefulSet]';
const API_TO_POSTGRES = `flow:${API}->${POSTGRES}`;
const SHOP_TO_DATA = 'agg:ns:shop->ns:data';

let wb: Workbench | undefined;
let folder = '';
const dialogs: string[] = [];

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-diagram-'));
  fs.cpSync(EXAMPLES_DIR, folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'shop', 'evil.yaml'), [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: "${EVIL}"`, '  namespace: shop',
    'spec:', '  selector: {matchLabels: {app: evil}}', '  template:', '    metadata:', '      labels: {app: evil}', '',
  ].join('\n'));
  wb = await startWorkbench({ folder });
  wb.page.on('dialog', d => { dialogs.push(d.message()); void d.dismiss(); });
}, { timeout: 180000 });

after(async () => {
  await wb?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

test('the diagram shows the examples, reveals on click, follows an edit and renders markup as text', { timeout: 240000 }, async () => {
  const { page } = wb!;
  const diagram = webview(page);

  await step(page, 'diagram-open', async () => {
    // Open editors are indexed whatever the folder scan does, so the test depends on the diagram alone.
    // The policy file last: it stays the active editor for the edit below.
    for (const f of [...yamlFiles(folder).filter(f => f !== 'policies/shop.yaml'), 'policies/shop.yaml']) await openFile(page, f);
    await runCommand(page, 'Kube NetLens: Open Network Diagram');
    await diagram.locator(`[data-id="${API}"]`).waitFor({ timeout: 60000 });
    // The first picture may come before the flows (the page then says what it is computing).
    await diagram.locator('body:not([data-pending])').waitFor({ timeout: 60000 });
    // Names on screen at Fit in this panel (beside the policy, the side bar open), and whether the
    // page folded the Services into their workloads to make them larger (reported).
    await diagram.getByText('Fit', { exact: true }).click();
    const sizes = await diagram.locator('.node text.label').evaluateAll(els => els.map(e => {
      const m = (e as SVGGraphicsElement).getScreenCTM();
      return m ? Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(e).fontSize) : 0;
    }).filter(x => x > 0));
    const services = diagram.locator('label', { hasText: 'Service boxes' }).locator('input');
    const folded = !(await services.isChecked());
    const panelNow = await diagram.locator('.canvas').evaluate(e => `${e.clientWidth}x${e.clientHeight}`);
    console.log(`# diagram demo names at Fit ${Math.min(...sizes).toFixed(1)} px, panel ${panelNow}, Services folded: ${folded}`);
    assert.ok(Math.min(...sizes) >= 9, `names ${Math.min(...sizes).toFixed(1)} px at Fit (panel ${panelNow})`);
    // The checks below are about the Service boxes.
    if (folded) { await services.check(); await diagram.locator('[data-id="service:shop/api"]').waitFor(); }
    assert.equal(await diagram.locator('.frame.frame-namespace').count(), 2, 'namespaces data and shop');
    assert.equal(await diagram.locator('.frame.frame-outside').count(), 1, 'the ingress controller and the internet');
    assert.ok(await diagram.locator('.edges > .edge-flow').count() >= 1, 'frontend → api, inside shop');
    assert.equal(await diagram.locator('.edges > .edge-dns.edge-blocked').count(), 1, 'api → cache:6379 is blocked');
    // Flows between namespaces are one edge per pair, with its count, until expanded.
    assert.equal(await diagram.locator(`[data-edge="${API_TO_POSTGRES}"]`).count(), 0);
    assert.equal(await diagram.locator(`.edge-label[data-edge="${SHOP_TO_DATA}"]`).textContent(), '1 flow');
    // Each Service on the row of the workload it selects.
    for (const name of ['api', 'cache', 'frontend']) {
      const y = async (id: string) => /translate\([^,]+,([^)]+)\)/.exec((await diagram.locator(`[data-id="${id}"]`).getAttribute('transform')) ?? '')?.[1];
      assert.equal(await y(`service:shop/${name}`), await y(`workload:shop/${name}[Deployment]`), name);
    }
  });
  await screenshot(page, 'e2e-diagram');

  await step(page, 'diagram-expand-aggregate', async () => {
    // Its label (the middle of the path's bounding box may be on another edge, depending on the layout).
    await diagram.locator(`.edge-label[data-edge="${SHOP_TO_DATA}"]`).click({ force: true });
    await diagram.locator(`[data-edge="${API_TO_POSTGRES}"]`).first().waitFor();
  });

  await step(page, 'diagram-explain-on-demand', async () => {
    // A flow comes without its explanation: opening it makes the page send `explain` and the host
    // answer with explain()'s lines for that pair (explainEdge), shown under "Why".
    // The expanded pair, selected by the click above, lists its edges in the side panel: open the flow there.
    await diagram.locator(`.side button[data-edge="${API_TO_POSTGRES}"]`).click();
    await diagram.locator('.side .kind', { hasText: '→' }).first().waitFor();
    const why = diagram.locator('.side h3', { hasText: 'Why' }).locator('xpath=following-sibling::ul[1]/li');
    await why.first().waitFor({ timeout: 30000 });
    assert.equal(await diagram.locator('.side .why-pending').count(), 0, 'no longer "Explaining…"');
    const lines = await why.allTextContents();
    console.log(`# explanation of ${API_TO_POSTGRES}: ${JSON.stringify(lines)}`);
    assert.ok(lines.some(l => /postgres/.test(l)), `the explanation names the policy or peer: ${lines.join(' | ')}`);
  });

  await step(page, 'diagram-markup-is-text', async () => {
    const label = diagram.locator('.node text.label', { hasText: '<img src=x' });
    assert.equal(await label.count(), 1);
    assert.equal(await diagram.locator('img').count(), 0, 'no element was made from the label');
    assert.deepEqual(dialogs, [], 'nothing ran');
  });

  await step(page, 'diagram-click-reveals', async () => {
    await diagram.locator(`[data-id="${API}"]`).click();
    await diagram.locator('.side h2', { hasText: 'api' }).waitFor();
    await page.locator('.tab.active', { hasText: 'api.yaml' }).waitFor();
  });
  await screenshot(page, 'e2e-diagram-reveal');

  await step(page, 'diagram-follows-edit', async () => {
    await page.locator('.tab', { hasText: 'shop.yaml' }).click();
    await page.locator('.tab.active', { hasText: 'shop.yaml' }).waitFor();
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    // api's egress to postgres: port 5432 becomes 5433, which postgres does not serve.
    const where = (id: string) => diagram.locator(`[data-id="${id}"]`).getAttribute('transform');
    const postgresBefore = await where(POSTGRES);
    const updates = Number(await diagram.locator('body').getAttribute('data-updates'));
    await revealText(page, 'port: 5432');
    await page.keyboard.type('port: 5433');
    await diagram.locator(`[data-edge="${API_TO_POSTGRES}"]`).first().waitFor({ state: 'detached', timeout: 15000 });
    // The expanded pair stays expanded: the DNS reference api → postgres.data:5432 is now red.
    await diagram.locator('.edges > .edge-dns.edge-blocked').nth(1).waitFor({ timeout: 15000 });
    assert.equal(await diagram.locator(`[data-id="${API}"]`).count(), 1, 'the node stays');
    assert.ok(Number(await diagram.locator('body').getAttribute('data-updates')) > updates);
    assert.equal(await where(POSTGRES), postgresBefore, 'an edit in shop moves nothing in data');
  });
  await screenshot(page, 'e2e-diagram-after-edit');

  await step(page, 'diagram-dependencies-view', async () => {
    await diagram.locator('select[aria-label="View"]').selectOption('dependencies');
    await diagram.locator('.edges > .edge-dns.edge-allowed').first().waitFor();
    assert.equal(await diagram.locator('.edges > .edge-flow').count(), 0, 'no flows in the Dependencies view');
  });
  await screenshot(page, 'e2e-diagram-dependencies', { readme: true });
});
