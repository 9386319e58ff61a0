// A Target kept in memory: just enough store for the sign → push → find referrers → verify round trip. It has
// no referrers API, so the shared fallback-tag code in referrers.ts does the indexing, as for Docker Hub.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Descriptor, Manifest } from '../../../src/core/oci/descriptor';
import { verifyBytes } from '../../../src/core/content/hashing';
import { NotFoundError } from '../../../src/core/oci/errors';
import type { BlobContent, FetchedManifest, PushManifestResult, Target } from '../../../src/core/content/target';

export class MemoryTarget implements Target {
  readonly kind = 'layout';
  readonly location = 'memory';
  readonly blobs = new Map<string, Buffer>();
  readonly manifests = new Map<string, { descriptor: Descriptor; bytes: Buffer }>();
  readonly tags = new Map<string, string>();

  async resolve(tagOrDigest: string): Promise<Descriptor> {
    const stored = this.manifests.get(this.tags.get(tagOrDigest) ?? tagOrDigest);
    if (!stored) throw new NotFoundError(`manifest ${tagOrDigest}`);
    return stored.descriptor;
  }

  async fetchManifest(ref: string | Descriptor): Promise<FetchedManifest> {
    const descriptor = await this.resolve(typeof ref === 'string' ? ref : ref.digest);
    const { bytes } = this.manifests.get(descriptor.digest)!;
    return { descriptor, bytes, manifest: JSON.parse(bytes.toString()) as Manifest };
  }

  async fetchBlob(descriptor: Descriptor): Promise<Readable> {
    const bytes = this.blobs.get(descriptor.digest);
    if (!bytes) throw new NotFoundError(`blob ${descriptor.digest}`);
    return Readable.from([bytes]);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    return this.blobs.has(descriptor.digest) || this.manifests.has(descriptor.digest);
  }

  async pushBlob(descriptor: Descriptor, content: BlobContent): Promise<void> {
    const bytes = await buffer(await content(0));
    verifyBytes('blob', bytes, descriptor.digest, descriptor.size);
    this.blobs.set(descriptor.digest, bytes);
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string } = {},
  ): Promise<PushManifestResult> {
    verifyBytes('manifest', bytes, descriptor.digest, descriptor.size);
    this.manifests.set(descriptor.digest, {
      descriptor: { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size },
      bytes,
    });
    if (options.tag) this.tags.set(options.tag, descriptor.digest);
    return { subjectIndexed: false };
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    this.tags.set(tag, descriptor.digest);
  }

  async *listTags(): AsyncIterable<string[]> {
    yield [...this.tags.keys()];
  }

  async deleteManifest(descriptor: Descriptor): Promise<void> {
    this.manifests.delete(descriptor.digest);
    for (const [tag, digest] of this.tags) if (digest === descriptor.digest) this.tags.delete(tag);
  }
}
