// Every CLI command, in the order `stowage --help` lists them. A command's module (and the engine code only it
// uses) is loaded when that command runs: evaluating all of them cost every start-up ~10 ms (README Performance).
// Its name and aliases are here too, so a command line finds its command without loading the others.
import type { Command } from '../command';

interface CommandEntry {
  name: string;
  /** The command's own `aliases`, repeated (a unit test holds them equal). */
  aliases?: string[];
  load(): Command;
}

export const COMMAND_ENTRIES: readonly CommandEntry[] = [
  { name: 'push', load: () => (require('./push') as typeof import('./push')).pushCommand },
  { name: 'pull', load: () => (require('./pull') as typeof import('./pull')).pullCommand },
  { name: 'attach', load: () => (require('./attach') as typeof import('./attach')).attachCommand },
  { name: 'copy', aliases: ['cp'], load: () => (require('./copy') as typeof import('./copy')).copyCommand },
  { name: 'backup', load: () => (require('./backup') as typeof import('./backup')).backupCommand },
  { name: 'restore', load: () => (require('./restore') as typeof import('./restore')).restoreCommand },
  { name: 'discover', load: () => (require('./discover') as typeof import('./discover')).discoverCommand },
  { name: 'referrers', load: () => (require('./referrers') as typeof import('./referrers')).referrersCommand },
  { name: 'sign', load: () => (require('./sign') as typeof import('./sign')).signCommand },
  { name: 'verify', load: () => (require('./verify') as typeof import('./verify')).verifyCommand },
  { name: 'sbom', load: () => (require('./sbom') as typeof import('./sbom')).sbomCommand },
  { name: 'key', load: () => (require('./key') as typeof import('./key')).keyCommand },
  { name: 'manifest', load: () => (require('./manifest') as typeof import('./manifest')).manifestCommand },
  { name: 'blob', load: () => (require('./blob') as typeof import('./blob')).blobCommand },
  { name: 'files', load: () => (require('./files') as typeof import('./files')).filesCommand },
  { name: 'inspect', load: () => (require('./inspect') as typeof import('./inspect')).inspectCommand },
  { name: 'diff', load: () => (require('./diff') as typeof import('./diff')).diffCommand },
  { name: 'resolve', load: () => (require('./resolve') as typeof import('./resolve')).resolveCommand },
  { name: 'tag', load: () => (require('./tag') as typeof import('./tag')).tagCommand },
  { name: 'tags', load: () => (require('./tags') as typeof import('./tags')).tagsCommand },
  { name: 'repos', load: () => (require('./repos') as typeof import('./repos')).reposCommand },
  { name: 'repo', load: () => (require('./repo') as typeof import('./repo')).repoCommand },
  { name: 'delete', load: () => (require('./delete') as typeof import('./delete')).deleteCommand },
  { name: 'gc', load: () => (require('./gc') as typeof import('./gc')).gcCommand },
  { name: 'lint', load: () => (require('./lint') as typeof import('./lint')).lintCommand },
  { name: 'login', load: () => (require('./login') as typeof import('./login')).loginCommand },
  { name: 'logout', load: () => (require('./login') as typeof import('./login')).logoutCommand },
  { name: 'completion', load: () => (require('./completion') as typeof import('./completion')).completionCommand },
  { name: 'version', load: () => (require('./version') as typeof import('./version')).versionCommand },
];

/** Every name a command line may start with. */
export function commandNames(): string[] {
  return COMMAND_ENTRIES.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
}

/** The command `name` (or one of its aliases) runs, loaded; undefined for no command. */
export function findCommand(name: string): Command | undefined {
  return COMMAND_ENTRIES.find((c) => c.name === name || c.aliases?.includes(name))?.load();
}

/** Every command, loaded (the full help, completion scripts). */
export function allCommands(): Command[] {
  return COMMAND_ENTRIES.map((c) => c.load());
}
