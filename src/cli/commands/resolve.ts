import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { PLATFORM_OPTION, resolvePlatform } from '../platform';
import { print, printJson, type Command } from '../command';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'print the digest a reference names',
  examples: [{ does: 'print the digest a tag names', run: 'stowage resolve localhost:5000/team/app:v1' }],
  usage: 'stowage resolve <reference> [--format text|json]',
  options: [
    ...COMMON_OPTIONS,
    formatOption('text (the digest) or json (the descriptor)'),
    {
      name: 'full-reference',
      short: 'l',
      type: 'boolean',
      description: 'print the full reference by digest (name@digest), as ORAS’s -l',
    },
    PLATFORM_OPTION,
    OCI_LAYOUT_OPTION,
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const descriptor = await resolvePlatform(
      target,
      tagOrDigest,
      args.options['platform'] as string | undefined,
      signal,
    );
    if (args.options['format'] === 'json') printJson(io, descriptor);
    else print(io, args.options['full-reference'] ? `${target.location}@${descriptor.digest}` : descriptor.digest);
    return 0;
  },
};
