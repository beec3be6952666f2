/**
 * The network diagram's data model: plain, serialisable values (no YAML nodes, no bigint) that the
 * extension host posts to the page as is. Node ids are stable across rebuilds so the page can keep
 * its selection, zoom and pan when the workspace changes.
 */
import type { Workload } from '../parse/views/workload';
import { workloadId } from '../net/policy';
import type { Span } from '../span';

/** Where a node or an edge comes from in the workspace: a file id (URI or path) and a span in it. */
export interface SourceLocation {
  readonly file: string;
  readonly span: Span;
}

export type NodeKind = 'workload' | 'service' | 'ingress' | 'external' | 'ingress-controller';

/**
 * What a node's badges say:
 * - `ingress-isolated` / `egress-isolated`: a NetworkPolicy selects the workload for that direction;
 * - `ingress-open` / `egress-open`: none does, so everything is allowed in that direction;
 * - `exposed-all-namespaces`: pods of every namespace may connect to it (on some port);
 * - `exposed-internet`: some address outside the cluster may connect to it;
 * - `cluster-policy`: an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy applies to it;
 * - `cni-policy`: a Calico or Cilium policy may select it; its flows also depend on that policy,
 *   which is not evaluated.
 */
export type Badge =
  | 'ingress-isolated' | 'ingress-open'
  | 'egress-isolated' | 'egress-open'
  | 'exposed-all-namespaces' | 'exposed-internet'
  | 'cluster-policy' | 'cni-policy';

/** A reference to a NetworkPolicy, for the side panel. */
export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
  readonly directions: ReadonlyArray<'ingress' | 'egress'>;
  readonly source: SourceLocation;
}

export interface GraphNode {
  /**
   * Stable id: `workload:<ns>/<name>[<Kind>]` (the policy engine's peer id), `service:<ns>/<name>`,
   * `ingress:<ns>/<Kind>/<name>`, `external:<first>-<last>`, `ingress-controller`.
   */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** The object's kind (`Deployment`, `Service`, `Ingress`, `Route`); absent for synthetic nodes. */
  readonly objectKind?: string;
  readonly namespace?: string;
  /** The id of the group (namespace frame) holding the node; absent for nodes outside the cluster. */
  readonly parent?: string;
  readonly badges: readonly Badge[];
  /** Replica count as written or defaulted; absent when the kind has none (DaemonSet, Job). */
  readonly replicas?: number;
  /** One-line facts for the side panel (`selector app=web`, `ports TCP 80→http`). */
  readonly details: readonly string[];
  /**
   * The workload's pod labels that say which application and part of it the pods are (the keys of
   * `APP_LABELS` of src/shared/app-labels.ts it has): the page groups a namespace's workloads by them (webview/groups.ts).
   */
  readonly appLabels?: Readonly<Record<string, string>>;
  /** Policies selecting the workload (workloads only). */
  readonly policies?: readonly PolicyRef[];
  readonly source?: SourceLocation;
  /**
   * The renders that produce the object (`overlay deploy/overlays/dev`, `chart charts/web`); absent
   * for a loose manifest. `source` is then in the file the user edits (base, patch or template).
   */
  readonly renderedFrom?: readonly string[];
}

export type EdgeKind = 'flow' | 'selects' | 'routes' | 'dns';

export interface GraphEdge {
  /** Stable id: `<kind>:<source>-><target>` (DNS edges add `@<file>#<n>`: the n-th reference from that caller to that Service in the file). */
  readonly id: string;
  readonly kind: EdgeKind;
  readonly source: string;
  readonly target: string;
  /** Ports for flows (`TCP 8080`, `All Connections`), the host for DNS references, empty otherwise. */
  readonly label: string;
  /** For DNS references: whether the policies allow the connection the name stands for. */
  readonly status?: 'allowed' | 'blocked';
  /** Why the edge exists, one line each (the allowing rules; the blocking policies). */
  readonly explanation?: readonly string[];
  /** For flows: the cluster-wide tier whose rule decided some of its connections (admin before baseline). */
  readonly decidedBy?: 'admin' | 'baseline';
  /** The text that makes the edge: the DNS reference, the Ingress backend, the Service selector. */
  readonly sourceLocation?: SourceLocation;
  /** In the diagram's changes mode: how the flow differs from the base revision. */
  readonly change?: 'added' | 'removed' | 'changed';
  /**
   * For flows on a secondary network: the NetworkAttachmentDefinition's name (the id ends with
   * `@<network>`; MultiNetworkPolicies decide it). Absent: the pod network (or the primary UDN).
   */
  readonly network?: string;
}

/** A namespace frame. */
export interface GraphGroup {
  /** `ns:<name>`. */
  readonly id: string;
  readonly label: string;
  readonly source?: SourceLocation;
}

export interface NetworkGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly GraphGroup[];
  /** Every namespace of the workspace (for the filter), whatever the options kept. */
  readonly namespaces: readonly string[];
  /** Warnings to show above the picture (e.g. no NetworkPolicy at all). */
  readonly notes: readonly string[];
  /** The ipBlock reading the flows were computed with. */
  readonly reading: 'external' | 'all';
}

/** What the page asks the host to show. Every field is optional; absent means "no restriction". */
export interface GraphOptions {
  /** Only this namespace's nodes (and the nodes they connect to). */
  readonly namespace?: string;
  /** Only this node (or the members of this group) and what is `hops` edges away from it. */
  readonly focus?: string;
  /** How many edges away from the focus to keep (default 1). */
  readonly hops?: number;
  /** Only the workloads this NetworkPolicy (`<namespace>/<name>`) selects, and their neighbours. */
  readonly policy?: string;
  /** Only DNS references the policies block, and their ends. */
  readonly deniedDnsOnly?: boolean;
  /** Only nodes whose label contains this text (case-insensitive), and their neighbours. */
  readonly search?: string;
}

/** Node and group ids, one constructor per kind, so the host, the tests and the CodeLens agree. */
export const groupId = (namespace: string): string => `ns:${namespace}`;
export const serviceId = (namespace: string, name: string): string => `service:${namespace}/${name}`;
export const ingressId = (namespace: string, kind: string, name: string): string => `ingress:${namespace}/${kind}/${name}`;
export const externalId = (range: string): string => `external:${range}`;
export const INGRESS_CONTROLLER_ID = 'ingress-controller';

/** The node id of a workload: its policy peer's (a Pod naming a controller is its owner's node). */
export function nodeIdOfWorkload(w: Workload): string {
  return `workload:${workloadId(w)}`;
}
