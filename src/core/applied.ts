/**
 * Where objects that name no namespace land, from what the repository says about how it is applied
 * (without rendering anything):
 * - a `kustomization.yaml` with `namespace: X` puts every object of the files it lists in `resources`
 *   (or legacy `bases`, or `components`) in X, through nested kustomizations too (kustomize's namespace
 *   transformer: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/);
 * - an Argo CD `Application` (`spec.source.path`, `spec.destination.namespace`) and a Flux
 *   `Kustomization` (`spec.path`, `spec.targetNamespace`) apply the files of a folder into a namespace.
 * A file reached with two different namespaces (a base shared by `dev` and `prod` overlays) has no
 * single namespace: its objects stay "defaulted", and verdicts that depend on it abstain.
 *
 * Files are named by the workspace's keys (paths or URIs); folders are compared as `/`-separated text.
 */
import { parseDocument } from 'yaml';
import type { AppliedNamespace } from './parse/manifest';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Whether a file is a kustomization (by its name, as kustomize finds it). */
export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_NAMES.has(baseName(file));
}

/** What one kustomization says: its folder, its namespace, and the files and folders it lists. */
export interface KustomizationInfo {
  readonly dir: string;
  readonly namespace: string | undefined;
  /** Listed resources, bases and components, resolved against `dir`. */
  readonly entries: readonly string[];
}

/** A folder applied into a namespace by a GitOps object (Argo CD Application, Flux Kustomization). */
export interface FolderTarget {
  /** The folder as written, relative to the repository root. */
  readonly path: string;
  readonly namespace: string;
  readonly origin: string;
}

function baseName(file: string): string {
  const p = file.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The folder of a file key (`a/b/c.yaml` → `a/b`; '' for a bare name). */
export function dirName(file: string): string {
  const p = file.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** `dir` joined with a relative `ref`, with `.` and `..` resolved as text (URIs keep their scheme). */
export function joinPath(dir: string, ref: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(dir);
  const prefix = m ? m[1]! : '';
  const rest = m ? m[2]! : dir;
  const absolute = rest.startsWith('/');
  const parts: string[] = [];
  for (const seg of `${rest}/${ref}`.replace(/\\/g, '/').split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
    } else parts.push(seg);
  }
  return `${prefix}${absolute ? '/' : ''}${parts.join('/')}`;
}

/** Reads a kustomization file; undefined when it is not a YAML map. Remote entries (URLs) are left out. */
export function readKustomization(file: string, text: string): KustomizationInfo | undefined {
  let value: unknown;
  try {
    value = parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const k = value as Record<string, unknown>;
  const dir = dirName(file);
  const entries: string[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    const list = k[key];
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      if (typeof r !== 'string' || !r || /^[a-z][a-z0-9+.-]*:\/\/|^(?:git@|github\.com\/)|\?ref=/i.test(r)) continue;
      entries.push(joinPath(dir, r));
    }
  }
  const ns = typeof k['namespace'] === 'string' && k['namespace'] ? k['namespace'] : undefined;
  return { dir, namespace: ns, entries };
}

/** Whether folder `dir` is the folder `path` (relative to some repository root) names. */
function isFolder(dir: string, path: string): boolean {
  return dir === path || dir.endsWith(`/${path}`);
}

/**
 * Where files are applied, from the kustomizations and GitOps targets of a workspace: `of(file)` is the
 * namespace its namespace-less objects land in, `null` when two sources disagree, undefined when
 * nothing says.
 */
export class AppliedNamespaces {
  private readonly byFile = new Map<string, Map<string, string>>();
  private readonly folderTargets: FolderTarget[] = [];

  constructor(kustomizations: ReadonlyMap<string, KustomizationInfo>, targets: readonly FolderTarget[]) {
    const byDir = new Map<string, KustomizationInfo>();
    for (const k of kustomizations.values()) byDir.set(k.dir, k);
    const walk = (k: KustomizationInfo, ns: string, origin: string, seen: Set<KustomizationInfo>) => {
      if (seen.has(k)) return;
      seen.add(k);
      for (const e of k.entries) {
        const inner = byDir.get(e);
        if (inner) walk(inner, ns, origin, seen);
        else this.add(e, ns, origin);
      }
    };
    for (const [file, k] of kustomizations) {
      if (k.namespace) walk(k, k.namespace, `the namespace of ${file}`, new Set());
    }
    for (const t of targets) {
      const path = joinPath('', t.path);
      if (!path || path.startsWith('..')) continue;
      const kust = [...byDir.values()].filter(k => isFolder(k.dir, path));
      if (kust.length) for (const k of kust) walk(k, t.namespace, t.origin, new Set());
      else this.folderTargets.push({ ...t, path });
    }
  }

  private add(file: string, ns: string, origin: string): void {
    let m = this.byFile.get(file);
    if (!m) this.byFile.set(file, (m = new Map()));
    if (!m.has(ns)) m.set(ns, origin);
  }

  /** Where `file`'s namespace-less objects land (see the class). */
  of(file: string): AppliedNamespace | null | undefined {
    const key = file.replace(/\\/g, '/');
    const found = new Map(this.byFile.get(key) ?? []);
    if (this.folderTargets.length && !isKustomizationFile(key)) {
      const dir = dirName(key);
      for (const t of this.folderTargets) if (isFolder(dir, t.path) && !found.has(t.namespace)) found.set(t.namespace, t.origin);
    }
    if (!found.size) return undefined;
    if (found.size > 1) return null;
    const [[name, origin]] = found;
    return { name: name!, origin: origin! };
  }
}
