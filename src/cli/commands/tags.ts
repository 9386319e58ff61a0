import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { print, printError, printJson, type Command, type CommandContext } from '../command';
import { createLimiter, type ReadOnlyTarget } from '../../core/content';
import { NotFoundError } from '../../core/oci';
import type { OptionSpec } from '../args';
import { isReferrerTag } from '../../core/graph';

/** ORAS's tag listing flags (`repo tags` shares them). */
export const TAG_LISTING_OPTIONS: OptionSpec[] = [
  { name: 'last', type: 'string', valueName: 'tag', description: 'start after this tag (lexical order, as ORAS)' },
  {
    name: 'exclude-digest-tags',
    type: 'boolean',
    description: 'leave out tags that name a digest (sha256-…: cosign signatures, fallback referrer indexes)',
  },
];

export const tagsCommand: Command = {
  name: 'tags',
  summary: 'list the tags of a repository or layout',
  examples: [
    { does: 'list the tags of a repository', run: 'stowage tags localhost:5000/team/app' },
    { does: 'list the tags of a layout folder', run: 'stowage tags oci:./app-layout' },
  ],
  usage: 'stowage tags <repository|oci:path>[:tag|@digest] [--last tag] [--exclude-digest-tags] [--format text|json]',
  options: [...COMMON_OPTIONS, ...TAG_LISTING_OPTIONS, formatOption('text (one per line) or json'), OCI_LAYOUT_OPTION],
  arity: [1, 1],
  run: (context) => listTags(context, (tags) => tags),
};

/**
 * The tags of a repository or layout; with a tag or digest in the reference (ORAS's `repo tags hello:latest`),
 * only the tags naming the same manifest. `asJson` shapes --format json (`tags`: a list; `repo tags`: ORAS's
 * `{"tags": […]}`).
 */
export async function listTags(
  { io, args, session, signal }: CommandContext,
  asJson: (tags: string[]) => unknown,
): Promise<number> {
  const opened = await session.open(args.positionals[0]!);
  const { target } = opened;
  const named = opened.tagOrDigest ? (await target.resolve(opened.tagOrDigest, { signal })).digest : undefined;
  // One lookup per tag: on a terminal, say so before a long repository keeps it busy (ORAS warns too).
  if (named && io.interactive) printError(io, `looking up which tags name ${named}: one request per tag`);
  const all: string[] = [];
  const startAfter = args.options['last'] as string | undefined;
  const withoutDigests = !!args.options['exclude-digest-tags'];
  for await (const listed of target.listTags({ signal, startAfter })) {
    let page = withoutDigests ? listed.filter((tag) => !isReferrerTag(tag)) : listed;
    if (named) page = await tagsNaming(target, page, named, signal);
    if (args.options['format'] === 'json') all.push(...page);
    // One write per page: a write per line cost about a second for 5,000 tags on a busy machine.
    else print(io, page);
  }
  if (args.options['format'] === 'json') printJson(io, asJson(all));
  return 0;
}

/** The tags of `page` that resolve to `digest`, in order (8 lookups at a time). */
async function tagsNaming(target: ReadOnlyTarget, page: string[], digest: string, signal: AbortSignal) {
  const limit = createLimiter(8);
  const hits = await Promise.all(
    // A tag removed since the listing names nothing.
    page.map((tag) =>
      limit(() =>
        target.resolve(tag, { signal }).then(
          (d) => d.digest === digest,
          (err: unknown) => {
            if (err instanceof NotFoundError) return false;
            throw err;
          },
        ),
      ),
    ),
  );
  return page.filter((_, i) => hits[i]);
}
