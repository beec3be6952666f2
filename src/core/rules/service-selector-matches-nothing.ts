import { formatSelector, isEmptySelector } from '../net/selectors';
import { objectRef } from '../parse/manifest';
import type { Workload } from '../parse/views/workload';
import { at, items, str } from '../parse/yaml';
import type { Workspace } from '../workspace';
import type { Span } from '../span';
import { defineRule, type Fix } from './rule';
import { knowsPodsOf, serviceOf } from './support/select';
import { scalarReplacement } from './support/emit';
import { editDistance, entrySpan, keySpan, plural, trimSpan } from './support/text';

/** The workload whose pod labels share the most selector entries (then keys) with `selector`. */
function closest(selector: Readonly<Record<string, string>>, candidates: readonly Workload[]): Workload | undefined {
  let best: Workload | undefined;
  let bestScore = 0;
  for (const w of candidates) {
    let score = 0;
    for (const [k, v] of Object.entries(selector)) {
      if (w.podLabels[k] === v) score += 2;
      // A present key scores 1, plus up to 0.99 for how alike the values are ("frontnd" ~ "frontend").
      else if (k in w.podLabels) score += 1 + 0.99 * (1 - editDistance(v, w.podLabels[k]!) / Math.max(v.length, w.podLabels[k]!.length, 1));
    }
    if (score > bestScore) {
      best = w;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The SMI TrafficSplits (split.smi-spec.io) of `namespace` whose root Service (`spec.service`) is
 * `name`, with their backend Services. Meshed clients of the root are sent to the backends; only
 * clients outside the mesh use the root's own selector (SMI traffic-split specification).
 */
function splitsRootedAt(ws: Workspace, namespace: string, name: string): Array<{ name: string; backends: string[] }> {
  const splits = ws.collected('smi:trafficsplits', e => e.manifest.objects.filter(o => o.kind === 'TrafficSplit' && o.apiVersion.startsWith('split.smi-spec.io/')));
  return splits
    .filter(o => o.namespace === namespace && str(o.doc, at(o.doc, o.node, 'spec', 'service'))?.value === name)
    .map(o => ({
      name: o.name,
      backends: items(o.doc, at(o.doc, o.node, 'spec', 'backends')).map(b => str(o.doc, at(o.doc, b, 'service'))?.value).filter((b): b is string => !!b),
    }));
}

/** A Service whose selector matches no workload of its namespace (when the workspace has some). */
export default defineRule({
  id: 'service-selector-matches-nothing',
  severity: 'warning',
  kinds: ['Service'],
  docs: {
    summary: 'A Service\'s selector matches the pod labels of no workload in its namespace, although the workspace defines workloads there.',
    rationale: 'A Service that selects no pod has no endpoints: connections to it are refused or time out. Usually a label is misspelt; the finding points at the workload whose labels come closest and offers to change the selector to them. It fires only when the workspace defines workloads in the Service\'s namespace.',
  },
  check(object, ctx) {
    const s = serviceOf(ctx.entry, object);
    if (!s || s.externalName || !s.selector.present || isEmptySelector(s.selector)) return;
    const ns = object.namespace;
    const inNs = ctx.workspace.workloadsIn(ns);
    if (!knowsPodsOf(ctx.workspace, ns, object) || ctx.workspace.workloadsOfService(s).length) return;
    const keys = Object.keys(s.selector.matchLabels);
    const split = splitsRootedAt(ctx.workspace, ns, object.name)[0];
    if (split) {
      const entry = s.selector.matchLabelEntries[0];
      ctx.report({
        span: entry ? entrySpan(ctx.entry.manifest.text, entry) : keySpan(object.doc, at(object.doc, object.node, 'spec'), 'selector') ?? object.span,
        severity: 'info',
        message: `selector ${formatSelector(s.selector)} matches no pod of the ${plural(inNs.length, 'workload')} in namespace ${ns}: as the root Service of TrafficSplit ${ns}/${split.name}, meshed clients are sent to its backends${split.backends.length ? ` (${split.backends.join(', ')})` : ''}; clients outside the mesh get no endpoint`,
      });
      return;
    }
    const near = closest(s.selector.matchLabels, inNs);
    const wrong = near ? s.selector.matchLabelEntries.filter(e => near.podLabels[e.key] !== e.value) : [];
    const first = wrong[0];
    const span: Span | undefined = first
      ? (first.key in near!.podLabels ? first.valueSpan : entrySpan(ctx.entry.manifest.text, first))
      : keySpan(object.doc, at(object.doc, object.node, 'spec'), 'selector');
    if (!span) return;
    const fixes: Fix[] = [];
    let message = `selector ${formatSelector(s.selector)} matches no pod of the ${plural(inNs.length, 'workload')} in namespace ${ns}`;
    if (near) {
      const absent = wrong.filter(e => !(e.key in near.podLabels)).map(e => e.key);
      if (absent.length) {
        message += `; the closest, ${objectRef(near.object)}, has no ${absent.join(', ')} label.`;
      } else {
        message += `; did you mean ${wrong.map(e => `${e.key}=${near.podLabels[e.key]}`).join(', ')} (${objectRef(near.object)})?`;
      }
      if (wrong.length && !absent.length) {
        const text = ctx.entry.manifest.text;
        fixes.push({
          title: `Select ${objectRef(near.object)} (${wrong.map(e => `${e.key}=${near.podLabels[e.key]}`).join(', ')})`,
          preferred: true,
          edits: wrong.map(e => ({ file: object.file, span: e.valueSpan, newText: scalarReplacement(text, e.valueSpan, near.podLabels[e.key]!) })),
        });
      }
    } else if (!inNs.some(w => keys.some(k => w.addedLabels.has(k)))) {
      // No workload here uses any of the selector's labels (nor does a controller add them): nothing
      // hints at a mistake, and pods made elsewhere (another chart, an operator, a repository applied
      // beside this one) may carry them.
      const entry = s.selector.matchLabelEntries[0];
      ctx.report({
        span: entry ? entrySpan(ctx.entry.manifest.text, entry) : span, severity: 'hint',
        message: `selector ${formatSelector(s.selector)} matches no pod defined in this workspace (no workload in namespace ${ns} has ${keys.length === 1 ? `a label ${keys[0]}` : `any of the labels ${keys.join(', ')}`}); pods created elsewhere may carry it`,
      });
      return;
    } else {
      message += '.';
    }
    ctx.report({
      span, message, fixes,
      related: near?.podLabelsSpan ? [{ file: near.object.file, span: trimSpan(ctx.workspace.get(near.object.file)?.manifest.text ?? '', near.podLabelsSpan), message: `pod labels of ${objectRef(near.object)}` }] : [],
    });
  },
});
