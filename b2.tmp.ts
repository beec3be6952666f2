import { generateWorkspace, adminPolicyFile } from './bench/gen';
import { Workspace } from './src/core/workspace';
import { connectivity } from './src/core/net/policy/index';
import { modelOf } from './src/core/net/policy/model';
const N = Number(process.argv[2] ?? 1000);
const w = generateWorkspace(N);
const nsCount = w.files.filter(f => f.path.endsWith('namespace.yaml')).length;
const admin = adminPolicyFile(nsCount);
for (const extra of [false, true]) {
  const ws = new Workspace(); for (const f of w.files) ws.set(f.path, f.text); if (extra) ws.set(admin.path, admin.text);
  let t = performance.now();
  const m = modelOf(ws);
  const t1 = performance.now() - t;
  t = performance.now();
  const r = connectivity(ws);
  console.log(extra ? 'admin' : 'plain', 'classes', m.classes.length, 'model', t1.toFixed(0), 'conn', (performance.now() - t).toFixed(0), 'ms', r.connections.length, 'rows', 'dest ext', m.destinationExternals.length);
}
