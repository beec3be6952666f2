// Renders the diagram page in Chromium outside VS Code: a static server for dist/ and media/, the
// production CSP with a nonce, a fake `acquireVsCodeApi` that answers `ready` with a graph built
// from a workspace, and a stylesheet of --vscode-* colours standing in for a theme. Writes
// screenshots to test-results/ and fails when the page throws, when a label is parsed as markup or
// when something violates the CSP.
//   npm run build && node --import tsx test/render/diagram.render.ts [dark|light|hc]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildGraph } from '../../src/core/graph/build';
import { Workspace } from '../../src/core/workspace';
import { generateWorkspace } from '../../bench/diagram-workspace';
import { filesUnder } from '../unit/corpus';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'test-results');
const THEMES: Record<string, Record<string, string>> = {
  dark: {
    foreground: '#cccccc', 'editor-background': '#1e1e1e', descriptionForeground: '#9d9d9d', 'panel-border': '#444',
    'editorWidget-background': '#252526', 'editorWidget-border': '#454545', focusBorder: '#0078d4', 'badge-background': '#4d4d4d',
    'badge-foreground': '#fff', 'charts-blue': '#3794ff', 'charts-purple': '#b180d7', 'charts-orange': '#d18616', 'charts-green': '#89d185',
    'testing-iconPassed': '#73c991', errorForeground: '#f48771', 'editorWarning-foreground': '#cca700', 'input-background': '#3c3c3c',
    'input-foreground': '#ccc', 'button-secondaryBackground': '#3a3d41', 'button-secondaryForeground': '#ccc', 'button-background': '#0e639c',
    'button-foreground': '#fff', 'sideBar-background': '#252526', 'textLink-foreground': '#3794ff', 'inputValidation-errorBackground': '#5a1d1d',
  },
  light: {
    foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#717171', 'panel-border': '#d0d0d0',
    'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8', focusBorder: '#005fb8', 'badge-background': '#cccccc',
    'badge-foreground': '#333', 'charts-blue': '#1a85ff', 'charts-purple': '#652d90', 'charts-orange': '#c96e00', 'charts-green': '#388a34',
    'testing-iconPassed': '#388a34', errorForeground: '#a1260d', 'editorWarning-foreground': '#bf8803', 'input-background': '#fff',
    'input-foreground': '#333', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#333', 'button-background': '#005fb8',
    'button-foreground': '#fff', 'sideBar-background': '#f8f8f8', 'textLink-foreground': '#005fb8', 'inputValidation-errorBackground': '#f2dede',
  },
  hc: {
    foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffff', contrastBorder: '#6fc3df',
    'editorWidget-background': '#0c141f', focusBorder: '#f38518', 'badge-background': '#000', 'badge-foreground': '#fff',
    'charts-blue': '#3794ff', 'charts-purple': '#b180d7', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'testing-iconPassed': '#89d185',
    errorForeground: '#f48771', 'editorWarning-foreground': '#ffd370', 'input-background': '#000', 'input-foreground': '#fff',
    'button-secondaryBackground': '#000', 'button-secondaryForeground': '#fff', 'button-background': '#000', 'button-foreground': '#fff',
    'sideBar-background': '#000', 'textLink-foreground': '#21a6ff',
  },
};

function load(dir: string): Workspace {
  const ws = new Workspace();
  for (const f of filesUnder(dir).filter(f => /\.ya?ml$/.test(f))) ws.set(`file://${f}`, fs.readFileSync(f, 'utf8'));
  return ws;
}

async function main(): Promise<void> {
  const theme = process.argv[2] ?? 'dark';
  const vars = Object.entries(THEMES[theme]!).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  const graphs: Record<string, unknown> = {};
  const examples = load(path.join(ROOT, 'examples'));
  // An injection attempt in a name: it must show as text, and nothing may run.
  examples.set('file:///evil.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "<img src=x onerror=alert(1)>"\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: evil}\n');
  graphs.examples = buildGraph(examples);
  graphs.big = buildGraph(generateWorkspace(200));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const port = (server.address() as { port: number }).port;
    const origin = `http://127.0.0.1:${port}`;
    if (url.pathname === '/') {
      const csp = `default-src 'none'; script-src 'nonce-n0nce'; style-src ${origin}; img-src ${origin} data:; font-src ${origin}`;
      res.setHeader('content-type', 'text/html');
      res.end(`<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/media/diagram.css"></head>
<body><script nonce="n0nce" src="/fake.js?graph=${url.searchParams.get('graph')}"></script><script nonce="n0nce" src="/dist/webview.js"></script></body></html>`);
      return;
    }
    if (url.pathname === '/favicon.ico') { res.statusCode = 204; res.end(); return; }
    if (url.pathname === '/theme.css') {
      res.setHeader('content-type', 'text/css');
      res.end(`html { ${vars} --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; }`);
      return;
    }
    if (url.pathname === '/fake.js') {
      const graph = JSON.stringify(graphs[url.searchParams.get('graph') ?? 'examples']);
      res.setHeader('content-type', 'text/javascript');
      res.end(`window.__posted = []; window.acquireVsCodeApi = () => ({
        postMessage(m) { window.__posted.push(m); if (m.type === 'ready' || m.type === 'options') setTimeout(() => window.postMessage({ type: 'graph', graph: ${graph}, options: m.options || {}, reading: 'external' }, '*'), 0); },
        getState() { return undefined; }, setState(s) { window.__state = s; } });`);
      return;
    }
    const file = path.join(ROOT, url.pathname);
    if (!file.startsWith(path.join(ROOT, 'dist')) && !file.startsWith(path.join(ROOT, 'media'))) { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-type', file.endsWith('.css') ? 'text/css' : 'text/javascript');
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  fs.mkdirSync(OUT, { recursive: true });
  try {
    for (const name of ['examples', 'big']) {
      const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
      page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('dialog', d => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
      const t0 = Date.now();
      await page.goto(`http://127.0.0.1:${port}/?graph=${name}`);
      await page.waitForSelector('.node');
      const ms = Date.now() - t0;
      const nodes = await page.locator('.node').count();
      const edges = await page.locator('.edge').count();
      console.log(`${theme}/${name}: ${nodes} nodes, ${edges} edges, shown in ${ms} ms`);
      await page.screenshot({ path: path.join(OUT, `diagram-${name}-${theme}.png`) });
      if (name === 'examples') {
        const evil = page.locator('.node text.label', { hasText: '<img src=x' });
        assert.equal(await evil.count(), 1, 'the markup label shows as text');
        assert.equal(await page.locator('img').count(), 0, 'no element was created from a label');
        await page.locator('[data-id="workload:shop/api[Deployment]"]').click();
        await page.waitForSelector('.side h2');
        assert.equal(await page.locator('.side h2').textContent(), 'api');
        const posted = await page.evaluate(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted);
        assert.ok(posted.some(m => m.type === 'reveal'), 'a click asks the host to reveal the object');
      }
      if (name === 'big') {
        await page.mouse.move(700, 400);
        for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
        await page.screenshot({ path: path.join(OUT, `diagram-${name}-${theme}-zoomed.png`) });
      }
      assert.deepEqual(problems, [], 'no errors, no CSP violations, no dialogs');
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

void main().catch(e => { console.error(e); process.exitCode = 1; });
