// Verifies every signature attached to an artifact: Notary signatures (the JWS, its payload against the
// subject, the certificate chain against the trust store), cosign signatures (against public keys, or keyless
// against the Sigstore trusted root) and Sigstore bundle referrers (cosign v3).
import { type Descriptor, type ImageManifest, isIndex, MediaType } from '../oci';
import { artifactKindOf, COSIGN_TAG_TYPES, judgedReferrers, type NotAReferrer, type Referrer } from '../graph';
import {
  COSIGN_SIGN_PREDICATE_TYPE,
  SIGSTORE_BUNDLE_TYPE_PREFIX,
  verifySignature,
  type CosignPublicKey,
  type SigstoreIdentity,
  type SigstoreTrustedRoot,
  type VerificationResult,
} from '../sign';
import { readSmallBlob, type ReadOnlyTarget, SharedManifestReads } from '../content';
import { verifyAttestationManifest, verifyCosignManifest } from './verifyCosignManifest';
import { verifySigstoreReferrer } from './verifySigstoreReferrer';

export type SignatureKind = 'notary' | 'cosign' | 'sigstore';

export interface SignatureVerification {
  kind: SignatureKind;
  /** The signature manifest's descriptor. */
  signature: Descriptor;
  /** cosign: the simple-signing layer checked (one manifest may hold several signatures); sigstore: the bundle. */
  layer?: Descriptor;
  result: VerificationResult;
}

/**
 * Where an attestation was found: cosign's `sha256-<hex>.att` tag, an OCI 1.1 referrer holding DSSE envelopes, or a
 * Sigstore bundle referrer whose DSSE statement is an attestation (then not among the signatures).
 */
export type AttestationKind = 'cosign' | 'referrer' | 'sigstore';

export interface AttestationVerification {
  kind: AttestationKind;
  /** The attestation (or bundle) manifest. */
  manifest: Descriptor;
  /** The DSSE envelope layer (or bundle layer) checked; absent when the manifest itself is unusable. */
  layer?: Descriptor;
  /** Its `predicateType` is the signed statement's (read whatever the verdict). */
  result: VerificationResult;
}

export interface VerifyArtifactOptions {
  /** PEM certificates trusted for Notary signatures. */
  trustedCerts: readonly string[];
  /** Public keys trusted for cosign signatures. */
  cosignKeys?: readonly CosignPublicKey[];
  /** Anchors keyless cosign signatures and Sigstore bundles (trusted_root.json). */
  sigstoreTrustedRoot?: SigstoreTrustedRoot;
  /** Who may sign keylessly (certificate identity and OIDC issuer). */
  sigstoreIdentities?: readonly SigstoreIdentity[];
  now?: Date;
  signal?: AbortSignal;
  /** Manifest reads shared with a caller that reads the same referrers afterwards (the repository audit). */
  sharedReads?: SharedManifestReads;
  /**
   * Only referrers listed as signatures are read, at most `maxReferrers` (more listed sets `truncated`), and at most
   * `maxChecks` signature layers checked (a budget shared by the caller's other checks; the rest are `unchecked`
   * for `notCheckedReason`): for what is checked beside the artifact itself (an SBOM's own signatures), where
   * attestations and the rest are not asked.
   */
  signaturesOnly?: { maxReferrers: number; maxChecks: number; notCheckedReason: string };
}

/** What verifying an artifact found. */
export interface ArtifactVerification {
  /** One result per signature of the artifact (a cosign manifest holding several gives several). */
  signatures: SignatureVerification[];
  /** Listed among its referrers but not referrers of it (their manifests name another subject, or none): not judged. */
  notReferrers: NotAReferrer[];
  /** More referrers were listed than the graph's MAX_REFERRERS_READ: those beyond were not read, so not verified. */
  truncated: boolean;
  /** Signatures not checked because MAX_SIGNATURE_CHECKS were spent on those before them (each is in `signatures`). */
  unchecked: number;
  /** Every judged referrer of the subject, signatures or not (what an audit looks through for SBOMs). */
  referrers: Referrer[];
  /** One result per attestation (DSSE envelope) of the artifact, checked with the same trust and bounds. */
  attestations: AttestationVerification[];
}

/**
 * Signature layers (each a blob read and a verification; a DSSE envelope's each signature counts one) one
 * verification of an artifact checks at most: 499 listed referrers of 100 layers each would be 49,900, and of 16
 * signatures each 798,400. A real artifact has a handful of signatures.
 */
export const MAX_SIGNATURE_CHECKS = 1_000;

const NOT_CHECKED_REASON = `not checked: a verification checks at most ${MAX_SIGNATURE_CHECKS} signature layers of an artifact (each signature of an envelope counting one), and the signatures before this one used them`;

const COSIGN_SIGNATURE_TYPE = COSIGN_TAG_TYPES['sig']!;
const NO_CERTIFICATES_REASON =
  'not verified: no trusted certificates were given (stowage.trust.certificates or --trust-cert)';

/**
 * Every signature of `subject`: Notary referrers, and cosign signatures from the `sha256-<hex>.sig` tag or from
 * referrers with cosign's signature artifact type. Listed referrers are judged first (a listing is anyone's claim,
 * referrerSubject.ts): one that is not a referrer of `subject` is reported, not verified as a failed signature.
 */
export async function verifyArtifactSignatures(
  store: ReadOnlyTarget,
  subject: Descriptor,
  options: VerifyArtifactOptions,
): Promise<ArtifactVerification> {
  // The manifest read to judge a referrer is the one its verification reads.
  const target = (options.sharedReads ?? new SharedManifestReads(store, { signal: options.signal })).target;
  const { referrers, notReferrers, truncated } = await judgedReferrers(store, subject, {
    judgeReads: target,
    // A cosign tag's payloads are checked below, one verdict per signature, each failure with its reason.
    cosignTagsByContent: false,
    ...(options.signaturesOnly
      ? {
          maxReferrers: options.signaturesOnly.maxReferrers,
          accept: async (_subject: string, { descriptor }: Referrer) => signatureKind(descriptor) !== undefined,
        }
      : {}),
    signal: options.signal,
  });
  const sigstore = {
    trustedRoot: options.sigstoreTrustedRoot,
    identities: options.sigstoreIdentities,
    cosignKeys: options.cosignKeys,
  };
  const results: SignatureVerification[] = [];
  const attestations: AttestationVerification[] = [];
  let [checksLeft, unchecked] = [options.signaturesOnly?.maxChecks ?? MAX_SIGNATURE_CHECKS, 0];
  const notChecked = options.signaturesOnly?.notCheckedReason ?? NOT_CHECKED_REASON;
  for (const { descriptor } of referrers) {
    const kind = signatureKind(descriptor);
    const attestation = kind ? undefined : attestationKind(descriptor);
    if (!kind && !attestation) continue;
    // Bounded over the whole artifact: a manifest started is checked whole (up to MAX_SIGNATURE_LAYERS), the rest
    // are named, not read.
    if (checksLeft <= 0) {
      unchecked++;
      const result: VerificationResult = { ok: false, unverifiable: true, reasons: [notChecked] };
      if (kind) results.push({ kind, signature: descriptor, result });
      else attestations.push({ kind: attestation!, manifest: descriptor, result });
      continue;
    }
    const [signaturesBefore, attestationsBefore] = [results.length, attestations.length];
    if (attestation || kind === 'cosign') {
      // cosign `.sig` and `.att` manifests alike: one result per signed layer, checked with the same keys and root.
      const verifyManifest = attestation ? verifyAttestationManifest : verifyCosignManifest;
      const keys = options.cosignKeys ?? [];
      for (const checked of await verifyManifest(target, subject, descriptor, keys, options.signal, sigstore)) {
        if (attestation) attestations.push({ kind: attestation, manifest: descriptor, ...checked });
        else results.push({ kind: 'cosign', signature: descriptor, ...checked });
      }
    } else if (kind === 'notary') {
      // Without trust material nothing can be concluded about a Notary signature, least of all that it is bad.
      const result: VerificationResult = options.trustedCerts.length
        ? await verifySignatureReferrer(target, subject, descriptor, options)
        : { ok: false, unverifiable: true, reasons: [NO_CERTIFICATES_REASON] };
      results.push({ kind: 'notary', signature: descriptor, result });
    } else {
      for (const checked of await verifySigstoreReferrer(target, subject, descriptor, sigstore, options.signal)) {
        if (isBundleAttestation(checked.result))
          attestations.push({ kind: 'sigstore', manifest: descriptor, ...checked });
        else results.push({ kind: 'sigstore', signature: descriptor, ...checked });
      }
    }
    // Each signature of a DSSE envelope is a verification of its own (a keyless one costs tens of milliseconds).
    const added = [...results.slice(signaturesBefore), ...attestations.slice(attestationsBefore)];
    checksLeft -= Math.max(
      1,
      added.reduce((spent, { result }) => spent + (result.checks ?? 1), 0),
    );
  }
  return { signatures: results, notReferrers, truncated, unchecked, referrers, attestations };
}

/**
 * A Sigstore bundle signs the image when it holds a message signature, or a DSSE statement of cosign's signing
 * predicate (cosign v3 counts nothing else); a DSSE statement of any other predicate (SLSA provenance, an SBOM,
 * `gh attestation`'s) is an attestation, which proves who made a claim about the image, not that they signed it.
 * A bundle whose statement cannot be read, or names no predicate type, stays among the signatures, failed, so it
 * is seen.
 */
function isBundleAttestation(result: VerificationResult): boolean {
  return result.predicateType !== undefined && result.predicateType !== COSIGN_SIGN_PREDICATE_TYPE;
}

/** cosign's `.att` tag, or a referrer that declares itself an in-toto or DSSE attestation. */
function attestationKind(descriptor: Descriptor): AttestationKind | undefined {
  if (descriptor.artifactType === COSIGN_TAG_TYPES['att']) return 'cosign';
  const kind = artifactKindOf(descriptor);
  return kind === 'in-toto-attestation' || kind === 'attestation' ? 'referrer' : undefined;
}

function signatureKind(descriptor: Descriptor): SignatureKind | undefined {
  if (descriptor.artifactType === MediaType.notarySignature) return 'notary';
  if (descriptor.artifactType === COSIGN_SIGNATURE_TYPE) return 'cosign';
  if (descriptor.artifactType?.startsWith(SIGSTORE_BUNDLE_TYPE_PREFIX)) return 'sigstore';
  return undefined;
}

/** Verifies one Notary signature manifest; a malformed manifest is a failed result, not an exception. */
export async function verifySignatureReferrer(
  target: ReadOnlyTarget,
  subject: Descriptor,
  signature: Descriptor,
  options: VerifyArtifactOptions,
): Promise<VerificationResult> {
  const fetched = await target.fetchManifest(signature, { signal: options.signal });
  const manifest = fetched.manifest;
  if (isIndex(manifest)) return { ok: false, reasons: ['the signature referrer is an index, not a manifest'] };
  const envelope = envelopeLayer(manifest);
  if (!envelope) return { ok: false, reasons: [`the signature manifest has no ${MediaType.jws} layer`] };
  if (manifest.subject?.digest !== subject.digest)
    return {
      ok: false,
      reasons: [`the signature manifest's subject is ${manifest.subject?.digest ?? 'missing'}, not ${subject.digest}`],
    };
  const bytes = await readSmallBlob(target, envelope, options.signal);
  return verifySignature(
    bytes,
    { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    { trustedCerts: options.trustedCerts, now: options.now },
  );
}

function envelopeLayer(manifest: ImageManifest): Descriptor | undefined {
  const envelopes = manifest.layers.filter((layer) => layer.mediaType === MediaType.jws);
  return envelopes.length === 1 ? envelopes[0] : undefined;
}
