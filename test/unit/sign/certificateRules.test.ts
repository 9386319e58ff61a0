import * as assert from 'node:assert/strict';
import { signDescriptor, verifySignature } from '../../../src/core/sign';
import { createCertificate, SUBJECT } from './fixtures';

function reasonsFor(cert: { privateKeyPem: string; certificatePem: string }): string[] {
  const envelope = signDescriptor(SUBJECT, { key: cert.privateKeyPem, certChain: cert.certificatePem });
  return verifySignature(envelope, SUBJECT, { trustedCerts: [cert.certificatePem] }).reasons;
}

describe('sign: Notary certificate rules at verification', () => {
  it('refuses a TLS server certificate: non-critical keyUsage with keyEncipherment, EKU serverAuth', () => {
    const cert = createCertificate(
      'tls.example',
      'keyUsage = digitalSignature,keyEncipherment\nextendedKeyUsage = serverAuth,codeSigning',
    );
    assert.deepEqual(reasonsFor(cert), [
      'certificate 1 (CN=tls.example): the keyUsage extension must be critical',
      'certificate 1 (CN=tls.example): keyUsage must not include keyEncipherment',
      'certificate 1 (CN=tls.example): extendedKeyUsage must not include serverAuth for code signing',
    ]);
  });

  it('requires the keyUsage extension on the signing certificate', () => {
    const cert = createCertificate('no-key-usage', 'basicConstraints = CA:FALSE');
    assert.deepEqual(reasonsFor(cert), [
      'certificate 1 (CN=no-key-usage): the keyUsage extension is missing (digitalSignature is required)',
    ]);
  });

  it('accepts a signing certificate without basicConstraints and EKU (both optional for a leaf)', () => {
    const cert = createCertificate('minimal', 'keyUsage = critical,digitalSignature');
    assert.deepEqual(reasonsFor(cert), []);
  });

  it('refuses certificates signed with SHA-1', () => {
    const cert = createCertificate('sha1', 'keyUsage = critical,digitalSignature', 'sha1');
    assert.deepEqual(reasonsFor(cert), ['certificate 1 (CN=sha1): signed with SHA-1, which is not allowed']);
  });
});
