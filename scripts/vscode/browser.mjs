// Headless Debian chromium driven by playwright-core (no browser download), fully offline.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, runsDir } from './config.mjs';

/**
 * Launches chromium with a throw-away profile under the runs dir.
 * Returns { ctx, page, close() }. Env: CHROMIUM_PATH, HEADED=1 (show the window, needs a display).
 */
export async function launchChromium(opts = {}) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  fs.mkdirSync(runsDir(), { recursive: true });
  const profile = fs.mkdtempSync(path.join(runsDir(), 'chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: !process.env.HEADED,
    viewport: { width: 1400, height: 900 },
    timeout: 60000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, TMPDIR: profile },
    ...opts,
  });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { ctx, page, close };
}

/**
 * Newer VS Code builds (seen in 1.139, not 1.100) honour extensionDevelopmentPath/extensionTestsPath
 * from the URL `payload` only if developmentOptions.enableSmokeTestDriver is set, which code-server's
 * CLI cannot set. Patch it in where the workbench reads its embedded configuration. Harmless on 1.100.
 * (Rewriting the HTML with page.route breaks the workbench's WebSocket: don't.)
 */
export async function enableDevPayload(ctx) {
  await ctx.addInitScript(() => {
    const orig = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const v = orig.call(this, name);
      if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && v) {
        const cfg = JSON.parse(v);
        cfg.developmentOptions = { ...(cfg.developmentOptions ?? {}), enableSmokeTestDriver: true };
        return JSON.stringify(cfg);
      }
      return v;
    };
  });
}
