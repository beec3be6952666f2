/**
 * Drives every provider the editor and the CLI call on one file of a workspace, in process, and
 * counts failures: an exception that escapes, or one a boundary contained (a rule, hover or
 * definition provider that threw; see src/core/contained.ts). Used by the fuzz test and the bench.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { onContainedError, type ContainedError } from '../../src/core/contained';
import { definitionAt } from '../../src/core/definition';
import { hoverAt } from '../../src/core/hover/index';
import type { Edit } from '../../src/core/rules/rule';
import { checkFile } from '../../src/core/rules/run';
import type { Workspace } from '../../src/core/workspace';
import { WORKSPACE_ANALYSES } from './analyse-all';

/** Every rule on, including those disabled by default. */
export const ALL_RULES_ON = { 'workload-not-isolated': 'info' } as const;

export interface Failure {
  readonly where: string;
  readonly message: string;
}

/** Runs `f`, returning the failures it caused (escaped or contained). */
export function failuresOf(f: () => void): Failure[] {
  const out: Failure[] = [];
  const stop = onContainedError((e: ContainedError) => out.push({ where: e.where, message: describe(e.error) }));
  try {
    f();
  } catch (e) {
    out.push({ where: 'escaped', message: describe(e) });
  } finally {
    stop();
  }
  return out;
}

function describe(e: unknown): string {
  return (e as Error)?.stack ?? String(e);
}

/** The text with the edits of one fix applied (edits of other files ignored); throws on an invalid edit. */
export function applyEdits(text: string, file: string, edits: readonly Edit[]): string {
  const mine = edits.filter(e => e.file === file).sort((a, b) => b.span.start - a.span.start);
  let out = text;
  let limit = text.length;
  for (const e of mine) {
    if (e.span.start < 0 || e.span.end > limit || e.span.start > e.span.end) throw new Error(`fix edit out of range or overlapping: ${JSON.stringify(e.span)}`);
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

/**
 * Everything the editor asks about `file`: every rule, hover and definition at every offset, each
 * finding's fixes applied and the result checked again, and the whole-workspace analyses (the
 * diagram's graph, connectivity, the address plan, DNS). The file's text is restored afterwards.
 */
export function driveFile(ws: Workspace, file: string, offsets: 'every' | 'targets' = 'targets'): void {
  const text = ws.get(file)!.manifest.text;
  for (const run of Object.values(WORKSPACE_ANALYSES)) run(ws);
  const findings = checkFile(ws, file, ALL_RULES_ON);
  for (let o = 0; o <= text.length; o++) {
    if (offsets === 'targets' && !isTargetBoundary(text, o)) continue;
    hoverAt(ws, file, o);
    definitionAt(ws, file, o);
  }
  try {
    for (const f of findings) {
      for (const fix of f.fixes) {
        ws.set(file, applyEdits(text, file, fix.edits));
        checkFile(ws, file, ALL_RULES_ON);
      }
    }
  } finally {
    ws.set(file, text);
  }
}

const classOf = (c: number): number => {
  if (Number.isNaN(c)) return -1;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45) return 0;
  if (c === 32 || c === 9) return 1;
  return 2 + c;
};

/**
 * Whether the cursor target can differ at `o` from `o - 1`: the first offset, the end, the start
 * and end of each run of host characters (`[A-Za-z0-9_.-]`) or of blanks, and every other character.
 * What a cursor points at (a node, a key path, a host token in a value) only changes there, so these
 * offsets ask every question every offset would, at a fraction of the cost.
 */
export function isTargetBoundary(text: string, o: number): boolean {
  if (o === 0 || o >= text.length) return true;
  const here = classOf(text.charCodeAt(o));
  return here >= 2 || here !== classOf(text.charCodeAt(o - 1));
}

/** The CLI commands on `files` written to a temporary folder; failures are internal or usage errors (exit code 2 or 3). */
export async function driveCli(files: ReadonlyArray<{ name: string; text: string }>): Promise<Failure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-drive-'));
  try {
    for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.text);
    const out: Failure[] = [];
    const runs = [
      ['check', dir, '-o', 'sarif'], ['check', dir], ['objects', dir, '--problems'], ['ipam', dir, '--json'],
      ['connectivity', dir, '--explain'], ['connectivity', dir, '-o', 'md'], ['connectivity', dir, '--ipblock-reading', 'all', '-o', 'json'],
      ['resolve', 'db.default:5432', '--from', 'default', dir],
    ];
    for (const argv of runs) {
      const err: string[] = [];
      const failures = await new Promise<Failure[]>(resolve => {
        const list: Failure[] = [];
        const stop = onContainedError(e => list.push({ where: `cli ${argv[0]}: ${e.where}`, message: describe(e.error) }));
        main(argv, { out: () => {}, err: line => err.push(line) })
          .then(code => { if (code >= 2) list.push({ where: `cli ${argv[0]}`, message: err.join('\n') }); })
          .catch(e => list.push({ where: `cli ${argv[0]} escaped`, message: describe(e) }))
          .finally(() => { stop(); resolve(list); });
      });
      out.push(...failures);
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
