// UI e2e on real applications of the shared corpus (opened in place, read only): Online Boutique with
// its NetworkPolicies, kube-thanos (19 workloads, no NetworkPolicy) and cloudnative-pg (47 workloads, the largest). Checks in the real browser
// what must hold on any machine (no two edge labels overlap, every Service on the row of a workload
// it selects, open flows said by badges, not drawn) and reports the DOM size; screenshots of both
// views for docs/diagram.md.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openFile, runCommand, screenshot, startWorkbench, step, webview } from './lib/workbench';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

/** The smallest name on screen (workloads, Services, frames' titles): font size times the SVG's scale, from the rendered elements. */
async function namesAtFit(diagram: ReturnType<typeof webview>): Promise<number | null> {
  const sizes = await diagram.locator('.node text.label, .frame .frame-title').evaluateAll(els => els.map(e => {
    const m = (e as SVGGraphicsElement).getScreenCTM();
    return m ? Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(e).fontSize) : 0;
  }).filter(x => x > 0));
  return sizes.length ? Number(Math.min(...sizes).toFixed(1)) : null;
}
const APPS = [
  { name: 'boutique', folder: path.join(CORPUS, 'apps/microservices-demo'), file: 'release/kubernetes-manifests.yaml', workload: 'workload:default/frontend[Deployment]', policies: true },
  { name: 'kube-thanos', folder: path.join(CORPUS, 'realworld/thanos-io__kube-thanos'), file: 'manifests/thanos-query-deployment.yaml', workload: undefined, policies: false },
  // The corpus's largest: 47 workloads in plain manifests (the operator's release and its samples), one NetworkPolicy.
  // Its namespace `default` (46 workloads) opens as groups (by the family of their names), the largest collapsed into one box each.
  { name: 'cloudnative-pg', folder: path.join(CORPUS, 'realworld/cloudnative-pg__cloudnative-pg'), file: 'releases/cnpg-1.30.0.yaml', workload: undefined, policies: true, groups: true },
];

for (const app of APPS) {
  test(`the diagram of ${app.name}: both views, labels apart, Services on their rows`, { timeout: 300000 }, async () => {
    const wb = await startWorkbench({ folder: app.folder });
    try {
      const { page } = wb;
      const diagram = webview(page);
      const figures: Record<string, unknown> = {};
      await step(page, `apps-${app.name}`, async () => {
        // A manifest first: the extension is active and indexing before the diagram opens.
        await openFile(page, app.file);
        await page.locator('.statusbar', { hasText: 'NetLens' }).waitFor({ timeout: 120000 });
        await runCommand(page, 'View: Close Primary Side Bar');
        // Beside the manifest first, as people open it.
        await runCommand(page, 'Kube NetLens: Open Network Diagram');
        await diagram.locator(app.workload ? `[data-id="${app.workload}"]` : '.node.kind-workload').first().waitFor({ timeout: 120000 });
        await page.locator('.statusbar', { hasText: 'indexing' }).waitFor({ state: 'hidden', timeout: 120000 }).catch(() => {});
        // The complete picture (the first may come before the flows).
        await diagram.locator('body:not([data-pending])').waitFor({ timeout: 120000 });
        await diagram.getByText('Fit', { exact: true }).click();
        figures.panelBeside = await diagram.locator('.canvas').evaluate(e => `${e.clientWidth}x${e.clientHeight}`);
        figures.nameFontPxBeside = await namesAtFit(diagram);
        figures.servicesFoldedBeside = await diagram.locator('.node.with-services').count();
        figures.collapsedBeside = await diagram.locator('.frame.collapsed').count();
        assert.ok(Number(figures.nameFontPxBeside) >= 9, `names ${figures.nameFontPxBeside} px at Fit beside the manifest`);
        if ('groups' in app) {
          // The app's groups, not one box for the namespace.
          figures.groupBoxesBeside = await diagram.locator('.node.group-box').count();
          figures.groupsOpenBeside = await diagram.locator('.subframe').count();
          assert.equal(figures.collapsedBeside, 0, `no namespace collapsed (${JSON.stringify(figures)})`);
          assert.ok(Number(figures.groupBoxesBeside) >= 1, 'groups collapsed into boxes');
        }
      });
      await screenshot(page, `diagram-${app.name}-beside`, { readme: true });
      await step(page, `apps-${app.name}-full-width`, async () => {
        // The manifest closed, the diagram takes the whole width: the page lays the picture out afresh for it.
        await runCommand(page, 'View: Focus First Editor Group');
        await runCommand(page, 'View: Close All Editors in Group');
        let size = '';
        for (const end = Date.now() + 30000; ;) {
          size = await diagram.locator('.canvas').evaluate(e => `${e.clientWidth}x${e.clientHeight}`);
          if (Number(size.split('x')[0]) > 1000) break;
          assert.ok(Date.now() < end, `the diagram takes the whole width (${size})`);
          await page.waitForTimeout(50);
        }
        await diagram.locator(`body[data-laid-for="${size}"]`).waitFor({ timeout: 30000 });
        figures.panelFull = size;
        await diagram.getByText('Fit', { exact: true }).click();
        // Labels are placed apart in the layout; check it on the rendered boxes.
        const boxes = await diagram.locator('.edge-labels .edge-label rect').evaluateAll(els => els.map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }));
        let overlapping = 0;
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
          const [ax, ay, aw, ah] = boxes[i]!, [bx, by, bw, bh] = boxes[j]!;
          if (ax < bx + bw - 0.5 && bx < ax + aw - 0.5 && ay < by + bh - 0.5 && by < ay + ah - 0.5) overlapping++;
        }
        figures.labels = boxes.length;
        figures.overlappingLabels = overlapping;
        assert.equal(overlapping, 0);
        // Every Service on the row of a workload it selects (same y as its selects edge's target).
        // (No named functions inside: the test's TypeScript loader would wrap them in a helper the page lacks.)
        const rows = await diagram.locator('.edges .edge-selects').evaluateAll(els => els.map(e => {
          const [src, dst] = e.getAttribute('data-edge')!.slice('selects:'.length).split('->');
          const a = document.querySelector(`[data-id="${CSS.escape(src!)}"]`)?.getBoundingClientRect();
          const b = document.querySelector(`[data-id="${CSS.escape(dst!)}"]`)?.getBoundingClientRect();
          return { src, beside: !!a && !!b && a.y < b.y + b.height && b.y < a.y + a.height };
        }));
        const off = [...new Set(rows.filter(r => !r.beside).map(r => r.src))].filter(s => !rows.some(r => r.src === s && r.beside));
        assert.deepEqual(off, [], 'Services off their row');
        // Workload names on screen at Fit: font size times the SVG's scale.
        figures.nameFontPxAtFit = await namesAtFit(diagram);
        assert.ok(Number(figures.nameFontPxAtFit) >= 9, `names ${figures.nameFontPxAtFit} px at Fit, full width`);
        figures.domElements = await diagram.locator('body').getAttribute('data-dom-nodes');
        figures.status = await diagram.locator('.status').textContent();
        if (!app.policies) assert.match(String(figures.status), /open flows as badges/);
        if ('groups' in app) {
          figures.collapsedFull = await diagram.locator('.frame.collapsed').count();
          figures.groupBoxesFull = await diagram.locator('.node.group-box').count();
          figures.groupsOpenFull = await diagram.locator('.subframe').count();
          assert.equal(figures.collapsedFull, 0, `no namespace collapsed (${JSON.stringify(figures)})`);
          assert.ok(Number(figures.groupBoxesFull) >= 1 && Number(figures.groupsOpenFull) >= 1, 'some groups collapsed, others drawn as their rows');
        }
      });
      await screenshot(page, `diagram-${app.name}-policy`, { readme: true });
      await step(page, `apps-${app.name}-dependencies`, async () => {
        await diagram.locator('select[aria-label="View"]').selectOption('dependencies');
        await diagram.locator('.edges > .edge-flow').first().waitFor({ state: 'detached' });
      });
      await screenshot(page, `diagram-${app.name}-dependencies`, { readme: true });
      if ('groups' in app) {
        await step(page, `apps-${app.name}-group-click`, async () => {
          figures.nameFontPxDependencies = await namesAtFit(diagram);
          figures.groupBoxesDependencies = await diagram.locator('.node.group-box').count();
          figures.groupsOpenDependencies = await diagram.locator('.subframe').count();
          assert.ok(Number(figures.nameFontPxDependencies) >= 9, `names ${figures.nameFontPxDependencies} px at Fit, Dependencies view`);
          assert.equal(await diagram.locator('.frame.collapsed').count(), 0, 'no namespace collapsed');
          assert.ok(Number(figures.groupBoxesDependencies) + Number(figures.groupsOpenDependencies) >= 2, 'the groups are drawn');
          // Back to the Policy view (its default: some groups collapsed).
          await diagram.locator('select[aria-label="View"]').selectOption('policy');
          await diagram.locator('.node.group-box').first().waitFor({ timeout: 30000 });
          // A click on a group's box draws its workloads (in an outline under its title); a click on the title collapses it again.
          const box = diagram.locator('.node.group-box').first();
          const id = (await box.getAttribute('data-id'))!;
          const before = await diagram.locator('.node.kind-workload:not(.group-box)').count();
          await box.click();
          await diagram.locator(`.subframe[data-toggle="${id}"]`).waitFor({ timeout: 30000 });
          await diagram.locator(`.node[data-id="${id}"]`).waitFor({ state: 'detached', timeout: 30000 });
          figures.workloadsAfterExpand = await diagram.locator('.node.kind-workload:not(.group-box)').count();
          figures.workloadsBeforeExpand = before;
          assert.ok(Number(figures.workloadsAfterExpand) > before, 'its workloads are drawn');
          await diagram.locator(`.subframe[data-toggle="${id}"] .subframe-title`).first().click();
          await diagram.locator(`.node[data-id="${id}"]`).waitFor({ timeout: 30000 });
        });
      }
      console.log(`# diagram-apps ${app.name} ${JSON.stringify(figures)}`);
    } finally {
      await wb.close();
    }
  });
}
