// Whether a repository holds a blob, and its size: HEAD, and a GET that reads no body when the HEAD cannot tell.
// Some registries and proxies refuse HEAD of a blob while GET works: public.ecr.aws answers 401 to every blob
// HEAD (buildbuddy-io/buildbuddy#12566, #12710), proxies and static-storage fronts answer 405 or 403, and some
// answer 200 without a Content-Length. Every blob check (push and copy skips, mount probes, restore, `blob stat`)
// goes through here, as manifest checks already fall back to GET (RegistryTarget.resolve).
import { AuthError, OciError } from '../oci';
import { errorForResponse } from './registryErrors';
import type { RegistryClient, RegistryResponse } from './RegistryClient';
import { isRetryableStatus } from './retry';
import { repositoryScope } from './scopes';

/**
 * Whether a failed HEAD is asked again by GET: a HEAD answer has no body to say why it failed (ECR's "authorization
 * token has expired" comes only with a GET), and some registries and proxies serve GET but fail HEAD (404 aside:
 * answered as it is). Not after 429 or a gateway error, which were retried already and would only be waited out again.
 */
export function headNeedsGet(status: number): boolean {
  return status !== 200 && status !== 404 && !isRetryableStatus(status);
}

export interface BlobPresence {
  /** The blob's size, when the registry said it. */
  size: number | undefined;
}

/**
 * Undefined when the repository does not hold the blob (404); its size when `needSize` and the registry tells it.
 * The GET asks for one byte (`Range: bytes=0-0`) and is dropped after its headers either way, so a registry that
 * ignores Range costs a connection, never the blob's bytes; it keeps the request deadline (not a transfer).
 */
export async function blobPresence(
  client: RegistryClient,
  repository: string,
  digest: string,
  options: { needSize?: boolean; signal?: AbortSignal } = {},
): Promise<BlobPresence | undefined> {
  const { signal } = options;
  const url = `/v2/${repository}/blobs/${digest}`;
  const scopes = [repositoryScope(repository, ['pull'])];
  const what = `blob ${digest} in ${client.host}/${repository}`;
  let head: RegistryResponse;
  try {
    head = await client.request({ method: 'HEAD', url, scopes, signal });
  } catch (err) {
    // public.ecr.aws refuses a blob HEAD with 401 whatever the token, so the registry's own refusal of a token it
    // just had issued (DENIED, or no credentials to try) is asked again by GET, whose answer decides. Credentials
    // the registry or its token service rejected are final: a GET would only be refused the same way.
    if (!(err instanceof AuthError) || (err.code !== 'DENIED' && err.credentials !== 'none')) throw err;
    return presenceByGet(client, url, scopes, what, signal);
  }
  await head.body.dump();
  if (head.status === 404) return undefined;
  if (head.status === 200) {
    const size = sizeFrom(head.headers['content-length']);
    if (size !== undefined || !options.needSize) return { size };
    return presenceByGet(client, url, scopes, what, signal);
  }
  if (!headNeedsGet(head.status)) throw await errorForResponse(client.host, what, head.status, head.body, head.headers);
  return presenceByGet(client, url, scopes, what, signal);
}

/** Whether the blob can be read: a GET of its first byte, for a registry whose HEAD said yes to a blob it lacks. */
export async function blobReadable(
  client: RegistryClient,
  repository: string,
  digest: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const url = `/v2/${repository}/blobs/${digest}`;
  const scopes = [repositoryScope(repository, ['pull'])];
  const what = `blob ${digest} in ${client.host}/${repository}`;
  return (await presenceByGet(client, url, scopes, what, signal)) !== undefined;
}

async function presenceByGet(
  client: RegistryClient,
  url: string,
  scopes: string[],
  what: string,
  signal?: AbortSignal,
): Promise<BlobPresence | undefined> {
  const res = await client.request({ method: 'GET', url, scopes, signal, headers: { range: 'bytes=0-0' } });
  if (res.status === 404) {
    await res.body.dump();
    return undefined;
  }
  if (res.status !== 200 && res.status !== 206)
    throw await errorForResponse(client.host, what, res.status, res.body, res.headers);
  // The headers say all there is to know. One byte is read (the connection stays in the pool); a whole blob sent
  // where Range was ignored is not: the connection is dropped instead (undici reports that as an abort, expected).
  if (res.status === 206) await res.body.dump();
  else res.body.on('error', () => undefined).destroy();
  const size =
    res.status === 206 ? sizeFrom(/\/(\d+)\s*$/.exec(String(res.headers['content-range'] ?? ''))?.[1]) : undefined;
  return { size: size ?? (res.status === 200 ? sizeFrom(res.headers['content-length']) : undefined) };
}

function sizeFrom(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const size = Number(text);
  return Number.isSafeInteger(size) ? size : undefined;
}

/** The blob's size for `statBlob`: a registry that never says it is an error. */
export function requireSize(
  client: RegistryClient,
  repository: string,
  digest: string,
  presence: BlobPresence,
): number {
  if (presence.size === undefined)
    throw new OciError('REGISTRY', `${client.host} gave no size for blob ${digest} in ${client.host}/${repository}`);
  return presence.size;
}
