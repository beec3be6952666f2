/**
 * Render cost per root, with the real tools (helm and kubectl from .tools/bin, scripts/tools.mjs):
 * a cold render (child process), a cached one (inputs unchanged: a hash of the input files), the
 * source map and parse of the render, and its rules. Then 50 keystrokes in a loose file next to the
 * renders, counting renders started meanwhile: rendering is never on the keystroke path.
 * Run alone with `node --import tsx bench/render.ts`.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RenderedProject } from '../src/core/render/project';
import { findRoots } from '../src/core/render/roots';
import { DEFAULT_RENDER_SETTINGS, fsReader, Renderer } from '../src/render/renderer';
import { CORPUS } from './corpus';
// @ts-expect-error: an ES module script without types
import { ensureTools } from '../scripts/tools.mjs';

const ROOTS = [
  'realworld/stefanprodan__podinfo/deploy/overlays/dev',
  'realworld/GoogleCloudPlatform__microservices-demo/kustomize/tests/memorystore-with-all-components',
  'realworld/stefanprodan__podinfo/charts/podinfo',
  'realworld/jenkinsci__helm-charts/charts/jenkins',
];

export async function benchRender(): Promise<Array<{ name: string; ms: number }>> {
  const bin = ensureTools() as string;
  const renderer = new Renderer({ ...DEFAULT_RENDER_SETTINGS, kustomizeCommand: `${bin}/kubectl kustomize`, helmCommand: `${bin}/helm` });
  const project = new RenderedProject();
  const out: Array<{ name: string; ms: number }> = [];
  for (const rel of ROOTS) {
    const dir = path.join(CORPUS, rel);
    const file = ['kustomization.yaml', 'Chart.yaml'].map(f => path.join(dir, f)).find(f => fsReader.read(f) !== undefined)!;
    const root = findRoots([file], fsReader).roots[0]!;
    const label = `${root.tool} ${rel.split('/').slice(1).join('/')}`;
    let t = performance.now();
    const cold = await renderer.render(root);
    out.push({ name: `render cold: ${label}`, ms: performance.now() - t });
    t = performance.now();
    const cached = await renderer.render(root);
    out.push({ name: `render cached (inputs unchanged): ${label}`, ms: performance.now() - t });
    if (!cold.ok || !cached.ok || !cached.cached) throw new Error(`${label}: ${cold.ok ? 'not cached' : cold.message}`);
    t = performance.now();
    const world = project.setRender(root, cold.output);
    out.push({ name: `parse and source map of the render: ${label} (${world.map.objects.length} objects)`, ms: performance.now() - t });
    t = performance.now();
    const findings = project.checkRender(world);
    out.push({ name: `rules on the render, mapped to sources: ${label} (${findings.length} findings)`, ms: performance.now() - t });
  }
  const before = renderer.renders;
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: loose\nspec:\n  selector: {app: x}\n';
  const t = performance.now();
  for (let i = 0; i < 50; i++) {
    project.setLoose('loose.yaml', text.replace('x}', `x${i}}`));
    project.checkLoose('loose.yaml');
  }
  out.push({ name: `50 keystrokes in a loose file beside ${ROOTS.length} renders, per keystroke (renders started: ${renderer.renders - before})`, ms: (performance.now() - t) / 50 });
  // The editor's side (typing in a base renders nothing, saving renders its overlays once) is
  // asserted in a real VS Code: test/integration/render.test.ts.
  if (renderer.renders !== before) throw new Error(`${renderer.renders - before} renders started while typing`);
  return out;
}

if (require.main === module) {
  void benchRender().then(rows => {
    for (const r of rows) console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.name}`);
  });
}
