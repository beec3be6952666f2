/**
 * Services every cluster has without a manifest declaring them:
 * - `kubernetes` in `default`: the API server (port `https` 443), created by kube-apiserver itself
 *   (pkg/controlplane/controller/kubernetesservice; docs "Accessing the Kubernetes API from a Pod");
 * - `kube-dns` in `kube-system`: the cluster DNS Service that kubeadm installs in front of CoreDNS, with
 *   ports `dns` 53/UDP, `dns-tcp` 53/TCP and `metrics` 9153 and selector `k8s-app: kube-dns`
 *   (kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go; the DNS spec's "kube-dns" name).
 * They answer lookups when the workspace does not define a Service of that name and namespace.
 */
import { parseManifest } from '../../parse/manifest';
import { serviceView, type Service } from '../../parse/views/service';

/** The file name built-in objects carry: not a path; definitions and edits never point there. */
export const BUILT_IN_FILE = 'kube-netlens:built-in';

const TEXT = `apiVersion: v1
kind: Service
metadata:
  name: kubernetes
  namespace: default
  labels: {component: apiserver, provider: kubernetes}
spec:
  type: ClusterIP
  ports:
  - {name: https, port: 443, protocol: TCP, targetPort: 6443}
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  type: ClusterIP
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
  - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}
`;

let services: readonly Service[] | undefined;

/** The built-in Services (parsed once). */
export function builtInServices(): readonly Service[] {
  services ??= parseManifest(BUILT_IN_FILE, TEXT).objects.map(o => serviceView(o)!).filter(Boolean);
  return services;
}

/** The built-in Service `namespace/name` (case-insensitive), if there is one. */
export function builtInService(namespace: string, name: string): Service | undefined {
  const ns = namespace.toLowerCase();
  const n = name.toLowerCase();
  return builtInServices().find(s => s.object.namespace === ns && s.object.name === n);
}

/** Whether a Service is one of the built-in ones (not from a file). */
export function isBuiltIn(s: Service): boolean {
  return s.object.file === BUILT_IN_FILE;
}
