/**
 * The workspace index: every manifest file, parsed once per change, with typed views per file.
 * Updating one file re-parses only that file; cross-file lists are concatenated lazily and cached
 * until the next change. Every analysis (DNS, CIDR, policy, diagram, rules) reads this index.
 *
 * Over 400 lines: the index is one class whose caches (file entries, namespace slices, the label
 * index, the change log) change together on every edit; the helpers above it build its per-file
 * parts.
 */
import { AppliedNamespaces, dirName, isKustomizationFile, readKustomization, type FolderTarget, type KustomizationInfo } from './applied';
import { DEFAULT_MAX_DOCUMENTS, parseManifest, type AppliedNamespace, type K8sObject, type ManifestFile } from './parse/manifest';
import { isKind } from './parse/kinds';
import { accepted } from './parse/validate';
import { addressSources, type AddressSource } from './parse/views/addresses';
import { clusterDomainOf } from './parse/views/cluster';
import { configMapView, type ConfigMap } from './parse/views/configmap';
import { endpointsView, type EndpointsView } from './parse/views/endpoints';
import { ingressView, routeView, type Ingress } from './parse/views/ingress';
import { networkPolicyView, type NetworkPolicy } from './parse/views/policy';
import { adminPolicyView, type AdminPolicy } from './parse/admin';
import { serviceView, type Service } from './parse/views/service';
import { workloadView, type Workload } from './parse/views/workload';
import { isEmptySelector, selectorMayMatch } from './net/selectors';
import { mayRelabelOwnPods, podMakers, podMakersIn, podWriters, type PodWriters } from './net/rbac';
import { mayCreatePods, operatorWorkload } from './parse/operators';
import type { LabelSelector } from './parse/views/selectors';
import { at, items, str } from './parse/yaml';
import { DEFAULT_SETTINGS, type AnalysisSettings } from './settings';
import type { Ranged } from './span';

/** The label every namespace carries (since Kubernetes 1.21), naming itself. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Whether two objects of the same namespace name surely land in the same namespace. Objects whose
 * `default` is only assumed (`namespaceDefaulted`) land in the kubectl context's namespace, shared with
 * the other such objects of their folder (applied together with `kubectl apply -f <folder>`), not with
 * objects of other folders nor with those that write `namespace: default`.
 */
export function surelySameNamespace(a: Pick<K8sObject, 'file' | 'namespaceDefaulted'>, b: Pick<K8sObject, 'file' | 'namespaceDefaulted'>): boolean {
  if (a.namespaceDefaulted !== b.namespaceDefaulted) return false;
  return !a.namespaceDefaulted || dirName(a.file) === dirName(b.file);
}

/** Whether a Service has a selector the endpoints controller acts on (absent or `{}` means none). */
export function hasSelector(s: Service): boolean {
  return s.selector.present && !isEmptySelector(s.selector);
}

/**
 * Whether Service `s` selects the pods of workload `w`: the one notion every analysis uses. Same
 * namespace, a selector (a Service without one, or with `{}`, gets no endpoints from its selector),
 * and the pod labels match it.
 */
export function serviceSelects(s: Service, w: Workload): boolean {
  return w.object.namespace === s.object.namespace && hasSelector(s) && selectorMayMatch(s.selector, w.podLabels, w.addedLabels);
}

/** Whether a workload is made by another workload of the workspace (a Deployment's ReplicaSet, a Job's Pod). */
const NO_WORKLOADS: readonly Workload[] = Object.freeze([]);

function ownedInWorkspace(ws: Workspace, w: Workload): boolean {
  return w.ownerReferences.some(r => r.controller && ws.workloadsIn(w.object.namespace).some(o =>
    o !== w && o.kind === r.kind && o.object.name === r.name));
}

/** What one file contributes to the index. */
export interface FileEntry {
  readonly manifest: ManifestFile;
  /** Workloads, Services and NetworkPolicies in force: those the API server would accept (see parse/validate.ts). */
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly policies: readonly NetworkPolicy[];
  /** Every NetworkPolicy of the file, rejected ones included: for checks of what is written. */
  readonly policiesWritten: readonly NetworkPolicy[];
  /** AdminNetworkPolicies, BaselineAdminNetworkPolicies and ClusterNetworkPolicies, read when the file is, like NetworkPolicies. */
  readonly adminPolicies: readonly AdminPolicy[];
  readonly ingresses: readonly Ingress[];
  readonly configMaps: readonly ConfigMap[];
  readonly namespaces: readonly K8sObject[];
  readonly endpoints: readonly EndpointsView[];
  readonly addresses: readonly AddressSource[];
  readonly clusterDomains: ReadonlyArray<{ object: K8sObject; value: Ranged<string> }>;
  /** Custom resources that may make pods the analysis cannot model (see `mayCreatePods`). */
  readonly podCreators: readonly K8sObject[];
  /** Folders this file's Argo CD Applications and Flux Kustomizations apply into a namespace. */
  readonly folderTargets: readonly FolderTarget[];
}

/** An Argo CD Application's or Flux Kustomization's folder and target namespace, if it names both. */
function folderTargetsOf(o: K8sObject): FolderTarget[] {
  const doc = o.doc;
  const group = o.apiVersion.split('/')[0];
  if (o.kind === 'Application' && group === 'argoproj.io') {
    const ns = str(doc, at(doc, o.node, 'spec', 'destination', 'namespace'))?.value;
    if (!ns) return [];
    const sources = [at(doc, o.node, 'spec', 'source'), ...items(doc, at(doc, o.node, 'spec', 'sources'))];
    return sources.map(src => str(doc, at(doc, src, 'path'))?.value).filter((p): p is string => !!p)
      .map(path => ({ path, namespace: ns, origin: `the destination of Argo CD Application ${o.name}` }));
  }
  if (o.kind === 'Kustomization' && group === 'kustomize.toolkit.fluxcd.io') {
    const ns = str(doc, at(doc, o.node, 'spec', 'targetNamespace'))?.value;
    const path = str(doc, at(doc, o.node, 'spec', 'path'))?.value;
    return ns && path ? [{ path, namespace: ns, origin: `the targetNamespace of Flux Kustomization ${o.name}` }] : [];
  }
  return [];
}

/** One change of the index: a file set (`after`) or deleted (no `after`), with what it had before. */
export interface FileChange {
  readonly generation: number;
  readonly file: string;
  readonly before: FileEntry | undefined;
  readonly after: FileEntry | undefined;
}

/** A namespace as the analysis sees it: declared by a Namespace object, or implied by objects in it. */
export interface NamespaceInfo {
  readonly name: string;
  /** Labels, always including `kubernetes.io/metadata.name`. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Namespace objects that declare it (more than one is a duplicate). */
  readonly objects: readonly K8sObject[];
}

/**
 * What one namespace holds, across files: built on first use and kept until a file with objects in
 * that namespace changes, so lookups after a keystroke cost the edited namespaces, not the workspace.
 * Lists are in workspace order (file order, then order in the file), like the whole-workspace lists.
 */
export interface NamespaceSlice {
  readonly name: string;
  readonly objects: readonly K8sObject[];
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly policies: readonly NetworkPolicy[];
  readonly ingresses: readonly Ingress[];
  readonly configMaps: readonly ConfigMap[];
  /** Custom resources here that may make pods the analysis cannot see. */
  readonly podCreators: readonly K8sObject[];
  /** Services by name, first definition winning. */
  readonly serviceByName: ReadonlyMap<string, Service>;
  /** Keys of labels controllers add to some workload's pods here (not in `podLabelIndex`). */
  readonly addedKeys: ReadonlySet<string>;
  /** Workloads by pod-template label: key → value → workloads carrying it. */
  readonly podLabelIndex: ReadonlyMap<string, ReadonlyMap<string, readonly Workload[]>>;
}

const EMPTY_SLICE_LISTS = {
  objects: [], workloads: [], services: [], policies: [], ingresses: [], configMaps: [], podCreators: [], serviceByName: new Map(), addedKeys: new Set<string>(), podLabelIndex: new Map(),
} as const;

/** Distinct namespaces of a file's objects, in order of first appearance ('' for cluster-scoped is left out). */
function namespacesOf(entry: FileEntry): string[] {
  const out = new Set<string>();
  for (const o of entry.manifest.objects) if (o.namespace) out.add(o.namespace);
  return [...out];
}

function buildSlice(name: string, entries: readonly FileEntry[]): NamespaceSlice {
  const inNs = <T extends { object: K8sObject }>(xs: readonly T[]) => xs.filter(x => x.object.namespace === name);
  const objects: K8sObject[] = [];
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const policies: NetworkPolicy[] = [];
  const ingresses: Ingress[] = [];
  const configMaps: ConfigMap[] = [];
  const podCreators: K8sObject[] = [];
  for (const e of entries) {
    for (const o of e.manifest.objects) if (o.namespace === name) objects.push(o);
    podCreators.push(...e.podCreators.filter(o => o.namespace === name));
    workloads.push(...inNs(e.workloads));
    services.push(...inNs(e.services));
    policies.push(...inNs(e.policies));
    ingresses.push(...inNs(e.ingresses));
    configMaps.push(...inNs(e.configMaps));
  }
  const serviceByName = new Map<string, Service>();
  for (const s of services) if (!serviceByName.has(s.object.name)) serviceByName.set(s.object.name, s);
  const podLabelIndex = new Map<string, Map<string, Workload[]>>();
  const addedKeys = new Set<string>();
  for (const w of workloads) {
    for (const key of w.addedLabels.keys()) addedKeys.add(key);
    for (const [key, value] of Object.entries(w.podLabels)) {
      let byValue = podLabelIndex.get(key);
      if (!byValue) podLabelIndex.set(key, (byValue = new Map()));
      const list = byValue.get(value);
      if (list) list.push(w);
      else byValue.set(value, [w]);
    }
  }
  return { name, objects, workloads, services, policies, ingresses, configMaps, podCreators, serviceByName, addedKeys, podLabelIndex };
}

/** The options (size limit, namespaces) each file was parsed with by a workspace. */
const parsedWith = new WeakMap<ManifestFile, string>();

function buildEntry(manifest: ManifestFile): FileEntry {
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const policies: NetworkPolicy[] = [];
  const policiesWritten: NetworkPolicy[] = [];
  const adminPolicies: AdminPolicy[] = [];
  const ingresses: Ingress[] = [];
  const configMaps: ConfigMap[] = [];
  const namespaces: K8sObject[] = [];
  const endpoints: EndpointsView[] = [];
  const addresses: AddressSource[] = [];
  const clusterDomains: Array<{ object: K8sObject; value: Ranged<string> }> = [];
  const podCreators: K8sObject[] = [];
  const folderTargets: FolderTarget[] = [];
  for (const o of manifest.objects) {
    folderTargets.push(...folderTargetsOf(o));
    // What the API server rejects is not in force: the rules report it, no analysis reads it.
    const inForce = accepted(o);
    const w = inForce ? workloadView(o) ?? operatorWorkload(o) : undefined;
    if (w) workloads.push(w);
    else if (mayCreatePods(o)) podCreators.push(o);
    const s = inForce ? serviceView(o) : undefined;
    if (s) services.push(s);
    const p = networkPolicyView(o);
    if (p) policiesWritten.push(p);
    if (p && inForce) policies.push(p);
    const a = p ? undefined : adminPolicyView(o);
    if (a) adminPolicies.push(a);
    const i = ingressView(o) ?? routeView(o);
    if (i) ingresses.push(i);
    const c = configMapView(o);
    if (c) configMaps.push(c);
    if (isKind(o, 'Namespace')) namespaces.push(o);
    const e = endpointsView(o);
    if (e) endpoints.push(e);
    addresses.push(...addressSources(o));
    const d = clusterDomainOf(o);
    if (d) clusterDomains.push({ object: o, value: d });
  }
  return { manifest, workloads, services, policies, policiesWritten, adminPolicies, ingresses, configMaps, namespaces, endpoints, addresses, clusterDomains, podCreators, folderTargets };
}

export class Workspace {
  /**
   * Set on one render's workspace: whether pods of `namespace` may come from the rest of the
   * repository (another render, loose files), so "selects nothing there" is not this render's to say.
   */
  podsElsewhere?: (namespace: string) => boolean;
  /**
   * Set on one render's workspace: whether the rest of the repository (another render, loose files)
   * puts NetworkPolicies in `namespace` that this render does not hold, which may allow what this
   * render's policies deny: "blocked" is not this render's to say there.
   */
  policiesElsewhere?: (namespace: string) => boolean;
  private readonly entries = new Map<string, FileEntry>();
  private cache = new Map<string, unknown>();
  private gen = 0;
  /** Position of each file in `entries` (insertion order; re-setting a file keeps its place). */
  private readonly order = new Map<string, number>();
  private nextOrder = 0;
  /** Namespaces each file has objects in, and the files with objects in each namespace. */
  private readonly fileNamespaces = new Map<string, readonly string[]>();
  private readonly namespaceFiles = new Map<string, Set<string>>();
  /** Slices survive changes that do not touch their namespace. */
  private readonly slices = new Map<string, NamespaceSlice>();
  /** What says where namespace-less objects land: kustomizations, and files with GitOps targets. */
  private readonly kustomizations = new Map<string, KustomizationInfo>();
  private readonly targetFiles = new Map<string, readonly FolderTarget[]>();
  private applied = new AppliedNamespaces(new Map(), []);
  /** Files set with the namespace of the render they come from (`helm template -n`). */
  private readonly renderNamespaces = new Map<string, string>();
  /** Files that stand for several source files (a render): the size limit applies per source. */
  private readonly sizeScales = new Map<string, number>();

  constructor(public settings: AnalysisSettings = DEFAULT_SETTINGS) {}

  /** Increases on every change of content or settings; derived results are cached per generation. */
  get generation(): number {
    return this.gen;
  }

  /**
   * Parses `text` as the content of `file`, replacing what the index had for it. `defaultNamespace`
   * places namespaced objects that write none (a render made with `helm template -n`). `previous`, a
   * parse of the same file and text in another workspace, hands over its documents, so a copy of a
   * workspace re-parses nothing. It is used only when its text is `text`: the documents of another
   * text may be shifted in place, which would move the other workspace's offsets. `sources`: how many
   * files the text was made from (a render), each of which may be as large as the size limit.
   */
  set(file: string, text: string, options: { defaultNamespace?: string; previous?: ManifestFile; sources?: number } = {}): FileEntry {
    if (options.defaultNamespace) this.renderNamespaces.set(file, options.defaultNamespace);
    else this.renderNamespaces.delete(file);
    if (options.sources && options.sources > 1) this.sizeScales.set(file, options.sources);
    else this.sizeScales.delete(file);
    const hadKustomization = this.kustomizations.delete(file);
    const wasSource = this.targetFiles.delete(file) || hadKustomization;
    const kustomization = isKustomizationFile(file) ? readKustomization(file, text) : undefined;
    if (kustomization) this.kustomizations.set(file, kustomization);
    const entry = this.place(file, text, options.previous?.text === text ? options.previous : undefined);
    if (entry.folderTargets.length) this.targetFiles.set(file, entry.folderTargets);
    if (wasSource || kustomization || entry.folderTargets.length) this.reapply();
    return this.entries.get(file)!;
  }

  /**
   * Parses and indexes one file, with the namespace its namespace-less objects are applied into. The
   * previous parse hands over its documents: an edit re-parses only the documents it touched (the
   * namespace is applied to the objects after the parse, so a reused document takes the new one).
   * A parse of this very text handed over (`previous`) comes first: when another workspace shares
   * this file's documents and an edit there shifted them in place, this workspace's own earlier
   * parse no longer says where they are.
   */
  private place(file: string, text: string, previous?: ManifestFile): FileEntry {
    const before = this.entries.get(file);
    const options = {
      maxFileSize: this.settings.maxFileSize * (this.sizeScales.get(file) ?? 1), namespace: this.appliedNamespaceOf(file),
      // The documents read are bounded per source too: a render of n files may hold each one's.
      maxDocuments: DEFAULT_MAX_DOCUMENTS * (this.sizeScales.get(file) ?? 1),
      defaultNamespace: this.renderNamespaces.get(file), previous: previous ?? before?.manifest,
    };
    // A parse handed over that was made of this file with these options is this parse (a copy of a
    // workspace, a render beside the loose files): taken as it is.
    const key = `${options.maxFileSize}\u0000${options.namespace?.name}\u0000${options.namespace?.origin}\u0000${options.defaultNamespace}`;
    const manifest = previous?.file === file && parsedWith.get(previous) === key ? previous : parseManifest(file, text, options);
    parsedWith.set(manifest, key);
    const entry = buildEntry(manifest);
    if (!this.order.has(file)) this.order.set(file, this.nextOrder++);
    this.entries.set(file, entry);
    const moved = this.reindexNamespaces(file, namespacesOf(entry));
    this.dropSticky(before, entry, moved);
    this.changed({ file, before, after: entry });
    return entry;
  }

  /**
   * Where `file`'s objects without a namespace land: what the repository says (kustomization,
   * Argo CD / Flux), else the `defaultNamespace` setting; undefined when unknown or ambiguous.
   */
  appliedNamespaceOf(file: string): AppliedNamespace | undefined {
    const a = this.applied.of(file);
    if (a !== undefined) return a ?? undefined;
    const d = this.settings.defaultNamespace;
    return d ? { name: d, origin: 'the namespace given for objects without one (--namespace, setting kubeNetlens.defaultNamespace)' } : undefined;
  }

  /** Recomputes where files are applied and re-parses the files whose namespace changed. */
  private reapply(): void {
    const before = new Map([...this.entries.keys()].map(f => [f, this.appliedNamespaceOf(f)]));
    this.applied = new AppliedNamespaces(this.kustomizations, [...this.targetFiles.values()].flat());
    for (const [f, was] of before) {
      const now = this.appliedNamespaceOf(f);
      if (was?.name !== now?.name || was?.origin !== now?.origin) this.place(f, this.entries.get(f)!.manifest.text);
    }
  }

  /** Forgets a file. Returns whether it was indexed. */
  delete(file: string): boolean {
    const before = this.entries.get(file);
    const had = this.entries.delete(file);
    this.renderNamespaces.delete(file);
    this.sizeScales.delete(file);
    if (had) {
      this.order.delete(file);
      this.dropSticky(before, undefined, this.reindexNamespaces(file, []));
      this.changed({ file, before, after: undefined });
      const hadKustomization = this.kustomizations.delete(file);
      if (this.targetFiles.delete(file) || hadKustomization) this.reapply();
    }
    return had;
  }

  updateSettings(settings: AnalysisSettings): void {
    const reparse = settings.maxFileSize !== this.settings.maxFileSize || settings.defaultNamespace !== this.settings.defaultNamespace;
    this.settings = settings;
    this.slices.clear();
    this.sticky.clear();
    if (reparse) for (const [f, e] of [...this.entries]) this.place(f, e.manifest.text);
    this.changed();
  }

  /**
   * Whole-workspace tables that most edits leave alone (every address, the namespaces, the cluster
   * domain): kept across a change when the changed file had and has nothing of theirs, so a
   * keystroke in a Deployment does not rebuild them. Insertion order is workspace order, and a file
   * keeps its place when re-set, so a kept table equals a rebuilt one.
   */
  private readonly sticky = new Map<string, unknown>();

  private dropSticky(before: FileEntry | undefined, after: FileEntry | undefined, namespacesMoved: boolean): void {
    const none = (key: 'addresses' | 'namespaces' | 'clusterDomains') => !before?.[key].length && !after?.[key].length;
    if (!none('addresses')) this.sticky.delete('all:addresses');
    if (!none('namespaces') || namespacesMoved) this.sticky.delete('namespaces');
    if (!none('clusterDomains')) this.sticky.delete('clusterDomain');
  }

  private stickyDerived<T>(key: string, compute: () => T): T {
    if (this.sticky.has(key)) return this.sticky.get(key) as T;
    const value = compute();
    this.sticky.set(key, value);
    return value;
  }

  get(file: string): FileEntry | undefined {
    return this.entries.get(file);
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  get fileNames(): string[] {
    return [...this.entries.keys()];
  }

  get files(): IterableIterator<FileEntry> {
    return this.entries.values();
  }

  /**
   * A value derived from the whole index, computed once per generation. `key` names the derivation;
   * analyses use this to share results (the policy engine's pod classes, the DNS table).
   */
  derived<T>(key: string, compute: (ws: Workspace) => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = compute(this);
    this.cache.set(key, value);
    return value;
  }

  private changed(change?: Omit<FileChange, 'generation'>): void {
    this.gen++;
    this.cache = new Map();
    if (!change) {
      // Settings: nothing earlier can be updated from file changes alone.
      this.changeLog.length = 0;
      this.logStart = this.gen;
      return;
    }
    this.changeLog.push({ ...change, generation: this.gen });
    if (this.changeLog.length > 256) {
      this.changeLog.splice(0, 128);
      this.logStart = this.changeLog[0]!.generation - 1;
    }
  }

  /** File changes, oldest first, kept so that per-generation tables can update rather than rebuild. */
  private readonly changeLog: FileChange[] = [];
  /** The generation the change log starts after. */
  private logStart = 0;

  /**
   * The file changes after `generation`, oldest first (each with the entry before and after), or
   * undefined when they are not known (too old, or the settings changed since): then rebuild.
   */
  changesSince(generation: number): readonly FileChange[] | undefined {
    if (generation < this.logStart || generation > this.gen) return undefined;
    return this.changeLog.filter(c => c.generation > generation);
  }

  /** A file's position in workspace order (files keep their place when re-set), or undefined. */
  orderOf(file: string): number | undefined {
    return this.order.get(file);
  }

  /**
   * Moves `file` to the namespaces it now has objects in; drops the slices of every namespace it had
   * or has. Returns whether the set of namespaces that have objects changed.
   */
  private reindexNamespaces(file: string, now: readonly string[]): boolean {
    const before = this.fileNamespaces.get(file) ?? [];
    const known = this.namespaceFiles.size;
    const emptied = before.filter(ns => !now.includes(ns) && this.namespaceFiles.get(ns)?.size === 1).length;
    for (const ns of before) {
      this.slices.delete(ns);
      if (now.includes(ns)) continue;
      const files = this.namespaceFiles.get(ns);
      files?.delete(file);
      if (files?.size === 0) this.namespaceFiles.delete(ns);
    }
    for (const ns of now) {
      this.slices.delete(ns);
      let files = this.namespaceFiles.get(ns);
      if (!files) this.namespaceFiles.set(ns, (files = new Set()));
      files.add(file);
    }
    if (now.length) this.fileNamespaces.set(file, now);
    else this.fileNamespaces.delete(file);
    return emptied > 0 || this.namespaceFiles.size !== known;
  }

  /** Everything in one namespace (empty lists when nothing is in it). Cost: that namespace, once per change to it. */
  inNamespace(namespace: string): NamespaceSlice {
    const cached = this.slices.get(namespace);
    if (cached) return cached;
    const files = this.namespaceFiles.get(namespace);
    if (!files) return { name: namespace, ...EMPTY_SLICE_LISTS };
    const entries = [...files]
      .sort((a, b) => this.order.get(a)! - this.order.get(b)!)
      .map(f => this.entries.get(f)!);
    const slice = buildSlice(namespace, entries);
    this.slices.set(namespace, slice);
    return slice;
  }

  /** The workloads of `namespace`, in workspace order. */
  workloadsIn(namespace: string): readonly Workload[] {
    return this.inNamespace(namespace).workloads;
  }

  /** The Services of `namespace`, in workspace order. */
  servicesIn(namespace: string): readonly Service[] {
    return this.inNamespace(namespace).services;
  }

  /** The NetworkPolicies of `namespace`, in workspace order. */
  policiesIn(namespace: string): readonly NetworkPolicy[] {
    return this.inNamespace(namespace).policies;
  }

  /** The workloads of `namespace` whose pod-template labels have `key: value`, in workspace order. */
  workloadsWithLabel(namespace: string, key: string, value: string): readonly Workload[] {
    return this.inNamespace(namespace).podLabelIndex.get(key)?.get(value) ?? [];
  }

  /**
   * The workloads of `namespace` whose pod-template labels `selector` selects (exact selector
   * semantics; an empty selector selects them all). Candidates come from the label index when the
   * selector has a matchLabels entry or an `In` requirement, so the cost is that of the matches.
   */
  workloadsSelectedBy(namespace: string, selector: LabelSelector): Workload[] {
    const slice = this.inNamespace(namespace);
    let candidates: readonly Workload[] = slice.workloads;
    for (const [key, value] of Object.entries(selector.matchLabels)) {
      if (slice.addedKeys.has(key)) continue;
      const hits = slice.podLabelIndex.get(key)?.get(value) ?? [];
      if (hits.length < candidates.length) candidates = hits;
    }
    for (const r of selector.matchExpressions) {
      if (r.operator !== 'In' || slice.addedKeys.has(r.key)) continue;
      const byValue = slice.podLabelIndex.get(r.key);
      const hits = r.values.reduce((n, v) => n + (byValue?.get(v)?.length ?? 0), 0);
      if (hits < candidates.length) {
        const picked = new Set(r.values.flatMap(v => byValue?.get(v) ?? []));
        candidates = slice.workloads.filter(w => picked.has(w));
      }
    }
    return candidates.filter(w => selectorMayMatch(selector, w.podLabels, w.addedLabels));
  }

  /**
   * Whether the workspace knows the pods of `namespace` well enough for "selects nothing" verdicts:
   * it defines workloads there and no custom resource there may make pods it cannot model. With
   * `asking` given, only workloads that surely share its namespace count ({@link surelySameNamespace}),
   * and not when its folder holds a template file (not analysed: its pods are unknown). In a render,
   * not for a namespace other parts of the repository put pods in ({@link podsElsewhere}).
   */
  knowsPodsOf(namespace: string, asking?: Pick<K8sObject, 'file' | 'namespaceDefaulted'>): boolean {
    const slice = this.inNamespace(namespace);
    if (slice.podCreators.length || this.podsElsewhere?.(namespace) || this.podMakersIn(namespace).length) return false;
    if (!asking) return slice.workloads.length > 0;
    if (this.collected('templateFolders', e => (e.manifest.skipped === 'helm-template' ? [dirName(e.manifest.file)] : [])).includes(dirName(asking.file))) return false;
    return slice.workloads.some(w => surelySameNamespace(asking, w.object));
  }

  /**
   * The workloads whose ServiceAccount RBAC lets create pods, or workloads, in `namespace`
   * (net/rbac.ts): pods the manifests do not declare may run there. Cached per generation.
   */
  podMakersIn(namespace: string): readonly Workload[] {
    const makers = podMakers(this);
    if (!makers.size) return NO_WORKLOADS;
    return this.derived(`rbac:makersIn:${namespace}`, () => podMakersIn(makers, this.workloads, namespace));
  }

  /**
   * Whether objects of `namespace` may include what the workspace cannot list: custom resources
   * whose operators make pods and Services (modelled or not).
   */
  hasCustomResourcesIn(namespace: string): boolean {
    const slice = this.inNamespace(namespace);
    return slice.podCreators.length > 0 || slice.workloads.some(w => w.madeBy !== undefined);
  }

  /**
   * The workloads whose pods Service `s` selects ({@link serviceSelects}), owners only: a ReplicaSet
   * or Pod made by another workload of the workspace is not listed beside its owner. Replicas 0 included.
   * Computed once per slice of the Service's namespace (it reads nothing else): DNS resolution asks it
   * per name resolved. The list is shared and frozen.
   */
  workloadsOfService(s: Service): readonly Workload[] {
    if (!hasSelector(s)) return NO_WORKLOADS;
    const slice = this.inNamespace(s.object.namespace);
    const writers = podWriters(this);
    // Not where pods the manifests do not declare may run (an operator that may also create pods
    // shares labels with the pods it makes): there the Service's pods are unknown anyway.
    const relabel = writers.size > 0 && !this.podMakersIn(s.object.namespace).length;
    const cached = this.serviceWorkloads.get(s);
    if (cached?.slice === slice && cached.writers === writers && cached.relabel === relabel) return cached.list;
    const found = this.workloadsSelectedBy(s.object.namespace, s.selector);
    // Pods that may label themselves (their ServiceAccount may patch pods here, see net/rbac.ts) may
    // carry the selector's labels their template does not write (Vault's `vault-active`, a leader
    // label), when it writes the others as selected.
    const entries = Object.entries(s.selector.matchLabels);
    const selected = new Set(found);
    for (const w of relabel ? slice.workloads : []) {
      if (selected.has(w) || !mayRelabelOwnPods(writers, w)) continue;
      const written = entries.filter(([k]) => k in w.podLabels);
      if (written.length && written.length < entries.length && written.every(([k, v]) => w.podLabels[k] === v)) found.push(w);
    }
    const owners = found.filter(w => !ownedInWorkspace(this, w));
    const list = owners.length ? Object.freeze(owners) : NO_WORKLOADS;
    this.serviceWorkloads.set(s, { slice, writers, relabel, list });
    return list;
  }

  private readonly serviceWorkloads = new WeakMap<Service, { readonly slice: NamespaceSlice; readonly writers: PodWriters; readonly relabel: boolean; readonly list: readonly Workload[] }>();

  /**
   * The concatenation over files, in workspace order, of `of(entry)` (read once per parsed file),
   * cached per generation under `key`. A change to files that had and have nothing of it (a keystroke
   * in a Deployment, for the admin policies) keeps the previous list: no pass over every object.
   */
  collected<T>(key: string, of: (entry: FileEntry) => readonly T[]): readonly T[] {
    return this.derived(`collected:${key}`, () => {
      let perFile = this.collectedPerFile.get(key) as WeakMap<FileEntry, readonly T[]> | undefined;
      if (!perFile) this.collectedPerFile.set(key, (perFile = new WeakMap()));
      const read = (e: FileEntry): readonly T[] => {
        let items = perFile!.get(e);
        if (!items) perFile!.set(e, (items = of(e)));
        return items;
      };
      const prev = this.collectedLists.get(key) as { generation: number; list: readonly T[] } | undefined;
      const changes = prev ? this.changesSince(prev.generation) : undefined;
      const none = (e: FileEntry | undefined) => !e || read(e).length === 0;
      const list = changes && changes.every(c => none(c.before) && none(c.after))
        ? prev!.list
        : [...this.entries.values()].flatMap(e => read(e));
      this.collectedLists.set(key, { generation: this.gen, list });
      return list;
    });
  }

  private readonly collectedPerFile = new Map<string, WeakMap<FileEntry, readonly unknown[]>>();
  private readonly collectedLists = new Map<string, { generation: number; list: readonly unknown[] }>();

  private concat<K extends keyof FileEntry>(key: K): Array<FileEntry[K] extends ReadonlyArray<infer T> ? T : never> {
    return this.derived(`all:${key}`, () => {
      const out: unknown[] = [];
      for (const e of this.entries.values()) out.push(...(e[key] as unknown[]));
      return out as Array<FileEntry[K] extends ReadonlyArray<infer T> ? T : never>;
    });
  }

  get objects(): K8sObject[] {
    return this.derived('all:objects', () => {
      const out: K8sObject[] = [];
      for (const e of this.entries.values()) out.push(...e.manifest.objects);
      return out;
    });
  }
  get workloads(): Workload[] { return this.concat('workloads'); }
  get services(): Service[] { return this.concat('services'); }
  get policies(): NetworkPolicy[] { return this.concat('policies'); }
  get ingresses(): Ingress[] { return this.concat('ingresses'); }
  get configMaps(): ConfigMap[] { return this.concat('configMaps'); }
  get endpoints(): EndpointsView[] { return this.concat('endpoints'); }
  get addresses(): AddressSource[] {
    return this.stickyDerived('all:addresses', () => [...this.entries.values()].flatMap(e => e.addresses));
  }

  /** Every namespace: declared ones with their labels, and those only implied by objects in them. */
  get namespaces(): Map<string, NamespaceInfo> {
    return this.stickyDerived('namespaces', () => {
      const map = new Map<string, NamespaceInfo>();
      for (const e of this.entries.values()) {
        for (const o of e.namespaces) {
          if (!o.name) continue;
          const prev = map.get(o.name);
          map.set(o.name, {
            name: o.name,
            labels: { ...(prev?.labels ?? {}), ...o.labels, [NAMESPACE_NAME_LABEL]: o.name },
            objects: [...(prev?.objects ?? []), o],
          });
        }
      }
      // Per file, not per object: the namespaces each file has objects in are indexed on set().
      for (const file of this.entries.keys()) {
        for (const ns of this.fileNamespaces.get(file) ?? []) {
          if (!map.has(ns)) map.set(ns, { name: ns, labels: { [NAMESPACE_NAME_LABEL]: ns }, objects: [] });
        }
      }
      return map;
    });
  }

  /** The Service `name` in `namespace` (first definition wins). Cost: that namespace, not the workspace. */
  service(namespace: string, name: string): Service | undefined {
    return this.inNamespace(namespace).serviceByName.get(name);
  }

  /** The cluster DNS zone: from a manifest (kubeadm, kubelet) when one sets it, else the setting. */
  get clusterDomain(): { value: string; source: K8sObject | undefined } {
    return this.stickyDerived('clusterDomain', () => {
      for (const e of this.entries.values()) {
        const d = e.clusterDomains[0];
        if (d && d.value.value) return { value: d.value.value.replace(/\.$/, '').toLowerCase(), source: d.object };
      }
      return { value: this.settings.clusterDomain.replace(/\.$/, '').toLowerCase(), source: undefined };
    });
  }
}
