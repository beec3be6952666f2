/**
 * Runs the rule catalogue over files of a workspace. Per-rule severity (or `off`) comes from
 * settings; `# kube-netlens-disable-next-line <ids>` comments and the `kube-netlens.io/ignore`
 * annotation suppress findings. File problems (syntax errors, skipped files) come out as findings too,
 * with their problem code as the rule id, so every consumer sees one list.
 */
import { reportContained } from '../contained';
import { visit, type Document } from 'yaml';
import type { Span } from '../span';
import type { FileEntry, Workspace } from '../workspace';
import { isKind } from '../parse/kinds';
import { RULES } from './index';
import { wholeWorkspacePass } from '../net/policy/model';
import type { K8sObject } from '../parse/manifest';
import type { Finding, Report, Rule, RuleContext, RuleSeverity } from './rule';
import { harnessFiles } from './support/harness';

/** Per-rule severity overrides; `off` disables, `default` keeps the rule's own. */
export type RuleSettings = Readonly<Record<string, RuleSeverity | 'off' | 'default'>>;

/** The annotation listing rule ids to ignore on an object (comma-separated; `*` for all). */
export const IGNORE_ANNOTATION = 'kube-netlens.io/ignore';
const DISABLE_NEXT_LINE = /#\s*kube-netlens-disable-next-line\b([^\n]*)/g;

/** Ids of the file problems reported alongside rules. */
export const FILE_PROBLEM_IDS = ['yaml-syntax', 'helm-template', 'file-too-large', 'not-text', 'too-many-documents'] as const;

/** The empty list of fixes or related places most findings have, shared (findings are only read). */
const NONE: readonly never[] = Object.freeze([]);

function ruleSeverity(rule: Rule, settings: RuleSettings): RuleSeverity | undefined {
  const s = settings[rule.id];
  if (s === 'off') return undefined;
  if (s && s !== 'default') return s;
  return rule.enabledByDefault === false ? undefined : rule.severity;
}

/**
 * Spans of the file's string scalars that can hold a `#` that is not a comment: block scalars
 * (`|`, `>`) and quoted strings. A directive inside one is data (a script, a ConfigMap file).
 */
function stringSpans(entry: FileEntry): Span[] {
  const out: Span[] = [];
  const docs = new Set(entry.manifest.objects.map(o => o.doc));
  for (const doc of docs) {
    visit(doc as Document, {
      Scalar(_key, node) {
        if (node.type === 'PLAIN' || !node.range) return;
        out.push({ start: node.range[0], end: node.range[1] });
      },
    });
  }
  return out;
}

/** Line numbers (0-based) suppressed per rule id ('*' for every rule) by comments in the text. */
function suppressions(entry: FileEntry): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const text = entry.manifest.text;
  if (!text.includes('kube-netlens-disable-next-line')) return out;
  // Scalars never overlap: sorted by start, the one that may hold an offset is found by bisection
  // (a file of many comments and many strings stays linear-logarithmic).
  const strings = stringSpans(entry).sort((a, b) => a.start - b.start);
  const inString = (offset: number) => {
    let lo = 0;
    let hi = strings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (strings[mid]!.start <= offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && offset < strings[hi]!.end;
  };
  for (const m of text.matchAll(DISABLE_NEXT_LINE)) {
    if (inString(m.index!)) continue;
    const line = entry.manifest.lines.position(m.index!).line + 1;
    const ids = m[1]!.split(/[\s,]+/).filter(Boolean);
    out.set(line, new Set(ids.length ? ids : ['*']));
  }
  return out;
}

/**
 * Every finding for one file, in text order. Rules see the whole workspace for cross-file facts.
 * A rule that throws is reported as a finding of its own instead of taking the others down.
 */
export function checkFile(workspace: Workspace, file: string, settings: RuleSettings = {}, rules: readonly Rule[] = RULES): Finding[] {
  const entry = workspace.get(file);
  if (!entry) return [];
  const findings: Finding[] = [];
  for (const p of entry.manifest.problems) {
    const s = settings[p.code];
    if (s === 'off') continue;
    findings.push({
      rule: p.code, severity: s && s !== 'default' ? s : p.severity, file, span: p.span, message: p.message, fixes: [], related: [],
    });
  }
  const suppressed = suppressions(entry);
  const lineOf = (offset: number) => entry.manifest.lines.position(offset).line;
  // Each rule's context is made once per file, and only for a rule that applies to one of its
  // objects (a whole-workspace pass would otherwise make one for every file times every rule).
  const severities = rules.map(rule => ruleSeverity(rule, settings));
  const contexts: Array<RuleContext | undefined> = new Array(rules.length);
  const contextOf = (k: number): RuleContext => {
    const known = contexts[k];
    if (known) return known;
    const rule = rules[k]!;
    const severity = severities[k]!;
    const report = (r: Report) => {
      const ids = suppressed.get(lineOf(r.span.start));
      if (ids && (ids.has('*') || ids.has(rule.id))) return;
      findings.push({
        rule: rule.id,
        // A finding's own severity stands unless a setting names another one (`default` names none).
        severity: r.severity && (settings[rule.id] === undefined || settings[rule.id] === 'default') ? r.severity : severity,
        file, span: r.span, message: r.message, fixes: r.fixes ?? NONE,
        // Built-in objects (the kubernetes and kube-dns Services) are in no file: nothing to point at.
        related: r.related?.length ? r.related.filter(x => workspace.has(x.file)) : NONE,
      });
    };
    return (contexts[k] = { workspace, entry, report });
  };
  // Files a test harness evaluates offline (a Kyverno CLI Test's resources, a gator Suite's objects)
  // or asserts absent (chainsaw `error` files) never reach a cluster: nothing to say about their objects.
  const objects = entry.manifest.objects.length && harnessFiles(workspace).offline.has(file) ? [] : entry.manifest.objects;
  for (const object of objects) {
    const ignoreText = object.annotations[IGNORE_ANNOTATION];
    const ignore = ignoreText ? new Set(ignoreText.split(/[\s,]+/).filter(Boolean)) : undefined;
    if (ignore?.has('*')) continue;
    // In catalogue order, the rules whose kinds include the object's (a Calico `NetworkPolicy` is
    // another resource than Kubernetes's: kinds are matched by API group too).
    for (const k of rulesFor(rules, object)) {
      const rule = rules[k]!;
      if (!severities[k] || ignore?.has(rule.id)) continue;
      try {
        rule.check(object, contextOf(k));
      } catch (e) {
        reportContained(`rule:${rule.id}`, e);
        findings.push({
          rule: rule.id, severity: 'info', file, span: object.kindSpan, fixes: [], related: [],
          message: `Rule ${rule.id} could not check this object: ${(e as Error).message}`,
        });
      }
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return findings;
}

function ofKinds(object: K8sObject, kinds: readonly string[]): boolean {
  for (const k of kinds) if (isKind(object, k)) return true;
  return false;
}

/** Per rule list, per apiVersion and kind: the indices of the rules that check such an object. */
const rulesByKind = new WeakMap<readonly Rule[], Map<string, readonly number[]>>();

/** The indices in `rules` of the rules whose kinds include `object`'s (by kind and API group), in order. */
function rulesFor(rules: readonly Rule[], object: K8sObject): readonly number[] {
  let byKind = rulesByKind.get(rules);
  if (!byKind) rulesByKind.set(rules, (byKind = new Map()));
  const key = `${object.apiVersion}\u0000${object.kind}`;
  let list = byKind.get(key);
  if (!list) {
    list = rules.flatMap((rule, k) => (!rule.kinds || ofKinds(object, rule.kinds) ? [k] : []));
    // Kinds are what users write: bounded, so a hostile workspace cannot grow the table without end.
    if (byKind.size >= 4096) byKind.clear();
    byKind.set(key, list);
  }
  return list;
}

/** Findings for every file in the workspace, by file. */
export function checkWorkspace(workspace: Workspace, settings: RuleSettings = {}): Map<string, Finding[]> {
  wholeWorkspacePass(workspace);
  const out = new Map<string, Finding[]>();
  for (const file of workspace.fileNames) out.set(file, checkFile(workspace, file, settings));
  return out;
}
