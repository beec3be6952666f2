import { WORKLOAD_KINDS } from '../parse/kinds';
import { NETWORKS_ANNOTATION, networkAttachments } from '../parse/networks';
import { podTemplatePath } from '../parse/views/workload';
import { at, pairOf, spanOf, str } from '../parse/yaml';
import { defineRule } from './rule';

/**
 * A pod's `k8s.v1.cni.cncf.io/networks` annotation in JSON form (it holds `[`, `{` or `"`) that is
 * not a list of network selection objects: Multus cannot read it, and np-guard refuses the input
 * (`eval/internal/k8s/pod.go` updatePodSecondaryNetworksFromAnnotation).
 */
export default defineRule({
  id: 'pod-networks-annotation-invalid',
  severity: 'error',
  kinds: WORKLOAD_KINDS,
  docs: {
    summary: 'A pod\'s k8s.v1.cni.cncf.io/networks annotation in JSON form is not a list of network selections.',
    rationale: 'Multus reads the annotation when the pod starts: a value it cannot parse fails the pod\'s sandbox, so the pod never runs, and no secondary network is attached. np-guard refuses the input too.',
  },
  check(object, ctx) {
    const doc = object.doc;
    const annotations = at(doc, object.node, ...podTemplatePath(object.kind), 'metadata', 'annotations');
    const written = pairOf(doc, annotations, NETWORKS_ANNOTATION);
    const value = str(doc, written?.[1]);
    if (!value || networkAttachments(value.value) !== undefined) return;
    ctx.report({
      span: value.span ?? spanOf(written?.[1]) ?? object.span,
      message: `The ${NETWORKS_ANNOTATION} annotation is not a JSON list of network selections (${jsonProblem(value.value)}), so Multus cannot attach the pod to its networks`,
    });
  },
});

/** Why `value` is not a list of objects, in a few words. */
function jsonProblem(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    return `invalid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  return Array.isArray(parsed) ? 'an item is not an object' : 'not a list';
}
