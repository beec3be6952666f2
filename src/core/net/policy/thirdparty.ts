/**
 * Calico and Cilium policies are recognised, not evaluated: where one may select a workload's pods,
 * every verdict about that workload also depends on it, and the tools say so (hovers, explanations,
 * the diagram) while rules whose conclusion it could change abstain. Selection is decided exactly
 * when the selector is simple (Calico `k == 'v'`, `k != 'v'`, `has(k)`, `all()` joined by `&&`;
 * Cilium label selectors over pod and namespace labels); anything else counts as "may select".
 */
import { thirdPartyPolicyView, type ThirdPartyPolicy } from '../../parse/admin';
import type { LabelSelector } from '../../parse/views/selectors';
import type { Workload } from '../../parse/views/workload';
import { selectorMatches, type Labels } from '../selectors';
import type { Workspace } from '../../workspace';
import { NAMESPACE_NAME_LABEL } from '../../workspace';

export type { ThirdPartyPolicy } from '../../parse/admin';

/** The Calico and Cilium policies of the workspace; cached per generation. */
export function thirdPartyPolicies(ws: Workspace): readonly ThirdPartyPolicy[] {
  return ws.derived('policy:thirdparty', () => ws.objects.flatMap(o => {
    const v = thirdPartyPolicyView(o);
    return v ? [v] : [];
  }));
}

type Select = 'yes' | 'may' | 'no';

/** Evaluates a Calico selector expression when it is a conjunction of simple terms; undefined otherwise. */
export function calicoSelectorMatches(expr: string | undefined, labels: Labels): boolean | undefined {
  const e = (expr ?? '').trim();
  if (e === '' || e === 'all()') return true;
  if (/\|\||\(\s*[^)]*\|\|/.test(e)) return undefined;
  let result = true;
  for (const raw of e.split('&&')) {
    const term = raw.trim();
    let m: RegExpMatchArray | null;
    if (term === 'all()') continue;
    if ((m = /^has\(\s*([A-Za-z0-9_./-]+)\s*\)$/.exec(term))) {
      result &&= labels[m[1]!] !== undefined;
    } else if ((m = /^([A-Za-z0-9_./-]+)\s*(==|!=)\s*(?:'([^']*)'|"([^"]*)")$/.exec(term))) {
      const v = labels[m[1]!];
      const want = m[3] ?? m[4] ?? '';
      result &&= m[2] === '==' ? v === want : v !== want;
    } else {
      return undefined;
    }
  }
  return result;
}

const CILIUM_NS = 'io.kubernetes.pod.namespace';
const CILIUM_NS_LABELS = 'io.cilium.k8s.namespace.labels.';

/** A Cilium endpoint selector over pod labels plus the namespace keys Cilium adds; undefined when a key is outside them. */
function ciliumSelects(sel: LabelSelector, ns: string, labels: Labels, nsLabels: Labels): boolean | undefined {
  const strip = (k: string): string | undefined => {
    const m = /^(k8s|any):(.*)$/.exec(k);
    const key = m ? m[2]! : k;
    if (/^[a-z]+:/.test(key) || key.startsWith('io.cilium.k8s.policy.')) return undefined;
    return key;
  };
  const all: Record<string, string> = { ...labels, [CILIUM_NS]: ns };
  for (const [k, v] of Object.entries(nsLabels)) all[CILIUM_NS_LABELS + k] = v;
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels)) {
    const key = strip(k);
    if (key === undefined) return undefined;
    matchLabels[key] = v;
  }
  const matchExpressions = [];
  for (const r of sel.matchExpressions) {
    const key = strip(r.key);
    if (key === undefined) return undefined;
    matchExpressions.push({ ...r, key });
  }
  return selectorMatches({ ...sel, matchLabels, matchExpressions }, all);
}

/** Whether a Calico or Cilium policy selects pods of `ns` with `labels` (`may`: cannot tell offline). */
export function thirdPartySelects(p: ThirdPartyPolicy, ns: string, labels: Labels, nsLabels: Labels): Select {
  if (!p.clusterWide && p.object.namespace !== ns) return 'no';
  if (p.engine === 'Calico') {
    const withNs = { ...labels, 'projectcalico.org/namespace': ns };
    if (p.clusterWide && p.namespaceSelectorText !== undefined) {
      const nsMatch = calicoSelectorMatches(p.namespaceSelectorText, { ...nsLabels, [NAMESPACE_NAME_LABEL]: ns, 'projectcalico.org/name': ns });
      if (nsMatch === false) return 'no';
      if (nsMatch === undefined) return 'may';
    }
    const m = calicoSelectorMatches(p.selector, withNs);
    return m === undefined ? 'may' : m ? 'yes' : 'no';
  }
  if (p.nodeOnly) return 'no';
  if (p.endpointSelectors.length === 0) return 'may';
  let best: Select = 'no';
  for (const sel of p.endpointSelectors) {
    const m = ciliumSelects(sel, ns, labels, nsLabels);
    if (m === true) return 'yes';
    if (m === undefined) best = 'may';
  }
  return best;
}

/** The Calico/Cilium policies that select (or may select) a workload's pods. */
export function thirdPartyPoliciesOn(ws: Workspace, w: Workload): ThirdPartyPolicy[] {
  const list = thirdPartyPolicies(ws);
  if (list.length === 0) return [];
  const ns = w.object.namespace;
  const nsLabels = ws.namespaces.get(ns)?.labels ?? { [NAMESPACE_NAME_LABEL]: ns };
  return list.filter(p => thirdPartySelects(p, ns, w.podLabels, nsLabels) !== 'no');
}

/** `Calico GlobalNetworkPolicy 'name'` or `Cilium CiliumNetworkPolicy 'ns/name'`. */
export function thirdPartyTitle(p: ThirdPartyPolicy): string {
  const o = p.object;
  return `${p.engine} ${o.kind} '${p.clusterWide ? o.name : `${o.namespace}/${o.name}`}'`;
}
