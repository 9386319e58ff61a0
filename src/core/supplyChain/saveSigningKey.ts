// Writes a new signing key and its certificate into a folder: the key readable by its owner only, and
// never over an existing file (a key overwritten by mistake cannot be recovered).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolders } from '../content';
import { OciError } from '../oci';
import type { SigningKey } from '../sign';

export interface SavedSigningKey {
  keyFile: string;
  certFile: string;
}

export async function saveSigningKey(dir: string, key: SigningKey, name = 'signing'): Promise<SavedSigningKey> {
  await makeFolders(dir);
  const keyFile = join(dir, `${name}.key.pem`);
  const certFile = join(dir, `${name}.crt.pem`);
  try {
    await writeFile(keyFile, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(certFile, key.certChainPem, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new OciError(
        'USAGE',
        `${(err as NodeJS.ErrnoException).path ?? dir} already exists; choose another folder or name`,
        { cause: err },
      );
    throw err;
  }
  return { keyFile, certFile };
}
