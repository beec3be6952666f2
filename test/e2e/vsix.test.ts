// Packaging: the .vsix holds exactly what ships, installs into the real editor the tests use, and the
// installed extension works there (a hover on examples/).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CS_ENTRY, ROOT } from '../../scripts/vscode/config.mjs';
import { hoverWord, openFile, startWorkbench, step, type Workbench } from './lib/workbench';

const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
let dir = '';
let vsix = '';
let wb: Workbench | undefined;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-vsix-'));
  vsix = path.join(dir, 'kube-netlens.vsix');
  // The same options as `npm run package`, on the bundles the test run built.
  execFileSync(process.execPath, [VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix],
    { cwd: ROOT, stdio: 'pipe' });
});
after(async () => {
  await wb?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the package lists exactly what ships', () => {
  const listed = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n').map(l => l.trim()).filter(Boolean).sort();
  const rules = fs.readdirSync(path.join(ROOT, 'docs', 'rules')).map(f => `docs/rules/${f}`);
  const media = (sub: string, ext: RegExp) => fs.readdirSync(path.join(ROOT, 'media', sub)).filter(f => ext.test(f)).map(f => `media/${sub ? `${sub}/` : ''}${f}`);
  const expected = [
    'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'dist/changesWorker.js', 'dist/extension.js', 'dist/parse-worker.js', 'dist/webview.js',
    ...rules, ...media('', /\.(css|svg)$/), ...media('walkthrough', /\.md$/), ...media('screenshots', /\.png$/),
  ].sort();
  assert.deepEqual(listed, expected);
  assert.ok(!listed.some(f => /^(src|test|node_modules|scripts|examples)\/|\.map$|\.ts$/.test(f)), 'no sources, tests or maps');
});

test('the .vsix installs into the real editor and works there', { timeout: 240000 }, async () => {
  const extensionsDir = path.join(dir, 'extensions');
  const out = execFileSync(process.execPath, [CS_ENTRY, '--install-extension', vsix, '--extensions-dir', extensionsDir,
    '--user-data-dir', path.join(dir, 'user-data')], {
    encoding: 'utf8',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data') },
  });
  assert.match(out, /successfully installed/i);
  const installed = fs.readdirSync(extensionsDir).filter(d => d.startsWith('kube-netlens.kube-netlens-'));
  assert.equal(installed.length, 1, `installed: ${fs.readdirSync(extensionsDir).join(', ')}`);
  wb = await startWorkbench({ extensionsDir });
  const { page } = wb;
  await step(page, 'vsix-hover', async () => {
    await openFile(page, 'shop/api.yaml');
    const text = await hoverWord(page, 'cache:6379', { expect: 'Reaches' });
    assert.match(text, /Service shop\/cache/);
  });
});
