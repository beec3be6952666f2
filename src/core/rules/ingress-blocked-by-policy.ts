import { policyName, workloadId } from '../net/policy/index';
import type { K8sObject } from '../parse/manifest';
import { ingressView, routeView, type IngressBackend } from '../parse/views/ingress';
import type { NetworkPolicy } from '../parse/views/policy';
import type { Service } from '../parse/views/service';
import { findNamedPort, type Workload } from '../parse/views/workload';
import type { Workspace } from '../workspace';
import { NAMESPACE_NAME_LABEL } from '../workspace';
import { defineRule, relatedObject, type Edit, type Fix, type Related } from './rule';
import { appendPolicyRules, newPolicyAfter, policyRule, policyToAmend } from './support/amend';
import { governedByPolicy, policyList } from '../net/policy/reach';
import { controllerBlocked } from './support/reach';
import { reasonText, type DecidingRule } from '../net/policy/why';

/** The namespace the standard ingress-nginx installation (class `nginx`) runs in. */
const NGINX_NAMESPACE = 'ingress-nginx';

/** The class an Ingress asks for: `ingressClassName`, else the legacy annotation. */
function classOf(object: K8sObject, className: string | undefined): string | undefined {
  return className ?? object.annotations['kubernetes.io/ingress.class'];
}

/**
 * The pod port a backend reaches on `w`, or undefined when it cannot be told (other rules report
 * unknown ports). An Ingress names a Service port (number or name) that maps to its targetPort; a
 * Route's `targetPort` is the pod's port itself (a name is the Service port's name).
 */
function podPort(object: K8sObject, s: Service, port: number | string, w: Workload): number | undefined {
  const route = object.kind === 'Route';
  if (route && typeof port === 'number') return port;
  const sp = s.ports.find(p => (typeof port === 'number' ? p.port === port : p.name === port));
  if (!sp || sp.protocol !== 'TCP') return undefined;
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (target === undefined) return undefined;
  return findNamedPort(w, target, 'TCP')?.containerPort;
}

interface Hit {
  readonly workload: Workload;
  readonly port: number;
  readonly policies: readonly NetworkPolicy[];
  /** Why the port is denied: the deciding rules of the pair's explanation object. */
  readonly reason: readonly DecidingRule[];
}

function hitsOf(ws: Workspace, object: K8sObject, s: Service, port: number | string): Hit[] {
  const out: Hit[] = [];
  const seen = new Set<string>();
  for (const w of ws.workloadsOfService(s)) {
    if (!governedByPolicy(w)) continue;
    const id = workloadId(w);
    if (seen.has(id)) continue;
    seen.add(id);
    const p = podPort(object, s, port, w);
    if (p === undefined) continue;
    const blocked = controllerBlocked(ws, w, p);
    if (blocked) out.push({ workload: w, port: p, ...blocked });
  }
  return out;
}

function fixOf(ws: Workspace, s: Service, hits: readonly Hit[]): Fix | undefined {
  const peer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: NGINX_NAMESPACE } } };
  const byPolicy = new Map<NetworkPolicy, Set<number>>();
  const created = new Map<string, { after: NetworkPolicy; w: Workload; ports: Set<number> }>();
  for (const h of hits) {
    const policy = policyToAmend(h.policies, 'ingress');
    if (policy) byPolicy.set(policy, (byPolicy.get(policy) ?? new Set()).add(h.port));
    else {
      const e = created.get(workloadId(h.workload)) ?? { after: h.policies[0]!, w: h.workload, ports: new Set<number>() };
      e.ports.add(h.port);
      created.set(workloadId(h.workload), e);
    }
  }
  const ports = (set: Set<number>) => [...set].sort((a, b) => a - b).map(port => ({ protocol: 'TCP' as const, port }));
  const edits: Edit[] = [];
  for (const [policy, set] of byPolicy) {
    const edit = appendPolicyRules(ws, policy, 'ingress', [policyRule('ingress', [peer], ports(set))]);
    if (!edit) return undefined;
    edits.push(edit);
  }
  for (const e of created.values()) {
    const edit = newPolicyAfter(ws, e.after, e.w, `allow-${e.w.object.name}-from-ingress-nginx`, 'ingress', [policyRule('ingress', [peer], ports(e.ports))]);
    if (!edit) return undefined;
    edits.push(edit);
  }
  if (!edits.length) return undefined;
  return {
    title: `Allow TCP ${[...new Set(hits.map(h => h.port))].join(', ')} to the pods of Service ${s.object.name} from namespace ${NGINX_NAMESPACE}`,
    preferred: true,
    edits,
  };
}

function backendsOf(object: K8sObject): { backends: readonly IngressBackend[]; className: string | undefined } | undefined {
  const v = ingressView(object) ?? routeView(object);
  return v && { backends: v.backends, className: classOf(object, v.ingressClassName) };
}

/**
 * An Ingress or Route backend whose Service's pods do not admit the ingress controller on the
 * resolved target port. The controller's namespace is unknown, so only a certain block is reported
 * (see `controllerBlocked`); the fix allows namespace ingress-nginx, and is offered only for class `nginx`.
 */
export default defineRule({
  id: 'ingress-blocked-by-policy',
  severity: 'warning',
  kinds: ['Ingress', 'Route'],
  docs: {
    summary: 'An Ingress or Route sends traffic to a Service whose pods are isolated for ingress by NetworkPolicies that do not admit the ingress controller on the target port.',
    rationale: 'The ingress controller is a pod like any other: it connects to the backend pods on the Service\'s targetPort, and once a policy isolates those pods for ingress, the controller needs a rule that admits it. Without one, every request through the Ingress ends in a 502 or 504, while the Ingress, the Service and the pods all look healthy. The controller runs in a namespace the manifests do not show, so the rule reports only when no rule admitting that port could match it: a rule with a namespaceSelector, an ipBlock, or a podSelector that matches no workload here is given the benefit of the doubt.',
  },
  check(object, ctx) {
    const ws = ctx.workspace;
    const v = backendsOf(object);
    if (!v) return;
    const nginx = v.className === 'nginx';
    for (const b of v.backends) {
      if (!b.serviceName || !b.port) continue;
      const s = ws.service(object.namespace, b.serviceName.value);
      if (!s || s.type === 'ExternalName') continue;
      const hits = hitsOf(ws, object, s, b.port.value);
      if (!hits.length) continue;
      const h = hits[0]!;
      const policies = [...new Set(hits.flatMap(x => x.policies))];
      const who = hits.length === 1 ? workloadId(h.workload) : `${workloadId(h.workload)} and ${hits.length - 1} more`;
      const allow = nginx
        ? `allow TCP ${h.port} from namespace ${NGINX_NAMESPACE}, where ingress-nginx runs`
        : `allow TCP ${h.port} from the namespace the ingress controller${v.className ? ` of class ${v.className}` : ''} runs in (a namespaceSelector on ${NAMESPACE_NAME_LABEL})`;
      const related: Related[] = policies.map(p => relatedObject(p.object, `NetworkPolicy ${policyName({ policy: p })} isolates ingress`));
      related.push(relatedObject(s.object));
      const fix = nginx ? fixOf(ws, s, hits) : undefined;
      ctx.report({
        span: b.serviceName.span,
        message: `The ingress controller cannot reach Service ${s.object.name} port ${b.port.value}: ingress of ${who} denies TCP ${h.port}: ${h.reason.length ? reasonText(h.reason) : `isolated by ${policyList(policies)}`}; ${allow}.`,
        related,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
