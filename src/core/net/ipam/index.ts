/** The cluster address plan: the plan itself, its problems, and the facts about one value. */
export * from './plan';
export * from './problems';
export * from './facts';
export * from './warnings';
