// DSSE attestations: the pre-authentication encoding every signature covers, and hostile envelopes (huge, not JSON,
// another payload type, base64 junk) each refused with a reason instead of a throw; what reaches a terminal is
// escaped. Keys and signatures are made by node:crypto alone, not by Stowage.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { dsse } from '@sigstore/core';
import {
  MAX_DSSE_ENVELOPE_BYTES,
  pae,
  parseCosignPublicKey,
  parseDsseEnvelope,
  predicateTypeFor,
  verifyDsseAttestation,
} from '../../../src/core/sign';
import { attestationLine } from '../../../src/core/supplyChain';
import { SUBJECT } from './fixtures';

const IN_TOTO = 'application/vnd.in-toto+json';
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const trusted = parseCosignPublicKey(keys.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'cosign.pub');

const statementAbout = (digest: string, predicateType = 'https://slsa.dev/provenance/v1') =>
  Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'r.example/app', digest: { sha256: digest.split(':')[1] } }],
      predicateType,
      predicate: {},
    }),
  );

function envelope(payload: Buffer, payloadType = IN_TOTO, extra: Record<string, unknown> = {}): Buffer {
  const sig = sign('sha256', pae(payloadType, payload), keys.privateKey).toString('base64');
  return Buffer.from(
    JSON.stringify({ payloadType, payload: payload.toString('base64'), signatures: [{ sig }], ...extra }),
  );
}

const verify = (bytes: Buffer) => verifyDsseAttestation(bytes, SUBJECT, [trusted]);

describe('DSSE attestations', () => {
  it('PAE is "DSSEv1 SP LEN(type) SP type SP LEN(body) SP body", lengths in bytes, as @sigstore/core computes it', () => {
    assert.equal(
      pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    const body = Buffer.from('é ✓ \u0000 bytes');
    assert.deepEqual(pae('type/é', body), Buffer.from(dsse.preAuthEncoding('type/é', body)));
    assert.match(pae('type/é', body).toString(), /^DSSEv1 7 type\/é 14 /);
  });

  it('verifies an in-toto statement about this digest signed over PAE, with its predicate type and the key', () => {
    const result = verify(envelope(statementAbout(SUBJECT.digest)));
    assert.deepEqual([result.ok, result.predicateType, result.reasons], [true, 'https://slsa.dev/provenance/v1', []]);
    assert.match(result.signer ?? '', /^cosign key cosign\.pub \(ECDSA P-256, SHA256:[0-9a-f]{16}\)$/);
  });

  it('fails a signature over the payload alone (not PAE), and names another digest a statement is about', () => {
    const payload = statementAbout(SUBJECT.digest);
    const overPayload = Buffer.from(
      JSON.stringify({
        payloadType: IN_TOTO,
        payload: payload.toString('base64'),
        signatures: [{ sig: sign('sha256', payload, keys.privateKey).toString('base64') }],
      }),
    );
    assert.match(verify(overPayload).reasons.join(), /does not verify with the cosign public key cosign\.pub/);
    const other = `sha256:${'ab'.repeat(32)}`;
    const elsewhere = verify(envelope(statementAbout(other)));
    assert.deepEqual(elsewhere.reasons, [`the signed statement's subjects are ${other}, not ${SUBJECT.digest}`]);
  });

  it('refuses hostile envelopes with a reason: huge, not JSON, another payload type, base64 junk, no signatures', () => {
    const reasons = (bytes: Buffer) => {
      const result = verify(bytes);
      assert.equal(result.ok, false);
      assert.equal(result.unverifiable, undefined, 'a bad envelope is a failure, not an unchecked one');
      return result.reasons.join('; ');
    };
    assert.match(
      reasons(Buffer.alloc(MAX_DSSE_ENVELOPE_BYTES + 1, 0x20)),
      new RegExp(
        `the DSSE envelope is ${MAX_DSSE_ENVELOPE_BYTES + 1} bytes, more than the ${MAX_DSSE_ENVELOPE_BYTES} allowed`,
      ),
    );
    assert.match(reasons(Buffer.from('not json {')), /the DSSE envelope is not a JSON object/);
    assert.match(reasons(Buffer.from('[1,2]')), /the DSSE envelope is not a JSON object/);
    assert.match(
      reasons(envelope(statementAbout(SUBJECT.digest), 'text/plain')),
      /the envelope signs a "text\/plain" payload, not an in-toto statement \(application\/vnd\.in-toto\+json\)/,
    );
    const junk = JSON.parse(envelope(statementAbout(SUBJECT.digest)).toString()) as Record<string, unknown>;
    assert.match(reasons(Buffer.from(JSON.stringify({ ...junk, payload: '%%%not base64' }))), /payload is not base64/);
    assert.match(reasons(Buffer.from(JSON.stringify({ ...junk, payload: 'QUJD=x' }))), /payload is not base64/);
    assert.match(
      reasons(Buffer.from(JSON.stringify({ ...junk, signatures: [{ sig: '!!' }] }))),
      /signature is not base64/,
    );
    assert.match(reasons(Buffer.from(JSON.stringify({ ...junk, signatures: [] }))), /has no signatures/);
    assert.match(
      reasons(Buffer.from(JSON.stringify({ ...junk, signatures: Array(17).fill({ sig: 'QUJD' }) }))),
      /17 signatures, more than the 16 read/,
    );
    assert.match(
      reasons(envelope(Buffer.from('not a statement'))),
      /the signed in-toto statement is not a JSON object/,
    );
  });

  it('accepts URL-safe unpadded base64 as DSSE allows', () => {
    const parsed = parseDsseEnvelope(
      Buffer.from(JSON.stringify({ payloadType: IN_TOTO, payload: 'P_8', signatures: [{ sig: '-_-_' }] })),
    );
    assert.ok(!('problem' in parsed));
    assert.deepEqual([...parsed.payload], [0x3f, 0xff]);
  });

  it('is UNCHECKED without keys, naming the setting and the flag', () => {
    const result = verifyDsseAttestation(envelope(statementAbout(SUBJECT.digest)), SUBJECT, []);
    assert.deepEqual([result.ok, result.unverifiable], [false, true]);
    assert.match(result.reasons[0]!, /stowage\.trust\.cosignPublicKeys or --cosign-key/);
  });

  it('escapes a hostile predicate type before a terminal sees it', () => {
    const line = attestationLine({
      kind: 'cosign',
      manifest: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: SUBJECT.digest, size: 1 },
      result: verify(envelope(statementAbout(SUBJECT.digest, 'https://evil.test/\u001b[31mred\u202e'))),
    });
    assert.ok(!line.includes('\u001b') && !line.includes('\u202e'), line);
    assert.match(line, /^verified {2}sha256:/);
  });

  it('maps cosign --type names to their URIs, takes URIs as written, and refuses anything else', () => {
    assert.equal(predicateTypeFor('slsaprovenance'), 'https://slsa.dev/provenance/v0.2');
    assert.equal(predicateTypeFor('slsaprovenance1'), 'https://slsa.dev/provenance/v1');
    assert.equal(predicateTypeFor('spdxjson'), 'https://spdx.dev/Document');
    assert.equal(predicateTypeFor('cyclonedx'), 'https://cyclonedx.org/bom');
    assert.equal(predicateTypeFor('vuln'), 'https://cosign.sigstore.dev/attestation/vuln/v1');
    assert.equal(predicateTypeFor('openvex'), 'https://openvex.dev/ns');
    assert.equal(predicateTypeFor('custom'), 'https://cosign.sigstore.dev/attestation/v1');
    assert.equal(predicateTypeFor('https://example.test/p/v1'), 'https://example.test/p/v1');
    assert.equal(predicateTypeFor('nonsense'), undefined);
  });
});
