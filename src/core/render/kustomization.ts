/**
 * What a kustomization file refers to: the folders and files Kustomize reads to build it. Read
 * from the YAML as written (legacy and current fields alike); anything unexpected is ignored, never
 * thrown on.
 */
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';

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

/** A patch written inline in a kustomization (`patches: [{patch: |-...}]`, `patchesStrategicMerge: [|-...]`). */
export interface InlinePatch {
  /** The patch text, as Kustomize reads it (the block scalar's content, dedented). */
  readonly text: string;
  /** Maps an offset in `text` to the offset in the kustomization's text. */
  toFile(offset: number): number;
}

/** The inline patches of a kustomization's text, each with the way back to the file's offsets. */
export function inlinePatches(text: string): InlinePatch[] {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return [];
  }
  const out: InlinePatch[] = [];
  const scalars: unknown[] = [];
  const seq = (key: string) => {
    const n = doc.get(key, true);
    return isSeq(n) ? n.items : [];
  };
  for (const item of seq('patches')) if (isMap(item)) scalars.push(item.get('patch', true));
  for (const item of seq('patchesStrategicMerge')) scalars.push(item);
  for (const s of scalars) {
    if (!isScalar(s) || typeof s.value !== 'string' || !s.range || !s.value.includes('\n')) continue;
    if (s.type !== 'BLOCK_LITERAL' && s.type !== 'BLOCK_FOLDED') continue;
    const p = dedentBlock(text, s.range[0], s.range[1]);
    if (p) out.push(p);
  }
  return out;
}

/** The content lines of a block scalar whose header (`|-`) starts at `start`, with their indentation removed. */
function dedentBlock(text: string, start: number, end: number): InlinePatch | undefined {
  const first = text.indexOf('\n', start);
  if (first < 0 || first >= end) return undefined;
  const body = text.slice(first + 1, end);
  const lines = body.split('\n');
  const indent = Math.min(...lines.filter(l => l.trim()).map(l => /^ */.exec(l)![0].length));
  if (!Number.isFinite(indent)) return undefined;
  const fileStarts: number[] = [];
  const textStarts: number[] = [];
  let fileAt = first + 1;
  let textAt = 0;
  const parts: string[] = [];
  for (const l of lines) {
    fileStarts.push(fileAt + Math.min(indent, l.length));
    textStarts.push(textAt);
    const part = l.slice(indent);
    parts.push(part);
    fileAt += l.length + 1;
    textAt += part.length + 1;
  }
  return {
    text: parts.join('\n'),
    toFile(offset) {
      let lo = 0;
      let hi = textStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (textStarts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return fileStarts[lo]! + (offset - textStarts[lo]!);
    },
  };
}
