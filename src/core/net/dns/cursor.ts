/** The DNS reference under a cursor: what the DNS hover and Go to Definition both start from. */
import type { Span } from '../../span';
import type { Workspace } from '../../workspace';
import { dnsReferencesInFile, type DnsReference } from './references';

/** The reference whose host or port span contains `offset` (end inclusive, as a cursor after the word). */
export function referenceAt(ws: Workspace, file: string, offset: number): DnsReference | undefined {
  const inside = (s: Span | undefined) => !!s && offset >= s.start && offset <= s.end;
  return dnsReferencesInFile(ws, file).find(r => inside(r.span) || inside(r.portSpan));
}
