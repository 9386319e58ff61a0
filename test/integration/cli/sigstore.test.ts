// `stowage verify` with a Sigstore trusted root and identity flags, against the real registry: Sigstore bundle
// referrers (as cosign v3 attaches them, here in the fallback index of distribution) and a keyless `.sig`,
// signed by a private Sigstore that @sigstore/mock builds offline at test time (its own CA, logs and TSA keys).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { pushReferrer } from '../../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';
import {
  bundleReferrer,
  cosignStatement,
  createMockSigstore,
  sigstoreTrustFlags,
  TEST_IDENTITY as IDENTITY,
  TEST_ISSUER as ISSUER,
  type MockSigstore,
} from '../../helpers/sigstoreFixtures';
import { simpleSigningPayload } from '../../helpers/cosignAttestation';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/**
 * An identity a loose rule lets through (any workflow of acme), 10 KB long, that writes the issuer Stowage used to
 * append after it, and a quote to close the one Stowage puts around it.
 */
const IMPOSTOR = `https://github.com/acme/app/x.yml" (OIDC issuer https://accounts.google.com) ${'A'.repeat(10_000)}`;

describe('stowage verify --sigstore-trusted-root against a real registry (@sigstore/mock bundles)', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let target: RegistryTarget;
  let sigstore: MockSigstore;
  const subjects: Record<string, Descriptor> = {};
  const flags = ['--plain-http'];
  const ref = (name: string) => `${registry.host}/sigstore/app:${name}`;
  const file = (name: string) => path.join(home, name);
  const trust = (identity = IDENTITY, issuer = ISSUER) =>
    sigstoreTrustFlags(file('trusted_root.json'), identity, issuer);

  async function attachBundle(subject: Descriptor, statementDigest: string, identity = IDENTITY): Promise<void> {
    const { bundle } = await sigstore.keyless({
      identity,
      issuer: ISSUER,
      content: { statement: cosignStatement(statementDigest, `${registry.host}/sigstore/app`) },
    });
    const referrer = bundleReferrer(subject, bundle);
    await pushReferrer(target, referrer.manifest, referrer.blobs);
  }

  /** cosign's legacy keyless form: a `sha256-<hex>.sig` tag, certificate and Rekor bundle as layer annotations. */
  async function attachKeylessSig(subject: Descriptor): Promise<void> {
    const payload = simpleSigningPayload(subject.digest, `${registry.host}/sigstore/app`);
    const signed = await sigstore.keyless({ identity: IDENTITY, issuer: ISSUER, content: { message: payload } });
    const push = async (bytes: Buffer, mediaType: string): Promise<Descriptor> => {
      const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
      await target.pushBlob(descriptor, async () => Readable.from([bytes]));
      return descriptor;
    };
    const layer = {
      ...(await push(payload, 'application/vnd.dev.cosign.simplesigning.v1+json')),
      annotations: {
        'dev.cosignproject.cosign/signature': signed.signature.toString('base64'),
        'dev.sigstore.cosign/certificate': signed.certificatePem,
        'dev.sigstore.cosign/chain': '',
        'dev.sigstore.cosign/bundle': signed.rekorBundle!,
      },
    };
    const config = await push(Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }));
    await target.pushManifest({ mediaType: OCI_MANIFEST, digest: digestOf(bytes), size: bytes.length }, bytes, {
      tag: `${subject.digest.replace(':', '-')}.sig`,
    });
  }

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-sigstore-'));
    registry = await startRegistry({ variant: 'plain' });
    target = new RegistryTarget(new RegistryClient({ host: registry.host, plainHttp: true }), 'sigstore/app');
    sigstore = await createMockSigstore();
    await fs.writeFile(file('trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    await fs.writeFile(file('other_root.json'), JSON.stringify((await createMockSigstore()).trustedRoot));
    for (const name of ['signed', 'elsewhere', 'stranger', 'legacy', 'impostor']) {
      await fs.writeFile(file(`${name}.txt`), `the ${name} artifact\n`);
      await cliOk(['push', ref(name), file(`${name}.txt`), ...flags]);
      subjects[name] = await target.resolve(name);
    }
    await attachBundle(subjects.signed!, subjects.signed!.digest);
    // Attached to "elsewhere", but the statement is about "signed".
    await attachBundle(subjects.elsewhere!, subjects.signed!.digest);
    await attachBundle(
      subjects.stranger!,
      subjects.stranger!.digest,
      'https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main',
    );
    await attachKeylessSig(subjects.legacy!);
    await attachBundle(subjects.impostor!, subjects.impostor!.digest, IMPOSTOR);
  });

  after(async () => {
    await registry?.stop();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('verifies a bundle referrer: exit 0, the signer identity and issuer, the log time; JSON says kind "sigstore"', async () => {
    const run = await cliOk(['verify', ref('signed'), ...trust(), ...flags]);
    assert.match(
      run.stdout,
      new RegExp(
        `^verified  sha256:[a-f0-9]{64} \\(Sigstore bundle [a-f0-9]{12}\\) signed at 20\\d\\d-\\S+ by OIDC issuer "https://token\\.actions\\.githubusercontent\\.com", identity "${IDENTITY.replace(/[.?/]/g, '\\$&')}"$`,
        'm',
      ),
    );
    const json = JSON.parse(
      (await cliOk(['verify', ref('signed'), ...trust(), '--format', 'json', ...flags])).stdout,
    ) as Array<Record<string, unknown>>;
    assert.deepEqual(
      json.map((r) => [r.kind, r.ok]),
      [['sigstore', true]],
    );
  });

  it('names the issuer first and the identity quoted, cut to 200 characters: a 10 KB identity imitating an issuer cannot pass for one (JSON keeps it whole)', async () => {
    const loose = [
      '--sigstore-trusted-root',
      file('trusted_root.json'),
      '--certificate-identity-regexp',
      '^https://github\\.com/acme/',
      '--certificate-oidc-issuer',
      ISSUER,
    ];
    const run = await cliOk(['verify', ref('impostor'), ...loose, ...flags]);
    const line = run.stdout.split('\n').find((l) => l.startsWith('verified'));
    assert.ok(line, run.stdout);
    const signer = `OIDC issuer "${ISSUER}", identity "https://github.com/acme/app/x.yml\\" (OIDC issuer https://accounts.google.com) AAA`;
    const by = line.slice(line.indexOf(' by ') + ' by '.length);
    assert.ok(by.startsWith(signer), by.slice(0, 300));
    assert.equal(by.length, 201, 'cut at 200 characters and "…"');
    assert.ok(by.endsWith('A…'), by.slice(-20));
    const [json] = JSON.parse(
      (await cliOk(['verify', ref('impostor'), ...loose, '--format', 'json', ...flags])).stdout,
    ) as {
      signer: string;
    }[];
    assert.equal(json!.signer, `OIDC issuer "${ISSUER}", identity ${JSON.stringify(IMPOSTOR)}`);
  });

  it('accepts regular-expression identity and issuer flags', async () => {
    await cliOk([
      'verify',
      ref('signed'),
      '--sigstore-trusted-root',
      file('trusted_root.json'),
      '--certificate-identity-regexp',
      '^https://github\\.com/acme/app/',
      '--certificate-oidc-issuer-regexp',
      '^https://token\\.actions\\.',
      ...flags,
    ]);
  });

  it('fails (exit 1) for a wrong identity, a wrong issuer, another signer, and an untrusted root, each with its reason', async () => {
    const wrongIdentity = await cli(['verify', ref('signed'), ...trust('https://github.com/acme/other'), ...flags]);
    assert.equal(wrongIdentity.code, 1);
    assert.match(
      wrongIdentity.stdout,
      /^FAILED {4}.*\(Sigstore bundle .*does not match the identity rule https:\/\/github\.com\/acme\/other from/m,
    );
    const wrongIssuer = await cli([
      'verify',
      ref('signed'),
      ...trust(IDENTITY, 'https://accounts.google.com'),
      ...flags,
    ]);
    assert.equal(wrongIssuer.code, 1);
    assert.match(
      wrongIssuer.stdout,
      /the certificate's OIDC issuer "https:\/\/token\.actions\.githubusercontent\.com", identity "https:\/\/github\.com\/acme\/app\/\S+" does not match/,
    );
    const stranger = await cli(['verify', ref('stranger'), ...trust(), ...flags]);
    assert.equal(stranger.code, 1);
    assert.match(stranger.stdout, /identity "https:\/\/github\.com\/evil\/app/);
    const untrusted = await cli([
      'verify',
      ref('signed'),
      ...trust().map((arg) => (arg === file('trusted_root.json') ? file('other_root.json') : arg)),
      ...flags,
    ]);
    assert.equal(untrusted.code, 1);
    assert.match(
      untrusted.stdout,
      /the signing certificate is not trusted by the Sigstore trusted root --sigstore-trusted-root .*other_root\.json at the signing time/,
    );
  });

  it('fails a valid bundle whose statement is about another artifact (subject mismatch)', async () => {
    const run = await cli(['verify', ref('elsewhere'), ...trust(), ...flags]);
    assert.equal(run.code, 1);
    assert.ok(
      run.stdout.includes(
        `the signed statement's subjects are ${subjects.signed!.digest}, not ${subjects.elsewhere!.digest}`,
      ),
      run.stdout,
    );
  });

  it('verifies a keyless cosign .sig (certificate and Rekor bundle annotations) with the same flags', async () => {
    const run = await cliOk(['verify', ref('legacy'), ...trust(), ...flags]);
    assert.match(
      run.stdout,
      /^verified {2}sha256:[a-f0-9]{64} \(cosign layer [a-f0-9]{12}\) signed at \S+ by OIDC issuer "[^"]+", identity "https:\/\/github\.com\/acme\/app/m,
    );
  });

  it('without a trusted root, reports the bundle as not checked and names the flag; refuses half-given trust', async () => {
    await fs.writeFile(
      file('cosign.pub'),
      (await import('node:crypto'))
        .generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    const unchecked = await cli(['verify', ref('signed'), '--cosign-key', file('cosign.pub'), ...flags]);
    assert.equal(unchecked.code, 1);
    assert.match(
      unchecked.stdout,
      /^UNCHECKED .*\(Sigstore bundle .*no Sigstore trusted root was given \(stowage\.trust\.sigstoreTrustedRoot or --sigstore-trusted-root\)$/m,
    );
    const noIdentity = await cli([
      'verify',
      ref('signed'),
      '--sigstore-trusted-root',
      file('trusted_root.json'),
      ...flags,
    ]);
    assert.notEqual(noIdentity.code, 0);
    assert.match(noIdentity.stderr, /--sigstore-trusted-root needs who may sign: --certificate-identity/);
    const noRoot = await cli([
      'verify',
      ref('signed'),
      '--certificate-identity',
      IDENTITY,
      '--certificate-oidc-issuer',
      ISSUER,
      ...flags,
    ]);
    assert.notEqual(noRoot.code, 0);
    assert.match(noRoot.stderr, /need --sigstore-trusted-root/);
    const notRoot = await cli([
      'verify',
      ref('signed'),
      ...trust().map((arg) => (arg === file('trusted_root.json') ? file('cosign.pub') : arg)),
      ...flags,
    ]);
    assert.notEqual(notRoot.code, 0);
    assert.match(notRoot.stderr, /Sigstore trusted root --sigstore-trusted-root .*cosign\.pub: not JSON/);
  });
});
