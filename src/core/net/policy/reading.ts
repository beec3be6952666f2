import type { IPBlockReading } from './model';

/** One sentence naming how the ipBlock reading in force treats pods. */
export function readingSentence(reading: IPBlockReading): string {
  return reading === 'external'
    ? 'ipBlock reading: external (an ipBlock matches only addresses outside the cluster, never a pod)'
    : 'ipBlock reading: all (an ipBlock also matches pods whose addresses may fall inside it)';
}
