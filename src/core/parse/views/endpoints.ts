/** Endpoints and EndpointSlices: the addresses and ports they list (for Services without a selector). */
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, bool, int, items, str, text } from '../yaml';
import { asProtocol, type Protocol } from './protocol';

/** Endpoints / EndpointSlice: the addresses they list (for headless Services without selectors). */
export interface EndpointsView {
  readonly object: K8sObject;
  /** The Service these endpoints belong to. */
  readonly serviceName: string;
  readonly addresses: ReadonlyArray<{ ip: string; hostname: string | undefined; ready: boolean }>;
  readonly ports: ReadonlyArray<{ name: string | undefined; port: number | undefined; protocol: Protocol | undefined }>;
}

export function endpointsView(o: K8sObject): EndpointsView | undefined {
  const doc = o.doc;
  const portsOf = (n: unknown) => items(doc, n).map(p => ({
    name: str(doc, at(doc, p, 'name'))?.value,
    port: int(doc, at(doc, p, 'port'))?.value,
    protocol: asProtocol(str(doc, at(doc, p, 'protocol'))?.value),
  }));
  if (isKind(o, 'Endpoints')) {
    const addresses: Array<{ ip: string; hostname: string | undefined; ready: boolean }> = [];
    const ports: EndpointsView['ports'][number][] = [];
    for (const subset of items(doc, at(doc, o.node, 'subsets'))) {
      for (const [key, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        for (const a of items(doc, at(doc, subset, key))) {
          addresses.push({ ip: text(doc, at(doc, a, 'ip'))?.value ?? '', hostname: str(doc, at(doc, a, 'hostname'))?.value, ready });
        }
      }
      ports.push(...portsOf(at(doc, subset, 'ports')));
    }
    return { object: o, serviceName: o.name, addresses, ports };
  }
  if (isKind(o, 'EndpointSlice')) {
    const addresses: Array<{ ip: string; hostname: string | undefined; ready: boolean }> = [];
    for (const ep of items(doc, at(doc, o.node, 'endpoints'))) {
      const ready = bool(doc, at(doc, ep, 'conditions', 'ready')) ?? true;
      const hostname = str(doc, at(doc, ep, 'hostname'))?.value;
      for (const a of items(doc, at(doc, ep, 'addresses'))) addresses.push({ ip: text(doc, a)?.value ?? '', hostname, ready });
    }
    return {
      object: o,
      serviceName: o.labels['kubernetes.io/service-name'] ?? '',
      addresses,
      ports: portsOf(at(doc, o.node, 'ports')),
    };
  }
  return undefined;
}
