// Groups inside one namespace, no DOM: a namespace's workloads cut into the parts a Kubernetes user
// reads as the application's structure, so that the page can collapse a part into one box (with its
// count and its aggregated edges) before it collapses the whole namespace (layout.ts
// `defaultAggregation`). The key is chosen per namespace, the same for the same workloads in every
// session (ids sorted, fixed order of candidates):
// 1. the pod labels of `APP_LABELS`, coarsest first: `app.kubernetes.io/part-of`, `…/instance`, the
//    application's name (`app.kubernetes.io/name`, else `app`, else `k8s-app`), `…/component`;
// 2. the kind of object that makes the pods (`Deployment`, `StatefulSet`, an operator's `Cluster`);
// 3. the family of the name: its first one, two or three dash-separated words (`cluster-example-*`),
//    the convention of releases and sample sets whose objects carry no such label.
// The first candidate that cuts the namespace usefully wins: at least two groups of two or more
// workloads, together holding at least half of them, the largest at most three quarters. A workload
// alone in its value stays on its own (a group of one aggregates nothing).
import { APP_LABELS } from '../shared/app-labels';
import type { GraphNode } from '../shared/protocol';

/** Namespaces of fewer workloads are not grouped. */
export const MIN_GROUPED = 6;

export interface Subgroup {
  /** `grp:<namespace group id>/<value>`: also the id of its box when collapsed. */
  readonly id: string;
  /** The namespace frame it is in. */
  readonly parent: string;
  /** What it is called on its box: the label's value, the kind, or the name's family (`cluster-example-*`). */
  readonly label: string;
  /** What the namespace was grouped by: a label key, `kind`, or `name`. */
  readonly key: string;
  /** Its workloads' ids, sorted. */
  readonly members: readonly string[];
  /** A group of groups (the family of the names one word shorter): drawn only as a box, expanded it shows the groups within. */
  readonly outer?: boolean;
  /** The group of groups it is within. */
  readonly within?: string;
}

export interface Grouping {
  readonly key: string;
  readonly groups: readonly Subgroup[];
}

const subgroupPrefix = 'grp:';
export const subgroupId = (parent: string, value: string): string => `${subgroupPrefix}${parent}/${value}`;
export const isSubgroupId = (id: string): boolean => id.startsWith(subgroupPrefix);
/** The namespace frame a subgroup id is in (`grp:ns:default/x` → `ns:default`). */
export function subgroupParent(id: string): string | undefined {
  if (!isSubgroupId(id)) return undefined;
  const rest = id.slice(subgroupPrefix.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? undefined : rest.slice(0, slash);
}

const [PART_OF, INSTANCE, NAME, APP, K8S_APP, COMPONENT] = APP_LABELS;
const APP_NAME = [NAME, APP, K8S_APP];

interface Candidate { readonly key: string; readonly value: (n: GraphNode) => string | undefined; readonly label: (v: string) => string; readonly words?: number }

const byLabel = (key: string): Candidate => ({ key, value: n => n.appLabels?.[key], label: v => v });
const nameFamily = (words: number): Candidate => ({
  key: 'name', words,
  value: n => { const parts = n.label.split('-'); return parts.length >= words ? parts.slice(0, words).join('-') : undefined; },
  label: v => `${v}-*`,
});

const CANDIDATES: readonly Candidate[] = [
  byLabel(PART_OF), byLabel(INSTANCE),
  { key: 'app', value: n => APP_NAME.map(k => n.appLabels?.[k]).find(v => v !== undefined), label: v => v },
  byLabel(COMPONENT),
  { key: 'kind', value: n => n.objectKind, label: v => v },
  nameFamily(1), nameFamily(2), nameFamily(3),
];

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * How `workloads` (one namespace's, `parent` its frame id) are grouped, or undefined when no
 * candidate cuts them usefully (or they are fewer than `MIN_GROUPED`).
 */
export function groupNamespace(parent: string, workloads: readonly GraphNode[]): Grouping | undefined {
  if (workloads.length < MIN_GROUPED) return undefined;
  const n = workloads.length;
  for (const c of CANDIDATES) {
    const by = new Map<string, string[]>();
    for (const w of workloads) {
      const v = c.value(w);
      if (v === undefined || v === '') continue;
      const l = by.get(v);
      if (l) l.push(w.id); else by.set(v, [w.id]);
    }
    const groups = [...by].filter(([, m]) => m.length >= 2);
    const grouped = groups.reduce((s, [, m]) => s + m.length, 0);
    const largest = groups.reduce((s, [, m]) => Math.max(s, m.length), 0);
    if (groups.length < 2 || grouped * 2 < n || largest * 4 > n * 3) continue;
    // By the name's family: the workloads left alone at this depth grouped by fewer words, when
    // two or more share them (`cluster-test` and `cluster-pgdump` beside `cluster-example-*`: `cluster-*`).
    for (let words = c.words ?? 0; --words >= 1;) {
      const alone = [...by].filter(([, m]) => m.length === 1).map(([, m]) => m[0]!);
      const again = new Map<string, string[]>();
      for (const id of alone) {
        const v = nameFamily(words).value(workloads.find(w => w.id === id)!);
        if (v === undefined || by.has(v)) continue;
        const l = again.get(v);
        if (l) l.push(id); else again.set(v, [id]);
      }
      for (const [v, m] of again) {
        if (m.length < 2) continue;
        for (const id of m) for (const [k, l] of by) if (l.length === 1 && l[0] === id) by.delete(k);
        by.set(v, m);
        groups.push([v, m]);
      }
    }
    const result: Array<Subgroup & { within?: string }> = groups.sort(([a], [b]) => byId(a, b))
      .map(([v, m]) => ({ id: subgroupId(parent, v), parent, label: c.label(v), key: c.key, members: [...m].sort(byId) }));
    // By the name's family of two or three words: the families of one word fewer that hold several
    // of these groups (`cluster-*` around `cluster-example-*`, `cluster-replica-*`, …), as groups of
    // groups, drawn only collapsed (the page collapses them when collapsing every group is not enough).
    const outer: Subgroup[] = [];
    if (c.words !== undefined && c.words >= 2) {
      const families = new Map<string, string[]>();
      for (const w of workloads) {
        const v = nameFamily(c.words - 1).value(w);
        if (v === undefined) continue;
        const l = families.get(v);
        if (l) l.push(w.id); else families.set(v, [w.id]);
      }
      for (const [v, m] of families) {
        const set = new Set(m);
        const inside = result.filter(g => g.members.every(x => set.has(x)));
        const largestInside = inside.reduce((s, g) => Math.max(s, g.members.length), 0);
        if (!inside.length || m.length <= largestInside) continue;
        const id = subgroupId(parent, `${v}-**`);
        outer.push({ id, parent, label: `${v}-*`, key: c.key, members: [...m].sort(byId), outer: true });
        for (const g of inside) g.within = id;
      }
    }
    return { key: c.key, groups: [...result, ...outer.sort((a, b) => byId(a.id, b.id))] };
  }
  return undefined;
}
