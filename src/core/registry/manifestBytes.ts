// Reads a manifest body with a hard size cap, so a hostile or broken registry cannot make us buffer gigabytes.
import type { Dispatcher } from 'undici';
import { SizeExceededError } from '../errors';
import { MAX_MANIFEST_BYTES } from '../mediaTypes';

export async function readCapped(body: Dispatcher.ResponseData['body'], what: string, declaredLength: string | string[] | undefined, limit = MAX_MANIFEST_BYTES): Promise<Buffer> {
  if (typeof declaredLength === 'string' && Number(declaredLength) > limit) {
    body.destroy();
    throw new SizeExceededError(what, limit);
  }
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      body.destroy();
      throw new SizeExceededError(what, limit);
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}
