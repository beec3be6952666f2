/**
 * The YAML parse alone, the library's path against the fast path (src/core/parse/fast-yaml.ts), in
 * CPU time (fastest of `runs`), on the bench's workspaces and on one document of the edited file:
 *   node --require ./scripts/native-esm.cjs --import tsx bench/profile-parse.ts [runs]
 * "library" is `new Parser()` + `new Composer()` per chunk (what parseDocuments did before the fast
 * path); "ours" is `parseDocuments` (fast path, the library for the chunks outside it), and the
 * share of chunks it read itself. `parseAllDocuments` is the bench's "floor" (the library's own
 * entry point, one call per file).
 */
import { parseAllDocuments } from 'yaml';
import { chunkPaths, chunkStarts, parseChunkByLibrary, parseDocuments } from '../src/core/parse/documents';
import { YAML_OPTIONS } from '../src/core/parse/manifest';
import { boutique } from './corpus';
import { generateWorkspace } from './gen';

const runs = Number(process.argv[2] ?? 7);

function cpu(run: () => void, times = runs): number {
  let best = Infinity;
  for (let r = 0; r < times; r++) {
    const c = process.cpuUsage();
    run();
    const d = process.cpuUsage(c);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

function library(text: string): void {
  const starts = chunkStarts(text);
  for (let i = 0; i < starts.length; i++) parseChunkByLibrary(text.slice(starts[i]!, starts[i + 1] ?? text.length), starts[i]!, YAML_OPTIONS);
}

const synthetic = generateWorkspace(5000);
const workspaces = [
  { name: `synthetic ${synthetic.objects}`, texts: synthetic.files.map(f => f.text), edit: synthetic.editTexts[0], at: synthetic.hoverOffset },
  ...(() => {
    const b = boutique(100);
    return b ? [{ name: b.name, texts: b.files.map(f => f.text), edit: b.editTexts[0], at: b.hoverOffset }] : [];
  })(),
];

console.log('workspace                     library ms  ours ms  ratio  fast chunks');
for (const w of workspaces) {
  const lib = cpu(() => { for (const t of w.texts) library(t); });
  chunkPaths.fast = 0;
  chunkPaths.library = 0;
  const ours = cpu(() => { for (const t of w.texts) parseDocuments(t, YAML_OPTIONS); }, 1);
  const share = chunkPaths.fast / (chunkPaths.fast + chunkPaths.library);
  const best = Math.min(ours, cpu(() => { for (const t of w.texts) parseDocuments(t, YAML_OPTIONS); }));
  console.log(`${w.name.padEnd(28)}  ${lib.toFixed(0).padStart(10)}  ${best.toFixed(0).padStart(7)}  ${(lib / best).toFixed(1).padStart(4)}x  ${(100 * share).toFixed(1)}%`);
}

// The bench's "parse 1 doc": the document of the edited file under the hover offset, as a keystroke
// re-parses it; per call, in microseconds.
for (const w of workspaces) {
  const starts = chunkStarts(w.edit);
  let k = 0;
  while (k + 1 < starts.length && starts[k + 1]! <= w.at) k++;
  const doc = w.edit.slice(starts[k]!, starts[k + 1] ?? w.edit.length);
  const n = 2000;
  const per = (run: () => void) => (cpu(() => { for (let i = 0; i < n; i++) run(); }) / n) * 1000;
  const floor = per(() => parseAllDocuments(doc));
  const lib = per(() => library(doc));
  const ours = per(() => parseDocuments(doc, YAML_OPTIONS));
  console.log(`${w.name}: one document (${doc.length} chars): parseAllDocuments ${floor.toFixed(0)} us, library path ${lib.toFixed(0)} us, ours ${ours.toFixed(0)} us`);
}
