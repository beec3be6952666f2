/**
 * Where manifests name other things by DNS: env values, container args and commands, ConfigMap
 * data (on behalf of the workloads that load it), Ingress backends. Each reference keeps the exact
 * span of its host (and port) in the file.
 *
 * Conservative by design: a string is a reference only when it can be a DNS name and has a reason
 * to be one. IP addresses and `localhost` never are; a plain word (`true`, `info`) is only when a
 * Service has that name and the value stands where an address goes; a dotted word only when it
 * resolves in the cluster or has the cluster's shape (`.svc`, the zone). External hosts
 * (`api.example.com`) are not cluster references and are left alone.
 */
import type { K8sObject } from '../../parse/manifest';
import type { Workload } from '../../parse/views';
import { at, items, str, type YDoc } from '../../parse/yaml';
import type { Span } from '../../span';
import type { Workspace } from '../../workspace';
import { hasClusterShape, isDnsName, isIPAddress, normalizeName } from './names';
import { servicesNamed } from './records';
import { resolveName, type Resolution } from './resolve';

export type DnsReferenceSource = 'env' | 'args' | 'command' | 'configmap' | 'ingress';

/** A name one object uses to reach another, with exact spans. */
export interface DnsReference {
  readonly file: string;
  /** The host part only (`db.prod` in `postgres://u@db.prod:5432/x`). */
  readonly span: Span;
  /** The port after `:` when written. */
  readonly portSpan?: Span;
  /** The host as written (without trailing dot removal; lower-case it to compare). */
  readonly host: string;
  readonly port?: number;
  /** The namespace the name is resolved from (the caller's). */
  readonly namespace: string;
  /** The workloads whose pods use the name (empty for an Ingress: its controller calls). */
  readonly workloads: readonly Workload[];
  readonly source: DnsReferenceSource;
  /** The object the value is written in (the workload, ConfigMap or Ingress). */
  readonly object: K8sObject;
  /** The env var, ConfigMap key or flag that holds the value, when there is one. */
  readonly key?: string;
  /** How it was written: in a URL, as `host:port`, as a bare name, or as an Ingress backend's Service. */
  readonly form: 'url' | 'hostport' | 'name' | 'backend';
}

/** A host found in a string, with offsets into that string. */
interface RawHost {
  readonly host: string;
  readonly start: number;
  readonly port?: number;
  readonly portStart?: number;
  readonly portEnd?: number;
  readonly form: 'url' | 'hostport' | 'name';
  /** The token is the whole value, a whole list item, or a whole `--flag=` value. */
  readonly whole: boolean;
}

/** Keys that say their value is an address (env var names, flags, config keys). */
const ADDRESS_KEY = /host|addr|server|url|uri|endpoint|svc|service|seed|peer|broker|upstream|backend|dsn|target|master|primary|replica|hub|proxy|connect|remote|dest|bootstrap|cluster/i;

/**
 * Keys whose value names something that is never looked up as a host: the cluster domain and DNS
 * suffixes (`clusterDomain`, `DNS_DOMAIN`, `--cluster-domain`, `*_SUFFIXES`), identity and trust
 * domains, TLS server names and identities (`serverName`, `*_SVC_NAME` in Linkerd, `tap-service-name`),
 * certificate names, and service *names* used as labels (`OTEL_SERVICE_NAME`). Compared on the key
 * lower-cased with separators removed.
 */
const NOT_A_HOST_KEY = /(?:domain|domains|zone|suffix|suffixes|servername|sni|svcname|servicename|localname|identity|dnsnames?|commonname|subject|issuer|audience|realm)$/;

/** Whether a value under `key` is never a name a program looks up (see {@link NOT_A_HOST_KEY}). */
export function keyNamesNoHost(key: string | undefined): boolean {
  if (key === undefined) return false;
  // ConfigMap documentation blocks (`_example:` in Knative-style config maps) are prose.
  if (key.startsWith('_example')) return true;
  return NOT_A_HOST_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * The value with every Go-template action (`{{ ... }}`) blanked out, offsets kept: text inside an
 * Alertmanager, Argo notification or Helm action is template code, not a host.
 */
export function blankTemplateActions(value: string): string {
  if (!value.includes('{{')) return value;
  let out = '';
  let i = 0;
  for (let open = value.indexOf('{{'); open >= 0; open = value.indexOf('{{', i)) {
    const close = value.indexOf('}}', open + 2);
    const end = close < 0 ? value.length : close + 2;
    out += value.slice(i, open) + ' '.repeat(end - open);
    i = end;
  }
  return out + value.slice(i);
}

const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#'"<>`]*)/gi;
const HOSTPORT_RE = /(?<![\w.\-/:$%{}\\])([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?\.?):(\d{1,5})(?![\w.:\-@])/g;
const NAME_RE = /(?<![\w.\-/:$%{}\\])([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?\.?)(?![\w.\-:/@(\\])/g;

function validPort(p: number): boolean {
  return p >= 1 && p <= 65535;
}

/**
 * Whether the token at [start, end) is the whole value, or one item of a plain comma-separated
 * list, after an optional `key=`, `--flag=` or `key: ` prefix. Words inside prose never are.
 */
function isWhole(value: string, start: number, end: number): boolean {
  const prefix = /^\s*(?:export\s+)?-{0,2}[\w.-]+\s*(?:=|:\s)\s*/.exec(value);
  const bodyStart = prefix && start >= prefix[0].length ? prefix[0].length : 0;
  const body = value.slice(bodyStart).trim().replace(/^(['"])(.*)\1$/, '$2');
  const items = body.split(/\s*,\s*/);
  if (!items.every(i => /^[\w.-]+\.?(?::\d+)?$/.test(i))) return false;
  return items.includes(value.slice(start, end));
}

/** Every host-shaped token in `value`: URL hosts, `host:port`, and bare dotted or plain names. */
export function extractHosts(value: string): RawHost[] {
  const out: RawHost[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  for (const m of value.matchAll(URL_RE)) {
    const authStart = m.index! + m[0].length - m[1]!.length;
    const auth = m[1]!;
    taken.push([m.index!, m.index! + m[0].length]);
    const at = auth.lastIndexOf('@');
    let pos = at + 1;
    // Multi-host URLs (mongodb://a:1,b:2/db) list hosts separated by commas.
    for (const item of auth.slice(pos).split(',')) {
      const itemStart = authStart + pos;
      pos += item.length + 1;
      if (!item || item.startsWith('[')) continue;
      const colon = item.indexOf(':');
      const host = colon < 0 ? item : item.slice(0, colon);
      const portText = colon < 0 ? '' : item.slice(colon + 1);
      if (!host) continue;
      const port = /^\d{1,5}$/.test(portText) ? Number(portText) : undefined;
      out.push({
        host, start: itemStart, form: 'url', whole: false,
        ...(port !== undefined && validPort(port) ? { port, portStart: itemStart + colon + 1, portEnd: itemStart + item.length } : {}),
      });
    }
  }
  for (const m of value.matchAll(HOSTPORT_RE)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (overlaps(start, end)) continue;
    const port = Number(m[2]);
    if (!validPort(port)) continue;
    taken.push([start, end]);
    out.push({ host: m[1]!, start, port, portStart: start + m[1]!.length + 1, portEnd: end, form: 'hostport', whole: isWhole(value, start, end) });
  }
  for (const m of value.matchAll(NAME_RE)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (overlaps(start, end)) continue;
    out.push({ host: m[1]!, start, form: 'name', whole: isWhole(value, start, end) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Whether a host token is worth resolving, from `namespace`, given the key that holds it. */
function isCandidate(ws: Workspace, h: RawHost, namespace: string, key: string | undefined): boolean {
  const name = h.host;
  const n = normalizeName(name);
  if (!isDnsName(name) || isIPAddress(n) || n === 'localhost' || n.endsWith('.localhost')) return false;
  if (/^[\d.]+$/.test(n)) return false;
  const zone = ws.clusterDomain.value;
  // The zone itself or a suffix of it (`cluster.local`, `svc.cluster.local.`) is a domain, not a host.
  if (n === zone || n === `svc.${zone}` || zone.endsWith(`.${n}`)) return false;
  if (!n.includes('.')) {
    if (n.startsWith('_')) return false;
    const services = servicesNamed(ws, n);
    const addressy = key !== undefined && ADDRESS_KEY.test(key);
    if (h.form === 'name') {
      // A plain word is a name only where an address goes (the key says so, or names the Service
      // itself, as `--cache cache`), and only when a Service has it.
      const keyNamesIt = key !== undefined && key.toLowerCase().replace(/[^a-z0-9]/g, '').includes(n.replace(/[^a-z0-9]/g, ''));
      return h.whole && services.length > 0 && (addressy || keyNamesIt);
    }
    return services.length > 0 || addressy || h.form === 'url';
  }
  if (hasClusterShape(n, zone)) return true;
  const labels = n.split('.');
  // `db.prod` where a Service db exists but in another namespace than prod is still meant for the cluster.
  if (labels.length === 2 && ws.namespaces.has(labels[1]!) && servicesNamed(ws, labels[0]!).length > 0) return true;
  return resolveName(ws, name, namespace).found;
}

/** Maps an offset inside a scalar's value to the file, when the value is not written verbatim (escapes, block scalars). */
function locator(fileText: string, span: Span, value: string): (start: number, text: string) => number | undefined {
  const raw = fileText.slice(span.start, span.end);
  if (raw === value) return start => span.start + start;
  return (start, text) => {
    let k = 0;
    for (let i = value.indexOf(text); i >= 0 && i < start; i = value.indexOf(text, i + 1)) k++;
    let j = raw.indexOf(text);
    for (let c = 0; c < k && j >= 0; c++) j = raw.indexOf(text, j + 1);
    return j >= 0 ? span.start + j : undefined;
  };
}

interface Source {
  readonly value: string;
  readonly span: Span;
  readonly key: string | undefined;
}

function referencesIn(
  ws: Workspace, fileText: string, src: Source, base: Omit<DnsReference, 'span' | 'portSpan' | 'host' | 'port' | 'key' | 'form'>,
): DnsReference[] {
  const out: DnsReference[] = [];
  const locate = locator(fileText, src.span, src.value);
  // ConfigMap files and shell scripts: a line `key = value` or `key: value` gives its value a key.
  let lineStart = 0;
  const multiline = src.value.includes('\n');
  if (keyNamesNoHost(src.key)) return out;
  for (const line of src.value.split('\n')) {
    const kv = multiline ? /^\s*(?:export\s+)?([\w.-]+)\s*(?:=|:\s)\s*\S/.exec(line) : null;
    const lineKey = kv ? kv[1] : undefined;
    const whole = multiline ? line : src.value;
    const key = lineKey ?? src.key;
    if (keyNamesNoHost(key)) {
      lineStart += line.length + 1;
      if (!multiline) break;
      continue;
    }
    for (const h of extractHosts(blankTemplateActions(whole))) {
      if (!isCandidate(ws, h, base.namespace, key)) continue;
      const start = locate(lineStart + h.start, h.host);
      if (start === undefined) continue;
      let portSpan: Span | undefined;
      if (h.port !== undefined && h.portStart !== undefined && h.portEnd !== undefined) {
        const ps = start + (h.portStart - h.start);
        if (fileText.slice(ps, ps + (h.portEnd - h.portStart)) === String(whole.slice(h.portStart, h.portEnd))) {
          portSpan = { start: ps, end: ps + (h.portEnd - h.portStart) };
        }
      }
      out.push({
        ...base, span: { start, end: start + h.host.length }, host: h.host, form: h.form,
        ...(portSpan && h.port !== undefined ? { portSpan, port: h.port } : {}),
        ...(key !== undefined ? { key } : {}),
      });
    }
    lineStart += line.length + 1;
    if (!multiline) break;
  }
  return out;
}

/** The flag a container argument belongs to: `--host` of `--host=db`, or of `db` after `--host`. */
function argKey(list: ReadonlyArray<{ value: string }>, i: number): string | undefined {
  const v = list[i]!.value;
  const eq = /^(-{1,2}[\w.-]+)=/.exec(v);
  if (eq) return eq[1];
  const prev = list[i - 1]?.value;
  return prev && /^-{1,2}[\w.-]+$/.test(prev) ? prev : undefined;
}

/** ConfigMap names a workload loads (envFrom, volumes, projected volumes). */
function configMapsUsedBy(w: Workload): Set<string> {
  const out = new Set(w.containers.flatMap(c => c.envFromConfigMaps));
  const doc: YDoc = w.object.doc;
  for (const v of items(doc, at(doc, w.podSpecNode, 'volumes'))) {
    const direct = str(doc, at(doc, v, 'configMap', 'name'))?.value;
    if (direct) out.add(direct);
    for (const s of items(doc, at(doc, v, 'projected', 'sources'))) {
      const p = str(doc, at(doc, s, 'configMap', 'name'))?.value;
      if (p) out.add(p);
    }
  }
  return out;
}

function computeFile(ws: Workspace, file: string): DnsReference[] {
  const entry = ws.get(file);
  if (!entry) return [];
  const text = entry.manifest.text;
  const out: DnsReference[] = [];
  for (const w of entry.workloads) {
    const base = { file, namespace: w.object.namespace, workloads: [w], object: w.object };
    for (const c of w.containers) {
      for (const e of c.env) {
        if (e.value) out.push(...referencesIn(ws, text, { value: e.value.value, span: e.value.span, key: e.name }, { ...base, source: 'env' }));
      }
      for (const [source, list] of [['args', c.args], ['command', c.command]] as const) {
        list.forEach((a, i) => {
          out.push(...referencesIn(ws, text, { value: a.value, span: a.span, key: argKey(list, i) }, { ...base, source }));
        });
      }
    }
  }
  for (const cm of entry.configMaps) {
    const ns = cm.object.namespace;
    const users = ws.workloadsIn(ns).filter(w => configMapsUsedBy(w).has(cm.object.name));
    for (const d of cm.data) {
      out.push(...referencesIn(ws, text, { value: d.value, span: d.valueSpan, key: d.key }, {
        file, namespace: ns, workloads: users, object: cm.object, source: 'configmap',
      }));
    }
  }
  for (const ing of entry.ingresses) {
    for (const b of ing.backends) {
      if (!b.serviceName?.value) continue;
      const port = b.port && typeof b.port.value === 'number' ? b.port : undefined;
      out.push({
        file, span: b.serviceName.span, host: b.serviceName.value, namespace: ing.object.namespace, workloads: [],
        source: 'ingress', object: ing.object, form: 'backend',
        ...(port ? { port: port.value as number, portSpan: port.span } : {}),
      });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The DNS references written in one file, in text order. Cached per workspace generation. */
export function dnsReferencesInFile(ws: Workspace, file: string): DnsReference[] {
  return ws.derived(`dns:references:${file}`, () => computeFile(ws, file));
}

/** Every DNS reference in the workspace, file by file. Cached per workspace generation. */
export function dnsReferences(ws: Workspace): DnsReference[] {
  return ws.derived('dns:references', () => ws.fileNames.flatMap(f => dnsReferencesInFile(ws, f)));
}

/**
 * How a reference resolves: from its namespace, with the resolver of its workload when exactly one
 * workload uses it (env, args, command); with ClusterFirst defaults otherwise. Cached.
 */
export function resolveReference(ws: Workspace, ref: DnsReference): Resolution {
  const cache = ws.derived('dns:resolutions', () => new WeakMap<DnsReference, Resolution>());
  let r = cache.get(ref);
  if (!r) {
    const workload = ref.source !== 'configmap' && ref.workloads.length === 1 ? ref.workloads[0] : undefined;
    r = resolveName(ws, ref.host, ref.namespace, workload ? { workload } : {});
    cache.set(ref, r);
  }
  return r;
}
