// `manifest index create|update`: an image index over manifests of one repository or layout, each entry with
// the platform its image config names (as ORAS records it), pushed under the reference's tags.
import { digestOf, readSmallBlob, writeFileAtomic, type Target } from '../../core/content';
import { isIndex, MediaType, type Descriptor, type ImageIndex, type Platform } from '../../core/oci';
import { UsageError } from '../args';
import { printJson, type CommandContext } from '../command';
import { parseAnnotationArgs, splitTagList } from '../fileArgs';
import { printPushed, referenced, storeLabel } from '../orasOutput';

const MAX_CONFIG_BYTES = 1024 * 1024;
const IMAGE_CONFIGS: readonly string[] = [MediaType.ociConfig, MediaType.dockerConfig];

export async function createIndex(context: CommandContext, refArg: string, sources: string[]): Promise<number> {
  const { args, session, signal } = context;
  const { reference: ref, moreTags } = splitTagList(refArg);
  const opened = await session.open(ref, { create: true });
  const manifests: Descriptor[] = [];
  for (const source of sources) manifests.push(await indexEntry(opened.target, source, signal));
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  const artifactType = args.options['artifact-type'] as string | undefined;
  if (artifactType) index.artifactType = artifactType;
  const annotations = parseAnnotationArgs(args.options['annotation'] as string[] | undefined);
  if (Object.keys(annotations).length) index.annotations = annotations;
  const tags = [...(opened.reference.tag ? [opened.reference.tag] : []), ...moreTags];
  return pushIndex(context, opened, index, tags, 'Pushed');
}

export async function updateIndex(context: CommandContext, refArg: string): Promise<number> {
  const { args, session, signal } = context;
  const { reference: ref, moreTags } = splitTagList(refArg);
  const opened = await session.openManifest(ref);
  const { target } = opened;
  const fetched = await target.fetchManifest(opened.tagOrDigest, { signal });
  if (!isIndex(fetched.manifest)) throw new UsageError(`${ref} names a manifest, not an index`);
  // --remove takes tags and digests, as --add does.
  const remove = new Set<string>();
  for (const gone of (args.options['remove'] as string[] | undefined) ?? [])
    remove.add((await target.resolve(gone, { signal })).digest);
  const manifests = fetched.manifest.manifests.filter((m) => !remove.has(m.digest));
  for (const source of (args.options['add'] as string[] | undefined) ?? [])
    manifests.push(await indexEntry(target, source, signal));
  const annotations = {
    ...fetched.manifest.annotations,
    ...parseAnnotationArgs(args.options['annotation'] as string[] | undefined),
  };
  const index: ImageIndex = {
    ...fetched.manifest,
    manifests,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  const tags = [...(opened.reference.tag && !opened.reference.digest ? [opened.reference.tag] : []), ...moreTags];
  return pushIndex(context, opened, index, tags, 'Updated');
}

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
  await opened.target.pushManifest(descriptor, bytes, { tag: tags[0], signal });
  for (const tag of tags.slice(1)) await opened.target.tag(descriptor, tag, { signal });
  const output = args.options['output'] as string | undefined;
  if (output === '-') io.out.write(`${JSON.stringify(index, null, 2)}\n`);
  else if (output) await writeFileAtomic(output, bytes);
  const location = opened.target.location;
  if (args.options['format'] === 'json') printJson(io, referenced(location, descriptor));
  else if (output !== '-')
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
