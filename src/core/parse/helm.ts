/**
 * Helm template detection, linear in the text. Plain `{{ }}` inside a string value (a Prometheus
 * alert, an Argo workflow) is ordinary data, so only an action that starts with one of Helm's own
 * words, or reads one of Helm's built-in objects (`.Values`, `.Release`, ...), marks a file as a
 * template. The action is `{{`, then anything but `}`, then `}}`.
 *
 * A regular expression for this (`\{\{...[^}]*...\}\}`) backtracks quadratically on a file of
 * braces; this scan looks at each character a bounded number of times, counted in `scanSteps`.
 */
import type { Span } from '../span';
import { isSpace, isWordChar, scanSteps } from '../scan';

/** Words that start a Helm action (`{{- include ...}}`, `{{ if ...}}`, `{{ end }}`). */
const HELM_WORDS = ['include', 'template', 'toYaml', 'tpl', 'required', 'default', 'if', 'else', 'range', 'with', 'define', 'end', 'quote', 'nindent', 'indent'];
/** Helm's built-in objects, read as `.Values.x` anywhere in an action. */
const HELM_OBJECTS = ['Values', 'Release', 'Chart', 'Capabilities', 'Files', 'Template'];

/** Whether `word` stands at `i` in `text` as a whole word (not followed by a word character). */
function wordAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i) && !isWordChar(text.charCodeAt(i + word.length));
}

/** The span of the first Helm template action in `text`, or undefined. */
export function findHelmAction(text: string): Span | undefined {
  let close = -1;
  // The first `.Object` at or after `scanned`; positions only grow, so each character is read once.
  let object = -1;
  let scanned = 0;
  const nextObject = (from: number): number => {
    if (object >= from) return object;
    let i = Math.max(from, scanned);
    for (;;) {
      const dot = text.indexOf('.', i);
      scanSteps.count += (dot < 0 ? text.length : dot + 1) - i;
      if (dot < 0) {
        scanned = text.length;
        return (object = Infinity);
      }
      i = dot + 1;
      scanned = i;
      if (HELM_OBJECTS.some(w => wordAt(text, dot + 1, w))) return (object = dot);
    }
  };
  let from = 0;
  for (;;) {
    const start = text.indexOf('{{', from);
    scanSteps.count += (start < 0 ? text.length : start + 1) - from;
    if (start < 0) return undefined;
    from = start + 1;
    const body = start + 2;
    if (close < body) {
      close = text.indexOf('}', body);
      scanSteps.count += (close < 0 ? text.length : close + 1) - body;
      // No `}` after this point: no action can end.
      if (close < 0) return undefined;
    }
    if (text.charCodeAt(close + 1) !== 0x7d) continue;
    let w = body;
    if (text.charCodeAt(w) === 0x2d) w++;
    while (w < close && isSpace(text.charCodeAt(w))) {
      w++;
      scanSteps.count++;
    }
    if (HELM_WORDS.some(word => wordAt(text, w, word)) || nextObject(body) < close) return { start, end: close + 2 };
  }
}

/** Whether a template action reads one of Helm's built-in objects (`{{ .Release.Name }}`), within an action's first 200 characters. */
export function readsHelmObject(text: string): boolean {
  return /\{\{[^}]{0,200}?\.(?:Values|Release|Chart|Capabilities|Files)\b/.test(text);
}
