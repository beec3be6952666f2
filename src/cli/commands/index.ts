import type { Command } from '../command';
import { check } from './check';
import { connectivity } from './connectivity';
import { diff } from './diff';
import { ipam } from './ipam';
import { objects } from './objects';
import { resolve } from './resolve';

/** Every CLI command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [check, connectivity, diff, resolve, ipam, objects];
