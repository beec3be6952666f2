// Shared constants and small helpers for the editor harness (code-server = VS Code server + web
// workbench, run offline from the npm registry). Everything lives under <repo>/.vscode-test/.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** code-server 4.100.3 ships VS Code 1.100.3; it is the newest release whose engines accept Node 20. */
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION ?? '4.100.3';
export const VSCODE_TEST_DIR = path.join(ROOT, '.vscode-test');
export const CS_PREFIX = path.join(VSCODE_TEST_DIR, 'code-server');
export const CS_MODULE = path.join(CS_PREFIX, 'node_modules', 'code-server');
export const CS_ENTRY = path.join(CS_MODULE, 'out', 'node', 'entry.js');
export const CS_MARKER = path.join(CS_PREFIX, '.installed.json');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Identifier of this extension as VS Code sees it: <publisher>.<name>. */
export function extensionInfo() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return { id: `${pkg.publisher}.${pkg.name}`, version: pkg.version, displayName: pkg.displayName, pkg };
}

/**
 * Directory for runs (user data, extensions dir, TMPDIR, logs). Normally <repo>/.vscode-test/runs.
 * VS Code creates unix sockets (vscode-ipc-<uuid>.sock, ~52 chars) in TMPDIR and unix socket paths
 * are limited to 107 bytes, so if the repository path is long fall back to a short dir in /tmp.
 */
export function runsDir() {
  const preferred = path.join(VSCODE_TEST_DIR, 'runs');
  // <base>/<tag>-XXXXXX/tmp/vscode-ipc-<uuid>.sock = base + 70 chars
  if (preferred.length + 70 <= 107) return preferred;
  const hash = crypto.createHash('sha1').update(ROOT).digest('hex').slice(0, 8);
  return path.join('/tmp', `knl-${hash}`);
}

/** A fresh, unique run directory (kept after the run for logs; old ones are pruned). */
export function newRunDir(tag) {
  const base = runsDir();
  fs.mkdirSync(base, { recursive: true });
  pruneRuns(base, 8);
  return fs.mkdtempSync(path.join(base, `${tag.slice(0, 6)}-`));
}

function pruneRuns(base, keep) {
  const dirs = fs.readdirSync(base, { withFileTypes: true }).filter(d => d.isDirectory())
    .map(d => ({ p: path.join(base, d.name), t: fs.statSync(path.join(base, d.name)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const d of dirs.filter(d => path.basename(d.p) !== 'start').slice(keep)) {
    // never delete a run whose server is still alive
    const pidFile = path.join(d.p, 'server.pid');
    if (fs.existsSync(pidFile) && isAlive(Number(fs.readFileSync(pidFile, 'utf8')))) continue;
    fs.rmSync(d.p, { recursive: true, force: true });
  }
}

export function isAlive(pid) {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Is `port` free on 127.0.0.1? */
export function portIsFree(port) {
  return new Promise(resolve => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free ephemeral port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Poll `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function pollUntil(fn, { timeoutMs = 30000, intervalMs = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { lastErr = e; }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

export const log = (...a) => console.log('[harness]', ...a);
export const isCI = !!process.env.CI;
export { os };
