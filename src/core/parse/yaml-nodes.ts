/**
 * The `yaml` library's node predicates, read once. `yaml` ships CommonJS: in the esbuild bundle (what
 * the extension and `kube-netlens` run) each call of an export imported from it reads the export
 * through a getter of esbuild's interop object, a closure call per `isScalar(n)`. The parse and the
 * readers call these millions of times at 50,000 objects (~1 s of CPU, bench/profile-full.ts); the
 * constants below are the library's own functions, called directly.
 */
import * as yaml from 'yaml';

export const isAlias = yaml.isAlias;
export const isMap = yaml.isMap;
export const isPair = yaml.isPair;
export const isScalar = yaml.isScalar;
export const isSeq = yaml.isSeq;
