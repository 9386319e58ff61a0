import * as assert from 'node:assert/strict';
import { buildSignatureManifest, createSigningKey, signDescriptor } from '../../../src/core/sign';
import { createRootCa, OPENSSL, SUBJECT, withOpenssl } from './fixtures';

function opensslFingerprint(pem: string): string {
  const out = withOpenssl(
    { 'c.pem': pem },
    ['x509', '-in', 'c.pem', '-noout', '-fingerprint', '-sha256', '-out', 'f.txt'],
    ['f.txt'],
  )['f.txt']!;
  // "sha256 Fingerprint=AB:CD:…" → "abcd…"
  return out.trim().split('=')[1]!.replace(/:/g, '').toLowerCase();
}

describe('sign/thumbprints', () => {
  it('annotates the signature manifest with the chain thumbprints that openssl computes, leaf first', async () => {
    const root = createRootCa('Thumbprint Root');
    const leaf = await createSigningKey({
      algorithm: 'ecdsa-p256',
      subject: 'CN=thumbprinted',
      validDays: 2,
      issuer: root,
      openssl: OPENSSL,
    });
    const envelope = signDescriptor(SUBJECT, { key: leaf.privateKeyPem, certChain: leaf.certChainPem });
    const { manifest } = buildSignatureManifest(SUBJECT, envelope, leaf.certChainPem);
    const thumbprints = JSON.parse(manifest.annotations!['io.cncf.notary.x509chain.thumbprint#S256']!) as string[];
    assert.deepEqual(thumbprints, [opensslFingerprint(leaf.certificatePem), opensslFingerprint(root.certChainPem)]);
  });
});
