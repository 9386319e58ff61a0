// A graph made ready before a copy (one manifest and the blobs it names), served to copy() as its source: files
// packed for a push, a signature or SBOM built in memory for an attach. Everything is then stored by the one walk.
import type { Readable } from 'node:stream';
import { type Descriptor, NotFoundError } from '../oci';
import type {
  BlobContent,
  BlobFile,
  BlobFileSource,
  FetchedManifest,
  ReadOnlyTarget,
  TransferOptions,
} from '../content';

export class StagedGraph implements ReadOnlyTarget, BlobFileSource {
  private readonly blobs = new Map<string, BlobContent>();

  constructor(
    readonly location: string,
    private readonly root: FetchedManifest,
    blobs: Iterable<{ descriptor: Descriptor; content: BlobContent }>,
  ) {
    for (const blob of blobs) this.blobs.set(blob.descriptor.digest, blob.content);
  }

  /** The one manifest, by its digest: a staged graph has no tags. */
  async resolve(tagOrDigest: string): Promise<Descriptor> {
    if (tagOrDigest !== this.root.descriptor.digest)
      throw new NotFoundError(`manifest ${tagOrDigest} in ${this.location}`);
    return this.root.descriptor;
  }

  async fetchManifest(ref: string | Descriptor): Promise<FetchedManifest> {
    const descriptor = await this.resolve(typeof ref === 'string' ? ref : ref.digest);
    return { descriptor, bytes: this.root.bytes, manifest: this.root.manifest };
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return descriptor.digest === this.root.descriptor.digest || this.blobs.has(descriptor.digest);
  }

  async blobFile(descriptor: Descriptor): Promise<BlobFile | undefined> {
    const content = this.blobs.get(descriptor.digest);
    return content?.file ? { path: content.file, checked: content.fileChecked, range: content.fileRange } : undefined;
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    const content = this.blobs.get(descriptor.digest);
    if (!content) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    return content(0, options.signal);
  }
}
