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
import { print, printError, printJson, type CommandContext } from '../command';
import { refuseStdinTwice, splitTagList, unreadable } from '../fileArgs';
import { printDescriptorIfAsked, printPushed, referenced, storeLabel } from '../orasOutput';
import { connectionFlags } from '../hintFlags';
import {
  missingBlobAdvice,
  missingBlobs,
  namedBefore,
  refusalForMissingBlobs,
  subjectOf,
  tagsMoved,
} from '../../core/lint';
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
  // Blobs a registry lacks are refused there whatever --force says: what to do instead is said.
  const registry = opened.reference.kind === 'registry' ? opened.reference.host : undefined;
  const missing = registry ? missingBlobs(check.problems, manifest) : [];
  const advice =
    registry &&
    missing.length > 0 &&
    missingBlobAdvice(
      missing,
      target.location,
      `stowage blob push ${target.location} FILE${connectionFlags(args, registry)}`,
    );
  if (check.errors && !args.options['force']) {
    const refused = `${name}: ${counted(check.errors, 'error')} above; nothing pushed`;
    if (advice && missing.length === check.errors) throw new OciError('INVALID_CONTENT', `${refused}. ${advice}`);
    if (advice) printError(io, advice);
    throw new OciError('INVALID_CONTENT', `${refused} (--force pushes it as it is)`);
  }
  const tags = [...(reference.tag ? [reference.tag] : []), ...moreTags];
  const moved = await tagsMoved(target, tags, descriptor.digest, signal);
  try {
    await pushManifestBytes(target, bytes, manifest, descriptor, {
      tags,
      alwaysFallbackTag: spec === 'v1.1-referrers-tag',
      signal,
    });
  } catch (err) {
    throw refusalForMissingBlobs(err, missing, target.location);
  }
  const subject = subjectOf(manifest);
  if (args.options['format'] === 'json' && !args.options['descriptor'])
    printJson(io, {
      ...referenced(target.location, descriptor),
      ...(subject ? { subject } : {}),
      ...(moved.length ? { movedTags: moved } : {}),
    });
  else if (!printDescriptorIfAsked(io, args.options, target.location, descriptor)) {
    printPushed(
      io,
      `Pushed ${storeLabel(opened)}`,
      `${target.location}${tags.length ? `:${tags.join(',')}` : `@${descriptor.digest}`}`,
      descriptor,
    );
    print(io, [
      ...(subject ? [`Referrer of: ${target.location}@${subject}`] : []),
      ...moved.map((m) => `Moved ${m.tag}: ${namedBefore(m, (d) => d)}`),
    ]);
  }
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
