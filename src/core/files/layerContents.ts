// Looks inside a tar layer (an image's filesystem changeset, an ORAS folder, a Helm chart, a Flux artifact)
// without pulling it: the list of its entries (one file of it: layerFile.ts). Nothing is written anywhere. The layer
// streams once through its digest check and the decompressor; an answer is given only after the whole layer was
// read and verified, so a registry cannot show a listing the digest would refuse. Entry names are the archive's,
// untrusted: they are normalised as paths inside the layer (no leading "/" or "./"), and callers escape them for
// display.
import { createHash } from 'node:crypto';
import type { Readable, Transform } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { hashingStages, Hasher, type ReadOnlyTarget } from '../content';
import { Annotation, counted, type Descriptor, formatBytes, OciError, printable } from '../oci';
import { limitBytes } from './limitBytes';
import { MAX_PATH_BYTES } from './safeNames';
import { forEachTarEntry, throwIfEntryGone } from './tarEntries';

export type LayerEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface LayerEntry {
  /** The entry's path inside the layer: "/"-separated, no leading "/" or "./", no trailing "/". */
  path: string;
  type: LayerEntryType;
  /** Bytes of a file's content (0 for anything else). */
  size: number;
  /** Where a symlink points, or the earlier entry a hardlink names (normalised like `path`). */
  linkname?: string;
  /** Permission bits, as the archive gives them. */
  mode: number;
  /** A file's content digest (`sha256:…`), when the listing was asked to hash contents. */
  contentDigest?: string;
}

export interface LayerListing {
  /** In archive order; a path listed again replaces the earlier entry, as extracting would. */
  entries: LayerEntry[];
  /** Bytes the layer expands to (its files' content). */
  expandedBytes: number;
}

export interface LayerContentsLimits {
  /** Entries a listing holds at most, paths listed again counted (each costs memory in whoever shows it). */
  maxEntries: number;
  /** Bytes the uncompressed archive may have (headers and content): bounds the work of a gzip bomb. */
  maxExpandedBytes: number;
  /**
   * Characters of entry paths and link targets a listing holds at most: the tar parser accepts names of up to
   * 4 MiB each, so entries alone do not bound the memory a listing takes.
   */
  maxNameChars: number;
}

export const DEFAULT_LAYER_CONTENTS_LIMITS: LayerContentsLimits = {
  maxEntries: 100_000,
  maxExpandedBytes: 16 * 1024 ** 3,
  maxNameChars: 32 * 1024 ** 2,
};

type Compression = 'none' | 'gzip' | 'zstd';

/**
 * How a layer's tar is compressed, or undefined when it is no tar. An untitled layer (an image's) and an ORAS
 * folder are told by their media type (`…tar`, `…tar+gzip`, Docker's `…tar.gzip`, `…tar+zstd`); a titled layer is
 * a file a pull writes under its title (ORAS gives files the type `…layer.v1.tar`), a tar only when its name says
 * so (`.tar`, `.tar.gz`, `.tgz`) and its type is a tar's or says nothing (`application/octet-stream`).
 */
export function layerTarCompression(layer: Descriptor): Compression | undefined {
  const type = layer.mediaType.toLowerCase();
  const byType = /[./]tar(?:([+.])(gzip|zstd))?$/.exec(type);
  const file = layerFileName(layer);
  if (file === undefined) return byType ? (byType[2] === 'zstd' ? 'zstd' : byType[2] ? 'gzip' : 'none') : undefined;
  if (!byType && type !== 'application/octet-stream' && type !== '') return undefined;
  const name = file.toLowerCase();
  if (/\.(tar\.gz|tgz)$/.test(name)) return 'gzip';
  if (name.endsWith('.tar')) return 'none';
  return undefined;
}

/** The file a titled layer is (its title), unless it is an ORAS folder, which a pull unpacks. */
export function layerFileName(layer: Descriptor): string | undefined {
  const annotations = layer.annotations;
  if (annotations?.[Annotation.orasUnpack] === 'true') return undefined;
  return annotations?.[Annotation.title];
}

/**
 * What a layer is to a look by path (`stowage files`, a file as a container sees it): the file a pull writes under
 * its title, else a tar archive whose entries are listed when this Node can read it, else neither (a blob with no
 * name and no entries). A titled tar (ORAS pushes `x.tar` as it is, and `oras pull` writes it so, unpacking only a
 * folder it packed itself) is the file `x.tar` a pull writes and, `tar`, an archive whose entries can be looked into
 * too, as the editor's tree expands it.
 */
export type LayerForm = { kind: 'file'; path: string; tar?: true } | { kind: 'tar' } | { kind: 'opaque' };

export function layerForm(layer: Descriptor): LayerForm {
  const title = layerFileName(layer);
  const browsable = isBrowsableLayer(layer);
  if (title !== undefined)
    return { kind: 'file', path: normalisedEntryPath(title), ...(browsable ? { tar: true as const } : {}) };
  return browsable ? { kind: 'tar' } : { kind: 'opaque' };
}

/** Whether the layer can be looked into here (a tar whose compression this Node can undo). */
export function isBrowsableLayer(layer: Descriptor): boolean {
  const compression = layerTarCompression(layer);
  return compression !== undefined && (compression !== 'zstd' || hasZstd());
}

/** Every entry of the tar layer, read and verified in one pass. */
export async function listLayer(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layer: Descriptor,
  options: { signal?: AbortSignal; limits?: LayerContentsLimits; hashFiles?: boolean } = {},
): Promise<LayerListing> {
  const limits = options.limits ?? DEFAULT_LAYER_CONTENTS_LIMITS;
  const what = layerName(layer);
  const byPath = new Map<string, number>();
  // Folders the archive implies without listing them: a listing shown as folders holds them too, so they count.
  const implied = new Set<string>();
  const entries: (LayerEntry | undefined)[] = [];
  /** Where each path was last listed as no folder (a copy listed again after counts too). */
  const notFolderAt = new Map<string, number>();
  let nameChars = 0;
  const tooMany = () =>
    new OciError(
      'SIZE_EXCEEDED',
      `${what} holds more than ${counted(limits.maxEntries, 'entry', 'entries')} (its folders and paths listed again included): too many to list here; pull it to see them`,
    );
  await readLayer(target, layer, limits, options.signal, (entry) => {
    for (const name of [entry.path, entry.linkname ?? ''])
      if (Buffer.byteLength(name) > MAX_PATH_BYTES)
        throw new OciError(
          'INVALID_CONTENT',
          `${what} holds a name longer than ${MAX_PATH_BYTES} bytes ("${printable(name)}"), which no file system holds`,
        );
    nameChars += entry.path.length + (entry.linkname?.length ?? 0);
    if (nameChars > limits.maxNameChars)
      throw new OciError(
        'SIZE_EXCEEDED',
        `${what} names its entries in more than ${counted(limits.maxNameChars, 'character', 'characters')}: too much to list here; pull it to see them`,
      );
    const earlier = byPath.get(entry.path);
    if (earlier !== undefined) {
      entries[earlier] = undefined;
    } else {
      implied.delete(entry.path);
      for (let cut = entry.path.lastIndexOf('/'); cut > 0;) {
        const parent = entry.path.slice(0, cut);
        if (byPath.has(parent) || implied.has(parent)) break;
        implied.add(parent);
        cut = parent.lastIndexOf('/');
      }
    }
    // Every entry of the archive counts, a path listed again too: each takes a slot here until the end, and the
    // work of a layer listing one path millions of times is its entries, not its one path.
    if (entries.length + 1 + implied.size > limits.maxEntries) throw tooMany();
    byPath.set(entry.path, entries.length);
    if (entry.type !== 'directory') notFolderAt.set(entry.path, entries.length);
    entries.push(entry);
    return options.hashFiles && entry.type === 'file' ? { into: contentHasher(entry) } : undefined;
  });
  const kept = withoutReplacedFolders(entries, notFolderAt);
  return { entries: kept, expandedBytes: kept.reduce((sum, entry) => sum + entry.size, 0) };
}

/**
 * The entries (in order, each path's last copy; `notFolderAt` says where each path was last no folder, earlier
 * copies included) that extracting leaves: what lies under a folder that a later entry
 * replaces with a file, a link or a special file is gone with the folder (a runtime removes what is at a path
 * unless both are folders), even when the folder is listed again after it.
 */
function withoutReplacedFolders(
  entries: readonly (LayerEntry | undefined)[],
  notFolderAt: ReadonlyMap<string, number>,
): LayerEntry[] {
  // The last place at which a folder or one above it is no folder, worked out once per folder: looking up every
  // folder above every entry costs the square of a path's depth per entry (a 4 KiB path is 2,000 folders deep).
  const lastReplacedAt = new Map<string, number>([['', -1]]);
  const replacedAt = (folder: string): number => {
    const unknown: string[] = [];
    let known = lastReplacedAt.get(folder);
    for (; known === undefined; known = lastReplacedAt.get(folder)) {
      unknown.push(folder);
      const cut = folder.lastIndexOf('/');
      folder = cut > 0 ? folder.slice(0, cut) : '';
    }
    for (const below of unknown.reverse())
      lastReplacedAt.set(below, (known = Math.max(known, notFolderAt.get(below) ?? -1)));
    return known;
  };
  return entries.filter((entry, at): entry is LayerEntry => {
    if (!entry) return false;
    const cut = entry.path.lastIndexOf('/');
    return cut <= 0 || replacedAt(entry.path.slice(0, cut)) <= at;
  });
}

/** A sink that sets the file entry's `contentDigest` once its content has streamed through. */
function contentHasher(entry: LayerEntry): Writable {
  const hash = createHash('sha256');
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done();
    },
    final(done) {
      entry.contentDigest = `sha256:${hash.digest('hex')}`;
      done();
    },
  });
}

/** Where an entry's content goes when an entry callback asks for it; `end: false` leaves the stream open (stdout). */
export interface ContentSink {
  into: Writable;
  end?: boolean;
}

/**
 * Streams the layer through its digest check, the decompressor and the tar parser, calling `onEntry` for each
 * entry; resolves only once every byte of the layer was read and verified.
 */
export async function readLayer(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layer: Descriptor,
  limits: LayerContentsLimits,
  signal: AbortSignal | undefined,
  onEntry: (entry: LayerEntry) => ContentSink | undefined | Promise<ContentSink | undefined>,
): Promise<void> {
  const what = layerName(layer);
  const compression = layerTarCompression(layer);
  if (compression === undefined) throw new OciError('UNSUPPORTED', `${what} is no tar archive`);
  if (compression === 'zstd' && !hasZstd())
    throw new OciError('UNSUPPORTED', `${what} is zstd-compressed, which this Node.js cannot decompress`);
  const blob = await target.fetchBlob(layer, { signal });
  const stages: Transform[] = hashingStages(
    blob,
    new Hasher({ expected: layer.digest, expectedSize: layer.size, what }),
  );
  if (compression === 'gzip') stages.push(zlib.createGunzip());
  if (compression === 'zstd') stages.push(zstdDecompressor());
  stages.push(limitBytes(limits.maxExpandedBytes, `${what}: the uncompressed archive`));
  await forEachTarEntry(
    blob as Readable,
    stages,
    async (header, content) => {
      const sink = await onEntry(entryOf(header));
      throwIfEntryGone(content);
      if (sink) await pipeline(content, sink.into, { end: sink.end ?? true });
      else await drain(content);
    },
    what,
    signal,
  );
}

function entryOf(header: tar.Header): LayerEntry {
  const type: LayerEntryType =
    header.type === 'file' || header.type === 'contiguous-file'
      ? 'file'
      : header.type === 'directory'
        ? 'directory'
        : header.type === 'symlink'
          ? 'symlink'
          : header.type === 'link'
            ? 'hardlink'
            : 'other';
  const entry: LayerEntry = {
    path: normalisedEntryPath(header.name),
    type,
    size: type === 'file' ? (header.size ?? 0) : 0,
    mode: (header.mode ?? 0) & 0o7777,
  };
  if (type === 'symlink' && header.linkname) entry.linkname = header.linkname;
  if (type === 'hardlink' && header.linkname) entry.linkname = normalisedEntryPath(header.linkname);
  return entry;
}

/** "./usr//bin/" → "usr/bin"; "/" and "." → "" (the layer's root). */
export function normalisedEntryPath(name: string): string {
  return name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

async function drain(stream: Readable): Promise<void> {
  await pipeline(stream, new Writable({ write: (_chunk, _encoding, done) => done() }));
}

export function layerName(layer: Descriptor): string {
  const title = layer.annotations?.['org.opencontainers.image.title'];
  const named = title ? `layer "${printable(title)}"` : 'layer';
  return `${named} (${layer.digest}, ${formatBytes(layer.size)})`;
}

type ZstdZlib = { createZstdDecompress?: () => Transform };

function hasZstd(): boolean {
  return typeof (zlib as unknown as ZstdZlib).createZstdDecompress === 'function';
}

function zstdDecompressor(): Transform {
  return (zlib as unknown as ZstdZlib).createZstdDecompress!();
}

/**
 * The listing as folders: each folder's path ("" for the layer's root) to its entries, folders first, then by
 * name. Folders the archive implies (a file under `a/b/` with no entry for `a/`) are made up, as extracting would.
 */
export function layerFolders(listing: LayerListing): Map<string, LayerEntry[]> {
  const folders = new Map<string, Map<string, LayerEntry>>([['', new Map()]]);
  const folderOf = (path: string): Map<string, LayerEntry> => {
    let folder = folders.get(path);
    if (!folder) {
      folder = new Map();
      folders.set(path, folder);
      const cut = path.lastIndexOf('/');
      const parent = folderOf(cut < 0 ? '' : path.slice(0, cut));
      if (!parent.has(path)) parent.set(path, { path, type: 'directory', size: 0, mode: 0o755 });
    }
    return folder;
  };
  for (const entry of listing.entries) {
    if (entry.path === '') continue;
    if (entry.type === 'directory') folderOf(entry.path);
    const cut = entry.path.lastIndexOf('/');
    folderOf(cut < 0 ? '' : entry.path.slice(0, cut)).set(entry.path, entry);
  }
  const sorted = new Map<string, LayerEntry[]>();
  for (const [path, folder] of folders)
    sorted.set(
      path,
      [...folder.values()].sort((a, b) => {
        const [nameA, nameB] = [sortName(a.path), sortName(b.path)];
        return (
          Number(b.type === 'directory') - Number(a.type === 'directory') ||
          (nameA < nameB ? -1 : nameA > nameB ? 1 : 0)
        );
      }),
    );
  return sorted;
}

/** A whiteout sorts where the name it deletes would. */
function sortName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.startsWith(WHITEOUT_PREFIX) ? name.slice(WHITEOUT_PREFIX.length) : name;
}

/** image-spec's whiteouts: `.wh.<name>` deletes name from the layers below; the opaque marker, a folder's content. */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
