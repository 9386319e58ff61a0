// Commands whose first argument is a verb (`manifest fetch`, `blob push`, `completion bash`): the verb is checked
// before the arguments are counted, so `stowage manifest` and `stowage manifest fetc ref` say what is wrong
// ("needs one of …", "did you mean …?") instead of how many arguments were expected.
import { UsageError } from './args';
import type { Command } from './command';
import { didYouMean } from './suggest';

export function checkVerb(command: Command, positionals: readonly string[]): void {
  const verbs = command.subcommands;
  if (!verbs?.length) return;
  const verb = positionals[0];
  const list = verbs.join(', ');
  if (verb === undefined) throw new UsageError(`${command.name} needs one of: ${list}`);
  if (verbs.includes(verb) || command.subcommandAliases?.includes(verb)) return;
  // As an option with choices says it: "--format takes text, json, not "yaml"".
  throw new UsageError(`${command.name} takes ${list}, not "${verb}"${didYouMean(verb, verbs)}`);
}
