/**
 * Exceptions contained at a boundary: a rule, a hover or a definition provider that throws is kept
 * from taking the others down, and reported here. The extension logs each one; the fuzz test and
 * the bench count them, so a provider forced to always throw fails them instead of passing silently.
 */

/** One contained exception: where it was caught (`rule:<id>`, `hover`, `definition`) and what was thrown. */
export interface ContainedError {
  readonly where: string;
  readonly error: unknown;
}

const listeners = new Set<(e: ContainedError) => void>();

/** Calls `listener` for every contained exception until the returned function is called. */
export function onContainedError(listener: (e: ContainedError) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Reports an exception a boundary contained. Never throws (a listener that throws is ignored). */
export function reportContained(where: string, error: unknown): void {
  for (const l of listeners) {
    try {
      l({ where, error });
    } catch {
      // A listener's failure must not turn a contained error into an escaping one.
    }
  }
}

/** `f`, reporting what it throws (and throwing it on, for the caller's boundary to contain). */
export function reporting<A extends unknown[], R>(where: string, f: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return f(...args);
    } catch (e) {
      reportContained(where, e);
      throw e;
    }
  };
}
