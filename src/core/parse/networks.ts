/**
 * Typed views of OVN-Kubernetes user-defined networks (`k8s.ovn.org/v1`): a `UserDefinedNetwork`
 * (namespaced, one namespace's network) and a `ClusterUserDefinedNetwork` (cluster-scoped, the
 * namespaces its `namespaceSelector` picks). Only what decides isolation is read: the topology, the
 * role of its layer configuration, and which namespaces it serves.
 */
import { isKind } from './kinds';
import type { K8sObject } from './manifest';
import { labelSelector, type LabelSelector } from './views/selectors';
import { at, items, str } from './yaml';

export interface UserDefinedNetworkView {
  readonly object: K8sObject;
  readonly kind: 'UserDefinedNetwork' | 'ClusterUserDefinedNetwork';
  /** `spec.topology` (`spec.network.topology` for a cluster UDN) as written. */
  readonly topology: string | undefined;
  /** The role of the layer configuration `topology` names (`Primary` or `Secondary` when valid). */
  readonly role: string | undefined;
  /** Whether the layer configuration present matches `topology` (Layer2 has `layer2` only, Layer3 `layer3` only). */
  readonly layersMatch: boolean;
  /** For a cluster UDN: the namespaces it serves. */
  readonly namespaceSelector: LabelSelector | undefined;
}

/** The user-defined network `o` declares, or undefined when `o` is not one. */
export function userDefinedNetworkView(o: K8sObject): UserDefinedNetworkView | undefined {
  const kind = o.kind === 'UserDefinedNetwork' || o.kind === 'ClusterUserDefinedNetwork' ? o.kind : undefined;
  if (!kind || !isKind(o, kind)) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const network = kind === 'UserDefinedNetwork' ? spec : at(doc, spec, 'network');
  const topology = str(doc, at(doc, network, 'topology'))?.value;
  const layer2 = at(doc, network, 'layer2');
  const layer3 = at(doc, network, 'layer3');
  const present = (n: unknown) => n !== undefined && n !== null;
  const layer = topology === 'Layer2' ? layer2 : topology === 'Layer3' ? layer3 : undefined;
  const layersMatch = (topology === 'Layer2' && !present(layer3)) || (topology === 'Layer3' && !present(layer2));
  const selectorNode = kind === 'ClusterUserDefinedNetwork' ? at(doc, spec, 'namespaceSelector') : undefined;
  return {
    object: o, kind, topology, layersMatch,
    role: str(doc, at(doc, layer, 'role'))?.value,
    namespaceSelector: kind === 'ClusterUserDefinedNetwork' ? labelSelector(doc, selectorNode) : undefined,
  };
}

/**
 * Secondary networks (Multus), as np-guard reads them (`pkg/netpol/eval/internal/k8s/pod.go`,
 * `multi_netpol.go`, `eval/resources.go`). Parsing only: the engine does not analyse them yet.
 */

/** The pod annotation that attaches a pod to NetworkAttachmentDefinitions. */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** The MultiNetworkPolicy annotation naming the networks it applies to. */
export const POLICY_FOR_ANNOTATION = 'k8s.v1.cni.cncf.io/policy-for';

/** One network a pod attaches to through {@link NETWORKS_ANNOTATION}. */
export interface NetworkAttachment {
  /** The NetworkAttachmentDefinition's name. */
  readonly name: string;
  /** Its namespace when written (`ns/name` or `"namespace"`); undefined: the pod's namespace. */
  readonly namespace: string | undefined;
  /** The addresses requested (`"ips"`, JSON form only), as written (may carry a prefix length). */
  readonly ips: readonly string[];
}

/**
 * The networks `value` (a {@link NETWORKS_ANNOTATION} value) attaches a pod to, keyed by network
 * name (a later entry of the same name replaces an earlier one), in first-seen order; undefined
 * when the JSON form does not parse (np-guard rejects the input). Two forms: a JSON list of
 * `{name, namespace, ips}` (taken whenever the value contains `[`, `{` or `"`), else a comma list
 * of `[ns/]name[@ifname]`.
 */
export function networkAttachments(value: string): NetworkAttachment[] | undefined {
  if (value === '') return [];
  const out = new Map<string, NetworkAttachment>();
  if (/[[{"]/.test(value)) {
    let parsed: unknown;
    try { parsed = JSON.parse(value); } catch { return undefined; }
    if (!Array.isArray(parsed)) return undefined;
    for (const e of parsed) {
      if (!e || typeof e !== 'object') return undefined;
      const rec = e as Record<string, unknown>;
      const name = typeof rec.name === 'string' ? rec.name : '';
      const namespace = typeof rec.namespace === 'string' && rec.namespace !== '' ? rec.namespace : undefined;
      const ips = Array.isArray(rec.ips) ? rec.ips.filter((x): x is string => typeof x === 'string') : [];
      if (name !== '') out.set(name, { name, namespace, ips });
    }
    return [...out.values()];
  }
  for (const part of value.split(',')) {
    const network = part.trim().split('@')[0]!;
    const slash = network.indexOf('/');
    const name = slash < 0 ? network : network.split('/')[1]!;
    const namespace = slash < 0 ? undefined : network.slice(0, slash);
    out.set(name, { name, namespace, ips: [] });
  }
  return [...out.values()];
}

/** One network a MultiNetworkPolicy targets: `name` or `ns/name` of its {@link POLICY_FOR_ANNOTATION}. */
export interface PolicyForTarget {
  readonly name: string;
  /** undefined: the policy's own namespace. */
  readonly namespace: string | undefined;
}

/** The networks a {@link POLICY_FOR_ANNOTATION} value names; undefined when it is missing or empty (np-guard: an error). */
export function policyForTargets(value: string | undefined): PolicyForTarget[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value.split(',').map(net => {
    if (!net.includes('/')) return { name: net, namespace: undefined };
    const [ns, name] = net.split('/');
    return { name: name!, namespace: ns! };
  });
}

/** A NetworkAttachmentDefinition (`k8s.cni.cncf.io`): a secondary network, named cluster-wide by its name, defined in its namespace. */
export interface NetworkAttachmentDefinitionView {
  readonly object: K8sObject;
  readonly name: string;
  readonly namespace: string;
}

/** The NetworkAttachmentDefinition `o` declares, or undefined when `o` is not one (read by kind, as np-guard's parser does). */
export function networkAttachmentDefinitionView(o: K8sObject): NetworkAttachmentDefinitionView | undefined {
  if (o.kind !== 'NetworkAttachmentDefinition') return undefined;
  return { object: o, name: o.name, namespace: o.namespace };
}

/**
 * The Multus networks of a KubeVirt VirtualMachine (`spec.template.spec.networks[].multus.networkName`),
 * as np-guard reads them (`updateVirtualMachineSecondaryNetworks`): each keyed by the name as written
 * (so `ns/name` never names a NAD, np-guard looking networks up by that key), every one with the
 * addresses of the cloud-init `networkData` interfaces other than `eth0` (`a.b.c.d/n` strings).
 */
export function virtualMachineAttachments(o: K8sObject): NetworkAttachment[] {
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec', 'template', 'spec');
  const ips: string[] = [];
  for (const v of items(doc, at(doc, spec, 'volumes'))) {
    const data = str(doc, at(doc, v, 'cloudInitNoCloud', 'networkData'))?.value;
    if (!data) continue;
    let current = '';
    for (const raw of data.split('\n')) {
      const line = raw.trim();
      if (line.endsWith(':')) { current = line.slice(0, -1); continue; }
      if (current !== '' && current !== 'eth0') ips.push(...(line.match(/\b(\d{1,3}\.){3}\d{1,3}\/\d{1,2}\b/g) ?? []));
    }
  }
  const out = new Map<string, NetworkAttachment>();
  for (const n of items(doc, at(doc, spec, 'networks'))) {
    const written = str(doc, at(doc, n, 'multus', 'networkName'))?.value;
    if (written === undefined) continue;
    const slash = written.indexOf('/');
    out.set(written, { name: written, namespace: slash < 0 ? undefined : written.split('/')[0], ips });
  }
  return [...out.values()];
}
