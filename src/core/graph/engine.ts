/**
 * The graph's adapters to the other analyses. The policy engine and the DNS resolver are wired here
 * and nowhere else in the graph code.
 */
import type { GraphSources } from './sources';

/** The sources {@link buildGraph} uses unless told otherwise. */
export const DEFAULT_SOURCES: GraphSources = {};
