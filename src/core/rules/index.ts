/** The rule catalogue, alphabetical by id. Each rule lives in `<id>.ts` with docs in docs/rules/<id>.md. */
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [];
