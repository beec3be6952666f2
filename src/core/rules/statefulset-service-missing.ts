import { subdomainProblem } from '../net/dns/checks';
import type { K8sObject } from '../parse/manifest';
import { namedPortsOf, type Workload } from '../parse/views/workload';
import type { Fix } from './rule';
import { defineRule } from './rule';

/** The indentation step and list style of a document: `  ` or `    `, and whether `- ` is indented under its key. */
function indentStyle(text: string): { unit: string; indentSequences: boolean } {
  const lines = text.split('\n');
  const first = lines.find(l => /^ +\S/.test(l) && !/^ +#/.test(l));
  const unit = first ? ' '.repeat(first.length - first.trimStart().length) : '  ';
  let indentSequences = true;
  for (let i = 1; i < lines.length; i++) {
    const dash = /^( *)- /.exec(lines[i]!);
    const parent = /^( *)[^\s#-][^:]*:\s*$/.exec(lines[i - 1]!);
    if (dash && parent) {
      indentSequences = dash[1]!.length > parent[1]!.length;
      break;
    }
  }
  return { unit, indentSequences };
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;
const SPECIAL = /^(?:true|false|yes|no|on|off|null|y|n|~|[-+]?\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+)$/i;

function scalar(v: string): string {
  return PLAIN.test(v) && !SPECIAL.test(v) ? v : JSON.stringify(v);
}

/** A headless Service for the StatefulSet, as a new document after the StatefulSet's, in the file's style. */
function createServiceFix(o: K8sObject, w: Workload, name: string, fileText: string): Fix | undefined {
  if (o.doc.contents !== o.node || /^\s*[[{]/.test(fileText)) return undefined;
  const labels = Object.keys(w.selector?.matchLabels ?? {}).length ? w.selector!.matchLabels : w.podLabels;
  if (!Object.keys(labels).length) return undefined;
  const { unit: u, indentSequences } = indentStyle(fileText.slice(o.span.start, o.span.end));
  const seq = indentSequences ? u : '';
  const ports = namedPortsOf(w).filter(p => p.containerPort !== undefined);
  const lines = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `${u}name: ${scalar(name)}`,
    ...(o.namespaceWritten ? [`${u}namespace: ${scalar(o.namespaceWritten)}`] : []),
    'spec:',
    `${u}clusterIP: None`,
    `${u}selector:`,
    ...Object.entries(labels).map(([k, v]) => `${u}${u}${scalar(k)}: ${scalar(v)}`),
  ];
  if (ports.length) {
    lines.push(`${u}ports:`);
    for (const p of ports) {
      // A Service with several ports must name each one.
      const portName = p.name ?? (ports.length > 1 ? `port-${p.containerPort}` : undefined);
      const head = `${u}${seq}- `;
      const cont = `${u}${seq}  `;
      if (portName) lines.push(`${head}name: ${scalar(portName)}`, `${cont}port: ${p.containerPort}`);
      else lines.push(`${head}port: ${p.containerPort}`);
      if (p.protocol && p.protocol !== 'TCP') lines.push(`${cont}protocol: ${p.protocol}`);
    }
  }
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
    const w = ctx.entry.workloads.find(x => x.object === object);
    const name = w?.serviceName;
    if (!w || !name?.value) return;
    const problem = subdomainProblem(ctx.workspace, w, name.value);
    if (!problem) return;
    const s = problem.service;
    const fix = problem.missing ? createServiceFix(object, w, name.value, ctx.entry.manifest.text) : undefined;
    ctx.report({
      span: name.span,
      message: problem.message,
      ...(fix ? { fixes: [fix] } : {}),
      ...(s ? { related: [{ file: s.object.file, span: s.object.nameSpan ?? s.object.span, message: `Service ${s.object.namespace}/${s.object.name}` }] } : {}),
    });
  },
});
