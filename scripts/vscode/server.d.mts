// Types for server.mjs.
export interface Server {
  url: string;
  port: number;
  pid: number;
  runDir: string;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
  logTail(lines?: number): string;
}
export interface StartOptions {
  tag?: string;
  runDir?: string;
  port?: number;
  extensionsDir?: string;
  linkRepo?: boolean;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  timeoutMs?: number;
}
export declare const USER_SETTINGS: Record<string, unknown>;
export declare function writeUserSettings(userDataDir: string, extra?: Record<string, unknown>): void;
export declare function linkExtension(extensionsDir: string, extensionPath?: string): string;
export declare function exitOnSignals(extra?: () => Promise<void>): void;
export declare function startServer(opts?: StartOptions): Promise<Server>;
export declare function workbenchUrl(server: Server, folder: string, payload?: [string, string][]): string;
