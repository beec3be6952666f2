import { generateWorkspace, adminPolicyFile } from './bench/gen';
import { Workspace } from './src/core/workspace';
import { connectivity } from './src/core/net/policy/index';
import { checkWorkspace } from './src/core/rules/run';
const w = generateWorkspace(5000);
const nsCount = w.files.filter(f => f.path.endsWith('namespace.yaml')).length;
const admin = adminPolicyFile(nsCount);
const build = (extra: boolean) => { const ws = new Workspace(); for (const f of w.files) ws.set(f.path, f.text); if (extra) ws.set(admin.path, admin.text); return ws; };
for (const extra of [false, true, false, true]) {
  const ws = build(extra);
  const t = performance.now();
  const r = connectivity(ws);
  const t2 = performance.now();
  console.log(extra ? 'admin' : 'plain', (t2 - t).toFixed(0), 'ms', r.connections.length, 'rows');
}
const ws = build(true);
const t = performance.now(); const f = checkWorkspace(ws); console.log('check with admin', (performance.now() - t).toFixed(0), 'ms', [...f.values()].flat().length);
const byRule = new Map<string, number>(); for (const x of [...f.values()].flat()) byRule.set(x.rule, (byRule.get(x.rule) ?? 0) + 1); console.log(byRule);
