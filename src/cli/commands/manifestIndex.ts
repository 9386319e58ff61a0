// `manifest index create|update`: an image index over manifests of one repository or layout, each entry with
// the platform its image config names (as ORAS records it), pushed under the reference's tags.
import { digestOf, readSmallBlob, writeFileAtomic, type Target } from '../../core/content';
import { isIndex, isTag, MediaType, type Descriptor, type ImageIndex, type Platform } from '../../core/oci';
import { UsageError } from '../args';
import { print, printJson, type CommandContext } from '../command';
import { parseAnnotationArgs, splitTagList } from '../fileArgs';
import { printPushed, referenced, storeLabel } from '../orasOutput';

const MAX_CONFIG_BYTES = 1024 * 1024;
const IMAGE_CONFIGS: readonly string[] = [MediaType.ociConfig, MediaType.dockerConfig];

export async function createIndex(context: CommandContext, refArg: string, sources: string[]): Promise<number> {
  const { args, session, signal } = context;
  const { reference: ref, moreTags } = splitTagList(refArg);
  const opened = await session.open(ref, { create: !args.options['output'] });
  const manifests: Descriptor[] = [];
  for (const source of sources) manifests.push(await indexEntry(opened.target, source, signal));
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  const artifactType = args.options['artifact-type'] as string | undefined;
  if (artifactType) index.artifactType = artifactType;
  const annotations = parseAnnotationArgs(args.options['annotation'] as string[] | undefined);
  if (Object.keys(annotations).length) index.annotations = annotations;
  const tags = [...(opened.reference.tag ? [opened.reference.tag] : []), ...moreTags, ...extraTags(context)];
  return pushIndex(context, opened, index, tags, 'Pushed');
}

/**
 * ORAS's `manifest index update`: --remove (tags or digests, each must be in the index), then --add manifests,
 * then --merge the entries of other indexes; -a sets annotations. The tags given with the reference (and
 * --tag) move to the new index; other tags of the old one stay where they are.
 */
export async function updateIndex(context: CommandContext, refArg: string): Promise<number> {
  const { args, io, session, signal } = context;
  const list = (name: string) => (args.options[name] as string[] | undefined) ?? [];
  if (!['add', 'remove', 'merge', 'annotation'].some((name) => list(name).length)) {
    print(io, 'Nothing to update as no change is requested');
    return 0;
  }
  const { reference: ref, moreTags } = splitTagList(refArg);
  const opened = await session.openManifest(ref);
  const { target } = opened;
  const fetched = await target.fetchManifest(opened.tagOrDigest, { signal });
  if (!isIndex(fetched.manifest)) throw new UsageError(`${ref} names a manifest, not an index`);
  let manifests = fetched.manifest.manifests;
  for (const gone of list('remove')) {
    const digest = (await target.resolve(gone, { signal })).digest;
    if (!manifests.some((m) => m.digest === digest))
      throw new UsageError(`${gone} (${digest}) is not in the index ${ref}; nothing changed`);
    manifests = manifests.filter((m) => m.digest !== digest);
  }
  for (const source of list('add')) manifests.push(await indexEntry(target, source, signal));
  for (const other of list('merge')) {
    const merged = await target.fetchManifest(other, { signal });
    if (!isIndex(merged.manifest)) throw new UsageError(`--merge ${other} names a manifest, not an index`);
    manifests.push(...merged.manifest.manifests);
  }
  const annotations = { ...fetched.manifest.annotations, ...parseAnnotationArgs(list('annotation')) };
  const index: ImageIndex = {
    ...fetched.manifest,
    manifests,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  const own = opened.reference.tag && !opened.reference.digest ? [opened.reference.tag] : [];
  return pushIndex(context, opened, index, [...own, ...moreTags, ...extraTags(context)], 'Updated');
}

/** --tag, repeatable: more tags for the new index (not with --output, which pushes nothing). */
function extraTags({ args }: CommandContext): string[] {
  const tags = (args.options['tag'] as string[] | undefined) ?? [];
  if (tags.length && args.options['output'] !== undefined)
    throw new UsageError('--tag and --output cannot be used together: --output pushes nothing');
  const bad = tags.find((t) => !isTag(t));
  if (bad !== undefined) throw new UsageError(`--tag "${bad}" is not a valid tag`);
  return tags;
}

/**
 * Pushes the index under its tags, or with --output only writes it (to a file, or "-" for standard output,
 * indented with --pretty) and pushes nothing, as ORAS does.
 */
async function pushIndex(
  context: CommandContext,
  opened: Awaited<ReturnType<CommandContext['session']['open']>>,
  index: ImageIndex,
  tags: string[],
  verb: string,
): Promise<number> {
  const { args, io, signal } = context;
  const bytes = Buffer.from(JSON.stringify(index));
  const descriptor: Descriptor = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
  if (index.artifactType) descriptor.artifactType = index.artifactType;
  const output = args.options['output'] as string | undefined;
  if (output === '-') {
    io.out.write(args.options['pretty'] ? `${JSON.stringify(index, null, 2)}\n` : bytes);
    return 0;
  }
  if (output) {
    await writeFileAtomic(output, bytes);
    if (args.options['format'] === 'json') printJson(io, descriptor);
    else print(io, [`Wrote ${output} (not pushed)`, `Digest: ${descriptor.digest}`]);
    return 0;
  }
  await opened.target.pushManifest(descriptor, bytes, { tag: tags[0], signal });
  for (const tag of tags.slice(1)) await opened.target.tag(descriptor, tag, { signal });
  const location = opened.target.location;
  if (args.options['format'] === 'json') printJson(io, referenced(location, descriptor));
  else
    printPushed(
      io,
      `${verb} ${storeLabel(opened)}`,
      `${location}${tags.length ? `:${tags.join(',')}` : `@${descriptor.digest}`}`,
      descriptor,
    );
  return 0;
}

/** The index entry for a manifest given by tag or digest: its descriptor, with the platform of its image config. */
async function indexEntry(target: Target, source: string, signal: AbortSignal): Promise<Descriptor> {
  const fetched = await target.fetchManifest(source, { signal });
  if (isIndex(fetched.manifest)) return fetched.descriptor;
  const config = fetched.manifest.config;
  if (!config || !IMAGE_CONFIGS.includes(config.mediaType) || config.size > MAX_CONFIG_BYTES) return fetched.descriptor;
  const bytes = await readSmallBlob(target, config, signal, MAX_CONFIG_BYTES);
  let parsed: Partial<Platform>;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as Partial<Platform>;
  } catch {
    return fetched.descriptor;
  }
  if (typeof parsed.os !== 'string' || typeof parsed.architecture !== 'string') return fetched.descriptor;
  const platform: Platform = { architecture: parsed.architecture, os: parsed.os };
  if (typeof parsed.variant === 'string') platform.variant = parsed.variant;
  if (typeof parsed['os.version'] === 'string') platform['os.version'] = parsed['os.version'];
  return { ...fetched.descriptor, platform };
}
