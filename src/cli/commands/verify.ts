import { readFile } from 'node:fs/promises';
import { counted, shortDigest } from '../../core/oci';
import { loadTrustedCertificates, parseCosignPublicKey } from '../../core/sign';
import { sigstoreTrustFromFlags, SIGSTORE_OPTIONS } from '../sigstoreFlags';
import { describeNotAReferrer, JUDGED_PER_NODE, MAX_REFERRERS_READ } from '../../core/graph';
import { MAX_SIGNATURE_CHECKS, verifyArtifactSignatures, type SignatureVerification } from '../../core/supplyChain';
import { UsageError } from '../args';
import { print, printError, printJson, type Command } from '../command';
import { COMMON_OPTIONS } from '../commonOptions';
import { assertOptionFile } from '../fileArgs';

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    'verify the Notary, cosign and Sigstore bundle signatures of an artifact against trusted certificates, cosign public keys and a Sigstore trusted root',
  usage:
    'stowage verify <reference> [--trust-cert CERT.pem...] [--cosign-key KEY.pub...] [--sigstore-trusted-root trusted_root.json --certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] ISSUER] [--format json]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'trust-cert',
      type: 'strings',
      valueName: 'file',
      description: 'PEM certificate (or bundle) trusted for Notary signatures; repeatable',
    },
    {
      name: 'cosign-key',
      type: 'strings',
      valueName: 'file',
      description:
        'PEM public key trusted for cosign signatures and key-based Sigstore bundles (ECDSA, RSA, Ed25519); repeatable',
    },
    ...SIGSTORE_OPTIONS,
    {
      name: 'format',
      type: 'string',
      choices: ['text', 'json'],
      description: 'text or json (one result per signature)',
    },
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const certFiles = (args.options['trust-cert'] as string[] | undefined) ?? [];
    const keyFiles = (args.options['cosign-key'] as string[] | undefined) ?? [];
    const sigstore = await sigstoreTrustFromFlags(args.options);
    if (!certFiles.length && !keyFiles.length && !sigstore.sigstoreTrustedRoot)
      throw new UsageError('verify needs at least one --trust-cert or --cosign-key, or a --sigstore-trusted-root');
    // A missing file is named with the option that named it ("--trust-cert nope.pem: no such file").
    for (const file of certFiles) await assertOptionFile('--trust-cert', file);
    for (const file of keyFiles) await assertOptionFile('--cosign-key', file);
    const trustedCerts = await loadTrustedCertificates(certFiles);
    const cosignKeys = await Promise.all(
      keyFiles.map(async (file) => parseCosignPublicKey(await readFile(file, 'utf8'), file)),
    );
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const subject = await target.resolve(tagOrDigest, { signal });
    const {
      signatures: results,
      notReferrers,
      truncated,
      unchecked,
    } = await verifyArtifactSignatures(target, subject, {
      trustedCerts,
      cosignKeys,
      ...sigstore,
      signal,
    });
    printError(io, [
      ...notReferrers.map((r) => `warning: ${describeNotAReferrer(r, 'verify')}`),
      ...(truncated
        ? [
            `error: not every referrer listed for ${subject.digest} was read (at most ${MAX_REFERRERS_READ} are kept, and ${JUDGED_PER_NODE * (MAX_REFERRERS_READ + 1)} listed entries judged); signatures among the rest were not checked, so this does not pass`,
          ]
        : []),
      ...(unchecked
        ? [
            `error: ${counted(unchecked, 'signature')} of ${subject.digest} not checked (listed UNCHECKED): a verification checks at most ${MAX_SIGNATURE_CHECKS} signature layers, and the signatures before them used them; so this does not pass`,
          ]
        : []),
    ]);
    if (args.options['format'] === 'json') {
      printJson(
        io,
        results.map(({ kind, signature, layer, result }) => ({
          kind,
          signature: signature.digest,
          ...(layer ? { layer: layer.digest } : {}),
          ...result,
        })),
      );
    } else {
      if (!results.length) print(io, `${subject.digest} has no signatures`);
      for (const verification of results) print(io, line(verification));
    }
    // Passing means: at least one verified signature and none that fails; unverifiable ones (no trust material
    // for their kind) are reported but decide nothing. Signatures not read (a listing cut at the read bound) could
    // be failing ones: that is no pass.
    const verified = results.filter((r) => r.result.ok).length;
    const failed = results.filter((r) => !r.result.ok && !r.result.unverifiable).length;
    return verified > 0 && failed === 0 && !truncated && !unchecked ? 0 : 1;
  },
};

// One line per signature, status first in a fixed-width column (Notary lines read as they always did).
function line({ kind, signature, layer, result }: SignatureVerification): string {
  const what = `${signature.digest}${kind === 'cosign' ? ` (cosign${layer ? ` layer ${shortDigest(layer.digest)}` : ''})` : kind === 'sigstore' ? ` (Sigstore bundle${layer ? ` ${shortDigest(layer.digest)}` : ''})` : ''}`;
  if (result.ok)
    return `verified  ${what} signed by ${result.signer ?? 'unknown'}${result.signingTime ? ` at ${result.signingTime.toISOString()}` : ''}`;
  return `${result.unverifiable ? 'UNCHECKED ' : 'FAILED    '}${what}: ${result.reasons.join('; ')}`;
}
