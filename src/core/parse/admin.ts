/**
 * Typed views of the cluster-wide policy kinds of the network-policy-api
 * (`policy.networking.k8s.io`): `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy` (v1alpha1) and
 * `ClusterNetworkPolicy` (v1alpha2, tiers `Admin` and `Baseline`), read into one shape; and the
 * recognition of Calico (`projectcalico.org/v3`) and Cilium (`cilium.io/v2`) policies, which the
 * engine does not evaluate. Views are total: a half-typed object gives the fields it has, with
 * spans, and `fieldCount`s let the validation rule say "exactly one field" at the right node.
 */
import type { Ranged, Span } from '../span';
import { asProtocol, type Protocol } from './views/protocol';
import { labelSelector, type LabelSelector } from './views/selectors';
import type { K8sObject } from './manifest';
import { at, entries, int, items, pairOf, spanOf, str, text, type YDoc } from './yaml';

export const ADMIN_GROUP = 'policy.networking.k8s.io';

export type AdminKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
export type AdminTier = 'admin' | 'baseline';
/** Actions normalised: v1alpha2 `Accept` is `Allow`. */
export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/** `pods`: a namespace selector AND a pod selector. */
export interface NamespacedPods {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
  readonly span: Span;
}

/** A subject or a rule peer: exactly one field should be set (`fieldCount`). */
export interface AdminPeer {
  readonly namespaces: LabelSelector | undefined;
  readonly pods: NamespacedPods | undefined;
  readonly nodes: LabelSelector | undefined;
  readonly networks: readonly Ranged<string>[] | undefined;
  readonly domainNames: readonly Ranged<string>[] | undefined;
  /** Fields set among namespaces, pods, nodes, networks, domainNames. */
  readonly fieldCount: number;
  readonly span: Span;
}

export interface AdminPort {
  /** `invalid`: no field or several fields set. */
  readonly kind: 'number' | 'named' | 'range' | 'invalid';
  /** TCP when absent; undefined for an unknown protocol. */
  readonly protocol: Protocol | undefined;
  readonly protocolText: Ranged<string> | undefined;
  readonly port: Ranged<number> | undefined;
  readonly start: Ranged<number> | undefined;
  readonly end: Ranged<number> | undefined;
  readonly name: Ranged<string> | undefined;
  readonly fieldCount: number;
  readonly span: Span;
}

export interface AdminRule {
  readonly direction: 'ingress' | 'egress';
  readonly index: number;
  readonly name: Ranged<string> | undefined;
  readonly action: Ranged<string> | undefined;
  /** The action understood for this kind (undefined: unknown, or `Pass` in a BANP). */
  readonly actionValue: AdminAction | undefined;
  /** `from`/`to`; undefined when absent or null. */
  readonly peers: readonly AdminPeer[] | undefined;
  readonly peersSpan: Span | undefined;
  /** The `from`/`to` key. */
  readonly peersKeySpan: Span | undefined;
  /** `ports` (v1alpha1) or `protocols` (v1alpha2); undefined when absent (every port). */
  readonly ports: readonly AdminPort[] | undefined;
  readonly portsSpan: Span | undefined;
  readonly span: Span;
}

export interface AdminPolicy {
  readonly object: K8sObject;
  readonly kind: AdminKind;
  readonly tier: AdminTier;
  /** `spec.priority` (absent in a BANP). */
  readonly priority: Ranged<number> | undefined;
  readonly prioritySpan: Span | undefined;
  readonly subject: AdminPeer | undefined;
  readonly subjectSpan: Span | undefined;
  readonly tierText: Ranged<string> | undefined;
  readonly ingress: readonly AdminRule[];
  readonly ingressSpan: Span | undefined;
  readonly egress: readonly AdminRule[];
  readonly egressSpan: Span | undefined;
  /** Keys of `spec`, `subject`, `ingress`, `egress`, `priority`, for findings about absent or overfull values. */
  readonly keySpans: Readonly<Record<'spec' | 'subject' | 'ingress' | 'egress' | 'priority' | 'tier', Span | undefined>>;
}

function group(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The kind of an object if it is one of the network-policy-api's cluster-wide policies. */
export function adminKindOf(o: K8sObject): AdminKind | undefined {
  const g = group(o.apiVersion);
  if (g.group !== ADMIN_GROUP) return undefined;
  if ((o.kind === 'AdminNetworkPolicy' || o.kind === 'BaselineAdminNetworkPolicy') && g.version === 'v1alpha1') return o.kind;
  if (o.kind === 'ClusterNetworkPolicy' && g.version === 'v1alpha2') return o.kind;
  return undefined;
}

function present(n: unknown): boolean {
  return n !== undefined && n !== null;
}

function strings(doc: YDoc, node: unknown): Ranged<string>[] | undefined {
  if (!present(node)) return undefined;
  return items(doc, node).map(v => text(doc, v)).filter((v): v is Ranged<string> => !!v);
}

function peerOf(doc: YDoc, node: unknown): AdminPeer {
  const ns = at(doc, node, 'namespaces');
  const pods = at(doc, node, 'pods');
  const nodes = at(doc, node, 'nodes');
  const networks = at(doc, node, 'networks');
  const domains = at(doc, node, 'domainNames');
  return {
    namespaces: present(ns) ? labelSelector(doc, ns) : undefined,
    pods: present(pods) ? {
      namespaceSelector: labelSelector(doc, at(doc, pods, 'namespaceSelector')),
      podSelector: labelSelector(doc, at(doc, pods, 'podSelector')),
      span: spanOf(pods) ?? { start: 0, end: 0 },
    } : undefined,
    nodes: present(nodes) ? labelSelector(doc, nodes) : undefined,
    networks: strings(doc, networks),
    domainNames: strings(doc, domains),
    fieldCount: [ns, pods, nodes, networks, domains].filter(present).length,
    span: spanOf(node) ?? { start: 0, end: 0 },
  };
}

const NO_PORT = { port: undefined, start: undefined, end: undefined, name: undefined };

/** v1alpha1 `ports` items: exactly one of portNumber, namedPort, portRange. */
function v1alpha1Port(doc: YDoc, node: unknown): AdminPort {
  const num = at(doc, node, 'portNumber');
  const named = at(doc, node, 'namedPort');
  const range = at(doc, node, 'portRange');
  const fieldCount = [num, named, range].filter(present).length;
  const span = spanOf(node) ?? { start: 0, end: 0 };
  const protoNode = present(num) ? at(doc, num, 'protocol') : present(range) ? at(doc, range, 'protocol') : undefined;
  const protocolText = str(doc, protoNode);
  const protocol = asProtocol(protocolText?.value || undefined);
  if (fieldCount !== 1) return { kind: 'invalid', protocol, protocolText, ...NO_PORT, fieldCount, span };
  if (present(num)) return { kind: 'number', protocol, protocolText, ...NO_PORT, port: int(doc, at(doc, num, 'port')), fieldCount, span };
  if (present(named)) return { kind: 'named', protocol: undefined, protocolText: undefined, ...NO_PORT, name: str(doc, named), fieldCount, span };
  return {
    kind: 'range', protocol, protocolText, ...NO_PORT,
    start: int(doc, at(doc, range, 'start')), end: int(doc, at(doc, range, 'end')), fieldCount, span,
  };
}

/** v1alpha2 `protocols` items: exactly one of tcp, udp, sctp (with destinationPort number|range), destinationNamedPort. */
function v1alpha2Port(doc: YDoc, node: unknown): AdminPort {
  const span = spanOf(node) ?? { start: 0, end: 0 };
  const fields = entries(doc, node).filter(([, , v]) => present(v));
  const fieldCount = fields.length;
  const named = str(doc, at(doc, node, 'destinationNamedPort'));
  if (fieldCount !== 1) return { kind: 'invalid', protocol: 'TCP', protocolText: undefined, ...NO_PORT, fieldCount, span };
  if (named) return { kind: 'named', protocol: undefined, protocolText: undefined, ...NO_PORT, name: named, fieldCount, span };
  const [key, keyNode, value] = fields[0]!;
  const protocol = key === 'tcp' ? 'TCP' : key === 'udp' ? 'UDP' : key === 'sctp' ? 'SCTP' : undefined;
  const protocolText = keyNode ? { value: key, span: spanOf(keyNode) ?? span } : undefined;
  const dest = at(doc, value, 'destinationPort');
  if (!present(dest)) return { kind: 'range', protocol, protocolText, ...NO_PORT, start: undefined, end: undefined, fieldCount, span };
  const range = at(doc, dest, 'range');
  if (present(range)) {
    return { kind: 'range', protocol, protocolText, ...NO_PORT, start: int(doc, at(doc, range, 'start')), end: int(doc, at(doc, range, 'end')), fieldCount, span };
  }
  return { kind: 'number', protocol, protocolText, ...NO_PORT, port: int(doc, at(doc, dest, 'number')), fieldCount, span };
}

function actionOf(kind: AdminKind, tier: AdminTier, value: string | undefined): AdminAction | undefined {
  if (kind === 'ClusterNetworkPolicy') {
    if (value === 'Accept') return 'Allow';
    return value === 'Deny' || value === 'Pass' ? value : undefined;
  }
  if (value === 'Allow' || value === 'Deny') return value;
  return value === 'Pass' && tier === 'admin' ? 'Pass' : undefined;
}

function rulesOf(doc: YDoc, node: unknown, direction: 'ingress' | 'egress', kind: AdminKind, tier: AdminTier): AdminRule[] {
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const v2 = kind === 'ClusterNetworkPolicy';
  return items(doc, node).map((r, index) => {
    const peersNode = at(doc, r, peerKey);
    const portsNode = at(doc, r, v2 ? 'protocols' : 'ports');
    const action = str(doc, at(doc, r, 'action'));
    return {
      direction, index,
      name: str(doc, at(doc, r, 'name')),
      action,
      actionValue: actionOf(kind, tier, action?.value),
      peers: present(peersNode) ? items(doc, peersNode).map(p => peerOf(doc, p)) : undefined,
      peersSpan: spanOf(peersNode),
      peersKeySpan: spanOf(pairOf(doc, r, peerKey)?.[0]),
      ports: present(portsNode) ? items(doc, portsNode).map(p => (v2 ? v1alpha2Port(doc, p) : v1alpha1Port(doc, p))) : undefined,
      portsSpan: spanOf(portsNode),
      span: spanOf(r) ?? { start: 0, end: 0 },
    };
  });
}

/**
 * The view of an ANP, BANP or CNP; undefined for any other object. Read once per parsed object, like
 * a NetworkPolicy's (views/policy.ts): the index, the engine, four rules and the hover ask for it.
 */
export function adminPolicyView(o: K8sObject): AdminPolicy | undefined {
  if (!adminViews.has(o)) adminViews.set(o, readAdminPolicy(o));
  return adminViews.get(o);
}
const adminViews = new WeakMap<K8sObject, AdminPolicy | undefined>();

function readAdminPolicy(o: K8sObject): AdminPolicy | undefined {
  const kind = adminKindOf(o);
  if (!kind) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const tierText = kind === 'ClusterNetworkPolicy' ? str(doc, at(doc, spec, 'tier')) : undefined;
  const tier: AdminTier = kind === 'BaselineAdminNetworkPolicy' || tierText?.value === 'Baseline' ? 'baseline' : 'admin';
  const priorityNode = at(doc, spec, 'priority');
  const subjectNode = at(doc, spec, 'subject');
  const ingressNode = at(doc, spec, 'ingress');
  const egressNode = at(doc, spec, 'egress');
  return {
    object: o, kind, tier, tierText,
    priority: int(doc, priorityNode),
    prioritySpan: spanOf(priorityNode),
    subject: present(subjectNode) ? peerOf(doc, subjectNode) : undefined,
    subjectSpan: spanOf(subjectNode),
    ingress: rulesOf(doc, ingressNode, 'ingress', kind, tier),
    ingressSpan: spanOf(ingressNode),
    egress: rulesOf(doc, egressNode, 'egress', kind, tier),
    egressSpan: spanOf(egressNode),
    keySpans: {
      spec: spanOf(pairOf(doc, o.node, 'spec')?.[0]),
      subject: spanOf(pairOf(doc, spec, 'subject')?.[0]),
      ingress: spanOf(pairOf(doc, spec, 'ingress')?.[0]),
      egress: spanOf(pairOf(doc, spec, 'egress')?.[0]),
      priority: spanOf(pairOf(doc, spec, 'priority')?.[0]),
      tier: spanOf(pairOf(doc, spec, 'tier')?.[0]),
    },
  };
}

/** `AdminNetworkPolicy 'name'`, as np-guard names a cluster-wide policy. */
export function adminPolicyTitle(p: AdminPolicy): string {
  return `${p.kind} '${p.object.name}'`;
}

/** A rule as np-guard names it: its `name`, or `#n` when unnamed. */
export function adminRuleName(r: AdminRule): string {
  return r.name?.value || `#${r.index + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Calico and Cilium: recognised, not evaluated

export type ThirdPartyEngine = 'Calico' | 'Cilium';

/** A policy of another API that the engine does not evaluate; it can still decide traffic. */
export interface ThirdPartyPolicy {
  readonly object: K8sObject;
  readonly engine: ThirdPartyEngine;
  /** Cluster-wide (GlobalNetworkPolicy, CiliumClusterwideNetworkPolicy) or namespaced. */
  readonly clusterWide: boolean;
  /** Calico: `spec.selector` (and `namespaceSelector`) as written. */
  readonly selector: string | undefined;
  readonly namespaceSelectorText: string | undefined;
  /** Cilium: `endpointSelector`s (one per `spec`/`specs[]` item; undefined when a spec selects nodes only). */
  readonly endpointSelectors: readonly LabelSelector[];
  /** Cilium: a spec uses `nodeSelector` (host policies) — they never select pods. */
  readonly nodeOnly: boolean;
}

/** Recognises Calico and Cilium policies by group and version. */
export function thirdPartyPolicyView(o: K8sObject): ThirdPartyPolicy | undefined {
  const g = group(o.apiVersion);
  const doc = o.doc;
  // Asked of every object of the workspace: the kind decides before any YAML is read.
  const calico = g.group === 'projectcalico.org' && g.version === 'v3' && (o.kind === 'NetworkPolicy' || o.kind === 'GlobalNetworkPolicy');
  const cilium = g.group === 'cilium.io' && g.version === 'v2' && (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy');
  if (!calico && !cilium) return undefined;
  const spec = at(doc, o.node, 'spec');
  if (calico) {
    return {
      object: o, engine: 'Calico', clusterWide: o.kind === 'GlobalNetworkPolicy',
      selector: str(doc, at(doc, spec, 'selector'))?.value,
      namespaceSelectorText: str(doc, at(doc, spec, 'namespaceSelector'))?.value,
      endpointSelectors: [], nodeOnly: false,
    };
  }
  if (cilium) {
    const specs = [spec, ...items(doc, at(doc, o.node, 'specs'))].filter(present);
    const endpointSelectors: LabelSelector[] = [];
    let nodeOnly = specs.length > 0;
    for (const s of specs) {
      const es = at(doc, s, 'endpointSelector');
      if (present(es)) { endpointSelectors.push(labelSelector(doc, es)); nodeOnly = false; }
      else if (!present(at(doc, s, 'nodeSelector'))) nodeOnly = false;
    }
    return {
      object: o, engine: 'Cilium', clusterWide: o.kind === 'CiliumClusterwideNetworkPolicy',
      selector: undefined, namespaceSelectorText: undefined, endpointSelectors, nodeOnly,
    };
  }
  return undefined;
}
