/**
 * Primary user-defined networks (OVN-Kubernetes UDN and cluster UDN), as np-guard reads them
 * (`pkg/netpol/eval/resources.go`, `check.go`): a namespace served by a primary network is
 * isolated from every other network on its pods' primary interface. Two pods connect on it only
 * when both are in the cluster's pod network, both in the same namespace of one UDN, or both in
 * namespaces of one cluster UDN; external addresses and the ingress controller reach every network.
 *
 * A network is taken as primary for a namespace only as OVN-Kubernetes takes it: its role is
 * `Primary`, its topology (`Layer2`/`Layer3`) matches its layer configuration, the namespace is
 * declared with the label `k8s.ovn.org/primary-user-defined-network`, and it is neither `default`
 * nor `openshift-*`. The first network to claim a namespace keeps it (UDNs before cluster UDNs, in
 * workspace order); np-guard rejects the input where a second one does.
 */
import { userDefinedNetworkView, type UserDefinedNetworkView } from '../../parse/networks';
import { selectorMatches } from '../selectors';
import type { Workspace } from '../../workspace';

/** The label a namespace must carry (at creation) to be served by a primary user-defined network. */
export const PRIMARY_UDN_LABEL = 'k8s.ovn.org/primary-user-defined-network';

export interface PrimaryNetwork {
  readonly kind: 'UDN' | 'CUDN';
  /** np-guard's network name: the namespace for a UDN, the object's name for a cluster UDN. */
  readonly name: string;
  readonly view: UserDefinedNetworkView;
}

/** Whether two namespaces' pods share a primary network (undefined: the cluster's pod network). */
export function samePrimaryNetwork(a: PrimaryNetwork | undefined, b: PrimaryNetwork | undefined, nsA: string, nsB: string): boolean {
  if (!a || !b) return !a && !b;
  if (a.kind !== b.kind) return false;
  return a.kind === 'UDN' ? nsA === nsB : a.name === b.name;
}

/**
 * The user-defined networks of the workspace, in workspace order; read once per parsed file and
 * kept across changes to files that have none (a keystroke does not pass over every object).
 */
export function userDefinedNetworks(ws: Workspace): readonly UserDefinedNetworkView[] {
  return ws.collected('policy:udn:views', e => e.manifest.objects.flatMap(o => {
    const v = userDefinedNetworkView(o);
    return v ? [v] : [];
  }));
}

function servesAsPrimary(v: UserDefinedNetworkView): boolean {
  return v.role === 'Primary' && v.layersMatch;
}

function mayServe(ns: string): boolean {
  return ns !== 'default' && !ns.startsWith('openshift-');
}

/** Namespace → its primary user-defined network; namespaces in the pod network are absent. Cached per generation. */
export function primaryNetworks(ws: Workspace): ReadonlyMap<string, PrimaryNetwork> {
  return ws.derived('policy:udn:primary', () => {
    const out = new Map<string, PrimaryNetwork>();
    const views = userDefinedNetworks(ws);
    if (views.length === 0) return out;
    const namespaces = ws.namespaces;
    const labelled = (ns: string) => {
      const info = namespaces.get(ns);
      return !!info && info.objects.length > 0 && PRIMARY_UDN_LABEL in info.labels;
    };
    for (const v of views) {
      if (v.kind !== 'UserDefinedNetwork' || !servesAsPrimary(v)) continue;
      const ns = v.object.namespace;
      if (v.object.name === 'default' || !mayServe(ns) || !labelled(ns) || out.has(ns)) continue;
      out.set(ns, { kind: 'UDN', name: ns, view: v });
    }
    for (const v of views) {
      if (v.kind !== 'ClusterUserDefinedNetwork' || !servesAsPrimary(v) || !v.namespaceSelector) continue;
      const sel = v.namespaceSelector;
      const selectsAll = Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
      // A cluster UDN over every namespace beside another primary network is rejected (np-guard: fatal).
      if (selectsAll && out.size > 0) continue;
      for (const [ns, info] of namespaces) {
        if (!selectorMatches(sel, info.labels) || out.has(ns) || !labelled(ns) || !mayServe(ns)) continue;
        out.set(ns, { kind: 'CUDN', name: v.object.name, view: v });
      }
    }
    return out;
  });
}

