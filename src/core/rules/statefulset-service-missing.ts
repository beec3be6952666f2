import type { K8sObject, ManifestFile } from '../parse/manifest';
import { namedPortsOf, type Workload } from '../parse/views/workload';
import type { Fix } from './rule';
import { mapLines, styleOf, type YamlValue } from './support/emit';
import { reportSubdomainProblem } from './support/subdomain';
import { defineRule } from './rule';

/** A headless Service for the StatefulSet, as a new document after the StatefulSet's, in the file's style. */
function createServiceFix(o: K8sObject, w: Workload, name: string, file: ManifestFile): Fix | undefined {
  const fileText = file.text;
  if (o.doc.contents !== o.node || /^\s*[[{]/.test(fileText)) return undefined;
  const labels = Object.keys(w.selector?.matchLabels ?? {}).length ? w.selector!.matchLabels : w.podLabels;
  if (!Object.keys(labels).length) return undefined;
  const ports = namedPortsOf(w).filter(p => p.containerPort !== undefined);
  const service: { [key: string]: YamlValue } = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(o.namespaceWritten ? { namespace: o.namespaceWritten } : {}) },
    spec: {
      clusterIP: 'None',
      selector: { ...labels },
      ...(ports.length ? {
        ports: ports.map(p => {
          // A Service with several ports must name each one.
          const portName = p.name ?? (ports.length > 1 ? `port-${p.containerPort}` : undefined);
          return {
            ...(portName ? { name: portName } : {}),
            port: p.containerPort!,
            ...(p.protocol && p.protocol !== 'TCP' ? { protocol: p.protocol } : {}),
          };
        }),
      } : {}),
    },
  };
  const lines = mapLines(service, 0, styleOf(fileText, o, file));
  const body = lines.join('\n') + '\n';
  const next = /^(?:---|\.\.\.)/m.exec(fileText.slice(o.span.end));
  const at = next ? o.span.end + next.index : fileText.length;
  const newText = next ? `---\n${body}` : `${fileText.endsWith('\n') || fileText.length === 0 ? '' : '\n'}---\n${body}`;
  return {
    title: `Create headless Service ${name}`,
    edits: [{ file: o.file, span: { start: at, end: at }, newText }],
    preferred: true,
  };
}

/**
 * A StatefulSet's pods get their stable names `<sts>-<i>.<serviceName>.<ns>.svc.<zone>` only from
 * a headless Service named `serviceName` in the namespace that selects them (the StatefulSet
 * controller sets each pod's hostname and subdomain; DNS spec §2.4.1 serves endpoint hostnames of
 * headless Services only).
 */
export default defineRule({
  id: 'statefulset-service-missing',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    summary: 'A StatefulSet\'s serviceName names no headless Service that selects its pods.',
    rationale: 'StatefulSets need that governing headless Service for their pods\' network identity: without it `<sts>-0.<serviceName>...` gives NXDOMAIN and peers (database replicas, seeds) cannot find each other.',
  },
  check(object, ctx) {
    // Charts fill serviceName with the Service clients use (jenkins, harbor's
    // database): only what addresses a pod by its name needs a headless one, and a reference to such a
    // name is judged where it is written (its resolution). So that case is a note.
    reportSubdomainProblem(ctx, object, w => w.serviceName, (w, name) => createServiceFix(object, w, name, ctx.entry.manifest),
      { severity: 'info', why: ', which matters only to what addresses a pod by its name (peers of a replicated database)' });
  },
});
