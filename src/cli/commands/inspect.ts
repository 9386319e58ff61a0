// `stowage inspect`: skopeo's `inspect` habit (its flags and its JSON field names, so `jq .Digest`, `.Labels`,
// `.RepoTags` scripts keep working) for images and for every other OCI artifact, which skopeo refuses.
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { print, printError, printJson, type Command, type CommandContext } from '../command';
import { UsageError } from '../args';
import { OciError } from '../../core/oci';
import { inspectionLines, type InspectedManifest, type Inspection } from '../../core/supplyChain';
import { writeBlobTo } from '../blobOutput';
import type { Target } from '../../core/content';
import { PLATFORM_OPTION } from '../platform';
import { printContent } from '../terminalGuard';
import { inspectReference, openInspected } from '../inspected';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show what a reference names: kind, digest, platform, created, labels, layers, tags (as skopeo inspect)',
  examples: [
    { does: 'show what a tag names', run: 'stowage inspect localhost:5000/team/app:v1' },
    {
      does: 'print the manifest of a tag in a layout as it is stored',
      run: 'stowage inspect --raw oci:./app-layout:v1',
    },
  ],
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
    formatOption('json: skopeo inspect’s fields (Name, Digest, RepoTags, Created, Labels, Layers…) and the artifact’s'),
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
    const { target, inspection } = await inspectReference(
      context,
      args.positionals[0]!,
      !args.options['no-tags'] && !args.options['config'],
    );
    if (inspection.tagsRefused)
      printError(context.io, `stowage inspect: tags not listed: ${inspection.tagsRefused} (--no-tags does not ask)`);
    if (args.options['config']) return printConfig(context, target, inspection);
    if (args.options['format'] === 'json') printJson(context.io, skopeoShape(inspection));
    else print(context.io, inspectionLines(inspection));
    return 0;
  },
};

async function printRaw(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  if (args.options['platform']) throw new UsageError('--raw prints what the reference names: drop --platform');
  const { target, tagOrDigest } = await openInspected(context, args.positionals[0]!);
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
  // An image config was read (verified) for the inspection already: printed from there, not fetched again.
  const read = inspection.manifest?.configBytes;
  if (read) await printContent(io.out, read, `the config ${config.digest}`, false);
  else await writeBlobTo(io, target, config, '-', signal, `the config ${config.digest}`);
  return 0;
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
