/** NetworkPolicy: its rules, peers and ports with spans, and the API's defaulting of policyTypes. */
import type { Ranged, Span } from '../../span';
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, int, items, spanOf, str, text, type YDoc } from '../yaml';
import { asProtocol, protocolOf, type Protocol } from './protocol';
import { labelSelector, type LabelSelector } from './selectors';

export interface IPBlock {
  readonly cidr: Ranged<string> | undefined;
  readonly except: readonly Ranged<string>[];
  readonly span: Span;
}

export interface PolicyPeer {
  readonly podSelector: LabelSelector | undefined;
  readonly namespaceSelector: LabelSelector | undefined;
  readonly ipBlock: IPBlock | undefined;
  readonly span: Span;
}

export interface PolicyPort {
  readonly protocol: Protocol | undefined;
  readonly protocolSpan: Span | undefined;
  /** A number, a named port, or undefined (all ports). */
  readonly port: number | string | undefined;
  readonly portSpan: Span | undefined;
  readonly endPort: number | undefined;
  readonly endPortSpan: Span | undefined;
  readonly span: Span;
}

export interface PolicyRule {
  readonly direction: 'ingress' | 'egress';
  /** `from` (ingress) or `to` (egress); undefined when absent (all peers). */
  readonly peers: readonly PolicyPeer[] | undefined;
  readonly peersSpan: Span | undefined;
  /** undefined when absent (all ports). */
  readonly ports: readonly PolicyPort[] | undefined;
  readonly portsSpan: Span | undefined;
  readonly span: Span;
  /** Index of the rule in its list. */
  readonly index: number;
}

export interface NetworkPolicy {
  readonly object: K8sObject;
  readonly podSelector: LabelSelector;
  /** policyTypes as written, or undefined when absent. */
  readonly policyTypesWritten: readonly Ranged<string>[] | undefined;
  readonly policyTypesSpan: Span | undefined;
  /** Effective policy types, with the API's defaulting applied. */
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  /** undefined when the field is absent. */
  readonly ingress: readonly PolicyRule[] | undefined;
  readonly ingressSpan: Span | undefined;
  readonly egress: readonly PolicyRule[] | undefined;
  readonly egressSpan: Span | undefined;
}

function policyRules(doc: YDoc, node: unknown, direction: 'ingress' | 'egress'): PolicyRule[] | undefined {
  if (node === undefined || node === null) return undefined;
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  return items(doc, node).map((r, index) => {
    const peersNode = at(doc, r, peerKey);
    const portsNode = at(doc, r, 'ports');
    const absent = (n: unknown) => n === undefined || n === null;
    return {
      direction,
      index,
      span: spanOf(r) ?? { start: 0, end: 0 },
      peersSpan: spanOf(peersNode),
      portsSpan: spanOf(portsNode),
      peers: absent(peersNode) ? undefined : items(doc, peersNode).map(p => {
        const ps = at(doc, p, 'podSelector');
        const nss = at(doc, p, 'namespaceSelector');
        const ib = at(doc, p, 'ipBlock');
        return {
          span: spanOf(p) ?? { start: 0, end: 0 },
          podSelector: ps === undefined ? undefined : labelSelector(doc, ps),
          namespaceSelector: nss === undefined ? undefined : labelSelector(doc, nss),
          ipBlock: ib === undefined ? undefined : {
            cidr: text(doc, at(doc, ib, 'cidr')),
            except: items(doc, at(doc, ib, 'except')).map(e => text(doc, e)).filter((e): e is Ranged<string> => !!e),
            span: spanOf(ib) ?? { start: 0, end: 0 },
          },
        };
      }),
      ports: absent(portsNode) ? undefined : items(doc, portsNode).map(p => {
        const portNode = at(doc, p, 'port');
        const port = int(doc, portNode) ?? str(doc, portNode);
        const endPort = int(doc, at(doc, p, 'endPort'));
        const proto = protocolOf(doc, p);
        return {
          protocol: asProtocol(proto?.value), protocolSpan: proto?.span,
          port: port?.value, portSpan: port?.span,
          endPort: endPort?.value, endPortSpan: endPort?.span,
          span: spanOf(p) ?? { start: 0, end: 0 },
        };
      }),
    };
  });
}

/** Read once per parsed object: the index and a dozen rules ask for the same view. */
export function networkPolicyView(o: K8sObject): NetworkPolicy | undefined {
  if (!policyViews.has(o)) policyViews.set(o, readNetworkPolicy(o));
  return policyViews.get(o);
}
const policyViews = new WeakMap<K8sObject, NetworkPolicy | undefined>();

function readNetworkPolicy(o: K8sObject): NetworkPolicy | undefined {
  if (!isKind(o, 'NetworkPolicy')) return undefined;
  return readPolicySpec(o);
}

/**
 * A MultiNetworkPolicy (`k8s.cni.cncf.io`) read as a NetworkPolicy: its spec has the same shape and
 * the same policyTypes defaulting (multi-networkpolicy's `v1beta1`).
 */
export function multiNetworkPolicyView(o: K8sObject): NetworkPolicy | undefined {
  if (o.kind !== 'MultiNetworkPolicy' || !o.apiVersion.startsWith('k8s.cni.cncf.io/')) return undefined;
  let v = multiPolicyViews.get(o);
  if (!v) multiPolicyViews.set(o, (v = readPolicySpec(o)));
  return v;
}
const multiPolicyViews = new WeakMap<K8sObject, NetworkPolicy>();

function readPolicySpec(o: K8sObject): NetworkPolicy {
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const typesNode = at(doc, spec, 'policyTypes');
  const written = typesNode === undefined || typesNode === null
    ? undefined
    : items(doc, typesNode).map(t => text(doc, t)).filter((t): t is Ranged<string> => !!t);
  const ingressNode = at(doc, spec, 'ingress');
  const egressNode = at(doc, spec, 'egress');
  const egress = policyRules(doc, egressNode, 'egress');
  return {
    object: o,
    podSelector: labelSelector(doc, at(doc, spec, 'podSelector')),
    policyTypesWritten: written,
    policyTypesSpan: spanOf(typesNode),
    // Defaulting (networking/v1 SetDefaults_NetworkPolicy): policyTypes absent or empty means
    // Ingress, plus Egress when egress rules exist.
    isolatesIngress: written && written.length > 0 ? written.some(t => t.value === 'Ingress') : true,
    isolatesEgress: written && written.length > 0
      ? written.some(t => t.value === 'Egress')
      : egress !== undefined && egress.length > 0,
    ingress: policyRules(doc, ingressNode, 'ingress'),
    ingressSpan: spanOf(ingressNode),
    egress,
    egressSpan: spanOf(egressNode),
  };
}
