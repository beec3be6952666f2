import * as vscode from 'vscode';

function nonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64');
}

/** Where the page may load from: the bundle and the stylesheet, nothing else. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * The page's HTML: a strict CSP with a per-load nonce, the stylesheet and the bundle. No data goes in
 * here; the graph arrives as messages once the page says `ready`.
 */
export function diagramHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'diagram.css'));
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${n}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Network Diagram</title>
</head>
<body>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}
