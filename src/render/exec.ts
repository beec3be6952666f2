/** Runs a renderer (helm, kubectl, kustomize) as a child process with a time and output limit. */
import { spawn } from 'node:child_process';

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The executable was not found. */
  readonly missing: boolean;
  readonly timedOut: boolean;
  readonly tooLarge: boolean;
}

export interface ToolOptions {
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** Output beyond this many bytes stops the process. */
  readonly maxBytes: number;
}

/** Splits a command setting (`kubectl kustomize`, `"/opt/my tools/helm"`) into words. */
export function commandWords(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

export function runTool(argv: readonly string[], options: ToolOptions): Promise<ToolRun> {
  return new Promise(resolve => {
    const [cmd, ...args] = argv;
    let stdout = '';
    let stderr = '';
    let bytes = 0;
    let timedOut = false;
    let tooLarge = false;
    let settled = false;
    const done = (run: ToolRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(run);
    };
    const child = spawn(cmd!, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env, windowsHide: true });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, options.timeoutMs);
    const take = (chunk: Buffer, to: 'out' | 'err') => {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        tooLarge = true;
        child.kill('SIGKILL');
        return;
      }
      if (to === 'out') stdout += chunk.toString('utf8');
      else stderr += chunk.toString('utf8');
    };
    child.stdout.on('data', (c: Buffer) => take(c, 'out'));
    child.stderr.on('data', (c: Buffer) => take(c, 'err'));
    child.on('error', e => done({
      code: null, stdout, stderr: stderr || e.message, missing: (e as NodeJS.ErrnoException).code === 'ENOENT', timedOut, tooLarge,
    }));
    child.on('close', code => done({ code, stdout, stderr, missing: false, timedOut, tooLarge }));
  });
}
