import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isManifestPath } from '../../src/core/files';
import { parseManifest } from '../../src/core/parse/manifest';
import { CORPUS, filesUnder } from './corpus';

test('every YAML and JSON file of the shared corpus parses without an exception', () => {
  const files = filesUnder(CORPUS).filter(isManifestPath);
  assert.ok(files.length > 100, `expected the corpus at ${CORPUS}`);
  for (const f of files) {
    const m = parseManifest(f, fs.readFileSync(f, 'utf8'));
    assert.ok(Array.isArray(m.objects), f);
  }
});

// Object counts per file of the apps folder, counted by reading each file's `kind:` documents.
const APP_COUNTS: Record<string, number> = {
  'calico/custom-resources.yaml': 2,
  'calico/ippool-sample.yaml': 1,
  'kubernetes-examples/_archived/selenium/selenium-hub-deployment.yaml': 1,
  'kubernetes-examples/_archived/selenium/selenium-hub-svc.yaml': 1,
  'kubernetes-examples/_archived/selenium/selenium-node-chrome-deployment.yaml': 1,
  'kubernetes-examples/_archived/selenium/selenium-node-firefox-deployment.yaml': 1,
  'kubernetes-examples/databases/cassandra/cassandra-service.yaml': 1,
  'kubernetes-examples/databases/cassandra/cassandra-statefulset.yaml': 2,
  'kubernetes-examples/web/guestbook-go/guestbook-controller.yaml': 1,
  'kubernetes-examples/web/guestbook-go/guestbook-service.yaml': 1,
  'kubernetes-examples/web/guestbook-go/redis-master-controller.yaml': 1,
  'kubernetes-examples/web/guestbook-go/redis-master-service.yaml': 1,
  'kubernetes-examples/web/guestbook-go/redis-replica-controller.yaml': 1,
  'kubernetes-examples/web/guestbook-go/redis-replica-service.yaml': 1,
  'kubernetes-examples/web/guestbook/all-in-one/guestbook-all-in-one.yaml': 6,
  'kubernetes-examples/web/guestbook/frontend-deployment.yaml': 1,
  'kubernetes-examples/web/guestbook/frontend-service.yaml': 1,
  'kubernetes-examples/web/guestbook/redis-master-deployment.yaml': 1,
  'kubernetes-examples/web/guestbook/redis-master-service.yaml': 1,
  'kubernetes-examples/web/guestbook/redis-replica-deployment.yaml': 1,
  'kubernetes-examples/web/guestbook/redis-replica-service.yaml': 1,
  'microservices-demo/release/kubernetes-manifests.yaml': 35,
};

test('object counts per file in corpus/apps', () => {
  const apps = path.join(CORPUS, 'apps');
  const seen: Record<string, number> = {};
  for (const f of filesUnder(apps).filter(isManifestPath)) {
    const rel = path.relative(apps, f);
    if (rel.includes('kustomize-network-policies')) continue;
    seen[rel] = parseManifest(rel, fs.readFileSync(f, 'utf8')).objects.length;
  }
  assert.deepEqual(seen, APP_COUNTS);
  const release = parseManifest('r', fs.readFileSync(path.join(apps, 'microservices-demo/release/kubernetes-manifests.yaml'), 'utf8'));
  const kinds: Record<string, number> = {};
  for (const o of release.objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  assert.deepEqual(kinds, { Deployment: 12, Service: 12, ServiceAccount: 11 });
});
