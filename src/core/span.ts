/** A half-open range of character offsets `[start, end)` into a file's text (UTF-16 units, as VS Code counts). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A value read from a manifest together with the span of the YAML node it came from. */
export interface Ranged<T> {
  readonly value: T;
  readonly span: Span;
}

/** Maps offsets to 0-based lines and columns for one text; built once per file. */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    // Kept at its size: the index keeps a line index per file, and a grown list has up to half again as much room.
    this.starts = starts.slice();
  }

  /** 0-based line and character of an offset (clamped to the text). */
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  /** Offset of a 0-based line's first character (clamped to the last line). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
