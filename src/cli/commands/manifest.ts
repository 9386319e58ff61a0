import { UsageError } from '../args';
import { COMMON_OPTIONS } from '../session';
import { printJson, type Command } from '../command';

export const manifestCommand: Command = {
  name: 'manifest',
  summary: 'fetch a manifest or index (raw bytes as stored, or pretty JSON)',
  usage: 'stowage manifest fetch <reference> [--pretty] [--descriptor]',
  options: [
    ...COMMON_OPTIONS,
    { name: 'pretty', type: 'boolean', description: 'indent the JSON (the raw bytes are printed otherwise)' },
    { name: 'descriptor', type: 'boolean', description: 'print the manifest’s descriptor instead' },
  ],
  arity: [2, 2],
  async run({ io, args, session, signal }) {
    const [verb, ref] = args.positionals as [string, string];
    if (verb !== 'fetch') throw new UsageError(`unknown subcommand "manifest ${verb}" (try "manifest fetch")`);
    const { target, tagOrDigest } = await session.openManifest(ref);
    const fetched = await target.fetchManifest(tagOrDigest, { signal });
    if (args.options['descriptor']) printJson(io, fetched.descriptor);
    else if (args.options['pretty']) printJson(io, fetched.manifest);
    else io.out.write(fetched.bytes);
    return 0;
  },
};
