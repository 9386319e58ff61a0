import * as assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import {
  buildSignatureManifest,
  createSigningKey,
  signDescriptor,
  verifySignature,
  type SigningKeyAlgorithm,
} from '../../../src/core/sign';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { OciError } from '../../../src/core/oci/errors';
import { createCa, createCertificate, createRootCa, OPENSSL, signingKey, SUBJECT } from './fixtures';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };

type Envelope = { payload: string; protected: string; header: Record<string, unknown>; signature: string };
const decode = (bytes: Buffer): Envelope => JSON.parse(bytes.toString()) as Envelope;
const encode = (envelope: Envelope): Buffer => Buffer.from(JSON.stringify(envelope));
const header = (envelope: Envelope) =>
  JSON.parse(Buffer.from(envelope.protected, 'base64url').toString()) as Record<string, unknown>;

const ALGORITHMS: Array<[SigningKeyAlgorithm, string]> = [
  ['ecdsa-p256', 'ES256'],
  ['ecdsa-p384', 'ES384'],
  ['rsa-pss-2048', 'PS256'],
  ['rsa-pss-3072', 'PS384'],
];

describe('sign/signDescriptor + verifySignature', function () {
  // Generating an RSA-3072 key takes seconds on a busy machine (keys are made once and shared).
  this.timeout(30_000);

  let jose: typeof Jose;
  before(async () => {
    jose = await import('jose');
  });

  for (const [algorithm, alg] of ALGORITHMS) {
    it(`round-trips with ${algorithm} as ${alg}, and jose verifies the same envelope independently`, async () => {
      const { privateKeyPem, certificatePem } = await signingKey(algorithm);
      const envelope = signDescriptor(SUBJECT, { key: privateKeyPem, certChain: certificatePem });
      const result = verifySignature(envelope, SUBJECT, { trustedCerts: [certificatePem] });
      assert.deepEqual(result.reasons, []);
      assert.equal(result.ok, true);
      assert.equal(result.algorithm, alg);
      assert.match(result.signer!, /CN=Stowage test/);

      const leafKey = new X509Certificate(certificatePem).publicKey;
      const verified = await jose.flattenedVerify(decode(envelope), leafKey, {
        algorithms: [alg],
        crit: { 'io.cncf.notary.signingScheme': true },
      });
      assert.deepEqual(JSON.parse(Buffer.from(verified.payload).toString()), {
        targetArtifact: { mediaType: SUBJECT.mediaType, digest: SUBJECT.digest, size: SUBJECT.size },
      });
      assert.equal(verified.protectedHeader!.alg, alg);
    });
  }

  it('signs with a P-521 key made elsewhere as ES512 (the key decides the algorithm), and jose agrees', async () => {
    const cert = createCertificate(
      'p521',
      'keyUsage = critical,digitalSignature\nextendedKeyUsage = codeSigning',
      'sha512',
      'P-521',
    );
    const envelope = signDescriptor(SUBJECT, { key: cert.privateKeyPem, certChain: cert.certificatePem });
    const result = verifySignature(envelope, SUBJECT, { trustedCerts: [cert.certificatePem] });
    assert.deepEqual(result.reasons, []);
    assert.equal(result.algorithm, 'ES512');
    await jose.flattenedVerify(decode(envelope), new X509Certificate(cert.certificatePem).publicKey, {
      algorithms: ['ES512'],
      crit: { 'io.cncf.notary.signingScheme': true },
    });
  });

  it('writes the Notary protected and unprotected headers (cty, scheme, RFC 3339 times, crit, x5c, signing agent)', async () => {
    const { privateKeyPem, certificatePem } = await signingKey('ecdsa-p256');
    const signingTime = new Date('2026-01-02T03:04:05.678Z');
    const expiry = new Date('2027-01-02T03:04:05Z');
    const envelope = decode(
      signDescriptor(SUBJECT, { key: privateKeyPem, certChain: certificatePem, signingTime, expiry }),
    );
    assert.deepEqual(Object.keys(envelope).sort(), ['header', 'payload', 'protected', 'signature']);
    assert.deepEqual(header(envelope), {
      alg: 'ES256',
      cty: 'application/vnd.cncf.notary.payload.v1+json',
      'io.cncf.notary.signingScheme': 'notary.x509',
      'io.cncf.notary.signingTime': '2026-01-02T03:04:05Z',
      crit: ['io.cncf.notary.signingScheme', 'io.cncf.notary.expiry'],
      'io.cncf.notary.expiry': '2027-01-02T03:04:05Z',
    });
    assert.deepEqual(envelope.header.x5c, [new X509Certificate(certificatePem).raw.toString('base64')]);
    assert.equal(envelope.header['io.cncf.notary.signingAgent'], 'Stowage/0.1.0');
  });

  it('carries the target annotations in the payload', async () => {
    const { privateKeyPem, certificatePem } = await signingKey('ecdsa-p256');
    const target: Descriptor = {
      ...SUBJECT,
      annotations: { 'io.wabbit-networks.buildId': '123' },
      urls: ['https://x'],
    };
    const envelope = decode(signDescriptor(target, { key: privateKeyPem, certChain: certificatePem }));
    assert.deepEqual(JSON.parse(Buffer.from(envelope.payload, 'base64url').toString()).targetArtifact, {
      mediaType: SUBJECT.mediaType,
      digest: SUBJECT.digest,
      size: SUBJECT.size,
      annotations: { 'io.wabbit-networks.buildId': '123' },
    });
  });

  describe('fails with a precise reason', () => {
    let key: string, cert: string, envelope: Buffer;
    before(async () => {
      ({ privateKeyPem: key, certificatePem: cert } = await signingKey('ecdsa-p256'));
      envelope = signDescriptor(SUBJECT, { key, certChain: cert });
    });
    const verify = (bytes: Buffer, subject = SUBJECT, trustedCerts = [cert], now?: Date) =>
      verifySignature(bytes, subject, { trustedCerts, now });

    it('when the payload was altered (another digest signed in place of the real one)', () => {
      const tampered = decode(envelope);
      const payload = JSON.parse(Buffer.from(tampered.payload, 'base64url').toString());
      payload.targetArtifact.digest = `sha256:${'0'.repeat(64)}`;
      tampered.payload = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const result = verify(encode(tampered), { ...SUBJECT, digest: payload.targetArtifact.digest });
      assert.equal(result.ok, false);
      assert.deepEqual(result.reasons, [
        "the signature does not verify with the signing certificate's key (the protected header, payload or signature was altered)",
      ]);
    });

    it('when the signature bytes were altered', () => {
      const tampered = decode(envelope);
      const signature = Buffer.from(tampered.signature, 'base64url');
      signature[10] ^= 0x01;
      tampered.signature = signature.toString('base64url');
      const result = verify(encode(tampered));
      assert.equal(result.ok, false);
      assert.match(result.reasons.join('\n'), /signature does not verify/);
    });

    it('when the artifact has another digest or size than the signed one', () => {
      const byDigest = verify(envelope, { ...SUBJECT, digest: `sha256:${'a'.repeat(64)}` });
      assert.equal(byDigest.ok, false);
      assert.deepEqual(byDigest.reasons, [
        `the signed digest "${SUBJECT.digest}" does not match the artifact's "sha256:${'a'.repeat(64)}"`,
      ]);
      const bySize = verify(envelope, { ...SUBJECT, size: SUBJECT.size + 1 });
      assert.deepEqual(bySize.reasons, [
        `the signed size ${SUBJECT.size} does not match the artifact's ${SUBJECT.size + 1}`,
      ]);
      const byType = verify(envelope, { ...SUBJECT, mediaType: 'application/vnd.oci.image.index.v1+json' });
      assert.match(byType.reasons[0]!, /signed mediaType/);
    });

    it('when the signing certificate is not trusted', async () => {
      const other = await signingKey('ecdsa-p384');
      const result = verify(envelope, SUBJECT, [other.certificatePem]);
      assert.equal(result.ok, false);
      const untrusted =
        'no certificate of the chain is among the trusted certificates (the chain ends in CN=Stowage test ecdsa-p256, O=Stowage)';
      assert.deepEqual(result.reasons, [untrusted], 'names the certificate to trust');
      assert.deepEqual(verify(envelope, SUBJECT, []).reasons, ['no trusted certificates were given', untrusted]);
    });

    it('when a trusted certificate has the signer’s name but is another key, saying so with both fingerprints', async () => {
      // Two keys made with the default subject, as `key create` twice (or Create Signing Key… twice) makes them.
      const made = () =>
        createSigningKey({ algorithm: 'ecdsa-p256', subject: 'CN=Stowage signer', validDays: 5, openssl: OPENSSL });
      const [signer, trustedOne] = await Promise.all([made(), made()]);
      const signed = signDescriptor(SUBJECT, { key: signer.privateKeyPem, certChain: signer.certificatePem });
      const result = verifySignature(signed, SUBJECT, { trustedCerts: [trustedOne.certificatePem] });
      const short = (pem: string) => `${new X509Certificate(pem).fingerprint256.slice(0, 23)}…`;
      assert.deepEqual(result.reasons, [
        'no certificate of the chain is among the trusted certificates (the chain ends in CN=Stowage signer); ' +
          `a trusted certificate has that name but is another one (SHA-256 ${short(trustedOne.certificatePem)}, ` +
          `the signer's ${short(signer.certificatePem)})`,
      ]);
      assert.notEqual(short(trustedOne.certificatePem), short(signer.certificatePem));
    });

    /** A key of `subject` as `key create` makes it (self-signed, or issued by `issuer`). */
    const keyNamed = (subject: string, issuer?: Parameters<typeof createSigningKey>[0]['issuer']) =>
      createSigningKey({ algorithm: 'ecdsa-p256', subject, validDays: 5, issuer, openssl: OPENSSL });
    const short = (pem: string) => `${new X509Certificate(pem).fingerprint256.slice(0, 23)}…`;
    const untrusted = 'no certificate of the chain is among the trusted certificates';

    it('names which certificate of a chain has a trusted one’s name, and whose each fingerprint is', async () => {
      const mine = await keyNamed('CN=Stowage signer');
      // The signer's name under a root of an attacker's: "that name" (the root's) is not the one a trusted key has.
      const attackerRoot = createRootCa('Attacker Root');
      const impostor = await keyNamed('CN=Stowage signer', attackerRoot);
      const signed = signDescriptor(SUBJECT, { key: impostor.privateKeyPem, certChain: impostor.certChainPem });
      assert.deepEqual(verifySignature(signed, SUBJECT, { trustedCerts: [mine.certificatePem] }).reasons, [
        `${untrusted} (the chain ends in CN=Attacker Root); a trusted certificate has the name of certificate 1 ` +
          `(CN=Stowage signer) but is another one (SHA-256 ${short(mine.certificatePem)}, the signer's ` +
          `${short(impostor.certificatePem)})`,
      ]);

      // A trusted root's name copied into another root: the fingerprint beside the trusted one is that root's.
      const companyRoot = createRootCa('Company Root');
      const copiedRoot = createRootCa('Company Root');
      const build = await keyNamed('CN=build', copiedRoot);
      const byCopy = signDescriptor(SUBJECT, { key: build.privateKeyPem, certChain: build.certChainPem });
      assert.deepEqual(verifySignature(byCopy, SUBJECT, { trustedCerts: [companyRoot.certChainPem] }).reasons, [
        `${untrusted} (the chain ends in CN=Company Root); a trusted certificate has that name but is another one ` +
          `(SHA-256 ${short(companyRoot.certChainPem)}, certificate 2's ${short(copiedRoot.certChainPem)})`,
      ]);

      // Two trusted certificates of that name: both fingerprints, not only the first one's.
      const [secondMine, other] = await Promise.all([1, 2].map(() => keyNamed('CN=Stowage signer')));
      const selfSigned = signDescriptor(SUBJECT, { key: other!.privateKeyPem, certChain: other!.certificatePem });
      const trustedCerts = [mine.certificatePem, secondMine!.certificatePem];
      assert.deepEqual(verifySignature(selfSigned, SUBJECT, { trustedCerts }).reasons, [
        `${untrusted} (the chain ends in CN=Stowage signer); 2 trusted certificates have that name but are others ` +
          `(SHA-256 ${trustedCerts.map(short).join(', ')}; the signer's ${short(other!.certificatePem)})`,
      ]);
    });

    it('cuts a very long certificate name, so the fingerprints still fit in a notification', async () => {
      const mine = await keyNamed('CN=Stowage signer');
      // openssl takes 64 characters a value: sixteen of them make a name over 1,000 characters long.
      const units = Array.from({ length: 16 }, (_, i) => `/OU=${String(i).padStart(2, '0')}${'u'.repeat(58)}`);
      const longRoot = createRootCa(`Attacker Root${units.join('')}`);
      const impostor = await keyNamed('CN=Stowage signer', longRoot);
      assert.ok(new X509Certificate(longRoot.certChainPem).subject.length > 1000);
      const signed = signDescriptor(SUBJECT, { key: impostor.privateKeyPem, certChain: impostor.certChainPem });
      const [reason, ...others] = verifySignature(signed, SUBJECT, { trustedCerts: [mine.certificatePem] }).reasons;
      assert.deepEqual(others, []);
      assert.ok(reason!.endsWith(`the signer's ${short(impostor.certificatePem)})`), reason);
      assert.match(reason!, /\(the chain ends in CN=Attacker Root, OU=00u+, .{100,}…\); a trusted certificate has/);
      assert.ok(reason!.length <= 600, `${reason!.length} characters: ${reason}`);
    });

    it('when the signature expired, while the same envelope verifies before its expiry', () => {
      const signingTime = new Date();
      const expiry = new Date(signingTime.getTime() + 3600_000);
      const expiring = signDescriptor(SUBJECT, { key, certChain: cert, signingTime, expiry });
      assert.equal(verify(expiring, SUBJECT, [cert], new Date(signingTime.getTime() + 1000)).ok, true);
      const later = verify(expiring, SUBJECT, [cert], new Date(expiry.getTime() + 3600_000));
      assert.equal(later.ok, false);
      assert.deepEqual(later.reasons, [
        `the signature expired at ${new Date(Math.floor(expiry.getTime() / 1000) * 1000).toISOString()}`,
      ]);
    });

    it('when the certificate has expired at verification time', () => {
      const result = verify(envelope, SUBJECT, [cert], new Date(Date.now() + 40 * 86400_000));
      assert.equal(result.ok, false);
      assert.match(
        result.reasons.join('\n'),
        /certificate 1 \(CN=Stowage test ecdsa-p256, O=Stowage\): expired before verification time/,
      );
    });

    it('when the envelope claims another algorithm than the key (algorithm substitution)', () => {
      const tampered = decode(envelope);
      tampered.protected = Buffer.from(JSON.stringify({ ...header(tampered), alg: 'ES384' })).toString('base64url');
      assert.match(
        verify(encode(tampered)).reasons.join('\n'),
        /"alg" ES384 does not match the signing certificate's key, which requires ES256/,
      );
    });

    it('when the envelope is not a flattened JWS with exactly the four members', () => {
      assert.match(verify(Buffer.from('not json')).reasons[0]!, /not a JSON object/);
      assert.match(
        verify(encode({ ...decode(envelope), extra: 1 } as unknown as Envelope)).reasons[0]!,
        /unexpected extra/,
      );
      const noChain = decode(envelope);
      noChain.header = {};
      assert.match(verify(encode(noChain)).reasons[0]!, /"x5c" header must be a non-empty array/);
    });
  });

  it('rejects envelopes made elsewhere with RSASSA-PKCS1 or with an unknown critical header (made with jose)', async () => {
    const { certificatePem, privateKeyPem } = await signingKey('rsa-pss-2048');
    const payload = Buffer.from(JSON.stringify({ targetArtifact: SUBJECT }));
    const x5c = [new X509Certificate(certificatePem).raw.toString('base64')];
    const base = {
      cty: 'application/vnd.cncf.notary.payload.v1+json',
      'io.cncf.notary.signingScheme': 'notary.x509',
      'io.cncf.notary.signingTime': new Date().toISOString(),
    };
    const key = await jose.importPKCS8(privateKeyPem, 'RS256');
    const pkcs1 = await new jose.FlattenedSign(payload)
      .setProtectedHeader({ ...base, alg: 'RS256', crit: ['io.cncf.notary.signingScheme'] })
      .setUnprotectedHeader({ x5c })
      .sign(key, { crit: { 'io.cncf.notary.signingScheme': true } });
    const result = verifySignature(Buffer.from(JSON.stringify(pkcs1)), SUBJECT, { trustedCerts: [certificatePem] });
    assert.equal(result.ok, false);
    assert.match(result.reasons.join('\n'), /"alg" RS256 is RSASSA-PKCS1-v1_5; Notary signatures require RSASSA-PSS/);

    const pssKey = await jose.importPKCS8(privateKeyPem, 'PS256');
    const unknownCritical = await new jose.FlattenedSign(payload)
      .setProtectedHeader({
        ...base,
        alg: 'PS256',
        'com.example.policy': 'strict',
        crit: ['io.cncf.notary.signingScheme', 'com.example.policy'],
      })
      .setUnprotectedHeader({ x5c })
      .sign(pssKey, { crit: { 'io.cncf.notary.signingScheme': true, 'com.example.policy': true } });
    const second = verifySignature(Buffer.from(JSON.stringify(unknownCritical)), SUBJECT, {
      trustedCerts: [certificatePem],
      now: new Date(),
    });
    assert.deepEqual(second.reasons, ['critical header com.example.policy is not understood by Stowage']);
  });

  it('refuses to sign with an RSA key of 1024 bits, without the key in the message', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(
      () => signDescriptor(SUBJECT, { key: pem, certChain: [] }),
      (err: unknown) => {
        assert.ok(OciError.is(err, 'UNSUPPORTED'));
        assert.equal(err.message, 'signing key: RSA keys of 1024 bits are too small (at least 2048)');
        return true;
      },
    );
  });

  it('refuses a public key in place of the private key', async () => {
    const { certificatePem } = await signingKey('ecdsa-p256');
    const publicKey = new X509Certificate(certificatePem).publicKey;
    assert.throws(
      () => signDescriptor(SUBJECT, { key: publicKey, certChain: certificatePem }),
      /signing needs a private key, not a public key/,
    );
  });

  it('refuses a key that does not belong to the leaf certificate', async () => {
    const a = await signingKey('ecdsa-p256');
    const b = await signingKey('ecdsa-p384');
    assert.throws(
      () => signDescriptor(SUBJECT, { key: b.privateKeyPem, certChain: a.certificatePem }),
      /does not belong to the first certificate/,
    );
  });

  describe('certificate chains', () => {
    it('verifies a leaf issued by a trusted root that travels in x5c, and names a broken link', async () => {
      const root = createRootCa('Stowage Test Root');
      const leaf = await createSigningKey({
        algorithm: 'ecdsa-p256',
        subject: 'CN=chained signer',
        validDays: 5,
        issuer: root,
        openssl: OPENSSL,
      });
      const envelope = signDescriptor(SUBJECT, { key: leaf.privateKeyPem, certChain: leaf.certChainPem });
      assert.equal(decode(envelope).header.x5c instanceof Array && (decode(envelope).header.x5c as string[]).length, 2);
      const ok = verifySignature(envelope, SUBJECT, { trustedCerts: [root.certChainPem] });
      assert.deepEqual(ok.reasons, []);

      const otherRoot = createRootCa('Another Root');
      const broken = signDescriptor(SUBJECT, {
        key: leaf.privateKeyPem,
        certChain: [leaf.certificatePem, otherRoot.certChainPem],
      });
      const result = verifySignature(broken, SUBJECT, { trustedCerts: [otherRoot.certChainPem] });
      assert.deepEqual(result.reasons, [
        'certificate 1 (CN=chained signer) is not issued by the next certificate in the chain, certificate 2 (CN=Another Root)',
      ]);
    });

    it('requires the chain to end in its root even when the root is trusted', async () => {
      const root = createRootCa('Stowage Test Root');
      const leaf = await createSigningKey({
        algorithm: 'ecdsa-p256',
        subject: 'CN=signer',
        validDays: 5,
        issuer: root,
        openssl: OPENSSL,
      });
      const envelope = signDescriptor(SUBJECT, { key: leaf.privateKeyPem, certChain: leaf.certificatePem });
      const result = verifySignature(envelope, SUBJECT, { trustedCerts: [root.certChainPem] });
      assert.deepEqual(result.reasons, [
        'the chain does not end in a self-signed root certificate (last: certificate 1 (CN=signer))',
        'no certificate of the chain is among the trusted certificates (the chain ends in CN=signer)',
      ]);
    });

    it("verifies through an intermediate CA, and enforces the root's pathLenConstraint", async () => {
      for (const [pathLen, expected] of [
        [1, []],
        [0, ['certificate 3 (CN=Strict Root): pathLenConstraint 0 allows fewer than the 1 CA certificates below it']],
      ] as const) {
        const root = createCa('Strict Root', { pathLen });
        const intermediate = createCa('Intermediate', { issuer: root });
        const leaf = await createSigningKey({
          algorithm: 'ecdsa-p256',
          subject: 'CN=deep signer',
          validDays: 5,
          issuer: intermediate,
          openssl: OPENSSL,
        });
        assert.equal(leaf.certChainPem.match(/BEGIN CERTIFICATE/g)!.length, 3);
        const envelope = signDescriptor(SUBJECT, { key: leaf.privateKeyPem, certChain: leaf.certChainPem });
        const result = verifySignature(envelope, SUBJECT, { trustedCerts: [root.certChainPem] });
        assert.deepEqual(result.reasons, expected, `pathlen:${pathLen}`);
        assert.deepEqual(
          result.certificates!.map((c) => c.subject),
          ['CN=deep signer', 'CN=Intermediate', 'CN=Strict Root'],
        );
      }
    });

    it('refuses a CA certificate as the signing certificate', () => {
      const root = createRootCa('Root As Signer');
      const envelope = signDescriptor(SUBJECT, { key: root.privateKeyPem, certChain: root.certChainPem });
      const result = verifySignature(envelope, SUBJECT, { trustedCerts: [root.certChainPem] });
      assert.deepEqual(result.reasons, [
        'certificate 1 (CN=Root As Signer): a signing certificate must not be a CA (basicConstraints CA:true)',
        'certificate 1 (CN=Root As Signer): keyUsage lacks digitalSignature',
        'certificate 1 (CN=Root As Signer): keyUsage must not include keyCertSign, cRLSign',
      ]);
    });
  });

  it('builds the referrer manifest: Notary artifact type, empty config, the envelope layer, subject and annotations', async () => {
    const { privateKeyPem, certificatePem } = await signingKey('ecdsa-p256');
    const envelope = signDescriptor(SUBJECT, { key: privateKeyPem, certChain: certificatePem });
    const created = new Date('2026-03-04T05:06:07Z');
    const built = buildSignatureManifest(SUBJECT, envelope, certificatePem, { created });
    assert.equal(built.manifest.artifactType, 'application/vnd.cncf.notary.signature');
    assert.equal(
      built.manifest.config.digest,
      'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
    assert.equal(built.manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(built.manifest.layers.length, 1);
    assert.equal(built.manifest.layers[0]!.mediaType, 'application/jose+json');
    assert.equal(built.manifest.layers[0]!.size, envelope.length);
    assert.deepEqual(built.manifest.subject, SUBJECT);
    assert.equal(built.manifest.annotations!['org.opencontainers.image.created'], '2026-03-04T05:06:07Z');
    assert.deepEqual(JSON.parse(built.bytes.toString()), built.manifest);
    assert.equal(built.descriptor.size, built.bytes.length);
    assert.deepEqual(
      built.blobs.map((blob) => [blob.descriptor.digest, blob.bytes.length]),
      [
        [built.manifest.config.digest, 2],
        [built.manifest.layers[0]!.digest, envelope.length],
      ],
    );
  });
});
