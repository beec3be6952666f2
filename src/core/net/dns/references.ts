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
 *
 * Over 400 lines: host extraction and the alignment of a value with its source text are hand-
 * written linear scanners (ARCHITECTURE.md, "Linear in what a user can open") that share character
 * classes and the step counter; the references are built on them in the same pass.
 */
import type { K8sObject } from '../../parse/manifest';
import type { EnvVar, Workload } from '../../parse/views/workload';
import { at, items, str, type YDoc } from '../../parse/yaml';
import type { Span } from '../../span';
import type { Workspace } from '../../workspace';
import { isAsciiAlnum, isAsciiLetter, isDigit, isSpace, isWordChar, scanSteps } from '../../scan';
import { hasClusterShape, isDnsName, isIPAddress, normalizeName } from './names';
import { servicesNamed } from './service-index';
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
  /** Found as a connection probe's target (`nc -z host port`): a host whatever its shape. */
  readonly probe?: boolean;
}

/** Keys that say their value is an address (env var names, flags, config keys). */
const ADDRESS_KEY = /host|addr|server|url|uri|endpoint|svc|service|seed|peer|broker|upstream|backend|dsn|target|master|primary|replica|hub|proxy|connect|remote|dest|bootstrap|cluster/i;

/**
 * At most this many host-shaped tokens are read from one value (an env value, a ConfigMap entry):
 * a minified dashboard holds thousands of words, and what lies past the cap is not scanned.
 */
export const MAX_HOSTS_PER_VALUE = 2_000;

const ch = (chars: string) => new Set([...chars].map(c => c.charCodeAt(0)));
/** A URL scheme's characters (`[a-z0-9+.-]`, any case). */
const isSchemeChar = (c: number) => isAsciiAlnum(c) || c === 0x2b || c === 0x2e || c === 0x2d;
/** A host token's characters (`[A-Za-z0-9_.-]`). */
const isHostChar = (c: number) => isWordChar(c) || c === 0x2e || c === 0x2d;
/** Where a URL's authority ends: whitespace or one of these. */
const URL_AUTH_END = ch('/?#\'"<>`');
/** A host token never starts right after one of these (a path, a `$VAR`, a template, an escape). */
const NO_HOST_AFTER = ch('/:$%{}\\');
/** A bare name never stands right before one of these (a port, a path, a user, a call, an escape). */
const NO_NAME_BEFORE = ch(':/@(\\');
/** A `host:port` never stands right before one of these. */
const NO_PORT_BEFORE = ch('.:-@');

/**
 * Keys whose value names something that is never looked up as a host: the cluster domain and DNS
 * suffixes (`clusterDomain`, `DNS_DOMAIN`, `--cluster-domain`, `*_SUFFIXES`), identity and trust
 * domains, TLS server names and identities (`serverName`, `*_SVC_NAME` in Linkerd, `tap-service-name`),
 * certificate names, service *names* used as labels (`OTEL_SERVICE_NAME`), and image references and
 * versions (`REDIS_IMAGE: redis:7` is an image and its tag, not a host and port). Compared on the key
 * lower-cased with separators removed.
 */
const NOT_A_HOST_KEY = /(?:domain|domains|zone|suffix|suffixes|servername|sni|svcname|servicename|localname|identity|dnsnames?|commonname|subject|issuer|audience|realm|image|tag|version)$/;

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


/** Numbers per URL host in {@link forEachHost}'s flat list. */
const URL_HOST_FIELDS = 5;

function validPort(p: number): boolean {
  return p >= 1 && p <= 65535;
}

/** Whether `s` is `host` or `host:port` made of `[\w.-]` and digits (a plain list item). */
function isPlainItem(s: string): boolean {
  const colon = s.indexOf(':');
  const host = colon < 0 ? s : s.slice(0, colon);
  if (!host) return false;
  for (let i = 0; i < host.length; i++) if (!isHostChar(host.charCodeAt(i))) return false;
  if (colon < 0) return true;
  if (colon === s.length - 1) return false;
  for (let i = colon + 1; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Whether a token of `value` is the whole value, or one item of a plain comma-separated list, after
 * an optional `key=`, `--flag=` or `key: ` prefix. Words inside prose never are. The list is read
 * once per value (and prefix reading), so asking for every token costs the value once.
 */
function wholeness(value: string): (start: number, token: string) => boolean {
  // Anchored, and each part stops at a different character class: linear.
  const prefix = /^\s*(?:export\s+)?-{0,2}[\w.-]+\s*(?:=|:\s)\s*/.exec(value);
  const lists = new Map<number, Set<string> | undefined>();
  const listFrom = (bodyStart: number): Set<string> | undefined => {
    if (lists.has(bodyStart)) return lists.get(bodyStart);
    let body = value.slice(bodyStart).trim();
    scanSteps.count += value.length - bodyStart;
    const q = body.charCodeAt(0);
    if (body.length >= 2 && (q === 0x22 || q === 0x27) && body.charCodeAt(body.length - 1) === q && !/[\n\r\u2028\u2029]/.test(body)) {
      body = body.slice(1, -1);
    }
    // Items are split at commas with the whitespace around each comma (not inside quotes' ends).
    // Read one at a time, up to the first that is not plain: most values are no list, and a list of
    // every comma-separated part kept alive while the value is scanned made the collector's work
    // grow faster than the value (minified JSON).
    const items: string[] = [];
    for (let from = 0; ;) {
      const comma = body.indexOf(',', from);
      const last = comma < 0;
      const part = body.slice(from, last ? body.length : comma);
      const left = from > 0 ? part.trimStart() : part;
      const item = last ? left : left.trimEnd();
      if (!isPlainItem(item)) {
        lists.set(bodyStart, undefined);
        return undefined;
      }
      items.push(item);
      if (last) break;
      from = comma + 1;
    }
    const list = new Set(items);
    lists.set(bodyStart, list);
    return list;
  };
  return (start, token) => {
    const bodyStart = prefix && start >= prefix[0].length ? prefix[0].length : 0;
    return listFrom(bodyStart)?.has(token) ?? false;
  };
}

/**
 * Every host-shaped token in `value`, as a list (see {@link forEachHost}, which the product uses:
 * a list holds every token of the value at once).
 */
export function extractHosts(value: string, limit = MAX_HOSTS_PER_VALUE): RawHost[] {
  const out: RawHost[] = [];
  forEachHost(value, limit, h => { out.push(h); });
  return out;
}

/**
 * Calls `visit` with every host-shaped token in `value`, in text order: URL hosts
 * (`scheme://user@host:port,host2/...`), `host:port`, and bare dotted or plain names, at most `limit`
 * of them (fewer when `visit` returns `false`, which stops the scan). One pass finds the URLs (each
 * anchored on its `://`), one pass reads the runs of host characters; each character is examined a
 * bounded number of times (counted in `scanSteps`), so the cost is linear in the value. Tokens are
 * handed over one at a time and not kept: memory follows what the caller keeps (the candidates), not
 * the tokens (a list of the 56,000 tokens of a 128 KB value outlives young-generation collections and
 * gets promoted, which made time(2n)/time(n) 2.5x). Returns how many tokens were visited.
 */
export function forEachHost(value: string, limit: number, visit: (h: RawHost) => boolean | void): number {
  // URL hosts are found first (few: one per URL authority) and handed over in text order among the
  // run hosts as the runs pass them: merged as they come, not sorted. Both lists are flat arrays of
  // offsets (no object, string or array per URL until a host is handed over), so what stays alive
  // while the value is read is numbers: the cost per URL does not grow with how many came before.
  /** Per URL host: start, end of the host, port (-1: none), port start, port end. */
  const urlHosts: number[] = [];
  const len = value.length;
  const code = (i: number) => value.charCodeAt(i);
  /** Per URL: start of the scheme, end of the authority. */
  const urls: number[] = [];
  let urlCount = 0;
  let urlEnd = 0;
  for (let from = 0; urlHosts.length / URL_HOST_FIELDS < limit;) {
    const k = value.indexOf('://', from);
    scanSteps.count += (k < 0 ? len : k + 1) - from;
    if (k < 0) break;
    from = k + 1;
    if (k < urlEnd) continue;
    // The scheme: the leftmost letter at a word boundary in the run of scheme characters before `://`.
    let r = k;
    while (r > urlEnd && isSchemeChar(code(r - 1))) r--;
    let s = r;
    while (s < k && !(isAsciiLetter(code(s)) && (s === 0 || !isWordChar(code(s - 1))))) s++;
    scanSteps.count += 2 * (k - r);
    if (s === k) continue;
    const authStart = k + 3;
    let authEnd = authStart;
    while (authEnd < len && !URL_AUTH_END.has(code(authEnd)) && !isSpace(code(authEnd))) authEnd++;
    scanSteps.count += authEnd - authStart;
    // A list of URLs (`http://a:1,http://b:2`, etcd's `m0=http://a:2380,m1=http://b:2380`): the
    // authority ran into the next URL's scheme (`a:1,http:` before `//`), so it ends at its last comma.
    if (code(authEnd - 1) === 0x3a && code(authEnd) === 0x2f && code(authEnd + 1) === 0x2f) {
      let comma = authEnd - 1;
      while (comma > authStart && code(comma) !== 0x2c) comma--;
      scanSteps.count += authEnd - comma;
      if (comma > authStart) authEnd = comma;
    }
    urls.push(s, authEnd);
    urlEnd = authEnd;
    from = Math.max(from, authEnd);
    // After the last `@` (userinfo): multi-host URLs (mongodb://a:1,b:2/db) list hosts separated by commas.
    let at = authEnd - 1;
    while (at >= authStart && code(at) !== 0x40) at--;
    for (let itemStart = at + 1; itemStart <= authEnd;) {
      let itemEnd = itemStart;
      while (itemEnd < authEnd && code(itemEnd) !== 0x2c) itemEnd++;
      const next = itemEnd + 1;
      if (itemEnd === itemStart || code(itemStart) === 0x5b) { itemStart = next; continue; }
      let colon = itemStart;
      while (colon < itemEnd && code(colon) !== 0x3a) colon++;
      if (colon === itemStart) { itemStart = next; continue; }
      // `:port` of 1 to 5 digits, a valid port; else the host alone.
      const digits = itemEnd - colon - 1;
      let port = digits >= 1 && digits <= 5 ? 0 : -1;
      for (let d = colon + 1; port >= 0 && d < itemEnd; d++) port = isDigit(code(d)) ? port * 10 + code(d) - 0x30 : -1;
      if (!validPort(port)) port = -1;
      urlHosts.push(itemStart, colon, port, colon + 1, itemEnd);
      itemStart = next;
      if (urlHosts.length / URL_HOST_FIELDS >= limit) break;
    }
  }
  urlCount = urls.length / 2;
  // Handing over: URL hosts up to `start` go first (on a tie, the URL host first).
  let visited = 0;
  let runCount = 0;
  let nextUrl = 0;
  let stopped = false;
  const urlHostCount = urlHosts.length / URL_HOST_FIELDS;
  const give = (h: RawHost) => {
    scanSteps.count++;
    visited++;
    if (visit(h) === false) stopped = true;
  };
  const flushUrls = (upTo: number) => {
    while (!stopped && nextUrl < urlHostCount && urlHosts[nextUrl * URL_HOST_FIELDS]! <= upTo) {
      const f = nextUrl++ * URL_HOST_FIELDS;
      const start = urlHosts[f]!;
      const port = urlHosts[f + 2]!;
      give({
        host: value.slice(start, urlHosts[f + 1]), start, form: 'url', whole: false,
        ...(port >= 0 ? { port, portStart: urlHosts[f + 3]!, portEnd: urlHosts[f + 4]! } : {}),
      });
    }
  };
  // Runs of host characters: a token is a whole run (`[A-Za-z0-9_]`, then host characters ending in
  // a letter or digit, then an optional dot), as `host:port` when a port follows, else as a name.
  let whole: ((start: number, token: string) => boolean) | undefined;
  const isWhole = (start: number, token: string) => (whole ??= wholeness(value))(start, token);
  let u = 0;
  const inUrl = (start: number, end: number) => {
    while (u < urlCount && urls[2 * u + 1]! <= start) u++;
    return u < urlCount && urls[2 * u]! < end;
  };
  for (let i = 0; i < len && urlHostCount + runCount < limit && !stopped;) {
    if (!isHostChar(code(i))) {
      i++;
      scanSteps.count++;
      continue;
    }
    const start = i;
    while (i < len && isHostChar(code(i))) i++;
    scanSteps.count += i - start;
    const end = i;
    const first = code(start);
    if ((start > 0 && NO_HOST_AFTER.has(code(start - 1))) || first === 0x2e || first === 0x2d) continue;
    const bare = code(end - 1) === 0x2e ? end - 1 : end;
    if (bare - start > 1 && !isAsciiAlnum(code(bare - 1))) continue;
    if (code(end) === 0x3a) {
      let d = end + 1;
      while (d < len && d - end <= 6 && isDigit(code(d))) d++;
      scanSteps.count += d - end;
      const digits = d - end - 1;
      if (digits < 1 || digits > 5 || (d < len && (isWordChar(code(d)) || NO_PORT_BEFORE.has(code(d))))) continue;
      const port = Number(value.slice(end + 1, d));
      if (!validPort(port) || inUrl(start, d)) continue;
      runCount++;
      flushUrls(start);
      if (!stopped) give({ host: value.slice(start, end), start, port, portStart: end + 1, portEnd: d, form: 'hostport', whole: isWhole(start, value.slice(start, d)) });
      continue;
    }
    if (end < len && NO_NAME_BEFORE.has(code(end))) continue;
    if (inUrl(start, end)) continue;
    runCount++;
    flushUrls(start);
    const host = value.slice(start, end);
    if (!stopped) give({ host, start, form: 'name', whole: isWhole(start, host) });
  }
  flushUrls(Infinity);
  return visited;
}

/**
 * `nc -z host port` (and `ncat`, `netcat`) in a command: the host and port are separate words, the
 * way wait-for scripts probe a Service.
 */
const NC_RE = /\b(?:nc|ncat|netcat)((?:\s+-[A-Za-z]+(?:\s+\d+)?)*)\s+([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?)\s+(\d{1,5})\b/dg;

/**
 * Calls `visit` with the hosts of a value in text order: those {@link forEachHost} finds, and in
 * commands the `nc host port` probes (a host a probe covers is the probe's), at most `limit` in all.
 * Returns how many were visited.
 */
function forEachHostIn(value: string, source: DnsReferenceSource, limit: number, visit: (h: RawHost) => void): number {
  if (source !== 'args' && source !== 'command' && source !== 'configmap') return forEachHost(value, limit, visit);
  const probes: RawHost[] = [];
  for (const m of value.matchAll(NC_RE)) {
    const [hostStart] = m.indices![2]!;
    const [portStart, portEnd] = m.indices![3]!;
    const port = Number(m[3]);
    if (!validPort(port)) continue;
    probes.push({ host: m[2]!, start: hostStart, port, portStart, portEnd, form: 'hostport', whole: true, probe: true });
  }
  if (!probes.length) return forEachHost(value, limit, visit);
  // Probes do not overlap and come in text order, as do the hosts: the one probe a host may overlap
  // is the first that ends after the host starts (a pointer that only moves forward, not a pass over
  // every probe per host). Probes are handed over among the hosts as the hosts pass them (on a tie,
  // the probe first).
  let k = 0;
  let next = 0;
  let visited = 0;
  const give = (h: RawHost) => {
    scanSteps.count++;
    visited++;
    visit(h);
    return visited < limit;
  };
  let more = limit > 0;
  forEachHost(value, limit, h => {
    while (k < probes.length && probes[k]!.portEnd! <= h.start) k++;
    scanSteps.count++;
    const p = probes[k];
    if (p && h.start < p.portEnd! && h.start + h.host.length > p.start) return true;
    while (more && next < probes.length && probes[next]!.start <= h.start) more = give(probes[next++]!);
    if (more) more = give(h);
    return more;
  });
  while (more && next < probes.length) more = give(probes[next++]!);
  scanSteps.count += probes.length;
  return visited;
}

/** Keys whose value is a host name even when bare (`PGHOST: pgsql`, `DB_HOST`, `--host`, `REDIS_SERVER`). */
const HOST_KEY = /(?:host|hostname|server)$/;

/** The prefix of a host key (`PG` of `PGHOST`, `DB_` of `DB_HOST`), to find its port (`PGPORT`, `DB_PORT`). */
export function hostKeyPrefix(key: string): string | undefined {
  const m = /^(.*?)(?:HOST|HOSTNAME|SERVER|host|hostname|server|Host|Hostname|Server)$/.exec(key);
  return m ? m[1] : undefined;
}

/**
 * Kubernetes' `$(VAR)` expansion of env values, args and commands (the container's env vars with a
 * literal value; `$$(` escapes): the expanded value, and where each stretch of it came from.
 */
export function expandVars(value: string, vars: ReadonlyMap<string, string>): { value: string; map: (start: number, end: number) => [number, number] } | undefined {
  if (!value.includes('$(')) return undefined;
  const segs: Array<{ out: number; len: number; orig: number; origLen: number; literal: boolean }> = [];
  let out = '';
  let i = 0;
  let expanded = false;
  const re = /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g;
  for (const m of value.matchAll(re)) {
    const at = m.index!;
    if (at > i) { segs.push({ out: out.length, len: at - i, orig: i, origLen: at - i, literal: true }); out += value.slice(i, at); }
    const text = m[0] === '$$' ? '$' : vars.get(m[1]!) ?? m[0];
    if (m[1] !== undefined && vars.has(m[1])) expanded = true;
    segs.push({ out: out.length, len: text.length, orig: at, origLen: m[0].length, literal: m[1] === undefined || !vars.has(m[1]) });
    out += text;
    i = at + m[0].length;
  }
  if (!expanded) return undefined;
  if (i < value.length) { segs.push({ out: out.length, len: value.length - i, orig: i, origLen: value.length - i, literal: true }); out += value.slice(i); }
  const origAt = (pos: number, end: boolean): number => {
    const seg = segs.find(g => (end ? pos > g.out && pos <= g.out + g.len : pos >= g.out && pos < g.out + g.len)) ?? segs[segs.length - 1]!;
    if (!seg.literal || seg.len !== seg.origLen) return end ? seg.orig + seg.origLen : seg.orig;
    return seg.orig + (pos - seg.out);
  };
  return { value: out, map: (start, end) => [origAt(start, false), origAt(end, true)] };
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
      // Under a key that names a host (`PGHOST: pgsql`), the whole value is looked up, Service or not.
      if (h.whole && key !== undefined && HOST_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''))) return true;
      return h.whole && services.length > 0 && (addressy || keyNamesIt);
    }
    return services.length > 0 || addressy || h.form === 'url' || h.probe === true;
  }
  if (hasClusterShape(n, zone)) return true;
  const labels = n.split('.');
  // `<service>.<ns>.svc.<another zone>` of a Service the workspace has: meant for cluster DNS under a zone it may not know.
  if (labels.length > 3 && labels[2] === 'svc' && servicesNamed(ws, labels[0]!).some(s => s.object.namespace.toLowerCase() === labels[1])) return true;
  // `db.prod` where a Service db exists but in another namespace than prod is still meant for the cluster.
  if (labels.length === 2 && ws.namespaces.has(labels[1]!) && servicesNamed(ws, labels[0]!).length > 0) return true;
  return resolveName(ws, name, namespace).found;
}

/**
 * Maps an offset inside a scalar's value to the file, when the value is not written verbatim
 * (escapes, folded lines, block scalars): value and source are aligned once, in one linear pass,
 * and a located token must read the same in the file.
 */
function locator(fileText: string, span: Span, value: string): (start: number, text: string) => number | undefined {
  const raw = fileText.slice(span.start, span.end);
  if (raw === value) return start => span.start + start;
  let map: Int32Array | undefined;
  return (start, text) => {
    // Quoted scalars' spans are inside the quotes.
    map ??= alignValue(value, raw, fileText.charCodeAt(span.start - 1) === 0x22 || raw.charCodeAt(0) === 0x22);
    const j = map[start] ?? -1;
    return j >= 0 && raw.startsWith(text, j) ? span.start + j : undefined;
  };
}

/**
 * For each character of a scalar's value, its offset in the scalar's source text, or -1. The value
 * is read as a subsequence of the source: the source adds quotes, escapes, indentation and a block
 * header; whitespace in the value may stand for a line break in the source (folding).
 */
function alignValue(value: string, raw: string, doubleQuoted: boolean): Int32Array {
  const map = new Int32Array(value.length).fill(-1);
  let j = 0;
  const header = raw.charCodeAt(0);
  if (header === 0x7c || header === 0x3e) j = Math.max(0, raw.indexOf('\n') + 1);
  for (let i = 0; i < value.length && j < raw.length;) {
    scanSteps.count++;
    const v = value.charCodeAt(i);
    const r = raw.charCodeAt(j);
    if (doubleQuoted && r === 0x5c) {
      // An escape: one value character (an escaped line break: none).
      const e = raw.charCodeAt(j + 1);
      if (e === 0x0a || e === 0x0d) {
        j += 2;
        continue;
      }
      j += e === 0x78 ? 4 : e === 0x75 ? 6 : e === 0x55 ? 10 : 2;
      i++;
      continue;
    }
    if (v === r || (isSpace(v) && isSpace(r))) {
      map[i++] = j++;
    } else {
      j++;
    }
  }
  return map;
}

interface Source {
  readonly value: string;
  readonly span: Span;
  readonly key: string | undefined;
  /** For a value rewritten before scanning (`$(VAR)` expanded): where [start, end) of `value` is in the file. */
  readonly map?: (start: number, end: number) => Span | undefined;
}

function referencesIn(
  ws: Workspace, fileText: string, src: Source, base: Omit<DnsReference, 'span' | 'portSpan' | 'host' | 'port' | 'key' | 'form'>,
): DnsReference[] {
  const out: DnsReference[] = [];
  const locate = locator(fileText, src.span, src.value);
  // ConfigMap files and shell scripts: a line `key = value` or `key: value` gives its value a key.
  let lineStart = 0;
  const multiline = src.value.includes('\n');
  let budget = MAX_HOSTS_PER_VALUE;
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
    budget -= forEachHostIn(blankTemplateActions(whole), base.source, budget, h => {
      if (!isCandidate(ws, h, base.namespace, key)) return;
      let span: Span | undefined;
      let portSpan: Span | undefined;
      if (src.map) {
        span = src.map(lineStart + h.start, lineStart + h.start + h.host.length);
        if (h.port !== undefined && h.portStart !== undefined && h.portEnd !== undefined) portSpan = src.map(lineStart + h.portStart, lineStart + h.portEnd);
      } else {
        const start = locate(lineStart + h.start, h.host);
        if (start !== undefined) span = { start, end: start + h.host.length };
        if (start !== undefined && h.port !== undefined && h.portStart !== undefined && h.portEnd !== undefined) {
          const ps = start + (h.portStart - h.start);
          if (fileText.slice(ps, ps + (h.portEnd - h.portStart)) === String(whole.slice(h.portStart, h.portEnd))) {
            portSpan = { start: ps, end: ps + (h.portEnd - h.portStart) };
          }
        }
      }
      if (!span) return;
      out.push({
        ...base, span, host: h.host, form: h.form,
        ...(portSpan && h.port !== undefined ? { portSpan, port: h.port } : {}),
        ...(key !== undefined ? { key } : {}),
      });
    });
    lineStart += line.length + 1;
    if (!multiline || budget <= 0) break;
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

/**
 * ConfigMaps a workload loads (envFrom, volumes, projected volumes), each with the keys it really
 * reads: every key, or only those a volume's `items` lists (other keys are not mounted).
 */
function configMapsUsedBy(w: Workload): ReadonlyMap<string, ReadonlySet<string> | 'all'> {
  // Asked for every ConfigMap of the namespace: read once per workload (a view lives as long as its file's parse).
  let out = configMapUses.get(w);
  if (!out) {
    const read = readConfigMapUses(w);
    configMapUses.set(w, (out = read.size ? read : NO_CONFIGMAPS));
  }
  return out;
}

const NO_CONFIGMAPS: ReadonlyMap<string, ReadonlySet<string> | 'all'> = new Map();
const configMapUses = new WeakMap<Workload, ReadonlyMap<string, ReadonlySet<string> | 'all'>>();

function readConfigMapUses(w: Workload): Map<string, Set<string> | 'all'> {
  const out = new Map<string, Set<string> | 'all'>();
  const use = (name: string | undefined, keys: readonly string[] | 'all') => {
    if (!name) return;
    const had = out.get(name);
    if (had === 'all' || keys === 'all') out.set(name, 'all');
    else out.set(name, new Set([...(had ?? []), ...keys]));
  };
  for (const c of w.containers) for (const n of c.envFromConfigMaps) use(n, 'all');
  const doc: YDoc = w.object.doc;
  const volume = (cm: unknown) => {
    const listed = items(doc, at(doc, cm, 'items'));
    use(str(doc, at(doc, cm, 'name'))?.value, listed.length ? listed.map(i => str(doc, at(doc, i, 'key'))?.value ?? '') : 'all');
  };
  for (const v of items(doc, at(doc, w.podSpecNode, 'volumes'))) {
    if (at(doc, v, 'configMap') !== undefined) volume(at(doc, v, 'configMap'));
    for (const s of items(doc, at(doc, v, 'projected', 'sources'))) if (at(doc, s, 'configMap') !== undefined) volume(at(doc, s, 'configMap'));
  }
  return out;
}

/** Offset of a scalar's value in the file when it is written verbatim or in plain quotes; undefined otherwise. */
function valueBase(fileText: string, span: Span, value: string): number | undefined {
  const raw = fileText.slice(span.start, span.end);
  if (raw === value) return span.start;
  if (raw.length === value.length + 2 && raw.slice(1, -1) === value && (raw[0] === '"' || raw[0] === "'")) return span.start + 1;
  return undefined;
}

/**
 * The source for an env value, arg or command with `$(VAR)` expanded from `vars`; unchanged when
 * nothing expands or the value is not written verbatim.
 */
function expanded(fileText: string, src: Source, vars: ReadonlyMap<string, string>): Source {
  const e = vars.size ? expandVars(src.value, vars) : undefined;
  const base = e && valueBase(fileText, src.span, src.value);
  if (!e || base === undefined) return src;
  return { ...src, value: e.value, map: (start, end) => { const [a, b] = e.map(start, end); return { start: base + a, end: base + b }; } };
}

/** `PGHOST: db` with `PGPORT: "5432"` beside it: the port of a bare host, from its sibling variable. */
function withSiblingPort(ref: DnsReference, env: readonly EnvVar[]): DnsReference {
  if (ref.port !== undefined || ref.form !== 'name' || ref.key === undefined) return ref;
  const prefix = hostKeyPrefix(ref.key);
  if (prefix === undefined) return ref;
  const sibling = env.find(v => v.name === `${prefix}PORT` || v.name === `${prefix}port` || v.name === `${prefix}Port`);
  const port = sibling?.value && /^\d{1,5}$/.test(sibling.value.value) ? Number(sibling.value.value) : undefined;
  if (port === undefined || port < 1 || port > 65535 || !sibling?.value) return ref;
  return { ...ref, port, portSpan: sibling.value.span };
}

function computeFile(ws: Workspace, file: string): DnsReference[] {
  const entry = ws.get(file);
  if (!entry) return [];
  const text = entry.manifest.text;
  const out: DnsReference[] = [];
  for (const w of entry.workloads) {
    const base = { file, namespace: w.object.namespace, workloads: [w], object: w.object };
    for (const c of w.containers) {
      // $(VAR) expands from the env vars defined before (env values) or from all of them (args, command).
      const vars = new Map<string, string>();
      for (const e of c.env) {
        if (e.value) {
          const src = expanded(text, { value: e.value.value, span: e.value.span, key: e.name }, vars);
          out.push(...referencesIn(ws, text, src, { ...base, source: 'env' }).map(r => withSiblingPort(r, c.env)));
          vars.set(e.name, src.value);
        } else if (e.fieldPath === 'metadata.namespace' && !w.object.namespaceDefaulted && w.madeBy === undefined) {
          // The Downward API gives the pod's namespace, which is the workload's.
          vars.set(e.name, w.object.namespace);
        } else vars.delete(e.name);
      }
      for (const [source, list] of [['args', c.args], ['command', c.command]] as const) {
        list.forEach((a, i) => {
          out.push(...referencesIn(ws, text, expanded(text, { value: a.value, span: a.span, key: argKey(list, i) }, vars), { ...base, source }));
        });
      }
    }
  }
  for (const cm of entry.configMaps) {
    const ns = cm.object.namespace;
    const uses = ws.workloadsIn(ns).map(w => ({ w, keys: configMapsUsedBy(w).get(cm.object.name) })).filter(u => u.keys !== undefined);
    for (const d of cm.data) {
      const users = uses.filter(u => u.keys === 'all' || u.keys!.has(d.key)).map(u => u.w);
      // Loaded by workloads that mount only other keys: this key is never read.
      if (uses.length && !users.length) continue;
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
