/**
 * What the diagram's flows and DNS verdicts read of one namespace, as text: two edits that leave it
 * the same (a replica count, an image, an env value that names nothing) leave the namespace's flows
 * and verdicts as they were, so the incremental update (./incremental.ts) keeps them instead of
 * building the namespace's model again. Computed once per namespace slice (the workspace keeps a
 * slice until its namespace changes).
 *
 * Exact, not heuristic: a policy, Service or Ingress is compared by its whole text (the same text
 * parses to the same object), a workload by everything the engine evaluates it by (its peer id,
 * class key: namespace, pod labels and named ports; every container port; host network) and where
 * it stands (whether its namespace is only assumed, its folder). Namespace labels, ipBlocks,
 * cluster-wide tiers, third-party policies, pod networks and the settings are not in it: a change of
 * any of them rebuilds the whole graph.
 */
import type { K8sObject } from '../parse/manifest';
import { namedPortsOf, type Workload } from '../parse/views/workload';
import { classKeyOf, namespacePeers } from '../net/policy/model';
import { dirName } from '../applied';
import type { NamespaceSlice, Workspace } from '../workspace';

const flowTexts = new WeakMap<NamespaceSlice, FlowInputs>();
const policyTexts = new WeakMap<NamespaceSlice, string>();

/** An object's source text and where it stands (its namespace only assumed or written; its folder). */
function objectText(ws: Workspace, o: K8sObject): unknown[] {
  return [o.kind, ws.get(o.file)?.manifest.text.slice(o.span.start, o.span.end) ?? null, o.namespaceDefaulted, dirName(o.file)];
}

const workloadTexts = new WeakMap<Workload, string>();

/** What a verdict reads of a workload (its pods' class, ports, host network) and where it stands. */
export function workloadInputs(w: Workload): string {
  let text = workloadTexts.get(w);
  if (text === undefined) {
    text = JSON.stringify([
      classKeyOf(w), namedPortsOf(w).map(p => [p.name ?? null, p.protocol ?? null, p.containerPort ?? null]),
      w.hostNetwork, w.object.namespaceDefaulted, dirName(w.object.file),
    ]);
    workloadTexts.set(w, text);
  }
  return text;
}

/** What the flows with an end in a namespace read of it (see {@link flowInputs}). */
export interface FlowInputs {
  /** All of it, as text. */
  readonly text: string;
  /** Each workload peer's {@link workloadInputs}, by peer id. */
  readonly peers: ReadonlyMap<string, string>;
  /** The namespace's policies, Services and Ingresses (the ingress controller's flows), as text. */
  readonly objects: string;
}

/**
 * What the flows with an end in namespace `ns` read of it: its workload peers (id and
 * {@link workloadInputs}), its policies, Services and Ingresses.
 */
export function flowInputs(ws: Workspace, ns: string): FlowInputs {
  const slice = ws.inNamespace(ns);
  let inputs = flowTexts.get(slice);
  if (inputs === undefined) {
    const peers = new Map(namespacePeers(ws, ns).map(p => [p.ref.id, workloadInputs(p.ref.workload)]));
    const objects = JSON.stringify([...slice.policies, ...slice.services, ...slice.ingresses].map(v => objectText(ws, v.object)));
    inputs = { text: JSON.stringify([[...peers], objects]), peers, objects };
    flowTexts.set(slice, inputs);
  }
  return inputs;
}

/**
 * Whether the flows with an end in a namespace whose inputs went from `before` to `after` are the
 * flows they were less those of the workloads gone: the same policies, Services and Ingresses, and
 * every workload left evaluated as before (a verdict between two pods reads only those two pods,
 * their namespaces' labels and policies, never a third pod).
 */
export function onlyWorkloadsGone(before: FlowInputs, after: FlowInputs): boolean {
  if (before.objects !== after.objects || after.peers.size >= before.peers.size) return false;
  for (const [id, inputs] of after.peers) if (before.peers.get(id) !== inputs) return false;
  return true;
}

/** The policies of namespace `ns`, as text (what a verdict between two workloads reads of their namespaces besides the workloads). */
export function policyInputs(ws: Workspace, ns: string): string {
  const slice = ws.inNamespace(ns);
  let text = policyTexts.get(slice);
  if (text === undefined) policyTexts.set(slice, (text = JSON.stringify(slice.policies.map(p => objectText(ws, p.object)))));
  return text;
}
