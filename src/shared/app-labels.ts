// The pod labels a Kubernetes user reads an application's structure from (the host puts them on
// workload nodes, the page groups a namespace's workloads by them: webview/groups.ts).

/**
 * Coarsest first: the application a workload is part of, the release (instance), the
 * application's name (the recommended label, then the older `app` and `k8s-app`), its component.
 */
export const APP_LABELS = ['app.kubernetes.io/part-of', 'app.kubernetes.io/instance', 'app.kubernetes.io/name', 'app', 'k8s-app', 'app.kubernetes.io/component'] as const;
