// Blobs an archive write takes straight from a local layout's files: named, not copied, until the archive is written, when each is copied into the tar once and verified on the way (archiveWriter.ts).
//
// The names are kept in the staging folder too (one JSON line each), so that a run that fails leaves staging
// whole: a staged manifest never names a blob the next run cannot find. The list is flushed to disk before a
// manifest is staged (the manifest's index entry is fsync'd, so its blobs' names must be first), not per blob.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isDigest } from '../oci';

export const LOCAL_BLOBS_FILE = 'stowage-local-blobs.jsonl';

export interface LocalBlob {
  file: string;
  size: number;
}

export class LocalBlobs {
  private readonly blobs = new Map<string, LocalBlob>();
  private unsynced = false;
  private syncing: Promise<void> | undefined;

  private constructor(private readonly listFile: string) {}

  /** The list kept in `stagingFolder` (empty when there is none yet). Malformed lines are ignored. */
  static async load(stagingFolder: string): Promise<LocalBlobs> {
    const list = new LocalBlobs(path.join(stagingFolder, LOCAL_BLOBS_FILE));
    const text = await fs.readFile(list.listFile, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      try {
        const { digest, size, file } = JSON.parse(line) as { digest?: unknown; size?: unknown; file?: unknown };
        if (typeof digest !== 'string' || !isDigest(digest)) continue;
        if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) continue;
        if (typeof file !== 'string' || !path.isAbsolute(file)) continue;
        list.blobs.set(digest, { file, size });
      } catch {
        // a line cut short by a crash
      }
    }
    return list;
  }

  get(digest: string): LocalBlob | undefined {
    return this.blobs.get(digest);
  }

  entries(): IterableIterator<[string, LocalBlob]> {
    return this.blobs.entries();
  }

  async add(digest: string, blob: LocalBlob): Promise<void> {
    const known = this.blobs.get(digest);
    if (known?.file === blob.file && known.size === blob.size) return;
    await fs.appendFile(this.listFile, `${JSON.stringify({ digest, size: blob.size, file: blob.file })}\n`);
    this.blobs.set(digest, blob);
    this.unsynced = true;
  }

  /** Makes the list durable (before a manifest naming its blobs is staged). */
  async sync(): Promise<void> {
    if (!this.unsynced) return this.syncing;
    this.unsynced = false;
    const syncing = (async () => {
      await this.syncing;
      const handle = await fs.open(this.listFile, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    })();
    this.syncing = syncing;
    return syncing;
  }
}
