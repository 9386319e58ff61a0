// `stowage inspect`: skopeo's `inspect` habit (its flags and its JSON field names, so `jq .Digest`, `.Labels`,
// `.RepoTags` scripts keep working) for images and for every other OCI artifact, which skopeo refuses.
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../commonOptions';
import { print, printError, printJson, type Command, type CommandContext } from '../command';
import { UsageError } from '../args';
import { formatBytes, OciError, platformText, titleOf, type Descriptor } from '../../core/oci';
import {
  inspectArtifact,
  type InspectedManifest,
  type Inspection,
  PlatformNotFoundError,
} from '../../core/supplyChain';
import { writeBlobTo } from '../blobOutput';
import type { Target } from '../../core/content';
import { hostPlatform, parsePlatform, PLATFORM_OPTION } from '../platform';
import { printContent } from '../terminalGuard';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show what a reference names: kind, digest, platform, created, labels, layers, tags (as skopeo inspect)',
  usage:
    'stowage inspect <reference>[:tag|@digest] [--platform os/arch] [--no-tags] [--format text|json] [--raw | --config]',
  options: [
    ...COMMON_OPTIONS,
    PLATFORM_OPTION,
    {
      name: 'no-tags',
      short: 'n',
      type: 'boolean',
      description: 'do not list the repository’s tags (one request or more each time on a registry)',
    },
    {
      name: 'format',
      type: 'string',
      choices: ['text', 'json'],
      description:
        'json: skopeo inspect’s fields (Name, Digest, RepoTags, Created, Labels, Layers…) and the artifact’s',
    },
    {
      name: 'raw',
      type: 'boolean',
      description: 'print the manifest (or index) as stored, as skopeo inspect --raw',
    },
    {
      name: 'config',
      type: 'boolean',
      description: 'print the config blob of the manifest (of an index: the platform’s), as skopeo inspect --config',
    },
    OCI_LAYOUT_OPTION,
  ],
  arity: [1, 1],
  async run(context) {
    const { args } = context;
    if (args.options['raw'] && args.options['config'])
      throw new UsageError('--raw and --config print different things: choose one');
    if ((args.options['raw'] || args.options['config']) && args.options['format'] !== undefined)
      throw new UsageError('--raw and --config print the stored bytes: --format does not apply');
    if (args.options['raw']) return printRaw(context);
    const { target, inspection } = await inspect(context, !args.options['no-tags'] && !args.options['config']);
    if (inspection.tagsRefused)
      printError(context.io, `stowage inspect: tags not listed: ${inspection.tagsRefused} (--no-tags does not ask)`);
    if (args.options['config']) return printConfig(context, target, inspection);
    if (args.options['format'] === 'json') printJson(context.io, skopeoShape(inspection));
    else print(context.io, textLines(inspection));
    return 0;
  },
};

async function inspect(context: CommandContext, tags: boolean): Promise<{ target: Target; inspection: Inspection }> {
  const { args, signal } = context;
  const { target, tagOrDigest } = await openInspected(context);
  const platform = args.options['platform'] as string | undefined;
  try {
    const inspection = await inspectArtifact(target, tagOrDigest, {
      ...(platform ? { platform: parsePlatform(platform) } : { preferred: hostPlatform() }),
      tags,
      signal,
    });
    return { target, inspection };
  } catch (err) {
    if (err instanceof PlatformNotFoundError) throw new UsageError(`${args.positionals[0]} has ${err.message}`);
    throw err;
  }
}

/** As skopeo inspect reads it: a reference naming no tag or digest names `latest`. */
async function openInspected({ args, session }: CommandContext): Promise<{ target: Target; tagOrDigest: string }> {
  const opened = await session.open(args.positionals[0]!);
  const tag = opened.reference.digest ? undefined : (opened.reference.tag ?? 'latest');
  // A tag that is not there is then explained with the tags that are.
  if (tag) session.tagged.push({ target: opened.target, tag });
  return { target: opened.target, tagOrDigest: opened.tagOrDigest ?? tag! };
}

async function printRaw(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  if (args.options['platform']) throw new UsageError('--raw prints what the reference names: drop --platform');
  const { target, tagOrDigest } = await openInspected(context);
  const fetched = await target.fetchManifest(tagOrDigest, { signal });
  await printContent(io.out, fetched.bytes, `the manifest ${fetched.descriptor.digest}`, false);
  return 0;
}

async function printConfig(context: CommandContext, target: Target, inspection: Inspection): Promise<number> {
  const { io, signal, args } = context;
  const config = inspection.manifest?.config;
  if (inspection.chosenIndex)
    throw new OciError(
      'USAGE',
      `${args.positionals[0]} names an index whose entry for the platform, ${inspection.chosenIndex.digest}, is an index itself: inspect that by its digest`,
    );
  if (!config)
    throw new OciError(
      'USAGE',
      `${args.positionals[0]} is an index with no manifest for this machine’s platform: it has no one config (pick a manifest with --platform os/arch)`,
    );
  await writeBlobTo(io, target, config, '-', signal, `the config ${config.digest}`);
  return 0;
}

/** Human-readable: one "Key: value" line per fact, lists indented below their key. */
function textLines(inspection: Inspection): string[] {
  const lines: string[] = [];
  const line = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`${`${key}:`.padEnd(15)}${value}`);
  };
  const list = (key: string, values: readonly string[] | undefined) => {
    if (!values?.length) return;
    lines.push(`${key}:`);
    for (const value of values) lines.push(`  ${value}`);
  };
  const { manifest, entries } = inspection;
  line('Name', inspection.name);
  line('Digest', inspection.descriptor.digest);
  line('Media type', `${inspection.descriptor.mediaType}, ${formatBytes(inspection.descriptor.size)}`);
  if (entries) {
    line('Artifact type', inspection.artifactType);
    list('Annotations', keyValues(inspection.annotations));
    list(
      `Manifests (${entries.length})`,
      entries.map((e) => `${platformText(e.platform) ?? e.artifactType ?? e.mediaType}  ${e.digest}`),
    );
    const why = inspection.chosenBy === 'preferred' ? 'this machine’s platform' : 'the platform asked for';
    if (inspection.chosenIndex)
      line('Manifest', `${inspection.chosenIndex.digest} (${why}) is an index itself: inspect it by its digest`);
    else if (!manifest) lines.push('(no manifest for this machine’s platform: --platform os/arch shows one)');
    else line('Manifest', `${manifest.descriptor.digest} (${why})`);
  }
  if (manifest) manifestLines(manifest, line, list, lines);
  if (inspection.tags) {
    const { tags, moreTags } = inspection;
    if (moreTags) lines.push(`Tags (${tags.length}+):`, ...tags.map((tag) => `  ${tag}`));
    else list(`Tags (${tags.length})`, tags);
    if (moreTags) lines.push(`  … and more (${tags.length ? `the first ${tags.length} listed` : 'none listed yet'})`);
  }
  return lines;
}

function manifestLines(
  manifest: InspectedManifest,
  line: (key: string, value: string | undefined) => void,
  list: (key: string, values: readonly string[] | undefined) => void,
  lines: string[],
): void {
  const image = manifest.image;
  // The artifact type has a line of its own.
  const details = manifest.details.filter((detail) => detail !== manifest.artifactType);
  line('Kind', [manifest.kindLabel, ...details].join(' · '));
  line('Artifact type', manifest.artifactType);
  line('Platform', platformText(image) ?? image?.os);
  line('Created', image?.created);
  line('Author', image?.author);
  line('Subject', manifest.subject && `${manifest.subject.digest} (${manifest.subject.mediaType})`);
  list('Annotations', keyValues(manifest.annotations));
  list('Labels', keyValues(image?.labels));
  list('Env', image?.env);
  line('Entrypoint', image?.entrypoint && JSON.stringify(image.entrypoint));
  line('Cmd', image?.cmd && JSON.stringify(image.cmd));
  line('WorkingDir', image?.workingDir);
  line('User', image?.user);
  line('Ports', image?.exposedPorts?.join(', '));
  line('Config', `${manifest.config.digest}, ${manifest.config.mediaType}, ${formatBytes(manifest.config.size)}`);
  const total = manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
  lines.push(`Layers (${manifest.layers.length}, ${formatBytes(total)}):`);
  manifest.layers.forEach((layer, i) => lines.push(`  ${i + 1}  ${layerText(layer)}`));
}

function layerText(layer: Descriptor): string {
  const title = titleOf(layer);
  return [layer.digest, formatBytes(layer.size), layer.mediaType, ...(title ? [title] : [])].join('  ');
}

function keyValues(map: Record<string, string> | undefined): string[] | undefined {
  return map && Object.entries(map).map(([key, value]) => `${key}=${value}`);
}

/**
 * skopeo inspect's JSON (field names and shapes as skopeo writes them for an image), then what skopeo has no
 * field for: the media type, artifact type, annotations, kind, an index's entries and the manifest chosen.
 */
function skopeoShape(inspection: Inspection): Record<string, unknown> {
  const { manifest } = inspection;
  const image = manifest?.image;
  return {
    Name: inspection.name,
    Digest: inspection.descriptor.digest,
    ...(inspection.tags ? { RepoTags: inspection.tags } : {}),
    ...(image?.created !== undefined ? { Created: image.created } : {}),
    DockerVersion: image?.dockerVersion ?? '',
    Labels: image?.labels ?? null,
    Architecture: image?.architecture ?? '',
    ...(image?.variant !== undefined ? { Variant: image.variant } : {}),
    Os: image?.os ?? '',
    Layers: manifest?.layers.map((layer) => layer.digest) ?? [],
    LayersData:
      manifest?.layers.map((layer) => ({
        MIMEType: layer.mediaType,
        Digest: layer.digest,
        Size: layer.size,
        Annotations: layer.annotations ?? null,
      })) ?? [],
    Env: image?.env ?? [],
    MediaType: inspection.descriptor.mediaType,
    ...(inspection.artifactType !== undefined ? { ArtifactType: inspection.artifactType } : {}),
    ...(inspection.annotations ? { Annotations: inspection.annotations } : {}),
    ...(inspection.entries ? { Manifests: inspection.entries } : {}),
    ...(inspection.moreTags ? { RepoTagsTruncated: true } : {}),
    ...(manifest ? { Manifest: manifestShape(manifest, !!inspection.entries) } : {}),
    ...(inspection.chosenIndex
      ? { Manifest: { Digest: inspection.chosenIndex.digest, MediaType: inspection.chosenIndex.mediaType } }
      : {}),
  };
}

function manifestShape(manifest: InspectedManifest, inIndex: boolean): Record<string, unknown> {
  return {
    ...(inIndex ? { Digest: manifest.descriptor.digest, MediaType: manifest.descriptor.mediaType } : {}),
    Kind: manifest.kindLabel,
    ...(manifest.details.length ? { Details: manifest.details } : {}),
    ...(manifest.artifactType !== undefined ? { ArtifactType: manifest.artifactType } : {}),
    ...(manifest.annotations ? { Annotations: manifest.annotations } : {}),
    Config: manifest.config,
    ...(manifest.subject ? { Subject: manifest.subject } : {}),
  };
}
