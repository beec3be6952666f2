/**
 * Opt-in timing of the synchronous handlers the extension runs on the extension host (event
 * listeners, debounced timers, providers). It exists for the integration test that measures the
 * longest host task while typing in a large workspace (test/integration/host-timing.test.ts, whose
 * figure `npm run bench` prints). Off unless the extension host's environment has
 * KUBE_NETLENS_HOST_TIMING=1 (the integration harness sets it): then `timed` returns the handler
 * itself and `timedProvider` the provider itself, so the product's path is unchanged.
 *
 * Handlers nest (parsing an edit fires the index's change event, whose listeners are timed too): a
 * call made while another timed call runs counts for its own handler's figures, while the host
 * *task* is the outermost call, so `longest` is the longest outermost call.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as vscode from 'vscode';

export const HOST_TIMING_ENV = 'KUBE_NETLENS_HOST_TIMING';
/** The command the tests call: `reset` starts a new window, `read` returns {@link HostTimingReport}. */
export const HOST_TIMING_COMMAND = 'kubeNetlens.test.hostTiming';

/** Figures of one handler since the last reset. */
export interface HandlerTiming {
  calls: number;
  /** Longest single call (ms), nested calls included. */
  maxMs: number;
  totalMs: number;
}

export interface HostTimingReport {
  /** Longest outermost call (a host task) since the last reset, and its handler. */
  longest: { handler: string; ms: number } | undefined;
  /** Every handler called since the last reset. */
  handlers: Record<string, HandlerTiming>;
  /**
   * The extension host's event loop since the last reset (perf_hooks.monitorEventLoopDelay, 10 ms
   * resolution): its longest delay bounds the longest task of anyone on the host, including the
   * continuations of async handlers that `timed` does not see.
   */
  eventLoop: { maxMs: number; p99Ms: number } | undefined;
}

const enabled = typeof process !== 'undefined' && process.env?.[HOST_TIMING_ENV] === '1';
let depth = 0;
let handlers = new Map<string, HandlerTiming>();
let longest: { handler: string; ms: number } | undefined;
let loop: IntervalHistogram | undefined;

function record(name: string, ms: number, outermost: boolean): void {
  let h = handlers.get(name);
  if (!h) handlers.set(name, (h = { calls: 0, maxMs: 0, totalMs: 0 }));
  h.calls++;
  h.totalMs += ms;
  if (ms > h.maxMs) h.maxMs = ms;
  if (outermost && (!longest || ms > longest.ms)) longest = { handler: name, ms };
}

/** `fn`, timed under `name` when timing is on; `fn` itself otherwise. Only the synchronous part of an async `fn` is timed. */
export function timed<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  if (!enabled) return fn;
  return function (this: unknown, ...args: A): R {
    const outermost = depth === 0;
    depth++;
    const t = performance.now();
    try {
      return fn.apply(this, args);
    } finally {
      depth--;
      record(name, performance.now() - t, outermost);
    }
  };
}

/** `provider` with its `methods` timed as `<name>.<method>` when timing is on; `provider` itself otherwise. */
export function timedProvider<T extends object>(name: string, provider: T, methods: ReadonlyArray<keyof T & string>): T {
  if (!enabled) return provider;
  for (const m of methods) {
    const f = provider[m];
    if (typeof f === 'function') (provider as Record<string, unknown>)[m] = timed(`${name}.${m}`, (f as (...a: unknown[]) => unknown).bind(provider));
  }
  return provider;
}

/** The figures since the last reset. */
export function hostTimingReport(): HostTimingReport {
  return {
    longest: longest && { ...longest },
    handlers: Object.fromEntries([...handlers].map(([k, v]) => [k, { ...v }])),
    eventLoop: loop && loop.count > 0 ? { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 } : undefined,
  };
}

export function resetHostTiming(): void {
  handlers = new Map();
  longest = undefined;
  loop?.disable();
  loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
}

/** The test command (registered only when timing is on; not contributed in package.json). */
export function registerHostTiming(): vscode.Disposable[] {
  if (!enabled) return [];
  return [vscode.commands.registerCommand(HOST_TIMING_COMMAND, (what: 'reset' | 'read' = 'read') => {
    if (what === 'reset') resetHostTiming();
    return hostTimingReport();
  })];
}
