/**
 * The connectivity report in netpol-analyzer's `list` output formats (txt, csv, md, json, dot),
 * byte for byte, so our results can be diffed against np-guard's. No trailing newline.
 */
import type { Protocol } from '../../parse/views/protocol';
import { ConnectionSet } from './connections';
import type { ConnectivityReport } from './evaluate';
import { peerNameIn, type NetworkLayout, type PairNetwork, type SecondaryConnection } from './network-layout';
import { compareIds, type PeerRef } from './peers';

/** The output formats of `kube-netlens connectivity`. */
export const CONNECTIVITY_FORMATS = ['txt', 'json', 'csv', 'md', 'dot'] as const;
export type ConnectivityFormat = (typeof CONNECTIVITY_FORMATS)[number];

type Row = { src: string; dst: string; conn: string; network?: PairNetwork };

function rows(report: ConnectivityReport, layout: NetworkLayout | undefined, focus?: FocusConn): Row[] {
  if (!layout) return report.connections.map(c => ({ src: c.src.id, dst: c.dst.id, conn: c.conns.toString() }));
  const out: Array<Row & { network: PairNetwork }> = report.connections.map(c => {
    const network = layout.pairNetwork(c.src, c.dst);
    return { src: peerNameIn(c.src, network, layout), dst: peerNameIn(c.dst, network, layout), conn: c.conns.toString(), network };
  });
  for (const c of secondaryConnections(layout, focus)) {
    out.push({ src: c.src.id, dst: c.dst.id, conn: c.conns.toString(), network: { kind: 'NAD', name: c.name } });
  }
  // np-guard sorts the named rows (a `[udn]` label moves a peer), then by network name.
  return out.sort((a, b) => compareIds(a.src, b.src) || compareIds(a.dst, b.dst) || compareIds(a.network.name, b.network.name));
}

/** The connections on secondary networks, restricted as the report is under `--focus-conn`. */
function secondaryConnections(layout: NetworkLayout, focus?: FocusConn): SecondaryConnection[] {
  if (!focus) return [...layout.secondary];
  const only = ConnectionSet.ports(focus.protocol, focus.port);
  return layout.secondary.filter(c => c.conns.allows(focus.protocol, focus.port)).map(c => ({ ...c, conns: c.conns.intersect(only) }));
}

const SECTION = 'Permitted connectivity analyzed in ';

/**
 * The txt sections of the user-defined networks (UDNs, then cluster UDNs, then secondary NADs, each
 * sorted by name), each after an empty line.
 */
function networkSections(r: Row[], line: (x: Row) => string): string[] {
  const lines: string[] = [];
  for (const kind of ['UDN', 'CUDN', 'NAD'] as const) {
    const names = [...new Set(r.filter(x => x.network?.kind === kind).map(x => x.network!.name))].sort(compareIds);
    for (const name of names) {
      lines.push('', `${SECTION}${kind === 'NAD' ? 'secondary' : 'primary'} ${kind} ${name}:`, ...r.filter(x => x.network!.kind === kind && x.network!.name === name).map(line));
    }
  }
  return lines;
}

/** np-guard's txt list in multiple-networks mode: a section per network, then the Workload-to-Networks Mapping. */
function sectionedText(r: Row[], layout: NetworkLayout): string {
  const line = (x: Row) => `${x.src} => ${x.dst} : ${x.conn}`;
  const pod = r.filter(x => x.network!.kind === 'pod');
  const lines: string[] = [];
  if (pod.length < r.length) {
    lines.push(`${SECTION}Pod network:`);
    if (pod.length === 0) {
      lines.push(layout.podNetworkWorkloads === 0
        ? 'all input workloads are configured with (C)UDN as their primary network interface'
        : 'All connections are not allowed for the workloads in the pod-network');
    }
  }
  lines.push(...pod.map(line), ...networkSections(r, line));
  if (layout.mapping.length) {
    lines.push('', 'Workload-to-Networks Mapping:');
    for (const [id, net] of layout.mapping) {
      lines.push(`${id}: `, `\tPrimary Network: ${net}`);
      const secondary = layout.secondaryMapping.get(id);
      if (secondary) lines.push(`\tSecondary Networks: ${secondary.join(',')}`);
    }
  }
  return lines.join('\n');
}

/** A field as Go's encoding/csv writes it: quoted when it holds a comma, quote, line break or leading space. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s.startsWith(' ') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** JSON as Go's json.MarshalIndent writes strings (HTML-sensitive characters escaped). */
function goJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A string quoted as Go's `%q` does for the printable text of peer names. */
function q(s: string): string {
  return JSON.stringify(s);
}

/** np-guard's AddNsGroups: one subgraph per group key (sorted), its peer lines sorted. */
function nsGroups(groups: Map<string, string[]>, indent = ''): string[] {
  const lines: string[] = [];
  for (const key of [...groups.keys()].sort(compareIds)) {
    lines.push(`${indent}\tsubgraph ${q(`cluster_${key.replace(/-/g, '_')}`)} {`, `${indent}\t\tcolor="black"`, `${indent}\t\tfontcolor="black"`);
    lines.push(...groups.get(key)!.sort(compareIds).map(l => indent + l));
    lines.push(`${indent}\t\tlabel=${q(key)}`, `${indent}\t}`);
  }
  return lines;
}

function addTo<K>(map: Map<K, string[]>, key: K, line: string): void {
  const list = map.get(key);
  if (list) list.push(line);
  else map.set(key, [line]);
}

/**
 * np-guard's dot output. With `layout` and a user-defined or secondary network among the
 * connections, its grouping by network: the pod network's namespaces inside `cluster_pod_network`,
 * each UDN namespace as `<ns>[udn]`, each cluster UDN around its namespaces (a peer is grouped by the
 * network of its first connection; a peer without any is on the pod network), then each secondary
 * network (NAD) around the namespaces of the workloads connected on it: there a workload is a node of
 * its own, named by its id followed by the network's name, so it may appear in both groups.
 */
function dot(report: ConnectivityReport, layout?: NetworkLayout, focus?: FocusConn): string {
  const podGroups = new Map<string, string[]>();
  const udnGroups = new Map<string, string[]>();
  const cudnGroups = new Map<string, Map<string, string[]>>();
  const nadGroups = new Map<string, Map<string, string[]>>();
  const external: string[] = [];
  const seen = new Set<string>();
  const inNetwork = (groups: Map<string, Map<string, string[]>>, name: string) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = new Map()));
    return g;
  };
  const addPeer = (p: PeerRef, net: PairNetwork | undefined) => {
    const node = net?.kind === 'NAD' ? p.id + net.name : p.id;
    if (seen.has(node)) return;
    seen.add(node);
    if (p.kind === 'workload') {
      const ns = p.id.slice(0, p.id.indexOf('/'));
      const label = p.id.slice(p.id.indexOf('/') + 1);
      const line = `\t\t${q(node)} [label=${q(label)} color="blue" fontcolor="blue"]`;
      if (net?.kind === 'UDN') addTo(udnGroups, `${ns}[udn]`, line);
      else if (net?.kind === 'CUDN' || net?.kind === 'NAD') addTo(inNetwork(net.kind === 'CUDN' ? cudnGroups : nadGroups, net.name), `${ns}[namespace]`, line);
      else addTo(podGroups, `${ns}[namespace]`, line);
    } else {
      const color = p.kind === 'external' ? 'red2' : 'blue';
      external.push(`\t${q(p.id)} [label=${q(p.id)} color="${color}" fontcolor="${color}"]`);
    }
  };
  const edges: string[] = [];
  const edge = (src: string, dst: string, conns: ConnectionSet) => {
    const weight = src <= dst ? '0.5' : '1';
    edges.push(`\t${q(src)} -> ${q(dst)} [label=${q(conns.toString())} color="gold2" fontcolor="darkgreen" weight=${weight}]`);
  };
  for (const c of report.connections) {
    edge(c.src.id, c.dst.id, c.conns);
    const net = layout?.pairNetwork(c.src, c.dst);
    addPeer(c.src, net);
    addPeer(c.dst, net);
  }
  for (const c of layout ? secondaryConnections(layout, focus) : []) {
    const net: PairNetwork = { kind: 'NAD', name: c.name };
    edge(c.src.id + c.name, c.dst.id + c.name, c.conns);
    addPeer(c.src, net);
    addPeer(c.dst, net);
  }
  for (const p of report.peers) if (p.kind === 'workload') addPeer(p, undefined);
  const lines = ['digraph {'];
  const byNetwork = (groups: Map<string, Map<string, string[]>>, suffix: string) => {
    for (const name of [...groups.keys()].sort(compareIds)) {
      lines.push(`\tsubgraph ${q(`cluster_${name}`)} {`, `\tlabel=${q(`${name}${suffix}`)}`, ...nsGroups(groups.get(name)!), '\t}');
    }
  };
  if (udnGroups.size === 0 && cudnGroups.size === 0 && nadGroups.size === 0) {
    // np-guard's single-network grouping: namespaces sorted by name.
    for (const ns of [...podGroups.keys()].map(k => k.slice(0, -'[namespace]'.length)).sort(compareIds)) {
      lines.push(...nsGroups(new Map([[`${ns}[namespace]`, podGroups.get(`${ns}[namespace]`)!]])));
    }
  } else {
    if (podGroups.size) lines.push('\tsubgraph "cluster_pod_network" {', '\tlabel="pod network"', ...nsGroups(podGroups), '\t}');
    lines.push(...nsGroups(udnGroups));
    byNetwork(cudnGroups, '[cluster-udn]');
    byNetwork(nadGroups, '[nad]');
  }
  lines.push(...external.sort(compareIds), ...edges.sort(compareIds), '}');
  return lines.join('\n');
}

/** One protocol and port (`--focus-conn`). */
export interface FocusConn {
  readonly protocol: Protocol;
  readonly port: number;
}

/** The report restricted to one protocol and port: connections that allow it, carrying only it (np-guard's `--focus-conn` list). */
export function focusConnReport(report: ConnectivityReport, focus: FocusConn): ConnectivityReport {
  const only = ConnectionSet.ports(focus.protocol, focus.port);
  return {
    ...report,
    connections: report.connections.filter(c => c.conns.allows(focus.protocol, focus.port)).map(c => ({ ...c, conns: c.conns.intersect(only) })),
  };
}

/** np-guard's list under `--focus-conn` (the report already restricted by {@link focusConnReport}): pairs without their connections. */
function focusedList(r: Row[], format: Exclude<ConnectivityFormat, 'dot'>, focus: FocusConn, layout: NetworkLayout | undefined): string {
  const pair = (x: Row) => `${x.src} => ${x.dst}`;
  switch (format) {
    case 'txt': {
      const lines = [`Permitted connections on ${focus.protocol} ${focus.port}:`];
      const pod = layout ? r.filter(x => x.network!.kind === 'pod') : r;
      if (layout && pod.length && pod.length < r.length) lines.push(`${SECTION}Pod network:`);
      lines.push(...pod.map(pair), ...networkSections(r, pair));
      return lines.join('\n');
    }
    case 'csv':
      return [layout ? 'src,dst,network' : 'src,dst', ...r.map(x => [x.src, x.dst, ...(layout ? [x.network!.name] : [])].map(csvField).join(','))].join('\n');
    case 'md':
      if (layout) return ['| src | dst | network |', '|-----|-----|------|', ...r.map(x => `| ${x.src} | ${x.dst} | ${x.network!.name} |`)].join('\n');
      return ['| src | dst |', '|-----|-----|', ...r.map(x => `| ${x.src} | ${x.dst} |`)].join('\n');
    case 'json':
      return goJson(r.map(x => ({ src: x.src, dst: x.dst })));
  }
}

/**
 * The report in `format`, exactly as `netpol-analyzer list -o <format>` prints it; with `layout` (the
 * workspace declares user-defined networks), as it prints it in its multiple-networks mode; with
 * `focus`, as `--focus-conn` prints it (the report restricted by {@link focusConnReport}).
 */
export function formatConnectivity(report: ConnectivityReport, format: ConnectivityFormat, layout?: NetworkLayout, focus?: FocusConn): string {
  const r = rows(report, layout, focus);
  if (focus && format !== 'dot') return focusedList(r, format, focus, layout);
  switch (format) {
    case 'txt':
      if (layout) return sectionedText(r, layout);
      return r.map(x => `${x.src} => ${x.dst} : ${x.conn}`).join('\n');
    case 'csv':
      if (layout) return ['src,dst,conn,network', ...r.map(x => [x.src, x.dst, x.conn, x.network!.name].map(csvField).join(','))].join('\n');
      return ['src,dst,conn', ...r.map(x => [x.src, x.dst, x.conn].map(csvField).join(','))].join('\n');
    case 'md':
      if (layout) {
        return ['| src | dst | conn | network | ', '|-----|-----|------|------|', ...r.map(x => `| ${x.src} | ${x.dst} | ${x.conn} | ${x.network!.name} | `)].join('\n');
      }
      return ['| src | dst | conn |', '|-----|-----|------|', ...r.map(x => `| ${x.src} | ${x.dst} | ${x.conn} |`)].join('\n');
    case 'json':
      return goJson(r.map(x => ({ src: x.src, dst: x.dst, conn: x.conn })));
    case 'dot':
      return dot(report, layout, focus);
  }
}
