/**
 * The bench's admin-tier figure (connectivity of every workload pair on synthetic 4,980, without and
 * with 50 AdminNetworkPolicies of 100 rules), for profiling:
 *   node --expose-gc --require ./scripts/native-esm.cjs --import tsx [--cpu-prof] bench/profile-admin.ts [runs]
 * The two are measured alternately; prints CPU time (process.cpuUsage) and wall time per run.
 */
import { connectivity } from '../src/core/net/policy/index';
import { Workspace } from '../src/core/workspace';
import { adminPolicyFile, generateWorkspace } from './gen';

function main(): void {
  const runs = Number(process.argv[2] ?? 4);
  const w = generateWorkspace(5000);
  const build = (files: ReadonlyArray<{ path: string; text: string }>) => {
    const ws = new Workspace();
    for (const f of files) ws.set(f.path, f.text);
    return ws;
  };
  const namespaces = new Set(build(w.files).workloads.map(x => x.object.namespace)).size;
  const admin = adminPolicyFile(namespaces);
  const out = { plain: [] as string[], admin: [] as string[] };
  for (let i = 0; i < runs; i++) {
    for (const [label, files] of [['plain', w.files], ['admin', [...w.files, admin]]] as const) {
      const ws = build(files);
      (globalThis as { gc?: () => void }).gc?.();
      const c0 = process.cpuUsage();
      const t = performance.now();
      runConnectivity(ws);
      const c = process.cpuUsage(c0);
      out[label].push(`${(performance.now() - t).toFixed(0)}/${((c.user + c.system) / 1000).toFixed(0)}`);
    }
  }
  console.log(`wall/cpu ms per run: without ${out.plain.join(' ')}; with admin ${out.admin.join(' ')}`);
}

/** Named, so that a profile tells the measured part from building the workspaces. */
function runConnectivity(ws: Workspace): void {
  connectivity(ws);
}

main();
