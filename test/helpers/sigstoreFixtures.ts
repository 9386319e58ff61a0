// A private Sigstore made offline at test time with @sigstore/mock: a Fulcio CA (with a CT log), a Rekor log and
// a timestamp authority, each with its own keys, the trusted_root.json that trusts them, and real bundles signed
// by ephemeral keys whose certificates that CA issues. Nothing here is Stowage code, and nothing touches the
// network (the mock's request handlers are not used, only its services).
import { createHash, createPublicKey, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { initializeCA, initializeCTLog, initializeTLog, initializeTSA } from '@sigstore/mock';
import { bundleToJSON, toDSSEBundle, toMessageSignatureBundle, type Bundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import { IN_TOTO_PAYLOAD_TYPE } from './cosignAttestation';

export { IN_TOTO_PAYLOAD_TYPE };
export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** The signer the integration tests' keyless signatures name: a GitHub Actions release workflow. */
export const TEST_IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0';
export const TEST_ISSUER = 'https://token.actions.githubusercontent.com';

/** `stowage verify`'s Sigstore trust flags: the mock's trusted root file and the identity rule to require. */
export function sigstoreTrustFlags(trustedRoot: string, identity = TEST_IDENTITY, issuer = TEST_ISSUER): string[] {
  return [
    '--sigstore-trusted-root',
    trustedRoot,
    '--certificate-identity',
    identity,
    '--certificate-oidc-issuer',
    issuer,
  ];
}
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const REKOR_URL = 'https://rekor.mock.test';

/** What the mock Rekor answers for one entry (Rekor's LogEntry, the fields used here). */
interface RekorEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof: { logIndex: number; rootHash: string; treeSize: number; hashes: string[]; checkpoint: string };
  };
}

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };
const p256 = (): KeyPair => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
const b64 = (bytes: ArrayBufferView | Buffer) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/** What a keyless signature signs: a DSSE in-toto statement (or its bytes), or a message (cosign's simple-signing payload). */
export type SignedContent = { statement: object | Buffer } | { message: Buffer };

export interface KeylessOptions {
  /** The certificate's subject alternative name (URI), e.g. a workflow identity. */
  identity: string;
  /** The OIDC issuer Fulcio writes into the certificate. */
  issuer: string;
  content: SignedContent;
  /** When the CA issues the certificate (valid for 10 minutes from then); default: this Sigstore's clock. */
  certificateTime?: Date;
  /** A Rekor entry (SET and inclusion proof) as the timestamp; default true. */
  tlog?: boolean;
  /** An RFC 3161 timestamp from the mock TSA too; default false. */
  tsa?: boolean;
}

/** The pieces of one keyless signature, also in the shape of cosign's legacy `.sig` layer annotations. */
export interface KeylessSignature {
  bundle: Record<string, unknown>;
  /** The leaf certificate (PEM). */
  certificatePem: string;
  signature: Buffer;
  /** `dev.sigstore.cosign/bundle`: the Rekor entry as cosign stores it beside a `.sig` layer. */
  rekorBundle?: string;
}

export interface MockSigstore {
  /** trusted_root.json trusting this mock's CA, CT log, Rekor and TSA. */
  trustedRoot: Record<string, unknown>;
  keyless(options: KeylessOptions): Promise<KeylessSignature>;
  /** A bundle signed with `privateKey` (verification material: a public key hint), with a Rekor entry. */
  withKey(privateKey: KeyObject, content: SignedContent, tlog?: boolean): Promise<Record<string, unknown>>;
}

export async function createMockSigstore(): Promise<MockSigstore> {
  const caKeys = p256();
  const ctKeys = p256();
  const rekorKeys = p256();
  const tsaKeys = p256();
  // One clock for every service, on a whole second a little ahead: the mock TSA writes milliseconds that
  // @sigstore/core cannot read when they end in 0, and the mock's root certificates start at their creation
  // (which must not be after the times they vouch for). Every signature of this Sigstore is made "at" `clock`.
  const clock = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000);
  const ctlog = await initializeCTLog(ctKeys, clock);
  const ca = await initializeCA(caKeys, ctlog, clock);
  const rekor = await initializeTLog(REKOR_URL, rekorKeys, clock);
  const tsa = await initializeTSA(tsaKeys, clock);
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();

  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: REKOR_URL,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: b64(rekor.publicKey),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start: since },
        },
        logId: { keyId: b64(sha256(rekor.publicKey)) },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: 'https://fulcio.mock.test',
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start: since },
      },
    ],
    ctlogs: [
      {
        baseUrl: 'https://ctfe.mock.test',
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: b64(ctlog.publicKey),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start: since },
        },
        logId: { keyId: b64(ctlog.logID) },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: 'https://tsa.mock.test',
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor: { start: since },
      },
    ],
  };

  /** Signs the content with `key`; the bundle's key material is filled in by the caller. */
  function signContent(key: KeyObject, content: SignedContent, material: { certificate?: Buffer; keyHint?: string }) {
    if ('message' in content) {
      const signature = sign('sha256', content.message, key);
      const bundle = toMessageSignatureBundle({ digest: sha256(content.message), signature, ...material });
      return { bundle: bundle as Bundle, signature };
    }
    // A Buffer is the statement's bytes as written (hostile JSON that an object cannot express).
    const payload = Buffer.isBuffer(content.statement)
      ? content.statement
      : Buffer.from(JSON.stringify(content.statement));
    const signature = sign('sha256', dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload), key);
    const bundle = toDSSEBundle({ artifact: payload, artifactType: IN_TOTO_PAYLOAD_TYPE, signature, ...material });
    return { bundle: bundle as Bundle, signature };
  }

  /** The Rekor entry for the signature, as the bundle and as cosign's `dev.sigstore.cosign/bundle` annotation. */
  async function logEntry(bundle: Bundle, signature: Buffer, verifier: string) {
    const proposed =
      bundle.content.$case === 'messageSignature'
        ? {
            apiVersion: '0.0.1',
            kind: 'hashedrekord',
            spec: {
              data: {
                hash: {
                  algorithm: 'sha256',
                  value: bundle.content.messageSignature.messageDigest.digest.toString('hex'),
                },
              },
              signature: { content: signature.toString('base64'), publicKey: { content: verifier } },
            },
          }
        : {
            apiVersion: '0.0.1',
            kind: 'dsse',
            spec: {
              payloadHash: { algorithm: 'sha256', value: sha256(bundle.content.dsseEnvelope.payload).toString('hex') },
              signatures: [{ signature: signature.toString('base64'), verifier }],
            },
          };
    const logged = Object.values(await rekor.log(proposed))[0] as RekorEntry;
    const proof = logged.verification.inclusionProof;
    bundle.verificationMaterial.tlogEntries.push({
      logIndex: String(logged.logIndex),
      logId: { keyId: Buffer.from(logged.logID, 'hex') },
      kindVersion: { kind: proposed.kind, version: proposed.apiVersion },
      integratedTime: String(logged.integratedTime),
      inclusionPromise: { signedEntryTimestamp: Buffer.from(logged.verification.signedEntryTimestamp!, 'base64') },
      inclusionProof: {
        logIndex: String(proof.logIndex),
        rootHash: Buffer.from(proof.rootHash, 'hex'),
        treeSize: String(proof.treeSize),
        hashes: proof.hashes.map((hash) => Buffer.from(hash, 'hex')),
        checkpoint: { envelope: proof.checkpoint },
      },
      canonicalizedBody: Buffer.from(logged.body, 'base64'),
    });
    return JSON.stringify({
      SignedEntryTimestamp: logged.verification.signedEntryTimestamp,
      Payload: {
        body: logged.body,
        integratedTime: logged.integratedTime,
        logIndex: logged.logIndex,
        logID: logged.logID,
      },
    });
  }

  return {
    trustedRoot,
    async keyless(options) {
      const ephemeral = p256();
      const issuing = options.certificateTime
        ? await initializeCA(caKeys, await initializeCTLog(ctKeys, options.certificateTime), options.certificateTime)
        : ca;
      const certificate = Buffer.from(
        (
          await issuing.issueCertificate({
            publicKey: spki(ephemeral.publicKey),
            subjectAltName: options.identity,
            extensions: [
              { oid: OID_ISSUER_V1, value: options.issuer, legacy: true },
              { oid: OID_ISSUER_V2, value: options.issuer },
            ],
          })
        ).buffer,
      );
      const certificatePem = new X509Certificate(certificate).toString();
      const { bundle, signature } = signContent(ephemeral.privateKey, options.content, { certificate });
      const rekorBundle =
        options.tlog === false
          ? undefined
          : await logEntry(bundle, signature, Buffer.from(certificatePem).toString('base64'));
      if (options.tsa) {
        const timestamp = await tsa.timestamp({
          artifactHash: sha256(signature),
          hashAlgorithmOID: OID_SHA256,
          nonce: 1234567890,
          policyOID: '1.3.6.1.4.1.57264.2',
          certReq: true,
        });
        bundle.verificationMaterial.timestampVerificationData = {
          rfc3161Timestamps: [{ signedTimestamp: Buffer.from(timestamp.buffer) }],
        };
      }
      return {
        bundle: bundleToJSON(bundle) as unknown as Record<string, unknown>,
        certificatePem,
        signature,
        ...(rekorBundle ? { rekorBundle } : {}),
      };
    },
    async withKey(privateKey, content, tlog = true) {
      const { bundle, signature } = signContent(privateKey, content, { keyHint: '' });
      if (tlog) {
        const pem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
        await logEntry(bundle, signature, Buffer.from(pem).toString('base64'));
      }
      return bundleToJSON(bundle) as unknown as Record<string, unknown>;
    },
  };
}

/** A bundle referrer as cosign v3 stores it: an OCI 1.1 manifest whose one layer is the bundle JSON. */
export function bundleReferrer(
  subject: { mediaType: string; digest: string; size: number },
  bundle: Record<string, unknown>,
  extraLayers: { descriptor: { mediaType: string; digest: string; size: number }; bytes: Buffer }[] = [],
) {
  const bundleBytes = Buffer.from(JSON.stringify(bundle));
  const empty = Buffer.from('{}');
  const digest = (bytes: Buffer) => `sha256:${sha256(bytes).toString('hex')}`;
  const config = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digest(empty), size: empty.length };
  const layer = { mediaType: SIGSTORE_BUNDLE_V03, digest: digest(bundleBytes), size: bundleBytes.length };
  const manifest = {
    schemaVersion: 2 as const,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: SIGSTORE_BUNDLE_V03,
    config,
    layers: [layer, ...extraLayers.map((extra) => extra.descriptor)],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      'dev.sigstore.bundle.content': 'dsseEnvelope' in bundle ? 'dsse-envelope' : 'message-signature',
      'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1',
    },
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return {
    manifest: {
      descriptor: {
        mediaType: manifest.mediaType,
        digest: digest(bytes),
        size: bytes.length,
        artifactType: SIGSTORE_BUNDLE_V03,
      },
      bytes,
      manifest,
    },
    blobs: [{ descriptor: config, bytes: empty }, { descriptor: layer, bytes: bundleBytes }, ...extraLayers],
  };
}

/** cosign's in-toto statement for an image digest (predicate https://sigstore.dev/cosign/sign/v1). */
export function cosignStatement(digest: string, name = 'registry.test/app'): object {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { [algorithm]: hex } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  };
}
