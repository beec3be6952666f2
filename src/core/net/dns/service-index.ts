/**
 * The Service index of cluster DNS: Services by name, case-insensitive as the specification requires
 * (kubernetes/dns docs/specification.md), with the cluster's built-in Services and those operators
 * make for their custom resources. Kept per file entry and rebuilt after an edit only for the names
 * the changed files had or have.
 */
import type { Service } from '../../parse/views/service';
import { type FileEntry, type Workspace } from '../../workspace';
import { operatorServices } from '../../parse/operators';
import { builtInService } from './builtin';

/** A file's Services by lower-case name, in file order; kept per file entry (it survives other files' edits). */
const fileServiceNames = new WeakMap<FileEntry, Map<string, Service[]>>();

function servicesOfFile(entry: FileEntry): Map<string, Service[]> {
  let map = fileServiceNames.get(entry);
  if (!map) {
    map = new Map();
    for (const s of entry.services) {
      if (!s.object.name) continue;
      const key = s.object.name.toLowerCase();
      const list = map.get(key);
      if (list) list.push(s);
      else map.set(key, [s]);
    }
    fileServiceNames.set(entry, map);
  }
  return map;
}

/** The last table built for a workspace: the generation it is of, and which files hold each name. */
interface ServiceTable {
  readonly generation: number;
  readonly byName: ReadonlyMap<string, Service[]>;
  readonly nameFiles: ReadonlyMap<string, ReadonlySet<string>>;
}

const serviceTables = new WeakMap<Workspace, ServiceTable>();

/**
 * `<ns>/<name>` lookups with the case-insensitivity the specification requires. Lists are in
 * workspace order. After an edit only the names the changed files had or have are rebuilt, from the
 * workspace's change log (a rebuild from every file when it is not known).
 */
function servicesByName(ws: Workspace): ReadonlyMap<string, Service[]> {
  return ws.derived('dns:servicesByName', () => {
    const prev = serviceTables.get(ws);
    const changes = prev ? ws.changesSince(prev.generation) : undefined;
    const touched = new Set<string>();
    const nameFiles = new Map<string, ReadonlySet<string>>(changes ? prev!.nameFiles : []);
    // Copy on write: the previous table's sets stay as they were; `touched` names have their own.
    const holders = (name: string): Set<string> => {
      if (touched.has(name)) return nameFiles.get(name) as Set<string>;
      const set = new Set(nameFiles.get(name));
      touched.add(name);
      nameFiles.set(name, set);
      return set;
    };
    const update = (file: string, before: FileEntry | undefined, after: FileEntry | undefined) => {
      for (const name of before ? servicesOfFile(before).keys() : []) holders(name).delete(file);
      for (const name of after ? servicesOfFile(after).keys() : []) holders(name).add(file);
    };
    if (changes) for (const c of changes) update(c.file, c.before, c.after);
    else for (const file of ws.fileNames) update(file, undefined, ws.get(file));
    const byName = new Map(changes ? prev!.byName : []);
    for (const name of touched) {
      const files = [...(nameFiles.get(name) ?? [])].sort((a, b) => ws.orderOf(a)! - ws.orderOf(b)!);
      if (files.length === 0) {
        byName.delete(name);
        nameFiles.delete(name);
        continue;
      }
      byName.set(name, files.flatMap(f => servicesOfFile(ws.get(f)!).get(name)!));
    }
    serviceTables.set(ws, { generation: ws.generation, byName, nameFiles });
    return byName;
  });
}

/**
 * The Service named `name` in `namespace` (case-insensitive), first definition winning; the cluster's
 * built-in `kubernetes` and `kube-dns` Services when the workspace defines no such Service.
 */
export function findService(ws: Workspace, namespace: string, name: string): Service | undefined {
  return (servicesByName(ws).get(name.toLowerCase()) ?? []).find(s => s.object.namespace.toLowerCase() === namespace.toLowerCase())
    ?? builtInService(namespace, name) ?? operatorService(ws, namespace, name);
}

/** A Service an operator makes for a custom resource of `namespace` (see parse/operators.ts). */
function operatorService(ws: Workspace, namespace: string, name: string): Service | undefined {
  const n = name.toLowerCase();
  for (const w of ws.inNamespace(namespace.toLowerCase()).workloads) {
    if (w.madeBy === undefined) continue;
    const s = operatorServices(w.object).find(x => x.object.name === n);
    if (s) return s;
  }
  return undefined;
}

/** Services named `name` in every namespace (case-insensitive). */
export function servicesNamed(ws: Workspace, name: string): Service[] {
  return servicesByName(ws).get(name.toLowerCase()) ?? [];
}
