/**
 * POSIX path arithmetic for the render layer, without Node: the core sees file names as the
 * front end gives them (CLI paths relative to the working directory, or absolute paths), always
 * with forward slashes.
 */

/** Collapses `.`, `..` and repeated slashes; keeps leading `..` of a relative path. */
export function normalize(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** `a` joined with `b` (an absolute `b` wins), normalised. */
export function join(a: string, b: string): string {
  return normalize(b.startsWith('/') ? b : `${a}/${b}`);
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Whether `file` lies inside folder `dir` (both normalised the same way). */
export function isInside(file: string, dir: string): boolean {
  return dir === '.' ? !file.startsWith('../') && !file.startsWith('/') : file.startsWith(`${dir}/`);
}
