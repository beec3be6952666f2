/**
 * The worker thread of the comparisons with git (src/vscode/changes.ts): a {@link ComparisonMirror}
 * of the live workspace answering the status bar's comparison and the CodeLens's per-file one, so
 * that no `connectivityDiff` of two whole workspaces runs on the extension host. Bundled on its own
 * (dist/changesWorker.js); no `vscode` here. A request whose generation is older than the newest the
 * host has announced (a shared counter) is answered `stale` without computing: a newer edit exists.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ComparisonMirror } from '../core/compare-mirror';
import type { WorkerReply, WorkerRequest } from './changesProtocol';

const mirror = new ComparisonMirror();
const latest = new Int32Array((workerData as { generation: SharedArrayBuffer }).generation);

parentPort!.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    mirror.apply(req.delta);
    if (req.base) mirror.setBase(req.base.key, req.base.files);
    if (Atomics.load(latest, 0) > req.generation) {
      reply = { seq: req.seq, stale: true };
    } else if (req.kind === 'compare') {
      const result = mirror.compare(req.key, req.marks);
      reply = result ? { seq: req.seq, comparison: result } : { seq: req.seq, needsBase: true };
    } else {
      reply = { seq: req.seq, counts: mirror.fileChanges(req.file, req.headText) ?? null };
    }
  } catch (e) {
    reply = { seq: req.seq, error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
