import type { Command } from '../command';
import { connectivity } from './connectivity';
import { ipam } from './ipam';
import { objects } from './objects';

/** Every CLI command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [objects, connectivity, ipam];
