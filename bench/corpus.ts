/**
 * Real workspaces from the shared corpus, read in place: the apps, the connectivity inputs, and
 * Online Boutique (release manifest + its NetworkPolicies) copied into 100 namespaces in memory,
 * laid out like its upstream repo (a file per service, a file per policy) in each namespace.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchFile, BenchWorkspace } from './gen';

export const CORPUS = path.resolve(__dirname, '../../shared/corpus');

const MANIFEST = /\.(ya?ml|json)$/i;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (MANIFEST.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function read(paths: string[]): BenchFile[] {
  return paths.map(p => ({ path: path.relative(CORPUS, p), text: fs.readFileSync(p, 'utf8') }));
}

/** Every manifest under corpus/apps. */
export function corpusApps(): BenchFile[] {
  return read(filesUnder(path.join(CORPUS, 'apps')));
}

/** Every input file of every corpus/connectivity case. */
export function corpusConnectivity(): BenchFile[] {
  const root = path.join(CORPUS, 'connectivity');
  if (!fs.existsSync(root)) return [];
  return read(fs.readdirSync(root).sort().flatMap(c => filesUnder(path.join(root, c, 'input'))));
}

const DOC_SEPARATOR = /^---[^\S\n]*$/m;

/** Online Boutique in `copies` namespaces `boutique-<i>`; undefined when the corpus is missing. */
export function boutique(copies = 100): BenchWorkspace | undefined {
  const demo = path.join(CORPUS, 'apps/microservices-demo');
  const release = path.join(demo, 'release/kubernetes-manifests.yaml');
  if (!fs.existsSync(release)) return undefined;
  const services = fs.readFileSync(release, 'utf8').split(DOC_SEPARATOR).filter(d => /^kind:/m.test(d));
  const policies = filesUnder(path.join(demo, 'kustomize-network-policies'))
    .filter(p => path.basename(p).startsWith('network-policy-'))
    .map(p => ({ name: path.basename(p, '.yaml'), text: fs.readFileSync(p, 'utf8') }));
  const files: BenchFile[] = [];
  let objects = 0;
  for (let i = 0; i < copies; i++) {
    const ns = `boutique-${i}`;
    const withNamespace = (doc: string) => doc.replace(/^metadata:\n/m, `metadata:\n  namespace: ${ns}\n`);
    const byService = new Map<string, string[]>();
    for (const doc of services) {
      const name = /^metadata:\n(?:  .*\n)*?  name: (\S+)/m.exec(doc)?.[1] ?? 'misc';
      const key = name.replace(/-external$/, '');
      byService.set(key, [...(byService.get(key) ?? []), withNamespace(doc.trim() + '\n')]);
      objects++;
    }
    for (const [service, docs] of byService) files.push({ path: `${ns}/${service}.yaml`, text: docs.join('---\n') });
    for (const p of policies) {
      files.push({ path: `${ns}/${p.name}.yaml`, text: withNamespace(p.text) });
      objects++;
    }
  }
  const editFile = `boutique-${Math.floor(copies / 2)}/checkoutservice.yaml`;
  const original = files.find(f => f.path === editFile)?.text;
  if (!original || !original.includes('"productcatalogservice:3550"')) return undefined;
  const edited = original.replace('"productcatalogservice:3550"', '"productcatalogservice:3551"');
  const hoverOffset = original.indexOf('"productcatalogservice:3550"') + 1;
  return { name: `Online Boutique x${copies}`, files, objects, editFile, editTexts: [original, edited], hoverOffset };
}
