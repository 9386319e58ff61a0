// ORAS's `repo ls <registry>[/namespace]` and `repo tags <name>`: the same listings as `repos` and `tags`, with
// ORAS's JSON shapes (`{"repositories": […]}`, `{"tags": […]}`) where those print a bare list.
import { UsageError } from '../args';
import type { Command } from '../command';
import { OCI_LAYOUT_OPTION } from '../commonOptions';
import { listRepositories, reposCommand } from './repos';
import { listTags, TAG_LISTING_OPTIONS } from './tags';

export const repoCommand: Command = {
  name: 'repo',
  subcommands: ['ls', 'list', 'tags', 'show-tags'],
  summary: 'list the repositories of a registry (repo ls) or the tags of a repository (repo tags), as ORAS does',
  examples: [
    { does: 'list the repositories of a registry', run: 'stowage repo ls localhost:5000' },
    { does: 'list the tags of a repository', run: 'stowage repo tags localhost:5000/team/app' },
  ],
  usage: `stowage repo ls <registry>[/namespace] [--last name] [--format text|json]
       stowage repo tags <name>[:tag|@digest] [--last tag] [--exclude-digest-tags] [--format text|json]`,
  // --last is one option with either meaning (the repository's or the tag's); the tag flags come with it.
  options: [...reposCommand.options, ...TAG_LISTING_OPTIONS.filter((o) => o.name !== 'last'), OCI_LAYOUT_OPTION],
  arity: [2, 2],
  run(context) {
    const [verb, target] = context.args.positionals as [string, string];
    const args = { ...context.args, positionals: [target] };
    if (verb === 'ls' || verb === 'list')
      return listRepositories({ ...context, args }, (repositories) => ({ repositories }));
    if (verb === 'tags' || verb === 'show-tags') return listTags({ ...context, args }, (tags) => ({ tags }));
    return Promise.reject(new UsageError(`unknown subcommand "repo ${verb}" (ls, tags)`));
  },
};
