/**
 * Renders Kustomize overlays and Helm charts with the user's own tools, in child processes: never on
 * the keystroke path, with a time limit, cached by the content of every input file, and never more
 * than one render of a root at a time. The user's files are never touched: Kustomize renders
 * through a temporary wrapper kustomization that asks for origin annotations.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RenderOutput } from '../core/render/project';
import type { RenderRoot, RootReader } from '../core/render/roots';
import { commandWords, runTool } from './exec';
import { runGit } from './git';

export interface RenderSettings {
  /** How Kustomize is run: `kubectl kustomize` (default) or `kustomize build`; the folder is appended. */
  readonly kustomizeCommand: string;
  /** The helm executable. */
  readonly helmCommand: string;
  /** Values files (`-f`) for every chart; none: the chart's own `values.yaml`. */
  readonly helmValues: readonly string[];
  /** Release name; default: the chart's name. */
  readonly releaseName?: string;
  /** Namespace of the Helm release; default `default`. */
  readonly namespace?: string;
  readonly timeoutMs: number;
}

export const DEFAULT_RENDER_SETTINGS: RenderSettings = {
  kustomizeCommand: 'kubectl kustomize',
  helmCommand: 'helm',
  helmValues: [],
  timeoutMs: 60_000,
};

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const MAX_CHART_FILES = 5000;

export type RenderResult =
  | { readonly ok: true; readonly output: RenderOutput; readonly cached: boolean; readonly ms: number }
  | {
    readonly ok: false; readonly reason: 'missing-tool' | 'failed' | 'not-rendered' | 'too-large'; readonly message: string;
    /** A file the render needs that is missing and that the repository's .gitignore ignores (made where it is applied). */
    readonly ignoredInput?: string;
    /** Helm: the values files the chart was rendered with, when some were given (`--helm-values`). */
    readonly valuesFiles?: readonly string[];
  };

/** Reads files for the root finder (absolute paths). */
export const fsReader: RootReader = {
  read(p) {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return undefined;
    }
  },
};

/** Every file under a chart folder (bounded), sorted. */
function chartFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= MAX_CHART_FILES) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function readAll(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    const t = fsReader.read(f);
    if (t !== undefined) out.set(f, t);
  }
  return out;
}

function digest(parts: readonly string[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}

function firstLines(text: string, n = 6): string {
  return text.trim().split('\n').filter(l => l.trim()).slice(0, n).join('\n');
}

/**
 * The first file Kustomize could not find (`lstat /abs/path: no such file or directory`) that git
 * ignores in `dir`'s repository: a credentials file or generated config each checkout makes
 * (velero's tilt-resources/cloud). Nothing outside a git repository, or when git is absent.
 */
async function ignoredInput(stderr: string, dir: string): Promise<{ ignoredInput?: string }> {
  for (const m of stderr.matchAll(/(?:lstat|open|stat) (\/[^\s:']+): no such file or directory/g)) {
    if ((await runGit(['check-ignore', '-q', '--', m[1]!], dir)).code === 0) return { ignoredInput: m[1]! };
  }
  return {};
}

/**
 * Kustomize's error without the layers the wrapper kustomization adds (it tries the folder as a file,
 * then builds it): what `kubectl kustomize <dir>` itself prints (`error: invalid Kustomization: ...`).
 */
function withoutWrapper(stderr: string, dir: string): string {
  const d = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const layers = new RegExp(`^error: accumulating resources: accumulation err='accumulating resources from '[^'\\n]*': '${d}' must resolve to a file': (?:couldn't make target for path|recursed accumulation of path) '${d}': `, 'm');
  return stderr.replace(layers, 'error: '); // after kustomize's `# Warning:` lines, if any
}

const INSTALL_HINT: Record<RenderRoot['tool'], string> = {
  kustomize: 'install kubectl (it includes Kustomize) or kustomize, or set kubeNetlens.kustomizeCommand (CLI: --kustomize-cmd)',
  helm: 'install helm, or set kubeNetlens.helmCommand (CLI: --helm-cmd)',
};

export class Renderer {
  private readonly cache = new Map<string, { key: string; output: RenderOutput }>();
  private readonly running = new Map<string, Promise<RenderResult>>();
  /** Renders started (not served from cache): the bench reads this. */
  renders = 0;

  constructor(private settings: RenderSettings = DEFAULT_RENDER_SETTINGS) {}

  updateSettings(settings: RenderSettings): void {
    this.settings = settings;
  }

  /** Renders `root` (absolute paths), or returns the cached render when no input changed. */
  render(root: RenderRoot): Promise<RenderResult> {
    const running = this.running.get(root.file);
    if (running) return running;
    const p = this.renderNow(root).finally(() => this.running.delete(root.file));
    this.running.set(root.file, p);
    return p;
  }

  private async renderNow(root: RenderRoot): Promise<RenderResult> {
    if (root.problem) return { ok: false, reason: 'not-rendered', message: root.problem };
    const started = Date.now();
    const files = root.tool === 'helm' ? chartFiles(root.dir) : [...root.members];
    const sources = readAll(files);
    const valueTexts = this.settings.helmValues.map(f => `${f}\u0000${fsReader.read(f) ?? ''}`);
    const key = digest([root.tool, JSON.stringify(this.settings), ...[...sources].flatMap(([f, t]) => [f, t]), ...valueTexts]);
    const hit = this.cache.get(root.file);
    if (hit && hit.key === key) return { ok: true, output: hit.output, cached: true, ms: Date.now() - started };
    this.renders++;
    const result = root.tool === 'helm' ? await this.helm(root, sources) : await this.kustomize(root, sources);
    if (result.ok) this.cache.set(root.file, { key, output: result.output });
    return result.ok ? { ...result, ms: Date.now() - started } : result;
  }

  private async kustomize(root: RenderRoot, sources: Map<string, string>): Promise<RenderResult> {
    const wrapper = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-netlens-'));
    try {
      const target = path.relative(wrapper, root.dir).split(path.sep).join('/');
      fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'),
        `# written by kube-netlens: renders ${root.dir} with origin annotations\nresources:\n- ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`);
      const argv = [...commandWords(this.settings.kustomizeCommand), wrapper];
      const ran = await runTool(argv, { timeoutMs: this.settings.timeoutMs, maxBytes: MAX_OUTPUT_BYTES });
      const run = { ...ran, stderr: withoutWrapper(ran.stderr, root.dir) };
      const failed = this.failure(root, argv[0]!, run);
      if (failed) return !failed.ok && failed.reason === 'failed' ? { ...failed, ...await ignoredInput(run.stderr, root.dir) } : failed;
      return { ok: true, cached: false, ms: 0, output: { text: run.stdout, originBase: wrapper, sources } };
    } finally {
      fs.rmSync(wrapper, { recursive: true, force: true });
    }
  }

  private async helm(root: RenderRoot, sources: Map<string, string>): Promise<RenderResult> {
    const namespace = this.settings.namespace || 'default';
    const release = this.settings.releaseName || root.chartName || path.basename(root.dir);
    // `--skip-tests`: test hooks (`helm.sh/hook: test`) exist only while `helm test` runs; an
    // install creates none, so they are no pods a Service reaches nor callers a policy judges.
    const argv = [...commandWords(this.settings.helmCommand), 'template', release, root.dir, '--namespace', namespace, '--skip-tests',
      ...this.settings.helmValues.flatMap(f => ['-f', f])];
    const run = await runTool(argv, { timeoutMs: this.settings.timeoutMs, maxBytes: MAX_OUTPUT_BYTES });
    const failed = this.failure(root, argv[0]!, run);
    if (failed) return !failed.ok && this.settings.helmValues.length ? { ...failed, valuesFiles: this.settings.helmValues } : failed;
    // The values the release was rendered with: the files given, else the chart's own values.yaml.
    const chartValues = path.join(root.dir, 'values.yaml');
    const values = this.settings.helmValues.length ? [...this.settings.helmValues] : fs.existsSync(chartValues) ? [chartValues] : [];
    return { ok: true, cached: false, ms: 0, output: { text: run.stdout, namespace, sources, values: values.map(v => v.split(path.sep).join('/')) } };
  }

  private failure(root: RenderRoot, exe: string, run: Awaited<ReturnType<typeof runTool>>): RenderResult | undefined {
    if (run.missing) return { ok: false, reason: 'missing-tool', message: `${exe} not found: ${INSTALL_HINT[root.tool]}. Until then the files of ${root.dir} are not analysed.` };
    if (run.timedOut) return { ok: false, reason: 'failed', message: `${exe} did not finish within ${Math.round(this.settings.timeoutMs / 1000)} s rendering ${root.dir}` };
    if (run.tooLarge) {
      return {
        ok: false, reason: 'too-large',
        message: `The render of ${root.dir} is larger than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB, the most read from ${exe} (a fixed limit, no setting raises it): nothing it renders is analysed.`,
      };
    }
    if (run.code !== 0) return { ok: false, reason: 'failed', message: `${exe} failed on ${root.dir}: ${firstLines(run.stderr) || `exit code ${run.code}`}` };
    return undefined;
  }
}
