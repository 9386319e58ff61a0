// The trust material `stowage verify` takes, for one artifact or every tag: --trust-cert (Notary), --cosign-key
// (cosign, key-based Sigstore bundles) and the Sigstore flags; each file checked and read before any signature is.
import { readFile } from 'node:fs/promises';
import { loadTrustedCertificates, parseCosignPublicKey } from '../core/sign';
import type { TrustOptions } from '../core/supplyChain';
import { UsageError, type ParsedArgs } from './args';
import { assertOptionFile } from './fileArgs';
import { sigstoreTrustFromFlags } from './sigstoreFlags';

export async function trustFromFlags(options: ParsedArgs['options']): Promise<TrustOptions> {
  const certFiles = (options['trust-cert'] as string[] | undefined) ?? [];
  const keyFiles = (options['cosign-key'] as string[] | undefined) ?? [];
  const sigstore = await sigstoreTrustFromFlags(options);
  if (!certFiles.length && !keyFiles.length && !sigstore.sigstoreTrustedRoot)
    throw new UsageError('verify needs at least one --trust-cert or --cosign-key, or a --sigstore-trusted-root');
  // A missing file is named with the option that named it ("--trust-cert nope.pem: no such file").
  for (const file of certFiles) await assertOptionFile('--trust-cert', file);
  for (const file of keyFiles) await assertOptionFile('--cosign-key', file);
  const trustedCerts = await loadTrustedCertificates(certFiles);
  const cosignKeys = await Promise.all(
    keyFiles.map(async (file) => parseCosignPublicKey(await readFile(file, 'utf8'), file)),
  );
  return { trustedCerts, cosignKeys, ...sigstore };
}
