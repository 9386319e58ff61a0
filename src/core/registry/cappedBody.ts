// The one way a registry's answer is read into memory: counted while it streams, and cut off (the connection
// dropped) as soon as it passes its cap, so a hostile or broken registry cannot make us buffer gigabytes.
import type { Dispatcher } from 'undici';
import { OciError } from '../oci';
import { formatBytesShort } from './limits';

export interface BodyCap {
  /** Bytes at most. */
  limit: number;
  /** What is being read, for the error: "the tags of ghcr.io/app". */
  what: string;
  /** The request's path ("/v2/app/tags/list?n=100"), named in the error. */
  path?: string;
  /** How to raise the cap ("raise it with --max-response-mib …"), when it can be raised. */
  raise?: string;
  /** Keep the first `limit` bytes instead of failing (error bodies, which are only quoted). */
  truncate?: boolean;
}

export function exceededError(cap: BodyCap): OciError {
  const at = cap.path ? ` at ${cap.path}` : '';
  return new OciError(
    'SIZE_EXCEEDED',
    `${cap.what}${at} exceeds the limit of ${cap.limit} bytes (${formatBytesShort(cap.limit)})${cap.raise ? `; ${cap.raise}` : ''}`,
  );
}

export async function readCapped(
  body: Dispatcher.ResponseData['body'],
  declaredLength: string | string[] | undefined,
  cap: BodyCap,
): Promise<Buffer> {
  if (!cap.truncate && typeof declaredLength === 'string' && Number(declaredLength) > cap.limit) {
    body.destroy();
    throw exceededError(cap);
  }
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    if (length + bytes.length > cap.limit) {
      body.destroy();
      if (!cap.truncate) throw exceededError(cap);
      parts.push(bytes.subarray(0, cap.limit - length));
      break;
    }
    length += bytes.length;
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}
