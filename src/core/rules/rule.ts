/**
 * The rule framework. A rule is metadata plus a `check` over one object; it reports YAML spans,
 * never hand-computed positions. The runner applies severities from settings, suppression comments
 * and annotations, and attaches the rule id to each finding.
 */
import { objectRef, type K8sObject } from '../parse/manifest';
import type { Span } from '../span';
import type { FileEntry, Workspace } from '../workspace';

export type RuleSeverity = 'error' | 'warning' | 'info' | 'hint';

/** A text edit in some file, by offsets. */
export interface Edit {
  readonly file: string;
  readonly span: Span;
  readonly newText: string;
}

/** A one-click fix: exact edits that keep indentation and comments. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
  /** The fix to apply with "auto fix" (one per finding at most). */
  readonly preferred?: boolean;
}

/** Another place involved in a finding (the Deployment whose labels a Service almost matches). */
export interface Related {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: RuleSeverity;
  readonly file: string;
  readonly span: Span;
  /** One sentence that names the offending value. */
  readonly message: string;
  readonly fixes: readonly Fix[];
  readonly related: readonly Related[];
}

export interface Report {
  /** Where: a span in the object's file. */
  readonly span: Span;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly Related[];
  /** Overrides the rule's default severity for this finding (e.g. a hint-level variant). */
  readonly severity?: RuleSeverity;
}

export interface RuleContext {
  readonly workspace: Workspace;
  /** The file entry the object belongs to. */
  readonly entry: FileEntry;
  report(r: Report): void;
}

export interface RuleDocs {
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Why it matters. */
  readonly rationale: string;
}

export interface Rule {
  /** kebab-case, equals the file name, never renamed. */
  readonly id: string;
  readonly severity: RuleSeverity;
  /** Rules off by default are listed but run only when a setting turns them on. */
  readonly enabledByDefault?: boolean;
  /** Kinds whose objects `check` is called for; undefined for every object. */
  readonly kinds?: readonly string[];
  readonly docs: RuleDocs;
  check(object: K8sObject, ctx: RuleContext): void;
}

/** An object as the related place of a finding: its name (its kind when unnamed), called `Kind ns/name`. */
export function relatedObject(o: K8sObject, message = objectRef(o)): Related {
  return { file: o.file, span: o.nameSpan ?? o.kindSpan, message };
}

/** Identity helper that gives rule files a uniform shape and type checking. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
