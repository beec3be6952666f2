/**
 * What the API server rejects, read from the YAML as the API machinery decodes and validates it:
 * values of the wrong type (the JSON decoder refuses `containerPort: []` or `ports: {}`), label keys
 * and values (`IsQualifiedName`, `IsValidLabelValue` of apimachinery), label selectors, and the
 * NetworkPolicy spec (`pkg/apis/networking/validation`: ports, port ranges, peers, ipBlocks,
 * policyTypes). An object with a rejection is not in force: the index leaves it out of the analysis
 * (see `workspace.ts`), and the rules report each rejection at its exact range.
 *
 * Only the fields the analysis reads are checked: saying "rejected" is a verdict, so every check
 * here is one the API server makes.
 *
 * Over 400 lines: one Collector walks every field the analysis reads, and each kind's checks
 * follow in the order the API server's validation makes them; they share the collector, the type
 * checks and the label rules.
 */
import { type Scalar } from 'yaml';
import { isMap, isScalar, isSeq } from './yaml-nodes';
import { isStrictSubsetForValidation, parseCIDR } from '../net/ip';
import type { Span } from '../span';
import { isKind, isWorkload } from './kinds';
import type { K8sObject } from './manifest';
import { formatSelector } from '../net/selectors';
import { labelSelector } from './views/selectors';
import { deref, entries, isNull, items, pairOf, spanOf, text, type YDoc } from './yaml';

/** Which check a rejection comes from; rules that own a code report those, `api-rejected` the rest. */
export type RejectionCode =
  | 'wrong-type' | 'label-key' | 'label-value' | 'selector-operator' | 'selector-values'
  | 'port-range' | 'port-name' | 'protocol' | 'endport' | 'policy-type'
  | 'empty-peer' | 'ipblock-with-selector' | 'ipblock-cidr' | 'ipblock-except' | 'required';

export interface Rejection {
  readonly code: RejectionCode;
  readonly span: Span;
  /** One sentence naming the offending value and what the API server wants. */
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// apimachinery/pkg/util/validation

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `${VAR}`, `$(VAR)` and `{{ x }}`: substituted by envsubst, a pipeline or a template before the manifest is applied. What
 * the value will be is unknown, so the validation abstains on it.
 */
const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|\{\{[^{}]*\}\}/;

/** A node's span; for a quoted scalar, the text inside the quotes (what the value is). */
function vspan(node: unknown): Span | undefined {
  const s = spanOf(node);
  if (s && isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && s.end - s.start >= 2) {
    return { start: s.start + 1, end: s.end - 1 };
  }
  return s;
}

/** Whether a string holds a placeholder: its final value is unknown. */
export function hasPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** Whether a node is a string holding a placeholder: its final value and type are unknown. */
function isPlaceholder(doc: YDoc, node: unknown): boolean {
  const n = deref(doc, node);
  return isScalar(n) && typeof n.value === 'string' && PLACEHOLDER.test(n.value);
}

/** Why `key` is not a qualified name (`IsQualifiedName`), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  if (PLACEHOLDER.test(key)) return undefined;
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) return 'its prefix before "/" is empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `its prefix "${prefix}" is not a DNS subdomain (lower-case letters, digits, "-" and ".")`;
  } else if (parts.length > 2) {
    return 'it has more than one "/"';
  }
  if (name.length === 0) return 'its name part is empty';
  if (name.length > 63) return 'its name part is longer than 63 characters';
  if (!QUALIFIED_NAME.test(name)) return 'its name must be letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `value` is not a label value (`IsValidLabelValue`), or undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
  if (PLACEHOLDER.test(value)) return undefined;
  if (value.length > 63) return 'it is longer than 63 characters';
  if (!LABEL_VALUE.test(value)) return 'a label value must be empty or letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `name` is not a port name (`IsValidPortName`, an IANA service name), or undefined. */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return 'a port name has 1 to 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'a port name has only lower-case letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'a port name has at least one letter';
  if (name.includes('--')) return 'a port name has no "--"';
  if (name.startsWith('-') || name.endsWith('-')) return 'a port name neither starts nor ends with "-"';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading with types

type Expected = 'map' | 'list' | 'string' | 'integer' | 'boolean' | 'integer or string';

function typeName(doc: YDoc, node: unknown): string {
  const n = deref(doc, node);
  if (isMap(n)) return 'a map';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
    if (typeof v === 'number') return `the number ${n.source ?? v}`;
    if (typeof v === 'boolean') return `the boolean ${n.source ?? v}`;
    if (v instanceof Date) return `the timestamp ${n.source ?? ''}`;
  }
  return 'a value of another type';
}

function hasType(doc: YDoc, node: unknown, want: Expected): boolean {
  const n = deref(doc, node);
  switch (want) {
    case 'map': return isMap(n);
    case 'list': return isSeq(n);
    case 'string': return isScalar(n) && typeof n.value === 'string';
    case 'integer': return isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value);
    case 'boolean': return isScalar(n) && typeof n.value === 'boolean';
    case 'integer or string': return isScalar(n) && (typeof n.value === 'string' || (typeof n.value === 'number' && Number.isInteger(n.value)));
  }
}

/** The value's span when it is a scalar, else its key's (a whole map or list is too wide to mark). */
function markOf(doc: YDoc, key: Scalar | undefined, value: unknown): Span | undefined {
  const v = deref(doc, value);
  if (isScalar(v)) {
    const s = vspan(v);
    if (s && s.end > s.start) return s;
  }
  return vspan(key) ?? vspan(v);
}

class Collector {
  readonly out: Rejection[] = [];
  constructor(readonly doc: YDoc, readonly kind: string, readonly node: unknown) {}

  add(code: RejectionCode, span: Span | undefined, message: string): void {
    if (span) this.out.push({ code, span, message });
  }

  /**
   * The value of `key` in `map` when it is present and of type `want`; a present value of another
   * type is reported (the JSON decoder rejects the object) and undefined is returned.
   */
  field(map: unknown, key: string, want: Expected, path: string): { key: Scalar; value: unknown } | undefined {
    const pair = pairOf(this.doc, map, key);
    if (!pair || isNull(this.doc, pair[1])) return undefined;
    const [k, v] = pair;
    if (!hasType(this.doc, v, want)) {
      // A placeholder (`${2}`, `$(VALUE)`) stands for what a template or pipeline puts there.
      if (isPlaceholder(this.doc, v)) return undefined;
      this.add('wrong-type', markOf(this.doc, k, v),
        `${path} must be ${want === 'integer' ? 'an integer' : want === 'integer or string' ? 'an integer or a string' : `a ${want}`}, not ${typeName(this.doc, v)}: the API server cannot decode this ${this.kind}.`);
      return undefined;
    }
    return { key: k, value: deref(this.doc, v) };
  }

  /** Items of a list field (reported when not a list). */
  list(map: unknown, key: string, path: string): unknown[] {
    const f = this.field(map, key, 'list', path);
    return f ? items(this.doc, f.value) : [];
  }

  /** A map whose values must be strings (annotations, ConfigMap data): only the types are checked. */
  stringValues(map: unknown, key: string, path: string): void {
    const f = this.field(map, key, 'map', path);
    for (const [name, k, v] of f ? entries(this.doc, f.value) : []) {
      if (isNull(this.doc, v) || hasType(this.doc, v, 'string')) continue;
      this.add('wrong-type', markOf(this.doc, k, v), `${path}.${name} must be a string, not ${typeName(this.doc, v)} (quote it): the API server cannot decode this ${this.kind}.`);
    }
  }

  /** A map of string to string (labels, matchLabels, a Service selector), keys and values checked. */
  labels(map: unknown, key: string, path: string, what: 'label' | 'selector'): void {
    const f = this.field(map, key, 'map', path);
    if (!f) return;
    for (const [name, k, v] of entries(this.doc, f.value)) {
      const keyProblem = labelKeyProblem(name);
      if (keyProblem) {
        this.add('label-key', vspan(k), `${what === 'label' ? 'Label' : 'Selector'} key "${name}" is not a valid label key (${keyProblem}), so the API server rejects this ${this.kind}.`);
      }
      if (isNull(this.doc, v)) continue;
      if (!hasType(this.doc, v, 'string')) {
        this.add('wrong-type', markOf(this.doc, k, v),
          `${path}.${name} must be a string, not ${typeName(this.doc, v)} (quote it): the API server cannot decode this ${this.kind}.`);
        continue;
      }
      const value = String((deref(this.doc, v) as Scalar).value);
      const valueProblem = labelValueProblem(value);
      if (valueProblem) {
        this.add('label-value', markOf(this.doc, k, v), `${what === 'label' ? 'Label' : 'Selector'} value "${value}" of ${name} is not a valid label value (${valueProblem}), so the API server rejects this ${this.kind}.`);
      }
    }
  }

  /** A metav1.LabelSelector (`ValidateLabelSelector`). */
  labelSelector(map: unknown, key: string, path: string): void {
    const f = this.field(map, key, 'map', path);
    if (!f) return;
    this.labels(f.value, 'matchLabels', `${path}.matchLabels`, 'selector');
    for (const r of this.list(f.value, 'matchExpressions', `${path}.matchExpressions`)) {
      if (!isMap(r)) {
        this.add('wrong-type', vspan(r), `${path}.matchExpressions items must be maps, not ${typeName(this.doc, r)}.`);
        continue;
      }
      const k = this.field(r, 'key', 'string', `${path}.matchExpressions.key`);
      const keyText = k ? String((k.value as Scalar).value) : '';
      const problem = labelKeyProblem(keyText);
      if (problem) this.add('label-key', k ? vspan(k.value) : vspan(r), `Selector key "${keyText}" is not a valid label key (${problem}), so the API server rejects this ${this.kind}.`);
      const op = this.field(r, 'operator', 'string', `${path}.matchExpressions.operator`);
      const opText = op ? String((op.value as Scalar).value) : '';
      const valuesField = this.field(r, 'values', 'list', `${path}.matchExpressions.values`);
      const values = valuesField ? items(this.doc, valuesField.value) : [];
      if (opText === 'In' || opText === 'NotIn') {
        if (values.length === 0) this.add('selector-values', vspan(op?.value) ?? vspan(r), `Operator ${opText} needs at least one value, so the API server rejects this ${this.kind}.`);
      } else if (opText === 'Exists' || opText === 'DoesNotExist') {
        if (values.length > 0) this.add('selector-values', vspan(valuesField?.key), `Operator ${opText} takes no values, so the API server rejects this ${this.kind}.`);
      } else {
        this.add('selector-operator', vspan(op?.value) ?? vspan(r), `"${opText}" is not a selector operator (In, NotIn, Exists or DoesNotExist), so the API server rejects this ${this.kind}.`);
      }
      for (const v of values) {
        if (!hasType(this.doc, v, 'string')) {
          this.add('wrong-type', markOf(this.doc, undefined, v), `Selector values must be strings, not ${typeName(this.doc, v)} (quote it): the API server cannot decode this ${this.kind}.`);
          continue;
        }
        const value = String((v as Scalar).value);
        const valueProblem = labelValueProblem(value);
        if (valueProblem) this.add('label-value', vspan(v), `Selector value "${value}" of ${keyText} is not a valid label value (${valueProblem}), so the API server rejects this ${this.kind}.`);
      }
    }
  }

  /** `emptyIsTCP`: Service and container ports, whose `""` the API server defaults to TCP (a NetworkPolicy port's it does not). */
  protocol(map: unknown, path: string, emptyIsTCP = false): void {
    const f = this.field(map, 'protocol', 'string', `${path}.protocol`);
    if (!f) return;
    const v = String((f.value as Scalar).value);
    if (emptyIsTCP && v === '') return;
    if (v !== 'TCP' && v !== 'UDP' && v !== 'SCTP' && !PLACEHOLDER.test(v)) {
      this.add('protocol', vspan(f.value), `Protocol "${v}" is not TCP, UDP or SCTP (upper case), so the API server rejects this ${this.kind}.`);
    }
  }
}

const inPortRange = (n: number) => n >= 1 && n <= 65535;

// ---------------------------------------------------------------------------------------------
// Objects

function validateMetadata(c: Collector, o: K8sObject): void {
  const meta = c.field(o.node, 'metadata', 'map', 'metadata');
  if (!meta) return;
  c.field(meta.value, 'name', 'string', 'metadata.name');
  c.field(meta.value, 'namespace', 'string', 'metadata.namespace');
  c.labels(meta.value, 'labels', 'metadata.labels', 'label');
  // Annotation values are strings too (`prometheus.io/scrape: true` cannot be decoded).
  c.stringValues(meta.value, 'annotations', 'metadata.annotations');
}

function validatePodTemplate(c: Collector, o: K8sObject): void {
  const doc = c.doc;
  let spec: unknown;
  if (o.kind === 'Pod') {
    spec = c.field(o.node, 'spec', 'map', 'spec')?.value;
  } else {
    let holder: unknown = c.field(o.node, 'spec', 'map', 'spec')?.value;
    let path = 'spec';
    if (o.kind === 'CronJob') {
      holder = c.field(c.field(holder, 'jobTemplate', 'map', 'spec.jobTemplate')?.value, 'spec', 'map', 'spec.jobTemplate.spec')?.value;
      path = 'spec.jobTemplate.spec';
    }
    const template = c.field(holder, 'template', 'map', `${path}.template`)?.value;
    const meta = c.field(template, 'metadata', 'map', `${path}.template.metadata`)?.value;
    c.labels(meta, 'labels', `${path}.template.metadata.labels`, 'label');
    spec = c.field(template, 'spec', 'map', `${path}.template.spec`)?.value;
  }
  if (spec === undefined) return;
  c.field(spec, 'hostNetwork', 'boolean', 'hostNetwork');
  for (const field of ['initContainers', 'containers'] as const) {
    for (const container of c.list(spec, field, field)) {
      if (!isMap(container)) continue;
      c.field(container, 'restartPolicy', 'string', `${field}.restartPolicy`);
      for (const port of c.list(container, 'ports', `${field}.ports`)) {
        if (!isMap(port)) {
          c.add('wrong-type', vspan(port), `${field}.ports items must be maps, not ${typeName(doc, port)}: the API server cannot decode this ${o.kind}.`);
          continue;
        }
        const n = c.field(port, 'containerPort', 'integer', `${field}.ports.containerPort`);
        if (n && !inPortRange((n.value as Scalar<number>).value)) {
          c.add('port-range', vspan(n.value), `containerPort ${(n.value as Scalar<number>).value} is outside 1-65535, so the API server rejects this ${o.kind}.`);
        }
        const name = c.field(port, 'name', 'string', `${field}.ports.name`);
        if (name && !isPlaceholder(doc, name.value)) {
          const problem = portNameProblem(String((name.value as Scalar).value));
          if (problem) c.add('port-name', vspan(name.value), `Port name "${String((name.value as Scalar).value)}" is not valid (${problem}), so the API server rejects this ${o.kind}.`);
        }
        c.protocol(port, `${field}.ports`, true);
      }
    }
  }
}

function validateNetworkPolicy(c: Collector, o: K8sObject): void {
  const doc = c.doc;
  const spec = c.field(o.node, 'spec', 'map', 'spec')?.value;
  if (spec === undefined) return;
  c.labelSelector(spec, 'podSelector', 'spec.podSelector');
  const types = c.list(spec, 'policyTypes', 'spec.policyTypes');
  if (types.length > 2) {
    c.add('policy-type', vspan(pairOf(doc, spec, 'policyTypes')?.[0]), `policyTypes lists ${types.length} types; at most two (Ingress, Egress) are allowed, so the API server rejects this NetworkPolicy.`);
  } else {
    for (const t of types) {
      const v = isScalar(t) ? t.value : undefined;
      if (v !== 'Ingress' && v !== 'Egress') {
        c.add('policy-type', vspan(t), `policyTypes entry ${isScalar(t) ? `"${String(v)}"` : typeName(doc, t)} is not Ingress or Egress, so the API server rejects this NetworkPolicy.`);
      }
    }
  }
  for (const direction of ['ingress', 'egress'] as const) {
    const peerKey = direction === 'ingress' ? 'from' : 'to';
    for (const rule of c.list(spec, direction, `spec.${direction}`)) {
      if (isNull(doc, rule)) continue;
      if (!isMap(rule)) {
        c.add('wrong-type', vspan(rule), `spec.${direction} items must be maps, not ${typeName(doc, rule)}: the API server cannot decode this NetworkPolicy.`);
        continue;
      }
      for (const port of c.list(rule, 'ports', `${direction}.ports`)) {
        if (isNull(doc, port)) continue;
        if (!isMap(port)) {
          c.add('wrong-type', vspan(port), `${direction}.ports items must be maps, not ${typeName(doc, port)}: the API server cannot decode this NetworkPolicy.`);
          continue;
        }
        validatePolicyPort(c, port, direction);
      }
      for (const peer of c.list(rule, peerKey, `${direction}.${peerKey}`)) {
        if (!isNull(doc, peer) && !isMap(peer)) {
          c.add('wrong-type', vspan(peer), `${peerKey} items must be maps, not ${typeName(doc, peer)}: the API server cannot decode this NetworkPolicy.`);
          continue;
        }
        validatePeer(c, peer, direction);
      }
    }
  }
}

function validatePolicyPort(c: Collector, port: unknown, direction: string): void {
  c.protocol(port, `${direction}.ports`);
  const p = c.field(port, 'port', 'integer or string', `${direction}.ports.port`);
  const e = c.field(port, 'endPort', 'integer', `${direction}.ports.endPort`);
  const pv = p ? (p.value as Scalar).value as number | string : undefined;
  const ev = e ? (e.value as Scalar<number>).value : undefined;
  if (typeof pv === 'number' && !inPortRange(pv)) c.add('port-range', vspan(p!.value), `port ${pv} is outside 1-65535.`);
  if (typeof pv === 'string' && !PLACEHOLDER.test(pv)) {
    const problem = portNameProblem(pv);
    if (problem) c.add('port-name', vspan(p!.value), `Port "${pv}" is not a valid port name (${problem}), so the API server rejects this NetworkPolicy.`);
  }
  if (ev === undefined || !e) return;
  const span = vspan(e.value);
  if (pv === undefined) {
    c.add('endport', span, `endPort ${ev} is set without a port, which the API server rejects; add port: <first port of the range>.`);
  } else if (typeof pv === 'string') {
    c.add('endport', span, `endPort ${ev} cannot follow the named port "${pv}", which the API server rejects; use a port number or drop endPort.`);
  } else if (!inPortRange(ev)) {
    c.add('endport', span, `endPort ${ev} is outside 1-65535.`);
  } else if (ev < pv) {
    c.add('endport', span, `endPort ${ev} is below port ${pv}, which the API server rejects; the range must run from port up to endPort.`);
  }
}

function validatePeer(c: Collector, peer: unknown, direction: 'ingress' | 'egress'): void {
  const doc = c.doc;
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const present = (k: string) => { const pr = pairOf(doc, peer, k); return !!pr && !isNull(doc, pr[1]); };
  const hasPods = present('podSelector');
  const hasNamespaces = present('namespaceSelector');
  const hasBlock = present('ipBlock');
  c.labelSelector(peer, 'podSelector', `${peerKey}.podSelector`);
  c.labelSelector(peer, 'namespaceSelector', `${peerKey}.namespaceSelector`);
  const block = c.field(peer, 'ipBlock', 'map', `${peerKey}.ipBlock`);
  if (!hasPods && !hasNamespaces && !hasBlock) {
    const nulls = entries(doc, peer).filter(([, , v]) => isNull(doc, v)).map(([k]) => `${k}:`);
    const written = nulls.length ? `${nulls.join(' ')} with no value (a field without a value is unset)` : '{}';
    c.add('empty-peer', tightSpan(doc, peer),
      `${peerKey} peer ${written} sets no podSelector, namespaceSelector or ipBlock, which the API server rejects; to mean every ${direction === 'ingress' ? 'source' : 'destination'}, leave out the ${peerKey} list.`);
    return;
  }
  if (hasBlock && (hasPods || hasNamespaces)) {
    const sel = hasPods
      ? `podSelector ${formatSelector(labelSelector(doc, pairOf(doc, peer, 'podSelector')![1]))}`
      : `namespaceSelector ${formatSelector(labelSelector(doc, pairOf(doc, peer, 'namespaceSelector')![1]))}`;
    const cidr = text(doc, pairOf(doc, pairOf(doc, peer, 'ipBlock')![1], 'cidr')?.[1])?.value ?? '';
    c.add('ipblock-with-selector', vspan(pairOf(doc, peer, 'ipBlock')?.[0]),
      `ipBlock ${cidr} shares one peer with ${sel}, which the API server rejects; make them two ${peerKey} items.`);
  }
  if (!block) return;
  const cidr = c.field(block.value, 'cidr', 'string', `${peerKey}.ipBlock.cidr`);
  const cidrText = cidr ? String((cidr.value as Scalar).value) : '';
  // ValidateIPBlock (pkg/apis/networking/validation): IsValidCIDRForLegacyField, i.e.
  // netutils.ParseCIDRSloppy while StrictIPCIDRValidation is off (the default): leading zeros are
  // accepted as decimal, with a warning (GetWarningsForCIDR); the hover says so.
  const parsed = parseCIDR(cidrText, 'legacy');
  if (!cidr) {
    if (isNull(doc, pairOf(doc, block.value, 'cidr')?.[1])) c.add('required', vspan(block.key), 'ipBlock has no cidr, which the API server rejects.');
  } else if (!parsed.ok) {
    c.add('ipblock-cidr', vspan(cidr.value), `ipBlock cidr: ${parsed.error}.`);
  }
  for (const x of c.list(block.value, 'except', `${peerKey}.ipBlock.except`)) {
    if (!hasType(doc, x, 'string')) {
      c.add('wrong-type', markOf(doc, undefined, x), `ipBlock except entries must be strings, not ${typeName(doc, x)}.`);
      continue;
    }
    const xp = parseCIDR(String((x as Scalar).value), 'legacy');
    if (!xp.ok) { c.add('ipblock-cidr', vspan(x), `ipBlock except: ${xp.error}.`); continue; }
    if (!parsed.ok) continue;
    if (!isStrictSubsetForValidation(parsed.cidr, xp.cidr)) c.add('ipblock-except', vspan(x), `except ${String((x as Scalar).value)} is not a strict subset of cidr ${cidrText}, which the API server rejects.`);
  }
}

/** A map's span from its first key to its last value (a block map's range runs on over comments). */
function tightSpan(doc: YDoc, node: unknown): Span | undefined {
  const m = deref(doc, node);
  const whole = vspan(m);
  if (!isMap(m) || !whole || m.items.length === 0) return whole;
  let end = whole.start;
  for (const pair of m.items) {
    for (const part of [pair.key, pair.value]) {
      const r = (part as { range?: [number, number, number] } | null)?.range;
      if (r && r[1] > end) end = r[1];
    }
  }
  return { start: whole.start, end };
}

function validateService(c: Collector): void {
  const doc = c.doc;
  const spec = c.field(c.node, 'spec', 'map', 'spec')?.value;
  if (spec === undefined) return;
  c.labels(spec, 'selector', 'spec.selector', 'selector');
  for (const port of c.list(spec, 'ports', 'spec.ports')) {
    if (!isMap(port)) {
      c.add('wrong-type', vspan(port), `spec.ports items must be maps, not ${typeName(doc, port)}: the API server cannot decode this Service.`);
      continue;
    }
    c.protocol(port, 'spec.ports', true);
    const n = c.field(port, 'port', 'integer', 'spec.ports.port');
    const pv = n ? (n.value as Scalar<number>).value : undefined;
    if (pv !== undefined && !inPortRange(pv)) c.add('port-range', vspan(n!.value), `port ${pv} is outside 1-65535, so the API server rejects this Service.`);
    const t = c.field(port, 'targetPort', 'integer or string', 'spec.ports.targetPort');
    // 0 and "" are defaulted to `port` before validation (SetDefaults_Service, pkg/apis/core/v1/defaults.go).
    const written = t ? (t.value as Scalar).value as number | string : undefined;
    const tv = written === 0 || written === '' ? undefined : written;
    if (typeof tv === 'number' && !inPortRange(tv)) c.add('port-range', vspan(t!.value), `targetPort ${tv} is outside 1-65535, so the API server rejects this Service.`);
    if (typeof tv === 'string' && !PLACEHOLDER.test(tv)) {
      const problem = portNameProblem(tv);
      if (problem) c.add('port-name', vspan(t!.value), `targetPort "${tv}" is not a valid port name (${problem}), so the API server rejects this Service.`);
    }
    c.field(port, 'nodePort', 'integer', 'spec.ports.nodePort');
    c.field(port, 'name', 'string', 'spec.ports.name');
  }
}

const cache = new WeakMap<K8sObject, readonly Rejection[]>();

const NO_REJECTIONS: readonly Rejection[] = Object.freeze([]);

/**
 * Every reason the API server would reject `o`, in text order; [] when it accepts it (as far as
 * the fields the analysis reads go). Kinds the analysis does not read are not checked.
 */
export function rejections(o: K8sObject): readonly Rejection[] {
  const cached = cache.get(o);
  if (cached) return cached;
  const c = new Collector(o.doc, o.kind, o.node);
  const known = isWorkload(o) || ['Service', 'Namespace', 'NetworkPolicy', 'Ingress', 'ConfigMap', 'Endpoints', 'EndpointSlice'].some(k => isKind(o, k));
  if (known && isMap(deref(o.doc, o.node))) {
    validateMetadata(c, o);
    if (isWorkload(o)) validatePodTemplate(c, o);
    if (isKind(o, 'NetworkPolicy')) validateNetworkPolicy(c, o);
    if (isKind(o, 'Service')) validateService(c);
    if (isKind(o, 'ConfigMap')) c.stringValues(o.node, 'data', 'data');
  }
  // Most objects have none: one shared empty list instead of one per object.
  const out = c.out.length ? c.out.sort((a, b) => a.span.start - b.span.start) : NO_REJECTIONS;
  cache.set(o, out);
  return out;
}

/** Whether the API server accepts `o` (no {@link rejections}): only such objects are in force. */
export function accepted(o: K8sObject): boolean {
  return rejections(o).length === 0;
}
