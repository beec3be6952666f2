// Types for install.mjs.
export declare function ensureSystemPackages(extra?: { pkg: string; ok: () => unknown }[]): void;
export declare function isInstalled(): boolean;
/** Installs code-server unless the same version is already installed; returns its entry script. */
export declare function ensureInstalled(opts?: { force?: boolean }): string;
