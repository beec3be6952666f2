// Parses the test counts that each layer's runner prints (used by scripts/test.mjs).

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function lastNumber(text, re) {
  let n = null;
  for (const m of text.replace(ANSI, '').matchAll(re)) n = Number(m[1]);
  return n;
}

/** node --test output: TAP ("# pass 3") or spec ("ℹ pass 3") summary lines; the last one wins. */
export function parseNodeTest(output) {
  const passed = lastNumber(output, /^[#ℹ] pass (\d+)\s*$/gmu);
  const failed = lastNumber(output, /^[#ℹ] fail (\d+)\s*$/gmu);
  const cancelled = lastNumber(output, /^[#ℹ] cancelled (\d+)\s*$/gmu) ?? 0;
  return { passed: passed ?? 0, failed: (failed ?? 0) + cancelled, found: passed !== null || failed !== null };
}

/** mocha reporter epilogue: "  12 passing (3s)", "  1 failing", "  2 pending"; the last one wins. */
export function parseMocha(output) {
  const passed = lastNumber(output, /^\s*(\d+) passing\b/gm);
  const failed = lastNumber(output, /^\s*(\d+) failing\b/gm);
  return { passed: passed ?? 0, failed: failed ?? 0, found: passed !== null || failed !== null };
}

/**
 * Overall verdict for layer results [{ name, passed, failed, exitCode, found }]: a layer fails when
 * its runner exited non-zero, reported failures, or ran no test. A layer that failed without
 * reporting a failing test (e.g. it crashed) adds one failure to the totals.
 */
export function summarize(layers) {
  let passed = 0;
  let failed = 0;
  const rows = layers.map(l => {
    const problems = [];
    if (l.exitCode !== 0) problems.push(`exit code ${l.exitCode}`);
    if (l.failed > 0) problems.push(`${l.failed} failed`);
    if (l.passed + l.failed === 0) problems.push('no tests ran');
    const ok = problems.length === 0;
    passed += l.passed;
    failed += l.failed > 0 ? l.failed : ok ? 0 : 1;
    return { ...l, ok, problems };
  });
  return { rows, passed, failed, ok: rows.every(r => r.ok) && rows.length > 0 };
}
