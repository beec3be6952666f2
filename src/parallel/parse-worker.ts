/**
 * A worker thread of the first scan (src/parallel/parse.ts): parses the files it is sent as the
 * workspace would (`parseManifest` with the same limits) and answers each file's documents as plain
 * data (`encodeChunks`), or nothing when the host must parse that file itself.
 */
import { parentPort } from 'node:worker_threads';
import { parseManifest } from '../core/parse/manifest';
import { encodeChunks } from '../core/parse/transfer';
import type { ParseRequest, ParseResponse } from './parse';

parentPort?.on('message', (request: ParseRequest) => {
  for (const { index, file, text } of request.files) {
    let response: ParseResponse;
    try {
      const m = parseManifest(file, text, { maxFileSize: request.maxFileSize });
      const encoded = m.chunks ? encodeChunks(m.chunks) : undefined;
      response = { index, encoded };
    } catch {
      response = { index, encoded: undefined };
    }
    parentPort!.postMessage(response, response.encoded ? [response.encoded.ints.buffer as ArrayBuffer] : []);
  }
});
