// Loads the ES-module dependencies of src/ with Node's own loader before tsx is registered.
// tsx compiles any ES module that CommonJS code require()s into CommonJS, and under that compiled
// interop ip-cidr's `import ipAddress from 'ip-address'` (a CommonJS module marked __esModule)
// reads undefined. Node itself loads it correctly (require of ES modules, Node >= 20.19) and
// caches it, so later requires from tsx-compiled code get the working module. The bundles
// (esbuild) are not affected. Used as `node --require ./scripts/native-esm.cjs --import tsx ...`.
require('ip-cidr');
