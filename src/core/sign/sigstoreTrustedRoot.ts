// A Sigstore trusted root (trusted_root.json: the Fulcio CAs, Rekor and CT logs, timestamp authorities) read
// from a file the user chose. Stowage never fetches or refreshes it (no TUF): what the file says is trusted.
import { readFile, stat } from 'node:fs/promises';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial } from '@sigstore/verify';
import { OciError } from '../oci';
import { MAX_TRUSTED_ROOT_BYTES } from './sigstore';

export interface SigstoreTrustedRoot {
  /** What the user calls it (the file name), for messages. */
  name: string;
  root: TrustedRoot;
}

export function parseSigstoreTrustedRoot(bytes: Buffer | string, name: string): SigstoreTrustedRoot {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  if (Buffer.byteLength(text) > MAX_TRUSTED_ROOT_BYTES)
    throw new OciError('INVALID_CONTENT', `Sigstore trusted root ${name}: larger than ${MAX_TRUSTED_ROOT_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new OciError('INVALID_CONTENT', `Sigstore trusted root ${name}: not JSON`, { cause: err });
  }
  let root: TrustedRoot;
  try {
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not a JSON object');
    root = TrustedRoot.fromJSON(json);
    // Builds every key and certificate once, so a broken file fails here and not at the first signature.
    toTrustMaterial(root);
  } catch (err) {
    throw new OciError(
      'INVALID_CONTENT',
      `Sigstore trusted root ${name}: not a trusted_root.json (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (!root.certificateAuthorities.length && !root.tlogs.length)
    throw new OciError(
      'INVALID_CONTENT',
      `Sigstore trusted root ${name}: names no certificate authority and no transparency log`,
    );
  return { name, root };
}

/** Reads and parses the file; `name` says where the path came from (a setting or a flag) for every error. */
export async function loadSigstoreTrustedRoot(path: string, name: string = path): Promise<SigstoreTrustedRoot> {
  let bytes: Buffer;
  try {
    // Sized first: a path to something huge (or a device) is refused before it is read.
    if ((await stat(path)).size > MAX_TRUSTED_ROOT_BYTES)
      throw new OciError(
        'INVALID_CONTENT',
        `Sigstore trusted root ${name}: larger than ${MAX_TRUSTED_ROOT_BYTES} bytes`,
      );
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof OciError) throw err;
    throw new OciError('USAGE', `Sigstore trusted root ${name}: cannot read ${path} (${(err as Error).message})`, {
      cause: err,
    });
  }
  return parseSigstoreTrustedRoot(bytes, name);
}
