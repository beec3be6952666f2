// The diagram page: toolbar, SVG canvas with pan and zoom, side panel, minimap. It receives graphs
// from the host, derives what to draw (view.ts), lays it out (layout.ts, keeping frames where they
// were) and renders the visible part (render.ts). Zoom, pan, selection, view and frame positions
// are saved with setState so the panel comes back as it was.
import type { DiagramViewState, GraphOptions, GraphPending, HostMessage, HostTiming, NetworkGraph, PageMessage, PageState } from '../shared/protocol';
import { applyDelta } from '../shared/delta';
import { exportPng, exportSvg } from './export';
import { defaultAggregation, layoutView, type Box, type Layout } from './layout';
import { fitZoom, NAME_PX, READABLE_PX } from './route';
import { count, renderView } from './render';
import { showSelection } from './sidepanel';
import { DEFAULT_VIEW, deriveView, sortedGraph, type View } from './view';
import { isSubgroupId, subgroupParent } from './groups';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: PageMessage) => vscode.postMessage(m);

/** Beyond this many nodes only what meets the visible area is in the DOM, and a minimap shows where you are. */
const VIRTUALISE_ABOVE = 200;
/** Below this zoom (names under ~6 px) a large diagram shows its frames only. */
const OVERVIEW_ZOOM = 0.45;

const saved = vscode.getState();
let options: GraphOptions = saved?.options ?? {};
let zoom = saved?.zoom ?? 1;
let panX = saved?.panX ?? 0;
let panY = saved?.panY ?? 0;
let selected: string | undefined = saved?.selected;
let viewState: DiagramViewState = saved?.view ?? DEFAULT_VIEW;
let frames: Record<string, readonly [number, number]> = { ...(saved?.frames ?? {}) };
let framesKey = saved?.framesKey;
/** How the remembered frames were shaped (layout.ts `FrameShape`): updates keep it. */
let shape = saved?.shape;
/** What the default aggregation was last decided for (main.ts `relayout`). */
let aggregatedFor: string | undefined;
/** The panel's size when the picture was last laid out afresh (a resize to another shape lays it out again). */
let laidFor: { w: number; h: number } | undefined;
let graph: NetworkGraph | undefined;
let view: View | undefined;
let layout: Layout | undefined;
let rendered: { area: Box | undefined; overview: boolean; zoom: number } | undefined;
let fitted = saved !== undefined;
/** Namespaces are collapsed and Services folded by default (layout.ts `defaultAggregation`) until the user collapses or expands one, or shows or folds the Services. */
let autoCollapse = saved?.view === undefined;
/** Fitted and not panned or zoomed since: updates fit again (the index may still be reading files). */
let autoFit = false;
/** What the host is still computing of the graph the page holds (its first picture came before). */
let pending: GraphPending | undefined;
/** The layout is of a graph still being computed: frame positions are not taken from it. */
let provisional = false;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, content?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (content !== undefined) e.textContent = content;
  return e;
}

// ---- scaffold
const toolbar = h('div', { class: 'toolbar', role: 'toolbar' });
const modeSelect = h('select', { title: 'What the diagram shows', 'aria-label': 'View' });
modeSelect.append(h('option', { value: 'policy' }, 'Policy'), h('option', { value: 'dependencies' }, 'Dependencies'));
const nsSelect = h('select', { title: 'Namespace', 'aria-label': 'Namespace' });
const policySelect = h('select', { title: 'Only the workloads a policy selects, and their neighbours', 'aria-label': 'Policy' });
const search = h('input', { type: 'search', placeholder: 'Search a name', 'aria-label': 'Search a name' });
const deniedLabel = h('label', { class: 'check' });
const denied = h('input', { type: 'checkbox' });
deniedLabel.append(denied, document.createTextNode(' Denied DNS only'));
const servicesLabel = h('label', { class: 'check', title: 'Draw each Service as a box of its own; unchecked, a Service that selects one workload is said inside that workload\'s box' });
const servicesBox = h('input', { type: 'checkbox' });
servicesLabel.append(servicesBox, document.createTextNode(' Service boxes'));
const openLabel = h('label', { class: 'check', title: 'Also draw the flows the "open" badges say (neither end isolated)' });
const openBox = h('input', { type: 'checkbox' });
openLabel.append(openBox, document.createTextNode(' Open flows'));
const focusBtn = h('button', { title: 'Show the selection and its neighbours, n hops away' }, 'Focus');
const hopsSelect = h('select', { title: 'Hops around the focused node', 'aria-label': 'Hops' });
for (const n of [1, 2, 3]) hopsSelect.append(h('option', { value: String(n) }, `${n} hop${n > 1 ? 's' : ''}`));
const collapseBtn = h('button', { title: 'Collapse every namespace into one box' }, 'Collapse all');
const expandBtn = h('button', { title: 'Expand every namespace and aggregate edges between namespaces again' }, 'Expand all');
const clearBtn = h('button', { title: 'Show everything again' }, 'Clear filters');
const fitBtn = h('button', { title: 'Fit to window (F)' }, 'Fit');
const svgBtn = h('button', { title: 'Export as SVG' }, 'SVG');
const pngBtn = h('button', { title: 'Export as PNG' }, 'PNG');
const status = h('span', { class: 'status', 'aria-live': 'polite' });
toolbar.append(modeSelect, nsSelect, policySelect, search, deniedLabel, openLabel, servicesLabel, focusBtn, hopsSelect, collapseBtn, expandBtn, clearBtn,
  h('span', { class: 'spacer' }), fitBtn, svgBtn, pngBtn);

const notes = h('div', { class: 'notes' });
const main = h('div', { class: 'main' });
const canvas = h('div', { class: 'canvas' });
const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
svg.setAttribute('class', 'diagram');
svg.setAttribute('tabindex', '0');
svg.setAttribute('aria-label', 'Network diagram: arrow keys move between nodes, Enter opens, Escape clears, F fits');
const viewport = document.createElementNS('http://www.w3.org/2000/svg', 'g');
viewport.setAttribute('class', 'viewport');
svg.appendChild(viewport);
const minimap = h('canvas', { class: 'minimap', width: '180', height: '120', title: 'Click to move there' });
canvas.append(svg, minimap);
const side = h('aside', { class: 'side', 'aria-label': 'Selection' });
main.append(canvas, side);
// Hidden until something is selected, from the start: the first layout is shaped for the canvas as it will be.
side.hidden = !selected;
const legend = h('div', { class: 'legend' });
for (const [cls, label] of [['flow', 'allowed flow'], ['aggregate', 'flows between namespaces (click)'], ['selects', 'Service selects'], ['routes', 'Ingress routes'], ['dns-allowed', 'DNS ref, allowed'], ['dns-blocked', 'DNS ref, blocked']] as const) {
  const item = h('span', { class: `legend-item legend-${cls}` });
  item.append(h('span', { class: 'swatch' }), document.createTextNode(label));
  legend.append(item);
}
// The status line ends the legend's row: the toolbar takes fewer rows in a panel beside an editor, the picture more.
legend.append(status);
document.body.append(toolbar, notes, main, legend);

function saveState(): void {
  vscode.setState({ options, zoom, panX, panY, selected, view: viewState, frames, ...(framesKey ? { framesKey } : {}), ...(shape ? { shape } : {}) });
}

const large = () => (view?.nodes.length ?? 0) > VIRTUALISE_ABOVE;

/** The part of the layout on screen, in layout coordinates. */
function visibleArea(): Box {
  const w = canvas.clientWidth || 800, hgt = canvas.clientHeight || 600;
  return { x: -panX / zoom, y: -panY / zoom, w: w / zoom, h: hgt / zoom };
}

/** Draws again when the visible area left what was drawn, or the level of detail changed. */
function draw(force: boolean): void {
  if (!view || !layout) return;
  const overview = large() && zoom < OVERVIEW_ZOOM;
  const vis = visibleArea();
  const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
  if (!force && rendered && rendered.overview === overview && (overview ? Math.abs(rendered.zoom - zoom) < 0.05 * zoom : !rendered.area || inside(vis, rendered.area))) return;
  const area = large() && !overview ? { x: vis.x - vis.w / 2, y: vis.y - vis.h / 2, w: vis.w * 2, h: vis.h * 2 } : undefined;
  const t = performance.now();
  const stats = renderView(svg, viewport, view, layout, area, overview, zoom);
  rendered = { area, overview, zoom };
  document.body.dataset.renderMs = (performance.now() - t).toFixed(1);
  document.body.dataset.domNodes = String(svg.getElementsByTagName('*').length);
  document.body.dataset.drawnNodes = String(stats.nodes);
  svg.classList.toggle('overview', overview);
  status.textContent = statusText() + (overview ? ' · overview: zoom in for workloads' : '');
  highlight();
}

let frame = 0;
function applyTransform(): void {
  viewport.setAttribute('transform', `translate(${panX},${panY}) scale(${zoom})`);
  svg.classList.toggle('zoomed-out', zoom < 0.55);
  saveState();
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(false); drawMinimap(); });
}

function fit(): void {
  if (!layout) return;
  const { w, h: hgt } = panelSize();
  // The zoom the readability measure assumes (route.ts), so "readable at Fit" is what Fit shows.
  zoom = fitZoom(layout.width, layout.height, { w, h: hgt });
  panX = (w - layout.width * zoom) / 2;
  panY = Math.max(24, (hgt - layout.height * zoom) / 2);
  applyTransform();
  autoFit = true;
}

function setOptions(next: GraphOptions): void {
  options = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== '' && v !== false)) as GraphOptions;
  saveState();
  post({ type: 'options', options });
}

function setView(next: Partial<DiagramViewState>): void {
  viewState = { ...viewState, ...next };
  relayout();
}

let toolbarLists = '';
function syncToolbar(): void {
  const namespaces = graph?.namespaces ?? [];
  const policies = [...new Set((graph?.nodes ?? []).flatMap(n => (n.policies ?? []).map(p => `${p.namespace}/${p.name}`)))].sort();
  if (options.policy && !policies.includes(options.policy)) policies.unshift(options.policy);
  // The option lists are rebuilt only when they change (thousands of policies at scale).
  const lists = `${namespaces.join('\n')}\0${policies.join('\n')}`;
  if (lists !== toolbarLists) {
    toolbarLists = lists;
    nsSelect.replaceChildren(h('option', { value: '' }, 'All namespaces'), ...namespaces.map(ns => h('option', { value: ns }, ns)));
    policySelect.replaceChildren(h('option', { value: '' }, 'All policies'), ...policies.map(p => h('option', { value: p }, p)));
  }
  nsSelect.value = options.namespace ?? '';
  policySelect.value = options.policy ?? '';
  if (document.activeElement !== search) search.value = options.search ?? '';
  denied.checked = options.deniedDnsOnly ?? false;
  openBox.checked = viewState.showOpen;
  servicesBox.checked = !viewState.foldServices;
  modeSelect.value = viewState.mode;
  hopsSelect.value = String(options.hops ?? 1);
  focusBtn.classList.toggle('active', options.focus !== undefined);
  clearBtn.disabled = Object.keys(options).length === 0;
}

function statusText(): string {
  if (!graph || !view) return '';
  const workloads = graph.nodes.filter(n => n.kind === 'workload').length;
  const open = view.hiddenOpen ? ` · ${count(view.hiddenOpen, 'open flow')} as badges` : '';
  const computing = pending === 'flows' ? ' · computing flows…' : pending === 'dns' ? ' · computing DNS references…' : '';
  return `${count(workloads, 'workload')} · ${count(graph.edges.filter(e => e.kind === 'flow').length, 'flow')}${open} · ipBlock reading: ${graph.reading}${computing}`;
}

function highlight(): void {
  for (const e of Array.from(svg.querySelectorAll('.selected, .neighbour'))) e.classList.remove('selected', 'neighbour');
  // The side panel takes room only when there is something to say.
  side.hidden = !selected;
  if (!graph || !view || !selected) { showSelection(side, graph, view, undefined, post, sideActions); return; }
  const node = svg.querySelector(`[data-id="${CSS.escape(selected)}"]`);
  if (node) {
    node.classList.add('selected');
    for (const e of view.edges) {
      if (e.source !== selected && e.target !== selected) continue;
      for (const x of Array.from(svg.querySelectorAll(`[data-edge="${CSS.escape(e.id)}"]`))) x.classList.add('neighbour');
    }
  }
  for (const x of Array.from(svg.querySelectorAll(`[data-edge="${CSS.escape(selected)}"], [data-group="${CSS.escape(selected)}"]`))) x.classList.add('selected');
  showSelection(side, graph, view, selected, post, sideActions);
}

/** Flow explanations the host sent for the graph the page holds (a new graph or delta may change them). */
const explanations = new Map<string, readonly string[]>();
const asked = new Set<string>();

const sideActions = {
  explanation: (edgeId: string): readonly string[] | undefined => {
    const lines = explanations.get(edgeId);
    if (!lines && !asked.has(edgeId)) { asked.add(edgeId); post({ type: 'explain', edgeId }); }
    return lines;
  },
  toggleAggregate: (id: string) => toggleAggregate(id),
  toggleGroup: (id: string) => toggleGroup(id),
  select: (id: string) => select(id, true),
};

function select(id: string | undefined, reveal: boolean): void {
  selected = id;
  highlight();
  saveState();
  if (!reveal || !graph || !id) return;
  const node = graph.nodes.find(n => n.id === id);
  const edge = graph.edges.find(e => e.id === id);
  const where = node?.source ?? edge?.sourceLocation ?? graph.groups.find(g => g.id === id)?.source;
  if (where) post({ type: 'reveal', file: where.file, span: where.span });
}

function centerOn(id: string): void {
  const b = layout?.nodes.get(id) ?? layout?.groups.get(id);
  if (!b) return;
  const w = canvas.clientWidth || 800;
  const hgt = canvas.clientHeight || 600;
  autoFit = false;
  // Far out (the overview, or names under the readable size): in to where names read.
  if ((large() && zoom < OVERVIEW_ZOOM) || NAME_PX * zoom < READABLE_PX) zoom = 0.8;
  const sx = b.x * zoom + panX;
  const sy = b.y * zoom + panY;
  if (sx < 0 || sy < 0 || sx + b.w * zoom > w || sy + b.h * zoom > hgt) {
    panX = w / 2 - (b.x + b.w / 2) * zoom;
    panY = hgt / 2 - (b.y + b.h / 2) * zoom;
  }
  applyTransform();
}

/** The key of what the frame positions were computed for: positions carry over only within it. */
function keyOf(): string {
  // Not the collapsed frames: expanding or collapsing one keeps the others where they are.
  return JSON.stringify([options, viewState.mode, viewState.showOpen, [...viewState.expanded].sort(), viewState.foldServices ?? false]);
}

function relayout(partial = false): void {
  if (!graph) return;
  // Expanded pairs and collapsed frames of namespaces that are gone are forgotten.
  const groupIds = new Set(['outside', ...graph.groups.map(g => g.id)]);
  viewState = { ...viewState, collapsed: viewState.collapsed.filter(g => groupIds.has(subgroupParent(g) ?? g)) };
  const t = performance.now();
  // The default aggregation is decided for a picture (options, view, the namespaces, the panel), not
  // on every update: an edit inside a namespace keeps it (and costs nothing here).
  const panelNow = panelSize();
  const aggregationKey = JSON.stringify([options, viewState.mode, viewState.showOpen, [...viewState.expanded].sort(), graph.groups.map(x => x.id).sort(), panelNow.w, panelNow.h,
    // A picture still coming (the index reading files, the flows pending) is decided again once complete.
    partial || pending !== undefined]);
  if (autoCollapse && aggregationKey !== aggregatedFor) {
    aggregatedFor = aggregationKey;
    const g = graph;
    const { collapsed, foldServices } = defaultAggregation(deriveView(g, { ...viewState, collapsed: [], foldServices: false }), panelSize(),
      (c, fold) => deriveView(g, { ...viewState, collapsed: [...c], foldServices: fold }), READABLE_PX);
    // The default changed (the workspace grew past it): a new picture, laid out afresh.
    if (collapsed.join('\n') !== viewState.collapsed.join('\n') || foldServices !== (viewState.foldServices ?? false)) framesKey = undefined;
    viewState = { ...viewState, collapsed, foldServices };
  }
  view = deriveView(graph, viewState);
  document.body.dataset.deriveMs = (performance.now() - t).toFixed(1);
  const key = keyOf();
  // Same options and view as the last layout: frames stay where they were (from this page's last
  // layout, or from the saved state after a reload).
  // A picture whose flows are still pending is laid out from where the frames were before it, and
  // not remembered: the complete graph is laid out as if it had come at once.
  const same = key === framesKey && !partial;
  const base = provisional ? undefined : layout;
  const previous = same ? (base?.groups ?? new Map(Object.entries(frames).map(([id, [x, y]]) => [id, { x, y, w: 0, h: 0 }]))) : undefined;
  const panel = panelSize();
  layout = layoutView(view, previous, same ? base?.edges : undefined, { aspect: panel.w / panel.h, ...(same && shape ? { shape } : {}) });
  if (!same || !laidFor) {
    laidFor = panel;
    // The panel's size the picture was last laid out afresh for (the e2e tests wait for it after a resize).
    document.body.dataset.laidFor = `${panel.w}x${panel.h}`;
  }
  provisional = pending !== undefined;
  if (!provisional) {
    shape = layout.shape;
    frames = Object.fromEntries([...layout.groups].map(([id, b]) => [id, [b.x, b.y] as const]));
    // A partial picture is not remembered: the first complete one is laid out afresh too.
    framesKey = partial ? undefined : key;
  }
  document.body.dataset.layoutMs = (performance.now() - t).toFixed(1);
  syncToolbar();
  draw(true);
  // A new picture (first open, other options or view) is fitted; an update of the same one keeps zoom and pan.
  if (!fitted || !same || autoFit) { fitted = true; fit(); } else applyTransform();
  drawMinimap();
  saveState();
}

function onGraph(next: NetworkGraph, nextOptions: GraphOptions, partial: boolean, stillPending: GraphPending | undefined): void {
  const t = performance.now();
  graph = next;
  options = nextOptions;
  pending = stillPending;
  if (pending) document.body.dataset.pending = pending;
  else delete document.body.dataset.pending;
  notes.replaceChildren(...graph.notes.map(n => h('div', {}, n)));
  notes.hidden = graph.notes.length === 0;
  relayout(partial);
  const d = document.body.dataset;
  d.updateMs = (performance.now() - t).toFixed(1);
  d.updates = String(Number(d.updates ?? 0) + 1);
  // When the first picture and the first complete one were drawn (the e2e test's figures).
  d.firstUpdateMs ??= d.updateMs;
  d.firstDrawnAt ??= String(Date.now());
  d.firstPending ??= pending ?? 'none';
  d.firstStatus ??= status.textContent ?? '';
  if (!pending) d.completeAt ??= String(Date.now());
}

function toggleAggregate(id: string): void {
  const on = viewState.expanded.includes(id);
  setView({ expanded: on ? viewState.expanded.filter(x => x !== id) : [...viewState.expanded, id] });
}
function toggleGroup(id: string): void {
  const on = viewState.collapsed.includes(id);
  autoCollapse = false;
  setView({ collapsed: on ? viewState.collapsed.filter(x => x !== id) : [...viewState.collapsed, id] });
  // An expanded namespace may be placed beside the picture (the others stay): bring it into view.
  if (on) centerOn(id);
}
function panelSize(): { w: number; h: number } {
  return { w: canvas.clientWidth || 800, h: canvas.clientHeight || 600 };
}

// ---- minimap
function drawMinimap(): void {
  // In the overview the whole picture is on screen already.
  minimap.hidden = !large() || !layout || zoom < OVERVIEW_ZOOM;
  if (minimap.hidden || !layout) return;
  const ctx = minimap.getContext('2d');
  if (!ctx) return;
  const s = Math.min(minimap.width / layout.width, minimap.height / layout.height);
  const style = getComputedStyle(document.body);
  ctx.clearRect(0, 0, minimap.width, minimap.height);
  ctx.strokeStyle = style.getPropertyValue('--vscode-descriptionForeground') || '#888';
  for (const b of layout.groups.values()) ctx.strokeRect(b.x * s, b.y * s, Math.max(1, b.w * s), Math.max(1, b.h * s));
  const v = visibleArea();
  ctx.strokeStyle = style.getPropertyValue('--vscode-focusBorder') || '#07f';
  ctx.lineWidth = 2;
  ctx.strokeRect(v.x * s, v.y * s, v.w * s, v.h * s);
  ctx.lineWidth = 1;
}
minimap.addEventListener('click', ev => {
  if (!layout) return;
  const s = Math.min(minimap.width / layout.width, minimap.height / layout.height);
  const x = ev.offsetX / s, y = ev.offsetY / s;
  autoFit = false;
  panX = (canvas.clientWidth || 800) / 2 - x * zoom;
  panY = (canvas.clientHeight || 600) / 2 - y * zoom;
  applyTransform();
});

/** The timing figures of a graph or delta message (read by test/e2e): when it came, what the host spent on it. */
function received(timing: HostTiming | undefined): void {
  const d = document.body.dataset;
  d.receivedAt = String(Date.now());
  d.firstReceivedAt ??= d.receivedAt;
  if (!timing) return;
  d.hostGraphMs = String(timing.graphMs);
  d.hostMessageMs = String(timing.messageMs);
  d.hostSentAt = String(timing.sentAt);
  d.hostGraphCpuMs = String(timing.graphCpuMs ?? '');
  d.hostBuild = timing.build ?? '';
  // Every message's figures, the last 20 (an edit typed key by key may reach the page as several deltas).
  d.hostLog = JSON.stringify([...(JSON.parse(d.hostLog ?? '[]') as unknown[]).slice(-19), [timing.graphMs, timing.graphCpuMs, timing.messageMs, timing.build]]);
  d.firstHostSentAt ??= d.hostSentAt;
  d.firstHostGraphMs ??= d.hostGraphMs;
  d.firstHostMessageMs ??= d.hostMessageMs;
}

window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'graph': received(m.timing); explanations.clear(); asked.clear(); onGraph(sortedGraph(m.graph), m.options, m.partial ?? false, m.pending); break;
    case 'delta':
      received(m.timing);
      explanations.clear(); asked.clear();
      if (graph) onGraph(applyDelta(graph, m.delta), m.options, m.partial ?? false, m.pending);
      break;
    case 'explanation':
      explanations.set(m.edgeId, m.lines);
      if (selected === m.edgeId) highlight();
      break;
    case 'select': {
      // A node inside a collapsed frame: open the frame first.
      const parent = graph?.nodes.find(n => n.id === m.nodeId)?.parent;
      if (parent && viewState.collapsed.includes(parent)) toggleGroup(parent);
      // A workload of a collapsed group: open the group.
      const sub = view?.rowGroup.get(m.nodeId);
      if (sub && sub !== m.nodeId && viewState.collapsed.includes(sub)) toggleGroup(sub);
      // A Service folded into its workload's box: that box.
      const id = view?.folded.get(m.nodeId) ?? m.nodeId;
      select(id, false);
      centerOn(id);
      break;
    }
    case 'theme': highlight(); drawMinimap(); break;
  }
});

// ---- interaction
modeSelect.addEventListener('change', () => setView({ mode: modeSelect.value === 'dependencies' ? 'dependencies' : 'policy' }));
nsSelect.addEventListener('change', () => setOptions({ ...options, namespace: nsSelect.value || undefined }));
policySelect.addEventListener('change', () => setOptions({ ...options, policy: policySelect.value || undefined }));
let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => setOptions({ ...options, search: search.value.trim() || undefined }), 250);
});
denied.addEventListener('change', () => setOptions({ ...options, deniedDnsOnly: denied.checked }));
openBox.addEventListener('change', () => setView({ showOpen: openBox.checked }));
servicesBox.addEventListener('change', () => { autoCollapse = false; setView({ foldServices: !servicesBox.checked }); });
focusBtn.addEventListener('click', () => {
  if (options.focus) setOptions({ ...options, focus: undefined, hops: undefined });
  else if (selected && graph?.nodes.some(n => n.id === selected)) setOptions({ ...options, focus: selected, hops: Number(hopsSelect.value) > 1 ? Number(hopsSelect.value) : undefined });
});
hopsSelect.addEventListener('change', () => { if (options.focus) setOptions({ ...options, hops: Number(hopsSelect.value) > 1 ? Number(hopsSelect.value) : undefined }); });
// Collapse all / Expand all lay the picture out afresh (the compact grid, or the frames' graph).
collapseBtn.addEventListener('click', () => { autoCollapse = false; framesKey = undefined; setView({ collapsed: view?.groups.map(g => g.id) ?? [] }); });
expandBtn.addEventListener('click', () => { autoCollapse = false; framesKey = undefined; setView({ collapsed: [], expanded: [] }); });
clearBtn.addEventListener('click', () => setOptions({}));
fitBtn.addEventListener('click', fit);
svgBtn.addEventListener('click', () => post({ type: 'export', format: 'svg', data: exportSvg(svg, layout) }));
pngBtn.addEventListener('click', () => { void exportPng(svg, layout).then(data => post({ type: 'export', format: 'png', data })); });

// With pointer capture, pointerup targets the svg: the clicked element is remembered at pointerdown.
let drag: { x: number; y: number; moved: boolean; target: Element } | undefined;
svg.addEventListener('pointerdown', ev => {
  if (ev.button !== 0) return;
  drag = { x: ev.clientX, y: ev.clientY, moved: false, target: ev.target as Element };
  svg.setPointerCapture(ev.pointerId);
});
svg.addEventListener('pointermove', ev => {
  if (!drag) return;
  const dx = ev.clientX - drag.x;
  const dy = ev.clientY - drag.y;
  if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
  drag.moved = true;
  autoFit = false;
  panX += dx;
  panY += dy;
  drag.x = ev.clientX;
  drag.y = ev.clientY;
  applyTransform();
});
svg.addEventListener('pointerup', ev => {
  const down = drag;
  drag = undefined;
  svg.releasePointerCapture(ev.pointerId);
  if (!down || down.moved) return;
  const toggle = down.target.closest('[data-toggle]')?.getAttribute('data-toggle');
  if (toggle) { toggleGroup(toggle); return; }
  const hit = down.target.closest('[data-id], [data-edge], [data-group]');
  const id = hit?.getAttribute('data-id') ?? hit?.getAttribute('data-edge') ?? hit?.getAttribute('data-group') ?? undefined;
  if (id?.startsWith('agg:')) { select(id, false); toggleAggregate(id); return; }
  // A group's box: expand it (its title collapses it again).
  if (id && isSubgroupId(id) && viewState.collapsed.includes(id)) { select(undefined, false); toggleGroup(id); return; }
  select(id, id !== undefined);
});
svg.addEventListener('wheel', ev => {
  ev.preventDefault();
  const rect = svg.getBoundingClientRect();
  const mx = ev.clientX - rect.left;
  const my = ev.clientY - rect.top;
  autoFit = false;
  const next = Math.min(4, Math.max(0.02, zoom * Math.exp(-ev.deltaY * 0.0015)));
  panX = mx - ((mx - panX) * next) / zoom;
  panY = my - ((my - panY) * next) / zoom;
  zoom = next;
  applyTransform();
}, { passive: false });

/** The nearest node from the selection in an arrow's direction (or the first node). */
function neighbourInDirection(key: string): string | undefined {
  if (!layout || !view) return undefined;
  const from = selected ? layout.nodes.get(selected) : undefined;
  if (!from) return view.nodes.find(n => layout!.nodes.has(n.id))?.id;
  const cx = from.x + from.w / 2, cy = from.y + from.h / 2;
  const [dx, dy] = key === 'ArrowRight' ? [1, 0] : key === 'ArrowLeft' ? [-1, 0] : key === 'ArrowDown' ? [0, 1] : [0, -1];
  let best: string | undefined, bestScore = Infinity;
  for (const [id, b] of layout.nodes) {
    if (id === selected) continue;
    const vx = b.x + b.w / 2 - cx, vy = b.y + b.h / 2 - cy;
    const along = vx * dx + vy * dy;
    if (along <= 1) continue;
    const score = along + 3 * Math.abs(vx * dy - vy * dx);
    if (score < bestScore) { bestScore = score; best = id; }
  }
  return best;
}

svg.addEventListener('keydown', ev => {
  const target = ev.target as Element;
  if (ev.key.startsWith('Arrow')) {
    ev.preventDefault();
    const next = neighbourInDirection(ev.key);
    if (next) { select(next, false); centerOn(next); (svg.querySelector(`[data-id="${CSS.escape(next)}"]`) as SVGElement | null)?.focus(); }
  } else if (ev.key === 'Enter' || ev.key === ' ') {
    const id = target.getAttribute('data-id') ?? selected;
    if (id && isSubgroupId(id) && viewState.collapsed.includes(id)) { ev.preventDefault(); toggleGroup(id); } else if (id) { ev.preventDefault(); select(id, true); }
  } else if (ev.key === 'Escape') {
    select(undefined, false);
  } else if (ev.key === 'f' || ev.key === 'F') {
    fit();
  } else if (ev.key === '+' || ev.key === '=' || ev.key === '-') {
    const w = canvas.clientWidth / 2, hh = canvas.clientHeight / 2;
    autoFit = false;
    const next = Math.min(4, Math.max(0.02, zoom * (ev.key === '-' ? 0.8 : 1.25)));
    panX = w - ((w - panX) * next) / zoom;
    panY = hh - ((hh - panY) * next) / zoom;
    zoom = next;
    applyTransform();
  }
});
// A panel resized to another shape (an editor opened beside it, the window or the sash moved):
// the picture is laid out afresh for it (and the default aggregation computed again), then fitted.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  applyTransform();
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const p = panelSize(), was = laidFor;
    if (!graph || !layout || !was) return;
    const changed = (a: number, b: number) => Math.abs(Math.log(Math.max(1, a) / Math.max(1, b))) > 0.15;
    if (!changed(p.w / p.h, was.w / was.h) && !(autoCollapse && (changed(p.w, was.w) || changed(p.h, was.h)))) return;
    framesKey = undefined;
    relayout();
  }, 150);
});

document.body.dataset.readyAt = String(Date.now());
post({ type: 'ready', options });
