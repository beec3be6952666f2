/** Objects of one kind that share a namespace/name, across the workspace. */
import { isKind } from '../../parse/kinds';
import type { K8sObject } from '../../parse/manifest';
import { surelySameNamespace, type Workspace } from '../../workspace';
import { relatedObject, type RuleContext } from '../rule';

/** Objects of `kind` grouped by `namespace/name`, in workspace order; only groups of two or more. */
export function duplicatesOf(ws: Workspace, kind: string): Map<string, K8sObject[]> {
  return ws.derived(`rules:duplicates:${kind}`, () => {
    const map = new Map<string, K8sObject[]>();
    for (const o of ws.objects) {
      if (!isKind(o, kind) || !o.name) continue;
      const key = `${o.namespace}/${o.name}`;
      const list = map.get(key);
      if (list) list.push(o);
      else map.set(key, [o]);
    }
    for (const [k, v] of map) if (v.length < 2) map.delete(k);
    return map;
  });
}

/**
 * Reports `object` when an earlier object of its kind has the same namespace/name: an error within
 * one file (one apply of it overwrites itself), a warning across files (they may be alternatives,
 * such as two environments' folders).
 */
export function reportDuplicate(object: K8sObject, ctx: RuleContext, describe: (first: K8sObject) => string): void {
  if (!object.name) return;
  // Namespaced objects look in their namespace only, so a keystroke costs that namespace, not the workspace.
  // Objects whose namespace is only assumed may be applied elsewhere: only sure neighbours count.
  const group = object.namespace
    ? ctx.workspace.inNamespace(object.namespace).objects.filter(o => isKind(o, object.kind) && o.name === object.name && surelySameNamespace(o, object))
    : duplicatesOf(ctx.workspace, object.kind).get(`${object.namespace}/${object.name}`);
  if (!group || group.length < 2 || group[0] === object || !object.nameSpan) return;
  const first = group[0]!;
  const line = (o: K8sObject) => (ctx.workspace.get(o.file)?.manifest.lines.position(o.span.start).line ?? 0) + 1;
  ctx.report({
    span: object.nameSpan,
    message: describe(first) + (first.file === object.file ? ` at line ${line(first)}.` : ` in ${first.file}:${line(first)}.`),
    severity: first.file === object.file ? 'error' : 'warning',
    related: [relatedObject(first, 'first declared here')],
  });
}
