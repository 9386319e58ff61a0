import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSigningIdentity, parsePrivateKey } from '../../../src/core/sign';
import { signingKey } from './fixtures';

describe('sign/loadSigningIdentity', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stowage-identity-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('loads a PEM key and its PEM chain, leaf first', async () => {
    const a = await signingKey('ecdsa-p256');
    const b = await signingKey('ecdsa-p384');
    await writeFile(join(dir, 'key.pem'), a.privateKeyPem);
    await writeFile(join(dir, 'chain.pem'), a.certificatePem + b.certificatePem);
    const identity = await loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem'));
    assert.equal(identity.certChain.length, 2);
    assert.ok(identity.certChain[0]!.checkPrivateKey(identity.key));
  });

  it('refuses a key that belongs to another certificate, and never echoes key material', async () => {
    const a = await signingKey('ecdsa-p256');
    const b = await signingKey('ecdsa-p384');
    await writeFile(join(dir, 'key.pem'), b.privateKeyPem);
    await writeFile(join(dir, 'chain.pem'), a.certificatePem);
    await assert.rejects(
      loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem')),
      /does not belong to the first certificate/,
    );

    const broken = b.privateKeyPem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    await writeFile(join(dir, 'key.pem'), broken);
    await assert.rejects(loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem')), (err: Error) => {
      assert.match(err.message, /not a PEM \(or DER\) private key/);
      assert.equal(err.cause, undefined);
      assert.ok(!err.message.includes('PRIVATE KEY-----'));
      return true;
    });
  });

  it('opens an encrypted key with its passphrase and says when the passphrase is missing or wrong', async () => {
    const a = await signingKey('ecdsa-p256');
    const encrypted = parsePrivateKey(a.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' })
      .toString();
    await writeFile(join(dir, 'key.pem'), encrypted);
    await writeFile(join(dir, 'chain.pem'), a.certificatePem);
    const identity = await loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem'), {
      passphrase: 'correct horse',
    });
    assert.ok(identity.certChain[0]!.checkPrivateKey(identity.key));
    await assert.rejects(
      loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem')),
      /the key is encrypted and no passphrase was given/,
    );
    await assert.rejects(
      loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem'), { passphrase: 'wrong' }),
      (err: Error) => {
        assert.match(err.message, /the passphrase does not open it/);
        assert.ok(!err.message.includes('wrong'));
        return true;
      },
    );
  });

  it('says which file holds no certificate', async () => {
    const a = await signingKey('ecdsa-p256');
    await writeFile(join(dir, 'key.pem'), a.privateKeyPem);
    await writeFile(join(dir, 'chain.pem'), 'nothing here');
    await assert.rejects(
      loadSigningIdentity(join(dir, 'key.pem'), join(dir, 'chain.pem')),
      /chain\.pem: no PEM certificate found/,
    );
  });
});
