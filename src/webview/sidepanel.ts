// The side panel: what the selection is, the policies selecting it, and for an edge why it exists.
import type { GraphEdge, GraphNode, NetworkGraph, PageMessage, SourceLocation } from '../shared/protocol';
import { BADGES, count, openNote } from './render';
import { groupOf, type View } from './view';

/** What the panel's buttons do in the page. */
export interface SideActions {
  toggleAggregate(id: string): void;
  toggleGroup(id: string): void;
  /** Selects a node or edge (the side panel then describes it). */
  select(id: string): void;
  /** A flow's explanation when the host has sent it; otherwise asks the host for it (undefined meanwhile). */
  explanation(edgeId: string): readonly string[] | undefined;
}

function button(label: string, onClick: () => void): HTMLElement {
  const b = h('button', 'link', label);
  b.addEventListener('click', onClick);
  return b;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, content?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (content !== undefined) e.textContent = content;
  return e;
}

function revealLink(label: string, where: SourceLocation | undefined, post: (m: PageMessage) => void): HTMLElement {
  if (!where) return h('span', undefined, label);
  const a = h('button', 'link', label);
  a.title = 'Open in the editor';
  a.addEventListener('click', () => post({ type: 'reveal', file: where.file, span: where.span }));
  return a;
}

function section(parent: HTMLElement, title: string, lines: readonly (string | HTMLElement)[]): void {
  if (!lines.length) return;
  parent.append(h('h3', undefined, title));
  const ul = h('ul');
  for (const l of lines) {
    const li = h('li');
    if (typeof l === 'string') li.textContent = l;
    else li.append(l);
    ul.append(li);
  }
  parent.append(ul);
}

function nodeTitle(g: NetworkGraph, id: string): string {
  const n = g.nodes.find(x => x.id === id);
  return n ? `${n.namespace ? `${n.namespace}/` : ''}${n.label}` : id;
}

function showNode(side: HTMLElement, g: NetworkGraph, n: GraphNode, post: (m: PageMessage) => void): void {
  side.append(h('h2', undefined, n.label));
  side.append(h('div', 'kind', [n.objectKind ?? n.kind, n.namespace ? `namespace ${n.namespace}` : '', n.replicas !== undefined ? `${n.replicas} replicas` : ''].filter(Boolean).join(' · ')));
  if (n.renderedFrom?.length) side.append(h('div', 'rendered-from', `rendered from ${n.renderedFrom.join(', ')}`));
  if (n.source) side.append(revealLink('Open in editor', n.source, post));
  section(side, 'Facts', n.details);
  section(side, 'Badges', n.badges.map(b => `${BADGES[b].text}: ${BADGES[b].title}`));
  if (n.kind === 'workload') {
    section(side, 'Policies selecting it', n.policies?.length
      ? n.policies.map(p => revealLink(`${p.namespace}/${p.name} (${p.directions.join(', ') || 'no direction'})`, p.source, post))
      : ['none: all traffic in and out is allowed']);
  }
  const incoming = g.edges.filter(e => e.target === n.id && e.kind === 'flow').map(e => `from ${nodeTitle(g, e.source)}: ${e.label}`);
  const outgoing = g.edges.filter(e => e.source === n.id && e.kind === 'flow').map(e => `to ${nodeTitle(g, e.target)}: ${e.label}`);
  section(side, 'Allowed in', incoming);
  section(side, 'Allowed out', outgoing);
  const dns = g.edges.filter(e => e.kind === 'dns' && (e.source === n.id || e.target === n.id))
    .map(e => revealLink(`${e.label} (${nodeTitle(g, e.source)} → ${nodeTitle(g, e.target)}): ${e.status}`, e.sourceLocation, post));
  section(side, 'DNS references', dns);
}

function showEdge(side: HTMLElement, g: NetworkGraph, e: GraphEdge, post: (m: PageMessage) => void, actions: SideActions): void {
  const title = { flow: 'Allowed flow', selects: 'Service selects', routes: 'Ingress routes', dns: 'DNS reference' }[e.kind];
  side.append(h('h2', undefined, title));
  side.append(h('div', 'kind', `${nodeTitle(g, e.source)} → ${nodeTitle(g, e.target)}`));
  if (e.label) side.append(h('div', 'edge-ports', e.label));
  if (e.status) side.append(h('div', `status status-${e.status}`, e.status === 'allowed' ? 'Policies allow this connection' : 'Policies block this connection'));
  if (e.sourceLocation) side.append(revealLink('Open in editor', e.sourceLocation, post));
  // Flows come without their explanation: the host computes it when the edge is opened.
  const why = e.explanation ?? (e.kind === 'flow' ? actions.explanation(e.id) : []);
  if (why) section(side, 'Why', why);
  else side.append(h('h3', undefined, 'Why'), h('p', 'hint why-pending', 'Explaining…'));
}

/** An aggregated pair's edges, each a button that opens it (for a flow, with its explanation). */
function memberList(side: HTMLElement, g: NetworkGraph, members: readonly string[], actions: SideActions): void {
  section(side, 'Edges', members.slice(0, 200).map(mid => {
    const e = g.edges.find(x => x.id === mid);
    if (!e) return mid;
    const b = button(`${nodeTitle(g, e.source)} → ${nodeTitle(g, e.target)}${e.label ? `: ${e.label}` : ''}${e.status ? ` (${e.status})` : ''}`, () => actions.select(e.id));
    b.dataset.edge = e.id;
    return b;
  }));
}

/** Fills `side` with the description of the node, edge, aggregated edge or group `id` (empty state when undefined). */
export function showSelection(side: HTMLElement, g: NetworkGraph | undefined, view: View | undefined, id: string | undefined, post: (m: PageMessage) => void, actions: SideActions): void {
  side.replaceChildren();
  const node = id ? g?.nodes.find(n => n.id === id) : undefined;
  const edge = id ? g?.edges.find(e => e.id === id) : undefined;
  const group = id ? view?.groups.find(x => x.id === id) : undefined;
  const agg = id ? view?.aggregates.find(a => a.id === id) : undefined;
  const expanded = id?.startsWith('agg:') && !agg;
  if (g && node) showNode(side, g, node, post);
  else if (g && edge) showEdge(side, g, edge, post, actions);
  else if (g && agg) {
    const title = (gid: string) => view?.groups.find(x => x.id === gid)?.label ?? gid;
    side.append(h('h2', undefined, 'Between namespaces'), h('div', 'kind', `${title(agg.source)} → ${title(agg.target)}`), h('div', 'edge-ports', agg.label));
    side.append(button('Show each edge', () => actions.toggleAggregate(agg.id)));
    memberList(side, g, agg.members, actions);
  } else if (expanded && id) {
    side.append(h('h2', undefined, 'Between namespaces'), button('Aggregate again', () => actions.toggleAggregate(id)));
    if (!g) return;
    // The pair's edges as drawn now (expanded): `agg:<source group>-><target group>`.
    const [from, to] = id.slice('agg:'.length).split('->');
    const parent = new Map(g.nodes.map(n => [n.id, groupOf(n)]));
    memberList(side, g, (view?.edges ?? []).filter(e => parent.get(e.source) === from && parent.get(e.target) === to).map(e => e.id), actions);
  } else if (g && id && view?.merged.has(id)) {
    // Edges of a collapsed group inside a namespace, drawn as one.
    const e = view.edges.find(x => x.id === id);
    const title = (nid: string) => view.subgroups.get(nid)?.label ?? nodeTitle(g, nid);
    side.append(h('h2', undefined, 'Edges of a group'));
    if (e) side.append(h('div', 'kind', `${title(e.source)} → ${title(e.target)}`), h('div', 'edge-ports', e.label));
    memberList(side, g, view.merged.get(id)!, actions);
  } else if (group) {
    side.append(h('h2', undefined, group.kind === 'outside' ? group.label : `namespace ${group.label}`));
    side.append(h('div', 'kind', `${count(group.workloads, 'workload')}${openNote(group) ? ` · ${openNote(group)}` : ''}`));
    // One action a line, as the other selections have them.
    const actionsLine = h('div', 'actions');
    actionsLine.append(button(group.collapsed ? 'Expand' : 'Collapse into one box', () => actions.toggleGroup(group.id)));
    if (group.source) actionsLine.append(revealLink('Open in editor', group.source, post));
    side.append(actionsLine);
  } else {
    side.append(h('p', 'hint', 'Select a node or an edge to see what it is, which policies select it and why traffic is allowed.'));
  }
}
