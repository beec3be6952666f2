/**
 * The connectivity diff in np-guard's `diff` output formats (txt, csv, md, dot), byte for byte.
 * `labels` name the two sides (np-guard's library prints `ref1`/`ref2`).
 */
import type { PeerRef } from './peers';
import type { ConnectivityDiff, PairDiff } from './diff';
import { csvField } from './format';

export const DIFF_FORMATS = ['txt', 'csv', 'md', 'dot'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

const NO_CONNS = 'No Connections';

interface Fields { type: string; src: string; dst: string; c1: string; c2: string; info: string; network: string; pair: PairDiff }

function fieldsOf(p: PairDiff): Fields {
  let info = '';
  if (p.srcNewOrLost || p.dstNewOrLost) {
    info = 'workload ' + [p.srcNewOrLost ? p.src.id : '', p.dstNewOrLost ? p.dst.id : ''].filter(Boolean).join(' and ') + ` ${p.type}`;
  }
  return {
    type: p.type, src: p.src.id, dst: p.dst.id,
    c1: p.before ? p.before.toString() : NO_CONNS, c2: p.after ? p.after.toString() : NO_CONNS, info, pair: p,
    network: p.network?.name ?? '',
  };
}

/** Changed, added, removed lines not from the ingress controller, then the same three from it; each group sorted as strings. */
function orderedLines(d: ConnectivityDiff, line: (f: Fields) => string): string[] {
  const out: string[] = [];
  for (const fromController of [false, true]) {
    for (const type of ['changed', 'added', 'removed'] as const) {
      out.push(...d.pairs
        .filter(p => p.type === type && (p.src.kind === 'ingress-controller') === fromController)
        .map(p => line(fieldsOf(p)))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  }
  return out;
}

function q(s: string): string {
  return JSON.stringify(s);
}

function edgeLine(src: string, dst: string, label: string, color: string): string {
  return `\t${q(src)} -> ${q(dst)} [label=${q(label)} color=${q(color)} fontcolor=${q(color)} weight=${src <= dst ? '0.5' : '1'}]`;
}

const LEGEND = [
  '\tnodesep=0.5',
  '\tsubgraph cluster_legend {',
  '\t\tlabel="Legend"',
  '\t\tfontsize = 10',
  '\t\tmargin=0',
  ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(n => `\t\t${n} [style=invis height=0 width=0]`),
  '\t\t{rank=source a b c d}',
  '\t\t{rank=same e f g h}',
  '\t\ta -> b [label="added connection", color="#008000" fontcolor="#008000" fontsize = 10 arrowsize=0.2]',
  '\t\tc -> d [label="removed connection", color="red2" fontcolor="red2" fontsize = 10 arrowsize=0.2]',
  '\t\te -> f [label="changed connection", color="magenta" fontcolor="magenta" fontsize = 10 arrowsize=0.2]',
  '\t\tg -> h [label="unchanged connection", color="grey" fontcolor="grey" fontsize = 10 arrowsize=0.2]',
  '\t\tnp [label="new peer" color="#008000" fontcolor="#008000" fontsize = 10]',
  '\t\tlp [label="lost peer" color="red" fontcolor="red" fontsize = 10]',
  '\t\tpp [label="persistent peer" color="blue" fontcolor="blue" fontsize = 10]',
  '\t\t{rank=sink np lp pp}',
  '\t\tnp->lp [style=invis]',
  '\t\tlp->pp [style=invis]',
  '\t}',
];

function dot(d: ConnectivityDiff, ref1: string): string {
  const visited = new Set<string>();
  const nsPeers = new Map<string, string[]>();
  const externals: string[] = [];
  const edges: string[] = [];
  const controllerEdges: string[] = [];
  // On a secondary network a workload is a node of its own, its id followed by the network's name (np-guard's list does so).
  const nodeOf = (peer: PeerRef, p: PairDiff) => (p.network?.kind === 'NAD' ? peer.id + p.network.name : peer.id);
  const visit = (peer: PeerRef, p: PairDiff, newOrLost: boolean) => {
    const node = nodeOf(peer, p);
    if (visited.has(node)) return;
    visited.add(node);
    const color = newOrLost ? (p.type === 'added' ? '#008000' : p.type === 'removed' ? 'red' : 'blue') : 'blue';
    if (peer.kind !== 'workload') {
      externals.push(`\t${q(peer.id)} [label=${q(peer.id)} color=${q(color)} fontcolor=${q(color)}]`);
      return;
    }
    const ns = `${peer.workload.object.namespace}[namespace]`;
    const label = peer.id.slice(peer.id.indexOf('/') + 1);
    const list = nsPeers.get(ns) ?? [];
    list.push(`\t\t${q(node)} [label=${q(label)} color=${q(color)} fontcolor=${q(color)}]`);
    nsPeers.set(ns, list);
  };
  for (const type of ['unchanged', 'changed', 'added', 'removed'] as const) {
    for (const p of d.pairs.filter(x => x.type === type)) {
      visit(p.src, p, p.srcNewOrLost);
      visit(p.dst, p, p.dstNewOrLost);
      const f = { ...fieldsOf(p), src: nodeOf(p.src, p), dst: nodeOf(p.dst, p) };
      const line = type === 'unchanged' ? edgeLine(f.src, f.dst, f.c1, 'grey')
        : type === 'changed' ? edgeLine(f.src, f.dst, `${f.c2} (${ref1}: ${f.c1})`, 'magenta')
          : type === 'removed' ? edgeLine(f.src, f.dst, f.c1, 'red2')
            : edgeLine(f.src, f.dst, f.c2, '#008000');
      (p.src.kind === 'ingress-controller' ? controllerEdges : edges).push(line);
    }
  }
  const sort = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const lines = ['digraph {'];
  for (const ns of [...nsPeers.keys()].sort(sort)) {
    lines.push(`\tsubgraph "cluster_${ns.replace(/-/g, '_')}" {`, '\t\tcolor="black"', '\t\tfontcolor="black"');
    lines.push(...nsPeers.get(ns)!.sort(sort));
    lines.push(`\t\tlabel="${ns}"`, '\t}');
  }
  lines.push(...externals.sort(sort), ...edges.sort(sort), ...controllerEdges.sort(sort), ...LEGEND, '}');
  return lines.join('\n');
}

/**
 * The diff in `format`, exactly as `netpol-analyzer diff -o <format>` writes it (empty when nothing
 * changed; txt and csv end with a newline, md and dot do not).
 */
export function formatDiff(d: ConnectivityDiff, format: DiffFormat, labels: readonly [string, string] = ['ref1', 'ref2']): string {
  if (!d.pairs.some(p => p.type !== 'unchanged')) return '';
  const [ref1, ref2] = labels;
  // With secondary networks each row names its network (np-guard's multiple-networks `network` field).
  const networks = d.pairs.some(p => p.network);
  switch (format) {
    case 'txt':
      return ['Connectivity diff:', ...orderedLines(d, f =>
        `diff-type: ${f.type}, source: ${f.src}, destination: ${f.dst}, ${ref1}: ${f.c1}, ${ref2}: ${f.c2}${f.info ? `, workloads-diff-info: ${f.info}` : ''}${networks ? `, network: ${f.network}` : ''}`)].join('\n') + '\n';
    case 'csv':
      return [['diff-type', 'source', 'destination', ref1, ref2, 'workloads-diff-info', ...(networks ? ['network'] : [])], ...orderedLines(d, f =>
        [f.type, f.src, f.dst, f.c1, f.c2, f.info, ...(networks ? [f.network] : [])].join(';')).map(l => l.split(';'))]
        .map(row => row.map(csvField).join(',')).join('\n') + '\n';
    case 'md':
      if (networks) {
        return [`| diff-type | source | destination | ${ref1} | ${ref2} | workloads-diff-info | network |`,
          '|-----------|--------|-------------|------|------|---------------------|------|',
          ...orderedLines(d, f => `| ${f.type} | ${f.src} | ${f.dst} | ${f.c1} | ${f.c2} | ${f.info} | ${f.network} |`)].join('\n');
      }
      return [`| diff-type | source | destination | ${ref1} | ${ref2} | workloads-diff-info |`,
        '|-----------|--------|-------------|------|------|---------------------|',
        ...orderedLines(d, f => `| ${f.type} | ${f.src} | ${f.dst} | ${f.c1} | ${f.c2} | ${f.info} |`)].join('\n');
    case 'dot':
      return dot(d, ref1);
  }
}
