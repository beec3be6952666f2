// Builds the bundles with esbuild: the extension (Node, CommonJS, `vscode` external),
// its worker thread for the git comparisons, the CLI (Node, CommonJS, with a shebang), the worker
// thread of the first scan (both load it) and the diagram page (browser, IIFE).
//   node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

const targets = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The worker thread of the comparisons with git (src/vscode/changes.ts), loaded next to the extension.
  { ...common, entryPoints: ['src/vscode/changesWorker.ts'], outfile: 'dist/changesWorker.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  // The first scan's parse on worker threads (src/parallel/parse.ts), loaded next to the extension and the CLI.
  { ...common, entryPoints: ['src/parallel/parse-worker.ts'], outfile: 'dist/parse-worker.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('watching…');
} else {
  await Promise.all(targets.map(t => esbuild.build(t)));
  fs.chmodSync('dist/cli.js', 0o755);
}
