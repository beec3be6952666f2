/**
 * Which ServiceAccounts the workspace's RBAC lets make pods (`create`), so that pods no manifest
 * declares may run (operators that make their own pods, as Longhorn's manager does), or write pods
 * (`update` or `patch` on `pods`), and so change pod labels at runtime. Programs that label their own pod (Vault's Kubernetes service
 * registration sets `vault-active`, leader-elected operators such as MinIO's set `operator: leader`,
 * Patroni sets `role`) are selected by Services on labels no manifest writes; their ServiceAccount is
 * granted the right to do so next to them.
 *
 * Read as the RBAC authorizer does (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac, rbac/v1 types):
 * a RoleBinding grants its Role (same namespace) or ClusterRole in the binding's namespace, a
 * ClusterRoleBinding grants its ClusterRole in every namespace; a rule applies when its apiGroups hold
 * `""` or `*`, its resources `pods` (named: a grant of `*` says nothing of what the program does),
 * its verbs `update`, `patch` or `*`; pods are made with `create` on pods or on the kinds that make
 * them (Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs). Subjects: a
 * ServiceAccount (namespace defaulting to the RoleBinding's), or the groups `system:serviceaccounts`
 * and `system:serviceaccounts:<ns>`. Rules limited by resourceNames and aggregated ClusterRoles are not
 * read (a grant missed keeps a finding; it never invents one).
 */
import type { K8sObject } from '../parse/manifest';
import type { Workload } from '../parse/views/workload';
import { at, items, str, text } from '../parse/yaml';

/** What of the workspace this reads (workspace.ts imports this module, so not the Workspace type). */
interface Index {
  collected<T>(key: string, of: (entry: { readonly manifest: { readonly objects: readonly K8sObject[] } }) => readonly T[]): readonly T[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** `ns/sa` of ServiceAccounts that may write pods in namespace `ns'` (key `ns'`); `*` for every namespace. */
export type PodWriters = ReadonlyMap<string, ReadonlySet<string>>;

const words = (o: K8sObject, node: unknown, key: string): string[] =>
  items(o.doc, at(o.doc, node, key)).map(n => text(o.doc, n)?.value ?? '');

/** Kinds whose objects make pods, by API group (the controllers make pods for them). */
const POD_MAKERS: Readonly<Record<string, readonly string[]>> = {
  '': ['pods'],
  apps: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
  batch: ['jobs', 'cronjobs'],
};

type RuleTest = (groups: readonly string[], resources: readonly string[], verbs: readonly string[]) => boolean;

const hasVerb = (verbs: readonly string[], ...wanted: string[]) => verbs.includes('*') || wanted.some(v => verbs.includes(v));

/**
 * `update` or `patch` on `pods`. Resources must name `pods`: a grant of every resource (`*`, an
 * administrator's or a GitOps controller's) says nothing about what the program does.
 */
const writesPods: RuleTest = (groups, resources, verbs) =>
  (groups.includes('') || groups.includes('*')) && resources.includes('pods') && hasVerb(verbs, 'update', 'patch');

/** `create` on `pods` or on a kind that makes pods (named, as above). */
const makesPods: RuleTest = (groups, resources, verbs) => hasVerb(verbs, 'create')
  && Object.entries(POD_MAKERS).some(([g, kinds]) => (groups.includes(g) || groups.includes('*')) && kinds.some(k => resources.includes(k)));

/** Whether a Role's or ClusterRole's rules pass `test`. */
function grants(o: K8sObject, test: RuleTest): boolean {
  return items(o.doc, at(o.doc, o.node, 'rules')).some(rule =>
    !words(o, rule, 'resourceNames').length && test(words(o, rule, 'apiGroups'), words(o, rule, 'resources'), words(o, rule, 'verbs')));
}

/** The ServiceAccounts the workspace's RBAC lets write pods, per namespace; cached per generation. */
export function podWriters(ws: Index): PodWriters {
  return granted(ws, 'writers', writesPods);
}

/** The ServiceAccounts the workspace's RBAC lets create pods or workloads, per namespace; cached per generation. */
export function podMakers(ws: Index): PodWriters {
  return granted(ws, 'makers', makesPods);
}

/** Grants per list of RBAC objects: the list is kept across changes to files without any, and so is this. */
const grantsOf = new WeakMap<readonly K8sObject[], Map<string, PodWriters>>();

function granted(ws: Index, key: string, test: RuleTest): PodWriters {
  const objects = ws.collected('rbac:objects', e => e.manifest.objects.filter(o =>
    KINDS.has(o.kind) && o.apiVersion.split('/')[0] === RBAC_GROUP));
  let known = grantsOf.get(objects);
  if (!known) grantsOf.set(objects, (known = new Map()));
  const cached = known.get(key);
  if (cached) return cached;
  const value = computeGrants(objects, test);
  known.set(key, value);
  return value;
}

function computeGrants(objects: readonly K8sObject[], test: RuleTest): PodWriters {
  const out = new Map<string, Set<string>>();
  if (!objects.length) return out;
  const roles = new Set<string>();
  for (const o of objects) {
    if ((o.kind === 'Role' || o.kind === 'ClusterRole') && grants(o, test)) roles.add(o.kind === 'Role' ? `Role/${o.namespace}/${o.name}` : `ClusterRole/${o.name}`);
  }
  if (!roles.size) return out;
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const refKind = str(o.doc, at(o.doc, o.node, 'roleRef', 'kind'))?.value;
    const refName = str(o.doc, at(o.doc, o.node, 'roleRef', 'name'))?.value;
    const where = o.kind === 'RoleBinding' ? o.namespace : '*';
    const bound = refKind === 'ClusterRole' ? roles.has(`ClusterRole/${refName}`)
      : refKind === 'Role' && o.kind === 'RoleBinding' && roles.has(`Role/${o.namespace}/${refName}`);
    if (!bound) continue;
    let set = out.get(where);
    if (!set) out.set(where, (set = new Set()));
    for (const subject of items(o.doc, at(o.doc, o.node, 'subjects'))) {
      const kind = str(o.doc, at(o.doc, subject, 'kind'))?.value;
      const name = str(o.doc, at(o.doc, subject, 'name'))?.value ?? '';
      if (kind === 'ServiceAccount') {
        const ns = str(o.doc, at(o.doc, subject, 'namespace'))?.value ?? (o.kind === 'RoleBinding' ? o.namespace : '');
        if (ns) set.add(`${ns}/${name}`);
      } else if (kind === 'Group' && name === 'system:serviceaccounts') set.add('*');
      else if (kind === 'Group' && name.startsWith('system:serviceaccounts:')) set.add(`${name.slice('system:serviceaccounts:'.length)}/*`);
    }
  }
  return out;
}

/** Whether ServiceAccount `sa` of namespace `home` is granted in namespace `ns`. */
function isGranted(grants: PodWriters, ns: string, home: string, sa: string): boolean {
  for (const where of [ns, '*']) {
    const set = grants.get(where);
    if (set && (set.has(`${home}/${sa}`) || set.has('*') || set.has(`${home}/*`))) return true;
  }
  return false;
}

/** The ServiceAccount a workload's pods run as (`default` when none is named). */
function serviceAccountOf(w: Workload): string {
  const doc = w.object.doc;
  return str(doc, at(doc, w.podSpecNode, 'serviceAccountName'))?.value
    || str(doc, at(doc, w.podSpecNode, 'serviceAccount'))?.value
    || 'default';
}

/**
 * Whether the pods of `w` may change pod labels in their own namespace at runtime: their
 * ServiceAccount is granted `update` or `patch` on pods there. Pods an operator makes (not modelled
 * with their ServiceAccount) do not count.
 */
export function mayRelabelOwnPods(writers: PodWriters, w: Workload): boolean {
  if (!writers.size || w.madeBy !== undefined) return false;
  return isGranted(writers, w.object.namespace, w.object.namespace, serviceAccountOf(w));
}

/**
 * The workloads whose ServiceAccount may create pods, or workloads that make them, in `namespace`:
 * operators such as Longhorn's manager make pods no manifest declares, with labels only their code
 * knows. `workloads` are the workspace's (a maker may run in another namespace, bound cluster-wide).
 */
export function podMakersIn(makers: PodWriters, workloads: readonly Workload[], namespace: string): Workload[] {
  if (!makers.size) return [];
  return workloads.filter(w => w.madeBy === undefined && !w.object.namespaceDefaulted
    && isGranted(makers, namespace, w.object.namespace, serviceAccountOf(w)));
}

/**
 * The keys of `selector` that `w`'s pods carry only once they label themselves: neither their
 * template nor their controller writes them. Verdicts on what such pods serve abstain: they are
 * selected by "may" (see Workspace.workloadsOfService).
 */
export function labelsSetAtRuntime(selector: Readonly<Record<string, string>>, w: Workload): string[] {
  return Object.keys(selector).filter(k => !(k in w.podLabels) && !w.addedLabels.has(k));
}
