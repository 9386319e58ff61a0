import { creationTime } from '../creationTime';
import {
  pushArtifact,
  assertFolderPackable,
  assertMediaType,
  createdAnnotation,
  configFromFile,
  findSensitiveFiles,
  SensitiveFilesError,
  UNKNOWN_CONFIG_TYPE,
  DEFAULT_ARTIFACT_TYPE,
  platformConfig,
  type ImageSpecVersion,
  type SensitiveFilesCheck,
} from '../../core/files';
import { parsePlatform } from '../platform';
import { pushHelm } from './pushHelm';
import { stat } from 'node:fs/promises';
import { UsageError } from '../args';
import { printJson, type Command, type CommandContext } from '../command';
import {
  assertInputsExist,
  assertOptionFile,
  assertOutputFile,
  parseAnnotationArgs,
  parseFileArg,
  readAnnotationFile,
  splitTagList,
  titleOfInput,
} from '../fileArgs';
import { referenced, printPushed, storeLabel } from '../orasOutput';
import { progressReporter } from '../progress';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, OCI_LAYOUT_PATH_OPTION, formatOption } from '../commonOptions';
import { layoutPathInput } from '../session';
import { OciError, type Descriptor } from '../../core/oci';
import { writeFileAtomic, type Target } from '../../core/content';

export const ARTIFACT_OPTIONS = [
  {
    name: 'artifact-type',
    type: 'string',
    valueName: 'type',
    description: 'the artifact type (default application/vnd.unknown.artifact.v1)',
  },
  {
    name: 'annotation',
    short: 'a',
    type: 'strings',
    valueName: 'key=value',
    description: 'a manifest annotation (repeatable)',
  },
  {
    name: 'annotation-file',
    type: 'string',
    valueName: 'file',
    description: 'JSON: {"$manifest": {...}, "<file>": {...}}',
  },
  {
    name: 'created',
    type: 'string',
    valueName: 'time',
    description: 'org.opencontainers.image.created (RFC 3339; default SOURCE_DATE_EPOCH, else now)',
  },
  formatOption('text or json (the pushed manifest’s descriptor)'),
  {
    name: 'export-manifest',
    type: 'string',
    valueName: 'file',
    description: 'also write the pushed manifest to this file',
  },
  OCI_LAYOUT_OPTION,
  {
    name: 'disable-path-validation',
    type: 'boolean',
    description:
      'ORAS’s flag for absolute paths; changes nothing: a file is titled by its name alone (/a/b/c.txt → c.txt), so a pull writes it inside its folder',
  },
  {
    name: 'allow-sensitive-files',
    type: 'boolean',
    description: 'push .git folders, .env files, private keys and credential files too (refused otherwise)',
  },
] as const;

export const pushCommand: Command = {
  name: 'push',
  summary: 'push files and folders as an artifact (each file a layer, each folder a tar+gzip layer)',
  examples: [
    {
      does: 'push a folder (one tar+gzip layer) and a file as one artifact, tagged v1 and latest',
      run: 'stowage push localhost:5000/team/docs:v1,latest ./docs README.md',
    },
    {
      does: 'push one file with its media type to a registry served over plain HTTP',
      run: 'stowage push --plain-http registry.lan:5000/team/report:2024 report.pdf:application/pdf',
    },
  ],
  usage:
    'stowage push <reference>[:tag[,tag…]] [<file>[:<media-type>]...] [--artifact-type T] [-a key=value]... [--annotation-file F] [--config file[:type]] [--image-spec v1.1|v1.0] [--export-manifest F]\n       stowage push --helm <registry>/<namespace>|oci:<dir>[:tag] <chart>.tgz',
  options: [
    ...COMMON_OPTIONS,
    ...ARTIFACT_OPTIONS,
    OCI_LAYOUT_PATH_OPTION,
    {
      name: 'config',
      type: 'string',
      valueName: 'file[:type]',
      description: `a config blob of your own instead of the empty one (type default ${UNKNOWN_CONFIG_TYPE}, as ORAS)`,
    },
    {
      name: 'artifact-platform',
      type: 'string',
      valueName: 'os/arch[/variant][:os_version]',
      description:
        'record this platform in an image config of the artifact (where pull --platform and index entries find it), as ORAS',
    },
    {
      name: 'helm',
      type: 'boolean',
      description:
        'push a packaged Helm chart as helm push does: stowage push --helm <registry>/<namespace> <chart>.tgz goes to <namespace>/<name>:<version> with Helm’s config and layer types (and <chart>.tgz.prov beside it); into a layout, oci:<dir> is tagged <version> (+ as _) unless oci:<dir>:<tag> gives the tag',
    },
    {
      name: 'image-spec',
      type: 'string',
      choices: ['v1.1', 'v1.0'],
      description:
        'v1.1 (default): the artifact type in artifactType over the empty config; v1.0: no artifactType, the artifact type is the config media type (for older registries and tools)',
    },
  ],
  // No files is an artifact of annotations alone, as ORAS pushes it.
  arity: [1, Infinity],
  async run(context) {
    if (context.args.options['helm']) return pushHelm(context);
    const [typed, ...files] = context.args.positionals as [string, ...string[]];
    const refArg = layoutPathInput(context.args, typed);
    const { reference: ref, moreTags } = splitTagList(refArg);
    const checked = await checkInputsBeforeWriting(context, files);
    const destination = await context.session.open(ref, { create: true });
    if (destination.reference.digest) throw new UsageError(`push names its result by tag; "${ref}" names a digest`);
    const tag = destination.reference.tag;
    const pushed = await pushFiles(context, destination.target, files, { tag, checked });
    for (const more of moreTags) await destination.target.tag(pushed.descriptor, more, { signal: context.signal });
    const tags = [...(tag ? [tag] : []), ...moreTags];
    const location = destination.target.location;
    if (context.args.options['format'] === 'json')
      printJson(context.io, {
        ...referenced(location, pushed.descriptor),
        referenceAsTags: tags.map((t) => `${location}:${t}`),
      });
    else
      printPushed(
        context.io,
        `Pushed ${storeLabel(destination)}`,
        `${location}${tags.length ? `:${tags.join(',')}` : ''}`,
        pushed.descriptor,
      );
    return 0;
  },
};

/**
 * Everything about the inputs that would stop a push, checked before the destination is opened: a mistyped file,
 * a link leaving a folder or a secret file must not leave a new, empty layout (or an upload) behind.
 */
/** Returns the look for sensitive files (undefined with --allow-sensitive-files), for pushFiles. */
export async function checkInputsBeforeWriting(
  context: CommandContext,
  files: string[],
): Promise<SensitiveFilesCheck | undefined> {
  const inputs = files.map(parseFileArg);
  await assertInputsExist(inputs);
  for (const input of inputs) {
    if ((await stat(input.path)).isDirectory())
      await assertFolderPackable(input.path, titleOfInput(input), context.signal);
  }
  const checked = await refuseSensitiveFiles(context, files);
  const exportTo = context.args.options['export-manifest'] as string | undefined;
  if (exportTo) await assertOutputFile('--export-manifest', exportTo);
  // The engine's own rules for these values, applied to the command line: a typo there is a usage error (exit 2),
  // as the README's exit codes say, not a failure of the push.
  const artifactType = context.args.options['artifact-type'] as string | undefined;
  if (artifactType !== undefined)
    asUsageError('--artifact-type', () => assertMediaType(artifactType, 'the artifact type'));
  const created = creationTime(context.args, context.io.env);
  if (created !== undefined) asUsageError('--created', () => createdAnnotation(created));
  return checked;
}

function asUsageError(option: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (err instanceof OciError && err.code === 'USAGE') throw new UsageError(`${option}: ${err.message}`);
    throw err;
  }
}

/** Names the sensitive files found and the flag that allows them. */
async function refuseSensitiveFiles(
  context: CommandContext,
  files: string[],
): Promise<SensitiveFilesCheck | undefined> {
  if (context.args.options['allow-sensitive-files']) return undefined;
  const {
    files: found,
    more,
    checked,
  } = await findSensitiveFiles(
    files.map((f) => parseFileArg(f).path),
    context.signal,
  );
  if (!found.length) return checked;
  throw new UsageError(
    `${new SensitiveFilesError(found, more).message} (private keys, credentials, tokens in .git/config, passwords in .env). Remove them from what you push, or pass --allow-sensitive-files to push them anyway`,
  );
}

/** Shared by push and attach: pack, annotate, push with progress. */
export async function pushFiles(
  context: CommandContext,
  target: Target,
  files: string[],
  /** `checked`: checkInputsBeforeWriting's look for sensitive files, which the pack's own check then trusts. */
  extra: { tag?: string; subject?: Descriptor; checked?: SensitiveFilesCheck },
): Promise<{ descriptor: Descriptor; manifest: Buffer }> {
  const { args, io, session, signal } = context;
  const inputs = files.map(parseFileArg);
  const fromFile = await readAnnotationFile(
    args.options['annotation-file'] as string | undefined,
    inputs.map((input) => ({ title: titleOfInput(input), typed: input.path })),
  );
  const configArg = args.options['config'] as string | undefined;
  const platform = args.options['artifact-platform'] as string | undefined;
  if (configArg && platform)
    throw new UsageError('--artifact-platform makes the config: give it or --config, not both');
  let config;
  if (configArg) {
    const parsed = parseFileArg(configArg);
    await assertOptionFile('--config', parsed.path);
    config = await configFromFile(parsed.path, parsed.mediaType ?? UNKNOWN_CONFIG_TYPE, signal);
  } else if (platform) {
    const parsed = parsePlatform(platform);
    if (!parsed.architecture)
      throw new UsageError(`--artifact-platform "${platform}" needs os/arch (e.g. linux/amd64)`);
    config = platformConfig({ ...parsed, architecture: parsed.architecture });
  }
  // A platform config is the artifact's only config: it keeps the artifact type ORAS gives artifacts.
  const artifactType =
    (args.options['artifact-type'] as string | undefined) ?? (platform ? DEFAULT_ARTIFACT_TYPE : undefined);
  const progress = progressReporter(io, 'pushing');
  try {
    const result = await pushArtifact(target, inputs, {
      tag: extra.tag,
      subject: extra.subject,
      artifactType,
      imageSpec: args.options['image-spec'] as ImageSpecVersion | undefined,
      annotations: { ...fromFile.manifest, ...parseAnnotationArgs(args.options['annotation'] as string[] | undefined) },
      layerAnnotations: fromFile.layers,
      configAnnotations: fromFile.config,
      created: creationTime(args, io.env),
      config,
      concurrency: session.concurrency,
      allowSensitiveFiles: !!args.options['allow-sensitive-files'],
      sensitiveFilesChecked: extra.checked,
      onProgress: progress.onProgress,
      onPacking: progress.onPacking,
      signal,
    });
    const exportTo = args.options['export-manifest'] as string | undefined;
    if (exportTo) await writeFileAtomic(exportTo, result.manifest.bytes);
    return { descriptor: result.descriptor, manifest: result.manifest.bytes };
  } finally {
    progress.done();
  }
}
