// Every CLI command, in the order `stowage --help` lists them.
import type { Command } from '../command';
import { attachCommand } from './attach';
import { blobCommand } from './blob';
import { completionCommand } from './completion';
import { backupCommand } from './backup';
import { copyCommand } from './copy';
import { deleteCommand } from './delete';
import { discoverCommand } from './discover';
import { filesCommand } from './files';
import { gcCommand } from './gc';
import { inspectCommand } from './inspect';
import { keyCommand } from './key';
import { lintCommand } from './lint';
import { loginCommand, logoutCommand } from './login';
import { manifestCommand } from './manifest';
import { repoCommand } from './repo';
import { reposCommand } from './repos';
import { referrersCommand } from './referrers';
import { pullCommand } from './pull';
import { pushCommand } from './push';
import { resolveCommand } from './resolve';
import { restoreCommand } from './restore';
import { sbomCommand } from './sbom';
import { signCommand } from './sign';
import { tagCommand } from './tag';
import { tagsCommand } from './tags';
import { verifyCommand } from './verify';

export const COMMANDS: Command[] = [
  pushCommand,
  pullCommand,
  attachCommand,
  copyCommand,
  backupCommand,
  restoreCommand,
  discoverCommand,
  referrersCommand,
  signCommand,
  verifyCommand,
  sbomCommand,
  keyCommand,
  manifestCommand,
  blobCommand,
  filesCommand,
  inspectCommand,
  resolveCommand,
  tagCommand,
  tagsCommand,
  reposCommand,
  repoCommand,
  deleteCommand,
  gcCommand,
  lintCommand,
  loginCommand,
  logoutCommand,
  completionCommand,
];
