/**
 * Generated pathological inputs of a given size, shared by the unit tests that pin the scanners'
 * linearity by operation counts (test/unit/linear-scan.test.ts) and the bench's scaling section.
 * Each generator returns a value of about `n` characters; {@link asConfigMap} wraps it in a file.
 */
export interface Pathological {
  readonly name: string;
  /** About `n` characters of hostile content. */
  readonly value: (n: number) => string;
}

const times = (unit: string, n: number) => unit.repeat(Math.max(1, Math.floor(n / unit.length)));

/**
 * `s` as one flat string, the way text read from a file or an editor is. `repeat` and `+` build
 * a tree of concatenations; V8 flattens it on first read but may keep reading it through one more
 * indirection (until a young-generation collection happens to short-cut it), which made one size of
 * the same scan about 13% slower per character than the other: time(2n)/time(n) 2.2-2.4x for a
 * scan that costs the same per character from 16 KB to 1 MB. A JSON round trip always gives a
 * sequential string.
 */
export const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** A minified Grafana-like dashboard: panels with datasource URLs, host:port pairs, expressions. */
function minifiedJson(n: number): string {
  const panels: unknown[] = [];
  let size = 0;
  for (let i = 0; size < n; i++) {
    const p = {
      id: i, title: `Panel ${i} "quoted"`, datasource: { type: 'prometheus', url: `http://prometheus-${i % 7}.monitoring.svc:9090` },
      targets: [{ expr: `sum(rate(http_requests_total{job="api-${i}",instance=~"api-${i}:8080"}[5m])) by (le)`, legend: '{{instance}}' }],
      links: [`https://grafana.example.com/d/${i}?from=now-1h`, `redis-${i % 3}:6379`],
    };
    const s = JSON.stringify(p);
    panels.push(p);
    size += s.length + 1;
  }
  return JSON.stringify({ dashboard: { panels } });
}

const GENERATED: readonly Pathological[] = [
  { name: 'braces', value: n => times('{{', n) },
  { name: 'braces with words', value: n => times('{{ a ', n) },
  { name: 'actions never closed', value: n => times('{{ x .Values.a ', n) },
  { name: 'dotted host run', value: n => times('a.', n) },
  { name: 'dashed host run', value: n => times('a-', n) },
  { name: 'scheme characters', value: n => `${times('a+', n)}://x` },
  { name: 'URLs', value: n => times('http://a:1,b:2/x ', n) },
  { name: 'schemes without host', value: n => times('a://', n) },
  { name: 'host:port list', value: n => times('db.data:5432,', n) },
  { name: 'whitespace before a comma', value: n => `${times(' ', n)},` },
  { name: 'minified JSON', value: minifiedJson },
  { name: 'long line', value: n => times('x', n) },
  { name: 'nc probes', value: n => times('nc a 1 ', n) },
];

export const PATHOLOGICAL: readonly Pathological[] = GENERATED.map(p => ({ name: p.name, value: n => flat(p.value(n)) }));

/**
 * A ConfigMap whose one key holds `value` as a block scalar (so locating tokens goes through the
 * value/source alignment), plus a Deployment that loads it and a Service, so DNS references are
 * extracted and resolved.
 */
export function asConfigMap(value: string): string {
  const indented = value.split('\n').map(l => `    ${l}`).join('\n');
  return flat([
    'apiVersion: v1\nkind: Service\nmetadata: {name: prometheus-1, namespace: monitoring}\nspec: {selector: {app: p}, ports: [{port: 9090}]}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: grafana, namespace: monitoring}\nspec:\n  selector: {matchLabels: {app: g}}\n  template:\n    metadata: {labels: {app: g}}\n    spec:\n      containers: [{name: g, image: grafana, envFrom: [{configMapRef: {name: dash}}]}]\n',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dash, namespace: monitoring}\ndata:\n  dashboard.json: |\n${indented}\n`,
  ].join('---\n'));
}

/** Whole files that stress the parser rather than the scanners: many documents, deep nesting, long lines. */
const GENERATED_FILES: ReadonlyArray<{ name: string; text: (n: number) => string }> = [
  {
    name: 'many documents',
    text: n => times('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n---\n', n),
  },
  { name: 'deep flow nesting', text: n => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${times('[', n / 2)}${times(']', n / 2)}\n` },
  { name: 'deep block nesting', text: n => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${Array.from({ length: Math.floor(Math.sqrt(n)) }, (_, i) => `${' '.repeat(i + 2)}a:`).join('\n')}\n` },
  { name: 'long line', text: n => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: ${times('x', n)}\n` },
  { name: 'file of braces', text: n => times('{{', n) },
];
export const PATHOLOGICAL_FILES: ReadonlyArray<{ name: string; text: (n: number) => string }> = GENERATED_FILES.map(f => ({ name: f.name, text: n => flat(f.text(n)) }));
