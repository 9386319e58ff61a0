import { COMMON_OPTIONS } from '../session';
import { print, printJson, type Command } from '../command';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'print the digest a reference names',
  usage: 'stowage resolve <reference> [--format text|json]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'format',
      type: 'string',
      choices: ['text', 'json'],
      description: 'text (the digest) or json (the descriptor)',
    },
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const descriptor = await target.resolve(tagOrDigest, { signal });
    if (args.options['format'] === 'json') printJson(io, descriptor);
    else print(io, descriptor.digest);
    return 0;
  },
};
