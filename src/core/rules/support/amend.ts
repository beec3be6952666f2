/**
 * Quick fixes that add a rule to a NetworkPolicy: pick the policy to amend, write the rule with the
 * quick-fix emitter (`emit.ts`: the file's own indentation), and insert
 * it after the last rule, in place of an empty flow list, or under a new `ingress:`/`egress:` key.
 * When only namespace-wide (`podSelector: {}`) policies isolate the pods, a new policy for just
 * those pods is added after the namespace-wide one instead, so the fix never opens a whole namespace.
 */
import { isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { isEmptySelector } from '../../net/selectors';
import type { NetworkPolicy } from '../../parse/views/policy';
import type { Protocol } from '../../parse/views/protocol';
import type { Workload } from '../../parse/views/workload';
import { at, spanOf } from '../../parse/yaml';
import type { Workspace } from '../../workspace';
import { NAMESPACE_NAME_LABEL } from '../../workspace';
import type { Edit } from '../rule';
import { itemLines, mapLines, seqLines, styleOf, type YamlValue } from './emit';
import { appendLinesAfter, columnOf, dashPrefix, isBlock } from './text';

/**
 * The policy a new rule for `w` goes into: among `policies` (those isolating `w` in the direction),
 * the one with the most specific podSelector, then one that already has rules of that direction,
 * then the first. Undefined when none selects by labels (only namespace-wide policies).
 */
export function policyToAmend(policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress'): NetworkPolicy | undefined {
  const specific = policies.filter(p => !isEmptySelector(p.podSelector));
  const weight = (p: NetworkPolicy) => Object.keys(p.podSelector.matchLabels).length + p.podSelector.matchExpressions.length;
  return [...specific].sort((a, b) => weight(b) - weight(a) || Number(!!b[direction]?.length) - Number(!!a[direction]?.length))[0];
}

/** The labels that identify a workload's pods: its selector's matchLabels when they select them, else all pod labels. */
export function identityLabels(w: Workload): Record<string, string> {
  const sel = w.selector?.matchLabels ?? {};
  const ok = Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => w.podLabels[k] === v);
  return { ...(ok ? sel : w.podLabels) };
}

/** One `from`/`to` peer for pods with `labels` in `namespace`, seen from a policy in `policyNamespace`. */
export function podPeer(labels: Record<string, string>, namespace: string, policyNamespace: string): { [key: string]: YamlValue } {
  const peer: { [key: string]: YamlValue } = { podSelector: { matchLabels: labels } };
  if (namespace !== policyNamespace) peer['namespaceSelector'] = { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
  return peer;
}

/** A policy rule: `from`/`to` the peers, on the ports. */
export function policyRule(direction: 'ingress' | 'egress', peers: YamlValue[], ports: ReadonlyArray<{ protocol: Protocol; port: number }>): { [key: string]: YamlValue } {
  return {
    [direction === 'ingress' ? 'from' : 'to']: peers,
    ports: ports.map(p => ({ protocol: p.protocol, port: p.port })),
  };
}

/**
 * An edit adding `rules` to the `direction` rules of `p`: after its last rule, in place of an empty
 * flow list, or under a new key at the end of `spec`. Undefined for layouts it cannot edit safely
 * (a non-empty flow list, a flow `spec`).
 */
export function appendPolicyRules(ws: Workspace, p: NetworkPolicy, direction: 'ingress' | 'egress', rules: YamlValue[]): Edit | undefined {
  const o = p.object;
  const manifest = ws.get(o.file)?.manifest;
  if (manifest === undefined) return undefined;
  const text = manifest.text;
  const s = styleOf(text, o, manifest);
  const doc = o.doc;
  const spec = at(doc, o.node, 'spec');
  if (!isMap(spec) || !isBlock(spec)) return undefined;
  const list = at(doc, spec, direction);
  const pair = (spec as YAMLMap).items.find(i => spanOf(i.key) && String((i.key as { value?: unknown }).value) === direction);
  const keyStart = spanOf(pair?.key)?.start;
  if (isSeq(list) && isBlock(list) && (list as YAMLSeq).items.length) {
    const seq = list as YAMLSeq;
    const first = spanOf(seq.items[0]);
    const prefix = first && dashPrefix(text, first.start);
    if (!prefix) return undefined;
    const lines = rules.flatMap(r => itemLines(r, prefix, s));
    return { file: o.file, ...appendLinesAfter(text, spanOf(seq)!.end, lines) };
  }
  if (isSeq(list) && (list as YAMLSeq).items.length === 0 && keyStart !== undefined) {
    const keyCol = columnOf(text, keyStart);
    const span = spanOf(list)!;
    return { file: o.file, span, newText: '\n' + seqLines(rules, keyCol + s.seqOffset, s).join('\n') };
  }
  if (list !== undefined && list !== null && !(isScalar(list) && list.value === null)) return undefined;
  const firstKey = spanOf((spec as YAMLMap).items[0]?.key);
  if (!firstKey) return undefined;
  const col = columnOf(text, firstKey.start);
  if (pair) {
    // `egress:` with no value (null): put the rules under the key.
    const end = spanOf(pair.key)!.end;
    const colon = text.indexOf(':', end);
    if (colon < 0) return undefined;
    const eol = text.indexOf('\n', colon);
    const at2 = eol < 0 ? text.length : eol;
    return { file: o.file, span: { start: at2, end: at2 }, newText: '\n' + seqLines(rules, col + s.seqOffset, s).join('\n') };
  }
  const lines = [`${' '.repeat(col)}${direction}:`, ...seqLines(rules, col + s.seqOffset, s)];
  return { file: o.file, ...appendLinesAfter(text, spanOf(spec)!.end, lines) };
}

/**
 * An edit adding a new NetworkPolicy for `w`'s pods after the document of `after` (a namespace-wide
 * policy isolating them), with one `direction` rule: used when no label-selecting policy exists.
 */
export function newPolicyAfter(ws: Workspace, after: NetworkPolicy, w: Workload, name: string, direction: 'ingress' | 'egress', rules: YamlValue[]): Edit | undefined {
  const o = after.object;
  const manifest = ws.get(o.file)?.manifest;
  const text = manifest?.text;
  const docEnd = spanOf(o.node)?.end;
  // Only a document's root object can be followed by a new document.
  if (text === undefined || docEnd === undefined || !isBlock(o.node) || o.doc.contents !== o.node) return undefined;
  const s = styleOf(text, o, manifest);
  const policy: { [key: string]: YamlValue } = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: w.object.namespace },
    spec: {
      podSelector: { matchLabels: identityLabels(w) },
      policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
      [direction]: rules,
    },
  };
  return { file: o.file, ...appendLinesAfter(text, docEnd, ['---', ...mapLines(policy, columnOf(text, spanOf(o.node)!.start), s)]) };
}
