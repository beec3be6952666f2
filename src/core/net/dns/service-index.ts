/**
 * The Service index of cluster DNS: Services by name, case-insensitive as the specification requires
 * (kubernetes/dns docs/specification.md), with the cluster's built-in Services and those operators
 * make for their custom resources. Kept per file entry and rebuilt after an edit only for the names
 * the changed files had or have.
 */
import type { Service } from '../../parse/views/service';
import { type FileEntry, type NamespaceSlice, type Workspace } from '../../workspace';
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

/**
 * The table of a workspace, updated in place from generation to generation: a list it hands out is
 * the current generation's (read it, do not keep it). `files[name]` is the file of each Service of
 * `byName[name]`, position for position.
 */
interface ServiceTable {
  generation: number;
  readonly byName: Map<string, Service[]>;
  readonly files: Map<string, string[]>;
}

const serviceTables = new WeakMap<Workspace, ServiceTable>();

/**
 * `<ns>/<name>` lookups with the case-insensitivity the specification requires. Lists are in
 * workspace order. After an edit of a file (present before and after) only its Services are
 * replaced in the lists of the names it had or has, found by binary search on the files' workspace
 * order: no pass over the other holders of the name (`app` defined in every namespace), no sort, no
 * copy. A rebuild from every file when a file was added or deleted, or the changes are not known.
 */
function servicesByName(ws: Workspace): ReadonlyMap<string, readonly Service[]> {
  return ws.derived('dns:servicesByName', () => {
    const prev = serviceTables.get(ws);
    const changes = prev ? ws.changesSince(prev.generation) : undefined;
    if (prev && changes && changes.every(c => c.before && c.after)) {
      for (const c of changes) replaceFile(ws, prev, c.file, servicesOfFile(c.before!), servicesOfFile(c.after!));
      prev.generation = ws.generation;
      return prev.byName;
    }
    const byName = new Map<string, Service[]>();
    const files = new Map<string, string[]>();
    for (const file of ws.fileNames) {
      for (const [name, list] of servicesOfFile(ws.get(file)!)) {
        let services = byName.get(name);
        let holders = files.get(name);
        if (!services || !holders) {
          byName.set(name, (services = []));
          files.set(name, (holders = []));
        }
        for (const s of list) {
          services.push(s);
          holders.push(file);
        }
      }
    }
    serviceTables.set(ws, { generation: ws.generation, byName, files });
    return byName;
  });
}

/** Replaces the Services of `file` (kept in place in workspace order) in the lists of the names it had or has. */
function replaceFile(ws: Workspace, table: ServiceTable, file: string, before: ReadonlyMap<string, Service[]>, after: ReadonlyMap<string, Service[]>): void {
  const order = ws.orderOf(file)!;
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    let list = table.byName.get(name);
    let holders = table.files.get(name);
    if (!list || !holders) {
      table.byName.set(name, (list = []));
      table.files.set(name, (holders = []));
    }
    // The first position whose file comes at or after `file` in workspace order.
    let lo = 0;
    let hi = holders.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ws.orderOf(holders[mid]!)! < order) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < holders.length && holders[end] === file) end++;
    const added = after.get(name) ?? [];
    const removed = list.slice(lo, end);
    if (end - lo === added.length) for (let i = 0; i < added.length; i++) list[lo + i] = added[i]!;
    else {
      list.splice(lo, end - lo, ...added);
      holders.splice(lo, end - lo, ...added.map(() => file));
    }
    if (list.length === 0) {
      table.byName.delete(name);
      table.files.delete(name);
      namespaceTables.delete(list);
      continue;
    }
    patchNamespaces(list, [...removed, ...added]);
  }
}

/**
 * The Service named `name` in `namespace` (case-insensitive), first definition winning; the cluster's
 * built-in `kubernetes` and `kube-dns` Services when the workspace defines no such Service.
 */
export function findService(ws: Workspace, namespace: string, name: string): Service | undefined {
  const list = servicesByName(ws).get(name.toLowerCase());
  return (list && byNamespace(list).get(namespace.toLowerCase()))
    ?? builtInService(namespace, name) ?? operatorService(ws, namespace, name);
}

/** The first Service of a same-name list per namespace (lower case): a lookup costs no pass over namespaces. */
const namespaceTables = new WeakMap<readonly Service[], Map<string, Service>>();

/** Updates the namespace table of `list` (when one was built) for the namespaces of the `changed` Services. */
function patchNamespaces(list: readonly Service[], changed: readonly Service[]): void {
  const table = namespaceTables.get(list);
  if (!table) return;
  for (const ns of new Set(changed.map(s => s.object.namespace.toLowerCase()))) {
    const first = list.find(s => s.object.namespace.length === ns.length && s.object.namespace.toLowerCase() === ns);
    if (first) table.set(ns, first);
    else table.delete(ns);
  }
}

function byNamespace(list: readonly Service[]): ReadonlyMap<string, Service> {
  let table = namespaceTables.get(list);
  if (!table) {
    const map = new Map<string, Service>();
    for (const s of list) {
      const ns = s.object.namespace.toLowerCase();
      if (!map.has(ns)) map.set(ns, s);
    }
    namespaceTables.set(list, (table = map));
  }
  return table;
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
export function servicesNamed(ws: Workspace, name: string): readonly Service[] {
  return servicesByName(ws).get(name.toLowerCase()) ?? [];
}

/** A namespace slice's Services by lower-case name (a slice is kept until its namespace changes). */
const sliceServicesByName = new WeakMap<NamespaceSlice, Map<string, Service[]>>();

/**
 * The definitions of the Service `namespace/name` nearest to `file`: those whose files share the
 * longest folder path with it (the file itself first of all). Example folders that each define the
 * same Service their own way (`extras/x/frontend.yaml` beside `manifests/frontend.yaml`) are
 * alternatives, applied one at a time: a verdict on a reference stands on the copy applied with it,
 * and when several are as near, on all of them.
 */
export function nearestServices(ws: Workspace, namespace: string, name: string, file: string): readonly Service[] {
  // From the namespace's own Services (a same-name list spans every namespace: asking it per
  // reference cost references x namespaces).
  const slice = ws.inNamespace(namespace);
  let named = sliceServicesByName.get(slice);
  if (!named) {
    named = new Map();
    for (const s of slice.services) {
      const key = s.object.name.toLowerCase();
      const list = named.get(key);
      if (list) list.push(s);
      else named.set(key, [s]);
    }
    sliceServicesByName.set(slice, named);
  }
  const same = named.get(name.toLowerCase()) ?? [];
  if (same.length < 2) return same;
  const folders = file.split('/').slice(0, -1);
  const nearness = (other: string): number => {
    if (other === file) return Number.MAX_SAFE_INTEGER;
    const parts = other.split('/');
    let i = 0;
    while (i < folders.length && i < parts.length - 1 && parts[i] === folders[i]) i++;
    return i;
  };
  let best = -1;
  let out: Service[] = [];
  for (const s of same) {
    const n = nearness(s.object.file);
    if (n > best) {
      best = n;
      out = [s];
    } else if (n === best) out.push(s);
  }
  return out;
}
