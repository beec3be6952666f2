#!/usr/bin/env node
// `npm start`: build the extension, install the VS Code server on first use, and serve a real
// VS Code (code-server, web workbench) on 127.0.0.1 with kube-netlens installed and examples/ open.
// kube-netlens is linked into the server's extensions dir, so after `npm run build` a
// "Developer: Reload Window" in the browser picks up the new build.
// Env: PORT (default 8080; if 8080 is taken, a free port). Ctrl+C stops the server and its processes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, EXAMPLES_DIR, runsDir, portIsFree, freePort, isAlive, log } from './vscode/config.mjs';
import { ensureInstalled } from './vscode/install.mjs';
import { startServer, exitOnSignals, workbenchUrl } from './vscode/server.mjs';

async function choosePort() {
  if (process.env.PORT) {
    const port = Number(process.env.PORT);
    if (!(await portIsFree(port))) throw new Error(`PORT=${port} is already in use on 127.0.0.1`);
    return port;
  }
  if (await portIsFree(8080)) return 8080;
  const port = await freePort();
  log(`port 8080 is in use, using ${port}`);
  return port;
}

async function main() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  ensureInstalled();
  fs.mkdirSync(EXAMPLES_DIR, { recursive: true });

  // One persistent run dir, so UI state (open editors, layout) survives restarts.
  const runDir = path.join(runsDir(), 'start');
  fs.mkdirSync(runDir, { recursive: true });
  const pidFile = path.join(runDir, 'server.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    if (isAlive(pid)) throw new Error(`another \`npm start\` server is running (pid ${pid}); stop it with Ctrl+C, or: kill -- -${pid}`);
    fs.rmSync(pidFile);
  }
  fs.rmSync(path.join(runDir, 'tmp'), { recursive: true, force: true });

  exitOnSignals();
  const port = await choosePort();
  const server = await startServer({ runDir, port, linkRepo: true });
  const url = workbenchUrl(server, EXAMPLES_DIR);
  console.log(`
  Kube NetLens in VS Code (code-server, pid ${server.pid}):

      ${url}

  log: ${path.relative(ROOT, server.logFile) || server.logFile}
  After \`npm run build\`, run "Developer: Reload Window" in the browser to load the new build.
  Press Ctrl+C to stop.
`);
  // Stay in the foreground until the server exits (or Ctrl+C stops it).
  const timer = setInterval(() => {
    if (!isAlive(server.pid)) {
      clearInterval(timer);
      console.error(`[harness] code-server exited; last log lines:\n${server.logTail(20)}`);
      process.exit(1);
    }
  }, 1000);
}

main().catch(e => {
  console.error(`[harness] npm start failed: ${e.message}`);
  process.exit(1);
});
