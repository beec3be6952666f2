/**
 * git as a child process, for reading a revision's manifests without a checkout (`diff --base`, the
 * editor's connectivity changes). Lives beside the renderers: src/render is the one place that
 * spawns processes. Output is kept as bytes (`cat-file --batch` sizes are byte counts).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** git's answer: its exit code (null when it could not run), stdout bytes and stderr text. */
export interface GitRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

const MAX_BUFFER = 1 << 30;

/** Runs `git args` in `cwd`, blocking (the CLI). */
export function runGitSync(args: readonly string[], cwd: string, input?: Uint8Array): GitRun {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER, windowsHide: true });
  if (r.error) return { code: null, stdout: Buffer.alloc(0), stderr: r.error.message };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Runs `git args` in `cwd` without blocking (the editor's extension host). */
export function runGit(args: readonly string[], cwd: string, input?: string): Promise<GitRun> {
  return new Promise(resolve => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', e => resolve({ code: null, stdout: Buffer.alloc(0), stderr: e.message }));
    child.on('close', code => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    if (child.stdin) {
      // git may exit before reading all of its input (e.g. on a bad revision): that is its answer, not a crash.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The commit HEAD names, read from the repository's files instead of asking git: spawning a process
 * forks the extension host, which blocks it for tens of milliseconds when its heap is large, and the
 * editor asks after every burst of edits. `gitDir` holds HEAD (per worktree), `commonDir` the
 * branches. Undefined whenever the files say anything else than a commit id or a branch with a loose
 * or packed id (reftable, an unborn branch, a symbolic ref elsewhere): then the caller asks git.
 */
export async function readHeadCommit(gitDir: string, commonDir: string): Promise<string | undefined> {
  const read = async (file: string) => {
    try {
      return await fs.promises.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const head = (await read(path.join(gitDir, 'HEAD')))?.trim();
  if (!head) return undefined;
  if (OBJECT_ID.test(head)) return head;
  const branch = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
  // reftable repositories keep a placeholder branch in HEAD.
  if (!branch || branch === 'refs/heads/.invalid' || branch.split('/').includes('..')) return undefined;
  const loose = await read(path.join(commonDir, ...branch.split('/')));
  if (loose !== undefined) return OBJECT_ID.test(loose.trim()) ? loose.trim() : undefined;
  const packed = await read(path.join(commonDir, 'packed-refs'));
  for (const line of packed?.split('\n') ?? []) {
    const [id, name] = line.trim().split(' ');
    if (name === branch && id && OBJECT_ID.test(id)) return id;
  }
  return undefined;
}

/**
 * The git directory (HEAD) and common directory (branches) of the repository holding `dir`, found as
 * git finds them without a process: the nearest `.git` above, a directory or a `gitdir:` file (a
 * worktree, a submodule), its `commondir` when it has one. Undefined when git's environment could
 * move them (GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES, GIT_COMMON_DIR) or nothing is found:
 * then the caller asks git.
 */
export async function findGitDirs(dir: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  if (['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES', 'GIT_COMMON_DIR'].some(v => process.env[v] !== undefined)) return undefined;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    const stat = await fs.promises.stat(dotGit).catch(() => undefined);
    let gitDir: string | undefined;
    if (stat?.isDirectory()) gitDir = dotGit;
    else if (stat?.isFile()) {
      const target = /^gitdir: (.+)$/m.exec(await fs.promises.readFile(dotGit, 'utf8').catch(() => ''))?.[1]?.trim();
      if (!target) return undefined;
      gitDir = path.resolve(d, target);
    }
    if (gitDir) {
      if (!(await fs.promises.stat(path.join(gitDir, 'HEAD')).catch(() => undefined))) return undefined;
      const common = (await fs.promises.readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => undefined))?.trim();
      return { gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
    }
    if (path.dirname(d) === d) return undefined;
  }
}
