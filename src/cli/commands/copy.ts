import { copy, describeReferrersLeft } from '../../core/graph';
import { COMMON_OPTIONS, formatOption } from '../commonOptions';
import { sideOptions } from '../sideOptions';
import { splitTagList } from '../fileArgs';
import { PLATFORM_OPTION, resolvePlatform } from '../platform';
import { distributionSpecOf, distributionSpecOption, referrersReadFrom } from '../distributionSpec';
import { print, printError, printJson, type Command } from '../command';
import { progressReporter } from '../progress';
import { counted } from '../../core/oci';
import type { OpenedTarget } from '../../core/open';
import { storeLabel } from '../orasOutput';
import { UsageError, type OptionSpec, type ParsedArgs } from '../args';
import { shellWord } from '../hintFlags';
import { asksForAllTags, copyRepository, MIRROR_OPTIONS } from '../repositoryCopy';
import { DRY_RUN_OPTION, TAGS_OPTION } from '../tagTransfer';

export const copyCommand: Command = {
  name: 'copy',
  aliases: ['cp'],
  summary:
    'copy an artifact (and with -r its referrers) between registries and layouts; with --all-tags or --tags, a repository’s tags (a mirror)',
  examples: [
    {
      does: 'copy an artifact into a layout folder',
      run: 'stowage copy localhost:5000/team/app:v1 oci:./app-layout:v1',
    },
    {
      does: 'copy it with its signatures and SBOMs to another registry',
      run: 'stowage copy -r localhost:5000/team/app:v1 registry.example.com/mirror/app:v1',
    },
    {
      does: 'mirror every tag of a repository, going on past a failing tag',
      run: 'stowage copy --all-tags --keep-going localhost:5000/team/app registry.example.com/mirror/app',
    },
  ],
  usage:
    'stowage copy <source-reference> <destination-reference>[:tag[,tag…]] [-r] [--platform os/arch]\n       stowage copy --all-tags|--tags <glob> <source-repository> <destination-repository> [-r] [--dry-run] [--keep-going] [-n] [--force-recursive]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'recursive',
      short: 'r',
      type: 'boolean',
      description: 'also copy referrers (signatures, SBOMs…), recursively',
    },
    {
      name: 'all-tags',
      short: 'a',
      type: 'boolean',
      description:
        'copy every tag of the source repository (not referrer tags) into the destination repository, as crane copy --all-tags; a rerun moves only what changed; each tag is looked up at both ends --concurrency tags ahead',
    },
    {
      ...TAGS_OPTION,
      description:
        'copy the source repository’s tags matching this pattern (* and ?; repeatable or comma-separated); implies --all-tags',
    },
    { ...DRY_RUN_OPTION, description: 'with --all-tags or --tags: list what would move, and move nothing' },
    ...MIRROR_OPTIONS,
    {
      ...PLATFORM_OPTION,
      description: 'copy only this platform’s manifest when the source names an index (tagged as the index would be)',
    },
    { name: 'from-oci-layout', type: 'boolean', description: 'the source is an OCI image layout folder (ORAS)' },
    { name: 'to-oci-layout', type: 'boolean', description: 'the destination is an OCI image layout folder (ORAS)' },
    distributionSpecOption(
      'with -r, read the source’s referrers from the referrers API or the fallback tag only (default: both, and cosign tags)',
      'from-distribution-spec',
    ),
    distributionSpecOption(
      'with -r: v1.1-referrers-tag lists each referrer in the destination’s fallback tag even where its referrers API indexed it; v1.1-referrers-api requires the API',
      'to-distribution-spec',
    ),
    ...sideOptions('from', COMMON_OPTIONS),
    ...sideOptions('to', COMMON_OPTIONS),
    ...(['from', 'to'] as const).map((side): OptionSpec => ({
      name: `${side}-registry-config`,
      type: 'strings',
      valueName: 'file',
      description: 'ORAS’s flag; refused: one --registry-config file (repeatable) holds both registries’ logins',
    })),
    formatOption('text or json (the copied descriptor and counts; with --all-tags, the summary)'),
  ],
  arity: [2, 2],
  async run(context) {
    const { io, args, session, signal } = context;
    const [srcRef, dstArg] = args.positionals as [string, string];
    refuseSideRegistryConfig(args.options);
    if (asksForAllTags(args.options)) {
      if (args.options['platform'] !== undefined)
        throw new UsageError('--platform picks a manifest of one artifact; drop it with --all-tags or --tags');
      return copyRepository(context, srcRef, dstArg);
    }
    for (const flag of ['dry-run', ...MIRROR_OPTIONS.map((o) => o.name)])
      if (args.options[flag])
        throw new UsageError(`--${flag} is for a repository copy: add --all-tags (or --tags <glob>)`);
    // ORAS's `dst:tag1,tag2,tag3`: copied under the first tag, then tagged with the others.
    const { reference: dstRef, moreTags } = splitTagList(dstArg);
    const source = await session.openManifest(srcRef, { layout: !!args.options['from-oci-layout'], side: 'from' });
    const destination = await session.open(dstRef, {
      create: true,
      layout: !!args.options['to-oci-layout'],
      side: 'to',
    });
    const tag = destination.reference.tag ?? (source.reference.digest ? undefined : source.reference.tag);
    const from = await distributionSpecOf(args.options, source.target, signal, 'from-distribution-spec');
    const to = await distributionSpecOf(args.options, destination.target, signal, 'to-distribution-spec');
    const platform = args.options['platform'] as string | undefined;
    const root = platform
      ? await resolvePlatform(source.target, source.tagOrDigest, platform, signal)
      : source.tagOrDigest;
    const progress = progressReporter(io, 'copying');
    try {
      const result = await copy(source.target, root, destination.target, {
        tag,
        referrers: !!args.options['recursive'],
        referrersFrom: referrersReadFrom(from),
        fallbackTagAlways: to === 'v1.1-referrers-tag',
        concurrency: session.concurrency,
        onProgress: progress.onProgress,
        signal,
      });
      progress.done();
      for (const more of moreTags) await destination.target.tag(result.descriptor, more, { signal });
      printError(
        io,
        describeReferrersLeft(result).map((line) => `warning: ${line}`),
      );
      if (args.options['format'] === 'json') printJson(io, result);
      else
        // ORAS's line ("Copied [registry] a:v1 => [oci-layout] dir:v1"), with what moved and what was already there.
        print(io, [
          `Copied ${storeLabel(source)} ${named(source)} => ${storeLabel(destination)} ${destination.target.location}${tag ? `:${tag}` : ''} (${counted(result.progress.doneItems - result.progress.skippedItems, 'item')} copied, ${result.progress.skippedItems} already there)`,
          ...(moreTags.length ? [`Tagged ${moreTags.join(', ')}`] : []),
          `Digest: ${result.descriptor.digest}`,
        ]);
    } finally {
      progress.done();
    }
    return 0;
  },
};

/** Where the source is and the tag or digest it was named by: "127.0.0.1:5000/app:v1", "oci:/abs/dir@sha256:…". */
function named(source: OpenedTarget): string {
  const { reference, target } = source;
  if (reference.digest) return `${target.location}@${reference.digest}`;
  return reference.tag ? `${target.location}:${reference.tag}` : target.location;
}

/**
 * ORAS's --from-/--to-registry-config: Stowage reads logins by registry host, so the plain --registry-config (given
 * twice when they are in two files) serves both sides: named, as the command line to type.
 */
function refuseSideRegistryConfig(options: ParsedArgs['options']): void {
  const files = (['from', 'to'] as const).flatMap((side) => (options[`${side}-registry-config`] as string[]) ?? []);
  if (!files.length) return;
  throw new UsageError(
    `--from-registry-config and --to-registry-config are refused: logins are found by registry host, so pass each file as --registry-config (${files.map((f) => `--registry-config ${shellWord(f)}`).join(' ')}); a registry on both sides is one login`,
  );
}
