import { adminPolicyTitle, adminRuleName } from '../parse/admin';
import type { K8sObject } from '../parse/manifest';
import type { LabelSelector } from '../parse/views/selectors';
import type { Workload } from '../parse/views/workload';
import { adminPolicies } from '../net/policy/admin';
import { controllerOf, workloadPeers } from '../net/policy/peers';
import { inForce } from '../net/policy/reach';
import { selectorMatches, type Labels } from '../net/selectors';
import type { Span } from '../span';
import { NAMESPACE_NAME_LABEL, type Workspace } from '../workspace';
import { defineRule } from './rule';

/** A pod selector in force, with the namespaces whose pods it looks at and where it is written. */
interface SelectorUse {
  readonly selector: LabelSelector;
  /** Whether the selector surely applies to pods of `namespace`. */
  readonly covers: (namespace: string) => boolean;
  /** `the subject of AdminNetworkPolicy 'x'`, `an ingress peer of NetworkPolicy ns/p`. */
  readonly where: string;
  readonly file: string;
  readonly span: Span;
}

/** A Pod evaluated as its owner's peer although a selector in force treats it unlike the owner's first Pod. */
interface Gap {
  readonly pod: Workload;
  readonly first: Workload;
  readonly key: string;
  readonly use: SelectorUse;
  readonly peer: string;
  /** Whether the engine's peer is represented by `first` (evaluated with its labels). */
  readonly firstRepresents: boolean;
}

/**
 * Whether a namespaceSelector surely selects `namespace`: by its declared labels, or, for a namespace
 * the workspace does not declare (its other labels unknown), only when it reads nothing but the name label.
 */
function namespaceSurelySelected(ws: Workspace, selector: LabelSelector, namespace: string): boolean {
  const declared = ws.namespaces.get(namespace)?.labels;
  if (declared) return selectorMatches(selector, declared);
  const onlyName = Object.keys(selector.matchLabels).every(k => k === NAMESPACE_NAME_LABEL)
    && selector.matchExpressions.every(r => r.key === NAMESPACE_NAME_LABEL);
  return onlyName && selectorMatches(selector, { [NAMESPACE_NAME_LABEL]: namespace });
}

/** The keys a selector reads. */
function keysRead(s: LabelSelector): Set<string> {
  return new Set([...Object.keys(s.matchLabels), ...s.matchExpressions.map(r => r.key)]);
}

/**
 * Every pod selector in force, indexed by the label keys it reads: NetworkPolicy `podSelector`s and
 * peer `podSelector`s (of the directions the policy isolates), and the `pods` subjects and peers of
 * the cluster-wide policies the API server accepts.
 */
function selectorUses(ws: Workspace): Map<string, SelectorUse[]> {
  const byKey = new Map<string, SelectorUse[]>();
  const add = (use: SelectorUse) => {
    for (const k of keysRead(use.selector)) {
      const list = byKey.get(k);
      if (list) list.push(use);
      else byKey.set(k, [use]);
    }
  };
  for (const p of ws.policies) {
    const o = p.object;
    const name = `NetworkPolicy ${o.namespace}/${o.name}`;
    const own = (ns: string) => ns === o.namespace;
    add({ selector: p.podSelector, covers: own, where: `the podSelector of ${name}`, file: o.file, span: p.podSelector.span ?? o.kindSpan });
    for (const rule of [...(p.isolatesIngress ? p.ingress ?? [] : []), ...(p.isolatesEgress ? p.egress ?? [] : [])]) {
      for (const peer of rule.peers ?? []) {
        if (!peer.podSelector || peer.ipBlock) continue;
        const nss = peer.namespaceSelector;
        add({
          selector: peer.podSelector,
          covers: nss ? ns => namespaceSurelySelected(ws, nss, ns) : own,
          where: `an ${rule.direction} peer of ${name} (rule #${rule.index + 1})`,
          file: o.file, span: peer.podSelector.span ?? peer.span,
        });
      }
    }
  }
  for (const p of adminPolicies(ws)) {
    if (!inForce(ws, p)) continue;
    const title = adminPolicyTitle(p);
    const o = p.object;
    if (p.subject?.pods && p.subject.fieldCount === 1) {
      const pods = p.subject.pods;
      add({
        selector: pods.podSelector, covers: ns => namespaceSurelySelected(ws, pods.namespaceSelector, ns),
        where: `the subject of ${title}`, file: o.file, span: pods.podSelector.span ?? pods.span,
      });
    }
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers ?? []) {
        const pods = peer.pods;
        if (!pods || peer.fieldCount !== 1) continue;
        add({
          selector: pods.podSelector, covers: ns => namespaceSurelySelected(ws, pods.namespaceSelector, ns),
          where: `a peer of ${rule.direction} rule ${adminRuleName(rule)} of ${title}`, file: o.file, span: pods.podSelector.span ?? pods.span,
        });
      }
    }
  }
  return byKey;
}

/** Keys whose values differ between two label sets (absent on one side included), in `b`'s order then `a`'s. */
function differingKeys(a: Labels, b: Labels): string[] {
  const keys = [...Object.keys(b), ...Object.keys(a).filter(k => !(k in b))];
  return keys.filter(k => a[k] !== b[k]);
}

/**
 * The Pods of the workspace that the engine merges into their owner's peer (same namespace and
 * controlling owner) while a selector in force selects the owner's first Pod and not them, or the
 * reverse; once per generation. Two definitions of one Pod name are one pod written twice, not replicas.
 */
function gaps(ws: Workspace): ReadonlyMap<K8sObject, Gap> {
  return ws.derived('rules:podOwnerLabelsGap', () => {
    const out = new Map<K8sObject, Gap>();
    let uses: Map<string, SelectorUse[]> | undefined;
    for (const peer of workloadPeers(ws)) {
      if (peer.members.length < 2) continue;
      const pods = peer.members.filter(m => controllerOf(m));
      const first = pods[0];
      if (!first) continue;
      const ns = first.object.namespace;
      for (const pod of pods.slice(1)) {
        if (pod.object.name === first.object.name) continue;
        const keys = differingKeys(first.podLabels, pod.podLabels);
        if (!keys.length) continue;
        uses ??= selectorUses(ws);
        const hit = keys.flatMap(key => (uses!.get(key) ?? []).map(use => ({ key, use }))).find(({ use }) =>
          use.covers(ns) && selectorMatches(use.selector, first.podLabels) !== selectorMatches(use.selector, pod.podLabels));
        if (hit) out.set(pod.object, { pod, first, ...hit, peer: peer.ref.id, firstRepresents: peer.ref.workload === first });
      }
    }
    return out;
  });
}

const podName = (w: Workload) => `Pod ${w.object.namespace}/${w.object.name}`;
const labelText = (w: Workload, key: string) =>
  key in w.podLabels ? `${podName(w)} has label '${key}=${w.podLabels[key]}'` : `${podName(w)} does not have label '${key}'`;

/**
 * np-guard's "pods of the same owner with a labels gap": the engine (like np-guard) evaluates the
 * Pods of one owner as one workload, which is wrong when a selector in force tells them apart.
 */
export default defineRule({
  id: 'pod-owner-labels-gap',
  severity: 'warning',
  kinds: ['Pod'],
  docs: {
    summary: 'Pods of one owner workload differ in a label that a policy selector in force reads, so the policy treats the replicas differently.',
    rationale: 'Kubernetes applies each policy to each pod by its own labels, so replicas of one workload whose labels differ where a NetworkPolicy or AdminNetworkPolicy selector looks get different traffic rules, which is rarely what a controller\'s replicas are meant to get. The connectivity analysis (like np-guard, which refuses such input) shows the pods of one owner as one peer, evaluated with the labels of its first pod, so its verdicts for the others are not theirs.',
  },
  check(object, ctx) {
    const gap = gaps(ctx.workspace).get(object);
    if (!gap) return;
    const { pod, first, key, use } = gap;
    const owner = `${pod.object.namespace}/${controllerOf(pod)!.name}`;
    const entry = pod.podLabelEntries.find(e => e.key === key);
    const firstEntry = first.podLabelEntries.find(e => e.key === key);
    const selected = selectorMatches(use.selector, pod.podLabels) ? [pod, first] : [first, pod];
    ctx.report({
      span: entry ? { start: entry.keySpan.start, end: entry.valueSpan.end } : pod.object.nameSpan ?? pod.object.kindSpan,
      message: `Pods of the same owner workload '${owner}' differ in their labels, and a policy contains selectors impacted by this gap: `
        + `${labelText(pod, key)} and ${labelText(first, key)}, and ${use.where} selects ${podName(selected[0]!)} and not ${podName(selected[1]!)}; `
        + `the replicas get different policy treatment, while the connectivity analysis shows them as one peer ${gap.peer}.`,
      related: [
        { file: use.file, span: use.span, message: `${use.where} reads '${key}': it selects ${podName(selected[0]!)} and not ${podName(selected[1]!)}` },
        {
          file: first.object.file,
          span: firstEntry ? { start: firstEntry.keySpan.start, end: firstEntry.valueSpan.end } : first.object.nameSpan ?? first.object.kindSpan,
          message: `${labelText(first, key)}${gap.firstRepresents ? ' (the owner\'s first pod: the peer is evaluated with its labels)' : ''}`,
        },
      ],
    });
  },
});
