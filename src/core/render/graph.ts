/**
 * The diagram of a workspace whose manifests are partly rendered: the graph of the loose files plus
 * the graph of each render (a Kustomize overlay, a Helm chart), every location mapped back to the
 * file the user edits (the base, the patch, the template; never the render). A node says which
 * renders it comes from (`overlay deploy/overlays/dev`). Each world's graph is built on its own,
 * like its findings; a node two worlds both draw (two overlays rendering the same object into the
 * same namespace) is one node naming both.
 */
import { buildGraph } from '../graph/build';
import { nodeIdOfObject, objectAt } from '../graph/selection';
import type { GraphEdge, GraphGroup, GraphNode, GraphOptions, NetworkGraph, SourceLocation } from '../graph/model';
import type { RenderWorld } from './project';

/** A render's location on its source file, or undefined when the render's span has none. */
function toSource(world: RenderWorld, at: SourceLocation | undefined): SourceLocation | undefined {
  if (!at || at.file !== world.file) return at;
  const to = world.map.toSource(at.span);
  return to ? { file: to.file, span: to.span } : undefined;
}

/**
 * Where a rendered object (a node's, a policy's, a namespace's) is written as a whole: its source
 * document (a Kustomize resource), else its first line in the source (a template, a generator).
 */
function objectToSource(world: RenderWorld, at: SourceLocation | undefined): SourceLocation | undefined {
  if (!at || at.file !== world.file) return at;
  const origin = world.map.originAt(at.span.start);
  if (!origin) return undefined;
  return { file: origin.file, span: origin.source ? { start: origin.source.span.start, end: origin.source.span.end } : origin.whole };
}

/** Drops `key` when `value` is undefined (the model's optional fields are absent, not undefined). */
function withOptional<T extends object, K extends string, V>(o: T, key: K, value: V | undefined): T {
  const { [key]: _, ...rest } = o as T & Record<K, unknown>;
  return (value === undefined ? rest : { ...rest, [key]: value }) as T;
}

/** `overlay deploy/overlays/dev`, `chart charts/web, values charts/web/values-prod.yaml`. */
export function renderedFrom(world: RenderWorld): string {
  return world.values?.length ? `${world.label}, values ${world.values.join(', ')}` : world.label;
}

/**
 * Each render's graph for the last options asked, while its workspace is unchanged: the diagram
 * asks for every render's graph on each update (a keystroke in a loose file), and a render changes
 * only when it is rendered again (a new world).
 */
const renderGraphs = new WeakMap<RenderWorld, { generation: number; options: string; graph: NetworkGraph }>();

/** One render's graph, with source locations and the render's label on its nodes. */
export function graphOfRender(world: RenderWorld, options: GraphOptions = {}): NetworkGraph {
  const key = JSON.stringify(options);
  const had = renderGraphs.get(world);
  if (had && had.generation === world.workspace.generation && had.options === key) return had.graph;
  const graph = mappedGraphOf(world, options);
  renderGraphs.set(world, { generation: world.workspace.generation, options: key, graph });
  return graph;
}

function mappedGraphOf(world: RenderWorld, options: GraphOptions): NetworkGraph {
  const g = buildGraph(world.workspace, options);
  return {
    ...g,
    nodes: g.nodes.map(n => {
      let node: GraphNode = withOptional(n, 'source', objectToSource(world, n.source));
      if (n.policies) node = { ...node, policies: n.policies.flatMap(p => { const source = objectToSource(world, p.source); return source ? [{ ...p, source }] : []; }) };
      return { ...node, renderedFrom: [renderedFrom(world)] };
    }),
    edges: g.edges.map(e => withOptional(e, 'sourceLocation', toSource(world, e.sourceLocation))),
    groups: g.groups.map(gr => withOptional(gr, 'source', objectToSource(world, gr.source))),
  };
}

/**
 * The loose files' graph with every render's graph, all filtered by the same options. A note every
 * world gives is said once; a note of some renders only names them (`overlay deploy/overlays/dev:
 * No NetworkPolicy…`); the notes of a world that draws nothing are left out (the loose files of a
 * workspace made of overlays hold no workload).
 */
export function mergeRenderedGraphs(loose: NetworkGraph, worlds: readonly RenderWorld[], options: GraphOptions = {}): NetworkGraph {
  if (!worlds.length) return loose;
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const groups = new Map<string, GraphGroup>();
  const namespaces = new Set<string>(loose.namespaces);
  // Each world's notes; a note every world that draws something gives is said once, without a label.
  const said: Array<{ label: string; notes: readonly string[] }> = loose.nodes.length ? [{ label: 'manifests read as they are', notes: loose.notes }] : [];
  let reading = loose.nodes.length ? loose.reading : undefined;
  const add = (g: NetworkGraph) => {
    for (const n of g.nodes) {
      const had = nodes.get(n.id);
      if (!had) nodes.set(n.id, n);
      else if (n.renderedFrom) nodes.set(n.id, { ...had, renderedFrom: [...new Set([...(had.renderedFrom ?? []), ...n.renderedFrom])] });
    }
    for (const e of g.edges) if (!edges.has(e.id)) edges.set(e.id, e);
    for (const gr of g.groups) if (!groups.has(gr.id)) groups.set(gr.id, gr);
    for (const ns of g.namespaces) namespaces.add(ns);
  };
  add(loose);
  for (const w of worlds) {
    const g = graphOfRender(w, options);
    add(g);
    if (g.nodes.length) {
      said.push({ label: w.label, notes: g.notes });
      reading ??= g.reading;
    }
  }
  const everywhere = new Set(said[0]?.notes.filter(n => said.every(s => s.notes.includes(n))));
  const notes = [...everywhere, ...said.flatMap(s => s.notes.filter(n => !everywhere.has(n)).map(n => `${s.label}: ${n}`))];
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    groups: [...groups.values()].sort((a, b) => a.label.localeCompare(b.label)),
    namespaces: [...namespaces].sort(),
    notes,
    reading: reading ?? loose.reading,
  };
}

/** The diagram node of the object a render makes from the place `offset` of source `file` (the first render that has one). */
export function renderedNodeAt(worlds: readonly RenderWorld[], file: string, offset: number): string | undefined {
  for (const w of worlds) {
    for (const at of w.map.fromSource(file, offset)) {
      const o = objectAt(w.workspace, w.file, at);
      const id = o ? nodeIdOfObject(w.workspace, o) : undefined;
      if (id) return id;
    }
  }
  return undefined;
}
