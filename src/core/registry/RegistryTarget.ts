// One repository in a registry as a Target: manifests and blobs in and out, tags, referrers, mounts.
import type { Readable } from 'node:stream';
import {
  type Descriptor,
  type ImageIndex,
  algorithmOf,
  assertDigest,
  isDigest,
  DigestMismatchError,
  NotFoundError,
  OciError,
  MANIFEST_ACCEPT,
  MAX_MANIFEST_BYTES,
  isManifestOrIndex,
  isIndexType,
  tagProblem,
} from '../oci';
import {
  digestOf,
  parseManifestBytes,
  taggedMediaType,
  verifyBytes,
  type BlobContent,
  type FetchedManifest,
  type PushManifestResult,
  type Target,
  type TransferOptions,
  type UnhashedBlobOptions,
  type BlobReadChecker,
  type Mounter,
  type ReferrersLister,
  type UnhashedBlobPusher,
  type UnverifiedBlobReader,
  type Cancellable,
  type TagListing,
  type Warner,
  type WholeGraphKeeper,
} from '../content';
import { downloadBlob, downloadBlobChunks } from './blobDownload';
import { cancelUpload, uploadBlob, uploadUnhashed, type UploadTuning } from './blobUpload';
import { blobPresence, blobReadable, headNeedsGet, requireSize } from './blobPresence';
import { probeReferrersApi } from './capabilities';
import { readCapped } from './cappedBody';
import { errorForResponse, errorForTransport } from './registryErrors';
import { isRetryableError } from './retry';
import { pagedJson } from './paging';
import type { RegistryClient, RegistryResponse } from './RegistryClient';
import { repositoryScope } from './scopes';

export type RegistryTargetOptions = Partial<UploadTuning>;

const MANIFEST_BODY_ATTEMPTS = 3;

export class RegistryTarget
  implements
    Target,
    BlobReadChecker,
    Mounter,
    ReferrersLister,
    UnhashedBlobPusher,
    UnverifiedBlobReader,
    Warner,
    WholeGraphKeeper
{
  readonly kind = 'registry' as const;
  readonly keepsWholeGraphs = true as const;
  readonly location: string;

  constructor(
    readonly client: RegistryClient,
    readonly repository: string,
    private readonly options: RegistryTargetOptions = {},
  ) {
    this.location = `${client.host}/${repository}`;
  }

  /** Warner: the user hears it where this registry's own warnings go. */
  warn(text: string): void {
    this.client.warn(text);
  }

  private get pull(): string[] {
    return [repositoryScope(this.repository, ['pull'])];
  }

  private get push(): string[] {
    return [repositoryScope(this.repository, ['pull', 'push'])];
  }

  private manifestUrl(reference: string): string {
    const problem = isDigest(reference) ? undefined : tagProblem(reference);
    if (problem) throw new OciError('INVALID_REFERENCE', `"${reference}" is not a digest, and ${problem}`);
    return `/v2/${this.repository}/manifests/${reference}`;
  }

  private what(reference: string): string {
    return `manifest ${this.location}${isDigest(reference) ? '@' : ':'}${reference}`;
  }

  async resolve(tagOrDigest: string, { signal }: Cancellable = {}): Promise<Descriptor> {
    const what = this.what(tagOrDigest);
    const res = await this.client.request({
      method: 'HEAD',
      url: this.manifestUrl(tagOrDigest),
      scopes: this.pull,
      signal,
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (res.status !== 200) {
      if (!headNeedsGet(res.status))
        throw await errorForResponse(this.client.host, what, res.status, res.body, res.headers);
      await res.body.dump();
      return (await this.fetchManifest(tagOrDigest, { signal })).descriptor;
    }
    await res.body.dump();
    const digest = headerString(res.headers['docker-content-digest']);
    const mediaType = headerString(res.headers['content-type'])?.split(';')[0]?.trim();
    const size = Number(headerString(res.headers['content-length']));
    // Without a digest header (some proxies strip it) the manifest itself must be read and hashed.
    if (
      !digest ||
      !isDigest(digest) ||
      !mediaType ||
      !Number.isFinite(size) ||
      (isDigest(tagOrDigest) && digest !== tagOrDigest)
    ) {
      return (await this.fetchManifest(tagOrDigest, { signal })).descriptor;
    }
    return { mediaType, digest, size };
  }

  /** GET of a manifest, read whole; a body cut off part way is fetched again (a small, safe GET). */
  private async readManifest(
    reference: string,
    what: string,
    signal?: AbortSignal,
  ): Promise<{ res: RegistryResponse; bytes: Buffer }> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.client.expect(
        {
          method: 'GET',
          url: this.manifestUrl(reference),
          scopes: this.pull,
          signal,
          headers: { accept: MANIFEST_ACCEPT },
        },
        [200],
        what,
      );
      try {
        return {
          res,
          bytes: await readCapped(res.body, res.headers['content-length'], {
            limit: MAX_MANIFEST_BYTES,
            what,
            path: this.manifestUrl(reference),
          }),
        };
      } catch (err) {
        if (err instanceof OciError) throw err;
        if (attempt < MANIFEST_BODY_ATTEMPTS && isRetryableError(err) && !signal?.aborted) continue;
        throw errorForTransport(this.client.host, err, signal);
      }
    }
  }

  async fetchManifest(ref: string | Descriptor, { signal }: Cancellable = {}): Promise<FetchedManifest> {
    const reference = typeof ref === 'string' ? ref : ref.digest;
    const what = this.what(reference);
    const { res, bytes } = await this.readManifest(reference, what, signal);
    let digest: string;
    if (isDigest(reference)) {
      verifyBytes(what, bytes, reference, typeof ref === 'string' ? undefined : ref.size);
      digest = reference;
    } else {
      const claimed = headerString(res.headers['docker-content-digest']);
      digest = digestOf(bytes, claimed && isDigest(claimed) ? algorithmOf(claimed) : 'sha256');
      if (claimed && isDigest(claimed) && claimed !== digest) throw new DigestMismatchError(what, claimed, digest);
    }
    const manifest = parseManifestBytes(bytes, what);
    const mediaType =
      (typeof manifest.mediaType === 'string' && manifest.mediaType) ||
      headerString(res.headers['content-type'])?.split(';')[0]?.trim() ||
      '';
    const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
    if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
    return { descriptor, bytes, manifest };
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    assertDigest(descriptor.digest);
    return downloadBlob(this.client, this.repository, descriptor, options);
  }

  async fetchBlobUnverified(descriptor: Descriptor, options: TransferOptions = {}): Promise<AsyncIterable<Buffer>> {
    assertDigest(descriptor.digest);
    return downloadBlobChunks(this.client, this.repository, descriptor, options);
  }

  async exists(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<boolean> {
    assertDigest(descriptor.digest);
    if (!isManifestOrIndex(descriptor.mediaType))
      return (await blobPresence(this.client, this.repository, descriptor.digest, { signal })) !== undefined;
    const res = await this.client.request({
      method: 'HEAD',
      url: `/v2/${this.repository}/manifests/${descriptor.digest}`,
      scopes: this.pull,
      signal,
      headers: { accept: MANIFEST_ACCEPT },
    });
    await res.body.dump();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    if (headNeedsGet(res.status)) {
      try {
        await this.fetchManifest(descriptor, { signal });
        return true;
      } catch (err) {
        if (err instanceof NotFoundError) return false;
        throw err;
      }
    }
    throw await errorForResponse(
      this.client.host,
      `manifest ${descriptor.digest} in ${this.location}`,
      res.status,
      res.body,
      res.headers,
    );
  }

  async blobReadable(digest: string, { signal }: Cancellable = {}): Promise<boolean> {
    assertDigest(digest);
    return blobReadable(this.client, this.repository, digest, signal);
  }

  async pushBlob(descriptor: Descriptor, content: BlobContent, options: TransferOptions = {}): Promise<void> {
    assertDigest(descriptor.digest);
    await uploadBlob(this.client, this.repository, descriptor, content, {
      ...options,
      chunkedThreshold: this.options.chunkedThreshold,
      chunkSize: this.options.chunkSize,
    });
  }

  async pushUnhashedBlob(
    content: BlobContent,
    options: UnhashedBlobOptions = {},
  ): Promise<{ digest: string; size: number }> {
    return uploadUnhashed(this.client, this.repository, content, {
      ...options,
      chunkedThreshold: this.options.chunkedThreshold,
      chunkSize: this.options.chunkSize,
    });
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    const what = this.what(options.tag ?? descriptor.digest);
    if (bytes.length > MAX_MANIFEST_BYTES)
      throw new OciError('SIZE_EXCEEDED', `${what} is larger than the 4 MiB registries accept`);
    verifyBytes(what, bytes, descriptor.digest, descriptor.size);
    let res: RegistryResponse;
    try {
      res = await this.client.expect(
        {
          method: 'PUT',
          url: this.manifestUrl(options.tag ?? descriptor.digest),
          scopes: this.push,
          signal: options.signal,
          body: bytes,
          headers: { 'content-type': descriptor.mediaType, 'content-length': String(bytes.length) },
        },
        [201, 200, 204],
        what,
      );
    } catch (err) {
      throw this.explainRefusedReferrer(err, bytes, what);
    }
    await res.body.dump();
    const stored = headerString(res.headers['docker-content-digest']);
    if (
      stored &&
      isDigest(stored) &&
      algorithmOf(stored) === algorithmOf(descriptor.digest) &&
      stored !== descriptor.digest
    ) {
      throw new DigestMismatchError(`${what} as stored by the registry`, descriptor.digest, stored);
    }
    const subject = subjectOf(bytes);
    return {
      subjectIndexed: subject
        ? await this.subjectIndexed(descriptor, subject, !!headerString(res.headers['oci-subject']), options.signal)
        : false,
    };
  }

  /**
   * Whether the registry itself lists a referrer just pushed, so that no fallback index is needed. The header
   * alone is not enough either way: old ECR sent `OCI-Subject` without having the API (trusting it lost the
   * referrer), and Quay has the API but sends no header (a fallback index there is clutter) - so the header counts
   * only where the API answers, and without it the API is asked.
   */
  private async subjectIndexed(
    descriptor: Descriptor,
    subject: string,
    header: boolean,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (!(await probeReferrersApi(this.client, this.repository, signal))) return false;
    if (header) return true;
    const listed = await this.nativeReferrers(subject, { signal });
    return !!listed?.some((d) => d.digest === descriptor.digest);
  }

  /** A 405 for a referrer of an index (ECR refuses those) says so, and what to do instead. */
  private explainRefusedReferrer(err: unknown, bytes: Buffer, what: string): unknown {
    if (!OciError.is(err, 'UNSUPPORTED')) return err;
    const subjectType = subjectMediaTypeOf(bytes);
    if (!subjectType || !isIndexType(subjectType)) return err;
    return new OciError(
      'UNSUPPORTED',
      `${this.client.host} refuses ${what}: its subject is an image index, and this registry (like Amazon ECR) accepts referrers of single-platform manifests only; attach it to a platform manifest of the index instead (${err.message})`,
      { cause: err },
    );
  }

  async tag(descriptor: Descriptor, tag: string, { signal }: Cancellable = {}): Promise<void> {
    const { bytes, descriptor: fetched, manifest } = await this.fetchManifest(descriptor, { signal });
    // A type other than the bytes declare is refused (MANIFEST_INVALID).
    const mediaType = taggedMediaType(
      manifest,
      descriptor.mediaType || fetched.mediaType,
      `${this.location}: manifest ${fetched.digest}`,
    );
    await this.pushManifest({ ...fetched, mediaType }, bytes, { tag, signal });
  }

  async *listTags(options: TagListing = {}): AsyncIterable<string[]> {
    const { startAfter } = options;
    const params = new URLSearchParams();
    if (options.pageSize) params.set('n', String(options.pageSize));
    if (startAfter !== undefined) params.set('last', startAfter);
    const query = params.size ? `?${params}` : '';
    const pages = pagedJson<{ tags?: unknown }>(this.client, `/v2/${this.repository}/tags/list${query}`, {
      scopes: this.pull,
      what: `the tags of ${this.location}`,
      signal: options.signal,
      count: (page) => (Array.isArray(page.tags) ? page.tags.length : 0),
      repeatedPage: options.whole ? 'fail' : 'end',
    });
    try {
      for await (const page of pages) {
        // A registry that ignores `last` answers from the start: what it should have skipped is dropped here.
        yield (Array.isArray(page.tags) ? page.tags : []).filter(
          (t): t is string => typeof t === 'string' && (startAfter === undefined || t > startAfter),
        );
      }
    } catch (err) {
      // A tag list that is not there is a repository that is not there (NAME_UNKNOWN): say it so.
      if (err instanceof NotFoundError)
        throw new NotFoundError(`repository ${this.location}`, { cause: err, detail: err.detail, codes: err.codes });
      throw err;
    }
  }

  async deleteManifest(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<void> {
    assertDigest(descriptor.digest);
    const res = await this.client.expect(
      {
        method: 'DELETE',
        url: this.manifestUrl(descriptor.digest),
        scopes: [repositoryScope(this.repository, ['delete'])],
        signal,
      },
      [202, 200, 204],
      this.what(descriptor.digest),
    );
    await res.body.dump();
  }

  async statBlob(digest: string, { signal }: Cancellable = {}): Promise<Descriptor | undefined> {
    assertDigest(digest);
    const presence = await blobPresence(this.client, this.repository, digest, { needSize: true, signal });
    if (!presence) return undefined;
    return {
      mediaType: 'application/octet-stream',
      digest,
      size: requireSize(this.client, this.repository, digest, presence),
    };
  }

  async deleteBlob(digest: string, { signal }: Cancellable = {}): Promise<void> {
    assertDigest(digest);
    const res = await this.client.expect(
      {
        method: 'DELETE',
        url: `/v2/${this.repository}/blobs/${digest}`,
        scopes: [repositoryScope(this.repository, ['delete'])],
        signal,
      },
      [202, 200, 204],
      `blob ${digest} in ${this.location}`,
    );
    await res.body.dump();
  }

  async nativeReferrers(
    digest: string,
    options: { artifactType?: string; signal?: AbortSignal } = {},
  ): Promise<Descriptor[] | undefined> {
    assertDigest(digest);
    if (!(await probeReferrersApi(this.client, this.repository, options.signal))) return undefined;
    const query = options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : '';
    const found: Descriptor[] = [];
    // Not followed: a redirect of the referrers path leads to another host (GHCR's answers 429); the caller reads
    // the fallback tag either way, so an API that fails for this subject leaves what the fallback tag lists.
    const pages = pagedJson<ImageIndex>(this.client, `/v2/${this.repository}/referrers/${digest}${query}`, {
      scopes: this.pull,
      what: `the referrers of ${digest} in ${this.location}`,
      signal: options.signal,
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
      followRedirects: false,
      count: (page) => (Array.isArray(page.manifests) ? page.manifests.length : 0),
    });
    try {
      for await (const page of pages) {
        found.push(...(Array.isArray(page.manifests) ? page.manifests.filter(isDescriptorLike) : []));
      }
    } catch (err) {
      if (OciError.is(err, 'NOT_FOUND') || OciError.is(err, 'UNSUPPORTED') || OciError.is(err, 'REGISTRY'))
        return undefined;
      throw err;
    }
    // Filtering by type is the caller's (graph/referrers.ts): entries without artifactType (cosign) need their
    // manifest read first, and a registry that ignored the filter (no OCI-Filters-Applied) is filtered there too.
    return found;
  }

  get mountOrigin(): { host: string; repository: string } {
    return { host: this.client.host, repository: this.repository };
  }

  async mountBlob(descriptor: Descriptor, fromRepository: string, { signal }: Cancellable = {}): Promise<boolean> {
    assertDigest(descriptor.digest);
    const scopes = [repositoryScope(this.repository, ['pull', 'push']), repositoryScope(fromRepository, ['pull'])];
    const url = `/v2/${this.repository}/blobs/uploads/?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(fromRepository)}`;
    const res = await this.client.expect(
      { method: 'POST', url, scopes, signal, headers: { 'content-length': '0' } },
      [201, 202],
      `mounting blob ${descriptor.digest} from ${fromRepository} into ${this.location}`,
    );
    await res.body.dump();
    if (res.status === 201) return true;
    if (typeof res.headers.location === 'string')
      await cancelUpload(this.client, this.repository, new URL(res.headers.location, this.client.origin).href);
    return false;
  }
}

/** The subject digest of a manifest about to be pushed, if it names one (bytes already checked to be JSON). */
function subjectOf(bytes: Buffer): string | undefined {
  const digest = parsedSubject(bytes)?.digest;
  return typeof digest === 'string' && isDigest(digest) ? digest : undefined;
}

function subjectMediaTypeOf(bytes: Buffer): string | undefined {
  const mediaType = parsedSubject(bytes)?.mediaType;
  return typeof mediaType === 'string' ? mediaType : undefined;
}

function parsedSubject(bytes: Buffer): { digest?: unknown; mediaType?: unknown } | undefined {
  try {
    const subject = (JSON.parse(bytes.toString('utf8')) as { subject?: unknown }).subject;
    return subject && typeof subject === 'object' ? (subject as { digest?: unknown; mediaType?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** A referrers list entry worth keeping: an object with a digest (hostile lists carry anything). */
function isDescriptorLike(entry: unknown): entry is Descriptor {
  const digest = (entry as { digest?: unknown } | null)?.digest;
  return typeof digest === 'string' && isDigest(digest);
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
