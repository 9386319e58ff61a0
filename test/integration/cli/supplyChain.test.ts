// Sign, verify and SBOM end to end against a real registry (no referrers API, so the fallback tag carries the
// graph): SBOM attached, artifact and SBOM signed, three levels discovered, and verification that fails for a
// replaced signature blob and for an untrusted certificate. jose checks the JWS independently.
import * as assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { digestOf } from '../../../src/core/content/hashing';
import { isIndex, type Descriptor, type ImageManifest } from '../../../src/core/oci/descriptor';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { listReferrers, referrerEntry } from '../../../src/core/graph/referrers';
import { addToFallbackIndex, removeFromFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { validateSbom } from '../../../src/core/sbom';
import { readSmallBlob } from '../../../src/core/content';
import type { ReferrerGraph } from '../../../src/core/graph/referrerGraph';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

describe('stowage sign, verify and sbom against a real registry', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let flags: string[];
  let ref: string;
  let keys: { trusted: { key: string; cert: string }; stranger: { key: string; cert: string } };

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-supply-'));
    registry = await startRegistry({ variant: 'plain' });
    flags = ['--plain-http'];
    ref = `${registry.host}/supply/app:v1`;
    await fs.writeFile(path.join(home, 'app.txt'), 'the application\n');
    await fs.writeFile(path.join(home, 'config.yaml'), 'replicas: 2\n');
    await cliOk(['push', ref, path.join(home, 'app.txt'), path.join(home, 'config.yaml'), ...flags]);
    const made = await Promise.all(
      ['trusted', 'stranger'].map(async (name) => {
        await cliOk([
          'key',
          'create',
          '--out',
          path.join(home, 'keys'),
          '--name',
          name,
          '--subject',
          `CN=${name} signer`,
        ]);
        return { key: path.join(home, 'keys', `${name}.key.pem`), cert: path.join(home, 'keys', `${name}.crt.pem`) };
      }),
    );
    keys = { trusted: made[0]!, stranger: made[1]! };
  });

  after(async () => {
    await registry.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  const repoTarget = () =>
    new RegistryTarget(new RegistryClient({ host: registry.host, plainHttp: true }), 'supply/app');

  it('creates a key readable only by its owner, next to its certificate', async () => {
    assert.equal((await fs.stat(keys.trusted.key)).mode & 0o777, 0o600);
    assert.match(new X509Certificate(await fs.readFile(keys.trusted.cert)).subject, /CN=trusted signer/);
    const other = await cliOk(['key', 'create', '--out', path.join(home, 'keys'), '--name', 'next steps']);
    const [key, cert] = ['key', 'crt'].map((kind) => `'${path.join(home, 'keys', `next steps.${kind}.pem`)}'`);
    assert.deepEqual(
      other.stdout.split('\n').slice(2),
      [
        `sign with: stowage sign <reference> --key ${key} --cert ${cert}`,
        `verify with: stowage verify <reference> --trust-cert ${cert}`,
        '',
      ],
      'says which file goes to which flag, quoted for the shell',
    );
    const again = await cli(['key', 'create', '--out', path.join(home, 'keys'), '--name', 'trusted']);
    assert.equal(again.code, 1, 'an existing key is never overwritten');
    assert.match(again.stderr, /already exists/);
  });

  it('generates SBOMs that pass the CycloneDX and SPDX validators and list the titled files', async () => {
    const cdx = await cliOk(['sbom', ref, ...flags]);
    assert.deepEqual(await validateSbom(cdx.stdout), []);
    const components = (JSON.parse(cdx.stdout) as { components: Array<{ name: string }> }).components.map(
      (c) => c.name,
    );
    assert.ok(components.includes('app.txt') && components.includes('config.yaml'), components.join(','));
    const spdxFile = path.join(home, 'sbom.spdx.json');
    await cliOk(['sbom', ref, '--format', 'spdx', '-o', spdxFile, ...flags]);
    const spdx = await fs.readFile(spdxFile);
    assert.deepEqual(await validateSbom(spdx), []);
    assert.deepEqual(
      (JSON.parse(spdx.toString()) as { files: Array<{ fileName: string }> }).files.map((f) => f.fileName).sort(),
      ['./app.txt', './config.yaml'],
      'SPDX names files relative to the package root',
    );
  });

  it('attaches an SBOM, signs the artifact and the SBOM; discover shows three levels through the fallback tag; verify passes', async () => {
    const attached = await cliOk(['sbom', ref, '--attach', ...flags]);
    const sbomDigest = /attached (sha256:[a-f0-9]{64})/.exec(attached.stderr)?.[1];
    assert.ok(sbomDigest, attached.stderr);
    const signed = await cliOk(['sign', ref, '--key', keys.trusted.key, '--cert', keys.trusted.cert, ...flags]);
    assert.match(
      signed.stdout,
      new RegExp(
        `^Signed ${escape(registry.host)}/supply/app@sha256:[a-f0-9]{64} \\(Notary signature sha256:[a-f0-9]{64}\\)\n$`,
      ),
      'names what was signed, not only its digest',
    );
    const sbomRef = `${registry.host}/supply/app@${sbomDigest}`;
    await cliOk(['sign', sbomRef, '--key', keys.trusted.key, '--cert', keys.trusted.cert, ...flags]);

    const graph = JSON.parse((await cliOk(['discover', ref, '--format', 'graph', ...flags])).stdout) as ReferrerGraph;
    const byType = (type: string) => graph.nodes.filter((n) => n.descriptor.artifactType === type);
    assert.equal(graph.nodes.length, 4);
    assert.deepEqual(
      byType(MediaType.cyclonedx).map((n) => n.depth),
      [1],
    );
    assert.deepEqual(
      byType(MediaType.notarySignature)
        .map((n) => n.depth)
        .sort(),
      [1, 2],
    );
    assert.equal(graph.edges.length, 3);
    assert.ok(
      graph.edges.every((e) => e.source === 'fallback-tag'),
      JSON.stringify(graph.edges),
    );
    const deepSignature = byType(MediaType.notarySignature).find((n) => n.depth === 2)!;
    assert.ok(graph.edges.some((e) => e.from === sbomDigest && e.to === deepSignature.descriptor.digest));

    const verified = await cliOk(['verify', ref, '--trust-cert', keys.trusted.cert, ...flags]);
    assert.match(verified.stdout, /^verified {2}sha256:[a-f0-9]{64} signed at \S+ by CN=trusted signer/);
    await cliOk(['verify', sbomRef, '--trust-cert', keys.trusted.cert, ...flags]);
  });

  it('the signature verifies with jose, an independent JWS implementation', async () => {
    const target = repoTarget();
    const subject = await target.resolve('v1');
    const envelope = await signatureEnvelope(target, subject);
    const parsed = JSON.parse(envelope.toString()) as {
      protected: string;
      payload: string;
      signature: string;
      header: { x5c: string[] };
    };
    const leaf = new X509Certificate(Buffer.from(parsed.header.x5c[0]!, 'base64'));
    const jose: typeof Jose = await import('jose');
    const { payload, protectedHeader } = await jose.flattenedVerify(parsed, leaf.publicKey, {
      crit: { 'io.cncf.notary.signingScheme': true },
    });
    assert.equal(protectedHeader?.cty, 'application/vnd.cncf.notary.payload.v1+json');
    assert.deepEqual(JSON.parse(Buffer.from(payload).toString()), {
      targetArtifact: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    });
  });

  it("verify names another artifact's signature listed under this one as not a referrer, and still passes on its own", async () => {
    const otherRef = `${registry.host}/supply/app:other`;
    await cliOk(['push', otherRef, path.join(home, 'config.yaml'), ...flags]);
    await cliOk(['sign', otherRef, '--key', keys.trusted.key, '--cert', keys.trusted.cert, ...flags]);
    const target = repoTarget();
    const [subject, other] = await Promise.all([target.resolve('v1'), target.resolve('other')]);
    const [foreign] = await listReferrers(target, other.digest, { artifactType: MediaType.notarySignature });
    // Anyone who can push can list another artifact's valid signature in v1's fallback tag.
    await addToFallbackIndex(target, subject.digest, foreign!.descriptor);
    try {
      const verified = await cli(['verify', ref, '--trust-cert', keys.trusted.cert, ...flags]);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.doesNotMatch(verified.stdout, new RegExp(foreign!.descriptor.digest), 'not shown as a signature of v1');
      assert.match(verified.stdout, /^verified {2}sha256:[a-f0-9]{64} signed at \S+ by CN=trusted signer/);
      assert.equal(
        verified.stderr,
        `warning: ${foreign!.descriptor.digest} is listed as a referrer of ${subject.digest} but is not one (its manifest names ${other.digest} as its subject); not verified\n`,
      );
    } finally {
      await removeFromFallbackIndex(target, subject.digest, foreign!.descriptor.digest);
    }
  });

  it('verify fails with an untrusted certificate, and for an artifact without signatures', async () => {
    const untrusted = await cli(['verify', ref, '--trust-cert', keys.stranger.cert, ...flags]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stdout, /^FAILED .*trust/m);
    await cliOk(['push', `${registry.host}/supply/app:unsigned`, path.join(home, 'app.txt'), ...flags]);
    const none = await cli([
      'verify',
      `${registry.host}/supply/app:unsigned`,
      '--trust-cert',
      keys.trusted.cert,
      ...flags,
    ]);
    assert.equal(none.code, 1);
    // Named as it was asked for, with the digest it names.
    assert.match(none.stdout, /^\S+\/supply\/app:unsigned \(sha256:[0-9a-f]{64}\) has no signatures\n$/);
  });

  it('attach under an SBOM type attaches what it is given, as ORAS does, but names a file that is no valid SBOM of that type', async () => {
    const subject = `${registry.host}/supply/app:other-sboms`;
    await cliOk(['push', subject, path.join(home, 'app.txt'), ...flags]);
    const spdx = path.join(home, 'real.spdx.json');
    const cyclonedx = path.join(home, 'real.cdx.json');
    await cliOk(['sbom', subject, '--format', 'spdx', '-o', spdx, ...flags]);
    await cliOk(['sbom', subject, '--format', 'cyclonedx', '-o', cyclonedx, ...flags]);
    const huge = path.join(home, 'huge.spdx.json');
    await fs.writeFile(huge, '');
    await fs.truncate(huge, 65 * 1024 * 1024);
    const attach = (file: string, type: string) => cli(['attach', subject, file, '--artifact-type', type, ...flags]);
    const hint = (file: string) =>
      `; attached as given ("stowage sbom ${subject} --sbom ${file} --attach" checks an SBOM and attaches it only when valid)\n`;

    const valid = await attach(spdx, MediaType.spdx);
    assert.equal(valid.code, 0, valid.stderr);
    assert.doesNotMatch(valid.stderr, /warning/);
    const text = await attach(path.join(home, 'app.txt'), MediaType.spdx);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(
      text.stderr.includes(
        `warning: ${path.join(home, 'app.txt')}: the document is neither SPDX JSON nor CycloneDX JSON${hint(path.join(home, 'app.txt'))}`,
      ),
      text.stderr,
    );
    const other = await attach(cyclonedx, MediaType.spdx);
    assert.ok(
      other.stderr.includes(`warning: ${cyclonedx}: a CycloneDX document, not ${MediaType.spdx}${hint(cyclonedx)}`),
      other.stderr,
    );
    const tooLarge = await attach(huge, MediaType.cyclonedx);
    assert.equal(tooLarge.code, 0, tooLarge.stderr);
    assert.match(tooLarge.stderr, /huge\.spdx\.json is 65 MiB, more than the 64 MiB an SBOM is validated up to/);
    const refused = await cli(['sbom', subject, '--sbom', huge, '--attach', ...flags]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /huge\.spdx\.json is 65 MiB, more than the 64 MiB an SBOM is validated up to/);
  });

  it('sbom --sbom FILE validates your own SBOM, attaches it only with --attach, and refuses an invalid one before writing', async () => {
    const subject = `${registry.host}/supply/app:v1`;
    const listed = async () =>
      (await listReferrers(repoTarget(), (await repoTarget().resolve('v1')).digest)).map((r) => r.descriptor.digest);
    const own = path.join(home, 'own.spdx.json');
    await cliOk(['sbom', subject, '--format', 'spdx', '-o', own, ...flags]);
    const broken = path.join(home, 'broken.spdx.json');
    await fs.writeFile(broken, JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'incomplete' }));
    const before = await listed();

    const invalid = await cli(['sbom', subject, '--sbom', broken, '--attach', ...flags]);
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.stderr,
      /broken\.spdx\.json: the SPDX document is not valid \(\d+ problems\): .*dataLicense.*; nothing was attached/,
    );
    const checked = await cliOk(['sbom', subject, '--sbom', own, ...flags]);
    assert.match(checked.stdout, /own\.spdx\.json: a valid SPDX document \(add --attach to attach it\)/);
    assert.deepEqual(await listed(), before, 'neither an invalid SBOM nor a check alone attaches anything');

    const attached = await cliOk(['sbom', subject, '--sbom', own, '--attach', ...flags]);
    const digest = /attached (sha256:[a-f0-9]{64}) \(application\/spdx\+json\)/.exec(attached.stderr)?.[1];
    assert.ok(digest, attached.stderr);
    assert.deepEqual((await listed()).sort(), [...before, digest].sort());
    const { manifest } = await repoTarget().fetchManifest(digest);
    assert.ok(!isIndex(manifest));
    assert.equal(manifest.layers[0]!.annotations?.['org.opencontainers.image.title'], 'own.spdx.json');
  });

  it('verify refuses a --trust-cert file that holds no certificate up front, instead of failing every signature', async () => {
    const notes = path.join(home, 'notes.txt');
    await fs.writeFile(notes, 'not a certificate\n');
    const privateKey = await cli(['verify', ref, '--trust-cert', keys.trusted.key, ...flags]);
    assert.equal(privateKey.code, 1);
    assert.equal(privateKey.stdout, '', 'no signature is reported as FAILED for a mistake in the trust material');
    assert.match(
      privateKey.stderr,
      new RegExp(`trusted certificate ${escape(keys.trusted.key)}: this is a private key; give its certificate`),
    );
    const text = await cli(['verify', ref, '--trust-cert', notes, ...flags]);
    assert.equal(text.code, 1);
    assert.equal(text.stdout, '');
    assert.match(text.stderr, new RegExp(`trusted certificate ${escape(notes)}: no PEM certificate found`));
    // A file that is not there is named with the option that named it, before anything is read from the registry.
    const missing = path.join(home, 'nope.pem');
    for (const [command, option] of [
      ['verify', '--trust-cert'],
      ['verify', '--cosign-key'],
    ] as const) {
      const run = await cli([command, ref, option, missing, ...flags]);
      assert.equal(run.code, 2, 'a usage error');
      assert.match(run.stderr, new RegExp(`${option} ${escape(missing)}: no such file`), run.stderr);
    }
    const sign = await cli(['sign', ref, '--key', missing, '--cert', keys.trusted.cert, ...flags]);
    assert.equal(sign.code, 2);
    assert.match(sign.stderr, new RegExp(`--key ${escape(missing)}: no such file`), sign.stderr);
  });

  it('an UNCHECKED signature names the flag and the setting that would check it', async () => {
    const cosignKey = path.join(home, 'cosign.pub');
    await fs.writeFile(
      cosignKey,
      createPublicKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey).export({
        type: 'spki',
        format: 'pem',
      }),
    );
    // Only cosign trust material: the Notary signature cannot be checked, and says what would check it.
    const result = await cli(['verify', ref, '--cosign-key', cosignKey, ...flags]);
    assert.match(
      result.stdout,
      /^UNCHECKED sha256:[a-f0-9]{64}: not verified: no trusted certificates were given \(stowage\.trust\.certificates or --trust-cert\)$/m,
    );
  });

  it('verify fails after the signature blob is replaced by a tampered envelope', async () => {
    const target = repoTarget();
    const subject = await target.resolve('v1');
    const original = await signatureManifest(target, subject);
    // Same signature and certificates, but the payload now claims a different size.
    const envelope = JSON.parse((await readSmallBlob(target, original.manifest.layers[0]!)).toString()) as Record<
      string,
      string
    >;
    const payload = JSON.parse(Buffer.from(envelope.payload!, 'base64url').toString()) as {
      targetArtifact: Descriptor;
    };
    payload.targetArtifact.size += 1;
    const tampered = Buffer.from(
      JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(payload)).toString('base64url') }),
    );
    const layer: Descriptor = { mediaType: MediaType.jws, digest: digestOf(tampered), size: tampered.length };
    await target.pushBlob(layer, async () => Readable.from([tampered]));
    const manifest: ImageManifest = { ...original.manifest, layers: [layer] };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
    await target.pushManifest(descriptor, bytes);
    await removeFromFallbackIndex(target, subject.digest, original.descriptor.digest);
    await addToFallbackIndex(target, subject.digest, referrerEntry(descriptor, manifest));

    const run = await cli(['verify', ref, '--trust-cert', keys.trusted.cert, ...flags]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`^FAILED {4}${descriptor.digest}: .*does not verify`, 'm'));
  });

  it('signs and verifies in an OCI layout the same way, and a tampered blob file fails verification', async () => {
    const layout = path.join(home, 'layout');
    await cliOk(['push', `oci:${layout}:v1`, path.join(home, 'app.txt')]);
    await cliOk(['sign', `oci:${layout}:v1`, '--key', keys.trusted.key, '--cert', keys.trusted.cert]);
    await cliOk(['verify', `oci:${layout}:v1`, '--trust-cert', keys.trusted.cert]);
    const target = await LayoutTarget.open(layout);
    const subject = await target.resolve('v1');
    const { manifest } = await signatureManifest(target, subject);
    const blobFile = path.join(layout, 'blobs', 'sha256', manifest.layers[0]!.digest.slice('sha256:'.length));
    const bytes = await fs.readFile(blobFile);
    bytes[bytes.length - 3] ^= 1;
    await fs.writeFile(blobFile, bytes);
    const run = await cli(['verify', `oci:${layout}:v1`, '--trust-cert', keys.trusted.cert]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /digest/i, 'the store refuses bytes that no longer match their digest');
  });
});

async function signatureManifest(
  target: RegistryTarget | LayoutTarget,
  subject: Descriptor,
): Promise<{ descriptor: Descriptor; manifest: ImageManifest }> {
  const [signature] = await listReferrers(target, subject.digest, { artifactType: MediaType.notarySignature });
  assert.ok(signature, 'a signature referrer');
  const fetched = await target.fetchManifest(signature.descriptor);
  assert.ok(!isIndex(fetched.manifest));
  return { descriptor: fetched.descriptor, manifest: fetched.manifest };
}

async function signatureEnvelope(target: RegistryTarget, subject: Descriptor): Promise<Buffer> {
  const { manifest } = await signatureManifest(target, subject);
  return readSmallBlob(target, manifest.layers[0]!);
}

/** `text` matched literally inside a regular expression (file paths). */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
