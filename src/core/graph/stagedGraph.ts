// A graph made ready before a copy (one manifest and the blobs it names), served to copy() as its source: files
// packed for a push, a signature or SBOM built in memory for an attach. Everything is then stored by the one walk.
import type { Readable } from 'node:stream';
import { type Descriptor, NotFoundError } from '../oci';
import type { BlobContent, FetchedManifest, TransferOptions } from '../content';

export class StagedGraph {
  private readonly blobs = new Map<string, BlobContent>();

  constructor(
    readonly location: string,
    private readonly root: FetchedManifest,
    blobs: Iterable<{ descriptor: Descriptor; content: BlobContent }>,
  ) {
    for (const blob of blobs) this.blobs.set(blob.descriptor.digest, blob.content);
  }

  async fetchManifest(ref: string | Descriptor): Promise<FetchedManifest> {
    const digest = typeof ref === 'string' ? ref : ref.digest;
    if (digest !== this.root.descriptor.digest) throw new NotFoundError(`manifest ${digest} in ${this.location}`);
    return { descriptor: this.root.descriptor, bytes: this.root.bytes, manifest: this.root.manifest };
  }

  async blobFile(descriptor: Descriptor): Promise<string | undefined> {
    return this.blobs.get(descriptor.digest)?.file;
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    const content = this.blobs.get(descriptor.digest);
    if (!content) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    return content(0, options.signal);
  }
}
