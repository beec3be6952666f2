/**
 * The one YAML emitter of quick fixes. `yaml`'s Document API writes every key and scalar, as YAML 1.1
 * (how the API machinery reads manifests): a value that would read as anything but the string it is
 * (`"80"`, `"on"`, `"y"`, `"0755"`) is double-quoted, and nothing else is. The layout is the file's
 * own, detected from its block collections ({@link styleOf}): how far a nested map is indented and
 * how far a list's `-` sits under its key, which `yaml`'s own layout cannot both follow (it ties the
 * second to the first). Fixes insert these lines at a column of the file; comments and everything
 * else around them stay as written.
 */
import { Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { spanOf } from '../../parse/yaml';
import type { Span } from '../../span';
import { columnOf, dashPrefix, isBlock } from './text';

/** A value the emitter writes: scalars, maps (in insertion order) and lists. */
export type YamlValue = string | number | YamlValue[] | { [key: string]: YamlValue };

/** A file's indentation habits. */
export interface YamlStyle {
  /** Columns a nested map is indented by. */
  readonly step: number;
  /** Columns a list's `-` is indented under its key (0: `key:\n- a`, 2: `key:\n  - a`). */
  readonly seqOffset: number;
}

const DOCUMENT = { version: '1.1' } as const;
const OUTPUT = { lineWidth: 0, singleQuote: false, blockQuote: false, flowCollectionPadding: false, nullStr: '' } as const;

/** What `yaml` writes for `value` as a document of its own, without the final newline. */
function written(value: unknown, flow = false): string {
  const doc = new Document(value, DOCUMENT);
  if (flow && (isMap(doc.contents) || isSeq(doc.contents))) doc.contents.flow = true;
  return doc.toString(OUTPUT).replace(/\n$/, '');
}

/** A scalar as YAML writes it: plain when it reads back as the same string, else double-quoted. */
export function yamlScalar(value: string | number): string {
  return memo(`${typeof value}\u0000${value}`, () => written(value));
}

/**
 * Scalars and `key: value` lines, each written once: a whole-workspace pass emits the same few
 * (`protocol: TCP`, `app`, port numbers) for thousands of fixes, and each write builds a YAML
 * document with its schema. Bounded: emptied when full.
 */
const writtenLines = new Map<string, string>();
function memo(key: string, write: () => string): string {
  let line = writtenLines.get(key);
  if (line === undefined) {
    if (writtenLines.size >= 10_000) writtenLines.clear();
    writtenLines.set(key, (line = write()));
  }
  return line;
}

/**
 * Replacement text for the scalar at `span`: inside its quotes when it is quoted (spans of quoted
 * scalars exclude them), else the value as YAML writes it.
 */
export function scalarReplacement(text: string, span: Span, value: string): string {
  const before = text[span.start - 1];
  if (before === '"') return JSON.stringify(value).slice(1, -1);
  if (before === "'") return value.replace(/'/g, "''");
  return yamlScalar(value);
}

/** A flow collection on one line: `[Ingress, Egress]`, `{matchLabels: {app: web}}`. */
export function yamlFlow(value: YamlValue[] | { [key: string]: YamlValue }): string {
  return written(value, true);
}

/** `key: value` (a scalar value) or `key:` (a collection follows), as YAML writes the pair. */
function pairLine(key: string, value: string | number | undefined): string {
  return memo(`${typeof value}\u0000${key.length}\u0000${key}${value}`, () => writePairLine(key, value));
}

function writePairLine(key: string, value: string | number | undefined): string {
  const line = written({ [key]: value ?? null });
  // A key too long for an implicit key comes out explicit (`? key`); a quoted key is always implicit.
  return line.startsWith('? ') ? `${JSON.stringify(key)}:${value === undefined ? '' : ` ${yamlScalar(value)}`}` : line;
}

const isScalarValue = (v: YamlValue): v is string | number => typeof v === 'string' || typeof v === 'number';
const isEmpty = (v: YamlValue) => Array.isArray(v) ? v.length === 0 : !isScalarValue(v) && Object.keys(v).length === 0;

/** Lines of a block map whose keys start at column `col`. */
export function mapLines(map: { [key: string]: YamlValue }, col: number, s: YamlStyle): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(col);
  for (const [k, v] of Object.entries(map)) {
    if (isScalarValue(v)) out.push(pad + pairLine(k, v));
    else if (isEmpty(v)) out.push(`${pad}${pairLine(k, undefined)} ${yamlFlow(v)}`);
    else if (Array.isArray(v)) out.push(pad + pairLine(k, undefined), ...seqLines(v, col + s.seqOffset, s));
    else out.push(pad + pairLine(k, undefined), ...mapLines(v, col + s.step, s));
  }
  return out;
}

/** Lines of a block list whose dashes sit at column `col`. */
export function seqLines(seq: YamlValue[], col: number, s: YamlStyle): string[] {
  return seq.flatMap(v => itemLines(v, `${' '.repeat(col)}- `, s));
}

/** Lines of one list item whose first line starts with `prefix` (indentation, `-`, spaces: the file's own). */
export function itemLines(v: YamlValue, prefix: string, s: YamlStyle): string[] {
  if (isScalarValue(v) || isEmpty(v)) return [prefix + (isScalarValue(v) ? yamlScalar(v) : yamlFlow(v as YamlValue[]))];
  if (Array.isArray(v)) return [prefix.trimEnd(), ...seqLines(v, prefix.length, s)];
  const lines = mapLines(v, prefix.length, s);
  lines[0] = prefix + lines[0]!.slice(prefix.length);
  return lines;
}

/**
 * The indentation style of a file around `object`, read from block collections: the first map nested
 * under a key gives the step, the first list under a key the dash offset. The object's own collections
 * decide; what they do not show is read from the file's other objects. Without any evidence: a step
 * of 2, and lists indented by the step.
 */
export function styleOf(text: string, object: { readonly node: unknown }, file?: { readonly objects: readonly { readonly node: unknown }[] }): YamlStyle {
  // Kept per object node (a parse makes new nodes): a file's fixes ask for it once per finding.
  const node = object.node;
  const known = node !== null && typeof node === 'object' ? styles.get(node) : undefined;
  if (known && known.text === text && known.file === file) return known.style;
  const style = computeStyle(text, object, file);
  if (node !== null && typeof node === 'object') styles.set(node, { text, file, style });
  return style;
}

const styles = new WeakMap<object, { text: string; file: object | undefined; style: YamlStyle }>();

function computeStyle(text: string, object: { readonly node: unknown }, file?: { readonly objects: readonly { readonly node: unknown }[] }): YamlStyle {
  let step: number | undefined;
  let seqOffset: number | undefined;
  const visit = (node: unknown, keyCol: number | undefined): void => {
    if (step !== undefined && seqOffset !== undefined) return;
    if (!isBlock(node)) return;
    if (isSeq(node)) {
      const first = spanOf((node as YAMLSeq).items[0]);
      const prefix = first && dashPrefix(text, first.start);
      if (seqOffset === undefined && prefix && keyCol !== undefined) seqOffset = Math.max(0, prefix.indexOf('-') - keyCol);
      for (const i of (node as YAMLSeq).items) visit(i, undefined);
      return;
    }
    const map = node as YAMLMap;
    const firstKey = spanOf(map.items[0]?.key);
    if (step === undefined && firstKey && keyCol !== undefined) {
      const d = columnOf(text, firstKey.start) - keyCol;
      if (d > 0) step = d;
    }
    for (const pair of map.items) {
      const k = spanOf(pair.key);
      visit(pair.value, k ? columnOf(text, k.start) : undefined);
    }
  };
  visit(object.node, undefined);
  for (const other of file?.objects ?? []) if (other.node !== object.node) visit(other.node, undefined);
  const s = step ?? 2;
  return { step: s, seqOffset: seqOffset ?? s };
}
