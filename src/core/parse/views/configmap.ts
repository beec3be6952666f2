/** ConfigMaps: their string data. */
import { isKind } from '../kinds';
import type { K8sObject } from '../manifest';
import { at, stringMap, type StringMapEntry } from '../yaml';

export interface ConfigMap {
  readonly object: K8sObject;
  readonly data: readonly StringMapEntry[];
}

export function configMapView(o: K8sObject): ConfigMap | undefined {
  if (!isKind(o, 'ConfigMap')) return undefined;
  return { object: o, data: stringMap(o.doc, at(o.doc, o.node, 'data')) };
}
