import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSigningKey, parsePrivateKey } from '../../../src/core/sign';
import { opensslSubject } from '../../../src/core/sign/createSigningKey';
import { OciError } from '../../../src/core/oci/errors';
import { OPENSSL, signingKey, withOpenssl } from './fixtures';

describe('sign/createSigningKey', function () {
  // Generating an RSA-3072 key takes seconds on a busy machine (keys are made once and shared).
  this.timeout(30_000);

  it('makes a self-signed certificate that openssl reports as a code-signing leaf (CA:FALSE, digitalSignature, codeSigning)', async () => {
    const { certificatePem, certChainPem } = await signingKey('ecdsa-p256');
    assert.equal(certChainPem, certificatePem);
    const text = withOpenssl(
      { 'c.pem': certificatePem },
      ['x509', '-in', 'c.pem', '-noout', '-text', '-out', 'c.txt'],
      ['c.txt'],
    )['c.txt']!;
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature\n/);
    assert.match(text, /X509v3 Extended Key Usage:\s*\n\s+Code Signing\n/);
    assert.match(text, /Subject: CN = Stowage test ecdsa-p256, O = Stowage/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  });

  it('makes the key type and size each algorithm names, and the key belongs to the certificate', async () => {
    const expected = {
      'ecdsa-p256': ['ec', 'prime256v1'],
      'ecdsa-p384': ['ec', 'secp384r1'],
      'rsa-pss-2048': ['rsa', 2048],
      'rsa-pss-3072': ['rsa', 3072],
    } as const;
    for (const [algorithm, [type, size]] of Object.entries(expected)) {
      const { privateKeyPem, certificatePem } = await signingKey(algorithm as keyof typeof expected);
      const key = parsePrivateKey(privateKeyPem);
      assert.equal(key.asymmetricKeyType, type, algorithm);
      const details = key.asymmetricKeyDetails!;
      assert.equal(type === 'ec' ? details.namedCurve : details.modulusLength, size, algorithm);
      assert.ok(new X509Certificate(certificatePem).checkPrivateKey(key), algorithm);
    }
  });

  it('issues from a given CA and returns the chain leaf first', async () => {
    const ca = await signingKey('ecdsa-p384');
    // A code-signing leaf cannot issue; this only proves the chain shape and the issuer name.
    const leaf = await createSigningKey({
      algorithm: 'ecdsa-p256',
      subject: 'leaf',
      validDays: 1,
      issuer: ca,
      openssl: OPENSSL,
    });
    const certs = leaf.certChainPem.match(/-----BEGIN CERTIFICATE-----/g)!;
    assert.equal(certs.length, 2);
    const cert = new X509Certificate(leaf.certificatePem);
    assert.equal(cert.issuer, new X509Certificate(ca.certificatePem).subject);
    assert.ok(cert.verify(new X509Certificate(ca.certificatePem).publicKey));
  });

  it('turns a distinguished name or a bare common name into an openssl subject, escaping slashes', () => {
    assert.equal(opensslSubject('CN=a.example,O=Acme\\, Inc.'), '/CN=a.example/O=Acme, Inc.');
    assert.equal(opensslSubject('build/bot'), '/CN=build\\/bot');
    assert.throws(() => opensslSubject('CN=a,=b'), /not NAME=value/);
  });

  it('refuses nonsense options without running openssl', async () => {
    await assert.rejects(createSigningKey({ algorithm: 'ecdsa-p256', subject: 'x', validDays: 0 }), (e: unknown) =>
      OciError.is(e, 'USAGE'),
    );
    await assert.rejects(
      createSigningKey({ algorithm: 'dsa' as never, subject: 'x', validDays: 1 }),
      /unknown signing key algorithm/,
    );
  });

  it('never runs an openssl from the current folder or a relative PATH entry', async () => {
    const planted = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-planted-openssl-'));
    const saved = { cwd: process.cwd(), path: process.env.PATH };
    fs.writeFileSync(path.join(planted, 'openssl'), `#!/bin/sh\ntouch "${planted}/ran"\n`, { mode: 0o755 });
    try {
      process.chdir(planted);
      process.env.PATH = '.::relative';
      await assert.rejects(
        createSigningKey({ algorithm: 'ecdsa-p256', subject: 'x', validDays: 1 }),
        /needs the openssl command, which was not found on PATH/,
      );
      assert.equal(fs.existsSync(path.join(planted, 'ran')), false);
    } finally {
      process.chdir(saved.cwd);
      process.env.PATH = saved.path;
      fs.rmSync(planted, { recursive: true, force: true });
    }
  });

  it('says openssl is missing instead of failing obscurely', async () => {
    await assert.rejects(
      createSigningKey({ algorithm: 'ecdsa-p256', subject: 'x', validDays: 1, openssl: '/nonexistent/openssl' }),
      /needs the openssl command/,
    );
  });
});
