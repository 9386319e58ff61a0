// cosign signature checks over a simple-signing payload, with keys and signatures made by node:crypto alone
// (not by Stowage): each key type cosign uses verifies, and every tampering or mismatch fails with a reason.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import {
  CosignAnnotation,
  KEYLESS_REASON,
  NO_KEYS_REASON,
  parseCosignPublicKey,
  verifyCosignSignature,
} from '../../../src/core/sign';
import { signingKey, SUBJECT } from './fixtures';
import { simpleSigningPayload } from '../../helpers/cosignAttestation';

const payloadFor = (digest: string) => simpleSigningPayload(digest, 'r.example/app');

function layerFor(payload: Buffer, annotations: Record<string, string>): Descriptor {
  return {
    mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    digest: digestOf(payload),
    size: payload.length,
    annotations,
  };
}

function keyPair(kind: 'p256' | 'p384' | 'rsa' | 'ed25519') {
  const { publicKey, privateKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'prime256v1' : 'secp384r1' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

function cosignSign(privateKey: KeyObject, payload: Buffer, hash: string | null = 'sha256'): string {
  return sign(privateKey.asymmetricKeyType === 'ed25519' ? null : hash, payload, privateKey).toString('base64');
}

describe('sign/verifyCosignSignature', function () {
  this.timeout(20_000);
  const payload = payloadFor(SUBJECT.digest);

  for (const [kind, description] of [
    ['p256', 'ECDSA P-256'],
    ['p384', 'ECDSA P-384'],
    ['rsa', 'RSA 2048'],
    ['ed25519', 'Ed25519'],
  ] as const) {
    it(`verifies a ${description} signature over the payload bytes and names the key`, () => {
      const { privateKey, publicPem } = keyPair(kind);
      const key = parseCosignPublicKey(publicPem, 'release.pub');
      assert.equal(key.description, description);
      const result = verifyCosignSignature(
        layerFor(payload, { [CosignAnnotation.signature]: cosignSign(privateKey, payload) }),
        payload,
        SUBJECT,
        [key],
      );
      assert.deepEqual(result.reasons, []);
      assert.equal(result.ok, true);
      assert.match(
        result.signer ?? '',
        new RegExp(`cosign key release\\.pub \\(${description}, SHA256:[0-9a-f]{16}\\)`),
      );
    });
  }

  it('accepts P-384 signatures made with SHA-384 (the curve hash newer sigstore libraries pick)', () => {
    const { privateKey, publicPem } = keyPair('p384');
    const result = verifyCosignSignature(
      layerFor(payload, { [CosignAnnotation.signature]: cosignSign(privateKey, payload, 'sha384') }),
      payload,
      SUBJECT,
      [parseCosignPublicKey(publicPem, 'k')],
    );
    assert.equal(result.ok, true, result.reasons.join('; '));
  });

  it('fails for another key, a payload that differs by one byte, and a signature that is not strict base64', () => {
    const signer = keyPair('p256');
    const other = parseCosignPublicKey(keyPair('p256').publicPem, 'other.pub');
    const signature = cosignSign(signer.privateKey, payload);
    const wrongKey = verifyCosignSignature(
      layerFor(payload, { [CosignAnnotation.signature]: signature }),
      payload,
      SUBJECT,
      [other],
    );
    assert.equal(wrongKey.ok, false);
    assert.equal(wrongKey.unverifiable, undefined);
    assert.match(wrongKey.reasons[0]!, /does not verify with the cosign public key other\.pub/);

    // Same JSON meaning, different bytes: the signature is over bytes, not over re-serialised JSON.
    const spaced = Buffer.from(payload.toString().replace('{"critical"', '{ "critical"'));
    const reformatted = verifyCosignSignature(
      layerFor(spaced, { [CosignAnnotation.signature]: signature }),
      spaced,
      SUBJECT,
      [parseCosignPublicKey(signer.publicPem, 'k')],
    );
    assert.equal(reformatted.ok, false);

    const notBase64 = verifyCosignSignature(
      layerFor(payload, { [CosignAnnotation.signature]: `${signature}!` }),
      payload,
      SUBJECT,
      [other],
    );
    assert.match(notBase64.reasons[0]!, /not base64/);
    const numeric = verifyCosignSignature(
      layerFor(payload, { [CosignAnnotation.signature]: 1234 as unknown as string }),
      payload,
      SUBJECT,
      [other],
    );
    assert.match(numeric.reasons[0]!, /not base64/);
    const missing = verifyCosignSignature(layerFor(payload, {}), payload, SUBJECT, [other]);
    assert.match(missing.reasons[0]!, /no dev\.cosignproject\.cosign\/signature annotation/);
  });

  it('fails a correctly signed payload that names another manifest, or has another type', () => {
    const { privateKey, publicPem } = keyPair('p256');
    const key = parseCosignPublicKey(publicPem, 'k');
    const elsewhere = payloadFor(`sha256:${'b'.repeat(64)}`);
    const result = verifyCosignSignature(
      layerFor(elsewhere, { [CosignAnnotation.signature]: cosignSign(privateKey, elsewhere) }),
      elsewhere,
      SUBJECT,
      [key],
    );
    assert.equal(result.ok, false);
    assert.deepEqual(result.reasons, [`the payload signs manifest sha256:${'b'.repeat(64)}, not ${SUBJECT.digest}`]);
    const attestation = Buffer.from(
      payload.toString().replace('cosign container image signature', 'cosign attestation'),
    );
    const typed = verifyCosignSignature(
      layerFor(attestation, { [CosignAnnotation.signature]: cosignSign(privateKey, attestation) }),
      attestation,
      SUBJECT,
      [key],
    );
    assert.match(typed.reasons[0]!, /critical\.type is "cosign attestation"/);
  });

  it('reports a keyless signature as not verifiable, and one without configured keys likewise', () => {
    const ephemeral = keyPair('p256');
    const annotations = {
      [CosignAnnotation.signature]: cosignSign(ephemeral.privateKey, payload),
      [CosignAnnotation.certificate]: '-----BEGIN CERTIFICATE-----\n…',
      [CosignAnnotation.bundle]: '{}',
    };
    const keyless = verifyCosignSignature(layerFor(payload, annotations), payload, SUBJECT, [
      parseCosignPublicKey(keyPair('p256').publicPem, 'k'),
    ]);
    assert.deepEqual([keyless.ok, keyless.unverifiable, keyless.reasons], [false, true, [KEYLESS_REASON]]);
    const noKeys = verifyCosignSignature(
      layerFor(payload, { [CosignAnnotation.signature]: cosignSign(ephemeral.privateKey, payload) }),
      payload,
      SUBJECT,
      [],
    );
    assert.deepEqual([noKeys.ok, noKeys.unverifiable, noKeys.reasons], [false, true, [NO_KEYS_REASON]]);
  });

  it('refuses private keys, garbage and small RSA keys as cosign public keys', () => {
    const { privateKey } = keyPair('p256');
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    assert.throws(
      () => parseCosignPublicKey('not a key', 'junk.pem'),
      (e: unknown) => OciError.is(e, 'INVALID_CONTENT') && /junk\.pem: not a PEM public key/.test((e as Error).message),
    );
    // Node derives a public key from a private one; a private key in the trust list is still a mistake worth refusing.
    assert.throws(() => parseCosignPublicKey(privatePem, 'private.pem'), /private\.pem/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string;
    assert.throws(() => parseCosignPublicKey(small, 'small.pem'), /1024 bits are too small/);
  });

  it('refuses a certificate, whose key alone would be trusted whatever its dates and issuer, naming the openssl command for its key', async () => {
    const { certificatePem } = await signingKey('ecdsa-p256');
    assert.throws(
      () => parseCosignPublicKey(certificatePem, 'release.crt'),
      (e: unknown) =>
        OciError.is(e, 'USAGE') &&
        (e as Error).message ===
          'cosign public key release.crt: this is a certificate, not a public key; its key alone would be trusted, whatever its dates and issuer say. To trust that key: openssl x509 -pubkey -noout -in "release.crt" > key.pub, and give key.pub',
    );
  });
});
