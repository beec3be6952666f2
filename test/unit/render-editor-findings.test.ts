/**
 * The editor's findings equal `kube-netlens check`'s on a repository with renders (real kubectl and
 * helm from .tools/bin). The extension's path, driven here without VS Code as src/vscode/render.ts
 * and diagnostics.ts drive it: the index holds every manifest but the files a root owns, the renders
 * enter the rendered project built around the index's workspace, and each document's findings are
 * `findingsOn`. The CLI's: `loadProject` and `check`. The fixture (test/fixtures/render-loose) has
 * loose files that an overlay and a chart put pods next to: alone, their Services and policy "select
 * nothing"; beside the renders they do not, and a base's policy for pods only a loose file makes
 * is not the overlay's to call empty.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadProject, renderFlags } from '../../src/cli/load';
import { RenderedProject } from '../../src/core/render/project';
import { findRoots } from '../../src/core/render/roots';
import type { Finding } from '../../src/core/rules/rule';
import { checkFile } from '../../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { fsReader, Renderer } from '../../src/render/renderer';

const BIN = path.resolve(__dirname, '../../.tools/bin');
const flags = () => renderFlags({ 'kustomize-cmd': `${path.join(BIN, 'kubectl')} kustomize`, 'helm-cmd': path.join(BIN, 'helm') });
const FIXTURE = path.resolve(__dirname, '../fixtures/render-loose');

function manifests(dir: string, under = ''): string[] {
  return fs.readdirSync(path.join(dir, under), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap(d => {
    const rel = under ? `${under}/${d.name}` : d.name;
    return d.isDirectory() ? manifests(dir, rel) : /\.ya?ml$/.test(d.name) ? [rel] : [];
  });
}

/** The editor's path: the index's workspace (owned files left out) as the project's loose world, then the renders. */
async function editorPath(dir: string) {
  const abs = (f: string) => path.join(dir, f).split(path.sep).join('/');
  const name = (a: string) => path.relative(dir, a);
  const files = manifests(dir);
  const found = findRoots(files.map(abs), fsReader);
  const index = new Workspace(DEFAULT_SETTINGS);
  for (const f of files) if (!found.owned.has(abs(f))) index.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  const project = new RenderedProject(DEFAULT_SETTINGS, name, name, index);
  const renderer = new Renderer(flags().settings);
  for (const root of found.roots) {
    const result = await renderer.render(root);
    assert.ok(result.ok, `${root.dir} renders`);
    project.setRender(root, result.output);
  }
  return { index, project, files, owned: (f: string) => found.owned.has(abs(f)) };
}

const shape = (f: Finding) => `${f.file}:${f.span.start}-${f.span.end} ${f.severity} ${f.rule} ${f.message}`;

/** Per file, what each side reports, as comparable lines. */
async function compare(dir: string, editor: Awaited<ReturnType<typeof editorPath>>): Promise<{ cli: string[]; editor: string[] }> {
  const { project } = await loadProject([dir], DEFAULT_SETTINGS, flags(), dir);
  const cli = [...project.check()].flatMap(([, fs]) => fs.map(shape)).sort();
  const ours = editor.files.flatMap(f => editor.project.findingsOn(f).map(shape)).sort();
  return { cli, editor: ours };
}

test('the editor reports on loose files and render sources exactly what check reports', async () => {
  const editor = await editorPath(FIXTURE);
  assert.equal(editor.project.renders.length, 2);
  const { cli, editor: ours } = await compare(FIXTURE, editor);
  assert.deepEqual(ours, cli);
  // What the fixture is about: the loose files judged alone say their Services and policy select
  // nothing (a diagnostic the editor showed before it judged them beside the renders) ...
  const alone = ['loose/storefront.yaml', 'loose/tooling.yaml'].flatMap(f => checkFile(editor.index, f).map(x => `${f} ${x.rule}`));
  assert.deepEqual(alone.sort(), [
    'loose/storefront.yaml netpol-selector-matches-nothing', 'loose/storefront.yaml service-selector-matches-nothing',
    'loose/tooling.yaml service-selector-matches-nothing', 'loose/tooling.yaml service-selector-matches-nothing',
  ]);
  // ... and beside the overlay and the chart only the Service that selects nothing anywhere stays.
  // The base's policy for the front end's pods (loose/storefront.yaml puts them in storefront) is not the
  // overlay's to call empty, though the overlay alone holds no front end.
  assert.equal(cli.length, 1, cli.join('\n'));
  assert.match(cli[0]!, /^loose\/tooling\.yaml:\d+-\d+ warning service-selector-matches-nothing selector app=nothing /);
  assert.ok(!ours.some(l => l.startsWith('storefront/base/web.yaml')), ours.join('\n'));
});

test('after edits of a loose file the editor still reports what check reports on the edited repository', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-editor-findings-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const editor = await editorPath(dir);
  // Warm every cache (each render's findings, the renders beside the loose files).
  for (const f of editor.files) editor.project.findingsOn(f);
  const front = path.join(dir, 'loose/storefront.yaml');
  const original = fs.readFileSync(front, 'utf8');
  const edits = [
    // A keystroke that moves nothing between namespaces.
    original.replace('image: front', 'image: front2'),
    // The front end leaves the loose files: the base's policy for it now selects nothing in storefront.
    original.slice(original.indexOf('---\n') + 4),
    // The web Service leaves storefront for a namespace no render puts pods in.
    original.replace('name: web\n  namespace: storefront', 'name: web\n  namespace: other'),
    original,
  ];
  assert.equal(new Set(edits).size, edits.length, 'each edit changes the file');
  for (const text of edits) {
    fs.writeFileSync(front, text);
    editor.index.set('loose/storefront.yaml', text);
    const { cli, editor: ours } = await compare(dir, editor);
    assert.deepEqual(ours, cli, text);
  }
  // Without the front end, the overlay's policy for it selects nothing: the base says so.
  fs.writeFileSync(front, edits[1]!);
  editor.index.set('loose/storefront.yaml', edits[1]!);
  assert.ok(editor.project.findingsOn('storefront/base/web.yaml').some(f => f.rule === 'netpol-selector-matches-nothing'));
  editor.index.delete('loose/tooling.yaml');
  fs.rmSync(path.join(dir, 'loose/tooling.yaml'));
  editor.files.splice(editor.files.indexOf('loose/tooling.yaml'), 1);
  const { cli, editor: ours } = await compare(dir, editor);
  assert.deepEqual(ours, cli);
  fs.rmSync(dir, { recursive: true, force: true });
});
