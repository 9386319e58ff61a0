import { UsageError } from '../args';
import type { Command } from '../command';
import { HELP_OPTION } from '../commonOptions';
import { completionScript, SHELLS, type Shell } from '../completion';
import { allCommands } from '.';

export const completionCommand: Command = {
  name: 'completion',
  subcommands: [...SHELLS],
  summary: 'print a shell completion script (bash, zsh or fish) for commands, options and their values',
  examples: [
    {
      does: "complete stowage's commands and options in bash",
      run: 'stowage completion bash > ~/.local/share/bash-completion/completions/stowage',
    },
  ],
  usage: 'stowage completion bash|zsh|fish   (e.g. source <(stowage completion bash))',
  options: [HELP_OPTION],
  arity: [1, 1],
  run({ io, args }) {
    const shell = args.positionals[0]!;
    if (!(SHELLS as readonly string[]).includes(shell))
      return Promise.reject(new UsageError(`completion takes ${SHELLS.join(', ')}, not "${shell}"`));
    // The table is read when the command runs: it lists this command too.
    io.out.write(completionScript(shell as Shell, allCommands()));
    return Promise.resolve(0);
  },
};
