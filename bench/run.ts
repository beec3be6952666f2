/**
 * `npm run bench`: the cost of a keystroke and of a whole-workspace analysis, side by side with
 * Monokle's validator and yaml-language-server on the same files, in one process. Prints tables and
 * writes the same figures to bench/results.json. Options: `--quick` (fewer runs, for development),
 * `--all-peers` (Monokle on the 2,000- and 5,000-object synthetic workspaces as well: ~25 minutes more),
 * `--no-peers`, `--peers=yaml-ls` (yaml-language-server only, no Monokle),
 * `--sections=workspaces,hooks,scaling,fuzz,big` (only those), `--fuzz-cases=N`.
 *
 * Further sections: `connectivity` (src/core/net/policy), DNS resolution of every reference
 * (src/core/net/dns), `benchPolicy()` (bench/policy.ts), `benchDiagram()` (bench/diagram.ts) and
 * `benchRender()` (bench/render.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { hoverAt } from '../src/core/hover/index';
import { dnsReferences, resolveReference } from '../src/core/net/dns/index';
import { connectivity } from '../src/core/net/policy/index';
import { RULES } from '../src/core/rules/index';
import { checkFile, checkWorkspace } from '../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { Workspace } from '../src/core/workspace';
import { parseInOrder, workerCount } from '../src/parallel/parse';
import { boutique, corpusApps, corpusConnectivity } from './corpus';
import { benchDiagram } from './diagram';
import { adminPolicyFile, generateWorkspace, type BenchFile, type BenchWorkspace } from './gen';
import { hostTimingRow } from './host-timing';
import { benchFuzz, benchScaling, SCALING_TARGET, type ScalingRow } from './scaling';
import type { FuzzResult } from '../test/unit/fuzz-run';
import { canCollect, heapAfterGc, heapNow, mb, measure, measureWithCpu, ms, stat, table, type Stat } from './measure';
import { benchPolicy } from './policy';
import { benchRender } from './render';
import {
  createMonokle, createYamlLs, installNetworkGuard, monokleResources, networkAttempts, MONOKLE_PLUGINS,
  type MonokleResource, type MonokleRunner, type YamlLsRunner,
} from './peers';

const QUICK = process.argv.includes('--quick');
/** `--sections=workspaces,hooks,scaling,fuzz,big` (default: all): run only some sections. */
const SECTIONS = new Set((process.argv.find(a => a.startsWith('--sections='))?.slice('--sections='.length) ?? 'workspaces,hooks,scaling,fuzz,big').split(','));
const want = (section: 'workspaces' | 'hooks' | 'scaling' | 'fuzz' | 'big') => SECTIONS.has(section);
/** `--no-peers`: skip Monokle and yaml-language-server. */
const NO_PEERS = process.argv.includes('--no-peers');
/** `--peers=yaml-ls`: yaml-language-server only (a few milliseconds per workspace), no Monokle (minutes). */
const YAML_LS_ONLY = process.argv.includes('--peers=yaml-ls');
/** `--fuzz-cases=N` (default 10,000). */
const FUZZ_CASES = Number(process.argv.find(a => a.startsWith('--fuzz-cases='))?.slice('--fuzz-cases='.length) ?? (QUICK ? 1000 : 10_000));
/** The workspace of the 50,000-object targets. */
const BIG_OBJECTS = 50_000;
/** Monokle on the big synthetic workspaces too (its quadratic processRefs takes about 20 minutes there). */
const ALL_PEERS = process.argv.includes('--all-peers');
const runs = (full: number) => (QUICK ? Math.max(1, Math.ceil(full / 5)) : full);

interface EditResult {
  floor: Stat;
  floorDocument: Stat;
  edit: Stat;
  /** CPU time of the same runs (process.cpuUsage): what a loaded machine does not inflate. */
  floorCpu: Stat;
  editCpu: Stat;
  set: Stat;
  rules: Stat;
  hoverAndCaches: Stat;
  findings: number;
}

interface FullResult {
  /** The sequential path: every file parsed on this thread. */
  full: Stat;
  /** CPU time of the same runs (process.cpuUsage). */
  fullCpu?: Stat;
  parse: Stat;
  rules: Stat;
  findings: number;
  heapRetainedMB: number;
  heapPeakMB: number;
  /**
   * The product's path (`kube-netlens check`, the extension's first scan): the files parsed on worker
   * threads when their text reaches the threshold (src/parallel/parse.ts), handed over in order.
   * Measured on the synthetic 5,000- and 50,000-object workspaces.
   */
  parallel?: ParallelFull;
}

interface ParallelFull {
  /** Worker threads the product starts for this text (workerCount). */
  threads: number;
  full: Stat;
  /** CPU time of the same runs, every thread of the process (the workers' parse included). */
  fullCpu: Stat;
  parse: Stat;
  rules: Stat;
  findings: number;
}

interface PeerResult {
  monokleFull?: Stat;
  monokleIncremental?: Stat;
  monokleResults?: number;
  yamlLs?: Stat;
  errors: string[];
}

interface WorkspaceResult {
  name: string;
  files: number;
  objects: number;
  editFile: string;
  editFileBytes: number;
  edit: EditResult;
  full: FullResult;
  peers: PeerResult;
}

/** The edit path a keystroke runs: re-index the file, run every rule on it, answer the hover, refresh the caches hovers read. */
function editOnce(ws: Workspace, w: BenchWorkspace, i: number, split?: { set: number[]; rules: number[]; hover: number[] }): number {
  const t0 = performance.now();
  ws.set(w.editFile, w.editTexts[i % 2]!);
  const t1 = performance.now();
  const findings = checkFile(ws, w.editFile).length;
  const t2 = performance.now();
  hoverAt(ws, w.editFile, w.hoverOffset);
  touchHoverCaches(ws, w.editFile);
  const t3 = performance.now();
  split?.set.push(t1 - t0);
  split?.rules.push(t2 - t1);
  split?.hover.push(t3 - t2);
  return findings;
}

/** The whole-workspace tables hovers and rules read (namespaces, Services, workloads of the edited namespaces). */
function touchHoverCaches(ws: Workspace, file: string): void {
  ws.namespaces;
  ws.clusterDomain;
  for (const o of ws.get(file)?.manifest.objects ?? []) {
    ws.service(o.namespace, o.name);
    ws.workloadsIn(o.namespace);
    ws.servicesIn(o.namespace);
  }
}

function buildWorkspace(files: readonly BenchFile[]): Workspace {
  const ws = new Workspace();
  for (const f of files) ws.set(f.path, f.text);
  return ws;
}

/** The YAML document of `text` that contains `offset`, as text. */
function documentAt(text: string, offset: number): string {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  const doc = list.find(d => d.range[0] <= offset && offset < d.range[2]) ?? list[0];
  return doc ? text.slice(doc.range[0], doc.range[2]) : text;
}

async function benchEdit(w: BenchWorkspace): Promise<EditResult> {
  const { wall: floor, cpu: floorCpu } = await measureWithCpu(i => parseAllDocuments(w.editTexts[i % 2]!), runs(100), 20);
  const docs = [documentAt(w.editTexts[0], w.hoverOffset), documentAt(w.editTexts[1], w.hoverOffset)];
  const floorDocument = await measure(i => parseAllDocuments(docs[i % 2]!), runs(100), 20);
  const ws = buildWorkspace(w.files);
  checkWorkspace(ws);
  const split = { set: [] as number[], rules: [] as number[], hover: [] as number[] };
  let findings = 0;
  const { wall: edit, cpu: editCpu } = await measureWithCpu(i => { findings = editOnce(ws, w, i, i >= 20 ? split : undefined); }, runs(200), 20);
  ws.set(w.editFile, w.editTexts[0]);
  return { floor, floorDocument, edit, floorCpu, editCpu, set: stat(split.set), rules: stat(split.rules), hoverAndCaches: stat(split.hover), findings };
}

async function benchFull(w: BenchWorkspace, withParallel: boolean): Promise<FullResult> {
  const parse: number[] = [];
  const rules: number[] = [];
  let findings = 0;
  const huge = w.objects > 20_000;
  const n = huge ? 1 : runs(w.objects > 2000 ? 5 : 10);
  const { wall: full, cpu: fullCpu } = await measureWithCpu(i => {
    const t0 = performance.now();
    const ws = buildWorkspace(w.files);
    const t1 = performance.now();
    findings = [...checkWorkspace(ws).values()].reduce((k, f) => k + f.length, 0);
    if (i >= (huge ? 0 : 1)) {
      parse.push(t1 - t0);
      rules.push(performance.now() - t1);
    }
  }, n, huge ? 0 : 1);
  // The heap of the one-thread build, measured before the parallel runs: what those leave for the
  // collector to free would otherwise count in the base and come off the figure.
  const base = heapAfterGc();
  let ws: Workspace | undefined = buildWorkspace(w.files);
  let results: ReturnType<typeof checkWorkspace> | undefined = checkWorkspace(ws);
  const peak = heapNow();
  const retained = heapAfterGc();
  if (!ws.has(w.editFile) || !results) throw new Error('unreachable: keeps ws and results alive for the heap figure');
  ws = results = undefined;
  const parallel = withParallel ? await benchFullParallel(w, n, huge ? 0 : 1) : undefined;
  return {
    full, fullCpu, parse: stat(parse), rules: stat(rules), findings, parallel,
    heapRetainedMB: Number(mb(retained - base)), heapPeakMB: Number(mb(Math.max(peak, retained) - base)),
  };
}

/** The full analysis as the product runs it: parse on worker threads when the text reaches the threshold, then every rule. */
async function benchFullParallel(w: BenchWorkspace, n: number, warmup: number): Promise<ParallelFull> {
  const files = w.files.map(f => ({ file: f.path, text: f.text }));
  const threads = workerCount(files.reduce((k, f) => k + f.text.length, 0));
  const parse: number[] = [];
  const rules: number[] = [];
  let findings = 0;
  const { wall: full, cpu: fullCpu } = await measureWithCpu(async i => {
    const t0 = performance.now();
    const ws = new Workspace();
    await parseInOrder(files, {
      maxFileSize: DEFAULT_SETTINGS.maxFileSize, threads,
      each: (k, previous) => ws.set(files[k]!.file, files[k]!.text, previous ? { previous } : {}),
    });
    const t1 = performance.now();
    findings = [...checkWorkspace(ws).values()].reduce((k, f) => k + f.length, 0);
    if (i >= warmup) {
      parse.push(t1 - t0);
      rules.push(performance.now() - t1);
    }
  }, n, warmup);
  return { threads, full, fullCpu, parse: stat(parse), rules: stat(rules), findings };
}

async function benchPeers(w: BenchWorkspace, monokle: MonokleRunner | string, yls: YamlLsRunner | string): Promise<PeerResult> {
  const out: PeerResult = { errors: [] };
  if (typeof monokle === 'string') out.errors.push(`monokle: ${monokle}`);
  else {
    try {
      const resources = w.files.flatMap(monokleResources);
      let results = 0;
      // Monokle's processRefs grows quadratically (minutes per run at 5,000 objects): one run there.
      const big = w.objects >= 2000;
      out.monokleFull = await measure(async () => { results = await monokle.full(resources); }, big ? 1 : runs(5), big ? 0 : 1);
      out.monokleResults = results;
      const versions = w.editTexts.map(text => monokleResources({ path: w.editFile, text }));
      const offsetDoc = parseAllDocuments(w.editTexts[0]);
      const index = (Array.isArray(offsetDoc) ? offsetDoc : []).findIndex(d => d.range[0] <= w.hoverOffset && w.hoverOffset < d.range[2]);
      const id = `${w.editFile}#${Math.max(0, index)}`;
      const slot = resources.findIndex(r => r.id === id);
      if (slot < 0) throw new Error(`edited resource ${id} not found`);
      const setVersion = (i: number) => {
        const next: MonokleResource | undefined = versions[i % 2]!.find(r => r.id === id);
        if (next) resources[slot] = next;
      };
      out.monokleIncremental = await measure(async i => {
        setVersion(i);
        await monokle.incremental(resources, id);
      }, big ? 1 : runs(10), big ? 0 : 1);
    } catch (e) {
      out.errors.push(`monokle: ${(e as Error).message}`);
    }
  }
  if (typeof yls === 'string') out.errors.push(`yaml-language-server: ${yls}`);
  else {
    try {
      const uri = `file:///bench/${w.editFile}`;
      out.yamlLs = await measure(i => yls.validate(uri, w.editTexts[i % 2]!), runs(50), 5);
    } catch (e) {
      out.errors.push(`yaml-language-server: ${(e as Error).message}`);
    }
  }
  return out;
}

/** A corpus folder as a bench workspace: the edit is a comment added at the end of its largest file. */
function corpusWorkspace(name: string, files: BenchFile[], preferred?: string): BenchWorkspace | undefined {
  if (!files.length) return undefined;
  const edit = files.find(f => preferred && f.path.endsWith(preferred)) ?? [...files].sort((a, b) => b.text.length - a.text.length)[0]!;
  const objects = buildWorkspace(files).objects.length;
  const nameAt = edit.text.search(/\bname: \S/);
  return {
    name, files, objects, editFile: edit.path,
    editTexts: [edit.text, `${edit.text.replace(/\n?$/, '\n')}# edited\n`],
    hoverOffset: Math.max(0, nameAt + 'name: '.length),
  };
}

// ---------------------------------------------------------------------------------------------
// Sections measured by the policy, DNS and diagram modules.

interface HookResult {
  name: string;
  status: 'measured' | 'error';
  detail: string;
  rows: Array<{ label: string; stat?: Stat; value?: number | string }>;
}

/** Rows from a `benchX()`: an array of `{label|name, ...stat or ms}`. */
function hookRows(value: ReadonlyArray<{ name: string; ms: number }>): HookResult['rows'] {
  return value.map(r => ({ label: r.name, value: `${ms(r.ms)} ms` }));
}

async function externalHook(name: string, fn: () => Promise<Array<{ name: string; ms: number }>>): Promise<HookResult> {
  try {
    return { name, status: 'measured', detail: `${fn.name}()`, rows: hookRows(await fn()) };
  } catch (e) {
    return { name, status: 'error', detail: (e as Error).message, rows: [] };
  }
}

/** connectivity(ws) of every workload pair, on the big synthetic workspace (hundreds of ipBlocks). */
async function connectivityHook(w: BenchWorkspace): Promise<HookResult> {
  const name = 'connectivity of all workloads';
  try {
    const ws = buildWorkspace(w.files);
    const ipBlocks = ws.policies.reduce((n, p) => n + [...p.ingress ?? [], ...p.egress ?? []]
      .reduce((k, r) => k + (r.peers ?? []).filter(peer => peer.ipBlock).length, 0), 0);
    const samples: number[] = [];
    // The same workspace under 50 AdminNetworkPolicies of 100 rules each (the issue's target: within 2x).
    // The two are measured alternately, so a change in the machine's load weighs on both alike.
    const namespaces = new Set(ws.workloads.map(x => x.object.namespace)).size;
    const admin = adminPolicyFile(namespaces);
    const adminSamples: number[] = [];
    for (let i = 0; i < Math.max(3, runs(5)) + 1; i++) {
      for (const [files, out] of [[w.files, samples], [[...w.files, admin], adminSamples]] as const) {
        const fresh = buildWorkspace(files);
        // The previous sample's garbage is collected now, not during this one (--expose-gc).
        (globalThis as { gc?: () => void }).gc?.();
        const t = performance.now();
        connectivity(fresh);
        if (i > 0) out.push(performance.now() - t);
      }
    }
    return {
      name, status: 'measured', detail: `${w.name}: ${ws.workloads.length} workloads, ${ws.policies.length} policies, ${ipBlocks} ipBlocks`,
      rows: [
        { label: `connectivity(ws) ${w.name}`, stat: stat(samples) },
        { label: `connectivity(ws) ${w.name} + 50 AdminNetworkPolicies x 100 rules`, stat: stat(adminSamples) },
      ],
    };
  } catch (e) {
    return { name, status: 'error', detail: (e as Error).message, rows: [] };
  }
}

/** Every DNS reference of the workspace, each resolved, from a fresh workspace (no cached results). */
async function dnsHook(w: BenchWorkspace): Promise<HookResult> {
  const name = 'DNS resolution of every reference';
  try {
    const samples: number[] = [];
    let count = 0;
    for (let i = 0; i < runs(5) + 1; i++) {
      const ws = buildWorkspace(w.files);
      const t = performance.now();
      const refs = dnsReferences(ws);
      for (const r of refs) resolveReference(ws, r);
      if (i > 0) samples.push(performance.now() - t);
      count = refs.length;
    }
    return { name, status: 'measured', detail: `${w.name}: ${count} references`, rows: [{ label: 'dnsReferences + resolveReference, each', stat: stat(samples) }] };
  } catch (e) {
    return { name, status: 'error', detail: (e as Error).message, rows: [] };
  }
}

// ---------------------------------------------------------------------------------------------

/** Stands for a workspace whose section was not run: every figure undefined. */
const EMPTY_RESULT = {
  name: '-', objects: 0, full: { full: { median: NaN } }, edit: { edit: { median: NaN }, floor: { median: NaN } },
} as unknown as WorkspaceResult;

interface Target {
  target: string;
  value: string;
  status: 'PASS' | 'MISS' | 'n/a';
  note?: string;
}

async function main(): Promise<void> {
  installNetworkGuard();
  const started = Date.now();
  const log = (s: string) => process.stderr.write(`${s}\n`);

  const generated = (QUICK ? [500, 5000] : [500, 2000, 5000]).map(n => generateWorkspace(n));
  const big = generated[generated.length - 1]!;
  const small = generated[0]!;
  const middle = generated.length > 2 ? generated[1] : undefined;
  const boutiqueWs = boutique(100);
  const huge = want('big') ? generateWorkspace(BIG_OBJECTS) : undefined;
  const workspaces = [
    ...(want('workspaces') ? [
      ...generated,
      ...(boutiqueWs ? [boutiqueWs] : []),
      corpusWorkspace('corpus apps', corpusApps(), 'release/kubernetes-manifests.yaml'),
      corpusWorkspace('corpus connectivity inputs', corpusConnectivity()),
    ] : []),
    huge,
  ].filter((w): w is BenchWorkspace => !!w);

  let monokle: MonokleRunner | string;
  try {
    if (NO_PEERS || YAML_LS_ONLY || !want('workspaces')) throw new Error('not run (--no-peers, --peers=yaml-ls or no workspaces section)');
    monokle = await createMonokle();
    if (monokle.failedPlugins.length) log(`monokle: plugins failed to load: ${monokle.failedPlugins.join(', ')}`);
  } catch (e) {
    monokle = `could not be loaded: ${(e as Error).message}`;
  }
  let yls: YamlLsRunner | string;
  try {
    if (NO_PEERS || !want('workspaces')) throw new Error('not run (--no-peers or no workspaces section)');
    yls = await createYamlLs();
  } catch (e) {
    yls = `could not be loaded: ${(e as Error).message}`;
  }

  const results: WorkspaceResult[] = [];
  for (const w of workspaces) {
    log(`bench: ${w.name} (${w.files.length} files, ${w.objects} objects)`);
    const phase = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const v = await f();
      log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
      return v;
    };
    const edit = await phase('edit path', () => benchEdit(w));
    // The product's path beside the sequential one, on the synthetic 5,000- and 50,000-object workspaces.
    const full = await phase('full analysis', () => benchFull(w, w === big || w === huge));
    const skipPeers = NO_PEERS || w === huge || (!ALL_PEERS && !YAML_LS_ONLY && (w === middle || w === big));
    const peers = skipPeers
      ? { errors: [NO_PEERS ? 'peers not run (--no-peers)' : 'peers not run here without --all-peers (Monokle takes ~20 minutes at this size; Online Boutique x100 is the 5,000-object peer comparison)'] }
      : await phase('peers', () => benchPeers(w, monokle, yls));
    const editFileBytes = w.editTexts[0].length;
    results.push({ name: w.name, files: w.files.length, objects: w.objects, editFile: w.editFile, editFileBytes, edit, full, peers });
  }

  const hooks = want('hooks') ? [
    await connectivityHook(big),
    await dnsHook(big),
    await externalHook('policy engine (benchPolicy)', benchPolicy),
    await externalHook('diagram model and layout (benchDiagram)', benchDiagram),
    await externalHook('Kustomize and Helm renders (benchRender)', benchRender),
  ] : [];

  let scaling: ScalingRow[] = [];
  if (want('scaling')) {
    log('bench: scaling on pathological inputs');
    scaling = await benchScaling(QUICK ? 32 * 1024 : 64 * 1024, QUICK ? 3 : 9);
  }
  let fuzzed: FuzzResult | undefined;
  if (want('fuzz')) {
    log(`bench: fuzz, ${FUZZ_CASES} cases`);
    fuzzed = await benchFuzz(FUZZ_CASES);
  }

  const r = (w: BenchWorkspace) => results.find(x => x.name === w.name);
  const R = r(big) ?? EMPTY_RESULT;
  const S = r(small) ?? EMPTY_RESULT;
  const H = huge ? r(huge) : undefined;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
  const x = (v: number | undefined) => (v === undefined ? '-' : `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}x`);
  const ratios = results.map(w => ({
    workspace: w.name,
    editOverFloor: ratio(w.edit.edit.median, w.edit.floor.median),
    editOverFloorFastest: ratio(w.edit.edit.min, w.edit.floor.min),
    editOverFloorCpu: ratio(w.edit.editCpu?.median, w.edit.floorCpu?.median),
    monokleIncrementalOverEdit: ratio(w.peers.monokleIncremental?.median, w.edit.edit.median),
    monokleFullOverFull: ratio(w.peers.monokleFull?.median, w.full.full.median),
    yamlLsOverEdit: ratio(w.peers.yamlLs?.median, w.edit.edit.median),
    yamlLsOverEditFastest: ratio(w.peers.yamlLs?.min, w.edit.edit.min),
  }));
  const growth = ratio(R.full.full.median, S.full.full.median);
  const objectsGrowth = R.objects / S.objects;
  const conn: HookResult = hooks[0] ?? { name: 'connectivity', status: 'not landed', detail: 'hooks section not run', rows: [] };
  const connStat = conn.rows[0]?.stat;
  const adminStat = conn.rows[1]?.stat;
  const pass = (ok: boolean | undefined): Target['status'] => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
  const bigRatios = ratios.find(q => q.workspace === R.name) ?? { workspace: R.name, editOverFloor: undefined, editOverFloorFastest: undefined, editOverFloorCpu: undefined, yamlLsOverEditFastest: undefined, monokleIncrementalOverEdit: undefined, monokleFullOverFull: undefined, yamlLsOverEdit: undefined };
  const hugeRatios = H && ratios.find(q => q.workspace === H.name);
  const worstScaling = scaling.length ? scaling.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : undefined;
  // The peer comparison at 5,000 objects: the big synthetic workspace when Monokle ran there, else Online Boutique x100.
  const peerRatios = [R.name, boutiqueWs?.name].map(n => ratios.find(q => q.workspace === n)).find(q => q?.monokleFullOverFull !== undefined) ?? bigRatios;
  const B = boutiqueWs && ratios.find(q => q.workspace === boutiqueWs.name);
  // Measured in the real editor by the integration test (test-results/host-timing.json): always reported.
  const host = hostTimingRow();
  const targets: Target[] = [
    ...(want('workspaces') ? workspaceTargets() : []),
    { target: host.target, value: host.value, status: host.status, note: host.note },
    // The hooks measure these on their own workspace: reported whenever that section ran.
    ...(want('hooks') ? [
      {
        target: 'connectivity with hundreds of ipBlocks < 1 s', value: connStat ? `${ms(connStat.median)} ms` : '-',
        status: pass(connStat ? connStat.median < 1000 : undefined), note: conn.detail,
      },
      {
        target: 'connectivity with 50 admin policies x 100 rules <= 2x without',
        value: x(adminStat && connStat ? adminStat.median / connStat.median : undefined),
        status: pass(adminStat && connStat ? adminStat.median <= 2 * connStat.median : undefined),
      },
    ] : []),
    ...(H ? [
      { target: `edit <= 3x floor (${H.name})`, value: editValue(hugeRatios), status: pass(hugeRatios?.editOverFloor !== undefined ? hugeRatios.editOverFloor <= 3 : undefined) },
      fullTarget(H, 10_000),
      { target: `heap of ${H.objects} objects < 1 GB (peak)`, value: `${H.full.heapPeakMB} MB`, status: pass(H.full.heapPeakMB < 1024) },
    ] : []),
    ...(worstScaling ? [{
      target: `scanners and check on pathological inputs: time(2n)/time(n) <= ${SCALING_TARGET}, CPU time (worst of ${scaling.length})`,
      value: `${worstScaling.ratio.toFixed(2)}x (${worstScaling.what}, ${worstScaling.input})`, status: pass(worstScaling.ratio <= SCALING_TARGET),
    }] : []),
    ...(fuzzed ? [{
      target: `fuzz: ${fuzzed.cases} seeded inputs (${fuzzed.driven} through every provider, ${fuzzed.cliRuns} through the CLI), 0 failures`,
      value: String(fuzzed.failures.length), status: pass(fuzzed.failures.length === 0),
    }] : []),
  ];
  /**
   * "full analysis < limit" reads the product's path (workers when the text reaches the threshold);
   * the sequential figure (one thread) stands beside it.
   */
  function fullTarget(w: WorkspaceResult, limit: number): Target {
    const p = w.full.parallel;
    const one = `one thread ${ms(w.full.full.median)} ms, cpu ${ms(w.full.fullCpu?.median)} ms`;
    const target = `full analysis of ${w.objects} objects < ${limit / 1000} s`;
    if (!p) return { target, value: `${ms(w.full.full.median)} ms (${one}; product path not measured)`, status: pass(w.full.full.median < limit) };
    const how = p.threads ? `${p.threads} workers` : 'one thread: under the threshold';
    return {
      target,
      value: `${ms(p.full.median)} ms (${how}, fastest ${ms(p.full.min)} ms, cpu ${ms(p.fullCpu.median)} ms; ${one})`,
      status: pass(p.full.median < limit),
    };
  }
  /** The median ratio (the target's figure), with those of the fastest runs and of CPU time beside it. */
  function editValue(q: { editOverFloor?: number; editOverFloorFastest?: number; editOverFloorCpu?: number } | undefined): string {
    return q?.editOverFloor === undefined ? '-' : `${x(q.editOverFloor)} (fastest ${x(q.editOverFloorFastest)}, cpu ${x(q.editOverFloorCpu)})`;
  }
  function workspaceTargets(): Target[] {
    return [
    { target: `edit <= 3x floor (${R.name})`, value: editValue(bigRatios), status: pass(bigRatios.editOverFloor !== undefined ? bigRatios.editOverFloor <= 3 : undefined) },
    ...(B ? [{ target: `edit <= 3x floor (${B.workspace})`, value: editValue(B), status: pass(B.editOverFloor !== undefined ? B.editOverFloor <= 3 : undefined) }] : []),
    {
      target: `edit >= 50x faster than Monokle incremental (${peerRatios.workspace})`, value: x(peerRatios.monokleIncrementalOverEdit),
      status: pass(peerRatios.monokleIncrementalOverEdit !== undefined ? peerRatios.monokleIncrementalOverEdit >= 50 : undefined),
    },
    {
      target: `full >= 5x faster than Monokle full (${peerRatios.workspace})`, value: x(peerRatios.monokleFullOverFull),
      status: pass(peerRatios.monokleFullOverFull !== undefined ? peerRatios.monokleFullOverFull >= 5 : undefined),
    },
    fullTarget(R, 1000),
    {
      target: `full grows ~linearly (${R.objects}/${S.objects} objects = ${objectsGrowth.toFixed(1)}x; pass <= 1.25x that)`,
      value: x(growth), status: pass(growth !== undefined ? growth <= objectsGrowth * 1.25 : undefined),
    },
    ...(B ? [{
      target: `edit not slower than yaml-language-server doValidation of the same file (${B.workspace})`,
      value: B.yamlLsOverEdit === undefined ? '-' : `${x(B.yamlLsOverEdit)} (fastest ${x(B.yamlLsOverEditFastest)})`,
      status: pass(B.yamlLsOverEdit !== undefined ? B.yamlLsOverEdit >= 1 : undefined),
    }] : []),
    ];
  }

  const cell = (s: Stat | undefined) => (s ? `${ms(s.median)} (${ms(s.min)})` : '-');
  const out: string[] = [];
  out.push(`kube-netlens bench — ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, load avg ${os.loadavg().map(l => l.toFixed(1)).join(' ')}${QUICK ? ' — QUICK' : ''}`);
  out.push(`Times in ms: median (min) of n runs. Rules in the catalogue: ${RULES.length}. Heap: ${canCollect ? 'after GC (--expose-gc)' : 'without --expose-gc: approximate'}.`);
  out.push('');
  out.push('Edit path (one keystroke in the edited file: workspace.set + every rule on the file + hover + hover caches)');
  out.push(table([
    ['workspace', 'files', 'objects', 'edited file', 'floor: parse file', 'parse 1 doc', 'edit', 'n', 'set', 'rules', 'hover+caches', 'edit/floor', 'fastest', 'cpu floor', 'cpu edit', 'cpu ratio'],
    ...results.map(w => {
      const q = ratios.find(k => k.workspace === w.name)!;
      return [
        w.name, String(w.files), String(w.objects), `${w.editFile} (${(w.editFileBytes / 1024).toFixed(1)} KB)`, cell(w.edit.floor), cell(w.edit.floorDocument),
        cell(w.edit.edit), String(w.edit.edit.n), ms(w.edit.set.median), ms(w.edit.rules.median), ms(w.edit.hoverAndCaches.median),
        x(q.editOverFloor), x(q.editOverFloorFastest), cell(w.edit.floorCpu), cell(w.edit.editCpu), x(q.editOverFloorCpu),
      ];
    }),
  ]));
  out.push('cpu: CPU time of the same runs (process.cpuUsage, this process), median (min); on a loaded machine it leaves out the time slices other processes take.');
  out.push('');
  out.push('Full analysis from cold (new Workspace, set every file, checkWorkspace) and memory. One thread: every file parsed on');
  out.push('this thread. [N workers]: the product\'s path (`kube-netlens check`, the extension\'s first scan), files parsed on N worker threads');
  out.push('(src/parallel/parse.ts) and handed over in order; its cpu counts every thread. Heap: the one-thread build.');
  out.push(table([
    ['workspace', 'objects', 'path', 'full', 'n', 'cpu', 'parse+index', 'rules', 'findings', 'heap retained MB', 'heap peak MB'],
    ...results.flatMap(w => [
      [
        w.name, String(w.objects), 'one thread', cell(w.full.full), String(w.full.full.n), cell(w.full.fullCpu), ms(w.full.parse.median), ms(w.full.rules.median),
        String(w.full.findings), String(w.full.heapRetainedMB), String(w.full.heapPeakMB),
      ],
      ...(w.full.parallel ? [[
        w.name, String(w.objects), w.full.parallel.threads ? `[${w.full.parallel.threads} workers]` : '[one thread: < threshold]', cell(w.full.parallel.full),
        String(w.full.parallel.full.n), cell(w.full.parallel.fullCpu), ms(w.full.parallel.parse.median), ms(w.full.parallel.rules.median),
        String(w.full.parallel.findings), '-', '-',
      ]] : []),
    ]),
  ]));
  out.push('');
  out.push(`Peers on the same files: Monokle @monokle/validation (${MONOKLE_PLUGINS.join(', ')}; no kubernetes-schema: it downloads), processRefs + validate;`);
  out.push('yaml-language-server doValidation of the edited file (no Kubernetes schema: no npm package ships one; YAML syntax only)');
  out.push(table([
    ['workspace', 'monokle full', 'n', 'monokle incremental', 'n', 'yaml-ls validate', 'monokle/ours full', 'monokle incr/ours edit', 'yaml-ls/ours edit'],
    ...results.map(w => {
      const q = ratios.find(k => k.workspace === w.name)!;
      return [
        w.name, cell(w.peers.monokleFull), String(w.peers.monokleFull?.n ?? '-'), cell(w.peers.monokleIncremental), String(w.peers.monokleIncremental?.n ?? '-'),
        cell(w.peers.yamlLs), x(q.monokleFullOverFull), x(q.monokleIncrementalOverEdit), x(q.yamlLsOverEdit),
      ];
    }),
  ]));
  const peerErrors = [...new Set(results.flatMap(w => w.peers.errors.map(e => `${w.name}: ${e}`)))];
  for (const e of peerErrors) out.push(`  peer error: ${e}`);
  out.push(`  network attempts refused: ${networkAttempts.length}${networkAttempts.length ? ` (${networkAttempts.slice(0, 3).join('; ')})` : ''}`);
  out.push('');
  out.push('Other sections');
  out.push(table([
    ['section', 'status', 'figure', 'detail'],
    ...hooks.flatMap(h => (h.rows.length
      ? h.rows.map(row => [h.name, h.status, row.stat ? `${cell(row.stat)} n=${row.stat.n}` : String(row.value ?? '-'), `${row.label}; ${h.detail}`])
      : [[h.name, h.status, '-', h.detail]])),
  ]));
  if (scaling.length) {
    out.push('');
    out.push(`Scaling on generated pathological inputs (n = ${scaling[0]!.n} characters; ms per call, median (min) of ${scaling[0]!.atN.n} bulk runs; ratio of the runs with the least CPU, wall-clock ratio of the fastest runs beside it)`);
    out.push(table([
      ['scanner', 'input', 'cpu n', 'cpu 2n', 'cpu(2n)/cpu(n)', 'wall n', 'wall 2n', 'wall ratio'],
      ...scaling.map(row => [row.what, row.input, cell(row.cpuAtN), cell(row.cpuAt2N), `${row.ratio.toFixed(2)}x`, cell(row.atN), cell(row.at2N), `${row.wallRatio.toFixed(2)}x`]),
    ]));
  }
  if (fuzzed) {
    out.push('');
    out.push(`Fuzz: ${fuzzed.cases} seeded cases, ${fuzzed.driven} through every provider at every cursor target, ${fuzzed.cliRuns} through the CLI: ${fuzzed.failures.length} failures (escaped or contained exceptions); slowest case ${fuzzed.slowestMs} ms`);
    for (const f of fuzzed.failures.slice(0, 5)) out.push(`  case ${f.caseIndex} (${f.input}; ${f.mutations.join(', ')}) ${f.where}: ${f.message.split('\n')[0]}`);
  }
  out.push('');
  out.push('Extension host while typing (read from test-results/host-timing.json, written by the integration test test/integration/host-timing.test.ts)');
  out.push(`  ${host.note}`);
  if (host.handlers.length) {
    out.push(table([
      ['handler', 'calls', 'longest call'],
      ...host.handlers.map(h => [h.handler, String(h.calls), `${h.maxMs.toFixed(1)} ms`]),
    ]));
  }
  out.push('');
  out.push('Targets');
  out.push(table([['target', 'value', 'status'], ...targets.map(t => [t.target, t.value, t.status])]));
  out.push(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const text = out.join('\n');
  process.stdout.write(`${text}\n`);

  const json = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg(), memoryGB: Math.round(os.totalmem() / 2 ** 30) },
    quick: QUICK,
    rules: RULES.map(rule => rule.id),
    heapExact: canCollect,
    workspaces: results,
    ratios,
    growth: { objects: objectsGrowth, full: growth },
    peers: { monokle: typeof monokle === 'string' ? monokle : { plugins: monokle.plugins, failed: monokle.failedPlugins }, yamlLs: typeof yls === 'string' ? yls : 'ok', networkAttempts },
    hooks,
    scaling,
    fuzz: fuzzed && { cases: fuzzed.cases, driven: fuzzed.driven, cliRuns: fuzzed.cliRuns, failures: fuzzed.failures.length, slowestMs: fuzzed.slowestMs },
    targets,
    hostTiming: host,
    table: text,
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
}

main().catch(e => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
