// UI end-to-end library: a real VS Code workbench (code-server) in headless Debian chromium,
// driven by playwright-core, with kube-netlens installed (linked into the extensions dir).
//
//   const wb = await startWorkbench();                   // server + browser, examples/ open
//   await openFile(wb.page, 'netpol.yaml');              // Quick Open (Ctrl+P)
//   const text = await hoverWord(wb.page, 'cluster.local', { expect: /Service/ });
//   const rows = await readProblems(wb.page, { expect: 'NetworkPolicy' });
//   await runCommand(wb.page, 'Kube NetLens: Show Network Diagram');
//   await webview(wb.page).locator('svg').waitFor();
//   await screenshot(wb.page, 'diagram');                // -> test-results/diagram.png
//   await wb.close();
//
// Every wait has a timeout (playwright's default for the page is 30 s). Nothing sleeps a fixed time.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { EXAMPLES_DIR, RESULTS_DIR } from '../../../scripts/vscode/config.mjs';
import { ensureInstalled } from '../../../scripts/vscode/install.mjs';
import { exitOnSignals, startServer, workbenchUrl, type Server } from '../../../scripts/vscode/server.mjs';
import { launchChromium } from '../../../scripts/vscode/browser.mjs';

export { EXAMPLES_DIR, RESULTS_DIR };

export interface Workbench {
  server: Server;
  ctx: BrowserContext;
  page: Page;
  /** The folder open in the workbench. */
  folder: string;
  /** The workbench URL (open it in a browser while debugging). */
  url: string;
  /** Closes the browser and stops the server (safe to call twice). */
  close(): Promise<void>;
}

export interface StartWorkbenchOptions {
  /** Folder to open (default: the repository's examples/). */
  folder?: string;
  /** Extra VS Code user settings. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** Default timeout for page waits in ms (default 30000). */
  timeoutMs?: number;
  /**
   * An extensions dir prepared by the caller (e.g. with the .vsix installed into it); the repository
   * is then not linked, so the editor runs exactly what was installed.
   */
  extensionsDir?: string;
}

/**
 * Starts a private code-server on 127.0.0.1 with kube-netlens linked into its extensions dir (as a
 * user would have it installed; the extension's dist/ must be built), opens the workbench on
 * `folder` in headless chromium and waits until the explorer shows the folder.
 */
export async function startWorkbench(opts: StartWorkbenchOptions = {}): Promise<Workbench> {
  const folder = path.resolve(opts.folder ?? EXAMPLES_DIR);
  ensureInstalled();
  exitOnSignals();
  const server = await startServer({
    tag: 'e2e', settings: opts.settings ?? {}, env: opts.env ?? {},
    ...(opts.extensionsDir ? { extensionsDir: opts.extensionsDir } : { linkRepo: true }),
  });
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const close = async () => {
    await browser?.close();
    await server.stop();
  };
  try {
    browser = await launchChromium();
    const { ctx, page } = browser;
    page.setDefaultTimeout(opts.timeoutMs ?? 30000);
    const url = workbenchUrl(server, folder);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
    return { server, ctx, page, folder, url, close };
  } catch (e) {
    if (browser) await screenshot(browser.page, 'FAIL-startWorkbench').catch(() => {});
    await close();
    throw new Error(`workbench did not start: ${(e as Error).message}\n--- ${server.logFile} ---\n${server.logTail(20)}`);
  }
}

/** Workspace-relative paths of the YAML files in `dir` (default examples/), sorted. */
export function yamlFiles(dir = EXAMPLES_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The quick input box (Quick Open / command palette). */
function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input');
}

/** Opens a workspace file via Quick Open (Ctrl+P) and waits until its editor shows text. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const name = path.basename(relPath);
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor();
  await quickInput(page).fill(relPath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-line').first().waitFor();
}

/** Text of the visible lines of the active editor (only rendered lines, joined by newlines). */
export async function activeEditorText(page: Page): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
  return (await lines.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
}

/** Screen rectangle of the `occurrence`-th (0-based) rendered occurrence of `text` in the active editor. */
async function textRect(page: Page, text: string, occurrence: number) {
  return page.evaluate(({ text, occurrence }) => {
    const root = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    if (!root) return null;
    // Lines are rendered in DOM order = visual order after sorting by their `top`.
    const lines = Array.from(root.querySelectorAll<HTMLElement>('.view-line')).sort((a, b) => a.offsetTop - b.offsetTop);
    let seen = 0;
    for (const line of lines) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const nodes: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const full = nodes.map(n => n.data).join('').replace(/\u00a0/g, ' ');
      for (let idx = full.indexOf(text); idx >= 0; idx = full.indexOf(text, idx + 1)) {
        if (seen++ !== occurrence) continue;
        // map [idx, idx+len) back to text nodes
        const range = document.createRange();
        let pos = 0;
        for (const n of nodes) {
          const end = pos + n.data.length;
          if (idx >= pos && idx < end) range.setStart(n, idx - pos);
          if (idx + text.length > pos && idx + text.length <= end) { range.setEnd(n, idx + text.length - pos); break; }
          pos = end;
        }
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
    }
    return null;
  }, { text, occurrence });
}

/** Scrolls the active editor so that `text` is rendered (uses the Find widget, then closes it). */
export async function revealText(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+F');
  const find = page.locator('.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input').first();
  await find.waitFor();
  await find.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

export interface HoverOptions {
  /** Which rendered occurrence of `word` (0-based, default 0). */
  occurrence?: number;
  /** Wait for a hover containing this text (default: any hover). */
  expect?: string | RegExp;
  /** Overall timeout in ms (default 30000). */
  timeoutMs?: number;
}

/**
 * Moves the mouse onto `word` in the active editor (real mouse moves with steps; Monaco ignores
 * locator.hover()) and returns the text of the visible hover (`.monaco-hover:not(.hidden)`).
 * Retries moving away and back until a matching hover shows (the extension may still be activating).
 */
export async function hoverWord(page: Page, word: string, opts: HoverOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 30000;
  const deadline = Date.now() + timeoutMs;
  let rect = await textRect(page, word, opts.occurrence ?? 0);
  if (!rect) {
    await revealText(page, word);
    rect = await textRect(page, word, opts.occurrence ?? 0);
  }
  if (!rect) throw new Error(`"${word}" is not visible in the active editor`);
  const hover = opts.expect
    ? page.locator('.monaco-hover:not(.hidden)', { hasText: opts.expect })
    : page.locator('.monaco-hover:not(.hidden)');
  const x = rect.x + Math.min(rect.width / 2, 20);
  const y = rect.y + rect.height / 2;
  for (;;) {
    await page.mouse.move(x - 30, y + rect.height * 2);
    await page.mouse.move(x, y, { steps: 5 });
    try {
      await hover.first().waitFor({ timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      // other hover providers may still be "(loading...)": give them up to 5 s more
      let text = (await hover.first().innerText()).trim();
      const settle = Math.min(deadline, Date.now() + 5000);
      while (/loading\.\.\./i.test(text) && Date.now() < settle) {
        await page.waitForTimeout(100); // poll interval
        text = (await hover.first().innerText().catch(() => text)).trim();
      }
      return text.replace(/\(?loading\.\.\.\)?\s*/gi, '').trim();
    } catch (e) {
      if (Date.now() >= deadline) {
        throw new Error(`no hover${opts.expect ? ` matching ${opts.expect}` : ''} on "${word}" within ${timeoutMs} ms`, { cause: e });
      }
    }
    await page.mouse.move(0, 0);
  }
}

/** Hides any hover and moves the mouse out of the way. */
export async function dismissHover(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
}

export interface ProblemsOptions {
  /** Wait until a row contains this text. */
  expect?: string | RegExp;
  timeoutMs?: number;
}

/**
 * Opens the Problems view (Ctrl+Shift+M) and returns the text of its rows (files and markers, as
 * shown; e.g. "netpol.yaml examples 1", "Policy selects no pods [Ln 4, Col 3]").
 */
export async function readProblems(page: Page, opts: ProblemsOptions = {}): Promise<string[]> {
  await dismissHover(page);
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor();
  const rows = page.locator('.markers-panel .monaco-list-row');
  if (opts.expect) await rows.filter({ hasText: opts.expect }).first().waitFor(opts.timeoutMs ? { timeout: opts.timeoutMs } : {});
  return (await rows.allInnerTexts()).map(t => t.replace(/\s+/g, ' ').trim());
}

/**
 * Runs a command from the command palette (F1) by its title as shown there, e.g.
 * 'Kube NetLens: Show Network Diagram' or 'View: Toggle Panel Visibility'.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await quickInput(page).waitFor();
  await quickInput(page).fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Content of a webview panel. Webviews are nested iframes: iframe.webview > #active-frame.
 * `index` picks among several webviews (default: the last one opened).
 *   await webview(page).locator('#diagram').waitFor();
 */
export function webview(page: Page, index = -1): FrameLocator {
  const outer = page.locator('iframe.webview');
  return (index < 0 ? outer.last() : outer.nth(index)).contentFrame().frameLocator('#active-frame');
}

/**
 * Shows an output channel (via "Output: Show Output Channels...") and returns its visible text.
 * With `expect`, waits until the text contains it.
 */
export async function readOutputChannel(page: Page, name: string, opts: { expect?: string | RegExp; timeoutMs?: number } = {}): Promise<string> {
  await runCommandPick(page, 'Output: Show Output Channels...', name);
  const lines = page.locator('.part.panel .monaco-editor .view-lines');
  await lines.first().waitFor();
  const deadline = Date.now() + (opts.timeoutMs ?? 30000);
  for (;;) {
    const text = (await lines.first().innerText()).replace(/\u00a0/g, ' ');
    const ok = !opts.expect || (typeof opts.expect === 'string' ? text.includes(opts.expect) : opts.expect.test(text));
    if (ok) return text;
    if (Date.now() >= deadline) throw new Error(`output channel "${name}" does not show ${opts.expect}; it shows:\n${text}`);
    await page.waitForTimeout(200); // poll interval
  }
}

/**
 * Runs a command that opens a quick pick, then picks the entry labelled `pick`. The pick's entries
 * are computed when it opens (an output channel may not exist yet), so until the entry shows up
 * (timeout `timeoutMs`, default 30000) the pick is closed and the command run again.
 */
export async function runCommandPick(page: Page, title: string, pick: string, timeoutMs = 30000): Promise<void> {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const entry = rows.filter({ hasText: pick }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await quickInput(page).waitFor();
    await quickInput(page).fill(`>${title}`);
    await rows.filter({ hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
    // the second quick pick replaces the first: wait for its rows, then filter it by typing
    await rows.filter({ hasNotText: title }).first().waitFor();
    await quickInput(page).fill(pick);
    try {
      await entry.waitFor({ timeout: 3000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`"${pick}" is not offered by "${title}"`, { cause: e });
    }
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Saves a PNG of the page to test-results/<name>.png and returns its path. Pictures marked `readme`
 * are also written to media/screenshots/ when UPDATE_SCREENSHOTS=1 (`npm run screenshots`), so the
 * README shows the real editor as the tests last saw it.
 */
export async function screenshot(page: Page, name: string, opts: { readme?: boolean } = {}): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  if (opts.readme && process.env.UPDATE_SCREENSHOTS === '1') {
    const media = path.resolve(RESULTS_DIR, '..', 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, path.basename(file)));
  }
  return file;
}

/** Runs `fn`; on failure saves test-results/FAIL-<name>.png and rethrows. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const file = await screenshot(page, `FAIL-${name}`).catch(() => undefined);
    if (file) console.error(`screenshot of the failure: ${file}`);
    throw e;
  }
}
