// Mocha entry point loaded by the extension host (extensionTestsPath). It runs every
// `*.test.js` compiled from test/integration/**/*.test.ts: adding a test file is all it takes.
// Env: MOCHA_GREP (only tests whose title matches), MOCHA_TIMEOUT (ms, default 30000).
// KUBE_NETLENS_TEST_LOG (set by the code-server shim): the reporter's output is also appended to
// this file, because the web workbench does not hand the extension host's stdout back to the runner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export async function run(): Promise<void> {
  // mocha 12 is an ES module: load it with import() from this CommonJS file
  const { default: Mocha } = await import('mocha');
  const logFile = process.env.KUBE_NETLENS_TEST_LOG;
  if (logFile) {
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      fs.appendFileSync(logFile, `${util.format(...args)}\n`);
      consoleLog(...args);
    };
  }
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.MOCHA_TIMEOUT ?? 30000),
    ...(process.env.MOCHA_GREP ? { grep: process.env.MOCHA_GREP } : {}),
  });
  for (const f of findTests(__dirname)) mocha.addFile(f);
  await new Promise<void>((resolve, reject) => {
    mocha.run(failures => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
