// Shared by test-unit.mjs and test-e2e.mjs: list test files and run them with node's test runner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Loads ES-module dependencies natively before tsx (see the file). */
const NATIVE_ESM = path.join(path.dirname(fileURLToPath(import.meta.url)), 'native-esm.cjs');

/** All files under `dir` whose name ends with `suffix`, sorted (Node 20's --test has no glob). */
export function findFiles(dir, suffix = '.test.ts') {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : findFiles(p, suffix);
    return e.name.endsWith(suffix) ? [p] : [];
  }).sort();
}

/**
 * Runs `node --require scripts/native-esm.cjs --import tsx --test <files>` in its own process group; resolves with the exit code.
 * Kills the group after `timeoutMs` and forwards SIGINT/SIGTERM to it.
 */
export function runNodeTests(files, { cwd, timeoutMs = 30 * 60000, extraArgs = [] } = {}) {
  return new Promise(resolve => {
    const args = ['--require', NATIVE_ESM, '--import', 'tsx', '--test', '--test-reporter=spec', ...extraArgs, ...files];
    const child = spawn(process.execPath, args, { cwd, stdio: 'inherit', detached: true });
    const kill = sig => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
    const onSignal = sig => kill(sig);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const timer = setTimeout(() => {
      console.error(`[harness] test run exceeded ${timeoutMs} ms: stopping it`);
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 10000).unref();
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
