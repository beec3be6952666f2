/**
 * What the graph reads from the other analyses (the policy engine, the DNS resolver), as a narrow
 * interface: the graph model is built and tested on its own, and each analysis plugs in through one
 * adapter function here. A missing source leaves its edges out and says so in `NetworkGraph.notes`.
 */
import type { Workload } from '../parse/views';
import type { Span } from '../span';
import type { Workspace } from '../workspace';

/** One end of an allowed flow. `key` identifies external ranges (their printed range). */
export type FlowPeer =
  | { readonly kind: 'workload'; readonly workload: Workload }
  | { readonly kind: 'external'; readonly range: string }
  | { readonly kind: 'ingress-controller' };

/** One allowed flow, aggregated per ordered pair of peers. */
export interface Flow {
  readonly src: FlowPeer;
  readonly dst: FlowPeer;
  /** The allowed connections, printed (`TCP 8080`, `All Connections`). */
  readonly label: string;
  /** Which rules allow it, one line each. */
  readonly explanation: readonly string[];
}

/** A DNS name written in a workload's env/config that resolves to a Service. */
export interface DnsEdgeInput {
  readonly file: string;
  readonly span: Span;
  readonly host: string;
  readonly port?: number;
  readonly from: Workload;
  readonly service: { readonly namespace: string; readonly name: string };
  /** Whether the policies allow `from` to reach the Service's pods on the port the reference means. */
  readonly allowed: boolean;
  /** Why it is blocked, or which rule allows it, one line each. */
  readonly explanation: readonly string[];
}

/** The analyses the graph builder consults. */
export interface GraphSources {
  /** Allowed flows (every ordered pair of distinct peers with traffic), plus the `ipBlock` reading used. */
  readonly flows?: (ws: Workspace) => { flows: readonly Flow[]; reading: string };
  /** DNS references from workloads to Services with their policy verdict. */
  readonly dns?: (ws: Workspace) => readonly DnsEdgeInput[];
}
