/**
 * The peers the bench compares against, driven on the same files in the same process:
 * `@monokle/validation` (plugins resource-links, yaml-syntax, practices, pod-security-standards, all
 * loaded from the npm package; kubernetes-schema is left off because it downloads schemas) and
 * `yaml-language-server`'s validation of one document (no Kubernetes schema: no npm package ships one).
 * A network guard makes any attempt to reach the network fail loudly and be counted.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { syncBuiltinESMExports } from 'node:module';
import { parseAllDocuments } from 'yaml';
import type { BenchFile } from './gen';

/** Network attempts the guard refused (should stay empty). */
export const networkAttempts: string[] = [];

/** Makes every outbound connection (http, https, net, tls, fetch) throw, and records the attempt. */
export function installNetworkGuard(): void {
  const refuse = (what: string) => (...args: unknown[]) => {
    const target = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0])?.slice(0, 120);
    networkAttempts.push(`${what} ${target}`);
    throw new Error(`bench: network access refused (${what} ${target})`);
  };
  http.request = refuse('http.request') as typeof http.request;
  http.get = refuse('http.get') as typeof http.get;
  https.request = refuse('https.request') as typeof https.request;
  https.get = refuse('https.get') as typeof https.get;
  net.connect = refuse('net.connect') as typeof net.connect;
  net.createConnection = refuse('net.createConnection') as typeof net.createConnection;
  tls.connect = refuse('tls.connect') as typeof tls.connect;
  globalThis.fetch = (async (input: unknown) => refuse('fetch')(String(input))) as typeof fetch;
  syncBuiltinESMExports();
}

/** A Monokle resource (the shape `@monokle/validation` validates). */
export interface MonokleResource {
  id: string;
  fileId: string;
  filePath: string;
  fileOffset: number;
  name: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  content: unknown;
  text: string;
}

/** The resources of one file, as Monokle's own extraction makes them (one per YAML document). */
export function monokleResources(file: BenchFile): MonokleResource[] {
  const out: MonokleResource[] = [];
  const docs = parseAllDocuments(file.text);
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, i) => {
    const content = doc.toJS() as Record<string, any> | null;
    if (!content || typeof content !== 'object' || typeof content.kind !== 'string') return;
    const [start, , end] = doc.range;
    const text = file.text.slice(start, end);
    out.push({
      id: `${file.path}#${i}`,
      fileId: file.path,
      filePath: file.path,
      fileOffset: file.text.slice(0, start).split('\n').length - 1,
      name: String(content.metadata?.name ?? ''),
      apiVersion: String(content.apiVersion ?? ''),
      kind: content.kind,
      namespace: content.metadata?.namespace,
      content,
      text,
    });
  });
  return out;
}

/** Monokle's validator, configured as the bench uses it. */
export interface MonokleRunner {
  /** processRefs + validate of every resource. Returns the number of results. */
  full(resources: MonokleResource[]): Promise<number>;
  /** What Monokle does after one resource changed: processRefs and validate, both incremental. */
  incremental(resources: MonokleResource[], id: string): Promise<number>;
  readonly plugins: string[];
  readonly failedPlugins: string[];
}

export const MONOKLE_PLUGINS = ['resource-links', 'yaml-syntax', 'practices', 'pod-security-standards'] as const;

/** Loads `@monokle/validation` with its plugins from the package (DefaultPluginLoader never fetches). */
export async function createMonokle(): Promise<MonokleRunner> {
  const m = await import('@monokle/validation');
  const parser = new m.ResourceParser();
  const config = { plugins: Object.fromEntries(MONOKLE_PLUGINS.map(p => [p, true])) };
  const validator = new m.MonokleValidator({
    loader: new m.DefaultPluginLoader(),
    parser,
    schemaLoader: new m.SchemaLoader(),
    suppressors: [],
    fixer: new m.DisabledFixer(),
  }, config);
  // preload() replaces the configuration with its argument (none = no plugins), so it gets it again.
  await validator.preload(config);
  const count = (r: { runs: Array<{ results: unknown[] }> }) => r.runs.reduce((n, run) => n + run.results.length, 0);
  return {
    plugins: validator.getPlugins().map(p => p.metadata.name),
    failedPlugins: validator.getFailedPlugins(),
    async full(resources) {
      parser.clear();
      m.processRefs(resources as any, parser);
      return count(await validator.validate({ resources: resources as any }) as any);
    },
    async incremental(resources, id) {
      const incremental = { resourceIds: [id] };
      parser.clear([id]);
      m.processRefs(resources as any, parser, incremental);
      return count(await validator.validate({ resources: resources as any, incremental }) as any);
    },
  };
}

/** yaml-language-server's validation of one document, as the YAML extension runs it per keystroke. */
export interface YamlLsRunner {
  validate(uri: string, text: string): Promise<number>;
}

export async function createYamlLs(): Promise<YamlLsRunner> {
  const { getLanguageService } = await import('yaml-language-server');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const ls = getLanguageService({
    schemaRequestService: async (uri: string) => { throw new Error(`bench: no schema fetch (${uri})`); },
    workspaceContext: { resolveRelativePath: (p: string) => p },
  });
  ls.configure({ validate: true, hover: false, completion: false, format: false, isKubernetes: true, schemas: [] });
  let version = 0;
  return {
    async validate(uri, text) {
      const doc = TextDocument.create(uri, 'yaml', ++version, text);
      return (await ls.doValidation(doc, true)).length;
    },
  };
}
