// A Target kept in memory, honouring the whole contract as the registry and layout stores do: pushes are
// verified while they stream (nothing is kept on a size or digest mismatch), manifests are capped and checked,
// tags follow the tag grammar. Without a referrers API (the default) the graph code keeps fallback tags, as for
// a registry without the API; with `referrersApi` it answers from the `subject` of the manifests it holds, as a
// registry with the API does. It is what the graph walk and the features above it are unit-tested over.
import { constants } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import {
  artifactTypeOf,
  type Descriptor,
  type Manifest,
  MAX_MANIFEST_BYTES,
  NotFoundError,
  OciError,
  SizeExceededError,
  printable,
  throwIfAborted,
} from '../oci';
import {
  Hasher,
  HashingStream,
  mediaTypeOfManifest,
  openHashing,
  checkTagIn,
  manifestToKeep,
  taggedTypeIn,
  parseManifestBytes,
  verifyBytes,
  type BlobContent,
  type FetchedManifest,
  type PushManifestResult,
  type ReferrersLister,
  type ReferrersLock,
  type Target,
  type Untagger,
  type TransferOptions,
  type Cancellable,
  destroyOnAbort,
  tagPages,
  type TagListing,
} from '../content';

export interface MemoryTargetOptions {
  /** Where this store is, for messages (default "memory"). */
  location?: string;
  /**
   * Answer referrers queries from the manifests held (their `subject`), like a registry with the referrers API;
   * pushes of a manifest with a subject then report it indexed. Default false: fallback tags, like Docker Hub.
   */
  referrersApi?: boolean;
}

interface StoredManifest {
  descriptor: Descriptor;
  bytes: Buffer;
  manifest: Manifest;
}

export class MemoryTarget implements Target, ReferrersLister, ReferrersLock, Untagger {
  readonly kind = 'memory' as const;
  readonly location: string;
  private readonly blobs = new Map<string, Buffer>();
  private readonly manifests = new Map<string, StoredManifest>();
  /** Each tag's digest and the media type it records (taggedMediaType: what the bytes declare, as a layout's). */
  private readonly tags = new Map<string, { digest: string; mediaType: string }>();
  private readonly referrersApi: boolean;
  private referrersTurn: Promise<unknown> = Promise.resolve();

  constructor(options: MemoryTargetOptions = {}) {
    this.location = options.location ?? 'memory';
    this.referrersApi = options.referrersApi ?? false;
  }

  async resolve(tagOrDigest: string, { signal }: Cancellable = {}): Promise<Descriptor> {
    throwIfAborted(signal);
    const tagged = this.tags.get(tagOrDigest);
    const stored = this.manifests.get(tagged?.digest ?? tagOrDigest);
    if (!stored) throw new NotFoundError(`manifest "${printable(tagOrDigest)}" in ${this.location}`);
    return { ...stored.descriptor, ...(tagged ? { mediaType: tagged.mediaType } : {}) };
  }

  async fetchManifest(ref: string | Descriptor, { signal }: Cancellable = {}): Promise<FetchedManifest> {
    const resolved = typeof ref === 'string' ? await this.resolve(ref, { signal }) : ref;
    const what = `${this.location}: manifest ${resolved.digest}`;
    if (resolved.size > MAX_MANIFEST_BYTES) throw new SizeExceededError(what, MAX_MANIFEST_BYTES);
    throwIfAborted(signal);
    const stored = this.manifests.get(resolved.digest);
    if (!stored) throw new NotFoundError(`manifest ${resolved.digest} in ${this.location}`);
    verifyBytes(what, stored.bytes, resolved.digest, resolved.size);
    const descriptor = { ...resolved, mediaType: resolved.mediaType || stored.descriptor.mediaType };
    return { descriptor, bytes: stored.bytes, manifest: parseManifestBytes(stored.bytes, what) };
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    // Manifests are blobs too (a layout and distribution serve them by digest from the blob store).
    const bytes = this.blobs.get(descriptor.digest) ?? this.manifests.get(descriptor.digest)?.bytes;
    if (!bytes) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    // Checked on the way out like every store's blobs (a caller asking with the wrong size learns it here), by a
    // HashingStream, so a store it is copied into counts the bytes instead of hashing them again.
    const verified = new HashingStream({
      expected: descriptor.digest,
      expectedSize: descriptor.size,
      what: `${this.location}: blob ${descriptor.digest}`,
      onBytes: options.onBytes,
    });
    pipeline(Readable.from(slicesOf(bytes)), verified, () => undefined);
    return destroyOnAbort(verified, options.signal);
  }

  async exists(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<boolean> {
    throwIfAborted(signal);
    const bytes = this.blobs.get(descriptor.digest) ?? this.manifests.get(descriptor.digest)?.bytes;
    return bytes !== undefined && bytes.length === descriptor.size;
  }

  async pushBlob(descriptor: Descriptor, content: BlobContent, options: TransferOptions = {}): Promise<void> {
    const { signal, onBytes } = options;
    throwIfAborted(signal);
    const what = `${this.location}: blob ${descriptor.digest}`;
    if (!Number.isSafeInteger(descriptor.size) || descriptor.size < 0)
      throw new OciError('INVALID_CONTENT', `${what}: size ${descriptor.size} is not a byte count`);
    if (descriptor.size > constants.MAX_LENGTH) throw new SizeExceededError(what, constants.MAX_LENGTH);
    if (this.blobs.get(descriptor.digest)?.length === descriptor.size) return; // stored already: not read again
    const hasher = new Hasher({ expected: descriptor.digest, expectedSize: descriptor.size, what, onBytes });
    // One buffer of the announced size, filled as the bytes pass the hasher (which refuses a byte too many):
    // the blob is held once, never as chunks plus their concatenation.
    const bytes = Buffer.alloc(descriptor.size);
    let filled = 0;
    for await (const chunk of await openHashing(content, hasher, signal)) {
      throwIfAborted(signal);
      filled += (chunk as Buffer).copy(bytes, filled);
    }
    // A verified source is only counted, not hashed here; it failed its stream on a mismatch, so the end is clean.
    if (filled !== descriptor.size)
      throw new OciError(
        'INVALID_CONTENT',
        `${what}: size mismatch (expected ${descriptor.size} bytes, got ${filled})`,
      );
    this.blobs.set(descriptor.digest, bytes);
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    const { tag, signal } = options;
    throwIfAborted(signal);
    // Refused before anything is kept, as a layout refuses it.
    const { manifest, taggedType } = manifestToKeep(this.location, descriptor, bytes, tag);
    const tagged = taggedType !== undefined ? { digest: descriptor.digest, mediaType: taggedType } : undefined;
    const mediaType = descriptor.mediaType || mediaTypeOfManifest(manifest);
    // A copy: the caller may reuse its buffer, and a store's bytes must not change under their digest.
    const stored = { mediaType, digest: descriptor.digest, size: descriptor.size };
    this.manifests.set(descriptor.digest, { descriptor: stored, bytes: Buffer.from(bytes), manifest });
    if (tag !== undefined && tagged) this.tags.set(tag, tagged);
    return { subjectIndexed: this.referrersApi && manifest.subject !== undefined };
  }

  async tag(descriptor: Descriptor, tag: string, { signal }: Cancellable = {}): Promise<void> {
    throwIfAborted(signal);
    checkTagIn(this.location, tag);
    const stored = this.manifests.get(descriptor.digest);
    if (!stored) throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location} (cannot tag it "${tag}")`);
    // The type the manifest's own bytes declare, as the registry and layout stores record it (taggedMediaType).
    const mediaType = taggedTypeIn(this.location, stored.manifest, descriptor);
    this.tags.set(tag, { digest: descriptor.digest, mediaType });
  }

  async *listTags(options: TagListing = {}): AsyncIterable<string[]> {
    yield* tagPages(this.tags.keys(), options);
  }

  /** Removes the manifest and every tag naming it. */
  async deleteManifest(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<void> {
    throwIfAborted(signal);
    if (!this.manifests.delete(descriptor.digest))
      throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location}`);
    for (const [tag, { digest }] of this.tags) if (digest === descriptor.digest) this.tags.delete(tag);
  }

  /** Removes one tag, leaving the manifest (as a layout does). */
  async untag(tag: string, { signal }: Cancellable = {}): Promise<void> {
    throwIfAborted(signal);
    if (!this.tags.delete(tag)) throw new NotFoundError(`tag "${printable(tag)}" in ${this.location}`);
  }

  /** The referrers of `digest` from the manifests held, or undefined without `referrersApi` (fallback tags then). */
  async nativeReferrers(
    digest: string,
    options: { artifactType?: string; signal?: AbortSignal } = {},
  ): Promise<Descriptor[] | undefined> {
    throwIfAborted(options.signal);
    if (!this.referrersApi) return undefined;
    const found: Descriptor[] = [];
    for (const { descriptor, manifest } of this.manifests.values()) {
      if (manifest.subject?.digest !== digest) continue;
      const artifactType = artifactTypeOf(manifest);
      if (options.artifactType && artifactType !== options.artifactType) continue;
      const entry: Descriptor = { ...descriptor };
      if (artifactType) entry.artifactType = artifactType;
      if (manifest.annotations && Object.keys(manifest.annotations).length)
        entry.annotations = { ...manifest.annotations };
      found.push(entry);
    }
    return found;
  }

  /** Referrers-index updates take turns: every writer of this store lives in this process. */
  withReferrersLock<T>(work: () => Promise<T>, { signal }: Cancellable = {}): Promise<T> {
    const run = async () => {
      throwIfAborted(signal);
      return work();
    };
    const result = this.referrersTurn.then(run, run);
    this.referrersTurn = result.catch(() => undefined);
    return result;
  }
}

/** Stored bytes in network-sized slices (views, not copies), so progress moves as it does for other stores. */
function* slicesOf(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
