// `stowage verify`'s Sigstore flags, named as cosign names them: the trusted root (a file; never fetched) and
// who may sign keylessly (one identity and one OIDC issuer, each exact or a regular expression).
import {
  loadSigstoreTrustedRoot,
  parseSigstoreIdentity,
  type SigstoreIdentity,
  type SigstoreTrustedRoot,
} from '../core/sign';
import { UsageError, type OptionSpec, type ParsedArgs } from './args';

export const SIGSTORE_OPTIONS: OptionSpec[] = [
  {
    name: 'sigstore-trusted-root',
    type: 'string',
    valueName: 'file',
    description:
      'Sigstore trusted_root.json (Fulcio CAs, Rekor and CT logs, timestamp authorities) for keyless cosign signatures and Sigstore bundles; read from the file, never fetched',
  },
  {
    name: 'certificate-identity',
    type: 'string',
    valueName: 'id',
    description: 'keyless signer identity (certificate SAN: e-mail or URI) that must match exactly',
  },
  {
    name: 'certificate-identity-regexp',
    type: 'string',
    valueName: 'regexp',
    description: 'keyless signer identity as a regular expression (unanchored, as in cosign)',
  },
  {
    name: 'certificate-oidc-issuer',
    type: 'string',
    valueName: 'url',
    description: 'OIDC issuer of the keyless signer certificate that must match exactly',
  },
  {
    name: 'certificate-oidc-issuer-regexp',
    type: 'string',
    valueName: 'regexp',
    description: 'OIDC issuer of the keyless signer certificate as a regular expression (unanchored)',
  },
];

export interface SigstoreFlagTrust {
  sigstoreTrustedRoot?: SigstoreTrustedRoot;
  sigstoreIdentities?: SigstoreIdentity[];
}

export async function sigstoreTrustFromFlags(options: ParsedArgs['options']): Promise<SigstoreFlagTrust> {
  const text = (name: string) => (options[name] as string | undefined) || undefined;
  const root = text('sigstore-trusted-root');
  const identity = text('certificate-identity');
  const identityRegExp = text('certificate-identity-regexp');
  const issuer = text('certificate-oidc-issuer');
  const issuerRegExp = text('certificate-oidc-issuer-regexp');
  const anyRule = identity ?? identityRegExp ?? issuer ?? issuerRegExp;
  if (!root) {
    if (anyRule)
      throw new UsageError('--certificate-identity and --certificate-oidc-issuer need --sigstore-trusted-root');
    return {};
  }
  if (identity && identityRegExp)
    throw new UsageError('give --certificate-identity or --certificate-identity-regexp, not both');
  if (issuer && issuerRegExp)
    throw new UsageError('give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp, not both');
  if (!(identity ?? identityRegExp) || !(issuer ?? issuerRegExp))
    throw new UsageError(
      '--sigstore-trusted-root needs who may sign: --certificate-identity (or -regexp) and --certificate-oidc-issuer (or -regexp)',
    );
  const rule = parseSigstoreIdentity(
    { identity, identityRegExp, issuer, issuerRegExp },
    '--certificate-identity/--certificate-oidc-issuer',
  );
  return {
    sigstoreTrustedRoot: await loadSigstoreTrustedRoot(root, `--sigstore-trusted-root ${root}`),
    sigstoreIdentities: [rule],
  };
}
