/** Ingress backends (networking.k8s.io/v1 and v1beta1) and OpenShift Routes, read as Ingresses. */
import type { Ranged, Span } from '../../span';
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, int, items, spanOf, str, type YDoc } from '../yaml';

export interface IngressBackend {
  readonly serviceName: Ranged<string> | undefined;
  /** Port number or name; undefined when missing. */
  readonly port: Ranged<number | string> | undefined;
  readonly host: string | undefined;
  readonly path: string | undefined;
  readonly span: Span;
}

export interface Ingress {
  readonly object: K8sObject;
  readonly ingressClassName: string | undefined;
  readonly backends: readonly IngressBackend[];
}

function ingressBackend(doc: YDoc, b: unknown, host?: string, path?: string): IngressBackend | undefined {
  if (b === undefined || b === null) return undefined;
  const svc = at(doc, b, 'service');
  // networking.k8s.io/v1: backend.service.{name, port.{number|name}}; v1beta1: serviceName/servicePort.
  const serviceName = svc !== undefined ? str(doc, at(doc, svc, 'name')) : str(doc, at(doc, b, 'serviceName'));
  const portNode = svc !== undefined ? at(doc, svc, 'port') : at(doc, b, 'servicePort');
  const port = svc !== undefined
    ? int(doc, at(doc, portNode, 'number')) ?? str(doc, at(doc, portNode, 'name'))
    : int(doc, portNode) ?? str(doc, portNode);
  return { serviceName, port, host, path, span: spanOf(b) ?? { start: 0, end: 0 } };
}

export function ingressView(o: K8sObject): Ingress | undefined {
  if (!isKind(o, 'Ingress')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const backends: IngressBackend[] = [];
  const def = ingressBackend(doc, at(doc, spec, 'defaultBackend') ?? at(doc, spec, 'backend'));
  if (def) backends.push(def);
  for (const rule of items(doc, at(doc, spec, 'rules'))) {
    const host = str(doc, at(doc, rule, 'host'))?.value;
    for (const p of items(doc, at(doc, rule, 'http', 'paths'))) {
      const b = ingressBackend(doc, at(doc, p, 'backend'), host, str(doc, at(doc, p, 'path'))?.value);
      if (b) backends.push(b);
    }
  }
  return { object: o, ingressClassName: str(doc, at(doc, spec, 'ingressClassName'))?.value, backends };
}

/** OpenShift Route: `spec.to` names a Service (np-guard treats Routes like Ingresses). */
export function routeView(o: K8sObject): Ingress | undefined {
  if (!isKind(o, 'Route')) return undefined;
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  const to = at(doc, spec, 'to');
  const portNode = at(doc, spec, 'port', 'targetPort');
  return {
    object: o,
    ingressClassName: undefined,
    backends: [{
      serviceName: str(doc, at(doc, to, 'name')),
      port: int(doc, portNode) ?? str(doc, portNode),
      host: str(doc, at(doc, spec, 'host'))?.value,
      path: str(doc, at(doc, spec, 'path'))?.value,
      span: spanOf(to) ?? o.span,
    }],
  };
}
