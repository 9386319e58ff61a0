// Sigstore bundles and keyless cosign signatures verified offline against a private Sigstore made at test time by
// @sigstore/mock (its own Fulcio CA, CT log, Rekor and TSA keys): what passes, and each way it must fail.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import {
  CosignAnnotation,
  NO_IDENTITIES_REASON,
  NO_KEYS_REASON,
  NO_TRUSTED_ROOT_REASON,
  parseCosignPublicKey,
  parseSigstoreBundle,
  parseSigstoreIdentity,
  parseSigstoreTrustedRoot,
  verifyCosignSignature,
  verifySigstoreBundle,
  type SigstoreVerifyOptions,
} from '../../../src/core/sign';
import { createMockSigstore, type MockSigstore, type SignedContent } from '../../helpers/sigstoreFixtures';
import { SUBJECT } from './fixtures';
import { simpleSigningPayload } from '../../helpers/cosignAttestation';

const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

const statementFor = (digest: string) => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'r.example/app', digest: { sha256: digest.slice('sha256:'.length) } }],
  predicateType: 'https://sigstore.dev/cosign/sign/v1',
  predicate: {},
});
const simpleSigning = (digest: string) => simpleSigningPayload(digest, 'r.example/app');

function bundleOf(json: Record<string, unknown>): Bundle {
  const parsed = parseSigstoreBundle(Buffer.from(JSON.stringify(json)));
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed;
}

describe('sign/verifySigstoreBundle (offline, @sigstore/mock trust root)', function () {
  this.timeout(60_000);
  let sigstore: MockSigstore;
  let options: SigstoreVerifyOptions;
  const rule = { identity: IDENTITY, issuer: ISSUER };

  before(async () => {
    sigstore = await createMockSigstore();
    options = {
      trustedRoot: parseSigstoreTrustedRoot(JSON.stringify(sigstore.trustedRoot), 'trusted_root.json'),
      identities: [parseSigstoreIdentity(rule, 'test')],
    };
  });

  const keyless = async (content: SignedContent = { statement: statementFor(SUBJECT.digest) }, extra = {}) =>
    bundleOf((await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content, ...extra })).bundle);

  it('verifies a keyless DSSE bundle (cosign v3) naming this artifact, with the signer and the log time', async () => {
    const result = verifySigstoreBundle(await keyless(), SUBJECT, options);
    assert.deepEqual(result.reasons, []);
    assert.equal(result.ok, true);
    assert.equal(result.signer, `OIDC issuer "${ISSUER}", identity "${IDENTITY}"`);
    assert.ok(result.signingTime && Math.abs(result.signingTime.getTime() - Date.now()) < 120_000);
  });

  it('verifies with regular-expression rules, and with an RFC 3161 timestamp from the TSA beside the log entry', async () => {
    const regexp = [
      parseSigstoreIdentity({ identityRegExp: '^https://github\\.com/acme/', issuerRegExp: 'github' }, 't'),
    ];
    const result = verifySigstoreBundle(await keyless(undefined, { tsa: true }), SUBJECT, {
      ...options,
      identities: regexp,
    });
    assert.deepEqual(result.reasons, []);
    assert.equal(result.ok, true);
  });

  it('fails for a wrong identity and for a wrong issuer, naming what the certificate says', async () => {
    const bundle = await keyless();
    const wrongIdentity = verifySigstoreBundle(bundle, SUBJECT, {
      ...options,
      identities: [parseSigstoreIdentity({ identity: 'https://github.com/evil/app', issuer: ISSUER }, 't')],
    });
    assert.equal(wrongIdentity.ok, false);
    assert.equal(wrongIdentity.unverifiable, undefined);
    assert.match(
      wrongIdentity.reasons[0]!,
      /identity "https:\/\/github\.com\/acme\/app.*" does not match the identity rule https:\/\/github\.com\/evil\/app from/,
    );
    const wrongIssuer = verifySigstoreBundle(bundle, SUBJECT, {
      ...options,
      identities: [
        parseSigstoreIdentity({ identity: IDENTITY, issuerRegExp: '^https://accounts\\.google\\.com$' }, 't'),
      ],
    });
    assert.equal(wrongIssuer.ok, false);
    assert.match(
      wrongIssuer.reasons[0]!,
      /OIDC issuer "https:\/\/token\.actions\.githubusercontent\.com", identity "https:\/\/\S+" does not match/,
    );
  });

  it('fails for a tampered payload (the statement changed after signing)', async () => {
    const json = (
      await sigstore.keyless({
        identity: IDENTITY,
        issuer: ISSUER,
        content: { statement: statementFor(SUBJECT.digest) },
      })
    ).bundle;
    const envelope = json.dsseEnvelope as { payload: string };
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as Record<string, unknown>;
    envelope.payload = Buffer.from(JSON.stringify({ ...statement, predicate: { evil: true } })).toString('base64');
    const result = verifySigstoreBundle(bundleOf(json), SUBJECT, options);
    assert.equal(result.ok, false);
    assert.match(result.reasons.join('; '), /transparency log entry does not verify|signature does not verify/);
  });

  it('fails for a certificate outside its validity: without a timestamp, and with a log time after it expired', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const noTimestamp = await keyless(undefined, { certificateTime: hourAgo, tlog: false });
    const result = verifySigstoreBundle(noTimestamp, SUBJECT, options);
    assert.equal(result.ok, false);
    assert.match(result.reasons[0]!, /no timestamp .* the signing certificate was valid only from .* to /);
    const loggedLate = verifySigstoreBundle(await keyless(undefined, { certificateTime: hourAgo }), SUBJECT, options);
    assert.equal(loggedLate.ok, false);
    assert.match(
      loggedLate.reasons[0]!,
      /signing certificate is not trusted .*not valid or expired at the specified date/,
    );
  });

  it('fails against a trusted root that is not the one that issued the certificate and logged the entry', async () => {
    const stranger = await createMockSigstore();
    const result = verifySigstoreBundle(await keyless(), SUBJECT, {
      ...options,
      trustedRoot: parseSigstoreTrustedRoot(JSON.stringify(stranger.trustedRoot), 'other_root.json'),
    });
    assert.equal(result.ok, false);
    assert.match(result.reasons[0]!, /other_root\.json/);
  });

  it('fails a valid bundle about another artifact: a statement or a simple-signing payload naming another digest', async () => {
    const elsewhere = verifySigstoreBundle(await keyless({ statement: statementFor(OTHER_DIGEST) }), SUBJECT, options);
    assert.equal(elsewhere.ok, false);
    assert.deepEqual(elsewhere.reasons, [`the signed statement's subjects are ${OTHER_DIGEST}, not ${SUBJECT.digest}`]);
    const payload = simpleSigning(OTHER_DIGEST);
    const message = verifySigstoreBundle(await keyless({ message: payload }), SUBJECT, {
      ...options,
      message: payload,
    });
    assert.deepEqual(message.reasons, [`the payload signs manifest ${OTHER_DIGEST}, not ${SUBJECT.digest}`]);
    // Without the signed message, nothing binds the bundle to the artifact.
    const unknown = verifySigstoreBundle(await keyless({ message: payload }), SUBJECT, options);
    assert.equal(unknown.ok, false);
    assert.match(unknown.reasons[0]!, /neither the artifact nor a payload/);
  });

  it('verifies message signatures over a simple-signing payload and over the manifest bytes themselves', async () => {
    const payload = simpleSigning(SUBJECT.digest);
    const overPayload = verifySigstoreBundle(await keyless({ message: payload }), SUBJECT, {
      ...options,
      message: payload,
    });
    assert.deepEqual(overPayload.reasons, []);
    const manifest = Buffer.from('{"schemaVersion":2}');
    const subject = { ...SUBJECT, digest: digestOf(manifest), size: manifest.length };
    const overManifest = verifySigstoreBundle(await keyless({ message: manifest }), subject, {
      ...options,
      message: manifest,
    });
    assert.deepEqual(overManifest.reasons, []);
    assert.equal(overManifest.ok, true);
  });

  it('reports keyless bundles as not verifiable without a trusted root or without identity rules', async () => {
    const bundle = await keyless();
    const noRoot = verifySigstoreBundle(bundle, SUBJECT, { identities: options.identities });
    assert.deepEqual([noRoot.ok, noRoot.unverifiable, noRoot.reasons], [false, true, [NO_TRUSTED_ROOT_REASON]]);
    const noRules = verifySigstoreBundle(bundle, SUBJECT, { trustedRoot: options.trustedRoot });
    assert.deepEqual([noRules.ok, noRules.unverifiable, noRules.reasons], [false, true, [NO_IDENTITIES_REASON]]);
  });

  it('verifies key-based bundles against the configured cosign keys, with or without a trusted root', async () => {
    const signer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = parseCosignPublicKey(signer.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'cosign.pub');
    const other = parseCosignPublicKey(
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
        type: 'spki',
        format: 'pem',
      }) as string,
      'other.pub',
    );
    const bundle = bundleOf(await sigstore.withKey(signer.privateKey, { statement: statementFor(SUBJECT.digest) }));
    const withRoot = verifySigstoreBundle(bundle, SUBJECT, { ...options, cosignKeys: [other, key] });
    assert.deepEqual(withRoot.reasons, []);
    assert.match(withRoot.signer ?? '', /^cosign key cosign\.pub \(ECDSA P-256, SHA256:[0-9a-f]{16}\)$/);
    assert.equal(verifySigstoreBundle(bundle, SUBJECT, { cosignKeys: [key] }).ok, true);
    const wrongKey = verifySigstoreBundle(bundle, SUBJECT, { cosignKeys: [other] });
    assert.equal(wrongKey.ok, false);
    assert.match(wrongKey.reasons[0]!, /with the cosign public key other\.pub: the signature does not verify/);
    const noKeys = verifySigstoreBundle(bundle, SUBJECT, {});
    assert.deepEqual([noKeys.unverifiable, noKeys.reasons], [true, [NO_KEYS_REASON]]);
  });

  it('verifies a legacy keyless cosign .sig layer (certificate and Rekor bundle annotations) the same way', async () => {
    const payload = simpleSigning(SUBJECT.digest);
    const signed = await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content: { message: payload } });
    const layer = {
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      digest: digestOf(payload),
      size: payload.length,
      annotations: {
        [CosignAnnotation.signature]: signed.signature.toString('base64'),
        [CosignAnnotation.certificate]: signed.certificatePem,
        [CosignAnnotation.chain]: '',
        [CosignAnnotation.bundle]: signed.rekorBundle!,
      },
    };
    const result = verifyCosignSignature(layer, payload, SUBJECT, [], options);
    assert.deepEqual(result.reasons, []);
    assert.equal(result.signer, `OIDC issuer "${ISSUER}", identity "${IDENTITY}"`);
    const wrong = verifyCosignSignature(layer, payload, SUBJECT, [], {
      ...options,
      identities: [parseSigstoreIdentity({ identity: IDENTITY, issuer: 'https://accounts.google.com' }, 't')],
    });
    assert.equal(wrong.ok, false);
    assert.match(wrong.reasons[0]!, /does not match the identity rule/);
    const tampered = Buffer.from(payload.toString().replace('r.example/app', 'r.example/evil'));
    const altered = verifyCosignSignature({ ...layer, digest: digestOf(tampered) }, tampered, SUBJECT, [], options);
    assert.equal(altered.ok, false);
    assert.equal(verifyCosignSignature(layer, payload, SUBJECT, []).unverifiable, true);
  });

  it('refuses identity rules without both halves or with a broken expression, and files that are not trusted roots', () => {
    const usage = (e: unknown) => OciError.is(e, 'USAGE');
    assert.throws(
      () => parseSigstoreIdentity({ identity: IDENTITY }, 'stowage.trust.sigstoreIdentities[0]'),
      (e) =>
        usage(e) &&
        /stowage\.trust\.sigstoreIdentities\[0\]: give exactly one of issuer and issuerRegExp/.test(String(e)),
    );
    assert.throws(() => parseSigstoreIdentity({ identity: 'a', identityRegExp: 'b', issuer: ISSUER }, 'x'), usage);
    assert.throws(
      () => parseSigstoreIdentity({ identityRegExp: '(', issuer: ISSUER }, 'x'),
      /not a valid regular expression/,
    );
    assert.throws(() => parseSigstoreTrustedRoot('{', 'root.json'), /root\.json: not JSON/);
    assert.throws(() => parseSigstoreTrustedRoot('{"mediaType":"x"}', 'root.json'), /names no certificate authority/);
  });
});
