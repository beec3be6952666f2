/** Argument parsing shared by the CLI's commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/settings';

/** A mistake in how the CLI was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` against `options`; unknown options and bad values become {@link UsageError}s. */
export function parse(argv: string[], options: Options): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Reads a one-of option, with a clear error naming the choices. */
export function choice<T extends string>(value: unknown, name: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${String(value)})`);
}

/** Options every command that reads manifests takes besides the render options: the size limit. */
export const LOAD_OPTIONS: Options = {
  'max-file-size': { type: 'string' },
};

/** `-n/--namespace` for commands that do not render (the render options carry it for the others). */
export const NAMESPACE_OPTION: Options = { namespace: { type: 'string', short: 'n' } };

/** Help line for {@link NAMESPACE_OPTION}. */
export const NAMESPACE_USAGE = [
  '  -n, --namespace NS     the namespace objects without one are applied into (like kubectl apply -n), when',
  '                         no kustomization, Helm-rendered stream or Argo CD/Flux object says; unknown otherwise',
].join('\n');

/** Help lines for {@link LOAD_OPTIONS}. */
export const LOAD_USAGE = [
  '  --max-file-size SIZE   skip files larger than SIZE (KB, or with a K/M suffix: 512K, 8M; default 4M)',
].join('\n');

/**
 * The analysis settings `base` with `--namespace` (where objects without one are applied, like
 * `kubectl apply -n`) and `--max-file-size` applied.
 */
export function loadSettings(values: Record<string, unknown>, base: AnalysisSettings = DEFAULT_SETTINGS): AnalysisSettings {
  let out = base;
  if (typeof values.namespace === 'string') {
    const ns = values.namespace.trim();
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) throw new UsageError(`--namespace must be a namespace name (RFC 1123 label), got ${values.namespace}`);
    out = { ...out, defaultNamespace: ns };
  }
  if (typeof values['max-file-size'] === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb)?$/i.exec(values['max-file-size'].trim());
    const kb = m ? Number(m[1]) * (/^m/i.test(m[2] ?? '') ? 1024 : 1) : NaN;
    if (!(kb > 0)) throw new UsageError(`--max-file-size expects a size such as 2048, 512K or 8M (got ${values['max-file-size']})`);
    out = { ...out, maxFileSize: Math.round(kb * 1024) };
  }
  return out;
}
