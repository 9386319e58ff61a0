// The BlobStore of an OCI image layout on disk: sizes from stat, digests recomputed by streaming the file.
// Each blob is hashed at most once per (size, mtime), so a layout validation or repeated edits of a manifest
// never hash the same unchanged layer twice. Blobs are never reached through a symbolic link (noSymlinks.ts): a
// linked blob counts as missing (validateLayout reports the link itself), so nothing outside the layout is hashed.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { algorithmOf, digestProblem, encodedOf, throwIfAborted } from '../../oci';
import { openLayoutFile, statLayoutEntry } from '../../content';
import type { BlobStore } from '../store';

export interface HashedBlob {
  digest: string;
  bytes: number;
}

export class LayoutBlobStore implements BlobStore {
  private readonly hashes = new Map<string, { stamp: string; actual: Promise<string> }>();

  constructor(
    readonly root: string,
    private readonly options: { signal?: AbortSignal; onHashed?: (blob: HashedBlob) => void } = {},
  ) {}

  /** The blob's file, or undefined when `digest` is not a usable digest (so it can name no file). */
  blobPath(digest: string): string | undefined {
    if (digestProblem(digest)) return undefined;
    return path.join(this.root, 'blobs', algorithmOf(digest), encodedOf(digest));
  }

  async blobSize(digest: string): Promise<number | undefined> {
    const file = this.blobPath(digest);
    const stat = file ? await statLayoutEntry(this.root, file).catch(() => undefined) : undefined;
    return stat?.isFile() ? stat.size : undefined;
  }

  async computeDigest(digest: string): Promise<string> {
    const file = this.blobPath(digest);
    if (!file) return digest;
    const stat = await statLayoutEntry(this.root, file);
    if (!stat) throw new Error(`${file} is missing`);
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const cached = this.hashes.get(digest);
    if (cached?.stamp === stamp) return cached.actual;
    const actual = this.hash(file, digest, stat);
    this.hashes.set(digest, { stamp, actual });
    actual.catch(() => this.hashes.delete(digest));
    return actual;
  }

  /** Whether the stored bytes under `digest` were hashed and found to match it (undefined: not hashed yet). */
  async verified(digest: string): Promise<boolean | undefined> {
    const cached = this.hashes.get(digest);
    return cached ? (await cached.actual) === digest : undefined;
  }

  /** Hashes the file checked as `checked` (the stamp cached with the result is that file's), never another. */
  private async hash(file: string, digest: string, checked: Stats): Promise<string> {
    const size = checked.size;
    const hash = createHash(algorithmOf(digest));
    const { handle } = await openLayoutFile(this.root, file, `blob ${digest}`, checked);
    for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024 })) {
      throwIfAborted(this.options.signal);
      hash.update(chunk as Buffer);
    }
    const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`;
    this.options.onHashed?.({ digest, bytes: size });
    return actual;
  }
}
