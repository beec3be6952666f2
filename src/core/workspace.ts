/**
 * The workspace index: every manifest file, parsed once per change, with typed views per file.
 * Updating one file re-parses only that file; cross-file lists are concatenated lazily and cached
 * until the next change. Every analysis (DNS, CIDR, policy, diagram, rules) reads this index.
 */
import { parseManifest, type K8sObject, type ManifestFile } from './parse/manifest';
import {
  addressSources, clusterDomainOf, configMapView, endpointsView, ingressView, networkPolicyView, routeView,
  serviceView, workloadView,
  type AddressSource, type ConfigMap, type EndpointsView, type Ingress, type NetworkPolicy, type Service, type Workload,
} from './parse/views';
import { DEFAULT_SETTINGS, type AnalysisSettings } from './settings';
import type { Ranged } from './span';

/** The label every namespace carries (since Kubernetes 1.21), naming itself. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What one file contributes to the index. */
export interface FileEntry {
  readonly manifest: ManifestFile;
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly policies: readonly NetworkPolicy[];
  readonly ingresses: readonly Ingress[];
  readonly configMaps: readonly ConfigMap[];
  readonly namespaces: readonly K8sObject[];
  readonly endpoints: readonly EndpointsView[];
  readonly addresses: readonly AddressSource[];
  readonly clusterDomains: ReadonlyArray<{ object: K8sObject; value: Ranged<string> }>;
}

/** A namespace as the analysis sees it: declared by a Namespace object, or implied by objects in it. */
export interface NamespaceInfo {
  readonly name: string;
  /** Labels, always including `kubernetes.io/metadata.name`. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Namespace objects that declare it (more than one is a duplicate). */
  readonly objects: readonly K8sObject[];
}

function buildEntry(manifest: ManifestFile): FileEntry {
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const policies: NetworkPolicy[] = [];
  const ingresses: Ingress[] = [];
  const configMaps: ConfigMap[] = [];
  const namespaces: K8sObject[] = [];
  const endpoints: EndpointsView[] = [];
  const addresses: AddressSource[] = [];
  const clusterDomains: Array<{ object: K8sObject; value: Ranged<string> }> = [];
  for (const o of manifest.objects) {
    const w = workloadView(o);
    if (w) workloads.push(w);
    const s = serviceView(o);
    if (s) services.push(s);
    const p = networkPolicyView(o);
    if (p) policies.push(p);
    const i = ingressView(o) ?? routeView(o);
    if (i) ingresses.push(i);
    const c = configMapView(o);
    if (c) configMaps.push(c);
    if (o.kind === 'Namespace') namespaces.push(o);
    const e = endpointsView(o);
    if (e) endpoints.push(e);
    addresses.push(...addressSources(o));
    const d = clusterDomainOf(o);
    if (d) clusterDomains.push({ object: o, value: d });
  }
  return { manifest, workloads, services, policies, ingresses, configMaps, namespaces, endpoints, addresses, clusterDomains };
}

export class Workspace {
  private readonly entries = new Map<string, FileEntry>();
  private cache = new Map<string, unknown>();
  private gen = 0;

  constructor(public settings: AnalysisSettings = DEFAULT_SETTINGS) {}

  /** Increases on every change of content or settings; derived results are cached per generation. */
  get generation(): number {
    return this.gen;
  }

  /** Parses `text` as the content of `file`, replacing what the index had for it. */
  set(file: string, text: string): FileEntry {
    const entry = buildEntry(parseManifest(file, text, { maxFileSize: this.settings.maxFileSize }));
    this.entries.set(file, entry);
    this.changed();
    return entry;
  }

  /** Forgets a file. Returns whether it was indexed. */
  delete(file: string): boolean {
    const had = this.entries.delete(file);
    if (had) this.changed();
    return had;
  }

  updateSettings(settings: AnalysisSettings): void {
    this.settings = settings;
    this.changed();
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

  private changed(): void {
    this.gen++;
    this.cache = new Map();
  }

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
  get addresses(): AddressSource[] { return this.concat('addresses'); }

  /** Every namespace: declared ones with their labels, and those only implied by objects in them. */
  get namespaces(): Map<string, NamespaceInfo> {
    return this.derived('namespaces', () => {
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
      for (const o of this.objects) {
        if (o.namespace && !map.has(o.namespace)) {
          map.set(o.namespace, { name: o.namespace, labels: { [NAMESPACE_NAME_LABEL]: o.namespace }, objects: [] });
        }
      }
      return map;
    });
  }

  /** Services by `namespace/name` (first definition wins; duplicates are a rule's business). */
  get serviceIndex(): Map<string, Service> {
    return this.derived('serviceIndex', () => {
      const map = new Map<string, Service>();
      for (const s of this.services) {
        const key = `${s.object.namespace}/${s.object.name}`;
        if (!map.has(key)) map.set(key, s);
      }
      return map;
    });
  }

  service(namespace: string, name: string): Service | undefined {
    return this.serviceIndex.get(`${namespace}/${name}`);
  }

  /** The cluster DNS zone: from a manifest (kubeadm, kubelet) when one sets it, else the setting. */
  get clusterDomain(): { value: string; source: K8sObject | undefined } {
    return this.derived('clusterDomain', () => {
      for (const e of this.entries.values()) {
        const d = e.clusterDomains[0];
        if (d && d.value.value) return { value: d.value.value.replace(/\.$/, '').toLowerCase(), source: d.object };
      }
      return { value: this.settings.clusterDomain.replace(/\.$/, '').toLowerCase(), source: undefined };
    });
  }
}
