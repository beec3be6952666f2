// `npm run bench`: measures the code as it ships. The bench (bench/run.ts and what it imports from
// src/) is bundled with esbuild the way scripts/build.mjs bundles the extension and the CLI (one
// CommonJS file, no name-keeping wrappers, our own modules' bindings read directly), and so is the
// first scan's worker thread; the peers (Monokle, yaml-language-server) stay in node_modules as they
// ship. Under tsx every named function paid a `__name` call and every binding imported from our own
// modules a getter, which the product does not. The bundle lands in bench/ so that the bench's paths (`__dirname`) are
// those of its sources; both files are ignored by git.
//   node scripts/bench.mjs [bench options]   (options: see bench/run.ts)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root };
const PEERS = ['@monokle/validation', 'yaml-language-server', 'vscode-languageserver-textdocument'];
// In one bundle every module is `require.main`: the "run alone" blocks of bench/diagram.ts and the
// others must not run. The one ES module bundled (scripts/tools.mjs: the test-only helm and kubectl
// of the render section) reads its own location from `import.meta.url`.
const define = { 'require.main': 'undefined', 'import.meta.url': JSON.stringify(pathToFileURL(path.join(root, 'scripts/tools.mjs')).href) };
// The bench's and the tests' modules find the corpus, the examples and the fixtures from their own
// folder: each keeps its `__dirname`. (src/ keeps the bundle's: the worker script is found beside it.)
const ownFolder = {
  name: 'own-folder',
  setup(build) {
    build.onLoad({ filter: /[\\/](bench|test)[\\/].*\.ts$/ }, args => ({
      contents: fs.readFileSync(args.path, 'utf8').replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
      loader: 'ts',
    }));
  },
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['bench/run.ts'], outfile: 'bench/run.bundle.cjs', external: PEERS, define, plugins: [ownFolder] }),
  // src/parallel/parse.ts starts `parse-worker.js` next to the module that runs it: the bundle above.
  esbuild.build({ ...common, entryPoints: ['src/parallel/parse-worker.ts'], outfile: 'bench/parse-worker.js' }),
]);
const run = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'bench/run.bundle.cjs'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
