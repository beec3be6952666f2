// Types for config.mjs (used by the TypeScript e2e library).
export declare const ROOT: string;
export declare const CODE_SERVER_VERSION: string;
export declare const VSCODE_TEST_DIR: string;
export declare const CS_PREFIX: string;
export declare const CS_ENTRY: string;
export declare const EXAMPLES_DIR: string;
export declare const RESULTS_DIR: string;
export declare const CHROMIUM_PATH: string;
export declare function extensionInfo(): { id: string; version: string; displayName: string; pkg: Record<string, unknown> };
export declare function runsDir(): string;
export declare function newRunDir(tag: string): string;
export declare function isAlive(pid: number): boolean;
export declare function portIsFree(port: number): Promise<boolean>;
export declare function freePort(): Promise<number>;
export declare function pollUntil<T>(fn: () => T | Promise<T>, opts?: { timeoutMs?: number; intervalMs?: number; what?: string }): Promise<T>;
export declare function log(...args: unknown[]): void;
