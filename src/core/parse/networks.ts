/**
 * Typed views of OVN-Kubernetes user-defined networks (`k8s.ovn.org/v1`): a `UserDefinedNetwork`
 * (namespaced, one namespace's network) and a `ClusterUserDefinedNetwork` (cluster-scoped, the
 * namespaces its `namespaceSelector` picks). Only what decides isolation is read: the topology, the
 * role of its layer configuration, and which namespaces it serves.
 */
import { isKind } from './kinds';
import type { K8sObject } from './manifest';
import { labelSelector, type LabelSelector } from './views/selectors';
import { at, str } from './yaml';

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
