/** What a reader can see of a parsed document, for comparing two parses (tests only). */
import { isAlias, isCollection, isMap, isPair, isScalar, type Document } from 'yaml';

/** Everything a reader can see of a document: each node's class, range, value, source, style and props, the document's own. */
export function model(d: Document.Parsed): unknown {
  const node = (n: unknown): unknown => {
    if (isPair(n)) return ['pair', node(n.key), node(n.value)];
    if (!n || typeof n !== 'object') return n;
    const x = n as Record<string, unknown> & { range?: number[] };
    const props = [x.range, x.tag, x.anchor, x.comment, x.commentBefore, x.spaceBefore, x.flow, x.type, x.format, x.minFractionDigits];
    if (isScalar(n)) return ['scalar', typeof n.value, String(n.value), n.source === undefined ? 'none' : String(n.source), ...props];
    if (isAlias(n)) return ['alias', n.source, ...props];
    if (isCollection(n)) return [isMap(n) ? 'map' : 'seq', ...props, (n.items as unknown[]).map(node)];
    return ['other', String(n)];
  };
  let json: string;
  try {
    json = JSON.stringify(d.toJS({ maxAliasCount: 100 }));
  } catch (e) {
    json = `throws ${(e as Error).message}`;
  }
  return {
    range: d.range, contents: node(d.contents), comment: d.comment, commentBefore: d.commentBefore,
    errors: d.errors.map(e => [e.code, e.pos, e.message]), warnings: d.warnings.map(e => [e.code, e.pos, e.message]),
    docStart: d.directives?.docStart, version: d.directives?.yaml.version, schema: d.schema.name, json,
    written: d.errors.length ? '' : d.toString(),
  };
}

