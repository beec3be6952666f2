// The diagram page's rendering (src/webview/render.ts) on a minimal DOM, in Node: an update moves the
// elements of unchanged items into the new picture and draws only what changed, and the result is
// the DOM a fresh render of the same view gives.
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { test } from 'node:test';
import { buildGraph } from '../../src/core/graph/build';
import { Workspace } from '../../src/core/workspace';
import { applyDelta, diffGraph, snapshot } from '../../src/shared/delta';
import { layoutView } from '../../src/webview/layout';
import { renderView } from '../../src/webview/render';
import { DEFAULT_VIEW, deriveView, sortedGraph, type ViewState } from '../../src/webview/view';
import { filesUnder } from './corpus';
import { FakeElement, installFakeDocument } from '../../bench/fake-dom';

installFakeDocument();

function load(dir: string): Workspace {
  const ws = new Workspace();
  for (const f of filesUnder(dir).filter(f => /\.ya?ml$/.test(f))) ws.set(f, fs.readFileSync(f, 'utf8'));
  return ws;
}

function render(root: FakeElement, graph: ReturnType<typeof buildGraph>, state: ViewState, previous?: ReturnType<typeof layoutView>) {
  const view = deriveView(graph, state);
  const layout = layoutView(view, previous?.groups, previous?.edges);
  const svg = new FakeElement('svg');
  svg.appendChild(root);
  renderView(svg as unknown as SVGSVGElement, root as unknown as SVGGElement, view, layout, undefined, false, 1);
  return layout;
}

test('an update redraws only the items that changed, and gives the DOM a fresh render gives', () => {
  const ws = load(path.resolve(__dirname, '../../examples'));
  const g1 = sortedGraph(buildGraph(ws));
  const sent = snapshot(g1);
  // Expanded, with open flows drawn: every kind of item is on the picture.
  const state: ViewState = { ...DEFAULT_VIEW, showOpen: true };
  const root = new FakeElement('g');
  const l1 = render(root, g1, state);
  const before = new Set(root.elements());
  const apiNode = root.elements().find(e => e.getAttribute('data-id') === 'workload:shop/api[Deployment]')!;
  const webNode = root.elements().find(e => e.getAttribute('data-id') === 'workload:shop/frontend[Deployment]');
  assert.ok(apiNode, 'the api workload is drawn');

  // One workload's replica count changes: its node is drawn again, the rest is moved.
  const file = ws.fileNames.find(f => f.endsWith('api.yaml'))!;
  const text = ws.get(file)!.manifest.text;
  assert.match(text, /replicas: \d+/);
  ws.set(file, text.replace(/replicas: \d+/, 'replicas: 7'));
  const g2 = applyDelta(g1, diffGraph(sent, buildGraph(ws)).delta);
  render(root, g2, state, l1);
  const fresh = new FakeElement('g');
  render(fresh, g2, state, l1);
  assert.equal(root.serialize(), fresh.serialize(), 'the same DOM as a fresh render');
  assert.match(root.serialize(), /×7/, 'the new replica count is drawn');
  const after = root.elements();
  assert.ok(!after.includes(apiNode), 'the changed node is drawn again');
  assert.ok(webNode, 'the frontend workload is drawn');
  assert.ok(after.includes(webNode), 'an unchanged node keeps its element');
  const kept = after.filter(e => before.has(e)).length;
  assert.ok(kept > after.length / 2, `most elements kept (${kept} of ${after.length})`);

  // A view change (every namespace collapsed) is drawn as a fresh render draws it too.
  const collapsed: ViewState = { ...state, collapsed: g2.groups.map(g => g.id) };
  render(root, g2, collapsed);
  const fresh2 = new FakeElement('g');
  render(fresh2, g2, collapsed);
  assert.equal(root.serialize(), fresh2.serialize());
  // And back.
  render(root, g2, state, l1);
  assert.equal(root.serialize(), fresh.serialize());
});

test('a namespace frame counts its workloads in words: "1 workload", "3 workloads"', () => {
  const ws = load(path.resolve(__dirname, '../../examples'));
  const g = sortedGraph(buildGraph(ws));
  const parentOf = (id: string) => g.nodes.find(n => n.id === id)!.parent!;
  const data = parentOf('workload:data/postgres[StatefulSet]');
  const shop = parentOf('workload:shop/api[Deployment]');
  const root = new FakeElement('g');
  render(root, g, { ...DEFAULT_VIEW, collapsed: [data, shop] });
  const summaries = root.elements().filter(e => e.getAttribute('class') === 'frame-summary').map(e => e.textContent);
  assert.ok(summaries.includes('1 workload'), summaries.join(' | '));
  assert.ok(summaries.includes('3 workloads'), summaries.join(' | '));
  const titles = root.elements().filter(e => e.tagName === 'title').map(e => e.textContent);
  assert.ok(titles.some(t => /^namespace data: 1 workload( ·|$)/.test(t)), titles.join(' | '));
});
