// What counts as a signature, against the real registry: an image carrying only a GitHub-style attestation bundle
// (a keyless Sigstore bundle of SLSA provenance, built offline by @sigstore/mock) is unsigned, its provenance a
// verified attestation; an SBOM attached with `stowage attach` and signed with `stowage sign` on its own digest is a
// verified SBOM, one signed by a key nobody trusts fails its tag, another image's signed SBOM under a cosign .sbom
// tag is not verified; a keyless `.att` envelope holding a forged signature beside the real one verifies (saying
// which), one of forged signatures fails (naming each).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Descriptor } from '../../../src/core/oci/descriptor';
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
import { attachCosignAttestations, inTotoStatement } from '../../helpers/cosignAttestation';

const SLSA1 = 'https://slsa.dev/provenance/v1';
const SPDX_TYPE = 'application/spdx+json';

describe('stowage verify: what counts as a signature, and SBOMs signed on their own (real registry)', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let target: RegistryTarget;
  let sigstore: MockSigstore;
  const subjects: Record<string, Descriptor> = {};
  const flags = ['--plain-http'];
  const repo = () => `${registry.host}/sem/app`;
  const ref = (name: string) => `${repo()}:${name}`;
  const file = (name: string) => path.join(home, name);
  const cert = (name: string) => file(`keys/${name}.crt.pem`);
  const signWith = (reference: string, name: string) =>
    cliOk(['sign', reference, '--key', file(`keys/${name}.key.pem`), '--cert', cert(name), ...flags]);
  const sigstoreTrust = () => sigstoreTrustFlags(file('trusted_root.json'));
  const statement = (name: string) =>
    JSON.parse(inTotoStatement(repo(), subjects[name]!.digest, SLSA1).toString()) as object;

  const sbomDigests: Record<string, string> = {};

  /** `stowage attach` of an SPDX document, then `stowage sign` of the SBOM's digest with `signer`'s key. */
  async function attachSignedSbom(tag: string, signer: string): Promise<void> {
    const sbom = file(`${tag}.spdx.json`);
    await fs.writeFile(
      sbom,
      JSON.stringify({
        spdxVersion: 'SPDX-2.3',
        dataLicense: 'CC0-1.0',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: tag,
        documentNamespace: `https://example.test/${tag}`,
        creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: test'] },
        packages: [],
      }),
    );
    const attached = await cliOk([
      'attach',
      ref(tag),
      `${sbom}:${SPDX_TYPE}`,
      '--artifact-type',
      SPDX_TYPE,
      '--format',
      'json',
      ...flags,
    ]);
    const { digest } = JSON.parse(attached.stdout) as { digest: string };
    sbomDigests[tag] = digest;
    await signWith(`${repo()}@${digest}`, signer);
  }

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-sigsem-'));
    registry = await startRegistry({ variant: 'plain' });
    target = new RegistryTarget(new RegistryClient({ host: registry.host, plainHttp: true }), 'sem/app');
    sigstore = await createMockSigstore();
    await fs.writeFile(file('trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    for (const name of ['trusted', 'stranger'])
      await cliOk(['key', 'create', '--out', file('keys'), '--name', name, '--subject', `CN=${name} signer`]);
    for (const name of ['gh', 'sbom-signed', 'sbom-stranger', 'sbom-borrowed', 'att-mixed', 'att-forged']) {
      await fs.writeFile(file(`${name}.txt`), `the ${name} artifact\n`);
      await cliOk(['push', ref(name), file(`${name}.txt`), ...flags]);
      subjects[name] = await target.resolve(name);
    }
    // As `gh attestation` leaves it: a Sigstore bundle of SLSA provenance, nothing else.
    const provenance = await sigstore.keyless({
      identity: IDENTITY,
      issuer: ISSUER,
      content: { statement: statement('gh') },
    });
    const bundle = bundleReferrer(subjects.gh!, provenance.bundle);
    await pushReferrer(target, bundle.manifest, bundle.blobs);
    for (const tag of ['sbom-signed', 'sbom-stranger', 'sbom-borrowed']) await signWith(ref(tag), 'trusted');
    await attachSignedSbom('sbom-signed', 'trusted');
    await attachSignedSbom('sbom-stranger', 'stranger');
    // Anyone who can push tags: sbom-borrowed's cosign .sbom tag names sbom-signed's SBOM (signed, but of another image).
    const cosignTag = `${subjects['sbom-borrowed']!.digest.replace(':', '-')}.sbom`;
    await cliOk(['tag', `${repo()}@${sbomDigests['sbom-signed']}`, cosignTag, ...flags]);
    // Keyless .att layers whose envelope holds a forged signature first (and in one, only forged ones).
    const forged = { keyid: '', sig: Buffer.alloc(70, 7).toString('base64') };
    for (const [tag, real] of [
      ['att-mixed', true],
      ['att-forged', false],
    ] as const) {
      const keyless = await sigstore.keyless({
        identity: IDENTITY,
        issuer: ISSUER,
        content: { statement: statement(tag) },
      });
      const dsse = keyless.bundle.dsseEnvelope as { payloadType: string; payload: string; signatures: object[] };
      const signatures = [forged, real ? dsse.signatures[0]! : forged];
      await attachCosignAttestations(target, subjects[tag]!, [
        {
          envelope: Buffer.from(JSON.stringify({ payloadType: dsse.payloadType, payload: dsse.payload, signatures })),
          predicateType: SLSA1,
          annotations: {
            'dev.sigstore.cosign/certificate': keyless.certificatePem,
            'dev.sigstore.cosign/chain': '',
            'dev.sigstore.cosign/bundle': keyless.rekorBundle!,
          },
        },
      ]);
    }
  });

  after(async () => {
    await registry?.stop();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('an image with only a GitHub-style provenance bundle has no signatures: verify exits 1, --attestations verifies it, the audit says unsigned', async () => {
    const run = await cli(['verify', ref('gh'), ...sigstoreTrust(), ...flags]);
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.stdout.trim(), `${ref('gh')} (${subjects.gh!.digest}) has no signatures`);
    assert.match(
      run.stderr,
      /^note: 1 attestation \(statements about it, not signatures of it\): stowage verify --attestations checks them$/m,
    );
    const attestations = await cliOk(['verify', ref('gh'), '--attestations', ...sigstoreTrust(), ...flags]);
    assert.match(
      attestations.stdout,
      /^verified {2}sha256:[a-f0-9]{64} \(Sigstore bundle layer [a-f0-9]{12}\) https:\/\/slsa\.dev\/provenance\/v1 signed by OIDC issuer "[^"]+", identity "https:\/\/github\.com\/acme\//m,
    );
    const audit = await cli([
      'verify',
      '--tags',
      'gh',
      repo(),
      ...sigstoreTrust(),
      '--require',
      'provenance',
      ...flags,
    ]);
    assert.equal(audit.code, 1, audit.stdout);
    assert.match(audit.stdout, /^gh +unsigned +[a-f0-9]{12} +none +- +https:\/\/slsa\.dev\/provenance\/v1$/m);
  });

  it('an SBOM signed on its own with stowage sign is verified evidence (--require sbom passes); one signed by an untrusted key fails its tag', async () => {
    const run = await cli([
      'verify',
      '--tags',
      'sbom-*',
      repo(),
      '--trust-cert',
      cert('trusted'),
      '--require',
      'sbom',
      ...flags,
    ]);
    assert.equal(run.code, 1, run.stdout);
    const row = (tag: string) => run.stdout.split('\n').find((line) => line.startsWith(`${tag} `)) ?? '';
    assert.match(row('sbom-signed'), /^sbom-signed +passed +[a-f0-9]{12} +1 verified +SPDX +-$/);
    assert.match(row('sbom-stranger'), /^sbom-stranger +failed +[a-f0-9]{12} .* SPDX \(unverified\) +-$/);
    assert.match(
      run.stdout,
      /^sbom-signed: SBOM SPDX sha256:[a-f0-9]{12}: verified notary sha256:[a-f0-9]{12} signed at \S+ by .*CN=trusted signer/m,
    );
    assert.match(run.stdout, /^sbom-stranger: SBOM SPDX sha256:[a-f0-9]{12}: FAILED notary /m);
    const json = JSON.parse(
      (
        await cliOk([
          'verify',
          '--tags',
          'sbom-signed',
          repo(),
          '--trust-cert',
          cert('trusted'),
          '--require',
          'sbom',
          '--format',
          'json',
          ...flags,
        ])
      ).stdout,
    ) as RepositoryAudit;
    assert.equal(json.passed, true);
    assert.deepEqual(
      json.tags[0]!.sboms.map((s) => [s.format, s.via, s.verified, s.signatures?.map((x) => [x.kind, x.status])]),
      [['SPDX', 'referrer', true, [['notary', 'verified']]]],
    );
  });

  it("another image's signed SBOM under this tag's cosign .sbom tag is not this tag's verified SBOM: unverified, saying why", async () => {
    const run = await cli([
      'verify',
      '--tags',
      'sbom-borrowed',
      repo(),
      '--trust-cert',
      cert('trusted'),
      ...sigstoreTrust(),
      '--require',
      'sbom',
      ...flags,
    ]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /^sbom-borrowed +unverified sbom +[a-f0-9]{12} +1 verified +SPDX \(unverified\) +-$/m);
    assert.match(
      run.stdout,
      new RegExp(
        `^sbom-borrowed: SBOM SPDX sha256:[a-f0-9]{12}: its signatures are not counted for this tag: its manifest names ${subjects['sbom-signed']!.digest} as its subject`,
        'm',
      ),
    );
  });

  it('a keyless .att envelope with a forged signature beside the real one verifies, saying which; one of forged signatures fails, naming each', async () => {
    const mixed = await cliOk(['verify', ref('att-mixed'), '--attestations', ...sigstoreTrust(), ...flags]);
    assert.match(
      mixed.stdout,
      /^verified {2}.*https:\/\/slsa\.dev\/provenance\/v1 signature 2 of 2 of its envelope, signed by OIDC issuer "[^"]*", identity ".*"$/m,
    );
    // JSON keeps the signer as the certificate says it and the signature's position apart (they were one string).
    const json = await cliOk([
      'verify',
      ref('att-mixed'),
      '--attestations',
      '--format',
      'json',
      ...sigstoreTrust(),
      ...flags,
    ]);
    const entries = JSON.parse(json.stdout) as { ok: boolean; signer: string; envelopeSignature?: unknown }[];
    const entry = entries.find((e) => e.ok);
    assert.ok(entry, json.stdout);
    assert.doesNotMatch(entry.signer, /signature \d of \d/);
    assert.match(entry.signer, /^OIDC issuer "[^"]*", identity "/);
    assert.deepEqual(entry.envelopeSignature, { index: 2, of: 2 });
    const forged = await cli(['verify', ref('att-forged'), '--attestations', ...sigstoreTrust(), ...flags]);
    assert.equal(forged.code, 1, forged.stdout);
    assert.match(forged.stdout, /^FAILED .*signature 1 of 2: .*; signature 2 of 2: /m);
  });
});
