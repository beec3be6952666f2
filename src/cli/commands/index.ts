import type { Command } from '../command';
import { check } from './check';
import { ipam } from './ipam';
import { objects } from './objects';

/** Every CLI command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [check, objects, ipam];
