// `files`: what an artifact's layers hold, without pulling them. With a reference only, each layer's entries as
// `tar -tv` lists them (a titled file layer as the file a pull writes, and a titled tar's entries after it); with a path, that file's content as a
// container would see it (the top-most layer holding it, whiteouts honoured), to standard output or a file. Like
// regctl's `image get-file` and `crane export … | tar -xO`, but verified: every layer read is read whole.
import { type FileHandle, open, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { removeQuietly, tempPathIn, writeAllAt, type ReadOnlyTarget } from '../../core/content';
import {
  DEFAULT_LAYER_CONTENTS_LIMITS,
  isUnreadableArchive,
  layerForm,
  listLayer,
  normalisedEntryPath,
  streamLayeredFile,
  WHITEOUT_PREFIX,
  type LayerEntry,
  type LayerListing,
  type NumberedLayer,
} from '../../core/files';
import { counted, formatBytes, isIndex, type Descriptor, OciError, printable } from '../../core/oci';
import { UsageError } from '../args';
import { print, printError, printJson, type Command, type CommandContext } from '../command';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION, formatOption } from '../commonOptions';
import { assertOutputFile } from '../fileArgs';
import { PLATFORM_OPTION, resolveOneManifest } from '../platform';
import { isTerminal, terminalGuard } from '../terminalGuard';

export const filesCommand: Command = {
  name: 'files',
  summary: 'list the files in an artifact’s layers, or print one, without pulling',
  examples: [
    { does: 'list the files of an artifact without pulling it', run: 'stowage files localhost:5000/team/docs:v1' },
    { does: 'save one of them', run: 'stowage files localhost:5000/team/docs:v1 docs/a.txt -o a.txt' },
  ],
  usage: `stowage files <reference> [--layer N|digest] [--platform os/arch] [--format text|json]
       stowage files <reference> <path> [-o FILE] [--layer N|digest] [--platform os/arch]`,
  options: [
    ...COMMON_OPTIONS,
    OCI_LAYOUT_OPTION,
    PLATFORM_OPTION,
    {
      name: 'layer',
      type: 'string',
      valueName: 'N|digest',
      description: 'only this layer (1 is the first, as the manifest lists them), not the layers stacked',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description:
        'with a path: write the file here (replaced only once it was read whole) instead of printing it; "-" prints it as it is, control characters too, where a terminal gets none',
    },
    formatOption('listing: json for scripts'),
  ],
  arity: [1, 2],
  async run(context) {
    const [ref, wanted] = context.args.positionals as [string, string | undefined];
    const output = context.args.options['output'] as string | undefined;
    if (wanted === undefined && output !== undefined) throw new UsageError('-o writes one file: name its path too');
    if (wanted !== undefined && context.args.options['format'] !== undefined)
      throw new UsageError('--format is for the listing: a file is printed as it is');
    if (wanted !== undefined && normalisedEntryPath(wanted) === '')
      throw new UsageError(`"${wanted}" names the layers' root, not a file: list them without a path`);
    if (output !== undefined && output !== '-') await assertOutputFile('--output', output);
    const { target, layers, location } = await chosenLayers(context, ref);
    return wanted === undefined
      ? list(context, target, layers, location)
      : printFile(context, target, layers, wanted, output);
  },
};

/** The manifest's layers (one with --layer), after choosing the platform of an index. */
async function chosenLayers(context: CommandContext, ref: string) {
  const { args, session, signal } = context;
  const { target, tagOrDigest } = await session.openManifest(ref);
  const platform = args.options['platform'] as string | undefined;
  const chosen = await resolveOneManifest(target, tagOrDigest, platform, signal);
  const { manifest, descriptor } = await target.fetchManifest(chosen, { signal });
  if (isIndex(manifest)) throw new OciError('USAGE', `${descriptor.digest} is an index: choose a platform`);
  const all = (manifest.layers ?? []).map((layer, index): NumberedLayer => ({ index, descriptor: layer }));
  const location = `${target.location}@${descriptor.digest}`;
  const picked = args.options['layer'] as string | undefined;
  if (picked === undefined) return { target, layers: all, location };
  const byNumber = /^\d+$/.test(picked) ? all[Number(picked) - 1] : undefined;
  const layer = byNumber ?? all.find((l) => l.descriptor.digest === picked);
  if (!layer)
    throw new UsageError(
      `--layer ${picked}: ${location} has ${all.length} layer${all.length === 1 ? '' : 's'} (1–${all.length}, or a layer's digest)`,
    );
  return { target, layers: [layer], location };
}

async function list(
  context: CommandContext,
  target: ReadOnlyTarget,
  layers: NumberedLayer[],
  location: string,
): Promise<number> {
  const { io, args, signal } = context;
  const json = args.options['format'] === 'json';
  const total = layers.length;
  const listed: unknown[] = [];
  // Each listing's names are capped; JSON holds every layer's until the end, so their names are capped in all too.
  let jsonNameChars = 0;
  const countNames = (entries: readonly LayerEntry[], index: number) => {
    if (!json) return;
    for (const entry of entries) jsonNameChars += entry.path.length + (entry.linkname?.length ?? 0);
    if (jsonNameChars > DEFAULT_LAYER_CONTENTS_LIMITS.maxNameChars)
      throw new OciError(
        'SIZE_EXCEEDED',
        `the layers up to layer ${index + 1} name their entries in more than ${counted(DEFAULT_LAYER_CONTENTS_LIMITS.maxNameChars, 'character', 'characters')} in all: too much for one JSON listing; list one layer at a time with --layer N`,
      );
  };
  for (const { index, descriptor } of layers) {
    const heading = `layer ${index + 1}: ${descriptor.digest} ${descriptor.mediaType}, ${formatBytes(descriptor.size)}`;
    const form = layerForm(descriptor);
    if (form.kind === 'file' && form.tar) {
      const shown = await listTitledTar(context, target, index, descriptor, form.path, json);
      countNames(shown?.entries ?? [], index);
      if (json) listed.push(shown);
      continue;
    }
    if (form.kind !== 'tar') {
      const file = form.kind === 'file' ? form.path : undefined;
      if (json) listed.push({ ...layerJson(index, descriptor), file: file ?? null });
      else {
        const asFile: LayerEntry = { path: file ?? '', type: 'file', size: descriptor.size, mode: 0o644 };
        print(io, [
          heading,
          file ? `${entryLine(asFile)}  (the layer is this file)` : '  (no tar archive, no file name)',
        ]);
      }
      continue;
    }
    const { entries, expandedBytes } = await listLayer(target, descriptor, { signal });
    if (json) {
      countNames(entries, index);
      listed.push({ ...layerJson(index, descriptor), expandedBytes, entries });
    } else
      print(io, [
        // What the layer takes once unpacked (its files' content), beside what it takes to download.
        `${heading}; its files hold ${formatBytes(expandedBytes)}`,
        ...entries.filter((e) => e.path !== '').map(entryLine),
      ]);
  }
  if (json) printJson(io, { reference: location, layers: listed });
  else if (total === 0) printError(io, `${location} has no layers`);
  return 0;
}

/**
 * A titled tar: the file a pull writes (as ORAS does, without unpacking it), and what the archive holds, as the
 * editor's tree expands it. Named like a tar but not one: said so, the file still listed.
 */
async function listTitledTar(
  context: CommandContext,
  target: ReadOnlyTarget,
  index: number,
  descriptor: Descriptor,
  file: string,
  json: boolean,
): Promise<{ entries?: LayerEntry[]; [key: string]: unknown } | undefined> {
  const { io, signal } = context;
  const heading = `layer ${index + 1}: ${descriptor.digest} ${descriptor.mediaType}, ${formatBytes(descriptor.size)}`;
  const asFile: LayerEntry = { path: file, type: 'file', size: descriptor.size, mode: 0o644 };
  let listing: LayerListing | undefined;
  let unreadable: string | undefined;
  try {
    listing = await listLayer(target, descriptor, { signal });
  } catch (err) {
    if (!isUnreadableArchive(err)) throw err;
    unreadable = (err as Error).message;
  }
  if (json)
    return {
      ...layerJson(index, descriptor),
      file,
      ...(listing ? { expandedBytes: listing.expandedBytes, entries: listing.entries } : { unreadable }),
    };
  print(io, [
    heading + (listing ? `; its files hold ${formatBytes(listing.expandedBytes)}` : ''),
    `${entryLine(asFile)}  (the layer is this file, as a pull writes it; ${listing ? 'a tar archive holding:' : `named like a tar archive, but not one: ${unreadable}`})`,
    ...(listing?.entries ?? []).filter((e) => e.path !== '').map(entryLine),
  ]);
  return undefined;
}

function layerJson(index: number, descriptor: Descriptor) {
  return { layer: index + 1, digest: descriptor.digest, mediaType: descriptor.mediaType, size: descriptor.size };
}

/** `tar -tv`'s columns: type and mode, size, path (a folder with "/", a link with where it points). */
function entryLine(entry: LayerEntry): string {
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
  const note = name.startsWith(WHITEOUT_PREFIX) ? '  (whiteout: deletes from the layers below)' : '';
  const shown =
    entry.type === 'directory'
      ? `${entry.path}/`
      : entry.type === 'symlink'
        ? `${entry.path} -> ${entry.linkname ?? ''}`
        : entry.type === 'hardlink'
          ? `${entry.path} link to ${entry.linkname ?? ''}`
          : entry.path;
  return `  ${modeString(entry)} ${String(entry.size).padStart(12)} ${shown}${note}`;
}

function modeString(entry: LayerEntry): string {
  const kind = { file: '-', directory: 'd', symlink: 'l', hardlink: 'h', other: '?' }[entry.type];
  const bits = 'rwxrwxrwx'
    .split('')
    .map((letter, i) => (entry.mode & (0o400 >> i) ? letter : '-'))
    .join('');
  return kind + bits;
}

/** The file at `wanted`, streamed to standard output or into a temporary file renamed over `output` at the end. */
async function printFile(
  context: CommandContext,
  target: ReadOnlyTarget,
  layers: NumberedLayer[],
  wanted: string,
  output: string | undefined,
): Promise<number> {
  const { io, signal } = context;
  if (output === undefined || output === '-') {
    // To a terminal (unless -o - asks for the bytes as they are), what a terminal would act on is not printed.
    const guarded = output === undefined && isTerminal(io.out);
    /** The path whose content was printed (a hard link's file). */
    let printed: string | undefined;
    await streamLayeredFile(
      target,
      layers,
      wanted,
      async ({ index, layer, entry, file }) => {
        // What was printed cannot be taken back for the later copy a container sees.
        const from = file?.path ?? entry.path;
        if (printed !== undefined) {
          // Listed twice: the path asked for, or the file a hard link at it names (each copy before the link).
          const copied = from === printed ? from : entry.path;
          const link = copied === entry.path ? '' : ` (which "${printable(entry.path)}" is a hard link to)`;
          throw new OciError(
            'INVALID_CONTENT',
            `layer ${index + 1} (${layer.digest}) holds "${printable(copied)}"${link} more than once: what was printed is an earlier copy, and a container sees the last; -o FILE writes the last`,
          );
        }
        printed = from;
        return guarded ? { into: terminalGuard(io.out, `"${printable(entry.path)}"`) } : { into: io.out, end: false };
      },
      { signal },
    );
    return 0;
  }
  const destination = path.resolve(output);
  const temp = tempPathIn(path.dirname(destination));
  let file: FileHandle | undefined;
  let placed = false;
  try {
    await streamLayeredFile(
      target,
      layers,
      wanted,
      async () => {
        // A later copy of the path in the layer replaces an earlier (the last is what a container sees): it is
        // written over the same temporary file, as a layer can list a path millions of times.
        if (file) await file.truncate(0);
        else file = await open(temp, 'wx');
        return { into: writingFrom0(file) };
      },
      { signal },
    );
    await file!.sync();
    await file!.close();
    file = undefined;
    await rename(temp, destination);
    placed = true;
  } finally {
    await file?.close().catch(() => undefined);
    if (!placed) await removeQuietly(temp);
  }
  return 0;
}

/**
 * Writes into `file` from its start, the handle left open (a stream of its own would hold the handle, and a closing
 * handle waits for its writes, where a stream's may still run on a descriptor closed under it).
 */
function writingFrom0(file: FileHandle): Writable {
  let position = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      writeAllAt(file, [chunk], position).then(() => {
        position += chunk.length;
        done();
      }, done);
    },
  });
}
