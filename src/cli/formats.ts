/**
 * Output formats of `kube-netlens check`: one function per format over the same located findings.
 * Lines and columns are 1-based; an end column is the column just after the last character (SARIF's
 * convention), so `endColumn - column` is the length of a one-line range.
 */
import type { Finding, RuleSeverity } from '../core/rules/rule';
import type { LineIndex, Span } from '../core/span';

/** Where the lines of a file come from: the workspace, or a rendered project's source texts. */
export interface LineSource {
  get(file: string): { readonly manifest: { readonly lines: LineIndex } } | undefined;
}

/** A 1-based region of a file. */
export interface Region {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A finding with its region resolved against its file's text. */
export interface Located {
  readonly finding: Finding;
  readonly region: Region;
}

/** Metadata of a rule or file problem, for SARIF's rule descriptors. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: RuleSeverity;
  readonly summary: string;
  readonly rationale: string;
  readonly helpUri: string;
}

/** The 1-based region of `span` in `file` of the workspace. */
export function regionOf(ws: LineSource, file: string, span: Span): Region {
  const lines = ws.get(file)?.manifest.lines;
  if (!lines) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const s = lines.position(span.start);
  const e = lines.position(span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

/** Compiler-style lines: `file:line:col severity rule-id message`. */
export function formatText(findings: readonly Located[]): string[] {
  return findings.map(({ finding: f, region: r }) => `${f.file}:${r.line}:${r.column} ${f.severity} ${f.rule} ${f.message}`);
}

/** A JSON array of `{file, line, column, endLine, endColumn, severity, rule, message}`. */
export function formatJson(findings: readonly Located[]): string {
  return JSON.stringify(findings.map(({ finding: f, region: r }) => ({
    file: f.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn,
    severity: f.severity, rule: f.rule, message: f.message,
  })), null, 2);
}

const LEVEL: Record<RuleSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A path as a relative URI reference (forward slashes, each segment percent-encoded). */
export function uriOf(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

export function sarifRegion(r: Region) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** A SARIF 2.1.0 log with one run of kube-netlens: its rule descriptors and results (columns in UTF-16 code units). */
export function sarifLog(version: string, rules: readonly unknown[], results: readonly unknown[]): string {
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'kube-netlens', version, rules } }, columnKind: 'utf16CodeUnits', results }],
  }, null, 2);
}

/**
 * A SARIF 2.1.0 log with one run: the tool's rule descriptors (with helpUri to each rule's docs),
 * and per finding its location, related locations and fixes as replacements.
 */
export function formatSarif(ws: LineSource, findings: readonly Located[], rules: readonly RuleInfo[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const location = (file: string, span: Span) => ({
    physicalLocation: { artifactLocation: { uri: uriOf(file) }, region: sarifRegion(regionOf(ws, file, span)) },
  });
  return sarifLog(version, rules.map(r => ({
    id: r.id,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.rationale },
    helpUri: r.helpUri,
    defaultConfiguration: { level: LEVEL[r.severity] },
  })), findings.map(({ finding: f }) => ({
    ruleId: f.rule,
    ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule)! } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(f.file, f.span)],
    ...(f.related.length ? {
      relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r.file, r.span), message: { text: r.message } })),
    } : {}),
    ...(f.fixes.length ? {
      fixes: f.fixes.map(fix => {
        const byFile = new Map<string, typeof fix.edits[number][]>();
        for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
        return {
          description: { text: fix.title },
          artifactChanges: [...byFile].map(([file, edits]) => ({
            artifactLocation: { uri: uriOf(file) },
            replacements: edits.map(e => ({
              deletedRegion: sarifRegion(regionOf(ws, file, e.span)),
              insertedContent: { text: e.newText },
            })),
          })),
        };
      }),
    } : {}),
  })));
}
