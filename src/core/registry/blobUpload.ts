// Blob uploads: monolithic (POST, then one streaming PUT ?digest=) by default, and chunked PATCH on request
// (for registries or proxies that cap request bodies), so a failure resumes from the offset the registry
// reports instead of from zero. Content is hashed while it streams, and a mismatch stops the upload before the
// registry is asked to commit it.
import { pipeline } from 'node:stream';
import { type Descriptor, NetworkError, OciError, printable, throwIfAborted } from '../oci';
import {
  sleep,
  Hasher,
  hashingStages,
  openHashing,
  type BlobContent,
  type TransferOptions,
  type UnhashedBlobOptions,
} from '../content';
import { isAmazonEcr } from './amazonEcr';
import type { RegistryClient, RegistryRequest, RegistryResponse, StreamBody } from './RegistryClient';
import { errorForResponse } from './registryErrors';
import { repositoryScope } from './scopes';

export interface UploadTuning {
  /**
   * Blobs larger than this go up in chunks. Default: never — on distribution each PATCH costs more the more the
   * session already holds (512 MiB: 73 s in 32 MiB chunks, 59 s in 128 MiB ones, 11–32 s as one PUT) and the
   * buffered chunk raised peak RSS to ~190 MiB. A broken monolithic PUT restarts in a new session instead.
   */
  chunkedThreshold: number;
  /** Bytes per PATCH (default 32 MiB; raised to the registry's OCI-Chunk-Min-Length). Held in memory once. */
  chunkSize: number;
}

export const DEFAULT_UPLOAD_TUNING: UploadTuning = {
  chunkedThreshold: Number.POSITIVE_INFINITY,
  chunkSize: 32 * 1024 * 1024,
};

const OCTET_STREAM = 'application/octet-stream';

/** A PATCH's answers that took the bytes: 202 as the spec says, and ECR's 201 (it answers 201 to a PATCH). */
const PATCH_ACCEPTED = [202, 201, 204];

interface Session {
  location: string;
  chunkMinLength?: number;
}

export async function uploadBlob(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
  content: BlobContent,
  options: TransferOptions & Partial<UploadTuning> = {},
): Promise<void> {
  const tuning = { ...DEFAULT_UPLOAD_TUNING, ...definedOnly(options) };
  const whole = async () => {
    await uploadMonolithic(client, repository, descriptor, content, options);
    return { digest: descriptor.digest, size: descriptor.size };
  };
  if (chunks(client, descriptor.size, tuning))
    await uploadChunked(client, repository, descriptor, content, options, tuning.chunkSize, whole);
  else await whole();
}

/**
 * Whether a blob of `size` goes up in chunks: above the threshold, and never to Amazon ECR, which keeps only the
 * first chunk of an upload (amazonEcr.ts); there the one-request mode is used whatever was asked.
 */
function chunks(client: RegistryClient, size: number | undefined, tuning: UploadTuning): boolean {
  return (size ?? Number.POSITIVE_INFINITY) > tuning.chunkedThreshold && !isAmazonEcr(client.host);
}

function definedOnly(options: Partial<UploadTuning>): Partial<UploadTuning> {
  const out: Partial<UploadTuning> = {};
  if (options.chunkedThreshold !== undefined) out.chunkedThreshold = options.chunkedThreshold;
  if (options.chunkSize !== undefined) out.chunkSize = options.chunkSize;
  return out;
}

function pushScopes(repository: string): string[] {
  return [repositoryScope(repository, ['pull', 'push'])];
}

function whatOf(client: RegistryClient, repository: string, descriptor: Descriptor): string {
  return `blob ${descriptor.digest} in ${client.host}/${repository}`;
}

export async function startUpload(client: RegistryClient, repository: string, signal?: AbortSignal): Promise<Session> {
  const res = await client.expect(
    {
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/`,
      scopes: pushScopes(repository),
      signal,
      headers: { 'content-length': '0' },
    },
    [202],
    `an upload to ${client.host}/${repository}`,
  );
  await res.body.dump();
  return {
    location: locationOf(client, res.headers.location),
    chunkMinLength: Number(res.headers['oci-chunk-min-length']) || undefined,
  };
}

/** Abandons an upload session (best effort: the registry expires it anyway). */
export async function cancelUpload(client: RegistryClient, repository: string, location: string): Promise<void> {
  try {
    const res = await client.request({ method: 'DELETE', url: location, scopes: pushScopes(repository) });
    await res.body.dump();
  } catch {
    // The session times out on the registry; nothing else to do.
  }
}

function locationOf(client: RegistryClient, header: string | string[] | undefined): string {
  if (typeof header !== 'string' || !header)
    throw new OciError('REGISTRY', `${client.host} started an upload without a Location`);
  const url = new URL(header, client.origin);
  if (url.origin === client.origin) return url.href;
  const reached = new URL(client.origin);
  // Harbor, GitLab or distribution behind a proxy that ends TLS build an http:// Location unless told the scheme.
  if (url.host === reached.host && url.protocol === 'http:' && reached.protocol === 'https:')
    throw new OciError(
      'REGISTRY',
      `${client.host} gave an upload location on http:// although it is reached over https://; refusing to send the blob over plain HTTP (a reverse proxy in front of the registry that ends TLS must pass X-Forwarded-Proto: https, or the registry must be told its https:// address)`,
    );
  throw new OciError(
    'REGISTRY',
    `${client.host} moved an upload to another origin (${printable(url.origin)}); refusing to send the blob there`,
  );
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.href;
}

async function uploadMonolithic(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
  content: BlobContent,
  options: TransferOptions,
): Promise<void> {
  const what = whatOf(client, repository, descriptor);
  const { signal } = options;
  // A broken PUT leaves the session in an unknown state: start a new session rather than resend into it. So
  // does a PUT the registry asks to send later (GHCR's and ECR's request rates answer 429).
  for (const attempts = new UploadAttempts(options); ;) {
    const onBytes = attempts.begin();
    const session = await startUpload(client, repository, signal);
    const body = (): Promise<StreamBody> =>
      openHashing(
        content,
        new Hasher({ expected: descriptor.digest, expectedSize: descriptor.size, what, onBytes }),
        signal,
      );
    try {
      const res = await expectOrLater(
        client,
        {
          method: 'PUT',
          url: withDigest(session.location, descriptor.digest),
          scopes: pushScopes(repository),
          signal,
          body,
          retryTransport: false,
          transfer: true,
          headers: { 'content-type': OCTET_STREAM, 'content-length': String(descriptor.size) },
        },
        [201, 204],
        what,
        attempts.busy,
      );
      await res.body.dump();
      return;
    } catch (err) {
      attempts.takeBack();
      await cancelUpload(client, repository, session.location);
      await attempts.next(err);
    }
  }
}

/** A registry's answer to an upload asking to send it later: the caller starts over in a new session. */
class ComeBackLater extends Error {
  constructor(readonly waitMs: number) {
    super('the registry asked to retry later');
  }
}

/**
 * The attempts of one upload, each in a fresh session (the three upload modes retry alike): an answer asking to
 * come back later waits as asked, and counts (`busy` lengthens the registry's next wait); a broken connection is
 * tried twice more; anything else is thrown. The bytes a failed attempt reported are taken back from the progress.
 */
class UploadAttempts {
  busy = 0;
  private broken = 0;
  private sent = 0;

  constructor(private readonly options: { signal?: AbortSignal; onBytes?: (delta: number) => void }) {}

  /** Starts an attempt: the progress callback for its bytes. */
  begin(): (delta: number) => void {
    throwIfAborted(this.options.signal);
    this.sent = 0;
    return (delta) => {
      this.sent += delta;
      this.options.onBytes?.(delta);
    };
  }

  /** Takes the failed attempt's bytes back from the progress. */
  takeBack(): void {
    if (this.sent) this.options.onBytes?.(-this.sent);
    this.sent = 0;
  }

  /** After a failed attempt: waits when the registry asked to come back later, else throws what a retry would not cure. */
  async next(err: unknown): Promise<void> {
    if (err instanceof ComeBackLater) {
      this.busy++;
      await sleep(err.waitMs, this.options.signal);
    } else if (!(err instanceof NetworkError) || ++this.broken > 2) throw err;
  }
}

/**
 * `client.expect` for a request whose body is not simply sent again: an answer asking to come back later (429,
 * or a gateway's 502/503/504) while retries are left throws ComeBackLater with the wait it asked for.
 */
async function expectOrLater(
  client: RegistryClient,
  req: RegistryRequest,
  expected: number[],
  what: string,
  busy: number,
): Promise<RegistryResponse> {
  const res = await client.request(req);
  if (expected.includes(res.status)) return res;
  const wait = client.retryDelay(res, busy);
  if (wait === undefined) throw await errorForResponse(client.host, what, res.status, res.body, res.headers);
  await res.body.dump();
  throw new ComeBackLater(wait);
}

/**
 * Uploads a blob whose digest is not known yet: POST, one streaming PATCH hashed as it goes, then PUT `?digest=`
 * with what was hashed (the registry checks it against what it received). A broken session starts afresh.
 */
export async function uploadUnhashed(
  client: RegistryClient,
  repository: string,
  content: BlobContent,
  options: UnhashedBlobOptions & Partial<UploadTuning> = {},
): Promise<{ digest: string; size: number }> {
  const tuning = { ...DEFAULT_UPLOAD_TUNING, ...definedOnly(options) };
  // Registries (or proxies) that need chunks get them; the last chunk's PUT names the digest hashed on the way.
  if (chunks(client, options.expectedSize, tuning)) {
    const whole = () => uploadUnhashed(client, repository, content, { ...options, chunkedThreshold: Infinity });
    return uploadChunked(client, repository, { size: options.expectedSize }, content, options, tuning.chunkSize, whole);
  }
  const { signal } = options;
  const what = `a blob upload to ${client.host}/${repository}`;
  for (const attempts = new UploadAttempts(options); ;) {
    const onBytes = attempts.begin();
    const session = await startUpload(client, repository, signal);
    let location = session.location;
    let hasher: Hasher | undefined;
    const body = (): Promise<StreamBody> => {
      hasher = new Hasher({ expectedSize: options.expectedSize, what, onBytes });
      return openHashing(content, hasher, signal);
    };
    try {
      const headers: Record<string, string> = { 'content-type': OCTET_STREAM };
      if (options.expectedSize !== undefined) headers['content-length'] = String(options.expectedSize);
      const patched = await expectOrLater(
        client,
        {
          method: 'PATCH',
          url: location,
          scopes: pushScopes(repository),
          signal,
          body,
          retryTransport: false,
          transfer: true,
          headers,
        },
        PATCH_ACCEPTED,
        what,
        attempts.busy,
      );
      await patched.body.dump();
      location = locationOf(client, patched.headers.location ?? location);
      const stored = { digest: hasher!.digest!, size: hasher!.bytes };
      const res = await client.expect(
        {
          method: 'PUT',
          url: withDigest(location, stored.digest),
          scopes: pushScopes(repository),
          signal,
          transfer: true,
          headers: { 'content-type': OCTET_STREAM, 'content-length': '0' },
        },
        [201, 204],
        `blob ${stored.digest} in ${client.host}/${repository}`,
      );
      await res.body.dump();
      return stored;
    } catch (err) {
      attempts.takeBack();
      await cancelUpload(client, repository, location);
      await attempts.next(err);
    }
  }
}

/** Reads a stream as buffers of exactly `size` bytes (the last one shorter). */
async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of source) {
    let rest = chunk;
    while (length + rest.length >= size) {
      const take = size - length;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts);
      rest = rest.subarray(take);
      parts = [];
      length = 0;
    }
    if (rest.length) {
      parts.push(rest);
      length += rest.length;
    }
  }
  if (length) yield Buffer.concat(parts);
}

/** What an upload must match: a known digest and size, or (for unhashed content) at most a size. */
interface Expected {
  digest?: string;
  size?: number;
}

async function uploadChunked(
  client: RegistryClient,
  repository: string,
  expected: Expected,
  content: BlobContent,
  options: TransferOptions,
  chunkSize: number,
  whole: () => Promise<{ digest: string; size: number }>,
): Promise<{ digest: string; size: number }> {
  // A registry that cannot say where a broken session stands (distribution cancels a session resumed from a
  // stale state) gets a fresh session: the content reopens at 0. So does a chunk it asks to send later (429).
  // One that lost a chunk it accepted (ECR behind a name of its own) gets the whole blob in one request instead.
  for (const attempts = new UploadAttempts(options); ;) {
    const onBytes = attempts.begin();
    try {
      return await uploadChunkedOnce(client, repository, expected, content, options, chunkSize, onBytes, attempts.busy);
    } catch (err) {
      attempts.takeBack();
      if (err instanceof ChunkLost) return whole();
      await attempts.next(err);
    }
  }
}

/** A registry accepted a chunk but does not hold it (its Range did not advance): chunks do not work there. */
class ChunkLost extends Error {
  constructor() {
    super('the registry accepted a chunk it did not keep');
  }
}

async function uploadChunkedOnce(
  client: RegistryClient,
  repository: string,
  expected: Expected,
  content: BlobContent,
  options: TransferOptions,
  chunkSize: number,
  onBytes: (delta: number) => void,
  busy: number,
): Promise<{ digest: string; size: number }> {
  const what = expected.digest
    ? `blob ${expected.digest} in ${client.host}/${repository}`
    : `a blob upload to ${client.host}/${repository}`;
  const { signal } = options;
  const session = await startUpload(client, repository, signal);
  let location = session.location;
  const size = Math.max(chunkSize, session.chunkMinLength ?? 0);
  try {
    // The stream, never fileChunks: rechunk() keeps pieces of earlier chunks while it reads the next ones.
    const opened = await content(0, signal);
    const hasher = new Hasher({ expected: expected.digest, expectedSize: expected.size, what });
    const [stage] = hashingStages(opened, hasher);
    const source = stage ? pipeline(opened, stage, () => undefined) : opened;
    let offset = 0;
    for await (const chunk of rechunk(source, size)) {
      location = await sendChunk(client, repository, location, chunk, offset, what, busy, signal);
      offset += chunk.length;
      onBytes(chunk.length);
    }
    if (expected.size !== undefined && offset !== expected.size)
      throw new OciError('INVALID_CONTENT', `${what}: size mismatch (expected ${expected.size} bytes, got ${offset})`);
    const digest = expected.digest ?? hasher.digest!;
    const res = await client.expect(
      {
        method: 'PUT',
        url: withDigest(location, digest),
        scopes: pushScopes(repository),
        signal,
        transfer: true,
        headers: { 'content-type': OCTET_STREAM, 'content-length': '0' },
      },
      [201, 204],
      what,
    );
    await res.body.dump();
    return { digest, size: offset };
  } catch (err) {
    await cancelUpload(client, repository, location);
    throw err;
  }
}

/** PATCHes one chunk; after a broken connection asks the registry how much arrived and sends only the rest. */
async function sendChunk(
  client: RegistryClient,
  repository: string,
  location: string,
  chunk: Buffer,
  offset: number,
  what: string,
  busy: number,
  signal?: AbortSignal,
): Promise<string> {
  let sentFrom = offset;
  for (let attempt = 0; ; attempt++) {
    const part = chunk.subarray(sentFrom - offset);
    try {
      const res = await expectOrLater(
        client,
        {
          method: 'PATCH',
          url: location,
          scopes: pushScopes(repository),
          signal,
          body: part,
          retryTransport: false,
          transfer: true,
          headers: {
            'content-type': OCTET_STREAM,
            'content-length': String(part.length),
            'content-range': `${sentFrom}-${sentFrom + part.length - 1}`,
          },
        },
        PATCH_ACCEPTED,
        what,
        busy,
      );
      await res.body.dump();
      // The answer's Range says what the session holds (0-<last byte>). Fewer bytes than were sent means the chunk
      // was dropped although accepted (ECR answers 201 and keeps only the first PATCH): stop before sending more.
      const held = heldBytes(res.headers.range);
      if (held !== undefined && held < sentFrom + part.length) throw new ChunkLost();
      return locationOf(client, res.headers.location ?? location);
    } catch (err) {
      if (!(err instanceof NetworkError) || attempt >= 3) throw err;
      // Unknown or impossible offsets leave the NetworkError to the caller, which starts a new session.
      const status = await uploadStatus(client, repository, location, signal).catch(() => undefined);
      if (status?.offset === undefined || status.offset < offset || status.offset > offset + chunk.length) throw err;
      location = status.location;
      sentFrom = status.offset;
      if (sentFrom === offset + chunk.length) return location;
    }
  }
}

/** Bytes an upload session holds by a PATCH answer's `Range: 0-<last>` (`bytes=` allowed); undefined without one. */
function heldBytes(header: string | string[] | undefined): number | undefined {
  const range = /^(?:bytes=)?0-(\d+)$/.exec(String(header ?? '').trim());
  return range ? Number(range[1]) + 1 : undefined;
}

/**
 * Where an upload session stands: the next byte the registry expects, from `Range: 0-<last>`. Undefined when
 * that cannot be told: "0-0" means both "nothing yet" and "one byte" on distribution.
 */
export async function uploadStatus(
  client: RegistryClient,
  repository: string,
  location: string,
  signal?: AbortSignal,
): Promise<{ offset: number | undefined; location: string }> {
  const res = await client.expect(
    { method: 'GET', url: location, scopes: pushScopes(repository), signal },
    [204, 200],
    `the upload session in ${client.host}/${repository}`,
  );
  await res.body.dump();
  const range = /^(?:bytes=)?0-(\d+)$/.exec(String(res.headers.range ?? '').trim());
  const last = range ? Number(range[1]) : undefined;
  return {
    offset: last === undefined || last === 0 ? undefined : last + 1,
    location: locationOf(client, res.headers.location ?? location),
  };
}
