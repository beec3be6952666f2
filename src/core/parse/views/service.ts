/** Services: selector, ports (targetPort defaults to port, protocol to TCP), cluster IPs and type. */
import type { Ranged, Span } from '../../span';
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, bool, int, items, spanOf, str, text } from '../yaml';
import { asProtocol, protocolOf, type Protocol } from './protocol';
import { mapSelector, type LabelSelector } from './selectors';

export interface ServicePort {
  readonly name: string | undefined;
  readonly nameSpan: Span | undefined;
  readonly port: number | undefined;
  readonly portSpan: Span | undefined;
  /** `targetPort` as written: a number or a container port name; defaults to `port`. */
  readonly targetPort: number | string | undefined;
  readonly targetPortSpan: Span | undefined;
  readonly protocol: Protocol | undefined;
  readonly nodePort: number | undefined;
  readonly span: Span;
}

export interface Service {
  readonly object: K8sObject;
  readonly type: string;
  readonly selector: LabelSelector;
  readonly ports: readonly ServicePort[];
  readonly clusterIP: Ranged<string> | undefined;
  readonly clusterIPs: readonly Ranged<string>[];
  /** `clusterIP: None`. */
  readonly headless: boolean;
  readonly externalName: Ranged<string> | undefined;
  readonly publishNotReadyAddresses: boolean;
  readonly ipFamilies: readonly Ranged<string>[];
  readonly ipFamilyPolicy: string | undefined;
  readonly loadBalancerIP: Ranged<string> | undefined;
  readonly externalIPs: readonly Ranged<string>[];
}

export function serviceView(o: K8sObject): Service | undefined {
  if (!isKind(o, 'Service')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const strings = (key: string) =>
    items(doc, at(doc, spec, key)).map(v => text(doc, v)).filter((v): v is Ranged<string> => !!v);
  const clusterIP = text(doc, at(doc, spec, 'clusterIP'));
  const clusterIPs = strings('clusterIPs');
  const type = str(doc, at(doc, spec, 'type'))?.value ?? 'ClusterIP';
  return {
    object: o,
    type,
    selector: mapSelector(doc, at(doc, spec, 'selector')),
    ports: items(doc, at(doc, spec, 'ports')).map(p => {
      const name = str(doc, at(doc, p, 'name'));
      const port = int(doc, at(doc, p, 'port'));
      const targetNode = at(doc, p, 'targetPort');
      // 0 and "" mean "as port": the API server defaults them (SetDefaults_Service).
      const read = int(doc, targetNode) ?? str(doc, targetNode);
      const target = read?.value === 0 || read?.value === '' ? undefined : read;
      return {
        name: name?.value, nameSpan: name?.span,
        port: port?.value, portSpan: port?.span,
        // 0 and "" are defaulted to `port` like an absent targetPort (SetDefaults_Service).
        targetPort: target?.value === 0 || target?.value === '' ? port?.value : target?.value ?? port?.value,
        targetPortSpan: target?.span,
        protocol: asProtocol(protocolOf(doc, p)?.value || undefined),
        nodePort: int(doc, at(doc, p, 'nodePort'))?.value,
        span: spanOf(p) ?? { start: 0, end: 0 },
      };
    }),
    clusterIP,
    clusterIPs,
    headless: clusterIP?.value === 'None' || clusterIPs[0]?.value === 'None',
    externalName: type === 'ExternalName' ? str(doc, at(doc, spec, 'externalName')) : undefined,
    publishNotReadyAddresses: bool(doc, at(doc, spec, 'publishNotReadyAddresses')) ?? false,
    ipFamilies: strings('ipFamilies'),
    ipFamilyPolicy: str(doc, at(doc, spec, 'ipFamilyPolicy'))?.value,
    loadBalancerIP: text(doc, at(doc, spec, 'loadBalancerIP')),
    externalIPs: strings('externalIPs'),
  };
}
