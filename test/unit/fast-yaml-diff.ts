/**
 * The differential comparison of the fast YAML path (src/core/parse/fast-yaml.ts) with the
 * library's parser: every chunk of a text parsed both ways, compared node by node.
 */
import { isPair, type Document } from 'yaml';
import { chunkStarts, parseChunkByLibrary, parsedWhole, sharedSettings, type YamlOptions } from '../../src/core/parse/documents';
import { parseChunkFast } from '../../src/core/parse/fast-yaml';
import { YAML_OPTIONS, stripBom } from '../../src/core/parse/manifest';

/** The first difference between two values built by the two paths, as a path and both sides; undefined when equal. */
export function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a === 'symbol' && typeof b === 'symbol') return a.description === b.description ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${String(a)} vs ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: class ${a.constructor.name} vs ${b.constructor.name}`;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime() ? undefined : `${path}: dates differ`;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return `${path}: keys [${ka}] vs [${kb}]`;
  for (const k of ka) {
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    // Settings are shared objects: the same one on both sides, never walked.
    if (k === 'options' || k === 'schema' || k === 'directives') {
      if (va !== vb) return `${path}.${k}: not the shared object`;
      continue;
    }
    const d = difference(va, vb, `${path}.${k}`);
    if (d) return d;
  }
  // The non-enumerable schema of collections.
  const sa = (a as { schema?: unknown }).schema;
  const sb = (b as { schema?: unknown }).schema;
  if (sa !== sb && !isPair(a)) return `${path}.schema: differs`;
  return undefined;
}

export interface ChunkComparison {
  readonly chunks: number;
  readonly fast: number;
  readonly mismatches: string[];
}

/** Parses every chunk of `written` both ways; a chunk the fast path declines counts as not fast. */
export function compareChunks(written: string, options: YamlOptions = YAML_OPTIONS, label = ''): ChunkComparison {
  const text = stripBom(written);
  if (parsedWhole(text)) return { chunks: 0, fast: 0, mismatches: [] };
  const starts = chunkStarts(text);
  let fast = 0;
  const mismatches: string[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const chunk = text.slice(start, starts[i + 1] ?? text.length);
    const mine = parseChunkFast(chunk, start, docStart => sharedSettings(options, docStart));
    if (!mine) continue;
    fast++;
    const theirs: Document.Parsed[] = parseChunkByLibrary(chunk, start, options);
    const d = difference(mine, theirs);
    if (d) mismatches.push(`${label} chunk at ${start}: ${d}`);
  }
  return { chunks: starts.length, fast, mismatches };
}
