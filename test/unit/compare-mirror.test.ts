/**
 * The comparisons with git off the extension host (src/core/compare-mirror.ts, the worker of
 * src/vscode/changes.ts): a mirror fed with deltas holds the live workspace exactly (files, texts,
 * order, settings), and its answers equal `connectivityDiff` computed on the live workspace itself,
 * edit after edit (policies, pods, namespaces, admin policies; added, edited, deleted, re-added files).
 * The real worker thread is driven too: it answers, and a request older than the newest edit is stale.
 */
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { adminPolicyFile, generateWorkspace } from '../../bench/gen';
import { ComparisonMirror, MirrorFeed, withFileAt } from '../../src/core/compare-mirror';
import { buildGraph } from '../../src/core/graph/build';
import { changeCounts, changeLines, withChangeMarks, withChanges } from '../../src/core/graph/changes';
import { connectivityDiffAllNetworks } from '../../src/core/net/policy/secondary-diff';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { findGitDirs, readHeadCommit, runGitSync } from '../../src/render/git';
import type { WorkerReply, WorkerRequest } from '../../src/vscode/changesProtocol';
import { filesUnder } from './corpus';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const examples = () => filesUnder(EXAMPLES).filter(f => /\.ya?ml$/.test(f) && !f.includes(`${path.sep}.`))
  .map(f => ({ file: path.relative(EXAMPLES, f), text: fs.readFileSync(f, 'utf8') }));

function workspaceOf(files: ReadonlyArray<{ file: string; text: string }>): Workspace {
  const ws = new Workspace();
  for (const f of files) ws.set(f.file, f.text);
  return ws;
}

/** What the host computes (src/vscode/changes.ts without the worker) for the status bar and the CodeLens. */
function onHost(base: Workspace, live: Workspace) {
  const d = connectivityDiffAllNetworks(base, live);
  return { counts: changeCounts(d), changes: changeLines(d) };
}

function assertMirrors(mirror: ComparisonMirror, live: Workspace, step: string): void {
  assert.deepEqual(mirror.live.fileNames, live.fileNames, `${step}: files in workspace order`);
  for (const f of live.files) assert.equal(mirror.live.get(f.manifest.file)!.manifest.text, f.manifest.text, `${step}: ${f.manifest.file}`);
  assert.deepEqual(mirror.live.settings, live.settings, `${step}: settings`);
}

const NETPOL = (ns: string, body: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: edit, namespace: ${ns}}
spec:
${body}`;

test('a mirror fed with deltas equals the live workspace, and its comparisons equal the host\'s, edit after edit', () => {
  const gen = generateWorkspace(500);
  const baseFiles = [...examples(), ...gen.files.map(f => ({ file: f.path, text: f.text }))];
  const base = workspaceOf(baseFiles);
  const live = workspaceOf(baseFiles);
  const feed = new MirrorFeed();
  const mirror = new ComparisonMirror();
  mirror.apply(feed.delta(live));
  mirror.setBase('HEAD', baseFiles);
  assertMirrors(mirror, live, 'start');
  assert.deepEqual(mirror.compare('HEAD'), onHost(base, live));
  assert.deepEqual(mirror.compare('HEAD')!.counts, { added: 0, removed: 0, changed: 0 });
  assert.equal(mirror.compare('other'), undefined, 'a revision the mirror does not hold');

  const appFile = gen.files.find(f => f.path === 'ns-1/app-2.yaml')!;
  const nsFile = gen.files.find(f => f.path === 'ns-2/namespace.yaml')!;
  const edits: Array<[string, (ws: Workspace) => void]> = [
    ['a default-deny ingress policy in ns-0', ws => { ws.set('edit.yaml', NETPOL('ns-0', '  podSelector: {}\n  policyTypes: [Ingress]\n')); }],
    ['the policy admits ns-1 on 8080', ws => { ws.set('edit.yaml', NETPOL('ns-0', '  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns-1}}}]\n    ports: [{port: 8080}]\n')); }],
    ['an egress policy with an ipBlock', ws => { ws.set('egress.yaml', NETPOL('ns-1', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}}]\n')); }],
    ['a pod label changed', ws => { ws.set(appFile.path, appFile.text.replace(/version: "1"/g, 'version: "2"').replace(/tier: \w+/g, 'tier: edited')); }],
    ['namespace labels changed', ws => { ws.set(nsFile.path, nsFile.text.replace(/team: team-\d+/g, 'team: team-x')); }],
    ['admin policies added', ws => { const a = adminPolicyFile(6, 3, 4); ws.set(a.path, a.text); }],
    ['a workload file deleted', ws => { ws.delete(appFile.path); }],
    ['a demo file deleted and another re-added at the end', ws => { ws.delete('policies/data.yaml'); ws.set(appFile.path, appFile.text); }],
    ['the demo file back', ws => { ws.set('policies/data.yaml', baseFiles.find(f => f.file === 'policies/data.yaml')!.text); }],
    ['ipBlock reading all', ws => { ws.updateSettings({ ...DEFAULT_SETTINGS, ipBlockReading: 'all' }); }],
    ['a half-typed policy', ws => { ws.set('edit.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: ns-0\nspec: ['); }],
  ];
  for (const [step, edit] of edits) {
    edit(live);
    // The host's base follows the settings, as the extension rebuilds it with the live settings.
    const host = workspaceOf(baseFiles);
    host.updateSettings(live.settings);
    mirror.apply(feed.delta(live));
    if (step === 'ipBlock reading all') mirror.setBase('HEAD', baseFiles);
    assertMirrors(mirror, live, step);
    assert.deepEqual(mirror.compare('HEAD'), onHost(host, live), step);
    // The diagram's changes mode: the marks laid over the live graph equal withChanges on the host.
    const marks = mirror.compare('HEAD', 'HEAD')!.marks!;
    const graph = buildGraph(live);
    assert.deepEqual(withChangeMarks(graph, structuredClone(marks)), withChanges(graph, connectivityDiffAllNetworks(host, live), live, host, 'HEAD'), `${step}: changes mode`);
    for (const file of ['edit.yaml', appFile.path, 'policies/data.yaml']) {
      if (!live.has(file)) continue;
      const head = baseFiles.find(f => f.file === file)?.text;
      assert.deepEqual(mirror.fileChanges(file, head), changeCounts(connectivityDiffAllNetworks(withFileAt(live, file, head), live)), `${step}: CodeLens of ${file}`);
    }
  }
  // The edits did change connectivity (the comparisons above were not all trivially empty).
  const last = mirror.compare('HEAD')!;
  assert.ok(last.counts.added + last.counts.removed + last.counts.changed > 0, JSON.stringify(last.counts));
  assert.equal(feed.delta(live).set.length, 0, 'nothing changed since: an empty delta');
});

test('the CodeLens\'s before side: the file as at HEAD, or left out when HEAD does not track it', () => {
  const files = examples();
  const live = workspaceOf(files);
  const data = files.find(f => f.file === 'policies/data.yaml')!;
  const edited = data.text.replace('- port: postgres', '- port: 5433');
  assert.notEqual(edited, data.text);
  live.set(data.file, edited);
  const mirror = new ComparisonMirror();
  mirror.apply(new MirrorFeed().delta(live));
  // Narrowing the api rule to another port: api loses its flow to postgres.
  assert.deepEqual(mirror.fileChanges(data.file, data.text), { added: 0, removed: 1, changed: 0 });
  assert.deepEqual(mirror.fileChanges(data.file, edited), { added: 0, removed: 0, changed: 0 });
  const untracked = mirror.fileChanges(data.file, undefined)!;
  assert.deepEqual(untracked, changeCounts(connectivityDiffAllNetworks(withFileAt(live, data.file, undefined), live)));
  assert.equal(mirror.fileChanges('not-indexed.yaml', ''), undefined);
});

const pod = (name: string, nad: boolean) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: ${name}}${nad ? ', annotations: {k8s.v1.cni.cncf.io/networks: red}' : ''}}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 8080, name: web}]}]
`;
const MNP = (name: string, app: string, ingress: string) => `apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: ${name}, namespace: shop, annotations: {k8s.v1.cni.cncf.io/policy-for: red}}
spec:
  podSelector: {matchLabels: {app: ${app}}}
  policyTypes: [Ingress]
${ingress}`;

test('secondary networks: an edit of a MultiNetworkPolicy is counted and marked on its NAD\'s edges, by the mirror as on the host', () => {
  const nad = 'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: red, namespace: shop}\nspec: {config: \'{"cniVersion": "0.3.1", "type": "bridge"}\'}\n';
  const headMnp = MNP('b-from-a', 'b', '  ingress:\n  - from: [{podSelector: {matchLabels: {app: a}}}]\n    ports: [{port: web}]\n');
  const files = [
    { file: 'shop/nad.yaml', text: nad },
    { file: 'shop/pods.yaml', text: [pod('a', true), pod('b', true), pod('c', true), pod('solo', false)].join('---\n') },
    { file: 'shop/mnp.yaml', text: headMnp },
  ];
  const live = workspaceOf(files);
  // The edit: b admits c on web instead of a, a only on UDP 53; a second policy closes c on red.
  const editedMnp = MNP('b-from-a', 'b', '  ingress:\n  - from: [{podSelector: {matchLabels: {app: c}}}]\n    ports: [{port: web}]\n  - from: [{podSelector: {matchLabels: {app: a}}}]\n    ports: [{protocol: UDP, port: 53}]\n')
    + '---\n' + MNP('c-closed', 'c', '');
  live.set('shop/mnp.yaml', editedMnp);
  const mirror = new ComparisonMirror();
  mirror.apply(new MirrorFeed().delta(live));
  mirror.setBase('HEAD', files);
  const head = workspaceOf(files);
  const c = mirror.compare('HEAD', 'HEAD')!;
  // Only the NAD's flows changed: the pod network has no policy on either side.
  assert.deepEqual(c.changes, [
    'changed shop/a[Pod] => shop/b[Pod] on red',
    'removed shop/a[Pod] => shop/c[Pod] on red',
    'removed shop/b[Pod] => shop/c[Pod] on red',
    'added shop/c[Pod] => shop/b[Pod] on red',
  ]);
  assert.deepEqual(c.counts, { added: 1, removed: 2, changed: 1 });
  const { marks, ...counted } = c;
  assert.deepEqual(counted, onHost(head, live), 'the host path (no worker) counts the same');
  // The CodeLens on the MultiNetworkPolicy's file counts the same edit (the rest of the workspace is at HEAD).
  assert.deepEqual(mirror.fileChanges('shop/mnp.yaml', headMnp), { added: 1, removed: 2, changed: 1 });
  assert.deepEqual(mirror.fileChanges('shop/mnp.yaml', headMnp), changeCounts(connectivityDiffAllNetworks(withFileAt(live, 'shop/mnp.yaml', headMnp), live)));

  // The changes mode marks the NAD's edges (`…@red`), never the pod network's edge of the same pair.
  const graph = buildGraph(live);
  const marked = withChangeMarks(graph, structuredClone(marks!));
  assert.deepEqual(marked, withChanges(graph, connectivityDiffAllNetworks(head, live), live, head, 'HEAD'), 'the host path lays the same marks');
  const id = (s: string, d: string) => `flow:workload:shop/${s}[Pod]->workload:shop/${d}[Pod]`;
  assert.deepEqual(marked.edges.filter(e => e.change).map(e => [e.id, e.change, e.network, e.label]).sort(), [
    [`${id('a', 'b')}@red`, 'changed', 'red', 'UDP 53 (HEAD: TCP 8080)'],
    [`${id('a', 'c')}@red`, 'removed', 'red', 'All Connections'],
    [`${id('b', 'c')}@red`, 'removed', 'red', 'All Connections'],
    [`${id('c', 'b')}@red`, 'added', 'red', 'TCP 8080'],
  ]);
  // The marked edges are the graph's own NAD edges (one more edge only per removed flow), and the
  // pod network's flow of the same pair is unmarked.
  assert.ok(graph.edges.some(e => e.id === `${id('a', 'b')}@red` && e.network === 'red'));
  assert.equal(marked.edges.length, graph.edges.length + 2);
  assert.equal(marked.edges.find(e => e.id === id('a', 'b'))!.change, undefined);
  // Each side explained by its MultiNetworkPolicies.
  const changed = marked.edges.find(e => e.id === `${id('a', 'b')}@red`)!.explanation!;
  assert.equal(changed[0], 'Changed since HEAD: now UDP 53, at HEAD TCP 8080');
  assert.ok(changed.includes('on secondary network red'), changed.join('\n'));
  assert.ok(changed.indexOf("MultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #2") < changed.indexOf('At HEAD:'), changed.join('\n'));
  assert.ok(changed.indexOf("MultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #1") > changed.indexOf('At HEAD:'), changed.join('\n'));
  assert.ok(marked.notes.includes('Connectivity changes vs HEAD: +1 flow, \u22122 flows, ~1 changed.'));
});

test('the worker thread answers both comparisons, and a request older than the newest edit comes back stale', async () => {
  const generation = new Int32Array(new SharedArrayBuffer(4));
  // The worker bundled as scripts/build.mjs bundles it (a worker's entry cannot be TypeScript here).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changes-worker-'));
  const script = path.join(dir, 'changesWorker.js');
  esbuild.buildSync({ entryPoints: [path.resolve(__dirname, '../../src/vscode/changesWorker.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  const worker = new Worker(script, { workerData: { generation: generation.buffer } });
  const replies = new Map<number, (r: WorkerReply) => void>();
  worker.on('message', (r: WorkerReply) => replies.get(r.seq)?.(r));
  const ask = (req: WorkerRequest) => new Promise<WorkerReply>(resolve => { replies.set(req.seq, resolve); worker.postMessage(req); });
  try {
    const files = examples();
    const live = workspaceOf(files);
    const feed = new MirrorFeed();
    const data = files.find(f => f.file === 'policies/data.yaml')!;
    live.set(data.file, data.text.replace('- port: postgres', '- port: 5433'));
    const expected = onHost(workspaceOf(files), live);
    assert.deepEqual(await ask({ kind: 'compare', seq: 1, generation: 0, delta: feed.delta(live), base: { key: 'HEAD', files }, key: 'HEAD' }), { seq: 1, comparison: expected });
    const withMarks = await ask({ kind: 'compare', seq: 6, generation: 0, delta: feed.delta(live), key: 'HEAD', marks: 'HEAD' });
    assert.ok('comparison' in withMarks && withMarks.comparison.marks, JSON.stringify(withMarks));
    assert.deepEqual(withMarks.comparison.marks.marks.map(m => [m.change, m.source.id, m.target.id, m.label]),
      [['removed', 'workload:shop/api[Deployment]', 'workload:data/postgres[StatefulSet]', 'TCP 5432']]);
    assert.deepEqual(await ask({ kind: 'file', seq: 2, generation: 0, delta: feed.delta(live), file: data.file, headText: data.text }), { seq: 2, counts: { added: 0, removed: 1, changed: 0 } });
    assert.deepEqual(await ask({ kind: 'compare', seq: 3, generation: 0, delta: feed.delta(live), key: 'main' }), { seq: 3, needsBase: true });
    Atomics.add(generation, 0, 1);
    // The delta of a stale request is still applied: the next answer sees the edit.
    live.set(data.file, data.text);
    assert.deepEqual(await ask({ kind: 'compare', seq: 4, generation: 0, delta: feed.delta(live), key: 'HEAD' }), { seq: 4, stale: true });
    const now = await ask({ kind: 'compare', seq: 5, generation: 1, delta: feed.delta(live), key: 'HEAD' });
    assert.deepEqual(now, { seq: 5, comparison: { counts: { added: 0, removed: 0, changed: 0 }, changes: [] } });
  } finally {
    await worker.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('HEAD read from the repository\'s files names the commit git names: loose, packed, detached, a worktree; unsure when unborn', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'head-'));
  const git = (cwd: string, ...args: string[]) => {
    const r = runGitSync(['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], cwd);
    assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.toString().trim();
  };
  const dirs = (cwd: string) => {
    const [gitDir, common] = git(cwd, 'rev-parse', '--absolute-git-dir', '--git-common-dir').split('\n');
    return [gitDir!, path.resolve(cwd, common!)] as const;
  };
  try {
    git(dir, 'init', '-q');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'one');
    assert.equal(await readHeadCommit(...dirs(dir)), git(dir, 'rev-parse', 'HEAD'), 'a loose branch');
    git(dir, 'pack-refs', '--all');
    assert.ok(!fs.existsSync(path.join(dir, '.git', 'refs', 'heads', 'main')));
    assert.equal(await readHeadCommit(...dirs(dir)), git(dir, 'rev-parse', 'HEAD'), 'a packed branch');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'a: 2\n');
    git(dir, 'commit', '-qam', 'two');
    assert.equal(await readHeadCommit(...dirs(dir)), git(dir, 'rev-parse', 'HEAD'), 'a commit after packing: loose again');
    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    assert.equal(await readHeadCommit(...dirs(dir)), git(dir, 'rev-parse', 'HEAD'), 'detached');
    const wt = path.join(dir, 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'side', wt, 'main');
    assert.equal(await readHeadCommit(...dirs(wt)), git(wt, 'rev-parse', 'HEAD'), 'a worktree');
    assert.notEqual(dirs(wt)[0], dirs(wt)[1]);
    // The directories found without git: from a subfolder, and in a worktree (a `gitdir:` file and a commondir).
    fs.mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    const real = (d: { gitDir: string; commonDir: string } | undefined) => d && [fs.realpathSync(d.gitDir), fs.realpathSync(d.commonDir)];
    assert.deepEqual(real(await findGitDirs(path.join(dir, 'sub', 'deeper'))), dirs(dir).map(d => fs.realpathSync(d)));
    assert.deepEqual(real(await findGitDirs(wt)), dirs(wt).map(d => fs.realpathSync(d)));
    assert.equal(await findGitDirs(os.tmpdir()), undefined, 'outside a repository');
    git(dir, 'checkout', '-q', '--orphan', 'empty');
    assert.equal(await readHeadCommit(...dirs(dir)), undefined, 'an unborn branch: ask git');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
