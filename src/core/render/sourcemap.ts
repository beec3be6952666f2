/**
 * From a render back to the files the user edits. Each rendered object knows where it came from:
 * Kustomize names the file in its `config.kubernetes.io/origin` annotation, Helm in a
 * `# Source: <chart>/templates/<file>` comment. A span in the render maps to the same field of the
 * source document (found by its path of keys and item names), to a patch that set the value, or, in
 * a Helm template, to the line where the key is written. What cannot be placed exactly goes to the
 * object's first line, and the location says it is approximate. The other way, a place in a source
 * (a base, a patch) gives the places of the render that show it, for hovers and Go to Definition.
 *
 * Over 400 lines: both tools' maps feed the one RenderMap and share its placing of spans (key paths,
 * template lines, sections); apart, each half would import the other's internals.
 */
import { isScalar, parse } from 'yaml';
import { parseManifest, type K8sObject, type ManifestFile } from '../parse/manifest';
import { inlinePatches } from './kustomization';
import type { Span } from '../span';
import { pathAt, rangeOf, resolvePath, type PathSegment } from './nodepath';
import { join } from './paths';

/** A place in a source file. */
export interface SourceLocation {
  readonly file: string;
  readonly span: Span;
  /** False when the field could not be found and the span is the object's (or template's) first line. */
  readonly exact: boolean;
  /** Set when the span lies in a scalar written the same in the source: an edit there edits the source. */
  readonly verbatim?: boolean;
}

/** Where one rendered object came from. */
export interface ObjectOrigin {
  /** The object in the render. */
  readonly rendered: K8sObject;
  /** The source file, and its text. */
  readonly file: string;
  readonly text: string;
  /** Kustomize: the source document (undefined when generated or not found). */
  readonly source?: K8sObject;
  /** Kustomize: patch documents aimed at this object, last applied last. */
  readonly patches?: readonly PatchDocument[];
  /** Helm: the template text. */
  readonly template?: string;
  /** Where the object as a whole is (its first line in the source). */
  readonly whole: Span;
  /** Helm: the `---`-separated part of the template the object comes from, when it could be told. */
  readonly section?: Span;
}

/** A patch document, in a patch file or inline in a kustomization (then `toFile` maps its offsets). */
export interface PatchDocument {
  readonly object: K8sObject;
  toFile?(offset: number): number;
}

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

function lineSpan(text: string, offset: number): Span {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  let s = start;
  while (s < end && /\s/.test(text[s]!)) s++;
  return { start: s, end: Math.max(end, s) };
}

const scalarText = (n: unknown): string | undefined => (isScalar(n) && n.value !== null && typeof n.value !== 'object' ? String(n.value) : undefined);

export class RenderMap {
  private readonly origins: readonly ObjectOrigin[];

  constructor(origins: readonly ObjectOrigin[]) {
    this.origins = [...origins].sort((a, b) => a.rendered.span.start - b.rendered.span.start);
  }

  get objects(): readonly ObjectOrigin[] {
    return this.origins;
  }

  /** The origin of the rendered object holding `offset`. */
  originAt(offset: number): ObjectOrigin | undefined {
    let found: ObjectOrigin | undefined;
    for (const o of this.origins) {
      if (o.rendered.span.start <= offset && offset <= o.rendered.span.end) found = o;
      if (o.rendered.span.start > offset) break;
    }
    return found;
  }

  /** The source location of a span of the render. */
  toSource(span: Span): SourceLocation | undefined {
    const origin = this.originAt(span.start);
    if (!origin) return undefined;
    const hit = pathAt(origin.rendered.doc, origin.rendered.node, span.start);
    if (origin.template !== undefined) return templateLocation(origin, hit.path, hit.node, span);
    const renderedRange = rangeOf(hit.node);
    const renderedValue = scalarText(hit.node);
    const place = (obj: K8sObject, requireValue: boolean): SourceLocation | undefined => {
      const r = resolvePath(obj.doc, obj.node, hit.path);
      if (r.depth !== hit.path.length) return undefined;
      const target = hit.onKey ? r.key : r.node;
      const range = rangeOf(target);
      if (!range) return undefined;
      const value = scalarText(target);
      if (requireValue && renderedValue !== undefined && value !== renderedValue) return undefined;
      // Inside an unchanged scalar, keep the position within it (a name inside a URL).
      if (renderedRange && value !== undefined && value === renderedValue && range.end - range.start === renderedRange.end - renderedRange.start) {
        const start = range.start + (span.start - renderedRange.start);
        return { file: obj.file, span: { start, end: Math.min(range.end, start + (span.end - span.start)) }, exact: true, verbatim: span.end <= renderedRange.end };
      }
      return { file: obj.file, span: range, exact: true };
    };
    // A value a patch set is written in the patch; the last patch that writes it wins.
    for (const p of [...(origin.patches ?? [])].reverse()) {
      const at = place(p.object, true);
      if (at && p.toFile) return { ...at, span: { start: p.toFile(at.span.start), end: p.toFile(at.span.end) } };
      if (at) return at;
    }
    if (origin.source) {
      const at = place(origin.source, false);
      if (at) return at;
      // The deepest field the source has on the way.
      const r = resolvePath(origin.source.doc, origin.source.node, hit.path);
      const range = rangeOf(r.node);
      if (range && r.depth > 0) return { file: origin.file, span: lineSpan(origin.text, range.start), exact: false };
    }
    return { file: origin.file, span: origin.whole, exact: false };
  }

  /**
   * Offsets in the render that show the field under `offset` of source `file` (one per object
   * rendered from it): a resource's document, or a patch aimed at the object (a patch file, or a
   * patch inline in a kustomization).
   */
  fromSource(file: string, offset: number): number[] {
    const out: number[] = [];
    const at = (o: ObjectOrigin, src: K8sObject, offset: number) => {
      if (offset < src.span.start || offset > src.span.end) return;
      const hit = pathAt(src.doc, src.node, offset);
      const r = resolvePath(o.rendered.doc, o.rendered.node, hit.path);
      const target = hit.onKey && r.depth === hit.path.length ? r.key : r.node;
      const range = rangeOf(target);
      if (!range) return;
      const srcRange = rangeOf(hit.node);
      const same = r.depth === hit.path.length && scalarText(target) !== undefined && scalarText(target) === scalarText(hit.node);
      out.push(same && srcRange ? range.start + Math.min(offset - srcRange.start, range.end - range.start) : range.start);
    };
    for (const o of this.origins) {
      if (o.source?.file === file) at(o, o.source, offset);
      for (const p of o.patches ?? []) {
        if (p.object.file !== file) continue;
        const inPatch = p.toFile ? patchOffset(p.toFile, offset, p.object.span) : offset;
        if (inPatch !== undefined) at(o, p.object, inPatch);
      }
    }
    return out;
  }
}

/** The offset in an inline patch's text that `toFile` maps to `offset` of the file (it maps in order), if any. */
function patchOffset(toFile: (offset: number) => number, offset: number, span: Span): number | undefined {
  let lo = span.start;
  let hi = span.end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toFile(mid) < offset) lo = mid + 1;
    else hi = mid;
  }
  return toFile(lo) === offset ? lo : undefined;
}

// ---------------------------------------------------------------------------------------------
// Kustomize

/** The `path` (or, for generated objects, `configuredIn`) of an origin annotation. */
export function originPath(annotation: string | undefined): { path: string; generated: boolean } | undefined {
  if (!annotation) return undefined;
  let doc: unknown;
  try {
    doc = parse(annotation);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const rec = doc as Record<string, unknown>;
  if (typeof rec.path === 'string' && !rec.repo) return { path: rec.path, generated: false };
  if (typeof rec.configuredIn === 'string' && !rec.repo) return { path: rec.configuredIn, generated: true };
  return undefined;
}

/** The source document a rendered object came from: same kind, and its name inside the rendered one (prefix, suffix, hash). */
export function matchSource(rendered: K8sObject, candidates: readonly K8sObject[]): K8sObject | undefined {
  const sameKind = candidates.filter(c => c.kind === rendered.kind);
  const exact = sameKind.filter(c => c.name === rendered.name);
  if (exact.length) return exact[0];
  const inside = sameKind.filter(c => c.name && rendered.name.includes(c.name)).sort((a, b) => b.name.length - a.name.length);
  if (inside.length) return inside[0];
  return sameKind.length === 1 ? sameKind[0] : undefined;
}

export interface KustomizeMapInput {
  /** The render, parsed. */
  readonly rendered: ManifestFile;
  /** The folder origin paths are relative to (the wrapper kustomization's). */
  readonly originBase: string;
  /**
   * A source file by its normalised path, parsed (its `file` is the name findings are reported
   * under); undefined when unreadable.
   */
  load(path: string): ManifestFile | undefined;
  /** Patch files of the kustomizations the root uses (normalised paths). */
  readonly patchFiles: readonly string[];
  /** The kustomizations the root uses (their inline patches map to their own lines). */
  readonly kustomizations?: readonly string[];
}

/** The source map of a Kustomize render made with `buildMetadata: [originAnnotations]`. */
export function kustomizeMap(input: KustomizeMapInput): RenderMap {
  const patchObjects: PatchDocument[] = [];
  for (const f of input.patchFiles) for (const object of input.load(f)?.objects ?? []) patchObjects.push({ object });
  for (const k of input.kustomizations ?? []) {
    const file = input.load(k);
    if (!file) continue;
    for (const p of inlinePatches(file.text)) {
      for (const object of parseManifest(file.file, p.text).objects) patchObjects.push({ object, toFile: p.toFile });
    }
  }
  const origins: ObjectOrigin[] = [];
  for (const obj of input.rendered.objects) {
    const o = originPath(obj.annotations[ORIGIN_ANNOTATION]);
    if (!o) continue;
    const path = join(input.originBase, o.path);
    const file = input.load(path);
    if (!file) continue;
    const patches = patchObjects.filter(p => p.object.kind === obj.kind && p.object.name && obj.name.includes(p.object.name));
    if (o.generated) {
      origins.push({ rendered: obj, file: file.file, text: file.text, patches, whole: generatorSpan(file.text, obj.name) });
      continue;
    }
    const source = matchSource(obj, file.objects);
    const whole = lineSpan(file.text, source ? source.kindSpan.start : 0);
    origins.push({ rendered: obj, file: file.file, text: file.text, ...(source ? { source } : {}), patches, whole });
  }
  return new RenderMap(origins);
}

/** The `name:` line of the generator (in a kustomization) whose name the generated object carries. */
function generatorSpan(text: string, renderedName: string): Span {
  let best: { at: number; len: number } | undefined;
  for (const m of text.matchAll(/^\s*-?\s*name:\s*["']?([A-Za-z0-9._-]+)/gm)) {
    const n = m[1]!;
    if (renderedName.startsWith(n) && (!best || n.length > best.len)) best = { at: m.index! + m[0].length - n.length, len: n.length };
  }
  return best ? { start: best.at, end: best.at + best.len } : lineSpan(text, 0);
}

// ---------------------------------------------------------------------------------------------
// Helm

const SOURCE_COMMENT = /^# Source: (.+?)\s*$/gm;

export interface HelmMapInput {
  readonly rendered: ManifestFile;
  /** The chart's folder and `name` (the first segment of each `# Source:` path). */
  readonly chartDir: string;
  readonly chartName: string;
  /** A template's text by its normalised path. */
  read(path: string): string | undefined;
  /** The name findings are reported under for a normalised path (identity by default). */
  fileName?(path: string): string;
}

/** The source map of a `helm template` output. */
export function helmMap(input: HelmMapInput): RenderMap {
  const name = input.fileName ?? (p => p);
  const sources: Array<{ at: number; path: string }> = [];
  for (const m of input.rendered.text.matchAll(SOURCE_COMMENT)) sources.push({ at: m.index!, path: m[1]! });
  const origins: ObjectOrigin[] = [];
  const prefix = `${input.chartName}/`;
  for (const obj of input.rendered.objects) {
    let source: string | undefined;
    for (const s of sources) {
      if (s.at < obj.span.start) source = s.path;
      else break;
    }
    if (!source || !source.startsWith(prefix)) continue;
    const path = join(input.chartDir, source.slice(prefix.length));
    const template = input.read(path);
    if (template === undefined) continue;
    const section = templateSection(template, obj);
    const kindLine = new RegExp(`^[ \\t]*kind:\\s*["']?${obj.kind}\\b`, 'm').exec(section ? template.slice(section.start, section.end) : template);
    const whole = lineSpan(template, (kindLine?.index ?? 0) + (section?.start ?? 0));
    origins.push({ rendered: obj, file: name(path), text: template, template, whole, ...(section ? { section } : {}) });
  }
  return new RenderMap(origins);
}

/**
 * The part of a template holding several documents (`---` lines) that renders `obj`: the one part
 * with its kind whose `name:` under `metadata:` can produce its name, else the one part with its kind.
 */
function templateSection(template: string, obj: K8sObject): Span | undefined {
  const parts: Span[] = [];
  let start = 0;
  for (const m of template.matchAll(/^---[ \t]*$/gm)) {
    parts.push({ start, end: m.index! });
    start = m.index! + m[0].length;
  }
  if (!parts.length) return undefined;
  parts.push({ start, end: template.length });
  const kind = new RegExp(`^\\s*kind:\\s*["']?${obj.kind}\\b`, 'm');
  const ofKind = parts.filter(p => kind.test(template.slice(p.start, p.end)));
  const named = ofKind.filter(p => {
    const m = /^metadata:[ \t]*\n(?:[ \t]+.*\n|[ \t]*\{\{.*\n)*?[ \t]+name:[ \t]*(.+)$/m.exec(template.slice(p.start, p.end));
    if (m === null) return false;
    // The whole name, anchored: `{{ x }}-ingress` cannot make `…-ingress-metrics`.
    const written = m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2');
    const pattern = written.split(/\{\{.*?\}\}/).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${pattern}$`).test(obj.name);
  });
  return named.length === 1 ? named[0] : ofKind.length === 1 ? ofKind[0] : undefined;
}

interface KeyLine {
  readonly key: string;
  readonly indent: number;
  /** The line starts a sequence item (`- key:`). */
  readonly item: boolean;
  readonly keyStart: number;
  readonly lineEnd: number;
}

/** `key:` lines of a template, with their indentation (a `- ` item marker counts as indentation). */
function keyLines(template: string): KeyLine[] {
  const out: KeyLine[] = [];
  for (const m of template.matchAll(/^([ \t]*(?:-[ \t]+)*)([A-Za-z0-9_.\/-]+|"[^"\n]*"|'[^'\n]*'):(?=\s|$)/gm)) {
    const lineEnd = template.indexOf('\n', m.index!);
    out.push({
      key: m[2]!.replace(/^["']|["']$/g, ''), indent: m[1]!.length, item: m[1]!.includes('-'), keyStart: m.index! + m[1]!.length,
      lineEnd: lineEnd < 0 ? template.length : lineEnd,
    });
  }
  return out;
}

/** The keys above a key line, by indentation (template actions are not keys and are skipped). */
function ancestors(lines: readonly KeyLine[], i: number): string[] {
  const out: string[] = [];
  let indent = lines[i]!.indent;
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    if (lines[j]!.indent < indent) {
      out.push(lines[j]!.key);
      indent = lines[j]!.indent;
    }
  }
  return out;
}

/** Whether a template's value text (with `{{ }}` actions) can produce `rendered`: its literal parts appear in order. */
export function templateCanProduce(written: string, rendered: string): boolean {
  const text = written.trim().replace(/^(["'])(.*)\1$/, '$2');
  if (!text) return false;
  let at = 0;
  for (const part of text.split(/\{\{.*?\}\}/)) {
    if (!part) continue;
    const i = rendered.indexOf(part, at);
    if (i < 0) return false;
    at = i + part.length;
  }
  return true;
}

/** Lines of the block under a key line (deeper indentation) that are sequence items: `- value`. */
function itemLines(template: string, key: KeyLine): Array<{ start: number; value: string }> {
  const out: Array<{ start: number; value: string }> = [];
  let pos = key.lineEnd + 1;
  while (pos < template.length) {
    let end = template.indexOf('\n', pos);
    if (end < 0) end = template.length;
    const line = template.slice(pos, end);
    const m = /^([ \t]*)-[ \t]+(.*)$/.exec(line);
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (line.trim() && !line.trim().startsWith('{{') && !line.trim().startsWith('#') && indent < key.indent) break;
    if (m && !/^[A-Za-z0-9_.\/"'-]+:(\s|$)/.test(m[2]!)) out.push({ start: pos + m[1]!.length + line.slice(m[1]!.length).indexOf(m[2]!), value: m[2]! });
    else if (line.trim() && !line.trim().startsWith('{{') && indent <= key.indent) break;
    pos = end + 1;
  }
  return out;
}

function templateLocation(origin: ObjectOrigin, path: readonly PathSegment[], node: unknown, span: Span): SourceLocation {
  const template = origin.template!;
  const keys = path.filter((s): s is string => typeof s === 'string');
  const lastKeyAt = path.map(s => typeof s === 'string').lastIndexOf(true);
  const key = keys[keys.length - 1];
  const approximate: SourceLocation = { file: origin.file, span: origin.whole, exact: false };
  if (key === undefined) return approximate;
  const lines = keyLines(template);
  const section = origin.section;
  let candidates = lines.map((l, i) => ({ l, i })).filter(c => c.l.key === key
    && (!section || (c.l.keyStart >= section.start && c.l.keyStart < section.end)));
  if (candidates.length > 1) {
    // Prefer the lines whose enclosing keys match the rendered path the longest.
    const parents = keys.slice(0, -1).reverse();
    const score = (i: number) => {
      const a = ancestors(lines, i);
      let n = 0;
      while (n < a.length && n < parents.length && a[n] === parents[n]) n++;
      return n;
    };
    const best = Math.max(...candidates.map(c => score(c.i)));
    candidates = candidates.filter(c => score(c.i) === best);
  }
  // A field of a list item named by `name` (an env var, a container, a port): the key in that item.
  const named = path[lastKeyAt - 1];
  if (candidates.length > 1 && typeof named === 'object') {
    const itemStarts = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.key === 'name' && l.item
      && templateCanProduce(template.slice(l.keyStart, l.lineEnd).replace(/^-?\s*name:/, ''), named.name));
    const inItem = (i: number) => itemStarts.some(s => {
      if (s.i >= i || lines[i]!.indent !== s.l.indent) return false;
      for (let j = s.i + 1; j < i; j++) if (lines[j]!.indent < s.l.indent || (lines[j]!.indent === s.l.indent && lines[j]!.item)) return false;
      return true;
    });
    const within = candidates.filter(c => inItem(c.i));
    if (within.length) candidates = within;
  }
  const value = scalarText(node);
  const renderedRange = rangeOf(node);
  // A scalar item of a list under the key (`args:` then `- --flag={{ … }}`): the item that can produce it.
  if (value !== undefined && lastKeyAt === path.length - 2 && typeof path[path.length - 1] === 'number') {
    const items = candidates.flatMap(c => itemLines(template, c.l)).filter(it => templateCanProduce(it.value, value));
    if (items.length === 1) return { file: origin.file, span: lineSpan(template, items[0]!.start), exact: true };
    return approximate;
  }
  if (candidates.length > 1 && value) {
    const producing = candidates.filter(c => {
      const written = template.slice(c.l.keyStart, c.l.lineEnd);
      return templateCanProduce(written.slice(written.indexOf(':') + 1), value);
    });
    if (producing.length) candidates = producing;
  }
  if (candidates.length !== 1) return approximate;
  const { l } = candidates[0]!;
  const line = template.slice(l.keyStart, l.lineEnd);
  // The value written literally on the line: point at it (and at the part of it the span covers).
  if (value && renderedRange) {
    const at = line.indexOf(value, key.length + 1);
    if (at >= 0) {
      const start = l.keyStart + at + (span.start - renderedRange.start);
      return { file: origin.file, span: { start, end: Math.min(l.keyStart + at + value.length, start + (span.end - span.start)) }, exact: true };
    }
  }
  return { file: origin.file, span: lineSpan(template, l.keyStart), exact: true };
}
