/**
 * A deterministic synthetic workspace for the diagram bench (and its render check): `n` workloads spread over namespaces of
 * about 20 workloads, each with a Service; tiers call the next tier by DNS name; every namespace has a
 * default-deny policy and one allow policy per tier; a tenth of the workloads sit behind an Ingress.
 */
import { Workspace } from '../src/core/workspace';

/** A workspace with `n` workloads (file ids `gen://<namespace>.yaml`). */
export function generateWorkspace(n: number): Workspace {
  const ws = new Workspace();
  const perNs = 20;
  const namespaces = Math.ceil(n / perNs);
  for (let k = 0; k < namespaces; k++) {
    const ns = `team-${k}`;
    const docs: string[] = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    tier-group: g${k % 4}\n`];
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: ${ns}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`);
    const count = Math.min(perNs, n - k * perNs);
    for (let i = 0; i < count; i++) {
      const app = `svc-${i}`;
      const next = `svc-${i + 1}`;
      const port = 8000 + (i % 5);
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  replicas: ${1 + (i % 3)}\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n        tier: t${i % 4}\n    spec:\n      containers:\n        - name: main\n          image: example/${app}:1\n          ports:\n            - name: http\n              containerPort: ${port}\n          env:\n            - name: NEXT_URL\n              value: http://${next}:${8000 + ((i + 1) % 5)}\n            - name: SHARED_URL\n              value: http://svc-0.team-${(k + 1) % namespaces}:8000\n`);
      docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - name: http\n      port: ${port}\n      targetPort: http\n`);
      docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-${app}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: ${app}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: svc-${Math.max(0, i - 1)}\n        - namespaceSelector:\n            matchLabels:\n              tier-group: g${(k + 1) % 4}\n          podSelector:\n            matchLabels:\n              tier: t0\n      ports:\n        - port: http\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: ${next}\n    - to:\n        - ipBlock:\n            cidr: 10.${k % 250}.0.0/16\n      ports:\n        - port: 443\n`);
      if (i % 10 === 0) {
        docs.push(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  rules:\n    - host: ${app}.${ns}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${app}\n                port:\n                  number: ${port}\n`);
      }
    }
    ws.set(`gen://${ns}.yaml`, docs.join('---\n'));
  }
  return ws;
}
