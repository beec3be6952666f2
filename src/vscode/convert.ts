/**
 * The one place where core offsets become editor ranges. Offsets are converted with the line index
 * of the text the core analysed, so files that are not open in an editor convert exactly too.
 */
import * as vscode from 'vscode';
import type { ManifestFile } from '../core/parse/manifest';
import type { LineIndex, Span } from '../core/span';

export function toRange(file: ManifestFile, span: Span): vscode.Range {
  return rangeIn(file.lines, span);
}

/** A span as a range, with the line index of the text it points into. */
export function rangeIn(lines: LineIndex, span: Span): vscode.Range {
  const a = lines.position(span.start);
  const b = lines.position(span.end);
  return new vscode.Range(a.line, a.character, b.line, b.character);
}

/** The offset of a position in the text the core analysed (the document's current text). */
export function toOffset(document: vscode.TextDocument, position: vscode.Position): number {
  return document.offsetAt(position);
}

/** Core file ids are URI strings. */
export function fileId(uri: vscode.Uri): string {
  return uri.toString();
}

export function toUri(file: string): vscode.Uri {
  return vscode.Uri.parse(file);
}
