/**
 * The connectivity diff across secondary networks (NetworkAttachmentDefinitions). np-guard's `diff`
 * keys a connection by its source and destination only, so a pair connected on two networks keeps
 * one of them, and which one is not defined; here each network is compared on its own: a pair's
 * flows on the pod (or primary user-defined) network and on each NAD are separate rows, each carrying
 * its network, and the outputs gain np-guard's multiple-networks `network` field. Where a pair is
 * connected on one network on each side, the rows are the ones np-guard prints, plus that field.
 */
import type { Workspace } from '../../workspace';
import type { ConnectionSet } from './connections';
import { connectivityDiff, pairDiffs, type ConnectivityDiff, type PairDiff } from './diff';
import type { IPBlockReading } from './model';
import { networkLayout, type NetworkLayout } from './network-layout';
import type { PeerRef } from './peers';
import { secondaryNetworks } from './secondary';

/**
 * `d` (the diff of `before` and `after`) with the flows on secondary networks added and every row
 * naming its network; `d` unchanged when neither side declares a NetworkAttachmentDefinition.
 */
export function withSecondaryNetworks(d: ConnectivityDiff, before: Workspace, after: Workspace): ConnectivityDiff {
  if (secondaryNetworks(before).size === 0 && secondaryNetworks(after).size === 0) return d;
  const l1 = networkLayout(before, d.before, true)!;
  const l2 = networkLayout(after, d.after, true)!;
  // A primary row is on the network of the side that has the flow (after, when both do).
  const primary = d.pairs.map(p => ({ ...p, network: (p.after ? l2 : l1).pairNetwork(p.src, p.dst) }));
  const flows = new Map<string, { src: PeerRef; dst: PeerRef; name: string; before?: ConnectionSet; after?: ConnectionSet }>();
  const add = (layout: NetworkLayout, side: 'before' | 'after') => {
    for (const c of layout.secondary) {
      const key = `${c.src.id}\u0000${c.dst.id}\u0000${c.name}`;
      const f = flows.get(key) ?? { src: c.src, dst: c.dst, name: c.name };
      f[side] = c.conns;
      flows.set(key, f);
    }
  };
  add(l1, 'before');
  add(l2, 'after');
  // Secondary-network peers are workloads: the primary diff's new-or-lost reading applies as is.
  const names = [...flows.values()].map(f => f.name);
  const secondary: PairDiff[] = pairDiffs(flows.values(), d.before, d.after)
    .map((p, i): PairDiff => ({ ...p, network: { kind: 'NAD', name: names[i]! } }));
  return { ...d, pairs: [...primary, ...secondary] };
}

/**
 * The diff of `after` against `before` on every network: {@link connectivityDiff} with the flows on
 * secondary networks ({@link withSecondaryNetworks}). What `kube-netlens diff` and the editor's
 * comparisons with git (status bar, CodeLens, the diagram's changes mode) compare.
 */
export function connectivityDiffAllNetworks(before: Workspace, after: Workspace, reading?: IPBlockReading): ConnectivityDiff {
  return withSecondaryNetworks(connectivityDiff(before, after, reading), before, after);
}
