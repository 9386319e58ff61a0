// A DSSE envelope with several signatures (one per signer), as cosign judges it: verified when any signature
// verifies with the trust given, saying which; failed only when none does, naming each. For key-signed envelopes,
// and the bound on how many are read (bundles with several: verifySigstoreReferrer.test.ts).
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  MAX_DSSE_SIGNATURES,
  pae,
  parseCosignPublicKey,
  signerWords,
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
      signerWords(result.signer, result.envelopeSignature),
      /^cosign key ours\.pub .* \(signature 2 of 2\)$/,
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
