// Start/stop a private code-server (VS Code server + web workbench) on 127.0.0.1.
// Each server runs in its own process group (detached) and is stopped by that group, so the
// extension host, pty host and file watcher go with it. Servers still running when this Node
// process exits (normally, by an uncaught error or by SIGINT/SIGTERM/SIGHUP) are killed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CS_ENTRY, ROOT, freePort, isAlive, newRunDir, pollUntil, extensionInfo } from './config.mjs';

/** Offline, quiet user settings: no gallery, telemetry, update checks, trust prompt or welcome page. */
export const USER_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'window.restoreWindows': 'none',
};

export function writeUserSettings(userDataDir, extra = {}) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2));
}

/**
 * Links the repository into `extensionsDir` as <publisher>.<name>-<version>, the way an installed
 * extension is laid out, so VS Code loads it on start (no packaging; rebuild + reload picks up changes).
 */
export function linkExtension(extensionsDir, extensionPath = ROOT) {
  const { id, version } = extensionInfo();
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `${id}-${version}`);
  fs.rmSync(link, { force: true, recursive: false });
  fs.symlinkSync(extensionPath, link, 'dir');
  return link;
}

const running = new Map(); // pid -> server

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); return true; } catch { /* group gone */ }
  try { process.kill(pid, signal); return true; } catch { return false; }
}

process.on('exit', () => { for (const pid of running.keys()) killGroup(pid, 'SIGKILL'); });

/** On SIGINT/SIGTERM/SIGHUP: stop every server this process started, run `extra`, then exit. */
let signalsHooked = false;
export function exitOnSignals(extra = async () => {}) {
  if (signalsHooked) return;
  signalsHooked = true;
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      if (stopping) { for (const pid of running.keys()) killGroup(pid, 'SIGKILL'); process.exit(130); }
      stopping = true;
      console.error(`\n[harness] ${sig}: stopping`);
      try { await extra(); } catch { /* ignore */ }
      await Promise.all([...running.values()].map(s => s.stop()));
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

function httpOk(url) {
  return new Promise(resolve => {
    const req = http.get(url, { timeout: 2000 }, res => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

/**
 * Starts code-server. Options:
 *  - tag: short name for the run directory (.vscode-test/runs/<tag>-XXXXXX); or runDir: use this one
 *  - port: a port on 127.0.0.1 (default: a free one)
 *  - extensionsDir: default <run>/extensions; `linkRepo: true` links this extension into it
 *  - settings: extra user settings; env: extra environment for the server and its extension host
 *  - timeoutMs: how long to wait for /healthz (default 60 s)
 * Returns { url, port, pid, runDir, logFile, userDataDir, extensionsDir, stop() }.
 */
export async function startServer({ tag = 'srv', runDir, port, extensionsDir, linkRepo = false, settings = {}, env = {}, timeoutMs = 60000 } = {}) {
  if (!fs.existsSync(CS_ENTRY)) throw new Error('code-server is not installed: run `npm run vscode:install`');
  port ||= await freePort();
  runDir ??= newRunDir(tag);
  const userDataDir = path.join(runDir, 'user-data');
  extensionsDir ??= path.join(runDir, 'extensions');
  const tmp = path.join(runDir, 'tmp');
  for (const d of [userDataDir, extensionsDir, tmp, path.join(runDir, 'xdg-config'), path.join(runDir, 'xdg-data')]) fs.mkdirSync(d, { recursive: true });
  writeUserSettings(userDataDir, settings);
  if (linkRepo) linkExtension(extensionsDir);
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');

  const childEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE') childEnv[k] = v;
  Object.assign(childEnv, {
    EXTENSIONS_GALLERY: '{}',                  // no marketplace: code-server would query open-vsx.org
    TMPDIR: tmp,                               // IPC sockets and temp files stay in the run dir
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    ...env,
  });
  const args = [CS_ENTRY, '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', '--disable-proxy'];
  const child = spawn(process.execPath, args, { cwd: runDir, env: childEnv, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pid = child.pid;
  fs.writeFileSync(path.join(runDir, 'server.pid'), String(pid));
  let exited = null;
  child.on('exit', (code, sig) => { exited = { code, sig }; running.delete(pid); });
  child.unref();

  const url = `http://127.0.0.1:${port}`;
  const server = {
    url, port, pid, runDir, logFile, userDataDir, extensionsDir,
    /** Stops the server's whole process group: SIGTERM, then SIGKILL after 5 s. */
    async stop() {
      if (!running.has(pid) && !isAlive(pid)) return;
      killGroup(pid, 'SIGTERM');
      try { await pollUntil(() => !isAlive(pid), { timeoutMs: 5000, intervalMs: 100, what: 'code-server to exit' }); }
      catch { /* fall through */ }
      killGroup(pid, 'SIGKILL'); // leftovers in the group (extension host, pty host)
      running.delete(pid);
      fs.rmSync(path.join(runDir, 'server.pid'), { force: true });
    },
    logTail(lines = 30) {
      try { return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
    },
  };
  running.set(pid, server);
  try {
    await pollUntil(async () => {
      if (exited) throw Object.assign(new Error(`code-server exited (${exited.code ?? exited.sig})`), { fatal: true });
      return httpOk(`${url}/healthz`);
    }, { timeoutMs, intervalMs: 200, what: `code-server on ${url}` });
  } catch (e) {
    await server.stop();
    throw new Error(`${e.message}\n--- ${logFile} ---\n${server.logTail()}`);
  }
  return server;
}

/** `?folder=` URL of the workbench for `folder` (an absolute path on this machine). */
export function workbenchUrl(server, folder, payload) {
  let u = `${server.url}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}
