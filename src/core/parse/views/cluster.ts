/** Cluster configuration: the cluster domain (kubeadm, kubelet) and kube-controller-manager's node CIDR mask flags. */
import type { Ranged } from '../../span';
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, entries, items, str, text } from '../yaml';

export interface ClusterNetworking {
  readonly object: K8sObject;
  readonly dnsDomain: Ranged<string> | undefined;
}

/** The cluster domain an object sets: kubeadm `networking.dnsDomain` or kubelet `clusterDomain`. */
export function clusterDomainOf(o: K8sObject): Ranged<string> | undefined {
  if (isKind(o, 'ClusterConfiguration')) return str(o.doc, at(o.doc, o.node, 'networking', 'dnsDomain'));
  if (isKind(o, 'KubeletConfiguration')) return str(o.doc, at(o.doc, o.node, 'clusterDomain'));
  return undefined;
}

/**
 * kube-controller-manager node CIDR mask sizes when a kubeadm ClusterConfiguration sets them:
 * `node-cidr-mask-size-ipv4`/`-ipv6`, and `single`, the plain `node-cidr-mask-size`, which applies
 * to the one family of a single-stack cluster (IPv4 or IPv6; dual-stack clusters refuse it).
 */
export function nodeCidrMaskSizes(o: K8sObject): { v4?: number; v6?: number; single?: number } {
  if (!isKind(o, 'ClusterConfiguration')) return {};
  const extra = at(o.doc, o.node, 'controllerManager', 'extraArgs');
  const out: { v4?: number; v6?: number; single?: number } = {};
  const read = (key: string): number | undefined => {
    // kubeadm v1beta3: a map; v1beta4: a list of {name, value}.
    for (const [k, , v] of entries(o.doc, extra)) if (k === key) return Number(text(o.doc, v)?.value);
    for (const arg of items(o.doc, extra)) {
      if (str(o.doc, at(o.doc, arg, 'name'))?.value === key) return Number(text(o.doc, at(o.doc, arg, 'value'))?.value);
    }
    return undefined;
  };
  const single = read('node-cidr-mask-size');
  const v4 = read('node-cidr-mask-size-ipv4');
  const v6 = read('node-cidr-mask-size-ipv6');
  if (v4 !== undefined && Number.isInteger(v4)) out.v4 = v4;
  if (v6 !== undefined && Number.isInteger(v6)) out.v6 = v6;
  if (single !== undefined && Number.isInteger(single)) out.single = single;
  return out;
}
