/**
 * What a kustomization file refers to: the folders and files Kustomize reads to build it. Read
 * from the YAML as written (legacy and current fields alike); anything unexpected is ignored, never
 * thrown on.
 */
import { parse } from 'yaml';

/** File names Kustomize looks for in a folder, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface KustomizationRefs {
  /** `Kustomization` or `Component`. */
  readonly kind: string;
  /** `resources` and legacy `bases`: files or folders, relative to the kustomization's folder. */
  readonly resources: readonly string[];
  readonly components: readonly string[];
  /** Patch files (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`). */
  readonly patches: readonly string[];
  /** Other files it reads (generators' sources, crds, replacements, transformer configs). */
  readonly files: readonly string[];
  /** `namespace:` of the kustomization, if set. */
  readonly namespace: string | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A reference Kustomize fetches from the network (a Git URL or an `https://` file), not a local path. */
export function isRemoteRef(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.startsWith('git@');
}

/** A local patch file as written inline in a `patches`/`patchesStrategicMerge` entry is YAML text, not a path. */
const looksLikePath = (s: string) => !s.includes('\n') && !/^\s*[{[]/.test(s) && !/:\s/.test(s);

/** The references of a kustomization's text, or undefined when it is not a kustomization at all. */
export function kustomizationRefs(text: string): KustomizationRefs | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  const kind = typeof doc.kind === 'string' ? doc.kind : 'Kustomization';
  const patches: string[] = [];
  for (const p of list(doc.patches)) if (isRecord(p) && typeof p.path === 'string') patches.push(p.path);
  for (const p of list(doc.patchesJson6902)) if (isRecord(p) && typeof p.path === 'string') patches.push(p.path);
  patches.push(...strings(doc.patchesStrategicMerge).filter(looksLikePath));
  const files: string[] = [...strings(doc.crds)];
  for (const g of [...list(doc.configMapGenerator), ...list(doc.secretGenerator)]) {
    if (!isRecord(g)) continue;
    for (const f of strings(g.files)) files.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
    files.push(...strings(g.envs));
    if (typeof g.env === 'string') files.push(g.env);
  }
  for (const r of list(doc.replacements)) if (isRecord(r) && typeof r.path === 'string') files.push(r.path);
  for (const key of ['transformers', 'generators', 'validators'] as const) files.push(...strings(doc[key]).filter(looksLikePath));
  return {
    kind,
    resources: [...strings(doc.resources), ...strings(doc.bases)],
    components: strings(doc.components),
    patches,
    files,
    namespace: typeof doc.namespace === 'string' && doc.namespace ? doc.namespace : undefined,
  };
}
