// verifyArtifactSignatures over a MemoryTarget holding Sigstore bundle referrers (as cosign v3 attaches them) and
// keyless `.sig` signatures, signed by a private Sigstore made at test time with @sigstore/mock.
import * as assert from 'node:assert/strict';
import { digestOf } from '../../../src/core/content/hashing';
import { MemoryTarget } from '../../../src/core/memory';
import {
  CosignAnnotation,
  parseSigstoreIdentity,
  parseSigstoreTrustedRoot,
  type SigstoreTrustedRoot,
} from '../../../src/core/sign';
import { pushReferrer, verifyArtifactSignatures, type VerifyArtifactOptions } from '../../../src/core/supplyChain';
import { bundleReferrer, cosignStatement, createMockSigstore, type MockSigstore } from '../../helpers/sigstoreFixtures';
import { pushArtifact, bytesContent, type PushedArtifact } from '../../helpers/sampleArtifact';
import { simpleSigningPayload } from '../../helpers/cosignAttestation';

const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1';
const ISSUER = 'https://token.actions.githubusercontent.com';

describe('supplyChain/verifyArtifactSignatures: Sigstore bundle referrers and keyless .sig (MemoryTarget)', function () {
  this.timeout(60_000);
  let sigstore: MockSigstore;
  let trustedRoot: SigstoreTrustedRoot;
  let options: VerifyArtifactOptions;

  before(async () => {
    sigstore = await createMockSigstore();
    trustedRoot = parseSigstoreTrustedRoot(JSON.stringify(sigstore.trustedRoot), 'trusted_root.json');
    options = {
      trustedCerts: [],
      sigstoreTrustedRoot: trustedRoot,
      sigstoreIdentities: [parseSigstoreIdentity({ identity: IDENTITY, issuer: ISSUER }, 'test')],
    };
  });

  async function storeWithSubject(): Promise<{ target: MemoryTarget; subject: PushedArtifact }> {
    const target = new MemoryTarget();
    return { target, subject: await pushArtifact(target, 'the signed artifact', { tag: 'v1' }) };
  }

  it('verifies a keyless DSSE bundle referrer naming the artifact, kind "sigstore", signer and bundle layer', async () => {
    const { target, subject } = await storeWithSubject();
    const { bundle } = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: cosignStatement(subject.manifest.digest) },
    });
    const referrer = bundleReferrer(subject.manifest, bundle);
    await pushReferrer(target, referrer.manifest, referrer.blobs);

    const { signatures: results } = await verifyArtifactSignatures(target, subject.manifest, options);
    assert.equal(results.length, 1);
    assert.deepEqual(results[0]!.result.reasons, []);
    assert.equal(results[0]!.result.ok, true);
    assert.equal(results[0]!.kind, 'sigstore');
    assert.equal(results[0]!.signature.digest, referrer.manifest.descriptor.digest);
    assert.equal(results[0]!.layer?.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(results[0]!.result.signer, `OIDC issuer "${ISSUER}", identity "${IDENTITY}"`);
  });

  it('counts a provenance bundle offered as a signature (its manifest claims the sign predicate) as an attestation only', async () => {
    const { target, subject } = await storeWithSubject();
    const digest = subject.manifest.digest;
    const provenance = {
      ...(cosignStatement(digest) as Record<string, unknown>),
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: {} },
    };
    const signed = await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content: { statement: provenance } });
    const claimed = bundleReferrer(subject.manifest, signed.bundle);
    await pushReferrer(target, claimed.manifest, claimed.blobs);

    const { signatures, attestations } = await verifyArtifactSignatures(target, subject.manifest, options);
    assert.deepEqual(signatures, []);
    assert.deepEqual(
      attestations.map((a) => [a.kind, a.manifest.digest, a.result.ok, a.result.predicateType, a.result.signer]),
      [
        [
          'sigstore',
          claimed.manifest.descriptor.digest,
          true,
          'https://slsa.dev/provenance/v1',
          `OIDC issuer "${ISSUER}", identity "${IDENTITY}"`,
        ],
      ],
    );
    // cosign's own signing statement beside it is the signature, and only that.
    const sign = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: cosignStatement(digest) },
    });
    const signature = bundleReferrer(subject.manifest, sign.bundle);
    await pushReferrer(target, signature.manifest, signature.blobs);
    const again = await verifyArtifactSignatures(target, subject.manifest, options);
    assert.deepEqual(
      again.signatures.map((s) => [s.signature.digest, s.result.ok]),
      [[signature.manifest.descriptor.digest, true]],
    );
    assert.deepEqual(
      again.attestations.map((a) => a.manifest.digest),
      [claimed.manifest.descriptor.digest],
    );
  });

  it('fails a bundle whose signed statement names no predicate type (none, empty, or snake_case) instead of counting it a signature', async () => {
    for (const untyped of [{}, { predicateType: '' }, { predicate_type: 'https://sigstore.dev/cosign/sign/v1' }]) {
      const { target, subject } = await storeWithSubject();
      const { predicateType: _type, ...statement } = cosignStatement(subject.manifest.digest) as Record<
        string,
        unknown
      >;
      const signed = await sigstore.keyless({
        identity: IDENTITY,
        issuer: ISSUER,
        content: { statement: { ...statement, ...untyped } },
      });
      const referrer = bundleReferrer(subject.manifest, signed.bundle);
      await pushReferrer(target, referrer.manifest, referrer.blobs);

      const { signatures, attestations } = await verifyArtifactSignatures(target, subject.manifest, options);
      assert.deepEqual(attestations, []);
      assert.deepEqual(
        signatures.map((s) => [s.result.ok, s.result.unverifiable, s.result.reasons]),
        [
          [
            false,
            undefined,
            [
              'the signed in-toto statement names no predicateType: it is neither a signature (https://sigstore.dev/cosign/sign/v1) nor an attestation',
            ],
          ],
        ],
        JSON.stringify(untyped),
      );
    }
  });

  it('fails a bundle whose signed statement repeats a key (a second predicateType, a second sha256 digest, escaped or not) instead of picking one', async () => {
    const other = 'c'.repeat(64);
    const statements = (hex: string) => [
      // JSON.parse keeps the last predicateType (the sign one); cosign's reader refuses the statement.
      `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"${hex}"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate\\u0054ype":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`,
      `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"${other}","sha256":"${hex}"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}`,
    ];
    for (const [index, key] of ['"predicateType"', '"sha256"'].entries()) {
      const { target, subject } = await storeWithSubject();
      const statement = Buffer.from(statements(subject.manifest.digest.slice('sha256:'.length))[index]!);
      const signed = await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content: { statement } });
      const referrer = bundleReferrer(subject.manifest, signed.bundle);
      await pushReferrer(target, referrer.manifest, referrer.blobs);

      const { signatures, attestations } = await verifyArtifactSignatures(target, subject.manifest, options);
      assert.deepEqual(attestations, []);
      assert.deepEqual(
        signatures.map((s) => [s.result.ok, s.result.reasons]),
        [[false, [`the signed in-toto statement repeats the key ${key}: readers disagree on which wins`]]],
      );
    }
  });

  it('verifies a bundle whose envelope has a forged signature before the real one, saying which; fails one of forged ones, naming each', async () => {
    const { target, subject } = await storeWithSubject();
    const { bundle } = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: cosignStatement(subject.manifest.digest) },
    });
    const dsse = bundle.dsseEnvelope as { signatures: { sig: string; keyid?: string }[] };
    const forged = { keyid: '', sig: Buffer.alloc(70, 7).toString('base64') };
    const withSignatures = (signatures: object[]) => ({ ...bundle, dsseEnvelope: { ...dsse, signatures } });
    const mixed = bundleReferrer(subject.manifest, withSignatures([forged, dsse.signatures[0]!]));
    await pushReferrer(target, mixed.manifest, mixed.blobs);
    const { signatures } = await verifyArtifactSignatures(target, subject.manifest, options);
    assert.deepEqual(signatures[0]!.result.reasons, []);
    assert.equal(signatures[0]!.result.ok, true);
    assert.equal(signatures[0]!.result.signer, `OIDC issuer "${ISSUER}", identity "${IDENTITY}"`);
    assert.deepEqual(signatures[0]!.result.envelopeSignature, { index: 2, of: 2 });

    const other = await storeWithSubject();
    const forgedOnly = bundleReferrer(other.subject.manifest, withSignatures([forged, forged]));
    await pushReferrer(other.target, forgedOnly.manifest, forgedOnly.blobs);
    const failed = (await verifyArtifactSignatures(other.target, other.subject.manifest, options)).signatures;
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.result.ok, false);
    assert.equal(failed[0]!.result.unverifiable, undefined);
    assert.deepEqual(
      failed[0]!.result.reasons.filter((reason) => reason.startsWith('signature ')).map((r) => r.slice(0, 16)),
      ['signature 1 of 2', 'signature 2 of 2'],
    );
  });

  it('fails a valid bundle attached to this artifact that signs another one, and one the identity rules reject', async () => {
    const { target, subject } = await storeWithSubject();
    const other = `sha256:${'c'.repeat(64)}`;
    const elsewhere = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: cosignStatement(other) },
    });
    const stranger = await sigstore.keyless({
      identity: 'https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main',
      issuer: ISSUER,
      content: { statement: cosignStatement(subject.manifest.digest) },
    });
    for (const { bundle } of [elsewhere, stranger]) {
      const referrer = bundleReferrer(subject.manifest, bundle);
      await pushReferrer(target, referrer.manifest, referrer.blobs);
    }
    const { signatures: results } = await verifyArtifactSignatures(target, subject.manifest, options);
    const reasons = results.map((r) => [r.result.ok, r.result.reasons.join('; ')] as const).sort();
    assert.equal(reasons.length, 2);
    assert.deepEqual(
      reasons.map(([ok]) => ok),
      [false, false],
    );
    assert.ok(
      reasons.some(([, why]) => why === `the signed statement's subjects are ${other}, not ${subject.manifest.digest}`),
    );
    assert.ok(
      reasons.some(([, why]) =>
        /identity "https:\/\/github\.com\/evil\/.*" does not match the identity rule/.test(why),
      ),
    );
  });

  it('finds the signed message of a message-signature bundle: the subject manifest, or a payload layer beside the bundle', async () => {
    const { target, subject } = await storeWithSubject();
    const overManifest = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { message: subject.manifestBytes },
    });
    const payload = simpleSigningPayload(subject.manifest.digest, 'registry.test/app');
    const overPayload = await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content: { message: payload } });
    const payloadLayer = {
      descriptor: {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        digest: digestOf(payload),
        size: payload.length,
      },
      bytes: payload,
    };
    for (const referrer of [
      bundleReferrer(subject.manifest, overManifest.bundle),
      bundleReferrer(subject.manifest, overPayload.bundle, [payloadLayer]),
    ])
      await pushReferrer(target, referrer.manifest, referrer.blobs);
    const { signatures: results } = await verifyArtifactSignatures(target, subject.manifest, options);
    assert.equal(results.length, 2);
    for (const { result } of results) assert.deepEqual([result.ok, result.reasons], [true, []]);
  });

  it('reports a bundle referrer as not verified when no trusted root is configured, and fails a tampered bundle blob', async () => {
    const { target, subject } = await storeWithSubject();
    const { bundle } = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: cosignStatement(subject.manifest.digest) },
    });
    const referrer = bundleReferrer(subject.manifest, bundle);
    await pushReferrer(target, referrer.manifest, referrer.blobs);
    const {
      signatures: [unchecked],
    } = await verifyArtifactSignatures(target, subject.manifest, { trustedCerts: [] });
    assert.equal(unchecked!.result.unverifiable, true);
    assert.match(
      unchecked!.result.reasons[0]!,
      /no Sigstore trusted root was given \(stowage\.trust\.sigstoreTrustedRoot or --sigstore-trusted-root\)/,
    );

    const other = await storeWithSubject();
    const altered = structuredClone(bundle) as {
      messageSignature?: unknown;
      dsseEnvelope: { signatures: { sig: string }[] };
    };
    const sig = Buffer.from(altered.dsseEnvelope.signatures[0]!.sig, 'base64');
    sig[sig.length - 1]! ^= 1;
    altered.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
    const bad = bundleReferrer(other.subject.manifest, { ...bundle, dsseEnvelope: altered.dsseEnvelope });
    await pushReferrer(other.target, bad.manifest, bad.blobs);
    const {
      signatures: [tampered],
    } = await verifyArtifactSignatures(other.target, other.subject.manifest, options);
    assert.equal(tampered!.result.ok, false);
    assert.equal(tampered!.result.unverifiable, undefined);
  });

  it('verifies a keyless cosign .sig (certificate + Rekor bundle annotations) found by its tag, against the trusted root', async () => {
    const { target, subject } = await storeWithSubject();
    const payload = simpleSigningPayload(subject.manifest.digest, 'registry.test/app');
    const signed = await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content: { message: payload } });
    const layer = {
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      digest: digestOf(payload),
      size: payload.length,
      annotations: {
        [CosignAnnotation.signature]: signed.signature.toString('base64'),
        [CosignAnnotation.certificate]: signed.certificatePem,
        [CosignAnnotation.chain]: '',
        [CosignAnnotation.bundle]: signed.rekorBundle!,
      },
    };
    await target.pushBlob(layer, bytesContent(payload));
    const empty = Buffer.from('{}');
    const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(empty), size: 2 };
    await target.pushBlob(config, bytesContent(empty));
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [layer],
      }),
    );
    const descriptor = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digestOf(bytes),
      size: bytes.length,
    };
    await target.pushManifest(descriptor, bytes, { tag: `${subject.manifest.digest.replace(':', '-')}.sig` });

    const { signatures: results } = await verifyArtifactSignatures(target, subject.manifest, options);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.kind, 'cosign');
    assert.deepEqual(results[0]!.result.reasons, []);
    assert.equal(results[0]!.result.signer, `OIDC issuer "${ISSUER}", identity "${IDENTITY}"`);
  });
});
