import { copy } from '../../core/graph';
import { COMMON_OPTIONS } from '../session';
import { sideOptions } from '../sideOptions';
import { print, printError, printJson, type Command } from '../command';
import { progressReporter } from '../progress';

export const copyCommand: Command = {
  name: 'copy',
  aliases: ['cp'],
  summary: 'copy an artifact (and with -r its referrers) between registries and layouts',
  usage: 'stowage copy <source-reference> <destination-reference> [-r]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'recursive',
      short: 'r',
      type: 'boolean',
      description: 'also copy referrers (signatures, SBOMs…), recursively',
    },
    { name: 'from-oci-layout', type: 'boolean', description: 'the source is an OCI image layout folder (ORAS)' },
    { name: 'to-oci-layout', type: 'boolean', description: 'the destination is an OCI image layout folder (ORAS)' },
    ...sideOptions('from', COMMON_OPTIONS),
    ...sideOptions('to', COMMON_OPTIONS),
    {
      name: 'format',
      type: 'string',
      choices: ['text', 'json'],
      description: 'text or json (the copied descriptor and counts)',
    },
  ],
  arity: [2, 2],
  async run({ io, args, session, signal }) {
    const [srcRef, dstRef] = args.positionals as [string, string];
    const source = await session.openManifest(srcRef, { layout: !!args.options['from-oci-layout'], side: 'from' });
    const destination = await session.open(dstRef, {
      create: true,
      layout: !!args.options['to-oci-layout'],
      side: 'to',
    });
    const tag = destination.reference.tag ?? (source.reference.digest ? undefined : source.reference.tag);
    const progress = progressReporter(io, 'copying');
    try {
      const result = await copy(source.target, source.tagOrDigest, destination.target, {
        tag,
        referrers: !!args.options['recursive'],
        concurrency: session.concurrency,
        onProgress: progress.onProgress,
        signal,
      });
      progress.done();
      for (const refused of result.refusedReferrers ?? [])
        printError(io, `warning: referrer ${refused.digest} of ${refused.subject} not copied: ${refused.reason}`);
      if (args.options['format'] === 'json') printJson(io, result);
      else
        print(io, [
          `copied ${result.descriptor.digest} to ${destination.target.location}${tag ? `:${tag}` : ''} (${result.progress.doneItems - result.progress.skippedItems} items copied, ${result.progress.skippedItems} already there)`,
          `Digest: ${result.descriptor.digest}`,
        ]);
    } finally {
      progress.done();
    }
    return 0;
  },
};
