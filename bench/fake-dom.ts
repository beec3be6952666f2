/**
 * A minimal DOM (the part src/webview/render.ts uses: elements, attributes, text, children), so the
 * page's rendering runs in Node for the unit tests and bench/diagram-page.ts.
 */
export class FakeElement {
  parent: FakeElement | undefined;
  children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  private text = '';
  constructor(readonly tagName: string) {}
  setAttribute(k: string, v: string): void { this.attributes.set(k, v); }
  getAttribute(k: string): string | null { return this.attributes.get(k) ?? null; }
  set textContent(v: string) { this.children = []; this.text = v; }
  get textContent(): string { return this.text + this.children.map(c => c.textContent).join(''); }
  appendChild(c: FakeElement): FakeElement { return this.insertBefore(c, null); }
  insertBefore(c: FakeElement, ref: FakeElement | null): FakeElement {
    if (c.parent) c.parent.children.splice(c.parent.children.indexOf(c), 1);
    c.parent = this;
    const at = ref ? this.children.indexOf(ref) : -1;
    if (at < 0) this.children.push(c); else this.children.splice(at, 0, c);
    return c;
  }
  replaceChildren(): void { for (const c of this.children) c.parent = undefined; this.children = []; }
  get firstChild(): FakeElement | null { return this.children[0] ?? null; }
  get firstElementChild(): FakeElement | null { return this.children[0] ?? null; }
  get lastElementChild(): FakeElement | null { return this.children[this.children.length - 1] ?? null; }
  get nextElementSibling(): FakeElement | null {
    const siblings = this.parent?.children ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  querySelector(tag: string): FakeElement | null {
    for (const c of this.children) { if (c.tagName === tag) return c; const d = c.querySelector(tag); if (d) return d; }
    return null;
  }
  /** The markup, attributes in the order set. */
  serialize(): string {
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${v}"`).join('');
    return `<${this.tagName}${attrs}>${this.text}${this.children.map(c => c.serialize()).join('')}</${this.tagName}>`;
  }
  elements(): FakeElement[] { return [this, ...this.children.flatMap(c => c.elements())]; }
}

/** Makes `document.createElementNS` build {@link FakeElement}s. */
export function installFakeDocument(): void {
  (globalThis as { document?: unknown }).document = { createElementNS: (_ns: string, tag: string) => new FakeElement(tag) };
}
