/**
 * Hovers inside a base, a patch or a template: the cursor's place is found in each render that
 * shows it, the render's hover is asked there, and every link in it that points into the render
 * (which no editor can open) is pointed at the file that writes the object instead, or, when
 * nothing the user edits writes it (a generated object), said in words.
 */
import { hoverAt } from '../hover/index';
import { escape, mapRevealLinks, sourceLink } from '../hover/markdown';
import type { HoverResult } from '../providers';
import type { LineIndex, Span } from '../span';
import type { RenderWorld } from './project';

/** The hover at `offset` of source `file`, one part per render that shows the place. */
export function renderedHover(worlds: readonly RenderWorld[], file: string, offset: number, linesOf: (file: string) => LineIndex | undefined): HoverResult | undefined {
  const parts: string[] = [];
  let span: Span | undefined;
  for (const world of worlds) {
    for (const at of world.map.fromSource(file, offset)) {
      const h = hoverAt(world.workspace, world.file, at);
      if (!h) continue;
      parts.push(`**Rendered in ${escape(world.label)}**\n\n${sourceLinks(world, h.markdown, linesOf)}`);
      const back = world.map.toSource(h.span);
      if (back?.file === file) span ??= back.span;
    }
  }
  if (!parts.length) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), span: span ?? { start: offset, end: offset } };
}

/** `markdown` (a hover on `world`'s render) with its links into the render pointed at their sources. */
function sourceLinks(world: RenderWorld, markdown: string, linesOf: (file: string) => LineIndex | undefined): string {
  return mapRevealLinks(markdown, (file, span) => {
    if (file !== world.file) return undefined;
    const to = world.map.toSource(span);
    const lines = to && linesOf(to.file);
    return to && lines ? sourceLink(to.file, to.span, lines.position(to.span.start).line + 1) : `_made by ${escape(world.label)}_`;
  });
}
