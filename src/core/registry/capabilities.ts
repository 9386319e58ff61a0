// What a registry supports, learnt by asking rather than assumed (registries differ: see OCI-NOTES.md).
// Each probe runs once per registry client and is remembered; probes leave no content behind.
import { EMPTY_DIGEST, MediaType, AbortedError, AuthError, NetworkError, OciError } from '../oci';
import { blobPresence } from './blobPresence';
import { readJson } from './jsonBody';
import { howToRaise } from './limits';
import type { RegistryClient, RegistryResponse } from './RegistryClient';
import { cancelUpload, startUpload } from './blobUpload';
import { CATALOG_SCOPE, repositoryScope } from './scopes';

export interface RegistryCapabilities {
  /** GET /v2/<name>/referrers/<digest> answers a JSON image index (not a 404, a redirect or an HTML page). */
  referrersApi: boolean;
  /** GET /v2/_catalog lists repositories. */
  catalog: boolean;
  /** DELETE of manifests is enabled (undefined: the credentials may not delete, so it could not be told). */
  delete: boolean | undefined;
  /** Cross-repository mount answers 201 (undefined: nothing known to mount, or no push permission). */
  mount: boolean | undefined;
  /** Upload sessions can be opened for chunked PATCH (undefined: no push permission). */
  chunkedUpload: boolean | undefined;
  /** The registry's minimum chunk size (OCI-Chunk-Min-Length), when it says one. */
  chunkMinLength?: number;
}

function memo<T>(client: RegistryClient, key: string, probe: () => Promise<T>): Promise<T> {
  const known = client.memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const started = probe();
  client.memo.set(key, started);
  started.catch(() => client.memo.delete(key));
  return started;
}

/**
 * A probe's JSON answer through the byte cap. Too large an answer is an error (a registry that sends one is
 * broken or hostile, and saying so beats guessing); an answer that is not JSON just means "no".
 */
async function readProbe<T>(
  client: RegistryClient,
  res: RegistryResponse,
  what: string,
  signal?: AbortSignal,
): Promise<{ json: T | undefined }> {
  try {
    return await readJson<T>(
      client.host,
      res,
      {
        limit: client.limits.maxResponseBytes,
        what,
        raise: `the limit of one answer; ${howToRaise('maxResponseBytes')}`,
      },
      signal,
    );
  } catch (err) {
    if (OciError.is(err, 'REGISTRY')) return { json: undefined };
    throw err;
  }
}

/** Whether the registry has the referrers API; asked in `repository` about a digest nothing refers to. */
export function probeReferrersApi(client: RegistryClient, repository: string, signal?: AbortSignal): Promise<boolean> {
  return memo(client, 'referrersApi', async () => {
    const res = await client.request({
      method: 'GET',
      url: `/v2/${repository}/referrers/${EMPTY_DIGEST}`,
      scopes: [repositoryScope(repository, ['pull'])],
      signal,
      headers: { accept: MediaType.ociIndex },
      followRedirects: false,
    });
    if (res.status !== 200 || !String(res.headers['content-type'] ?? '').includes('json')) {
      await res.body.dump();
      return false;
    }
    const { json: index } = await readProbe<{ schemaVersion?: unknown; manifests?: unknown }>(
      client,
      res,
      `the referrers API probe of ${client.host}`,
      signal,
    );
    return index?.schemaVersion === 2 && Array.isArray(index.manifests);
  });
}

export function probeCatalog(client: RegistryClient, signal?: AbortSignal): Promise<boolean> {
  return memo(client, 'catalog', async () => {
    let res;
    try {
      res = await client.request({ method: 'GET', url: '/v2/_catalog?n=1', scopes: [CATALOG_SCOPE], signal });
    } catch (err) {
      // No catalog permission (GHCR, Docker Hub) reads the same as no catalog: the user lists repositories.
      if (err instanceof AuthError) return false;
      throw err;
    }
    if (res.status !== 200) {
      await res.body.dump();
      return false;
    }
    const { json } = await readProbe<{ repositories?: unknown }>(
      client,
      res,
      `the catalog probe of ${client.host}`,
      signal,
    );
    return Array.isArray(json?.repositories);
  });
}

/** DELETE of a manifest that cannot exist: 405 means deletes are disabled; 404/202 mean they are allowed. */
export function probeDelete(
  client: RegistryClient,
  repository: string,
  signal?: AbortSignal,
): Promise<boolean | undefined> {
  return memo(client, 'delete', async () => {
    const absent = `sha256:${'0'.repeat(64)}`;
    try {
      const res = await client.request({
        method: 'DELETE',
        url: `/v2/${repository}/manifests/${absent}`,
        scopes: [repositoryScope(repository, ['delete'])],
        signal,
      });
      await res.body.dump();
      if (res.status === 405) return false;
      if (res.status === 202 || res.status === 404) return true;
      return undefined;
    } catch (err) {
      if (err instanceof AuthError) return undefined;
      throw err;
    }
  });
}

/**
 * Mount is told only by mounting something that exists: the empty JSON blob (`{}`, the config of most
 * artifacts) is mounted from `repository` into itself, which changes nothing. Unknown when it is not there.
 */
export function probeMount(
  client: RegistryClient,
  repository: string,
  signal?: AbortSignal,
): Promise<boolean | undefined> {
  return memo(client, 'mount', async () => {
    try {
      if (!(await blobPresence(client, repository, EMPTY_DIGEST, { signal }))) return undefined;
    } catch (err) {
      // A refusal leaves mounting unknown; a broken connection or a cancel is the caller's to hear.
      if (err instanceof NetworkError || err instanceof AbortedError || !(err instanceof OciError)) throw err;
      return undefined;
    }
    try {
      const res = await client.request({
        method: 'POST',
        url: `/v2/${repository}/blobs/uploads/?mount=${EMPTY_DIGEST}&from=${encodeURIComponent(repository)}`,
        scopes: [repositoryScope(repository, ['pull', 'push'])],
        signal,
        headers: { 'content-length': '0' },
      });
      await res.body.dump();
      if (res.status === 201) return true;
      if (res.status === 202 && typeof res.headers.location === 'string') {
        await cancelUpload(client, repository, new URL(res.headers.location, client.origin).href);
        return false;
      }
      return undefined;
    } catch (err) {
      if (err instanceof AuthError) return undefined;
      throw err;
    }
  });
}

/** Opens (and abandons) an upload session; its OCI-Chunk-Min-Length, if any, bounds PATCH sizes. */
export function probeChunkedUpload(
  client: RegistryClient,
  repository: string,
  signal?: AbortSignal,
): Promise<{ supported: boolean | undefined; chunkMinLength?: number }> {
  return memo(client, 'chunkedUpload', async () => {
    try {
      const session = await startUpload(client, repository, signal);
      await cancelUpload(client, repository, session.location);
      return { supported: true, chunkMinLength: session.chunkMinLength };
    } catch (err) {
      if (err instanceof AuthError) return { supported: undefined };
      throw err;
    }
  });
}

/** All probes, run in `repository` (one the credentials can at least read). */
export async function probeCapabilities(
  client: RegistryClient,
  repository: string,
  signal?: AbortSignal,
): Promise<RegistryCapabilities> {
  const [referrersApi, catalog, deletes, mount, chunked] = await Promise.all([
    probeReferrersApi(client, repository, signal),
    probeCatalog(client, signal),
    probeDelete(client, repository, signal),
    probeMount(client, repository, signal),
    probeChunkedUpload(client, repository, signal),
  ]);
  const capabilities: RegistryCapabilities = {
    referrersApi,
    catalog,
    delete: deletes,
    mount,
    chunkedUpload: chunked.supported,
  };
  if (chunked.chunkMinLength !== undefined) capabilities.chunkMinLength = chunked.chunkMinLength;
  return capabilities;
}
