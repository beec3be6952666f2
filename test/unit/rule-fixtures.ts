/**
 * The rule fixture harness, shared by every rule's test: loads `test/fixtures/rules/<id>/{fires,ok}`
 * (a `.yaml` file or a folder of files, for cross-file rules), reads the `# expect: <id>` markers and
 * applies quick fixes to text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Edit, Finding, Fix } from '../../src/core/rules/rule';
import { checkFile } from '../../src/core/rules/run';
import type { Rule } from '../../src/core/rules/rule';
import { Workspace } from '../../src/core/workspace';
import { filesUnder } from './corpus';

export const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

/** The fixture for `id`/`which` as `{file name → text}`; names are relative to the rule's folder. */
export function loadFixture(id: string, which: 'fires' | 'ok'): Map<string, string> | undefined {
  const dir = path.join(FIXTURES, id);
  const single = path.join(dir, `${which}.yaml`);
  const out = new Map<string, string>();
  if (fs.existsSync(single)) out.set(`${which}.yaml`, fs.readFileSync(single, 'utf8'));
  const folder = path.join(dir, which);
  if (fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
    for (const f of filesUnder(folder)) out.set(path.relative(dir, f), fs.readFileSync(f, 'utf8'));
  }
  return out.size ? out : undefined;
}

/** A workspace holding `files`. */
export function workspaceOf(files: ReadonlyMap<string, string>): Workspace {
  const ws = new Workspace();
  for (const [f, t] of files) ws.set(f, t);
  return ws;
}

/** Findings of `rule` alone (enabled at its default severity even when off by default), per file. */
export function findingsOf(ws: Workspace, rule: Rule): Finding[] {
  return ws.fileNames.flatMap(f => checkFile(ws, f, { [rule.id]: rule.severity }, [rule]).filter(x => x.rule === rule.id));
}

const MARKER = /^\s*#\s*expect:\s*(.*)$/;

/** 0-based lines where `# expect: <id>` markers say a finding of `id` starts (one entry per finding). */
export function expectedLines(text: string, id: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]!);
    if (!m) continue;
    let target = i + 1;
    while (target < lines.length && MARKER.test(lines[target]!)) target++;
    for (const x of m[1]!.split(/[\s,]+/)) if (x === id) out.push(target);
  }
  return out.sort((a, b) => a - b);
}

/** Applies edits to one text (edits must not overlap); throws when they do. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

/** The files after applying `fix`, as a new map. */
export function applyFix(files: ReadonlyMap<string, string>, fix: Fix): Map<string, string> {
  const out = new Map(files);
  const byFile = new Map<string, Edit[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [f, edits] of byFile) {
    const text = out.get(f);
    if (text === undefined) throw new Error(`fix edits unknown file ${f}`);
    out.set(f, applyEdits(text, edits));
  }
  return out;
}

/** The fix a one-click action applies: the preferred one, else the first. */
export function chosenFix(f: Finding): Fix | undefined {
  return f.fixes.find(x => x.preferred) ?? f.fixes[0];
}
