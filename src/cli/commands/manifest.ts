// `manifest fetch|fetch-config|push|delete` and `manifest index create|update`, with ORAS's names, flags and output.
import { UsageError } from '../args';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { printJson, type Command, type CommandContext } from '../command';
import { readSmallBlob, writeFileAtomic } from '../../core/content';
import { isIndex, OciError } from '../../core/oci';
import { writeBlobTo } from '../blobOutput';
import { printContent } from '../terminalGuard';
import { distributionSpecOption } from '../distributionSpec';
import { printDescriptorIfAsked, referenced } from '../orasOutput';
import { PLATFORM_OPTION, resolvePlatform } from '../platform';
import { WITH_REFERRERS_OPTION, deleteManifest, printDeleted, unlessMissing } from '../manifestDeletion';
import { pushManifestFile } from './manifestPush';
import { createIndex, updateIndex } from './manifestIndex';

export const manifestCommand: Command = {
  name: 'manifest',
  subcommands: ['fetch', 'fetch-config', 'push', 'delete', 'index'],
  subcommandAliases: ['get-config'],
  summary: 'fetch, push or delete a manifest; fetch its config; create or update an index (as ORAS does)',
  examples: [
    { does: 'print a manifest, indented', run: 'stowage manifest fetch --pretty localhost:5000/team/app:v1' },
    {
      does: 'push a manifest from a file under a tag',
      run: 'stowage manifest push localhost:5000/team/app:v1 manifest.json',
    },
    {
      does: 'make an index of two tags, tagged multi',
      run: 'stowage manifest index create localhost:5000/team/app:multi v1-amd64 v1-arm64',
    },
  ],
  usage: `stowage manifest fetch <reference> [--pretty] [--descriptor] [-o FILE] [--format text|json] [--platform os/arch] [--media-type T[,T…]]
       stowage manifest fetch-config <reference> [--pretty] [--descriptor] [-o FILE] [--platform os/arch]
       stowage manifest push <reference>[:tag[,tag…]] <file|-> [--media-type T] [--distribution-spec v1.1-referrers-api|v1.1-referrers-tag] [--force]
       stowage manifest delete <reference> [--force] [--with-referrers]
       stowage manifest index create <reference>[:tag[,tag…]] [<tag|digest>...] [-a key=value]... [--artifact-type T] [--tag T]... [-o FILE|- [--pretty]]
       stowage manifest index update <reference>[:tag[,tag…]] [--add <tag|digest>]... [--remove <tag|digest>]... [--merge <index>]... [--tag T]... [-o FILE|- [--pretty]]`,
  options: [
    ...COMMON_OPTIONS,
    WITH_REFERRERS_OPTION,
    {
      name: 'pretty',
      type: 'boolean',
      description: 'fetch, fetch-config, index with -o -: indent the JSON (the raw bytes are printed otherwise)',
    },
    {
      name: 'descriptor',
      type: 'boolean',
      description: 'fetch, push, delete: print the manifest’s descriptor (fetch-config: the config’s)',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description:
        'fetch, fetch-config: write the manifest (or config) to this file ("-": standard output); index: write the index there instead of pushing it',
    },
    formatOption(
      'json: ORAS’s shape (reference, descriptor, and for fetch the content); push adds subject (a referrer’s) and movedTags (each tag it moved, with the digest it named before)',
    ),
    PLATFORM_OPTION,
    OCI_LAYOUT_OPTION,
    distributionSpecOption(
      'push: a manifest with a subject is listed in the fallback tag where the registry did not index it; v1.1-referrers-tag lists it there always, v1.1-referrers-api requires the API',
    ),
    {
      name: 'media-type',
      type: 'strings',
      valueName: 'type',
      description:
        'push: the manifest’s media type (default: its mediaType field); fetch: the types accepted (comma-separated or repeated), another is refused',
    },
    {
      name: 'force',
      short: 'f',
      type: 'boolean',
      description:
        'delete: go ahead without a question (needed: there is no prompt; one not there prints Missing and succeeds, as ORAS); push: push a manifest the checks find errors in',
    },
    {
      name: 'annotation',
      short: 'a',
      type: 'strings',
      valueName: 'key=value',
      description: 'index: an annotation of the index (repeatable)',
    },
    { name: 'artifact-type', type: 'string', valueName: 'type', description: 'index create: the artifact type' },
    { name: 'add', type: 'strings', valueName: 'tag|digest', description: 'index update: add this manifest' },
    {
      name: 'remove',
      type: 'strings',
      valueName: 'tag|digest',
      description: 'index update: remove this manifest (it must be in the index)',
    },
    {
      name: 'merge',
      type: 'strings',
      valueName: 'tag|digest',
      description: 'index update: add the entries of this other index',
    },
    {
      name: 'tag',
      type: 'strings',
      valueName: 'tag',
      description: 'index create, update: another tag for the new index (repeatable; not with --output)',
    },
  ],
  arity: [2, Infinity],
  verbArity: {
    fetch: [1, 1],
    'fetch-config': [1, 1],
    'get-config': [1, 1],
    push: [2, 2],
    delete: [1, 1],
    index: [2, Infinity],
  },
  async run(context) {
    const [verb, ...rest] = context.args.positionals as [string, ...string[]];
    if (verb === 'fetch') return fetch(context, rest[0]!);
    if (verb === 'fetch-config' || verb === 'get-config') return fetchConfig(context, rest[0]!);
    if (verb === 'push') return pushManifestFile(context, rest[0]!, rest[1]!);
    if (verb === 'delete') return remove(context, rest[0]!);
    if (verb === 'index') {
      const [action, ref, ...sources] = rest;
      // `pack`: ORAS's alias of create.
      if ((action === 'create' || action === 'pack') && ref) return createIndex(context, ref, sources);
      if (action === 'update' && ref && !sources.length) return updateIndex(context, ref);
      throw new UsageError(
        'try "manifest index create <reference> <tag|digest>..." or "manifest index update <reference> --add …"',
      );
    }
    throw new UsageError(
      `unknown subcommand "manifest ${verb}" (fetch, fetch-config, push, delete, index create, index update)`,
    );
  },
};

/** The manifest a reference names, or with --platform the one of that platform in the index it names. */
async function fetchChosen(context: CommandContext, ref: string) {
  const { args, session, signal } = context;
  const { target, tagOrDigest } = await session.openManifest(ref);
  const platform = args.options['platform'] as string | undefined;
  const chosen = platform ? await resolvePlatform(target, tagOrDigest, platform, signal) : tagOrDigest;
  return { target, fetched: await target.fetchManifest(chosen, { signal }) };
}

async function fetch(context: CommandContext, ref: string): Promise<number> {
  const { args, io } = context;
  const { target, fetched } = await fetchChosen(context, ref);
  // ORAS's --media-type: the types accepted (comma-separated); a manifest of another type is refused.
  // Repeatable too, as ORAS's flag is: `--media-type A --media-type B` accepts both.
  const accepted = (args.options['media-type'] as string[] | undefined)
    ?.flatMap((t) => t.split(','))
    .map((t) => t.trim());
  if (accepted && !accepted.includes(fetched.descriptor.mediaType))
    throw new OciError(
      'UNSUPPORTED',
      `${ref} is a ${fetched.descriptor.mediaType}, not ${accepted.join(' or ')} (--media-type); nothing was written`,
    );
  const output = args.options['output'] as string | undefined;
  if (output && output !== '-') await writeFileAtomic(output, fetched.bytes);
  if (args.options['format'] === 'json')
    printJson(io, { ...referenced(target.location, fetched.descriptor), content: fetched.manifest });
  else if (args.options['descriptor']) printJson(io, fetched.descriptor);
  else if (output && output !== '-') return 0;
  else if (args.options['pretty']) printJson(io, fetched.manifest);
  else await printContent(io.out, fetched.bytes, `the manifest ${fetched.descriptor.digest}`, output === '-');
  return 0;
}

/**
 * ORAS's `manifest fetch-config`: the config blob of an image manifest, raw (streamed, verified) or indented, to
 * standard output or a file; `--descriptor` prints its descriptor (after writing the file, when `-o` is given).
 */
async function fetchConfig(context: CommandContext, ref: string): Promise<number> {
  const { args, io, signal } = context;
  const output = args.options['output'] as string | undefined;
  const descriptorOnly = !!args.options['descriptor'];
  if (output === '-' && descriptorOnly) throw new UsageError('--output - and --descriptor cannot be used together');
  if (args.options['format'] !== undefined)
    throw new UsageError('fetch-config prints the config itself: use --descriptor for its descriptor as JSON');
  const { target, fetched } = await fetchChosen(context, ref);
  if (isIndex(fetched.manifest))
    throw new OciError(
      'USAGE',
      `${fetched.descriptor.digest} is an index, not an image manifest: it has no config (pick a manifest with --platform os/arch)`,
    );
  const config = fetched.manifest.config;
  if (output && output !== '-') await writeBlobTo(io, target, config, output, signal);
  else if (!descriptorOnly) {
    if (args.options['pretty']) printJson(io, parseJson(await readSmallBlob(target, config, signal), config.digest));
    else await writeBlobTo(io, target, config, '-', signal, output === '-' ? undefined : `the config ${config.digest}`);
  }
  if (descriptorOnly) printJson(io, config);
  return 0;
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new OciError(
      'INVALID_CONTENT',
      `${what} is not JSON, so --pretty cannot indent it (${(err as Error).message})`,
    );
  }
}

async function remove(context: CommandContext, ref: string): Promise<number> {
  const { args, io, session, signal } = context;
  // As `delete`: a bare layout's sole artifact is not deleted unnamed.
  const opened = await session.openManifest(ref, { explicit: true });
  const descriptor = await unlessMissing(io, args.options, ref, () =>
    opened.target.resolve(opened.tagOrDigest, { signal }),
  );
  if (!descriptor) return 0;
  if (!args.options['force'])
    throw new UsageError(
      `${ref} names ${descriptor.digest}; deleting removes that manifest and every tag naming it. Pass --force to go ahead (there is no prompt)`,
    );
  const { deleted } = await deleteManifest(io, opened.target, descriptor, !!args.options['with-referrers'], signal);
  if (!printDescriptorIfAsked(io, args.options, opened.target.location, descriptor))
    printDeleted(io, opened, descriptor, deleted, ref);
  return 0;
}
