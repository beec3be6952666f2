#!/usr/bin/env node
// `npm test`: build, then unit, integration (inside VS Code) and UI e2e tests (VS Code in chromium).
// Prints each layer's counts and a last line "N passed, N failed"; exits non-zero if any layer
// failed or ran no test.   node scripts/test.mjs [unit] [integration] [e2e]   (default: all three)
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMocha, parseNodeTest, summarize } from './test-summary.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = {
  unit: { cmd: ['npm', 'run', '--silent', 'test:unit'], parse: parseNodeTest },
  integration: { cmd: ['npm', 'run', '--silent', 'test:integration'], parse: parseMocha },
  e2e: { cmd: ['npm', 'run', '--silent', 'test:e2e'], parse: parseNodeTest },
};
const wanted = process.argv.slice(2).filter(a => a in LAYERS);
const names = wanted.length ? wanted : Object.keys(LAYERS);

let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { current?.kill(sig); process.exitCode = 130; });
}

/** Runs a command, echoing its output while capturing it. */
function run(cmd) {
  return new Promise(resolve => {
    let out = '';
    const child = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SKIP_BUILD: '1' } });
    current = child;
    child.stdout.on('data', d => { out += d; process.stdout.write(d); });
    child.stderr.on('data', d => { out += d; process.stderr.write(d); });
    child.on('error', e => { out += String(e); });
    child.on('close', (code, signal) => { current = undefined; resolve({ code: code ?? (signal ? 1 : 0), out }); });
  });
}

const t0 = Date.now();
console.log('== build');
try {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
} catch {
  console.log('build failed\n0 passed, 1 failed');
  process.exit(1);
}

// Install the VS Code server up front (no-op when installed) so layer timings are test time only.
if (names.some(n => n !== 'unit')) {
  console.log('\n== VS Code server (code-server)');
  const t = Date.now();
  try {
    execFileSync(process.execPath, ['scripts/vscode/install.mjs', '--browser'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    console.log('VS Code server install failed\n0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`(${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

const results = [];
for (const name of names) {
  console.log(`\n== ${name} tests`);
  const t = Date.now();
  const { code, out } = await run(LAYERS[name].cmd);
  const counts = LAYERS[name].parse(out);
  results.push({ name, passed: counts.passed, failed: counts.failed, exitCode: code, seconds: (Date.now() - t) / 1000 });
  if (process.exitCode === 130) break;
}

const { rows, passed, failed, ok } = summarize(results);
console.log('\n== summary');
for (const r of rows) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds.toFixed(1).padStart(6)} s${r.problems.length ? `  (${r.problems.join(', ')})` : ''}`);
}
console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && process.exitCode !== 130 ? 0 : 1);
