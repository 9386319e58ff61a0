// A DSSE envelope with several signatures (one per signer), as cosign judges it: verified when any signature
// verifies with the trust given, saying which; failed only when none does, naming each. For key-signed envelopes,
// and the bound on how many are read (bundles with several: verifySigstoreReferrer.test.ts).
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  MAX_DSSE_SIGNATURES,
  pae,
  parseCosignPublicKey,
  signedBy as signedByWords,
  verifyDsseAttestation,
} from '../../../src/core/sign';
import { cosignStatement } from '../../helpers/sigstoreFixtures';
import { SUBJECT } from './fixtures';

const IN_TOTO = 'application/vnd.in-toto+json';
const ours = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const theirs = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const trusted = parseCosignPublicKey(ours.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'ours.pub');

const payload = Buffer.from(JSON.stringify(cosignStatement(SUBJECT.digest)));
const signedBy = (key: KeyObject) => ({
  keyid: '',
  sig: sign('sha256', pae(IN_TOTO, payload), key).toString('base64'),
});
const envelope = (signatures: object[]) =>
  Buffer.from(JSON.stringify({ payloadType: IN_TOTO, payload: payload.toString('base64'), signatures }));

describe('sign: every signature of a DSSE envelope', () => {
  it('verifies a key-signed envelope when its second signature verifies (one good, one bad), saying which', () => {
    const result = verifyDsseAttestation(envelope([signedBy(theirs.privateKey), signedBy(ours.privateKey)]), SUBJECT, [
      trusted,
    ]);
    assert.deepEqual(result.reasons, []);
    assert.equal(result.ok, true);
    // The signer alone (JSON shows it so), and which signature verified beside it; text joins them.
    assert.match(result.signer ?? '', /^cosign key ours\.pub /);
    assert.doesNotMatch(result.signer ?? '', /signature 2 of 2/);
    assert.deepEqual(result.envelopeSignature, { index: 2, of: 2 });
    assert.match(
      signedByWords(result.signer, result.envelopeSignature),
      /^signature 2 of 2 of its envelope, signed by cosign key ours\.pub \(/,
    );
  });

  it('says which signature verified before the signer, where a certificate’s name cannot forge it', () => {
    // A subject is any text: one reading like a position, alone, must not read as the real position does.
    const forged = signedByWords('alice (signature 2 of 2)', undefined);
    const real = signedByWords('alice', { index: 2, of: 2 });
    assert.equal(forged, 'signed by alice (signature 2 of 2)');
    assert.equal(real, 'signature 2 of 2 of its envelope, signed by alice');
    assert.notEqual(forged.replace(/^.*signed by /, ''), real.replace(/^.*signed by /, ''));
    // The signer goes through the caller's sanitiser; the position is Stowage's own words.
    assert.equal(
      signedByWords('a\u202eb', { index: 1, of: 2 }, (text) => text.replace('\u202e', '⟨U+202E⟩')),
      'signature 1 of 2 of its envelope, signed by a⟨U+202E⟩b',
    );
  });

  it('says when before the signer too: a certificate named "… at <time>" does not read as a signing time', () => {
    const time = '2026-12-05T10:00:00.000Z';
    const forged = signedByWords(`alice at ${time}`, undefined);
    const real = signedByWords('alice', undefined, undefined, time);
    assert.equal(forged, `signed by alice at ${time}`);
    assert.equal(real, `signed at ${time} by alice`);
    assert.equal(
      signedByWords('alice', { index: 2, of: 2 }, undefined, time),
      `signature 2 of 2 of its envelope, signed at ${time} by alice`,
    );
  });

  it('fails an envelope whose signatures are all bad, naming each', () => {
    const result = verifyDsseAttestation(
      envelope([signedBy(theirs.privateKey), signedBy(theirs.privateKey)]),
      SUBJECT,
      [trusted],
    );
    assert.equal(result.ok, false);
    assert.equal(result.unverifiable, undefined);
    assert.deepEqual(
      result.reasons.map((reason) => reason.replace(/: .*/, '')),
      ['signature 1 of 2', 'signature 2 of 2'],
    );
    assert.match(result.reasons[1]!, /does not verify with the cosign public key ours\.pub/);
  });

  it(`refuses an envelope of more than ${MAX_DSSE_SIGNATURES} signatures without checking one`, () => {
    const many = Array.from({ length: MAX_DSSE_SIGNATURES + 1 }, () => signedBy(ours.privateKey));
    const result = verifyDsseAttestation(envelope(many), SUBJECT, [trusted]);
    assert.equal(result.ok, false);
    assert.match(
      result.reasons[0]!,
      new RegExp(`${MAX_DSSE_SIGNATURES + 1} signatures, more than the ${MAX_DSSE_SIGNATURES}`),
    );
  });
});
