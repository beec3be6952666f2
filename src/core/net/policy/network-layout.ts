/**
 * How np-guard lays out connectivity when the input declares user-defined networks (its
 * multiple-networks mode, `connlist/conns_formatter*.go`): each connection belongs to one network
 * (the pod network, or the primary UDN / cluster UDN of its workload side), the txt list has one
 * section per network, csv and md gain a `network` column, a workload of a namespace-scoped UDN is
 * named `<ns>[udn]/<name>[<Kind>]`, and the txt list ends with the Workload-to-Networks Mapping.
 * These are facts about the report; `format.ts` and `format-explain.ts` put them into np-guard's words.
 */
import type { Workspace } from '../../workspace';
import type { ConnectivityReport } from './evaluate';
import type { ConnectionSet } from './connections';
import { primaryNetworks, userDefinedNetworks } from './networks';
import { secondaryConns, secondaryNetworks, workloadSecondaryNetworks } from './secondary';
import type { PeerRef } from './peers';

/** The network a connection is analysed in. */
export interface PairNetwork {
  /** `NAD`: a secondary network (only in {@link NetworkLayout.secondary}'s rows). */
  readonly kind: 'pod' | 'UDN' | 'CUDN' | 'NAD';
  /** `pod-network`, the UDN's namespace, the cluster UDN's name, or the NAD's name. */
  readonly name: string;
}

/** A connection on a secondary network (a NetworkAttachmentDefinition both workloads attach to). */
export interface SecondaryConnection {
  readonly src: PeerRef;
  readonly dst: PeerRef;
  readonly conns: ConnectionSet;
  /** The NAD's name. */
  readonly name: string;
}

export const POD_NETWORK: PairNetwork = Object.freeze({ kind: 'pod', name: 'pod-network' } as const);

/** The networks of a workspace's workloads, for the multiple-networks layout. */
export interface NetworkLayout {
  /** The primary network of a peer (external addresses and the ingress controller: undefined). */
  networkOf(p: PeerRef): PairNetwork | undefined;
  /**
   * The network a connection between `src` and `dst` is analysed in: the source's user-defined
   * network, else the destination's, else the pod network (a pair denied across networks is listed
   * under the network that isolates it, the source's first).
   */
  pairNetwork(src: PeerRef, dst: PeerRef): PairNetwork;
  /** Workload id → its primary network as the mapping block names it (`pod-network`, `blue[UDN]`, `tenant[CUDN]`), sorted by id. */
  readonly mapping: ReadonlyArray<readonly [string, string]>;
  /** Workload id → its secondary networks (`name[NAD]`, sorted); workloads on none are absent. */
  readonly secondaryMapping: ReadonlyMap<string, readonly string[]>;
  /** The connections on secondary networks, sorted by source id, destination id, network name. */
  readonly secondary: readonly SecondaryConnection[];
  /** How many workloads are on the pod network. */
  readonly podNetworkWorkloads: number;
}

/** `ns/name[Kind]` → `ns[udn]/name[Kind]` (np-guard's addUDNLabelToPeerStr). */
export function udnLabelled(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : `${id.slice(0, slash)}[udn]${id.slice(slash)}`;
}

/**
 * A peer's name in a connection of `net` (np-guard's formSingleP2PConn): a workload of the
 * namespace a UDN serves carries `[udn]`; `deniedDst` also labels a destination on another UDN
 * (explain pairs fully denied across networks).
 */
export function peerNameIn(p: PeerRef, net: PairNetwork, layout: NetworkLayout, deniedDst = false): string {
  if (p.kind !== 'workload' || net.kind !== 'UDN') return p.id;
  const own = layout.networkOf(p);
  if (p.workload.object.namespace === net.name || (deniedDst && own?.kind === 'UDN')) return udnLabelled(p.id);
  return p.id;
}

/**
 * The layout of `report`, or undefined when the workspace declares no user-defined network and
 * `always` is not set (np-guard's single-network output then applies unchanged). `always` is
 * np-guard's multiple-networks option (`WithMultipleNetworks`) given explicitly.
 */
export function networkLayout(ws: Workspace, report: ConnectivityReport, always = false): NetworkLayout | undefined {
  if (!always && userDefinedNetworks(ws).length === 0 && secondaryNetworks(ws).size === 0) return undefined;
  const primaries = primaryNetworks(ws);
  const networkOf = (p: PeerRef): PairNetwork | undefined => {
    if (p.kind !== 'workload') return undefined;
    const n = primaries.get(p.workload.object.namespace);
    return n ? { kind: n.kind, name: n.name } : POD_NETWORK;
  };
  const mapping: Array<readonly [string, string]> = [];
  let podNetworkWorkloads = 0;
  for (const p of report.peers) {
    const n = networkOf(p);
    if (!n) continue;
    if (n.kind === 'pod') podNetworkWorkloads++;
    mapping.push([p.id, n.kind === 'pod' ? n.name : `${n.name}[${n.kind}]`]);
  }
  mapping.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Secondary networks: every ordered pair of distinct workloads, once per network both are on.
  const secondaryMapping = new Map<string, readonly string[]>();
  const secondary: SecondaryConnection[] = [];
  const onSecondary = report.peers.flatMap(p => {
    if (p.kind !== 'workload') return [];
    const nets = [...workloadSecondaryNetworks(ws, p.workload).keys()];
    if (nets.length === 0) return [];
    secondaryMapping.set(p.id, nets.map(n => `${n}[NAD]`).sort());
    return [{ p, nets }];
  });
  for (const a of onSecondary) {
    for (const b of onSecondary) {
      if (a === b || a.p.kind !== 'workload' || b.p.kind !== 'workload') continue;
      for (const net of a.nets) {
        if (!b.nets.includes(net)) continue;
        const conns = secondaryConns(ws, a.p.workload, b.p.workload, net);
        if (!conns.isEmpty()) secondary.push({ src: a.p, dst: b.p, conns, name: net });
      }
    }
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  secondary.sort((x, y) => cmp(x.src.id, y.src.id) || cmp(x.dst.id, y.dst.id) || cmp(x.name, y.name));
  return {
    secondaryMapping,
    secondary,
    networkOf,
    pairNetwork: (src, dst) => {
      const a = networkOf(src);
      const b = networkOf(dst);
      return a && a.kind !== 'pod' ? a : b && b.kind !== 'pod' ? b : POD_NETWORK;
    },
    mapping,
    podNetworkWorkloads,
  };
}
