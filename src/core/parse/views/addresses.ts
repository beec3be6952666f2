/** Address-plan sources: every CIDR or IP value an object defines, with the role it plays. */
import type { Ranged, Span } from '../../span';
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, int, items, text } from '../yaml';
import { networkPolicyView } from './policy';
import { serviceView } from './service';

/** A CIDR or IP value found in a manifest, with what defined it. */
export interface AddressSource {
  readonly role:
    | 'podSubnet' | 'serviceSubnet' | 'clusterCIDR' | 'clusterDNS' | 'nodePodCIDR' | 'ipPool'
    | 'clusterIP' | 'loadBalancerIP' | 'externalIP' | 'loadBalancerSourceRange' | 'ipBlockCidr' | 'ipBlockExcept'
    | 'serviceCIDR' | 'endpointAddress' | 'endpointSliceAddress' | 'podIP';
  readonly object: K8sObject;
  readonly value: string;
  readonly span: Span;
  /** For IPPools, the block size (`blockSize`), when written. */
  readonly blockSize?: number;
}

/** Splits a comma-separated dual-stack list (`10.244.0.0/16,fd00::/48`) into ranged parts. */
export function splitList(r: Ranged<string>): Ranged<string>[] {
  const out: Ranged<string>[] = [];
  // The span of a scalar includes quotes when quoted; locate the value inside it by search.
  let pos = 0;
  for (const part of r.value.split(',')) {
    const trimmed = part.trim();
    const inPart = part.indexOf(trimmed);
    out.push({ value: trimmed, span: { start: r.span.start + pos + inPart, end: r.span.start + pos + inPart + trimmed.length } });
    pos += part.length + 1;
  }
  return out;
}

/** Every address or range an object defines, in text order. */
export function addressSources(o: K8sObject): AddressSource[] {
  const doc = o.doc;
  const out: AddressSource[] = [];
  const add = (role: AddressSource['role'], r: Ranged<string> | undefined, list = false, blockSize?: number) => {
    if (!r) return;
    const parts = list ? splitList(r) : [r];
    for (const p of parts) if (p.value) out.push({ role, object: o, value: p.value, span: p.span, ...(blockSize !== undefined ? { blockSize } : {}) });
  };
  if (!isKind(o, o.kind)) return out;
  switch (o.kind) {
    case 'ClusterConfiguration': {
      const net = at(doc, o.node, 'networking');
      add('podSubnet', text(doc, at(doc, net, 'podSubnet')), true);
      add('serviceSubnet', text(doc, at(doc, net, 'serviceSubnet')), true);
      break;
    }
    case 'KubeProxyConfiguration':
      add('clusterCIDR', text(doc, at(doc, o.node, 'clusterCIDR')), true);
      break;
    case 'KubeletConfiguration':
      for (const ip of items(doc, at(doc, o.node, 'clusterDNS'))) add('clusterDNS', text(doc, ip));
      break;
    case 'Node': {
      const cidrs = items(doc, at(doc, o.node, 'spec', 'podCIDRs'));
      if (cidrs.length) for (const c of cidrs) add('nodePodCIDR', text(doc, c));
      else add('nodePodCIDR', text(doc, at(doc, o.node, 'spec', 'podCIDR')));
      break;
    }
    case 'IPPool':
      add('ipPool', text(doc, at(doc, o.node, 'spec', 'cidr')), false, int(doc, at(doc, o.node, 'spec', 'blockSize'))?.value);
      break;
    case 'Installation':
      for (const p of items(doc, at(doc, o.node, 'spec', 'calicoNetwork', 'ipPools'))) {
        add('ipPool', text(doc, at(doc, p, 'cidr')), false, int(doc, at(doc, p, 'blockSize'))?.value);
      }
      break;
    case 'Service': {
      const s = serviceView(o)!;
      if (s.clusterIPs.length) for (const ip of s.clusterIPs) { if (ip.value !== 'None') add('clusterIP', ip); }
      else if (s.clusterIP && s.clusterIP.value !== 'None' && s.clusterIP.value !== '') add('clusterIP', s.clusterIP);
      add('loadBalancerIP', s.loadBalancerIP);
      for (const ip of s.externalIPs) add('externalIP', ip);
      for (const r of items(doc, at(doc, o.node, 'spec', 'loadBalancerSourceRanges'))) add('loadBalancerSourceRange', text(doc, r));
      break;
    }
    case 'ServiceCIDR':
      // networking.k8s.io ServiceCIDR (GA in 1.33): ranges Services get clusterIPs from.
      for (const c of items(doc, at(doc, o.node, 'spec', 'cidrs'))) add('serviceCIDR', text(doc, c));
      break;
    case 'Endpoints':
      for (const subset of items(doc, at(doc, o.node, 'subsets'))) {
        for (const key of ['addresses', 'notReadyAddresses']) {
          for (const a of items(doc, at(doc, subset, key))) add('endpointAddress', text(doc, at(doc, a, 'ip')));
        }
      }
      break;
    case 'EndpointSlice': {
      // FQDN slices list host names, not addresses.
      const type = text(doc, at(doc, o.node, 'addressType'))?.value;
      if (type !== 'IPv4' && type !== 'IPv6') break;
      for (const ep of items(doc, at(doc, o.node, 'endpoints'))) {
        for (const a of items(doc, at(doc, ep, 'addresses'))) add('endpointSliceAddress', text(doc, a));
      }
      break;
    }
    case 'Pod': {
      // What kubelet reported (a dump of a live cluster): status.podIPs, podIP its first entry.
      const ips = items(doc, at(doc, o.node, 'status', 'podIPs'));
      if (ips.length) for (const ip of ips) add('podIP', text(doc, at(doc, ip, 'ip')));
      else add('podIP', text(doc, at(doc, o.node, 'status', 'podIP')));
      break;
    }
    case 'NetworkPolicy': {
      const p = networkPolicyView(o)!;
      for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
        for (const peer of rule.peers ?? []) {
          if (!peer.ipBlock) continue;
          add('ipBlockCidr', peer.ipBlock.cidr);
          for (const e of peer.ipBlock.except) add('ipBlockExcept', e);
        }
      }
      break;
    }
  }
  return out;
}
