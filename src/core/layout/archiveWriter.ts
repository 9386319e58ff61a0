// Writes a layout archive: a plain tar (as skopeo's `oci-archive:` and ORAS's `--oci-layout` with a .tar write
// and read) holding oci-layout, index.json and blobs/<alg>/<encoded>. Deterministic: entries sorted by name,
// mtime 0, uid/gid 0, no user or group names, files 0644 and folders 0755, so the same content always gives the
// same bytes. Written into a temp file beside the destination and renamed over it only once complete and fsync'd.
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { throwIfAborted } from '../oci';
import { removeQuietly, syncDirectory, tempPathIn } from '../content';
import { promises as fs } from 'node:fs';

const EPOCH = new Date(0);
const WRITE_BUFFER = 1024 * 1024;

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
    ...[...folders].map((name) => ({ name: `${name}/`, folder: true as const })),
    ...files.map((file) => ({ name: file.name, file })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const temp = tempPathIn(path.dirname(destination), `.${path.basename(destination)}.`);
  const pack = tar.pack();
  const sink = createWriteStream(temp, { flags: 'wx', highWaterMark: WRITE_BUFFER, flush: true });
  const written = pipeline(pack, sink, { signal });
  try {
    for (const entry of entries) {
      throwIfAborted(signal);
      const base = { name: entry.name, mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' };
      if ('folder' in entry) {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ ...base, type: 'directory', mode: 0o755 }, (err) => (err ? reject(err) : resolve())),
        );
        continue;
      }
      const source = await entry.file.open(signal);
      await new Promise<void>((resolve, reject) => {
        const body = pack.entry({ ...base, type: 'file', mode: 0o644, size: entry.file.size }, (err) =>
          err ? reject(err) : resolve(),
        );
        pipeline(source, body, { signal }).catch(reject);
      });
    }
    pack.finalize();
    await written;
    await fs.rename(temp, destination);
  } catch (err) {
    pack.destroy();
    await written.catch(() => undefined);
    await removeQuietly(temp);
    throw err;
  }
  await syncDirectory(path.dirname(destination));
}
