// Every CLI command, in the order `stowage --help` lists them.
import type { Command } from '../command';
import { copyCommand } from './copy';
import { deleteCommand } from './delete';
import { discoverCommand } from './discover';
import { manifestCommand } from './manifest';
import { resolveCommand } from './resolve';
import { tagCommand } from './tag';
import { tagsCommand } from './tags';

export const COMMANDS: Command[] = [copyCommand, discoverCommand, manifestCommand, resolveCommand, tagCommand, tagsCommand, deleteCommand];
