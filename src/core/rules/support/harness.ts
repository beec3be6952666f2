/**
 * What test harnesses do with the files they name: chainsaw (chainsaw.kyverno.io `Test`), the Kyverno
 * CLI (cli.kyverno.io `Test`) and gator (test.gatekeeper.sh `Suite`). Paths are relative to the file
 * that names them; globs are not followed.
 */
import { dirName, joinPath } from '../../applied';
import { isMap, isSeq } from 'yaml';
import { at, deref, entries, items, str } from '../../parse/yaml';
import type { Workspace } from '../../workspace';

export interface HarnessFiles {
  /** chainsaw `assert` files: the state expected once a step ran (a controller makes it), compared, not applied. */
  readonly expected: ReadonlySet<string>;
  /**
   * Files no cluster receives: chainsaw `error` files (states that must not exist), a Kyverno CLI
   * Test's `resources` and expected `patchedResource(s)` / `generatedResource(s)` (evaluated offline),
   * a gator Suite's case `object` and `inventory` files (evaluated offline).
   */
  readonly offline: ReadonlySet<string>;
  /**
   * Files chainsaw Tests apply (`apply`, `create`, `update`, `patch`): each test's objects are
   * deleted when it ends, and within a test a later file is the next state of an object.
   */
  readonly steps: ReadonlySet<string>;
}

type Role = 'expected' | 'offline' | 'steps';

export function harnessFiles(ws: Workspace): HarnessFiles {
  return ws.derived('rules:harness-files', () => {
    const out: Record<Role, Set<string>> = { expected: new Set(), offline: new Set(), steps: new Set() };
    for (const [role, file] of ws.collected('tests:harness-files', e => {
      const found: Array<[Role, string]> = [];
      for (const o of e.manifest.objects) {
        if (o.kind !== 'Test' && o.kind !== 'Suite') continue;
        const dir = dirName(o.file);
        const add = (role: Role, node: unknown) => {
          const v = str(o.doc, node)?.value;
          if (v && !/[*?[]/.test(v)) found.push([role, joinPath(dir, v)]);
        };
        const addAll = (role: Role, node: unknown) => {
          if (isSeq(deref(o.doc, node))) for (const x of items(o.doc, node)) add(role, x);
          else add(role, node);
        };
        if (o.kind === 'Suite') {
          if (!o.apiVersion.startsWith('test.gatekeeper.sh/')) continue;
          for (const t of items(o.doc, at(o.doc, o.node, 'tests'))) {
            for (const c of items(o.doc, at(o.doc, t, 'cases'))) {
              add('offline', at(o.doc, c, 'object'));
              addAll('offline', at(o.doc, c, 'inventory'));
            }
          }
        } else if (o.apiVersion.startsWith('chainsaw.kyverno.io/')) {
          // Steps' try, catch, finally and cleanup blocks hold the operations.
          const walk = (node: unknown, depth: number): void => {
            const n = deref(o.doc, node);
            if (depth > 8) return;
            if (isSeq(n)) for (const x of items(o.doc, n)) walk(x, depth + 1);
            else if (isMap(n)) {
              for (const [k, , v] of entries(o.doc, n)) {
                if (k === 'assert') add('expected', at(o.doc, v, 'file'));
                else if (k === 'error') add('offline', at(o.doc, v, 'file'));
                else if (k === 'apply' || k === 'create' || k === 'update' || k === 'patch') add('steps', at(o.doc, v, 'file'));
                else walk(v, depth + 1);
              }
            }
          };
          walk(at(o.doc, o.node, 'spec'), 0);
        } else if (o.apiVersion.startsWith('cli.kyverno.io/')) {
          addAll('offline', at(o.doc, o.node, 'resources'));
          for (const r of items(o.doc, at(o.doc, o.node, 'results'))) {
            for (const key of ['patchedResource', 'patchedResources', 'generatedResource', 'generatedResources']) addAll('offline', at(o.doc, r, key));
          }
        }
      }
      return found;
    })) out[role].add(file);
    return out;
  });
}
