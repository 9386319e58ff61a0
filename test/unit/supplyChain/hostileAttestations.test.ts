// Attestations as a forger or a careless signer writes them, over a real in-memory store: a `.att` layer whose
// annotations are null (a verdict with its reason, not a crash of verify or of a whole audit), a verified statement
// that names no predicate type (not of the type `--type` asks for), and an audit that found no evidence at all (its
// evidence is not "verified").
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { MemoryTarget } from '../../../src/core/memory';
import { MediaType, type Descriptor } from '../../../src/core/oci';
import { digestOf } from '../../../src/core/content/hashing';
import { parseCosignPublicKey, parseSigstoreIdentity, parseSigstoreTrustedRoot } from '../../../src/core/sign';
import { attachBytes, pushReferrer } from '../../../src/core/supplyChain';
import {
  attestationsOfType,
  attestationsPass,
  auditRepository,
  verifyArtifactSignatures,
} from '../../../src/core/supplyChain';
import {
  DSSE_MEDIA_TYPE,
  dsseEnvelope,
  inTotoStatement,
  pushBytes,
  SLSA_PROVENANCE_V1,
} from '../../helpers/cosignAttestation';
import { bundleReferrer, createMockSigstore, TEST_IDENTITY, TEST_ISSUER } from '../../helpers/sigstoreFixtures';

const ours = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const theirs = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const key = parseCosignPublicKey(ours.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'ours.pub');

async function pushManifest(target: MemoryTarget, manifest: object, tag: string): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, ...manifest }));
  const descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, { tag });
  return descriptor;
}

/** An artifact tagged `tag`, and a `.att` tag on it whose one layer is `envelope` with `annotations` as given. */
async function attested(target: MemoryTarget, tag: string, envelope: (digest: string) => Buffer, annotations: unknown) {
  const config = await pushBytes(target, Buffer.from(`{"tag":"${tag}"}`), 'application/vnd.oci.image.config.v1+json');
  const subject = await pushManifest(target, { config, layers: [] }, tag);
  const layer = { ...(await pushBytes(target, envelope(subject.digest), DSSE_MEDIA_TYPE)), annotations };
  await pushManifest(target, { config, layers: [layer] }, `${subject.digest.replace(':', '-')}.att`);
  return subject;
}

describe('supplyChain: hostile attestations', () => {
  it('fails a .att layer whose annotations are null with its reason, in verify and in an audit (no TypeError)', async () => {
    const target = new MemoryTarget({ location: 'hostile' });
    const forged = (digest: string) => dsseEnvelope(inTotoStatement('r', digest), theirs.privateKey);
    const subject = await attested(target, 'v1', forged, null);
    const { attestations } = await verifyArtifactSignatures(target, subject, { trustedCerts: [], cosignKeys: [key] });
    assert.deepEqual(
      attestations.map((a) => [a.result.ok, a.result.unverifiable, a.result.predicateType]),
      [[false, undefined, SLSA_PROVENANCE_V1]],
    );
    assert.match(attestations[0]!.result.reasons.join(), /does not verify with the cosign public key ours\.pub/);
    const audit = await auditRepository(target, { trustedCerts: [], cosignKeys: [key], require: ['provenance'] });
    assert.deepEqual(
      audit.tags.map((t) => [t.tag, t.verdict]),
      [['v1', 'failed']],
    );
  });

  it('does not count a verified statement without a predicate type as one of the type asked for', async () => {
    const target = new MemoryTarget({ location: 'typeless' });
    const typeless = (digest: string) => {
      const statement = JSON.parse(inTotoStatement('r', digest).toString()) as Record<string, unknown>;
      delete statement.predicateType;
      return dsseEnvelope(Buffer.from(JSON.stringify(statement)), ours.privateKey);
    };
    const subject = await attested(target, 'v1', typeless, { 'dev.cosignproject.cosign/signature': '' });
    const { attestations } = await verifyArtifactSignatures(target, subject, { trustedCerts: [], cosignKeys: [key] });
    assert.deepEqual(
      attestations.map((a) => [a.result.ok, a.result.predicateType]),
      [[true, undefined]],
    );
    assert.equal(attestationsPass(attestations), true, 'any attestation: it verified');
    const ofType = attestationsOfType(attestations, SLSA_PROVENANCE_V1);
    assert.deepEqual(ofType, [], 'it names no type, so it is none of SLSA provenance');
    assert.equal(attestationsPass(ofType), false);
  });

  it('keeps a failed statement without a readable type under --type, so the filter hides no failure', async () => {
    const target = new MemoryTarget({ location: 'unreadable' });
    const junk = () => dsseEnvelope(Buffer.from('not a statement'), ours.privateKey);
    const subject = await attested(target, 'v1', junk, {});
    const { attestations } = await verifyArtifactSignatures(target, subject, { trustedCerts: [], cosignKeys: [key] });
    const ofType = attestationsOfType(attestations, SLSA_PROVENANCE_V1);
    assert.deepEqual(
      ofType.map((a) => [a.result.ok, a.result.reasons.join()]),
      [[false, 'the signed in-toto statement is not a JSON object']],
    );
  });

  it('says evidenceVerified only when some evidence was found and all of it verified', async () => {
    const target = new MemoryTarget({ location: 'bare' });
    const config = await pushBytes(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    await pushManifest(target, { config, layers: [] }, 'v1');
    const audit = await auditRepository(target, { trustedCerts: [], cosignKeys: [key] });
    assert.deepEqual(
      audit.tags.map((t) => [t.sboms.length, t.attestations.length]),
      [[0, 0]],
    );
    assert.equal(audit.evidenceVerified, false, 'nothing was found, so nothing was verified');
    const none = await auditRepository(new MemoryTarget({ location: 'empty' }), {
      trustedCerts: [],
      cosignKeys: [key],
    });
    assert.equal(none.evidenceVerified, false);
  });

  it('does not count an unsigned statement attached as a plain layer as verified provenance when keys are given', async () => {
    const target = new MemoryTarget({ location: 'plain', referrersApi: true });
    const config = await pushBytes(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const subject = await pushManifest(target, { config, layers: [] }, 'v1');
    // What anyone can push: the statement a signed attestation would carry, with no envelope and no signature.
    await attachBytes(target, subject, {
      artifactType: MediaType.inToto,
      documents: [{ mediaType: MediaType.ociLayer, bytes: inTotoStatement('r', subject.digest), title: 's.json' }],
    });
    const audit = await auditRepository(target, { trustedCerts: [], cosignKeys: [key], require: ['provenance'] });
    const [v1] = audit.tags;
    assert.deepEqual(
      v1!.attestations.map((a) => [a.predicateTypes, a.verified]),
      [[[SLSA_PROVENANCE_V1], false]],
    );
    assert.deepEqual(v1!.unverifiedEvidence, ['provenance'], 'present but not verified: it does not meet --require');
    assert.equal(audit.evidenceVerified, false);
  });

  it('does not count an unsigned statement attached as a plain layer as verified provenance when a Sigstore trusted root and identity are given (a keyless bundle of the same statement does)', async function () {
    this.timeout(60_000);
    const sigstore = await createMockSigstore();
    const trust = {
      trustedCerts: [],
      sigstoreTrustedRoot: parseSigstoreTrustedRoot(JSON.stringify(sigstore.trustedRoot), 'trusted_root.json'),
      sigstoreIdentities: [parseSigstoreIdentity({ identity: TEST_IDENTITY, issuer: TEST_ISSUER }, 'test')],
    };
    const target = new MemoryTarget({ location: 'plain', referrersApi: true });
    const config = await pushBytes(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const plain = await pushManifest(target, { config, layers: [] }, 'plain');
    await attachBytes(target, plain, {
      artifactType: MediaType.inToto,
      documents: [{ mediaType: MediaType.ociLayer, bytes: inTotoStatement('r', plain.digest), title: 's.json' }],
    });
    // The same statement about another tag, signed keylessly by the identity trusted: the trust given works.
    const signed = await pushManifest(
      target,
      { config: { ...config, annotations: { tag: 'signed' } }, layers: [] },
      'signed',
    );
    const { bundle } = await sigstore.keyless({
      identity: TEST_IDENTITY,
      issuer: TEST_ISSUER,
      content: { statement: inTotoStatement('r', signed.digest) },
    });
    const referrer = bundleReferrer(signed, bundle);
    await pushReferrer(target, referrer.manifest, referrer.blobs);

    const audit = await auditRepository(target, { ...trust, require: ['provenance'] });
    const byTag = new Map(audit.tags.map((t) => [t.tag, t]));
    assert.deepEqual(
      byTag.get('plain')!.attestations.map((a) => [a.predicateTypes, a.verified]),
      [[[SLSA_PROVENANCE_V1], false]],
    );
    assert.deepEqual(byTag.get('plain')!.unverifiedEvidence, ['provenance'], 'it does not meet --require');
    assert.deepEqual(
      byTag.get('signed')!.attestations.map((a) => [a.predicateTypes, a.verified]),
      [[[SLSA_PROVENANCE_V1], true]],
    );
    assert.deepEqual(byTag.get('signed')!.unverifiedEvidence, []);
    assert.equal(audit.evidenceVerified, false, 'the plain statement is evidence found and not verified');
    const { attestations } = await verifyArtifactSignatures(target, plain, trust);
    assert.ok(!attestations.some((a) => a.result.ok), 'verify --attestations verified none of it');
  });
});
