// Verifies a Sigstore bundle with the Sigstore libraries, offline, against what the user trusts: keyless bundles
// (a Fulcio certificate) against a trusted root and identity rules, key-based bundles against cosign public keys.
// Before any of that it checks that what the bundle signs is THIS artifact: a valid bundle over another image's
// statement proves nothing about this one.
import { createHash } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { HashAlgorithm, type TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type Signer } from '@sigstore/verify';
import type { Descriptor } from '../oci';
import { keySigner, type CosignPublicKey } from './cosignKeys';
import { parseSimpleSigningPayload } from '../graph';
import { describeKeylessSigner, identityProblem, type SigstoreIdentity } from './sigstoreIdentity';
import type { SigstoreTrustedRoot } from './sigstoreTrustedRoot';
import { inTotoStatementOf, statementSubjectReasons, type InTotoStatement } from './inTotoStatement';
import { MAX_SIGSTORE_BUNDLE_BYTES, NO_IDENTITIES_REASON, NO_TRUSTED_ROOT_REASON } from './sigstore';
import { NO_KEYS_REASON } from './cosign';
import { MAX_DSSE_SIGNATURES } from './dsse';
import { COSIGN_SIGN_PREDICATE_TYPE } from './predicateTypes';
import type { VerificationResult } from './verifySignature';

export interface SigstoreVerifyOptions {
  /** Anchors keyless signatures (and the log entries of key-based ones, when given). */
  trustedRoot?: SigstoreTrustedRoot;
  /** Who may sign keylessly; without any, keyless signatures are not verified. */
  identities?: readonly SigstoreIdentity[];
  /** Keys for key-based bundles (the cosign keys configured for `.sig` signatures). */
  cosignKeys?: readonly CosignPublicKey[];
}

const HASHES: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

/** A bundle from its JSON bytes, shape-checked by @sigstore/bundle; every problem is a reason, not an exception. */
export function parseSigstoreBundle(bytes: Buffer): Bundle | { problem: string } {
  const bundles = parseSigstoreBundles(bytes);
  if ('problem' in bundles) return bundles;
  return bundles.length === 1 ? bundles[0]! : { problem: 'the bundle has more than one DSSE signature' };
}

/**
 * The bundle as one bundle per signature of its DSSE envelope (the bundle format allows one; an envelope may hold
 * several, each judged alone: anySignature), at most MAX_DSSE_SIGNATURES; a message-signature bundle is one.
 */
export function parseSigstoreBundles(bytes: Buffer): Bundle[] | { problem: string } {
  if (bytes.length > MAX_SIGSTORE_BUNDLE_BYTES)
    return { problem: `the bundle is ${bytes.length} bytes, more than the ${MAX_SIGSTORE_BUNDLE_BYTES} allowed` };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { problem: 'the bundle is not JSON' };
  }
  const dsse = (json as { dsseEnvelope?: { signatures?: unknown } } | null)?.dsseEnvelope;
  const signatures = Array.isArray(dsse?.signatures) ? (dsse.signatures as unknown[]) : [];
  if (signatures.length > MAX_DSSE_SIGNATURES)
    return {
      problem: `the bundle's DSSE envelope has ${signatures.length} signatures, more than the ${MAX_DSSE_SIGNATURES} read`,
    };
  const each =
    signatures.length > 1
      ? signatures.map((signature) => ({ ...(json as object), dsseEnvelope: { ...dsse, signatures: [signature] } }))
      : [json];
  try {
    return each.map((one) => bundleFromJSON(one));
  } catch (err) {
    return { problem: `the bundle is not a valid Sigstore bundle (${(err as Error).message})` };
  }
}

/** For a message-signature bundle, the `algorithm:hex` digest of the message it signs (the caller finds it). */
export function signedMessageDigest(bundle: Bundle): string | undefined {
  if (bundle.content.$case !== 'messageSignature') return undefined;
  const { algorithm, digest } = bundle.content.messageSignature.messageDigest;
  return `${HASHES[algorithm] ?? 'sha256'}:${Buffer.from(digest).toString('hex')}`;
}

/**
 * `message` is the signed bytes of a message-signature bundle (the subject's manifest, or a cosign simple-signing
 * payload naming it); DSSE bundles carry their statement. The result is `unverifiable` when the trust material
 * the bundle needs was not given, a failure with reasons when anything does not hold.
 */
export function verifySigstoreBundle(
  bundle: Bundle,
  subject: Descriptor,
  options: SigstoreVerifyOptions & { message?: Buffer },
): VerificationResult {
  // A DSSE bundle is an attestation too: its predicate type goes with its verdict.
  const predicateType = bundlePredicateType(bundle);
  const result = verifyBundle(bundle, subject, options);
  return predicateType ? { ...result, predicateType } : result;
}

function verifyBundle(
  bundle: Bundle,
  subject: Descriptor,
  options: SigstoreVerifyOptions & { message?: Buffer },
): VerificationResult {
  const claims = bindingReasons(bundle, subject, options.message);
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle, options.message);
  } catch (err) {
    return { ok: false, reasons: [...claims, `the bundle could not be read (${(err as Error).message})`] };
  }
  const keyless = bundle.verificationMaterial.content.$case !== 'publicKey';
  const checked = keyless ? verifyKeyless(entity, options) : verifyWithKeys(entity, options);
  if ('unverifiable' in checked) {
    // Not about this artifact whoever signed it: a failure even when the signature cannot be checked.
    return claims.length
      ? { ok: false, reasons: [...claims, checked.unverifiable] }
      : { ok: false, unverifiable: true, reasons: [checked.unverifiable] };
  }
  if ('failure' in checked) return { ok: false, reasons: [...claims, ...checked.failure] };
  // Verified, so what the bundle claims is the signer's word: it must be about this artifact.
  return { ok: claims.length === 0, reasons: claims, signer: checked.signer, signingTime: signingTime(entity) };
}

type Checked = { signer: string } | { failure: string[] } | { unverifiable: string };

function verifyKeyless(entity: SignedEntity, options: SigstoreVerifyOptions): Checked {
  const root = options.trustedRoot;
  if (!root) return { unverifiable: NO_TRUSTED_ROOT_REASON };
  if (!options.identities?.length) return { unverifiable: NO_IDENTITIES_REASON };
  if (!entity.timestamps.length) return { failure: [noTimestampReason(entity)] };
  let signer: Signer;
  try {
    signer = new Verifier(toTrustMaterial(root.root)).verify(entity);
  } catch (err) {
    return { failure: [failureReason(err, root.name)] };
  }
  const identity = {
    identity: signer.identity?.subjectAlternativeName,
    issuer: signer.identity?.extensions?.issuer,
  };
  const problem = identityProblem(identity, options.identities);
  if (problem) return { failure: [problem] };
  return { signer: describeKeylessSigner(identity) };
}

function verifyWithKeys(entity: SignedEntity, options: SigstoreVerifyOptions): Checked {
  const keys = options.cosignKeys ?? [];
  if (!keys.length) return { unverifiable: NO_KEYS_REASON };
  // The key is the trust anchor. Log entries and timestamps are checked when a trusted root says whose they
  // are; without one they cannot be, and the key alone decides (as for `.sig` signatures made with a key).
  const root = options.trustedRoot;
  const checked: SignedEntity = root ? entity : { ...entity, tlogEntries: [], timestamps: [] };
  const failures: string[] = [];
  for (const key of keys) {
    const material = toTrustMaterial(root?.root ?? EMPTY_ROOT, () => ({ publicKey: key.key, validFor: () => true }));
    try {
      new Verifier(material, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(checked);
      return { signer: keySigner(key) };
    } catch (err) {
      failures.push(failureReason(err, root?.name ?? 'no trusted root'));
    }
  }
  if (keys.length === 1) return { failure: [`with the cosign public key ${keys[0]!.name}: ${failures[0]}`] };
  return { failure: [`the bundle does not verify with any of the ${keys.length} cosign public keys (${failures[0]})`] };
}

const EMPTY_ROOT: TrustedRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** A Fulcio certificate lives minutes: without a timestamp nothing shows the signature was made in that time. */
function noTimestampReason(entity: SignedEntity): string {
  const key = entity.key;
  const window =
    key.$case === 'certificate'
      ? `, and the signing certificate was valid only from ${key.certificate.notBefore.toISOString()} to ${key.certificate.notAfter.toISOString()}`
      : '';
  return `the bundle has no timestamp (a transparency log entry or an RFC 3161 timestamp) proving when it was signed${window}`;
}

function failureReason(err: unknown, rootName: string): string {
  const error = err as { code?: string; message?: string; cause?: { message?: string } };
  const detail = `${error.message ?? String(err)}${error.cause?.message ? `: ${error.cause.message}` : ''}`;
  switch (error.code) {
    case 'SIGNATURE_ERROR':
      return 'the signature does not verify (the signed payload or the signature was altered, or another key signed it)';
    case 'CERTIFICATE_ERROR':
      return `the signing certificate is not trusted by the Sigstore trusted root ${rootName} at the signing time (${detail})`;
    case 'TIMESTAMP_ERROR':
      return `the bundle's timestamps do not verify against the Sigstore trusted root ${rootName} (${detail})`;
    case 'PUBLIC_KEY_ERROR':
      return `the public key does not verify (${detail})`;
    default:
      if (error.code?.startsWith('TLOG'))
        return `the transparency log entry does not verify against the Sigstore trusted root ${rootName} (${detail})`;
      return `the bundle could not be verified (${detail})`;
  }
}

/** The earliest verified time the signature is known to have existed. */
function signingTime(entity: SignedEntity): Date | undefined {
  const times = entity.timestamps.map((timestamp) =>
    timestamp.$case === 'transparency-log'
      ? new Date(Number(timestamp.tlogEntry.integratedTime) * 1000)
      : (timestamp.timestamp as RFC3161Timestamp).signingTime,
  );
  return times.length ? new Date(Math.min(...times.map((time) => time.getTime()))) : undefined;
}

/** Why the bundle is not about `subject`; empty when its signed content names this artifact. */
function bindingReasons(bundle: Bundle, subject: Descriptor, message: Buffer | undefined): string[] {
  if (bundle.content.$case === 'dsseEnvelope') {
    const statement = dsseStatement(bundle);
    if ('problem' in statement) return [statement.problem];
    // Its predicate type says what the bundle is (cosign's signing statement, or an attestation): one naming none is
    // neither, and must not pass as a signature for want of a type (in-toto requires one).
    const untyped = statement.predicateType === undefined ? [NO_PREDICATE_TYPE_REASON] : [];
    return [...untyped, ...statementSubjectReasons(statement, subject)];
  }
  const signed = signedMessageDigest(bundle)!;
  if (!message)
    return [`the bundle signs ${signed}, which is neither the artifact nor a payload in the signature manifest`];
  const [algorithm, hex] = signed.split(':') as [string, string];
  if (createHash(algorithm).update(message).digest('hex') !== hex)
    return [`the bundle's message digest ${signed} is not the digest of the signed payload`];
  if (`${algorithm}:${hex}` === subject.digest) return [];
  const payload = parseSimpleSigningPayload(message);
  if ('problem' in payload) return [payload.problem];
  return payload.manifestDigest === subject.digest
    ? []
    : [`the payload signs manifest ${payload.manifestDigest}, not ${subject.digest}`];
}

const NO_PREDICATE_TYPE_REASON = `the signed in-toto statement names no predicateType: it is neither a signature (${COSIGN_SIGN_PREDICATE_TYPE}) nor an attestation`;

function dsseStatement(bundle: Bundle): InTotoStatement | { problem: string } {
  if (bundle.content.$case !== 'dsseEnvelope') return { problem: 'not a DSSE bundle' };
  const envelope = bundle.content.dsseEnvelope;
  return inTotoStatementOf(envelope.payloadType, Buffer.from(envelope.payload));
}

/** The predicate type of a DSSE bundle's statement (what makes it an attestation), whether or not it verifies. */
export function bundlePredicateType(bundle: Bundle): string | undefined {
  const statement = dsseStatement(bundle);
  return 'problem' in statement ? undefined : statement.predicateType;
}
