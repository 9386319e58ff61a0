// `manifest push <reference> <file|->`: a manifest or index of one's own, its bytes pushed exactly as given.
import { createReadStream } from 'node:fs';
import { parseManifestBytes } from '../../core/content';
import {
  counted,
  DigestMismatchError,
  mediaTypeProblem,
  MAX_MANIFEST_BYTES,
  OciError,
  printable,
  type Manifest,
} from '../../core/oci';
import { UsageError } from '../args';
import { printError, type CommandContext } from '../command';
import { refuseStdinTwice, splitTagList, unreadable } from '../fileArgs';
import { printDescriptorIfAsked, printPushed, storeLabel } from '../orasOutput';
import { distributionSpecOf } from '../distributionSpec';
import { manifestDescriptor, pushManifestBytes } from '../../core/graph';
import { checkManifestBeforePush } from '../manifestChecks';
import { untilStopped } from '../untilStopped';

export async function pushManifestFile(context: CommandContext, refArg: string, file: string): Promise<number> {
  const { args, io, session, signal } = context;
  const { reference: ref, moreTags } = splitTagList(refArg);
  if (file === '-') refuseStdinTwice(args, 'the manifest');
  const name = file === '-' ? 'standard input' : file;
  // Read up to the cap, a file as standard input: a device or a pipe (/dev/zero) has no size to check first.
  const bytes = await untilStopped(readCapped(file === '-' ? io.stdin : createReadStream(file), name), signal).catch(
    (err: unknown) => {
      // The file could not be opened or read (not a stop: that is the caller's, as it is).
      if ((err as NodeJS.ErrnoException).syscall) throw new UsageError(`${file}: ${unreadable(err)}`);
      throw err;
    },
  );
  let manifest: Manifest;
  try {
    manifest = parseManifestBytes(bytes, name);
  } catch (err) {
    // What the linter says of it first (an artifact manifest of image-spec's drafts, say): more than "no
    // schemaVersion".
    printError(io, (await checkManifestBeforePush(bytes, name, {}, undefined, signal)).lines);
    throw err;
  }
  const given = args.options['media-type'] as string[] | undefined;
  if (given && given.length > 1)
    throw new UsageError('manifest push takes one --media-type: the manifest has one type');
  const mediaType = given?.[0] ?? manifest.mediaType;
  if (!mediaType) throw new UsageError(`${file} has no mediaType field: pass --media-type`);
  const problem = mediaTypeProblem(mediaType);
  if (problem)
    throw new UsageError(`"${printable(mediaType)}" is not a media type: ${problem} (type/subtype, RFC 6838)`);
  const descriptor = manifestDescriptor(bytes, manifest, mediaType);

  const opened = await session.open(ref, { create: true });
  const { target, reference } = opened;
  if (reference.digest && reference.digest !== descriptor.digest)
    throw new DigestMismatchError(file, reference.digest, descriptor.digest);
  const spec = await distributionSpecOf(args.options, target, signal);
  // A manifest written by hand is checked before it is sent: a registry's refusal ("MANIFEST_INVALID") names no
  // property, and a wrong size or a missing blob in a layout is taken and fails only when pulled.
  const check = await checkManifestBeforePush(bytes, name, { mediaType, manifest }, target, signal);
  printError(io, check.lines);
  if (check.errors && !args.options['force'])
    throw new OciError(
      'INVALID_CONTENT',
      `${name}: ${counted(check.errors, 'error')} above; nothing pushed (--force pushes it as it is)`,
    );
  const tags = [...(reference.tag ? [reference.tag] : []), ...moreTags];
  await pushManifestBytes(target, bytes, manifest, descriptor, {
    tags,
    alwaysFallbackTag: spec === 'v1.1-referrers-tag',
    signal,
  });
  if (!printDescriptorIfAsked(io, args.options, target.location, descriptor))
    printPushed(
      io,
      `Pushed ${storeLabel(opened)}`,
      `${target.location}${tags.length ? `:${tags.join(',')}` : `@${descriptor.digest}`}`,
      descriptor,
    );
  return 0;
}

async function readCapped(stream: NodeJS.ReadableStream, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop (the cap) destroys the stream: a file is closed there.
  for await (const chunk of stream) {
    const buffer = Buffer.from(chunk as Buffer);
    size += buffer.length;
    if (size > MAX_MANIFEST_BYTES)
      throw new UsageError(`${name} is larger than a manifest may be (${MAX_MANIFEST_BYTES} bytes)`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
