// `stowage verify --attestations` and `verify --all-tags --require provenance` against the real registry, with
// attestations made here exactly as cosign writes them: a `sha256-<hex>.att` tag whose layers are DSSE envelopes
// (`application/vnd.dsse.envelope.v1+json`, an empty `dev.cosignproject.cosign/signature` annotation, the
// predicateType annotation; keyless ones with the certificate and Rekor bundle annotations), an OCI 1.1 referrer
// holding a DSSE envelope, and a Sigstore bundle referrer. Keys are node crypto keys; keyless signatures come from
// a private Sigstore built offline by @sigstore/mock.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { pushReferrer, type RepositoryAudit } from '../../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';
import {
  bundleReferrer,
  createMockSigstore,
  sigstoreTrustFlags,
  TEST_IDENTITY as IDENTITY,
  TEST_ISSUER as ISSUER,
  type MockSigstore,
} from '../../helpers/sigstoreFixtures';
import {
  attachCosignAttestations,
  dsseEnvelope,
  inTotoStatement,
  pushBytes,
  simpleSigningPayload,
} from '../../helpers/cosignAttestation';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DSSE = 'application/vnd.dsse.envelope.v1+json';
const IN_TOTO = 'application/vnd.in-toto+json';
const SLSA1 = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';

type Keys = { publicKey: KeyObject; privateKey: KeyObject };

describe('stowage verify --attestations against a real registry (cosign .att, OCI referrer, Sigstore bundle)', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let target: RegistryTarget;
  let sigstore: MockSigstore;
  let ours: Keys;
  let theirs: Keys;
  const subjects: Record<string, Descriptor> = {};
  const flags = ['--plain-http'];
  const repo = () => `${registry.host}/att/app`;
  const ref = (name: string) => `${repo()}:${name}`;
  const file = (name: string) => path.join(home, name);
  const key = () => ['--cosign-key', file('ours.pub')];
  const sigstoreTrust = () => sigstoreTrustFlags(file('trusted_root.json'));

  const statement = (digest: string, predicateType = SLSA1) =>
    JSON.parse(inTotoStatement(repo(), digest, predicateType).toString()) as object;
  const envelope = dsseEnvelope;
  const push = (bytes: Buffer, mediaType: string) => pushBytes(target, bytes, mediaType);
  const attachAtt = (subject: Descriptor, layers: Parameters<typeof attachCosignAttestations>[2]) =>
    attachCosignAttestations(target, subject, layers);

  /** A cosign `.sig` signature with a key (simple signing), so that an audited tag is signed. */
  async function attachSig(subject: Descriptor, privateKey: KeyObject): Promise<void> {
    const payload = simpleSigningPayload(subject.digest, repo());
    const layer = {
      ...(await push(payload, 'application/vnd.dev.cosign.simplesigning.v1+json')),
      annotations: { 'dev.cosignproject.cosign/signature': sign('sha256', payload, privateKey).toString('base64') },
    };
    const config = await push(Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }));
    await target.pushManifest({ mediaType: OCI_MANIFEST, digest: digestOf(bytes), size: bytes.length }, bytes, {
      tag: `${subject.digest.replace(':', '-')}.sig`,
    });
  }

  /** An OCI 1.1 referrer whose layer is a DSSE envelope (cosign --registry-referrers-mode oci-1-1). */
  async function attachDsseReferrer(subject: Descriptor, bytes: Buffer, predicateType: string): Promise<void> {
    const empty = Buffer.from('{}');
    const config = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: 2 };
    const layer = { mediaType: DSSE, digest: digestOf(bytes), size: bytes.length };
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: DSSE,
      config,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations: { 'dev.sigstore.bundle.predicateType': predicateType },
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    await pushReferrer(
      target,
      {
        descriptor: {
          mediaType: OCI_MANIFEST,
          digest: digestOf(manifestBytes),
          size: manifestBytes.length,
          artifactType: DSSE,
        },
        bytes: manifestBytes,
        manifest: manifest as never,
      },
      [
        { descriptor: config, bytes: empty },
        { descriptor: layer, bytes },
      ],
    );
  }

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-attestations-'));
    registry = await startRegistry({ variant: 'plain' });
    target = new RegistryTarget(new RegistryClient({ host: registry.host, plainHttp: true }), 'att/app');
    sigstore = await createMockSigstore();
    await fs.writeFile(file('trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    ours = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    theirs = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await fs.writeFile(file('ours.pub'), ours.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    await fs.writeFile(file('theirs.pub'), theirs.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const names = ['signed', 'tampered', 'elsewhere', 'keyless', 'bundle', 'referrer', 'unsigned'];
    for (const name of names) {
      await fs.writeFile(file(`${name}.txt`), `the ${name} artifact\n`);
      await cliOk(['push', ref(name), file(`${name}.txt`), ...flags]);
      subjects[name] = await target.resolve(name);
    }
    const payload = (name: string, predicateType = SLSA1) =>
      Buffer.from(JSON.stringify(statement(subjects[name]!.digest, predicateType)));
    await attachAtt(subjects.signed!, [
      { envelope: envelope(payload('signed'), ours.privateKey), predicateType: SLSA1 },
    ]);
    // Signed, then the payload swapped for another statement about the same artifact.
    const tampered = JSON.parse(envelope(payload('tampered'), ours.privateKey).toString()) as { payload: string };
    tampered.payload = payload('tampered', SPDX).toString('base64');
    await attachAtt(subjects.tampered!, [{ envelope: Buffer.from(JSON.stringify(tampered)), predicateType: SLSA1 }]);
    // Validly signed, attached to "elsewhere", about "signed".
    await attachAtt(subjects.elsewhere!, [
      { envelope: envelope(payload('signed'), ours.privateKey), predicateType: SLSA1 },
    ]);
    const keyless = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: statement(subjects.keyless!.digest) },
    });
    const dsse = keyless.bundle.dsseEnvelope as Record<string, unknown>;
    await attachAtt(subjects.keyless!, [
      {
        envelope: Buffer.from(
          JSON.stringify({ payloadType: dsse.payloadType, payload: dsse.payload, signatures: dsse.signatures }),
        ),
        predicateType: SLSA1,
        annotations: {
          'dev.sigstore.cosign/certificate': keyless.certificatePem,
          'dev.sigstore.cosign/chain': '',
          'dev.sigstore.cosign/bundle': keyless.rekorBundle!,
        },
      },
    ]);
    const bundled = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: statement(subjects.bundle!.digest) },
    });
    const referrer = bundleReferrer(subjects.bundle!, bundled.bundle);
    await pushReferrer(target, referrer.manifest, referrer.blobs);
    await attachDsseReferrer(subjects.referrer!, envelope(payload('referrer', SPDX), ours.privateKey), SPDX);
    // For the audit: "signed" and "unsigned" carry a cosign signature by our key; "unsigned" has only an unsigned
    // provenance statement attached (present, nothing signs it).
    await attachSig(subjects.signed!, ours.privateKey);
    await attachSig(subjects.unsigned!, ours.privateKey);
    await fs.writeFile(file('provenance.json'), payload('unsigned'));
    await cliOk([
      'attach',
      ref('unsigned'),
      `${file('provenance.json')}:${IN_TOTO}`,
      '--artifact-type',
      IN_TOTO,
      '-a',
      `in-toto.io/predicate-type=${SLSA1}`,
      ...flags,
    ]);
  });

  after(async () => {
    await registry?.stop();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('verifies a key-signed .att attestation: exit 0, its predicate type and the key; --type picks by cosign name or URI', async () => {
    const run = await cliOk(['verify', ref('signed'), '--attestations', ...key(), ...flags]);
    assert.match(
      run.stdout,
      /^verified {2}sha256:[a-f0-9]{64} \(cosign \.att layer [a-f0-9]{12}\) https:\/\/slsa\.dev\/provenance\/v1 signed by cosign key .*ours\.pub \(ECDSA P-256, SHA256:[a-f0-9]{16}\)$/m,
    );
    await cliOk(['verify', ref('signed'), '--attestations', '--type', 'slsaprovenance1', ...key(), ...flags]);
    await cliOk(['verify', ref('signed'), '--attestations', '--type', SLSA1, ...key(), ...flags]);
    const other = await cli(['verify', ref('signed'), '--attestations', '--type', 'spdxjson', ...key(), ...flags]);
    assert.equal(other.code, 1);
    assert.match(other.stdout, /has no attestations of type https:\/\/spdx\.dev\/Document$/m);
    const json = JSON.parse(
      (await cliOk(['verify', ref('signed'), '--attestations', '--format', 'json', ...key(), ...flags])).stdout,
    ) as Array<Record<string, unknown>>;
    assert.deepEqual(
      json.map((a) => [a.kind, a.ok, a.predicateType]),
      [['cosign', true, SLSA1]],
    );
    const bad = await cli(['verify', ref('signed'), '--attestations', '--type', 'nonsense', ...key(), ...flags]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--type takes a predicate type URI or one of cosign's names \(slsaprovenance, /);
  });

  it('fails (exit 1) a tampered payload, a wrong key and a statement about another digest, each with its reason', async () => {
    const tampered = await cli(['verify', ref('tampered'), '--attestations', ...key(), ...flags]);
    assert.equal(tampered.code, 1);
    assert.match(
      tampered.stdout,
      /^FAILED {4}.*https:\/\/spdx\.dev\/Document: the signature does not verify with the cosign public key/m,
    );
    const wrongKey = await cli([
      'verify',
      ref('signed'),
      '--attestations',
      '--cosign-key',
      file('theirs.pub'),
      ...flags,
    ]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stdout, /^FAILED .*theirs\.pub/m);
    const elsewhere = await cli(['verify', ref('elsewhere'), '--attestations', ...key(), ...flags]);
    assert.equal(elsewhere.code, 1);
    assert.ok(
      elsewhere.stdout.includes(
        `the signed statement's subjects are ${subjects.signed!.digest}, not ${subjects.elsewhere!.digest}`,
      ),
      elsewhere.stdout,
    );
  });

  it('reports UNCHECKED, naming the flag, without a cosign key (exit 1)', async () => {
    const run = await cli(['verify', ref('signed'), '--attestations', ...sigstoreTrust(), ...flags]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^UNCHECKED .*no cosign public keys were given \(stowage\.trust\.cosignPublicKeys or --cosign-key\)$/m,
    );
  });

  it('verifies a keyless .att layer (certificate and Rekor bundle annotations) against the Sigstore trusted root', async () => {
    const run = await cliOk(['verify', ref('keyless'), '--attestations', ...sigstoreTrust(), ...flags]);
    assert.match(
      run.stdout,
      /^verified {2}.*\(cosign \.att layer [a-f0-9]{12}\) https:\/\/slsa\.dev\/provenance\/v1 signed by OIDC issuer "https:\/\/token\.actions\.githubusercontent\.com", identity "https:\/\/github\.com\/acme\/app\/.*"$/m,
    );
    const noRoot = await cli(['verify', ref('keyless'), '--attestations', ...key(), ...flags]);
    assert.equal(noRoot.code, 1);
    assert.match(noRoot.stdout, /^UNCHECKED .*no Sigstore trusted root was given/m);
  });

  it('counts a DSSE Sigstore bundle referrer as an attestation by its predicate type, and an OCI referrer holding a DSSE envelope', async () => {
    const bundle = await cliOk([
      'verify',
      ref('bundle'),
      '--attestations',
      '--type',
      'slsaprovenance1',
      ...sigstoreTrust(),
      ...flags,
    ]);
    assert.match(
      bundle.stdout,
      /^verified {2}.*\(Sigstore bundle layer [a-f0-9]{12}\) https:\/\/slsa\.dev\/provenance\/v1 signed by OIDC issuer "[^"]+", identity "https:\/\/github\.com\/acme\/app\//m,
    );
    const referrer = await cliOk(['verify', ref('referrer'), '--attestations', '--type', 'spdx', ...key(), ...flags]);
    assert.match(
      referrer.stdout,
      /^verified {2}.*\(referrer layer [a-f0-9]{12}\) https:\/\/spdx\.dev\/Document signed by cosign key/m,
    );
  });

  it('audits --require provenance with a cosign key: verified provenance passes, present but unsigned is "unverified provenance"', async () => {
    const run = await cli([
      'verify',
      '--tags',
      'signed,unsigned',
      repo(),
      ...key(),
      '--require',
      'provenance',
      ...flags,
    ]);
    assert.equal(run.code, 1, run.stdout);
    const row = (tag: string) => run.stdout.split('\n').find((line) => line.startsWith(`${tag} `)) ?? '';
    assert.match(row('signed'), /^signed +passed .* https:\/\/slsa\.dev\/provenance\/v1$/);
    assert.match(
      row('unsigned'),
      /^unsigned +unverified provenance .* https:\/\/slsa\.dev\/provenance\/v1 \(unverified\)$/,
    );
    // Its reason folded under the verdict (the whole line ran past 100 columns).
    assert.match(run.stdout, /^unsigned: UNCHECKED attestation .*:\n {4}not verified: [^]*?\n {4}nothing signs it$/m);
    const json = JSON.parse(
      (
        await cli([
          'verify',
          '--tags',
          'signed',
          repo(),
          ...key(),
          '--require',
          'provenance',
          '--format',
          'json',
          ...flags,
        ])
      ).stdout,
    ) as RepositoryAudit;
    assert.equal(json.passed, true);
    assert.equal(json.evidenceVerified, true);
    assert.deepEqual(
      json.tags[0]!.attestations.map((a) => [a.predicateTypes, a.verified]),
      [[[SLSA1], true]],
    );
  });
});
