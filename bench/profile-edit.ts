/**
 * The bench's `edit` figure on Online Boutique x100, for profiling:
 *   node --require ./scripts/native-esm.cjs --import tsx [--cpu-prof] bench/profile-edit.ts [edits] [--rules]
 * Runs the keystroke path of bench/run.ts (`set`, every rule on the edited file, the hover) and
 * prints CPU time per edit (process.cpuUsage) and the fastest wall time of each part; `--rules`
 * adds the CPU time of each rule on the edited file.
 */
import { hoverAt } from '../src/core/hover/index';
import { RULES } from '../src/core/rules/index';
import { checkFile, checkWorkspace } from '../src/core/rules/run';
import { Workspace } from '../src/core/workspace';
import { boutique } from './corpus';

// Named steps, so that a --cpu-prof profile tells the edits from the set-up.
function editSet(ws: Workspace, file: string, text: string): void {
  ws.set(file, text);
}
function editRules(ws: Workspace, file: string): void {
  checkFile(ws, file);
}
function editHover(ws: Workspace, file: string, offset: number): void {
  hoverAt(ws, file, offset);
}

function main(): void {
  const edits = Number(process.argv[2] ?? 2000);
  const perRule = process.argv.includes('--rules');
  const w = boutique(100);
  if (!w) throw new Error('Online Boutique not found in ../shared/corpus');
  const ws = new Workspace();
  for (const f of w.files) ws.set(f.path, f.text);
  checkWorkspace(ws);
  const parts = { set: [] as number[], rules: [] as number[], hover: [] as number[] };
  const byRule = new Map<string, number>();
  const c0 = process.cpuUsage();
  for (let i = 0; i < edits; i++) {
    const t0 = performance.now();
    editSet(ws, w.editFile, w.editTexts[i % 2]!);
    const t1 = performance.now();
    if (perRule) {
      for (const r of RULES) {
        const s = performance.now();
        checkFile(ws, w.editFile, {}, [r]);
        byRule.set(r.id, (byRule.get(r.id) ?? 0) + performance.now() - s);
      }
    } else editRules(ws, w.editFile);
    const t2 = performance.now();
    editHover(ws, w.editFile, w.hoverOffset);
    const t3 = performance.now();
    parts.set.push(t1 - t0);
    parts.rules.push(t2 - t1);
    parts.hover.push(t3 - t2);
  }
  const cpu = process.cpuUsage(c0);
  const fmt = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `min ${s[0]!.toFixed(3)} p50 ${s[Math.floor(s.length / 2)]!.toFixed(3)} ms`;
  };
  console.log(`${edits} edits: CPU ${((cpu.user + cpu.system) / 1000 / edits).toFixed(3)} ms per edit`);
  for (const [k, xs] of Object.entries(parts)) console.log(`  ${k}: ${fmt(xs)}`);
  if (perRule) {
    for (const [id, t] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${id}: ${(t / edits).toFixed(4)} ms`);
  }
}

main();
