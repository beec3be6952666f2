/**
 * `kube-netlens check` on a repository with many renders, its analysis apart from the renders:
 *   PATH=$PWD/.tools/bin:$PATH node --expose-gc --require ./scripts/native-esm.cjs --import tsx [--cpu-prof] \
 *     bench/profile-renders.ts DIR [runs] [cache.json]
 * The renders (kubectl kustomize, helm: child processes) run once and are kept in `cache.json`
 * (default: DIR's name in the system's temporary folder), so later runs time only what the CLI's
 * own thread does: loading the loose files and the renders into a project (parse, source maps) and
 * `check` over every world, and the diagram of every render (again after a keystroke in a loose
 * file, as the editor's panel updates). Prints CPU time (this process) and heap per phase, per run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGraph } from '../src/core/graph/build';
import { mergeRenderedGraphs } from '../src/core/render/graph';
import { isExcludedDir, isManifestPath } from '../src/core/files';
import { RenderedProject, type RenderOutput } from '../src/core/render/project';
import { findRoots } from '../src/core/render/roots';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { DEFAULT_RENDER_SETTINGS, fsReader, Renderer, type RenderResult } from '../src/render/renderer';

type Cached = { ok: true; output: Omit<RenderOutput, 'sources'> & { sources: Array<[string, string]> } } | { ok: false; reason: string; message: string };

function walk(dir: string, out: string[]): void {
  const names = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!isExcludedDir(d.name)) walk(p, out);
    } else if ((d.isFile() || d.isSymbolicLink()) && isManifestPath(d.name)) out.push(p);
  }
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '.');
  const runs = Number(process.argv[3] ?? 1);
  const cacheFile = process.argv[4] ?? path.join(os.tmpdir(), `profile-renders-${path.basename(dir)}.json`);
  const files: string[] = [];
  walk(dir, files);
  const abs = (f: string) => path.resolve(f).split(path.sep).join('/');
  const name = (a: string) => path.relative(process.cwd(), a) || a;
  const found = findRoots(files.map(abs), fsReader);
  let cached: Cached[];
  if (fs.existsSync(cacheFile)) cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Cached[];
  else {
    const renderer = new Renderer(DEFAULT_RENDER_SETTINGS);
    const results: RenderResult[] = [];
    for (const root of found.roots) results.push(await renderer.render(root));
    cached = results.map(r => (r.ok ? { ok: true, output: { ...r.output, sources: [...r.output.sources] } } : { ok: false, reason: r.reason, message: r.message }));
    fs.writeFileSync(cacheFile, JSON.stringify(cached));
  }
  if (cached.length !== found.roots.length) throw new Error(`${cacheFile} holds ${cached.length} renders, ${dir} has ${found.roots.length} roots`);
  const loose = files.filter(f => !found.owned.has(abs(f))).map(f => ({ file: name(f), text: fs.readFileSync(f, 'utf8') }));
  console.log(`${dir}: ${loose.length} loose files, ${found.roots.length} roots (${cached.filter(c => c.ok).length} rendered)`);
  for (let run = 0; run < runs; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const ms = (c: NodeJS.CpuUsage) => Math.round((c.user + c.system) / 1000);
    const c0 = process.cpuUsage();
    const project = new RenderedProject(DEFAULT_SETTINGS, name);
    for (const f of loose) project.setLoose(f.file, f.text);
    found.roots.forEach((root, i) => {
      const c = cached[i]!;
      if (c.ok) project.setRender(root, { ...c.output, sources: new Map(c.output.sources) });
      else {
        const rule = c.reason === 'missing-tool' ? 'render-tool-missing' : c.reason === 'not-rendered' ? 'helm-dependencies-missing' : 'render-failed';
        project.setRenderProblem(root, rule, c.message, fsReader.read(root.file) ?? '');
      }
    });
    const c1 = process.cpuUsage(c0);
    const heap1 = process.memoryUsage().heapUsed;
    const findings = [...project.check().values()].reduce((k, l) => k + l.length, 0);
    const c2 = process.cpuUsage(c0);
    // The diagram with every render drawn, then again after a keystroke in a loose file (what the
    // editor's panel does on each update).
    const c3 = process.cpuUsage();
    const g = mergeRenderedGraphs(buildGraph(project.loose), project.renders);
    const first = ms(process.cpuUsage(c3));
    const f = loose[0]!;
    project.setLoose(f.file, `${f.text}\n`);
    const c4 = process.cpuUsage();
    mergeRenderedGraphs(buildGraph(project.loose), project.renders);
    const again = ms(process.cpuUsage(c4));
    console.log(`run ${run + 1}: diagram of every render (${g.nodes.length} nodes, ${g.edges.length} edges) ${first} ms CPU, after a keystroke in a loose file ${again} ms CPU`);
    console.log(`run ${run + 1}: load ${ms(c1)} ms CPU (heap ${Math.round(heap1 / 2 ** 20)} MB), check ${ms(c2) - ms(c1)} ms CPU, ${findings} findings; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
  }
}

void main();
