/** The protocol of a port, as the API reads it: TCP unless written, and only TCP, UDP or SCTP. */
import type { Ranged } from '../../span';
import { at, str, type YDoc } from '../yaml';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export function protocolOf(doc: YDoc, node: unknown): Ranged<string> | undefined {
  return str(doc, at(doc, node, 'protocol'));
}

/** A protocol as written, upper-cased check only: Kubernetes accepts exactly TCP, UDP, SCTP. */
export function asProtocol(value: string | undefined): Protocol | undefined {
  if (value === undefined) return 'TCP';
  return value === 'TCP' || value === 'UDP' || value === 'SCTP' ? value : undefined;
}
