/**
 * YAML or JSON text → the Kubernetes objects it holds, each keeping its YAML node so every field maps
 * back to an exact offset range. Never throws: syntax errors, Helm templates and oversized files
 * become {@link Problem}s, and every document that parses far enough to have a `kind` is kept.
 */
import { visit, type Document, type DocumentOptions, type ParseOptions as YamlParseOptions, type SchemaOptions, type Tags } from 'yaml';

type ParseOptionsOf = YamlParseOptions & DocumentOptions & SchemaOptions;
import { LineIndex, type Ranged, type Span } from '../span';
import { parseDocuments, type ParsedChunk } from './documents';
import { findHelmAction, readsHelmObject } from './helm';
import { readAsGoYaml, UNDER_INDENTED_QUOTE, underIndentedQuote } from './go-yaml';
import { scanSteps } from '../scan';
import { isListKind, isNamespaced } from './kinds';
import { at, isMapNode, items, str, stringMap, toRecord, type StringMapEntry, type YDoc } from './yaml';
import { NOT_JSON, readJson } from './jsonc';

export type Severity = 'error' | 'warning' | 'info';

/** A problem with the file itself (not with what its objects mean). */
export interface Problem {
  readonly code: 'yaml-syntax' | 'helm-template' | 'file-too-large' | 'not-text' | 'too-many-documents';
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
}

/** One Kubernetes object: a map with `kind`, wherever it stands (a document, or a List's `items`). */
export interface K8sObject {
  /** The file's URI or path, as given to {@link parseManifest}. */
  readonly file: string;
  readonly doc: YDoc;
  /** The object's YAML map node. */
  readonly node: unknown;
  readonly span: Span;
  readonly apiVersion: string;
  readonly kind: string;
  readonly kindSpan: Span;
  /** `metadata.name`, or '' while it is still being typed. */
  readonly name: string;
  readonly nameSpan: Span | undefined;
  /** `metadata.namespace` as written, or undefined. */
  readonly namespaceWritten: string | undefined;
  readonly namespaceSpan: Span | undefined;
  /**
   * The namespace the object lives in: as written; else where it is applied (see `namespaceOrigin`);
   * else `default`, with `namespaceDefaulted` set. '' for cluster-scoped kinds.
   */
  readonly namespace: string;
  /**
   * True when nothing says where the object lands: no namespace is written and none is known from
   * how it is applied, so `default` stands for "the namespace of the kubectl context". Verdicts that
   * compare it with another namespace abstain.
   */
  readonly namespaceDefaulted: boolean;
  /** For a namespace not written in the object: what gave it (`kustomization.yaml namespace`, `--namespace`, ...). */
  readonly namespaceOrigin?: string;
  readonly labels: Record<string, string>;
  readonly labelEntries: readonly StringMapEntry[];
  readonly annotations: Record<string, string>;
  /** Index of the object in its file, in text order. */
  readonly index: number;
}

/** One parsed file. */
export interface ManifestFile {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly objects: readonly K8sObject[];
  readonly problems: readonly Problem[];
  /** Set when the file was not analysed at all (too large, binary, a Helm template). */
  readonly skipped?: Problem['code'];
  /**
   * The parsed documents by chunk of text, for the next parse of the same file to re-use (it takes
   * them over: the next parse may shift their ranges in place). Absent when the file was parsed whole.
   */
  readonly chunks?: readonly ParsedChunk[];
}

export interface ParseOptions {
  /** Files larger than this many characters are skipped with a message. */
  readonly maxFileSize?: number;
  /** At most this many YAML documents are read from one file. */
  readonly maxDocuments?: number;
  /**
   * The namespace objects without one land in, and what says so (a kustomization, an Argo CD
   * Application, the CLI's `--namespace`, a setting). A Helm-rendered stream's release namespace
   * (see {@link releaseNamespace}) comes before it.
   */
  readonly namespace?: AppliedNamespace;
  /** The namespace of a render (`helm template -n`): its namespace-less objects are there. */
  readonly defaultNamespace?: string;
  /**
   * The previous parse of the same file: documents whose text did not change are taken from it
   * instead of being parsed again. It must not be used afterwards (its documents may be shifted).
   */
  readonly previous?: ManifestFile;
}

/** Where objects without a namespace are applied, and why we know. */
export interface AppliedNamespace {
  readonly name: string;
  readonly origin: string;
}

/** Install bundles kept in git reach 3 MB (Argo Rollouts' `install.yaml` is 2.9 MiB). */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;
export const SIZE_SETTING = 'setting kubeNetlens.maxFileSizeKB, CLI --max-file-size'; // how the limit is raised, in both front ends' words
/** Parsing cost grows with documents; past this many, the rest of the file is not parsed at all. */
export const DEFAULT_MAX_DOCUMENTS = 2_000;

/**
 * YAML as the API machinery reads it (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1, so `yes`/`no`/
 * `on`/`off` are booleans, `0755` is octal and `<<` merges maps. go-yaml v2 has no sexagesimal
 * numbers (`1:20` is a string there), so those YAML 1.1 forms are left out.
 */
export const YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  prettyErrors: false,
  uniqueKeys: false,
  customTags: (tags: Tags) => tags.filter(t => !(typeof t === 'object' && 'format' in t && t.format === 'TIME')),
} as const satisfies ParseOptionsOf;

/** The text without its byte-order mark: editors drop it, so offsets and columns count from after it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses one file's text. `file` is only recorded on the objects (a URI string or a path). */
export function parseManifest(file: string, written: string, options: ParseOptions = {}): ManifestFile {
  const text = stripBom(written);
  const lines = new LineIndex(text);
  const whole: Span = { start: 0, end: Math.min(text.length, lines.lineStart(1) || text.length) };
  const skip = (code: Problem['code'], severity: Severity, message: string, span = whole): ManifestFile => ({
    file, text, lines, objects: [], problems: [{ code, severity, message, span }], skipped: code,
  });

  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > maxSize) {
    return skip('file-too-large', 'info', `File not analysed: ${formatSize(text.length)} is over the size limit of ${formatSize(maxSize)} (${SIZE_SETTING}).`);
  }
  if (looksBinary(text)) {
    return skip('not-text', 'info', 'File not analysed: it contains binary data, not YAML or JSON text.');
  }
  // Helm's words appear in data too (Argo notification templates, a rendered values dump): a file is
  // a template anywhere in a chart's templates/, elsewhere only where `{{ }}` stands in the YAML
  // structure, which the parse below decides.
  const helm = findHelmAction(text);
  // Outside a chart, Go template actions that read none of Helm's objects are another tool's (elastic's e2e harness).
  const helmTemplate = (where: Span): ManifestFile => isChartTemplatePath(file) || readsHelmObject(text)
    ? skip('helm-template', 'info', 'Helm template: not analysed as written. A chart\'s templates are analysed through its render (`helm template`) when a `Chart.yaml` is above them and rendering is on.', where)
    : skip('helm-template', 'info', 'Go template (`{{ }}` actions in the YAML, none of Helm\'s objects): not analysed until the tool that applies it fills it in.', where);
  if (helm && isChartTemplatePath(file)) return helmTemplate(helm);

  // Most YAML and JSON in a repository is not a manifest (CI configs, OpenAPI documents, package
  // files): a cheap look decides before the parse, which costs a hundred times more.
  if (!mayHoldObjects(text)) return { file, text, lines, objects: [], problems: [] };

  const problems: Problem[] = [];
  const objects: K8sObject[] = [];
  const maxDocs = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  // Cut the text before parsing: a prefix keeps every offset valid, and the cost stays bounded.
  const cut = nthDocumentStart(text, maxDocs);
  if (cut !== undefined) {
    problems.push({
      code: 'too-many-documents', severity: 'info', span: { start: cut, end: Math.min(text.length, cut + 3) },
      message: `Only the first ${maxDocs} YAML documents are analysed; the rest of the file is not.`,
    });
  }
  if (flowDepth(text) > MAX_FLOW_DEPTH) return skip('yaml-syntax', 'error', 'YAML nested too deeply to analyse.');
  let docs: Document.Parsed[];
  let chunks: ParsedChunk[] | undefined;
  try {
    const source = cut === undefined ? text : text.slice(0, cut); // only documents an edit touched are parsed again (./documents)
    ({ docs, chunks } = parseDocuments(source, YAML_OPTIONS, options.previous?.chunks));
    problems.push(...readAsGoYaml(source, docs, patched => ({ docs, chunks } = parseDocuments(patched, YAML_OPTIONS, chunks)).docs).notices); // kubectl's reading
  } catch (e) {
    return helm ? helmTemplate(helm) : skip('yaml-syntax', 'error', `YAML could not be parsed: ${yamlMessage(e as Error)}`);
  }
  if (helm) {
    const where = templateInStructure(text, docs);
    if (where) return helmTemplate(where);
  } else if (text.includes('{{')) {
    // Another engine's placeholders (`replicas: {{replicas}}`, filled by a script's sed, Jinja or
    // mustache) standing in the YAML structure: kubectl cannot read the file as written ("invalid map
    // key"), so either a tool fills it in first (a template) or no apply of it succeeds. Both ways
    // its objects as written never reach the cluster.
    const where = templateInStructure(text, docs);
    if (where) {
      return skip('helm-template', 'info', `${JSON.stringify(text.slice(where.start, Math.min(where.end, where.start + 80)))} reads as a map used as a map key, which kubectl cannot read: a template filled in before it is applied (otherwise quote the value); not analysed.`, where);
    }
  }
  for (const doc of docs) {
    const lenient = doc.errors[0] && underIndentedQuote(text, doc.errors[0]);
    if (lenient) {
      problems.push({ code: 'yaml-syntax', severity: 'info', span: lenient, message: UNDER_INDENTED_QUOTE });
      continue;
    }
    for (const err of doc.errors) {
      const start = Math.min(err.pos[0], text.length);
      const end = Math.max(start, Math.min(err.pos[1], text.length));
      problems.push({ code: 'yaml-syntax', severity: 'error', span: { start, end }, message: yamlMessage(err) });
    }
    collect(file, doc, doc.contents, objects, 0, undefined, 'default');
  }
  const rendered = options.defaultNamespace ? { name: options.defaultNamespace, origin: 'the namespace the render was made with (helm template -n)' } : undefined;
  const applied = rendered ?? releaseNamespace(text, objects) ?? options.namespace;
  return {
    file, text, lines, objects: applied ? objects.map(o => o.namespaceDefaulted ? placeIn(o, applied) : o) : objects, problems,
    ...(chunks ? { chunks } : {}),
  };
}

/** A file under a Helm chart's `templates/` folder (rendered by `helm template`, never applied as is). */
function isChartTemplatePath(file: string): boolean {
  return /(?:^|[/\\])templates[/\\]/.test(file);
}

/**
 * Where a `{{ }}` action stands in the YAML structure (not inside a string value): a flow collection
 * that starts with `{{` (`name: {{ .Values.x }}` reads as a map in a map), a syntax error on a line
 * holding an action, or a document that is a bare action line. Undefined when every action is data.
 */
function templateInStructure(text: string, docs: readonly Document.Parsed[]): Span | undefined {
  const actionOnLine = (pos: number): Span | undefined => {
    const lineStart = text.lastIndexOf('\n', Math.max(0, pos - 1)) + 1;
    const nl = text.indexOf('\n', pos);
    const line = text.slice(lineStart, nl < 0 ? text.length : nl);
    const i = line.indexOf('{{');
    if (i < 0) return undefined;
    const j = line.indexOf('}}', i);
    return { start: lineStart + i, end: lineStart + (j < 0 ? line.length : j + 2) };
  };
  for (const doc of docs) {
    // The first errors decide: each looks at one line, so the cost stays linear in the text.
    for (const err of doc.errors.slice(0, 50)) {
      const hit = actionOnLine(Math.min(err.pos[0], text.length));
      if (hit) return hit;
    }
    let found: Span | undefined;
    visit(doc, {
      Map: (_k, node) => {
        const r = node.range;
        if (node.flow && r && text.startsWith('{{', r[0])) {
          found = { start: r[0], end: Math.min(text.length, r[1]) };
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (found) return found;
  }
  return undefined;
}

function placeIn(o: K8sObject, ns: AppliedNamespace): K8sObject {
  return { ...o, namespace: ns.name, namespaceDefaulted: false, namespaceOrigin: ns.origin };
}

/**
 * The release namespace of a Helm-rendered stream (`helm template -n X`: documents under
 * `# Source: <chart>/templates/...` comments): Helm puts the objects that name no namespace in the
 * release namespace, which the chart's objects that do name one (`{{ .Release.Namespace }}`) show.
 * Undefined unless the file is such a stream and its objects name exactly one namespace.
 */
export function releaseNamespace(text: string, objects: readonly K8sObject[]): AppliedNamespace | undefined {
  if (!/^# Source: \S+\/templates\//m.test(text)) return undefined;
  const written = new Set(objects.filter(o => o.namespaceWritten && isNamespaced(o.kind)).map(o => o.namespaceWritten!));
  if (written.size !== 1) return undefined;
  return { name: [...written][0]!, origin: 'the release namespace of this Helm-rendered stream (# Source: comments)' };
}


/**
 * Items of a typed list (`PodList`, `NamespaceList`, ...) may omit `kind` and `apiVersion`, as the
 * API server returns them: they take the list's item kind (the list kind without `List`).
 */
interface ImpliedKind {
  readonly kind: Ranged<string>;
  readonly apiVersion: string | undefined;
}

function collect(file: string, doc: YDoc, node: unknown, out: K8sObject[], depth: number, implied: ImpliedKind | undefined, defaultNamespace: string): void {
  const kindRanged = str(doc, at(doc, node, 'kind')) ?? (implied && isMapNode(doc, node) ? implied.kind : undefined);
  if (!kindRanged) return;
  const kind = kindRanged.value;
  if (isListKind(kind) && depth < 4) {
    const itemKind = kind === 'List' ? undefined : { value: kind.slice(0, -'List'.length), span: kindRanged.span };
    const apiVersion = str(doc, at(doc, node, 'apiVersion'))?.value;
    for (const item of items(doc, at(doc, node, 'items'))) {
      collect(file, doc, item, out, depth + 1, itemKind ? { kind: itemKind, apiVersion } : undefined, defaultNamespace);
    }
    return;
  }
  const n = node as { range?: [number, number, number] };
  if (!n.range) return;
  const name = str(doc, at(doc, node, 'metadata', 'name'));
  const ns = str(doc, at(doc, node, 'metadata', 'namespace'));
  const labelEntries = stringMap(doc, at(doc, node, 'metadata', 'labels'));
  out.push({
    file, doc, node,
    span: { start: n.range[0], end: n.range[1] },
    apiVersion: str(doc, at(doc, node, 'apiVersion'))?.value ?? implied?.apiVersion ?? '',
    kind,
    kindSpan: kindRanged.span,
    name: name?.value ?? '',
    nameSpan: name?.span,
    namespaceWritten: ns?.value,
    namespaceSpan: ns?.span,
    namespace: isNamespaced(kind) ? ns?.value || defaultNamespace : '',
    namespaceDefaulted: isNamespaced(kind) && !ns?.value,
    labels: toRecord(labelEntries),
    labelEntries,
    annotations: toRecord(stringMap(doc, at(doc, node, 'metadata', 'annotations'))),
    index: out.length,
  });
}

function yamlMessage(err: Error): string {
  if (err instanceof RangeError || /call stack/i.test(err.message)) return 'YAML nested too deeply to analyse.';
  const line = err.message.split('\n')[0] ?? err.message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * Flow collections nested deeper than this are not parsed: the parser's cost grows faster than the
 * text there (and past a few thousand levels it overflows the stack). No manifest comes close.
 */
const MAX_FLOW_DEPTH = 1000;

/** The deepest nesting of `[`/`{` in the text (brackets in strings count too: an upper bound). One pass. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  scanSteps.count += text.length;
  return max;
}

/** A key `kind`, bare or quoted, as YAML and JSON write it. */
const KIND_KEY = /(?:^|[\s{,])["']?kind["']?[ \t]*:/;

/**
 * Whether `text` can hold a Kubernetes object: the one sniff before any parse. Every object names its
 * `kind` (a List's items inherit the List's), so text without such a key has none: not its syntax
 * errors, nesting or template actions are ours to report (CI workflows, Chart.yaml, editor settings). A JSON text is read natively (fast) and holds
 * one only when its top level is an object with a string `kind`; JSON that does not parse (being
 * typed) is left to the YAML parser, which reports where it breaks.
 */
export function mayHoldObjects(text: string): boolean {
  if (!KIND_KEY.test(text)) return false;
  const first = /\S/.exec(text.slice(0, 1024))?.[0];
  if (first !== '{' && first !== '[') return true;
  // JSON with comments (VS Code's launch.json: kubectl's JSON decoder stops at the first comment) is read without them.
  const value = readJson(text);
  if (value === NOT_JSON) return true;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { kind?: unknown }).kind === 'string';
}

/** The offset of the `---` line that starts document number `n + 1` (0-based n), if the text has one. */
function nthDocumentStart(text: string, n: number): number | undefined {
  const separator = /^---(?:[ \t]|$)/gm;
  let count = text.startsWith('---') ? -1 : 0;
  for (let m = separator.exec(text); m; m = separator.exec(text)) {
    if (++count >= n) return m.index;
  }
  return undefined;
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

export function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}

/** A readable reference to an object: `Kind namespace/name` (or `Kind name` when cluster-scoped). */
export function objectRef(o: Pick<K8sObject, 'kind' | 'namespace' | 'name'>): string {
  return o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}
