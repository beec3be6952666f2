#!/usr/bin/env node
// Integration tests: mocha suites from test/integration/**/*.test.ts run INSIDE VS Code's extension
// host through @vscode/test-electron's runTests, with the examples/ folder open.
//   npm run test:integration
// Which VS Code: env VSCODE_EXECUTABLE (a desktop VS Code binary, e.g. /usr/share/code/code), else
// the project's shim scripts/vscode/code-shim.mjs, which runs code-server + headless chromium.
// The extension host runs with KUBE_NETLENS_HOST_TIMING=1 (src/vscode/hostTiming.ts): the host-timing
// test writes test-results/host-timing.json, which `npm run bench` reports.
// Env: MOCHA_GREP, MOCHA_TIMEOUT, EXT_TEST_TIMEOUT_MS (shim), VERBOSE=1, SKIP_BUILD=1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { ROOT, EXAMPLES_DIR, VSCODE_TEST_DIR } from './vscode/config.mjs';
import { ensureInstalled } from './vscode/install.mjs';
import { ensureTools } from './tools.mjs';

const SRC = path.join(ROOT, 'test', 'integration');
const OUT = path.join(ROOT, 'out', 'test', 'integration');
const SHIM = path.join(ROOT, 'scripts', 'vscode', 'code-shim.mjs');

function listTs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listTs(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Compiles test/integration/**\/*.ts to out/test/integration (CommonJS, one file per source). */
export async function compileIntegrationTests() {
  fs.rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: listTs(SRC), outdir: OUT, outbase: SRC, bundle: false,
    platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'warning',
  });
  // The workspace generator the bench uses (the host-timing test imports ../../bench/gen).
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench', 'gen.ts')], outdir: path.join(ROOT, 'out', 'bench'), bundle: false,
    platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
  });
  return path.join(OUT, 'index.js');
}

async function main() {
  const t0 = Date.now();
  if (!process.env.SKIP_BUILD) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const index = await compileIntegrationTests();
  ensureTools(); // the real helm and kubectl the render tests use
  fs.mkdirSync(EXAMPLES_DIR, { recursive: true });
  const desktop = process.env.VSCODE_EXECUTABLE;
  if (!desktop) ensureInstalled();
  const vscodeExecutablePath = desktop || SHIM;
  console.log(`[harness] integration tests with ${desktop ? `desktop VS Code ${desktop}` : 'code-server (scripts/vscode/code-shim.mjs)'}`);
  // Overall watchdog (the shim has its own, shorter, timeout and stops its server itself).
  setTimeout(() => { console.error('[harness] integration tests: overall timeout (20 min)'); process.exit(124); }, 20 * 60000).unref();
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: index.replace(/\.js$/, ''),
      launchArgs: [EXAMPLES_DIR, '--disable-extensions', `--user-data-dir=${path.join(VSCODE_TEST_DIR, 'user-data')}`],
      extensionTestsEnv: { KUBE_NETLENS_TEST: '1', KUBE_NETLENS_HOST_TIMING: '1' },
    });
    console.log(`[harness] integration tests passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`[harness] integration tests failed: ${e.message} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    process.exitCode = 1;
  }
}

await main();
