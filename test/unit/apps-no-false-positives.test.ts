/**
 * Real applications (corpus/apps), each folder one workspace: no rule may fire falsely. The exact
 * findings are asserted, each kept one defended in a comment. With default settings there are none;
 * the off-by-default workload-not-isolated is also run, and its findings are true (these apps ship no
 * NetworkPolicy, except Online Boutique whose deny-all selects every pod).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { checkWorkspace, type RuleSettings } from '../../src/core/rules/run';
import { CORPUS } from './corpus';

const APPS = path.join(CORPUS, 'apps');

interface AppCase {
  readonly paths: string[];
  /** Sanity: what the workspace must hold, so an empty load cannot pass. */
  readonly workloads: number;
  readonly policies: number;
  /** Findings with default settings, as `file:line rule`. */
  readonly findings: string[];
  /** Findings of workload-not-isolated when it is turned on. */
  readonly notIsolated: string[];
}

const CASES: Record<string, AppCase> = {
  'microservices-demo': {
    paths: ['microservices-demo/release', 'microservices-demo/kustomize-network-policies'],
    workloads: 12, policies: 13,
    // frontend's SHOPPING_ASSISTANT_SERVICE_ADDR is `shoppingassistantservice:80`, and the release
    // manifest has no such Service (it ships in an optional kustomize component): the name really
    // resolves to nothing in this workspace.
    findings: ['release/kubernetes-manifests.yaml:90 dns-name-unresolved'],
    // deny-all (podSelector {}) selects every pod.
    notIsolated: [],
  },
  guestbook: {
    paths: ['kubernetes-examples/web/guestbook'],
    workloads: 6, policies: 0, findings: [],
    // No policy at all: every workload (the all-in-one file repeats the three) is open. True.
    notIsolated: [
      'all-in-one/guestbook-all-in-one.yaml:21', 'all-in-one/guestbook-all-in-one.yaml:65', 'all-in-one/guestbook-all-in-one.yaml:120',
      'frontend-deployment.yaml:4', 'redis-master-deployment.yaml:4', 'redis-replica-deployment.yaml:4',
    ],
  },
  'guestbook-go': {
    paths: ['kubernetes-examples/web/guestbook-go'],
    workloads: 3, policies: 0, findings: [],
    notIsolated: ['guestbook-controller.yaml:4', 'redis-master-controller.yaml:4', 'redis-replica-controller.yaml:4'],
  },
  cassandra: {
    paths: ['kubernetes-examples/databases/cassandra'],
    workloads: 1, policies: 0, findings: [],
    notIsolated: ['cassandra-statefulset.yaml:4'],
  },
  selenium: {
    paths: ['kubernetes-examples/_archived/selenium'],
    workloads: 3, policies: 0, findings: [],
    notIsolated: ['selenium-hub-deployment.yaml:4', 'selenium-node-chrome-deployment.yaml:4', 'selenium-node-firefox-deployment.yaml:4'],
  },
  calico: {
    paths: ['calico'],
    workloads: 0, policies: 0, findings: [], notIsolated: [],
  },
};

function run(c: AppCase, settings: RuleSettings): { list: string[]; workloads: number; policies: number } {
  const root = path.join(APPS, c.paths[0]!.split('/')[0]!);
  const base = c.paths.length === 1 ? path.join(APPS, c.paths[0]!) : root;
  const { workspace } = loadPaths(c.paths.map(p => path.join(APPS, p)), undefined, base);
  const list = [...checkWorkspace(workspace, settings)].flatMap(([file, fs]) =>
    fs.map(f => `${file}:${workspace.get(file)!.manifest.lines.position(f.span.start).line + 1} ${f.rule}`));
  return { list: list.sort(), workloads: workspace.workloads.length, policies: workspace.policies.length };
}

for (const [name, c] of Object.entries(CASES)) {
  test(`apps/${name}: no false findings`, () => {
    const r = run(c, {});
    assert.equal(r.workloads, c.workloads, 'workloads loaded');
    assert.equal(r.policies, c.policies, 'policies loaded');
    assert.deepEqual(r.list, c.findings);
  });

  test(`apps/${name}: workload-not-isolated, when on, finds only unprotected workloads`, () => {
    const r = run(c, { 'workload-not-isolated': 'info' });
    assert.deepEqual(r.list, [...c.findings, ...c.notIsolated.map(l => `${l} workload-not-isolated`)].sort());
  });
}

test('all apps as one workspace: duplicate definitions (guestbook twice, three frontends in default) make no false finding', () => {
  // Three apps share the default namespace here: a Deployment and a Service named frontend exist in
  // guestbook (twice) and in Online Boutique. No verdict about which definition is applied can be
  // certain, so the policy rules stay quiet; the one real finding of Online Boutique remains.
  const { workspace } = loadPaths([APPS], undefined, APPS);
  const list = [...checkWorkspace(workspace, {})].flatMap(([file, fs]) =>
    fs.map(f => `${file}:${workspace.get(file)!.manifest.lines.position(f.span.start).line + 1} ${f.rule}`));
  assert.deepEqual(list, ['microservices-demo/release/kubernetes-manifests.yaml:90 dns-name-unresolved']);
});
