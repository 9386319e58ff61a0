// Where each file of a layout archive (a tar) starts and how long it is, read once by walking the tar headers
// with positioned reads: no body is read, nothing is extracted, memory grows with the number of entries only.
// A blob is then one byte range of the file (see ArchiveTarget.fetchBlob).
//
// tar-stream, which writes our archives, cannot say where an entry's body starts, so the headers are decoded
// here: ustar (with its 155-byte prefix), pax `path`/`size` records and GNU long names, the three forms skopeo,
// ORAS, GNU tar and bsdtar write. An archive is hostile input, refused (OciError LAYOUT, naming the entry) when
// an entry name escapes (absolute, a drive letter, `..`, a backslash), is a link, device or FIFO, appears twice, or claims a
// size that runs past the end of the file; a header whose checksum is wrong is refused too.
import { promises as fs } from 'node:fs';
import { OciError, printable, throwIfAborted } from '../oci';
import { readAllAt } from '../content';

const BLOCK = 512;
/** A pax record set or GNU long name larger than this is not a file name: refused. */
const MAX_EXTENSION_BYTES = 1024 * 1024;
/** An archive with more entries is refused (a hostile fan-out, not a layout). */
export const MAX_ARCHIVE_ENTRIES = 1_000_000;

export interface ArchiveEntry {
  /** Offset of the entry's body in the file. */
  offset: number;
  size: number;
}

export interface ArchiveEntries {
  /** Regular files by normalised name ("blobs/sha256/…", "index.json"); folders are not listed. */
  files: Map<string, ArchiveEntry>;
  /** The file's size when it was indexed. */
  archiveSize: number;
}

/** True when the first bytes are gzip's magic: an archive compressed as a whole cannot be read by byte ranges. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Reads the tar headers of `file`; `what` names the archive in errors ("oci-archive:/x.tar"). */
export async function readArchiveEntries(file: string, what: string, signal?: AbortSignal): Promise<ArchiveEntries> {
  const handle = await fs.open(file, 'r');
  try {
    const archiveSize = (await handle.stat()).size;
    const fail = (reason: string): never => {
      throw new OciError('LAYOUT', `${what}: ${reason}; this is not a layout archive Stowage will read`);
    };
    const files = new Map<string, ArchiveEntry>();
    const seen = new Set<string>();
    const header = Buffer.alloc(BLOCK);
    let position = 0;
    let pending: { path?: string; size?: number } = {};
    let count = 0;
    while (position + BLOCK <= archiveSize) {
      throwIfAborted(signal);
      await readFully(handle, header, position);
      if (header.every((b) => b === 0)) break; // end of archive (one zero block is enough, as GNU tar reads it)
      if (++count > MAX_ARCHIVE_ENTRIES) fail(`it has more than ${MAX_ARCHIVE_ENTRIES} entries`);
      if (!checksumMatches(header))
        fail(`the tar header at byte ${position} has a wrong checksum (not a tar, or damaged)`);
      const type = String.fromCharCode(header[156] || 0x30);
      const headerSize = octal(header, 124, 12);
      const size = pending.size ?? headerSize;
      if (size === undefined || !Number.isSafeInteger(size) || size < 0)
        fail(`the tar header at byte ${position} has an unreadable size`);
      const bodyStart = position + BLOCK;
      const bodyEnd = bodyStart + size!;
      // A size that runs past the end of the file is a lie (or a cut-off download): nothing after it can be trusted.
      if (bodyEnd > archiveSize)
        fail(`the entry at byte ${position} claims ${size} bytes, past the end of the file (${archiveSize} bytes)`);
      const next = bodyStart + Math.ceil(size! / BLOCK) * BLOCK;

      if (type === 'x' || type === 'L') {
        if (size! > MAX_EXTENSION_BYTES) fail(`a tar extension header at byte ${position} is ${size} bytes long`);
        const body = Buffer.alloc(size!);
        await readFully(handle, body, bodyStart);
        if (type === 'L') pending.path = cString(body);
        else pending = { ...pending, ...paxRecords(body, fail) };
        position = next;
        continue;
      }
      if (type === 'g') {
        position = next; // global pax records (comments, mtimes) say nothing a layout reader needs
        continue;
      }
      const name = normalise(pending.path ?? ustarName(header), fail);
      pending = {};
      if (seen.has(name)) fail(`the entry "${printable(name)}" appears twice (which one is meant?)`);
      seen.add(name);
      if (type === '0' || type === '7') files.set(name, { offset: bodyStart, size: size! });
      else if (type === '5') {
        // folders carry nothing; their names were checked above
      } else if (type === '1' || type === '2')
        fail(
          `the entry "${printable(name)}" is a ${type === '1' ? 'hard' : 'symbolic'} link; layouts hold regular files only`,
        );
      else fail(`the entry "${printable(name)}" has tar type "${printable(type)}"; layouts hold regular files only`);
      position = next;
    }
    return { files, archiveSize };
  } finally {
    await handle.close();
  }
}

async function readFully(handle: fs.FileHandle, buffer: Buffer, position: number): Promise<void> {
  await readAllAt(
    handle,
    buffer,
    position,
    () => new OciError('LAYOUT', `the archive ended in the middle of an entry (byte ${position})`),
  );
}

function checksumMatches(header: Buffer): boolean {
  const stored = octal(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return stored === sum;
}

/** An octal number field, or GNU's base-256 form (high bit set) for sizes of 8 GiB and more. */
function octal(header: Buffer, offset: number, length: number): number | undefined {
  const field = header.subarray(offset, offset + length);
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function ustarName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  // Only POSIX ustar ("ustar\0") has the prefix field; GNU's "ustar  " keeps other data there.
  const posix = header.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = posix ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The `path` and `size` of a pax record set ("<len> key=value\n" each). */
function paxRecords(body: Buffer, fail: (reason: string) => never): { path?: string; size?: number } {
  const result: { path?: string; size?: number } = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const space = body.indexOf(0x20, at);
    const length = space > at ? Number(body.subarray(at, space).toString('latin1')) : NaN;
    if (!Number.isSafeInteger(length) || length <= 0 || at + length > body.length) fail('a pax header is malformed');
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === 'path') result.path = value;
    else if (key === 'size') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
        fail(`a pax size "${printable(value)}" is not a size`);
      result.size = Number(value);
    }
    at += length;
  }
  return result;
}

/** "./blobs/sha256/x" and "blobs/sha256/x" are one name; anything that could leave the archive's root is refused. */
function normalise(raw: string, fail: (reason: string) => never): string {
  let name = raw;
  while (name.startsWith('./')) name = name.slice(2);
  if (name.endsWith('/')) name = name.slice(0, -1);
  if (name === '' || name === '.') return '.';
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(name))
    fail(`the entry name "${printable(raw)}" has a backslash or control characters`);
  if (name.startsWith('/')) fail(`the entry name "${printable(raw)}" is absolute`);
  if (/^[A-Za-z]:/.test(name)) fail(`the entry name "${printable(raw)}" starts with a drive letter`);
  if (name.split('/').some((part) => part === '..' || part === '' || part === '.'))
    fail(`the entry name "${printable(raw)}" escapes the archive or is not normalised`);
  return name;
}

/** The names a layout archive's entries have ("./" prefixes aside). */
const LAYOUT_NAME =
  /^(\.?\/?|blobs\/?|blobs\/[a-z0-9+._-]+\/?|blobs\/[a-z0-9+._-]+\/[a-zA-Z0-9=_-]+|index\.json|oci-layout)$/;

/**
 * Whether `file` looks like a layout archive, cheaply: a plain tar whose first `maxEntries` headers include an
 * `oci-layout` entry (only headers are read; skopeo and Stowage write it last, after the blobs). Any entry a layout
 * does not have ends the look at once, so an ordinary tarball costs one header read. Never throws.
 */
export async function isLayoutArchive(file: string, maxEntries = 4096): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const header = Buffer.alloc(BLOCK);
      const size = (await handle.stat()).size;
      let position = 0;
      for (let i = 0; i < maxEntries && position + BLOCK <= size; i++) {
        await readFully(handle, header, position);
        if (header.every((b) => b === 0) || !checksumMatches(header)) return false;
        const type = String.fromCharCode(header[156] || 0x30);
        const name = ustarName(header).replace(/^(\.\/)+/, '');
        if (name === 'oci-layout' && type === '0') return true;
        // A layout holds nothing else: any other entry ends the look at its first sight (extension headers, which
        // name the entry after them, are passed over).
        if (!['x', 'L', 'g'].includes(type) && !LAYOUT_NAME.test(name)) return false;
        const bodySize = octal(header, 124, 12);
        if (bodySize === undefined) return false;
        position += BLOCK + Math.ceil(bodySize / BLOCK) * BLOCK;
      }
      return false;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}
