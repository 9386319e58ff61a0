// A destination that moves nothing, for `--dry-run`: the very same copy walk runs against it, so the plan is
// what the real run would do. It answers "is it there?" from the real destination (when there is one) and from
// what the walk "pushed" so far; a pushed blob is recorded by digest and its content is never opened (nothing is
// downloaded), a pushed manifest is kept (small) so the walk can read back the referrers indexes it updates.
import type { Readable } from 'node:stream';
import { type Descriptor, NotFoundError, printable } from '../oci';
import type {
  BlobContent,
  Cancellable,
  FetchedManifest,
  PushManifestResult,
  ReadOnlyTarget,
  Target,
  TransferOptions,
} from '../content';
import { keepsWholeGraphs, parseManifestBytes, verifyBytes } from '../content';

export class DryRunTarget implements Target {
  readonly kind = 'memory';
  readonly location: string;
  private readonly blobs = new Set<string>();
  private readonly manifests = new Map<string, { descriptor: Descriptor; bytes: Buffer }>();
  private readonly tags = new Map<string, Descriptor>();
  /** As the real destination: the plan then skips what the real run would skip (see WholeGraphKeeper). */
  readonly keepsWholeGraphs: boolean;

  /** `base`: the real destination, read only (undefined when it does not exist yet). */
  constructor(
    private readonly base: ReadOnlyTarget | undefined,
    location: string,
  ) {
    this.location = location;
    this.keepsWholeGraphs = keepsWholeGraphs(base);
  }

  async resolve(tagOrDigest: string, options: Cancellable = {}): Promise<Descriptor> {
    const known = this.tags.get(tagOrDigest) ?? this.manifests.get(tagOrDigest)?.descriptor;
    if (known) return { ...known };
    if (!this.base) throw new NotFoundError(`"${printable(tagOrDigest)}" in ${this.location}`);
    return this.base.resolve(tagOrDigest, options);
  }

  async fetchManifest(ref: string | Descriptor, options: Cancellable = {}): Promise<FetchedManifest> {
    const descriptor = typeof ref === 'string' ? await this.resolve(ref, options) : ref;
    const kept = this.manifests.get(descriptor.digest);
    if (kept) {
      verifyBytes(`${this.location}: manifest ${descriptor.digest}`, kept.bytes, descriptor.digest);
      return {
        descriptor: kept.descriptor,
        bytes: kept.bytes,
        manifest: parseManifestBytes(kept.bytes, this.location),
      };
    }
    if (!this.base) throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location}`);
    return this.base.fetchManifest(descriptor, options);
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    if (!this.base || this.blobs.has(descriptor.digest))
      throw new NotFoundError(`blob ${descriptor.digest} in ${this.location} (a dry run stores no bytes)`);
    return this.base.fetchBlob(descriptor, options);
  }

  async exists(descriptor: Descriptor, options: Cancellable = {}): Promise<boolean> {
    if (this.blobs.has(descriptor.digest) || this.manifests.has(descriptor.digest)) return true;
    return this.base ? this.base.exists(descriptor, options) : false;
  }

  async pushBlob(descriptor: Descriptor, _content: BlobContent): Promise<void> {
    this.blobs.add(descriptor.digest);
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    this.manifests.set(descriptor.digest, { descriptor, bytes });
    if (options.tag !== undefined) this.tags.set(options.tag, descriptor);
    return { subjectIndexed: false };
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    this.tags.set(tag, descriptor);
  }

  async *listTags(): AsyncIterable<string[]> {
    yield [...this.tags.keys()].sort();
  }

  async deleteManifest(descriptor: Descriptor): Promise<void> {
    this.manifests.delete(descriptor.digest);
  }
}
