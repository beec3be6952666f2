import { RULES } from './src/core/rules/index';
import { applyFix, chosenFix, findingsOf, loadFixture, workspaceOf } from './test/unit/rule-fixtures';
const show = new Set(process.argv.slice(2));
for (const rule of RULES) {
  const fires = loadFixture(rule.id, 'fires')!;
  const ws = workspaceOf(fires);
  for (const f of findingsOf(ws, rule)) {
    const pos = ws.get(f.file)!.manifest.lines.position(f.span.start);
    console.log(`${f.file}:${pos.line + 1}:${pos.character + 1} ${f.severity} ${f.rule} [${fires.get(f.file)!.slice(f.span.start, f.span.end)}] ${f.message} ${f.fixes.map(x => '{' + x.title + '}').join(' ')}`);
    if (show.has(rule.id) && chosenFix(f)) console.log(applyFix(fires, chosenFix(f)!).get(f.file));
  }
}
