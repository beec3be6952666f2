/**
 * Parsing a file's YAML documents so that an edit re-parses only the documents it touched. The text
 * is cut into chunks at document-start lines (`---` at column 0, where YAML itself ends a document
 * whatever came before); each chunk is parsed on its own, with the parser's offset set to where the
 * chunk starts, so node ranges are offsets into the whole text. After an edit, a chunk whose text is
 * unchanged keeps its documents: as they were when it did not move, or with every range shifted by
 * what the edit added or removed before it (a walk over its nodes, far cheaper than a parse).
 * Files with directives (`%YAML`, `%TAG`) or document-end markers (`...`) are parsed whole. A chunk
 * within the subset of YAML manifests use is read by the fast path (./fast-yaml), which builds the
 * same nodes without the library's lexer and CST; any other chunk by the library.
 */
import { Composer, Parser, visit, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { isPair, isScalar } from './yaml-nodes';
import { scanSteps } from '../scan';
import { parseChunkFast } from './fast-yaml';

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** A run of the text from one document-start line to the next, and the documents it parsed to. */
export interface ParsedChunk {
  readonly start: number;
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
}

const SEPARATOR = /^---(?:[ \t\r]|$)/gm;
/** Lines that make documents depend on what precedes them: directives and document-end markers. */
const NOT_CHUNKABLE = /^(?:%|\.\.\.)/m;

function parseAt(text: string, offset: number, options: YamlOptions, share = false): Document.Parsed[] {
  const parser = new Parser();
  // Token offsets start here, so every node range is an offset into the whole text.
  parser.offset = offset;
  const composer = new Composer(options);
  const docs = Array.from(composer.compose(parser.parse(text))) as Document.Parsed[];
  for (const d of docs) compact(d, share ? shareSettings(d, options) : undefined);
  return docs;
}

/**
 * How many chunks the fast path (./fast-yaml) read and how many went to the library: the
 * differential test checks that most real chunks take the fast path.
 */
export const chunkPaths = { fast: 0, library: 0 };

/** A chunk's documents as the library's parser makes them (for tests that compare the two paths). */
export function parseChunkByLibrary(text: string, offset: number, options: YamlOptions): Document.Parsed[] {
  return parseAt(text, offset, options, true);
}

/** Whether text is parsed whole rather than by chunks (directives, document-end markers). */
export function parsedWhole(text: string): boolean {
  return NOT_CHUNKABLE.test(text);
}

/**
 * A chunk's documents: by the fast path when the chunk is within its subset (the same nodes, at a
 * fraction of the cost), else by the library's parser.
 */
function parseChunk(text: string, offset: number, options: YamlOptions): Document.Parsed[] {
  let fast: Document.Parsed[] | undefined;
  try {
    fast = parseChunkFast(text, offset, docStart => sharedSettings(options, docStart));
  } catch {
    // A fault of the fast path must not cost the user the parse (its tests call it unguarded).
    fast = undefined;
  }
  if (!fast) {
    chunkPaths.library++;
    return parseAt(text, offset, options, true);
  }
  chunkPaths.fast++;
  for (const d of fast) compact(d, d.schema);
  return fast;
}

/** What every document parsed with the same options and no directives of its own has alike. */
interface Shared {
  readonly options: Document.Parsed['options'];
  readonly schema: Document.Parsed['schema'];
  readonly directives: Map<boolean, Document.Parsed['directives']>;
}
const sharedByOptions = new WeakMap<YamlOptions, Shared>();

/**
 * Points a parsed document's options, schema and directives at one copy per set of options: the
 * composer makes a copy of each per document (a schema is ~40 objects), a workspace keeps every
 * document, and parsed documents are only read (quick fixes write new ones), so the copies are a
 * tenth of the index's memory at 50,000 objects. Only for text without directives (`%YAML`,
 * `%TAG`): those are the same for every such document but the document-start marker, kept apart.
 */
function shareSettings(doc: Document.Parsed, options: YamlOptions): Document.Parsed['schema'] {
  let shared = sharedByOptions.get(options);
  if (!shared) {
    shared = { options: doc.options, schema: doc.schema, directives: new Map() };
    sharedByOptions.set(options, shared);
  }
  const docStart = doc.directives.docStart === true;
  let directives = shared.directives.get(docStart);
  if (!directives) {
    directives = doc.directives;
    shared.directives.set(docStart, directives);
  }
  doc.options = shared.options;
  doc.schema = shared.schema;
  doc.directives = directives;
  return shared.schema;
}

/**
 * The options, schema and directives documents parsed with `options` share (with or without a
 * document-start marker), for documents built without a parse (./transfer).
 */
export function sharedSettings(options: YamlOptions, docStart: boolean): {
  options: Document.Parsed['options'];
  schema: Document.Parsed['schema'];
  directives: Document.Parsed['directives'];
} {
  const shared = sharedByOptions.get(options);
  const directives = shared?.directives.get(docStart);
  if (shared && directives) return { options: shared.options, schema: shared.schema, directives };
  parseAt(docStart ? '---\na: 1\n' : 'a: 1\n', 0, options, true);
  return sharedSettings(options, docStart);
}

/**
 * Re-allocates each collection's item list at its exact size (ranges are made at theirs): the
 * parser grows the lists as it goes, and a workspace keeps every document, so the slack is a quarter of the
 * index's memory at 50,000 objects. Linear in the nodes, like the parse; a plain walk (the
 * library's `visit` allocates a path per node).
 */
function compact(doc: Document.Parsed, schema: Document.Parsed['schema'] | undefined): void {
  compactNode(doc.contents, schema);
}

/** Short strings seen in parsed documents, one copy each; emptied when full, so it stays bounded. */
const interned = new Map<string, string>();
const MAX_INTERNED = 100_000;
const MAX_INTERNED_LENGTH = 64;

function intern(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return s;
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(s, s);
  return s;
}

/** Compacts a node and what is below it; collections take `schema` (their document's) when given. */
function compactNode(node: unknown, schema: Document.Parsed['schema'] | undefined): void {
  const n = node as { range?: number[]; items?: unknown[]; key?: unknown; value?: unknown; source?: unknown; schema?: unknown } | null;
  if (!n || typeof n !== 'object') return;
  // A range comes from an array literal of three offsets, already at its size: copying it only
  // made garbage (a 72-byte array per node).
  const r = n.range;
  if (r && r.length !== 3) n.range = r.slice();
  if (typeof n.value === 'string' && isScalar(n)) {
    // Keys and values repeat across documents (`name`, `matchLabels`, `app`): one copy each.
    const value = intern(n.value);
    if (n.source === n.value) n.source = value;
    n.value = value;
    return;
  }
  const list = n.items;
  if (Array.isArray(list)) {
    const copy = list.slice();
    n.items = copy;
    if (schema) n.schema = schema;
    for (let i = 0; i < copy.length; i++) compactNode(copy[i], schema);
  } else if (isPair(n)) {
    compactNode(n.key, schema);
    compactNode(n.value, schema);
  }
}

/** Adds `delta` to every offset of a parsed document (its range, its nodes', its errors' and warnings'). */
function shift(doc: Document.Parsed, delta: number): void {
  const move = (r: number[] | undefined) => {
    if (!r) return;
    for (let i = 0; i < r.length; i++) r[i]! += delta;
  };
  move(doc.range);
  for (const e of doc.errors) move(e.pos);
  for (const w of doc.warnings) move(w.pos);
  visit(doc, (_key, node) => {
    scanSteps.count++;
    if (node) move((node as { range?: number[] }).range);
  });
}

/** The offsets where chunks start: 0, then each document-start line after it. */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(text); m; m = SEPARATOR.exec(text)) if (m.index > 0) starts.push(m.index);
  return starts;
}

/**
 * The documents of `text`, re-using the chunks of the previous parse of the same file whose text
 * did not change. Returns the chunks to keep for the next edit (undefined when the file is parsed
 * whole). Throws what the parser throws (a stack overflow on deep nesting).
 */
export function parseDocuments(text: string, options: YamlOptions, previous?: readonly ParsedChunk[]): {
  docs: Document.Parsed[];
  chunks: ParsedChunk[] | undefined;
} {
  if (parsedWhole(text)) return { docs: parseAt(text, 0, options), chunks: undefined };
  // Unchanged chunks of the previous parse, by text; each may be taken once (shifting mutates it).
  const reusable = new Map<string, ParsedChunk[]>();
  for (const c of previous ?? []) {
    const list = reusable.get(c.text);
    if (list) list.push(c);
    else reusable.set(c.text, [c]);
  }
  const starts = chunkStarts(text);
  const chunks: ParsedChunk[] = [];
  const docs: Document.Parsed[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const chunkText = text.slice(start, starts[i + 1] ?? text.length);
    const candidates = reusable.get(chunkText);
    let chunk: ParsedChunk | undefined;
    if (candidates?.length) {
      const same = candidates.findIndex(c => c.start === start);
      const old = candidates.splice(same >= 0 ? same : 0, 1)[0]!;
      if (old.start !== start) for (const d of old.docs) shift(d, start - old.start);
      chunk = { start, text: chunkText, docs: old.docs };
    } else {
      chunk = { start, text: chunkText, docs: parseChunk(chunkText, start, options) };
    }
    chunks.push(chunk);
    docs.push(...chunk.docs);
  }
  return { docs, chunks };
}
