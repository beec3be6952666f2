/**
 * Go to Definition inside a base: the cursor's place is found in each render of the base, the
 * render's definition is asked there (a DNS name to the Service the overlay renders, with its
 * prefix and namespace), and the answer is mapped back to the file that writes the target (the
 * base, a patch). A render whose place has no source is left out; the answers of all renders are
 * merged.
 */
import { definitionAt, type DefinitionResult, type Location } from '../definition';
import type { Span } from '../span';
import type { RenderWorld } from './project';

export function renderedDefinition(worlds: readonly RenderWorld[], file: string, offset: number): DefinitionResult | undefined {
  let origin: Span | undefined;
  const locations = new Map<string, Location>();
  for (const w of worlds) {
    for (const at of w.map.fromSource(file, offset)) {
      const r = definitionAt(w.workspace, w.file, at);
      if (!r) continue;
      const back = w.map.toSource(r.origin);
      if (back?.file !== file) continue;
      origin ??= back.span;
      for (const l of r.locations) {
        const to = l.file === w.file ? w.map.toSource(l.span) : l;
        if (to) locations.set(`${to.file}\u0000${to.span.start}\u0000${to.span.end}`, { file: to.file, span: to.span });
      }
    }
  }
  return origin && locations.size ? { origin, locations: [...locations.values()] } : undefined;
}
