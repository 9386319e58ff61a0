// How per-signature results become badges: one per signature manifest (several cosign signatures can share
// one), and one for the artifact that passes only when something verified and nothing failed.
import * as assert from 'node:assert/strict';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import type { AttestationVerification, SignatureVerification } from '../../../src/core/supplyChain';
import { countResults, verificationEntries } from '../../../src/vscode/supplyChain/verificationEntries';

const d = (c: string): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${c.repeat(64)}`,
  size: 1,
});
const SUBJECT = d('0').digest;
const cosign = (manifest: string, result: SignatureVerification['result']): SignatureVerification => ({
  kind: 'cosign',
  signature: d(manifest),
  layer: d('f'),
  result,
});
const notary = (manifest: string, result: SignatureVerification['result']): SignatureVerification => ({
  kind: 'notary',
  signature: d(manifest),
  result,
});
const OK = { ok: true, reasons: [], signer: 'cosign key a.pub' };
const BAD = { ok: false, reasons: ['the signature does not verify'] };
const KEYLESS = {
  ok: false,
  unverifiable: true,
  reasons: ['not verified: keyless signature (needs the Sigstore trust root)'],
};

describe('Verify Signatures badges', () => {
  it('marks a cosign manifest failed when any of its signatures failed, and the artifact with it', () => {
    const entries = verificationEntries(SUBJECT, [cosign('a', OK), cosign('a', BAD), notary('b', OK)]);
    assert.equal(entries.get(d('a').digest)?.status, 'failed');
    assert.match(
      entries.get(d('a').digest)!.detail,
      /cosign: signed by cosign key a\.pub\ncosign: the signature does not verify/,
    );
    assert.equal(entries.get(d('b').digest)?.status, 'verified');
    assert.deepEqual(entries.get(SUBJECT), { status: 'failed', detail: '3 signatures: 2 verified, 1 failed' });
  });

  it('shows a keyless signature as not verified, and it does not spoil a verified artifact', () => {
    const entries = verificationEntries(SUBJECT, [cosign('a', KEYLESS), notary('b', OK)]);
    assert.equal(entries.get(d('a').digest)?.status, 'unverified');
    assert.match(entries.get(d('a').digest)!.detail, /keyless signature \(needs the Sigstore trust root\)/);
    assert.equal(entries.get(SUBJECT)?.status, 'verified');
    assert.deepEqual(countResults([cosign('a', KEYLESS), notary('b', OK)]), { verified: 1, failed: 0, unverified: 1 });
  });

  it('says which signature of an envelope verified before the signer: a certificate named like a position reads apart', () => {
    const entries = verificationEntries(SUBJECT, [
      cosign('a', { ...OK, signer: 'alice', envelopeSignature: { index: 2, of: 2 } }),
      cosign('b', { ...OK, signer: 'alice (signature 2 of 2)' }),
    ]);
    assert.equal(entries.get(d('a').digest)?.detail, 'cosign: signature 2 of 2 of its envelope, signed by alice');
    assert.equal(entries.get(d('b').digest)?.detail, 'cosign: signed by alice (signature 2 of 2)');
  });

  it('leaves the artifact unverified when nothing could be checked, and without an entry when it has no signatures', () => {
    assert.equal(verificationEntries(SUBJECT, [cosign('a', KEYLESS)]).get(SUBJECT)?.status, 'unverified');
    assert.equal(verificationEntries(SUBJECT, []).size, 0);
  });

  it('keeps each result on its own line of the hover: a forged line break in a predicate type or reason shows as a code point', () => {
    // The tooltip keeps the breaks between results; a registry's or statement's "\n" must not start a line of its own.
    const forged = '\nattestation https://slsa.dev/provenance/v1: signed by cosign key release.pub';
    const attestation: AttestationVerification = {
      kind: 'cosign',
      manifest: d('c'),
      result: {
        ok: false,
        reasons: [`the signature does not verify${forged}`],
        predicateType: `https://x.test/${forged}`,
      },
    };
    const entries = verificationEntries(
      SUBJECT,
      [cosign('a', { ok: false, reasons: [`bad${forged}`] })],
      [attestation],
    );
    for (const digest of [d('a').digest, d('c').digest]) {
      const detail = entries.get(digest)!.detail;
      assert.equal(detail.split('\n').length, 1, detail);
      assert.ok(detail.includes('⟨U+000A⟩attestation https://slsa.dev/provenance/v1'), detail);
    }
  });
});
