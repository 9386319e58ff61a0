// `blob fetch|push|delete`, as ORAS has them: one blob by digest, streamed (never held in memory), written to a
// file through a temporary file and a rename (blobOutput.ts). `blob push <name> -` reads standard input into a private temporary
// file first (checked against the digest and --size given): the push may then resume and retry like a file's.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import {
  fileBlobContent,
  hashFile,
  HashingStream,
  isBlobDeleter,
  isBlobStatter,
  isUnhashedBlobPusher,
  streamToTempFile,
} from '../../core/content';
import { DigestMismatchError, isDigest, MediaType, NotFoundError, type Descriptor } from '../../core/oci';
import type { OpenedTarget } from '../../core/open';
import { UsageError, type ParsedArgs } from '../args';
import { unlessMissing } from '../manifestDeletion';
import { refuseStdinTwice } from '../fileArgs';
import { print, printJson, type Command, type CommandContext } from '../command';
import { printDescriptorIfAsked, printPushed, storeLabel } from '../orasOutput';
import { writeBlobTo } from '../blobOutput';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, OCI_LAYOUT_PATH_OPTION, formatOption } from '../commonOptions';
import { layoutPathInput, layoutPathStore } from '../session';

export const blobCommand: Command = {
  name: 'blob',
  subcommands: ['fetch', 'push', 'delete'],
  summary: 'fetch, push or delete one blob by digest (as ORAS does)',
  examples: [
    {
      does: 'save one blob to a file',
      run: 'stowage blob fetch localhost:5000/team/app@sha256:<digest> -o layer.tar.gz',
    },
    { does: 'push a file as a blob', run: 'stowage blob push localhost:5000/team/app ./data.bin' },
  ],
  usage: `stowage blob fetch <name>@<digest> (-o FILE | -o - | --descriptor)
       stowage blob push <name>[@digest] <file|-> [--size bytes] [--media-type T] [--descriptor]
       stowage blob push --oci-layout-path <dir> [@digest] <file|->
       stowage blob delete <name>@<digest> --force`,
  options: [
    ...COMMON_OPTIONS,
    OCI_LAYOUT_OPTION,
    OCI_LAYOUT_PATH_OPTION,
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description: 'fetch: write the blob to this file ("-": standard output)',
    },
    { name: 'descriptor', type: 'boolean', description: 'print the blob’s descriptor' },
    {
      name: 'pretty',
      type: 'boolean',
      description: 'ORAS’s flag for an indented descriptor: Stowage indents it always',
    },
    {
      name: 'media-type',
      type: 'string',
      valueName: 'type',
      description: `push: the media type of the printed descriptor (default ${MediaType.ociLayer}, as ORAS)`,
    },
    {
      name: 'size',
      type: 'number',
      valueName: 'bytes',
      description:
        'push: the blob’s size, checked before anything is sent (from standard input: optional, unlike ORAS)',
    },
    {
      name: 'force',
      short: 'f',
      type: 'boolean',
      description: 'delete: go ahead (there is no prompt; a blob not there prints Missing and succeeds, as ORAS)',
    },
    formatOption('json: ORAS’s descriptor shape'),
  ],
  arity: [2, 3],
  // push: a name and a file, or with --oci-layout-path the file alone (its digest optional).
  verbArity: { fetch: [1, 1], push: [1, 2], delete: [1, 1] },
  async run(context) {
    const { args } = context;
    const [verb, ...rest] = args.positionals as [string, ...string[]];
    if (verb === 'push') {
      // With --oci-layout-path the layout is the name: `blob push --oci-layout-path DIR [@digest] <file>`.
      const inLayout = layoutPathStore(args);
      if (inLayout !== undefined && rest.length === 1) return push(context, inLayout, rest[0]!);
      const [ref, file] = rest;
      if (file === undefined)
        throw new UsageError(
          `usage: stowage blob push <name> <file>${inLayout ? ' (with --oci-layout-path: [@digest] <file>)' : ''}`,
        );
      return push(context, blobInLayout(args, ref!), file);
    }
    const ref = blobInLayout(args, rest[0]!);
    if (verb === 'fetch') return fetch(context, ref);
    if (verb === 'delete') return remove(context, ref);
    throw new UsageError(`unknown subcommand "blob ${verb}" (fetch, push, delete)`);
  },
};

/** The blob as typed; with --oci-layout-path, its digest in that layout (a blob has no tag). */
function blobInLayout(args: ParsedArgs, given: string): string {
  if (layoutPathStore(args) === undefined) return given;
  if (!/^@?sha(?:256|512):/.test(given))
    throw new UsageError(`with --oci-layout-path a blob is named by its digest (@sha256:…), not "${given}"`);
  return layoutPathInput(args, given);
}

async function openBlob(context: CommandContext, ref: string) {
  const opened = await context.session.open(ref);
  const digest = opened.reference.digest;
  if (!digest) throw new UsageError(`"${ref}" names no blob: write <name>@<digest>`);
  return { opened, digest };
}

async function describeBlob(context: CommandContext, ref: string) {
  const { opened, digest } = await openBlob(context, ref);
  if (!isBlobStatter(opened.target)) throw new UsageError(`${opened.target.location} cannot look up blobs by digest`);
  const descriptor = await opened.target.statBlob(digest, { signal: context.signal });
  if (!descriptor) throw new NotFoundError(`blob ${digest} in ${opened.target.location}`);
  return { opened, descriptor };
}

async function fetch(context: CommandContext, ref: string): Promise<number> {
  const { args, io, signal } = context;
  const output = args.options['output'] as string | undefined;
  if (!output && !args.options['descriptor'])
    throw new UsageError('blob fetch needs -o FILE (or -o - for standard output) or --descriptor');
  const { opened, descriptor } = await describeBlob(context, ref);
  if (output) await writeBlobTo(io, opened.target, descriptor, output, signal);
  if (args.options['descriptor']) printJson(io, descriptor);
  return 0;
}

async function push(context: CommandContext, ref: string, file: string): Promise<number> {
  const { args, io, signal, session } = context;
  const size = args.options['size'] as number | undefined;
  if (file !== '-') {
    // The file is checked before the destination is opened (a layout would be made for nothing).
    const info = await checkedFile(file, size);
    await checkNamedDigest(ref, file, signal);
    return pushFile(context, await session.open(ref, { create: true }), file, file, info.size);
  }
  refuseStdinTwice(args, 'the blob');
  const opened = await session.open(ref, { create: true });
  const spool = await mkdtemp(path.join(os.tmpdir(), 'stowage-blob-'));
  try {
    const check = new HashingStream({ expected: opened.reference.digest, expectedSize: size, what: 'standard input' });
    const spooled = await streamToTempFile(io.stdin as Readable, [check], spool, signal);
    return await pushFile(context, opened, spooled, 'standard input', check.bytes);
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

/**
 * A digest named in the reference (`name@sha256:…`) is checked against the file before anything is sent or made,
 * as ORAS does: a mistyped digest was found only after the blob had been uploaded under its real one.
 */
async function checkNamedDigest(ref: string, file: string, signal: AbortSignal | undefined): Promise<void> {
  const named = ref.slice(ref.lastIndexOf('@') + 1);
  if (!ref.includes('@') || !isDigest(named)) return;
  await hashFile(file, { expected: named, what: file }, signal);
}

/** `file` as a regular file of the size given with --size (when given). */
async function checkedFile(file: string, size: number | undefined) {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`blob push: "${file}" is not a file`);
  if (size !== undefined && size !== info.size)
    throw new UsageError(`${file} holds ${info.size} bytes, not the ${size} given with --size`);
  return info;
}

/** Pushes `file` (of `size` bytes) as a blob of `opened`, checked against the digest the reference names. */
async function pushFile(
  context: CommandContext,
  opened: OpenedTarget,
  file: string,
  what: string,
  size: number,
): Promise<number> {
  const { args, io, signal } = context;
  if (!isUnhashedBlobPusher(opened.target)) throw new UsageError(`${opened.target.location} cannot take blobs`);
  const content = fileBlobContent(file, (offset) => Promise.resolve(createReadStream(file, { start: offset })));
  const pushed = await opened.target.pushUnhashedBlob(content, { expectedSize: size, signal });
  if (opened.reference.digest && opened.reference.digest !== pushed.digest)
    throw new DigestMismatchError(what, opened.reference.digest, pushed.digest);
  const descriptor: Descriptor = {
    mediaType: (args.options['media-type'] as string | undefined) ?? MediaType.ociLayer,
    digest: pushed.digest,
    size: pushed.size,
  };
  if (!printDescriptorIfAsked(io, args.options, opened.target.location, descriptor))
    printPushed(io, `Pushed ${storeLabel(opened)}`, opened.target.location, descriptor);
  return 0;
}

async function remove(context: CommandContext, ref: string): Promise<number> {
  const { args, io, signal } = context;
  const found = await unlessMissing(io, args.options, ref, () => describeBlob(context, ref));
  if (!found) return 0;
  const { opened, descriptor } = found;
  if (!isBlobDeleter(opened.target))
    throw new UsageError(
      `${opened.target.location} deletes blobs by garbage collection: delete what uses them, then run stowage gc`,
    );
  if (!args.options['force'])
    throw new UsageError(
      `deleting blob ${descriptor.digest} cannot be undone: pass --force to go ahead (there is no prompt)`,
    );
  await opened.target.deleteBlob(descriptor.digest, { signal });
  if (!printDescriptorIfAsked(io, args.options, opened.target.location, descriptor))
    print(io, `Deleted ${storeLabel(opened)} ${opened.target.location}@${descriptor.digest}`);
  return 0;
}
