#!/usr/bin/env node
// UI end-to-end tests: every test/e2e/**/*.test.ts with node's test runner, one file at a time.
// Each file starts its own code-server + headless chromium through test/e2e/lib/workbench.ts.
//   npm run test:e2e [-- extra node --test args]      Env: SKIP_BUILD=1, CHROMIUM_PATH, HEADED=1
// Screenshots go to test-results/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, RESULTS_DIR, EXAMPLES_DIR } from './vscode/config.mjs';
import { ensureInstalled } from './vscode/install.mjs';
import { findFiles, runNodeTests } from './node-test.mjs';

const t0 = Date.now();
if (!process.env.SKIP_BUILD) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
ensureInstalled();
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.mkdirSync(EXAMPLES_DIR, { recursive: true });
const files = findFiles(path.join(ROOT, 'test', 'e2e')).map(f => path.relative(ROOT, f));
if (!files.length) {
  console.log('no e2e tests (test/e2e/**/*.test.ts)\n# pass 0\n# fail 0');
  process.exit(0);
}
const code = await runNodeTests(files, { cwd: ROOT, timeoutMs: 30 * 60000, extraArgs: ['--test-concurrency=1', ...process.argv.slice(2)] });
console.log(`[harness] e2e finished in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, RESULTS_DIR)}/`);
process.exit(code);
