// Writes a layout archive: a plain tar (as skopeo's `oci-archive:` and ORAS's `--oci-layout` with a .tar write
// and read) holding oci-layout, index.json and blobs/<alg>/<encoded>. Deterministic: entries sorted by name,
// mtime 0, uid/gid 0, no user or group names, files 0644 and folders 0755, so the same content always gives the
// same bytes. Written into a temp file beside the destination and renamed over it only once complete and fsync'd.
//
// The headers are encoded here (POSIX ustar; a pax record for a name or size ustar cannot hold) and the bodies
// written with positioned writes of the chunks as they are read: a stream library in between (tar-stream) cost
// about three times what `tar -cf` takes for the same bytes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { AbortedError, OciError, throwIfAborted } from '../oci';
import { removeQuietly, syncDirectory, tempPathIn } from '../content';

const BLOCK = 512;
/** The largest size an 11-digit octal field holds (8 GiB - 1); larger ones go in a pax record. */
const MAX_OCTAL_SIZE = 0o77777777777;

export interface ArchiveFile {
  /** "index.json", "blobs/sha256/<encoded>"… ("/"-separated, relative). */
  name: string;
  size: number;
  /** The file's bytes; the stream must fail rather than end short or long. */
  open(signal?: AbortSignal): Promise<Readable>;
}

/** Writes `files` (and the folders above them) as a deterministic tar at `destination`, atomically. */
export async function writeLayoutArchive(
  destination: string,
  files: readonly ArchiveFile[],
  signal?: AbortSignal,
): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.name.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const entries = [
    ...[...folders].map((name) => ({ name: `${name}/`, file: undefined })),
    ...files.map((file) => ({ name: file.name, file })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const temp = tempPathIn(path.dirname(destination), `.${path.basename(destination)}.`);
  const handle = await fs.open(temp, 'wx');
  let position = 0;
  const write = async (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length;)
      done += (await handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
    position += bytes.length;
  };
  try {
    for (const entry of entries) {
      throwIfAborted(signal);
      await write(entryHeaders(entry.name, entry.file?.size ?? 0, entry.file ? '0' : '5'));
      if (!entry.file) continue;
      let written = 0;
      for await (const chunk of await entry.file.open(signal)) {
        if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
        written += (chunk as Buffer).length;
        if (written > entry.file.size) break;
        await write(chunk as Buffer);
      }
      if (written !== entry.file.size)
        throw new OciError('INVALID_CONTENT', `${entry.name}: expected ${entry.file.size} bytes, got ${written}`);
      const padding = (BLOCK - (written % BLOCK)) % BLOCK;
      if (padding) await write(Buffer.alloc(padding));
    }
    await write(Buffer.alloc(2 * BLOCK)); // the end-of-archive marker
    await handle.sync();
    await handle.close();
    await fs.rename(temp, destination);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await removeQuietly(temp);
    throw err;
  }
  await syncDirectory(path.dirname(destination));
}

/** The header block(s) of one entry: a pax record first when the name or size does not fit ustar. */
function entryHeaders(name: string, size: number, type: '0' | '5'): Buffer {
  const split = splitName(name);
  const records: string[] = [];
  if (!split) records.push(paxRecord('path', name));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord('size', String(size)));
  const main = ustarHeader(split ?? { prefix: '', name: name.slice(0, 100) }, size > MAX_OCTAL_SIZE ? 0 : size, type);
  if (!records.length) return main;
  const body = Buffer.from(records.join(''), 'utf8');
  const paxHeader = ustarHeader({ prefix: '', name: 'PaxHeader' }, body.length, 'x');
  const padding = Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK);
  return Buffer.concat([paxHeader, body, padding, main]);
}

/** "<length> key=value\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length++;
  return `${length}${rest}`;
}

/** ustar's name (100 bytes) and prefix (155 bytes, split at a "/"), or undefined when it cannot hold the name. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
    const prefix = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '')
      return { prefix, name: rest };
  }
  return undefined;
}

function ustarHeader(name: { prefix: string; name: string }, size: number, type: '0' | '5' | 'x'): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(name.name, 0, 100, 'utf8');
  header.write(type === '5' ? '0000755\0' : '0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1'); // uid
  header.write('0000000\0', 116, 'latin1'); // gid
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1'); // mtime
  header.write(type, 156, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  header.write('0000000\0', 329, 'latin1'); // devmajor
  header.write('0000000\0', 337, 'latin1'); // devminor
  header.write(name.prefix, 345, 155, 'utf8');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += header[i]!;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}
