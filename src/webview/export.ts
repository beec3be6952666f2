// Export: a standalone SVG (theme colours resolved and inlined, since --vscode-* variables do not
// exist outside the webview) and a PNG drawn from it on a canvas.
import type { Layout } from './layout';

const STYLE_PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'display'];

function standalone(svg: SVGSVGElement, layout: Layout | undefined): SVGSVGElement {
  const pad = 20;
  const w = (layout?.width ?? 800) + 2 * pad;
  const hgt = (layout?.height ?? 600) + 2 * pad;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((o, i) => {
    const style = getComputedStyle(o);
    const c = copies[i] as SVGElement;
    for (const p of STYLE_PROPS) c.style.setProperty(p, style.getPropertyValue(p));
    c.removeAttribute('class');
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(hgt));
  clone.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  clone.querySelector('g')?.setAttribute('transform', `translate(${pad},${pad})`);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.style.setProperty('fill', getComputedStyle(document.body).backgroundColor);
  clone.insertBefore(bg, clone.firstChild);
  return clone;
}

/** The whole diagram (not just what is visible) as SVG text. */
export function exportSvg(svg: SVGSVGElement, layout: Layout | undefined): string {
  return new XMLSerializer().serializeToString(standalone(svg, layout));
}

/** The whole diagram as a PNG `data:` URL (capped at 8,000 pixels a side). */
export async function exportPng(svg: SVGSVGElement, layout: Layout | undefined): Promise<string> {
  const text = exportSvg(svg, layout);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const scale = Math.min(2, 8000 / Math.max(img.width, img.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(img.width * scale);
  canvas.height = Math.round(img.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}
