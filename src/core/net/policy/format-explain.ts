/**
 * np-guard's `list --explain` text layout (netpol-analyzer's txt explain output), from the
 * explanation objects of `why.ts`, with its focus options (`--focus-workload`,
 * `--focus-workload-peer`, `--focus-direction`, `--focus-conn`, `--explain-only`).
 */
import type { Protocol } from '../../parse/views/protocol';
import type { Workspace } from '../../workspace';
import { connectivityReport, type ConnectivityReport } from './evaluate';
import type { IPBlockReading } from './model';
import { readingSentence } from './reading';
import { networkLayout, peerNameIn, type NetworkLayout, type PairNetwork } from './network-layout';
import { compareIds, INGRESS_CONTROLLER, type PeerRef } from './peers';
import { secondaryNetworks, whySecondaryPair, workloadSecondaryNetworks } from './secondary';
import { intersectCollect, PortVerdicts, whyPair, type PairWhy, type RuleSet, type Segment } from './why';

const PROTOCOL_ORDER: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** The options of `connectivity --explain`, with np-guard's meaning. */
export interface ExplainOptions {
  readonly reading?: IPBlockReading;
  /** Keep pairs with one of these as source or destination (`name` or `namespace/name`). */
  readonly focusWorkloads?: readonly string[];
  /** With focusWorkloads: the other side must be one of these. */
  readonly focusWorkloadPeers?: readonly string[];
  /** With focusWorkloads: only their ingress (they are the destination) or egress (the source). */
  readonly focusDirection?: 'ingress' | 'egress';
  /** One protocol and port: explain only it. */
  readonly focusConn?: { protocol: Protocol; port: number };
  /** Only pairs (or the focus connection) allowed, or denied. */
  readonly explainOnly?: 'allow' | 'deny';
  /**
   * Our facts np-guard's layout has no line for (off by default, so the output stays np-guard's):
   * the ipBlock reading in force, under each pair with an address range.
   */
  readonly extraFacts?: boolean;
  /** np-guard's multiple-networks layout even when the workspace declares no user-defined network. */
  readonly multipleNetworks?: boolean;
}

/** Parses np-guard's `--focus-conn` value `<protocol>-<port>` (e.g. `udp-5353`). */
export function parseFocusConn(text: string): { protocol: Protocol; port: number } | undefined {
  const m = /^(tcp|udp|sctp)-(\d+)$/i.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { protocol: m[1]!.toUpperCase() as Protocol, port };
}

function peerName(p: PeerRef): { name: string; nsName: string } {
  if (p.kind === 'workload') {
    const ns = p.workload.object.namespace;
    return { name: p.workload.object.name, nsName: `${ns}/${p.workload.object.name}` };
  }
  if (p.kind === 'ingress-controller') return { name: 'ingress-controller', nsName: 'ingress-controller-ns/ingress-controller' };
  return { name: p.id, nsName: p.id };
}

function inList(p: PeerRef, list: readonly string[] | undefined): boolean {
  if (!list || list.length === 0) return true;
  const { name, nsName } = peerName(p);
  return list.some(x => x === name || x === nsName);
}

/** np-guard's includePairOfWorkloads: which ordered pairs the focus options keep. */
export function includePair(src: PeerRef, dst: PeerRef, o: ExplainOptions): boolean {
  if (src.kind === 'external' && dst.kind === 'external') return false;
  if (src.id === dst.id) return false;
  if (o.focusDirection === 'ingress' && !inList(dst, o.focusWorkloads)) return false;
  if (o.focusDirection === 'egress' && !inList(src, o.focusWorkloads)) return false;
  const peers = o.focusWorkloads && o.focusWorkloads.length ? o.focusWorkloadPeers : undefined;
  return (inList(src, o.focusWorkloads) && inList(dst, peers)) || (inList(dst, o.focusWorkloads) && inList(src, peers));
}

/**
 * The connectivity report as np-guard's `list` gives it under the focus options: the pairs
 * {@link includePair} keeps, and as workload peers (the nodes its dot output draws beside the
 * connections' own) only the focus workloads and, with `--focus-workload-peer`, those peers
 * (connlist.go: ca.peersList).
 */
export function focusedReport(report: ConnectivityReport, o: ExplainOptions): ConnectivityReport {
  if (!o.focusWorkloads || o.focusWorkloads.length === 0) return report;
  const peers = o.focusWorkloadPeers && o.focusWorkloadPeers.length ? o.focusWorkloadPeers : undefined;
  return {
    ...report,
    connections: report.connections.filter(c => includePair(c.src, c.dst, o)),
    peers: report.peers.filter(p => p.kind !== 'workload' || inList(p, o.focusWorkloads) || (peers !== undefined && inList(p, peers))),
  };
}

/** The layout's secondary-network connections restricted as {@link focusedReport} restricts the report. */
export function focusedLayout(layout: NetworkLayout | undefined, o: ExplainOptions): NetworkLayout | undefined {
  if (!layout || !o.focusWorkloads || o.focusWorkloads.length === 0) return layout;
  return { ...layout, secondary: layout.secondary.filter(c => includePair(c.src, c.dst, o)) };
}

/** The direction verdicts restricted to one protocol and port (other protocols absent). */
function focusOn(v: PortVerdicts, focus: { protocol: Protocol; port: number }): PortVerdicts {
  const seg = v.at(focus.protocol, focus.port);
  const out: Partial<Record<Protocol, readonly Segment[]>> = { [focus.protocol]: [{ ...seg, first: focus.port, last: focus.port }] };
  return PortVerdicts.fromPartial(out);
}

/** One class of ports with one verdict and the same deciding rules. */
export interface ExplainedClass {
  readonly allowed: boolean;
  readonly ports: ReadonlyMap<Protocol, Array<{ first: number; last: number }>>;
  readonly egress: RuleSet;
  readonly egressAllowed: boolean;
  readonly ingress: RuleSet;
  readonly ingressAllowed: boolean;
}

/** Groups the ports of a pair by (verdict, deciding rules of each direction). */
export function classesOf(w: PairWhy): ExplainedClass[] {
  type Entry = { c: ExplainedClass; ports: Map<Protocol, Array<{ first: number; last: number }>> };
  // Keyed by the verdicts and the rule sets' keys (cached per set), without building a string per port range.
  const classes = new Map<string, Map<string, Entry>>();
  const out: Entry[] = [];
  const both = w.egress.pairWith(w.ingress);
  for (const p of PROTOCOL_ORDER) {
    for (const s of both[p] ?? []) {
      const allowed = s.e.allowed && s.i.allowed;
      const outer = `${s.e.allowed ? 1 : 0}${s.i.allowed ? 1 : 0}${s.e.rules.key()}`;
      let inner = classes.get(outer);
      if (!inner) classes.set(outer, (inner = new Map()));
      let entry = inner.get(s.i.rules.key());
      if (!entry) {
        const ports = new Map<Protocol, Array<{ first: number; last: number }>>();
        entry = { c: { allowed, ports, egress: s.e.rules, egressAllowed: s.e.allowed, ingress: s.i.rules, ingressAllowed: s.i.allowed }, ports };
        inner.set(s.i.rules.key(), entry);
        out.push(entry);
      }
      const list = entry.ports.get(p) ?? [];
      const prev = list[list.length - 1];
      if (prev && prev.last + 1 === s.first) prev.last = s.last;
      else list.push({ first: s.first, last: s.last });
      entry.ports.set(p, list);
    }
  }
  return out.map(e => e.c);
}

function verdictWord(allowed: boolean): string {
  return allowed ? 'Allowed' : 'Denied';
}

/** np-guard's rendering of one direction's rules with its verdict. */
function directionText(rules: RuleSet, allowed: boolean): string {
  // np-guard gives a network isolation no verdict word: `Egress ` and the isolating networks.
  let out = rules.byNetwork() ? '' : `(${verdictWord(allowed)})`;
  if (rules.isEmpty()) return out;
  if (rules.onlyDefault()) return `${out} due to ${rules.rules[0]!.text}`;
  for (const g of rules.byKind()) {
    out += '\n\t\t\t';
    if (g.rules.length === 1) out += g.rules[0]!.text;
    else out += `${g.kind} list:\n` + g.rules.map(r => `\t\t\t\t- ${r.text}\n`).join('');
  }
  return out;
}

function rulesText(c: ExplainedClass): string {
  if (c.egress.onlyDefault() && c.ingress.onlyDefault()) return ` due to ${c.egress.rules[0]!.text}\n`;
  let res = '';
  if (!c.egress.isEmpty()) res += `\t\tEgress ${directionText(c.egress, c.egressAllowed)}\n`;
  if (!c.ingress.isEmpty()) res += `\t\tIngress ${directionText(c.ingress, c.ingressAllowed)}\n`;
  if (res === '') return '\n';
  const title = c.egress.byNetwork() ? 'existence of user defined networks:' : 'the following policies and rules:';
  return ` due to ${title}\n${res}`;
}

function portsText(ranges: Array<{ first: number; last: number }>): string {
  return ranges.map(r => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(',');
}

function connText(c: ExplainedClass): string {
  const parts: string[] = [];
  for (const p of PROTOCOL_ORDER) {
    const ranges = c.ports.get(p);
    if (!ranges || ranges.length === 0) continue;
    const full = ranges.length === 1 && ranges[0]!.first === 1 && ranges[0]!.last === 65535;
    parts.push(full ? p : `${p}:[${portsText(ranges)}]`);
  }
  return `\t${verdictWord(c.allowed)} ${parts.join(', ')}`;
}

/** The explanation of one pair in np-guard's words: the Allowed and Denied groups. */
export function explanationText(w: PairWhy): string {
  const classes = classesOf(w);
  let out = '';
  for (const allowed of [true, false]) {
    const lines = classes.filter(c => c.allowed === allowed).map(c => ({ conn: connText(c), rules: rulesText(c) }));
    if (lines.length === 0) continue;
    lines.sort((a, b) => (a.conn < b.conn ? -1 : a.conn > b.conn ? 1 : 0));
    out += `${verdictWord(allowed)} connections:\n` + lines.map(l => `${l.conn}${l.rules}\n`).join('');
  }
  return out;
}

function groupHeader(title: string): string {
  const line = `# ${title} #`;
  return `\n${'#'.repeat(line.length)}\n${line}\n${'#'.repeat(line.length)}\n`;
}

const PAIR_SEPARATOR = '-'.repeat(160) + '\n';

/** The pairs `connectivity --explain` reports, in np-guard's order, after the focus options. */
export function explainedPairs(ws: Workspace, o: ExplainOptions = {}): PairWhy[] {
  const report = connectivityReport(ws, o.reading ?? ws.settings.ipBlockReading);
  const workloads = report.peers.filter(p => p.kind === 'workload');
  if (workloads.length === 0) return [];
  const out: PairWhy[] = [];
  const keep = (w: PairWhy, fromController: boolean) => keepPair(w, o, fromController);
  for (const src of [...report.externalSources, ...workloads]) {
    for (const dst of [...report.externalDestinations, ...workloads]) {
      if (!includePair(src, dst, o)) continue;
      const w = whyPair(ws, src, dst, o.reading);
      if (w && keep(w, false)) out.push(w);
    }
  }
  for (const dst of workloads) {
    if (!includePair(INGRESS_CONTROLLER, dst, o)) continue;
    const w = whyPair(ws, INGRESS_CONTROLLER, dst, o.reading);
    if (!w || !w.egress.combine(w.ingress, intersectCollect).anyAllowed()) continue;
    if (keep(w, true)) out.push(w);
  }
  return focusShown(out, o).sort((a, b) => (a.src.id < b.src.id ? -1 : a.src.id > b.src.id ? 1 : a.dst.id < b.dst.id ? -1 : a.dst.id > b.dst.id ? 1 : 0));
}

/** Whether `--explain` reports a pair under `--focus-conn` and `--explain-only`. */
function keepPair(w: PairWhy, o: ExplainOptions, fromController: boolean): boolean {
  if (o.focusConn) {
    const e = w.egress.at(o.focusConn.protocol, o.focusConn.port);
    const i = w.ingress.at(o.focusConn.protocol, o.focusConn.port);
    const allowed = e.allowed && i.allowed;
    if (o.explainOnly === 'allow' && !allowed) return false;
    if (o.explainOnly === 'deny' && allowed) return false;
    return true;
  }
  // np-guard lists pairs on separate primary networks only under --focus-conn (they are denied by default).
  if (w.egress.at('TCP', 1).rules.byNetwork()) return false;
  const any = w.egress.combine(w.ingress, intersectCollect).anyAllowed();
  if (fromController) return any;
  if (!any && o.explainOnly === 'allow') return false;
  if (any && o.explainOnly === 'deny') return false;
  return true;
}

/** The pairs restricted to the focus connection, when there is one. */
function focusShown(pairs: PairWhy[], o: ExplainOptions): PairWhy[] {
  const focus = o.focusConn;
  if (!focus) return pairs;
  return pairs.map(w => ({ ...w, egress: focusOn(w.egress, focus), ingress: focusOn(w.ingress, focus), defaultOnly: false }));
}

/**
 * The pairs `--explain` reports on the secondary network `name`: every ordered pair of distinct
 * workloads attached to it, allowed or denied, after the focus options, sorted by source and
 * destination.
 */
export function explainedSecondaryPairs(ws: Workspace, report: ConnectivityReport, name: string, o: ExplainOptions = {}): PairWhy[] {
  const on = report.peers.filter(p => p.kind === 'workload' && workloadSecondaryNetworks(ws, p.workload).has(name));
  const out: PairWhy[] = [];
  for (const src of on) {
    for (const dst of on) {
      if (!includePair(src, dst, o)) continue;
      const w = whySecondaryPair(ws, src, dst, name);
      if (w && keepPair(w, o, false)) out.push(w);
    }
  }
  return focusShown(out, o).sort((a, b) => compareIds(a.src.id, b.src.id) || compareIds(a.dst.id, b.dst.id));
}

/** One network's part of the explain output: its explained pairs, then its system-default pairs. */
function explainSection(ws: Workspace, pairs: readonly PairWhy[], o: ExplainOptions, inNetwork: string, name: (w: PairWhy) => { src: string; dst: string; text: () => string }): string {
  let explained = '';
  const defaults: string[] = [];
  for (const w of pairs) {
    const n = name(w);
    if (w.defaultOnly) defaults.push(`${n.src} => ${n.dst}\n`);
    else {
      explained += `${PAIR_SEPARATOR}Connections between ${n.src} => ${n.dst}:\n\n${n.text()}`;
      if (o.extraFacts && (w.src.kind === 'external' || w.dst.kind === 'external')) {
        explained += `Note (kube-netlens): ${readingSentence(o.reading ?? ws.settings.ipBlockReading)}\n\n`;
      }
    }
  }
  let out = explained ? groupHeader(`Specific connections and their reasons${inNetwork}`) + explained : '';
  if (defaults.length) out += groupHeader(`All Connections due to the system default (Allow all)${inNetwork}`) + defaults.join('');
  return out;
}

/**
 * `netpol-analyzer list --explain` output, byte for byte (ends with a newline unless empty). When the
 * workspace declares user-defined networks, as np-guard's multiple-networks mode prints it: the pod
 * network's groups, then each primary UDN's and cluster UDN's (`in primary UDN blue`), peers of a UDN
 * named `<ns>[udn]/…`, and a closing note when pairs across isolated networks were left out.
 */
export function formatExplain(ws: Workspace, o: ExplainOptions = {}): string {
  const pairs = explainedPairs(ws, o);
  const report = connectivityReport(ws, o.reading ?? ws.settings.ipBlockReading);
  const layout = networkLayout(ws, report, o.multipleNetworks);
  if (!layout) {
    return explainSection(ws, pairs, o, '', w => ({ src: w.src.id, dst: w.dst.id, text: () => explanationText(w) }));
  }
  const byNetwork = new Map<string, { net: PairNetwork; pairs: PairWhy[] }>();
  for (const w of pairs) {
    const net = layout.pairNetwork(w.src, w.dst);
    const key = `${net.kind} ${net.name}`;
    const entry = byNetwork.get(key);
    if (entry) entry.pairs.push(w);
    else byNetwork.set(key, { net, pairs: [w] });
  }
  const named = (net: PairNetwork) => (w: PairWhy) => {
    const denied = !w.egress.combine(w.ingress, intersectCollect).anyAllowed();
    const src = peerNameIn(w.src, net, layout);
    const dst = peerNameIn(w.dst, net, layout, denied);
    const text = () => {
      const t = explanationText(w);
      return net.kind === 'UDN' ? t.split(w.src.id).join(src).split(w.dst.id).join(dst) : t;
    };
    return { src, dst, text };
  };
  let out = '';
  const order = (kind: PairNetwork['kind']) => [...byNetwork.values()].filter(e => e.net.kind === kind).sort((a, b) => compareIds(a.net.name, b.net.name));
  for (const kind of ['pod', 'UDN', 'CUDN'] as const) {
    for (const e of order(kind)) {
      const title = kind === 'pod' ? ` in ${e.net.name}` : ` in primary ${kind} ${e.net.name}`;
      const shown = e.pairs.map(w => ({ w, n: named(e.net)(w) })).sort((a, b) => compareIds(a.n.src, b.n.src) || compareIds(a.n.dst, b.n.dst));
      const names = new Map(shown.map(x => [x.w, x.n]));
      out += explainSection(ws, shown.map(x => x.w), o, title, w => names.get(w)!);
    }
  }
  // Secondary networks (NADs), by name: no system default there, every pair is explained.
  for (const name of [...secondaryNetworks(ws).keys()].sort(compareIds)) {
    const pairs = explainedSecondaryPairs(ws, report, name, o);
    out += explainSection(ws, pairs, o, ` in secondary NAD ${name}`, w => ({ src: w.src.id, dst: w.dst.id, text: () => explanationText(w) }));
  }
  if (!o.focusConn && crossesNetworks(report, layout, o)) {
    out += '\n*** Note: Connections between any peers from separate isolated networks are denied by default and therefore not listed in this report.';
  }
  return out;
}

/** Whether two workloads the focus options keep are on different primary networks (np-guard then adds its closing note). */
function crossesNetworks(report: ConnectivityReport, layout: NetworkLayout, o: ExplainOptions): boolean {
  const workloads = report.peers.filter(p => p.kind === 'workload');
  const nets = new Set(workloads.map(p => { const n = layout.networkOf(p)!; return `${n.kind} ${n.name}`; }));
  if (nets.size < 2) return false;
  for (const a of workloads) {
    const na = layout.networkOf(a)!;
    for (const b of workloads) {
      const nb = layout.networkOf(b)!;
      if ((na.kind !== nb.kind || na.name !== nb.name) && includePair(a, b, o)) return true;
    }
  }
  return false;
}
