// Names fixed by Sigstore and cosign for signatures stored as Sigstore bundles, and the caps Stowage reads them with.

/** Media types of Sigstore bundles (`…bundle.v0.3+json`, older `…bundle+json;version=0.x`) start with this. */
export const SIGSTORE_BUNDLE_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
/** The DSSE payload type of an in-toto statement (what cosign v3 signs for an image). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** cosign's annotation for an RFC 3161 timestamp beside a legacy `.sig` layer. */
export const COSIGN_RFC3161_ANNOTATION = 'dev.sigstore.cosign/rfc3161timestamp';
/** A bundle is a few kilobytes (a certificate, a signature, a log entry or two); anything near this is hostile. */
export const MAX_SIGSTORE_BUNDLE_BYTES = 256 * 1024;
/** trusted_root.json of the public-good instance is about 10 KB; a user's file is capped before it is parsed. */
export const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;

export const NO_TRUSTED_ROOT_REASON =
  'not verified: a keyless Sigstore signature, and no Sigstore trusted root was given (stowage.trust.sigstoreTrustedRoot or --sigstore-trusted-root)';
export const NO_IDENTITIES_REASON =
  'not verified: no Sigstore identity rules were given (stowage.trust.sigstoreIdentities or --certificate-identity with --certificate-oidc-issuer)';
