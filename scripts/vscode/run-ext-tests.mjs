// Runs an extension test module (extensionTestsPath) inside a code-server's Node extension host.
// The web workbench is opened with a `payload` URL parameter carrying extensionDevelopmentPath and
// extensionTestsPath (the mechanism VS Code uses for an "Extension Development Host" on the web).
// When the module's run() settles, the workbench calls window.codeAutomationExit(code), which is
// exposed to it with playwright.
// Output: the extension host's stdout does not come back through the web workbench, so the test
// runner appends its reporter output to `testLog` (env KUBE_NETLENS_TEST_LOG in the extension host),
// and this module streams that file to stdout. VERBOSE=1 also prints the workbench console, where
// development mode forwards the extension host's console.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { launchChromium, enableDevPayload } from './browser.mjs';
import { workbenchUrl } from './server.mjs';

/** Prints what is appended to `file`, until stop() (which prints the rest). */
function follow(file) {
  let pos = 0;
  const pump = () => {
    let fd;
    try { fd = fs.openSync(file, 'r'); } catch { return; }
    try {
      const size = fs.fstatSync(fd).size;
      if (size > pos) {
        const buf = Buffer.alloc(size - pos);
        fs.readSync(fd, buf, 0, buf.length, pos);
        pos = size;
        process.stdout.write(buf);
      }
    } finally { fs.closeSync(fd); }
  };
  const timer = setInterval(pump, 200);
  return { stop() { clearInterval(timer); pump(); } };
}

/** Returns the exit code: 0 passed, 1 failed, 124 timed out. */
export async function runExtensionTests({ server, extensionDevelopmentPath, extensionTestsPath, folder, testLog, timeoutMs = 300000, verbose = !!process.env.VERBOSE }) {
  const remote = p => `vscode-remote://${new URL(server.url).host}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  const url = workbenchUrl(server, path.resolve(folder ?? extensionDevelopmentPath), payload);
  const { ctx, page, close } = await launchChromium();
  const tail = testLog ? follow(testLog) : null;
  try {
    await enableDevPayload(ctx);
    let done;
    const finished = new Promise(r => (done = r));
    await ctx.exposeBinding('codeAutomationExit', (_src, code) => done({ code: Number(code) }));
    if (verbose) {
      page.on('console', async m => {
        let vals = await Promise.all(m.args().map(a => a.jsonValue().catch(() => String(a))));
        // the workbench logs as ('%c INFO', 'color: ...', fmt, ...args)
        if (typeof vals[0] === 'string' && vals[0].startsWith('%c')) vals = vals.slice(2);
        console.log('[workbench]', util.format(...vals));
      });
      page.on('pageerror', e => console.error('[page error]', e.message));
      console.log('[harness] opening', url);
    }
    await page.goto(url);
    let timer;
    const timeout = new Promise(r => (timer = setTimeout(() => r({ code: 124, timeout: true }), timeoutMs)));
    const res = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    if (res.timeout) console.error(`[harness] extension tests timed out after ${timeoutMs} ms`);
    return res.code;
  } finally {
    tail?.stop();
    await close();
  }
}
