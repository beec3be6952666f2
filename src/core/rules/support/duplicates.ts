/** Objects of one kind that share a namespace/name, across the workspace. */
import { isMap, isScalar, isSeq } from 'yaml';
import { isKind } from '../../parse/kinds';
import type { K8sObject } from '../../parse/manifest';
import { deref, entries, items } from '../../parse/yaml';
import { surelySameNamespace, type Workspace } from '../../workspace';
import { relatedObject, type RuleContext } from '../rule';
import { harnessFiles } from './harness';

/** Objects of `kind` grouped by `namespace/name`, in workspace order; only groups of two or more. */
export function duplicatesOf(ws: Workspace, kind: string): Map<string, K8sObject[]> {
  return ws.derived(`rules:duplicates:${kind}`, () => {
    const map = new Map<string, K8sObject[]>();
    // The objects of that kind are collected per file: a keystroke elsewhere does not pass over every object.
    for (const o of ws.collected(`kind:${kind}`, e => e.manifest.objects.filter(x => isKind(x, kind)))) {
      if (!o.name) continue;
      const key = `${o.namespace}/${o.name}`;
      const list = map.get(key);
      if (list) list.push(o);
      else map.set(key, [o]);
    }
    for (const [k, v] of map) if (v.length < 2) map.delete(k);
    return map;
  });
}

/** Past this many nodes an object is not compared (it counts as different): the cost stays bounded. */
const MAX_COMPARED_NODES = 20_000;

/**
 * The object as the API machinery decodes it, as one string: keys sorted, the last of a repeated
 * key, merges expanded, comments and layout gone. Undefined past {@link MAX_COMPARED_NODES} nodes.
 */
function contentOf(o: K8sObject): string | undefined {
  let budget = MAX_COMPARED_NODES;
  const out: string[] = [];
  const walk = (node: unknown): boolean => {
    if (--budget < 0) return false;
    const n = deref(o.doc, node);
    if (isMap(n)) {
      const byKey = new Map<string, unknown>();
      for (const [k, , v] of entries(o.doc, n)) byKey.set(k, v);
      out.push('{');
      for (const k of [...byKey.keys()].sort()) {
        out.push(JSON.stringify(k), ':');
        if (!walk(byKey.get(k))) return false;
      }
      out.push('}');
    } else if (isSeq(n)) {
      out.push('[');
      for (const item of items(o.doc, n)) if (!walk(item)) return false;
      out.push(']');
    } else {
      const v = isScalar(n) ? n.value : null;
      out.push(typeof v === 'string' ? JSON.stringify(v) : `${typeof v}:${String(v)}`, ',');
    }
    return true;
  };
  return walk(o.node) ? out.join('') : undefined;
}

/** Whether two objects decode to the same content (undefined contents, too large to compare, differ). */
function sameContent(a: K8sObject, b: K8sObject): boolean {
  const x = cachedContent(a);
  return x !== undefined && x === cachedContent(b);
}

const contents = new WeakMap<K8sObject, string | undefined>();
function cachedContent(o: K8sObject): string | undefined {
  if (!contents.has(o)) contents.set(o, contentOf(o));
  return contents.get(o);
}

/**
 * Reports `object` when an earlier object of its kind has the same namespace/name: an error within
 * one file (one apply of it overwrites itself), a warning across files (they may be alternatives,
 * such as two environments' folders). Across files, a copy identical to every earlier one is not
 * reported: applying it changes nothing, and alternative install bundles kept side by side
 * (`install.yaml`, `namespace-install.yaml`) repeat the same objects.
 */
export function reportDuplicate(object: K8sObject, ctx: RuleContext, describe: (first: K8sObject) => string): void {
  if (!object.name) return;
  const harness = harnessFiles(ctx.workspace);
  const never = (file: string) => harness.expected.has(file) || harness.offline.has(file);
  if (never(object.file)) return;
  const stepped = harness.steps.has(object.file);
  // Namespaced objects look in their namespace only, so a keystroke costs that namespace, not the workspace.
  // Objects whose namespace is only assumed may be applied elsewhere: only sure neighbours count.
  const group = object.namespace
    ? ctx.workspace.inNamespace(object.namespace).objects.filter(o => isKind(o, object.kind) && o.name === object.name && surelySameNamespace(o, object))
    : duplicatesOf(ctx.workspace, object.kind).get(`${object.namespace}/${object.name}`);
  if (!group || group.length < 2 || group[0] === object || !object.nameSpan) return;
  const index = group.indexOf(object);
  const earlier = (index < 0 ? group : group.slice(0, index)).filter(o => !never(o.file) && !(stepped && o.file !== object.file && harness.steps.has(o.file)));
  const first = earlier.find(o => o.file === object.file) ?? earlier.find(o => !sameContent(o, object));
  if (!first) return;
  const line = (o: K8sObject) => (ctx.workspace.get(o.file)?.manifest.lines.position(o.span.start).line ?? 0) + 1;
  ctx.report({
    span: object.nameSpan,
    message: describe(first) + (first.file === object.file ? ` at line ${line(first)}.` : ` in ${first.file}:${line(first)}.`),
    severity: first.file === object.file ? 'error' : 'warning',
    related: [relatedObject(first, 'first declared here')],
  });
}
