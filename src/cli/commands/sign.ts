import { loadSigningIdentity } from '../../core/sign';
import { signArtifact } from '../../core/supplyChain';
import { UsageError } from '../args';
import { print, printJson, type Command } from '../command';
import { COMMON_OPTIONS, formatOption } from '../commonOptions';
import { assertOptionFile } from '../fileArgs';

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign an artifact with a local key and certificate chain (Notary Project JWS) and attach the signature',
  examples: [
    { does: 'create a key and certificate, then sign an image with them', run: 'stowage key create --out ./keys' },
    { run: 'stowage sign localhost:5000/team/app:v1 --key keys/signing.key.pem --cert keys/signing.crt.pem' },
  ],
  usage: 'stowage sign <reference> --key KEY.pem --cert CHAIN.pem [--format json]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'key',
      type: 'string',
      valueName: 'file',
      description: 'PEM private key (ECDSA P-256/P-384/P-521 or RSA ≥ 2048); passphrase from STOWAGE_KEY_PASSPHRASE',
    },
    {
      name: 'cert',
      type: 'string',
      valueName: 'file',
      description: 'PEM certificate chain, the key’s certificate first',
    },
    formatOption('text or json (the signature manifest’s descriptor)'),
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const keyFile = args.options['key'] as string | undefined;
    const certFile = args.options['cert'] as string | undefined;
    // The one missing is named, and where a first key and certificate come from.
    const missing = [keyFile ? '' : '--key KEY.pem', certFile ? '' : '--cert CHAIN.pem'].filter(Boolean);
    if (!keyFile || !certFile)
      throw new UsageError(
        `sign needs ${missing.join(' and ')} (stowage key create --out DIR makes a key and its certificate)`,
      );
    await assertOptionFile('--key', keyFile);
    await assertOptionFile('--cert', certFile);
    const identity = await loadSigningIdentity(keyFile, certFile, { passphrase: io.env['STOWAGE_KEY_PASSPHRASE'] });
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const subject = await target.resolve(tagOrDigest, { signal });
    const signature = await signArtifact(target, subject, { key: identity.key, certChain: identity.certChain, signal });
    if (args.options['format'] === 'json') printJson(io, signature);
    // What was signed by name and digest, as notation says it: a digest alone does not tell which repository.
    else print(io, `Signed ${target.location}@${subject.digest} (Notary signature ${signature.digest})`);
    return 0;
  },
};
