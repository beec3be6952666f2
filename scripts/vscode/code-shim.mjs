#!/usr/bin/env node
// Stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) on a
// machine without desktop VS Code. It accepts the flags runTests passes
//   --extensionDevelopmentPath=<dir> --extensionTestsPath=<module> [--user-data-dir=..] [--extensions-dir=..] [folder]
// (other --flags such as --no-sandbox or --disable-extensions are ignored), starts a private
// code-server on 127.0.0.1 (fresh user data each run), runs the tests in its Node extension host
// through headless chromium, stops the server and exits with the tests' exit code
// (0 passed, 1 failed, 124 timed out, 2 usage / start-up error).
// Env: EXT_TEST_TIMEOUT_MS (default 300000), VERBOSE=1. Its environment reaches the extension host,
// so runTests({ extensionTestsEnv }) works.
import path from 'node:path';
import { ensureInstalled } from './install.mjs';
import { startServer, exitOnSignals } from './server.mjs';
import { runExtensionTests } from './run-ext-tests.mjs';
import fs from 'node:fs';
import { CODE_SERVER_VERSION, newRunDir } from './config.mjs';

const dev = [];
let tests = '';
let folder = '';
for (const a of process.argv.slice(2)) {
  if (a.startsWith('--extensionDevelopmentPath=')) dev.push(path.resolve(a.slice(a.indexOf('=') + 1)));
  else if (a.startsWith('--extensionTestsPath=')) tests = path.resolve(a.slice(a.indexOf('=') + 1));
  else if (a === '--version') { console.log(`code-server ${CODE_SERVER_VERSION} (VS Code server shim)`); process.exit(0); }
  else if (a.startsWith('-')) continue;
  else folder = path.resolve(a);
}
if (!tests || !dev.length) {
  console.error('code-shim: need --extensionDevelopmentPath=<dir> and --extensionTestsPath=<module>');
  process.exit(2);
}
if (dev.length > 1) console.error(`code-shim: only the first --extensionDevelopmentPath is loaded (${dev[0]})`);

exitOnSignals();
let server;
let code = 2;
try {
  ensureInstalled();
  const runDir = newRunDir('itest');
  const testLog = path.join(runDir, 'mocha.log');
  fs.writeFileSync(testLog, '');
  server = await startServer({ runDir, env: { KUBE_NETLENS_TEST_LOG: testLog, NO_COLOR: '1' } });
  console.log(`[harness] code-server ${server.url} (pid ${server.pid}, log ${server.logFile})`);
  code = await runExtensionTests({
    server, testLog, extensionDevelopmentPath: dev[0], extensionTestsPath: tests, folder: folder || dev[0],
    timeoutMs: Number(process.env.EXT_TEST_TIMEOUT_MS ?? 300000),
  });
  if (code !== 0) console.error(`--- code-server log (${server.logFile}) ---\n${server.logTail(20)}`);
} catch (e) {
  console.error(`code-shim: ${e.stack ?? e}`);
} finally {
  await server?.stop();
}
process.exit(code);
