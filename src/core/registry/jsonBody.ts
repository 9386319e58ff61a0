// Reads a registry's JSON answer through the byte cap, with the registry's failures as typed errors: a cut or
// stalled connection (or the request deadline) as a network error, anything unparsable as a registry error.
import { OciError } from '../oci';
import { readCapped, type BodyCap } from './cappedBody';
import { errorForTransport } from './registryErrors';
import type { RegistryResponse } from './RegistryClient';

/** The parsed answer and its size in bytes (listings count it against their byte limit). */
export async function readJson<T>(
  host: string,
  res: Pick<RegistryResponse, 'body' | 'headers' | 'url'>,
  cap: Omit<BodyCap, 'path' | 'truncate'>,
  signal?: AbortSignal,
): Promise<{ json: T; bytes: number }> {
  let bytes: Buffer;
  try {
    bytes = await readCapped(res.body, res.headers['content-length'], {
      ...cap,
      path: `${res.url.pathname}${res.url.search}`,
    });
  } catch (err) {
    throw errorForTransport(host, err, signal);
  }
  try {
    return { json: JSON.parse(bytes.toString('utf8')) as T, bytes: bytes.length };
  } catch {
    throw new OciError('REGISTRY', `${host} answered ${cap.what} with something that is not JSON`);
  }
}
