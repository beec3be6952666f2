import { formatSelector, isEmptySelector } from '../net/selectors';
import { at } from '../parse/yaml';
import { policyInForce } from './support/policy';
import { defineRule } from './rule';
import { knowsPodsOf, policyPods } from './support/select';
import { keySpan, plural } from './support/text';
import { surelySameNamespace } from '../workspace';

/** A policy whose podSelector selects no workload of its namespace (when the workspace has some). */
export default defineRule({
  id: 'netpol-selector-matches-nothing',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'The policy\'s podSelector selects no workload in its namespace, although the workspace defines workloads there.',
    rationale: 'A policy that selects no pod enforces nothing; usually a label is misspelt or the policy sits in the wrong namespace. The rule fires only when the workspace defines at least one workload in that namespace, so a repository of policies alone stays quiet.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p || !p.podSelector.present || isEmptySelector(p.podSelector)) return;
    const ns = object.namespace;
    if (!knowsPodsOf(ctx.workspace, ns, object) || policyPods(ctx.workspace, p).length) return;
    const span = keySpan(object.doc, at(object.doc, object.node, 'spec'), 'podSelector');
    if (!span) return;
    // The workloads the verdict stands on: those surely in the policy's namespace (with none written,
    // those of its folder), not every one the namespace's name gathers from other folders.
    const known = ctx.workspace.workloadsIn(ns).filter(w => surelySameNamespace(object, w.object));
    const where = object.namespaceDefaulted ? `applied with it (namespace ${ns} assumed: none is written)` : `in namespace ${ns}`;
    ctx.report({
      span,
      message: `podSelector ${formatSelector(p.podSelector)} selects none of the ${plural(known.length, 'workload')} ${where}.`,
    });
  },
});
