// cosign signatures verified against a real registry. The fixtures follow cosign's signature format and are
// made without Stowage's signing code: keys and signatures come from the openssl command line, the manifests
// are written here from the format, and only the pushes go through Stowage's core.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { addToFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { requireTool } from '../../fixtures/tools';
import { cli, cliOk } from '../../helpers/runCli';
import { simpleSigningPayload } from '../../helpers/cosignAttestation';

const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const KEYLESS =
  'not verified: a keyless Sigstore signature, and no Sigstore trusted root was given (stowage.trust.sigstoreTrustedRoot or --sigstore-trusted-root)';

interface CosignLayer {
  payload: Buffer;
  annotations: Record<string, string>;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('stowage verify --cosign-key against a real registry (openssl-made cosign signatures)', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let openssl: string;
  let target: RegistryTarget;
  const flags = ['--plain-http'];
  const subjects: Record<string, Descriptor> = {};
  const ref = (name: string) => `${registry.host}/cosign/app:${name}`;
  const file = (name: string) => path.join(home, name);

  function run(args: string[]): void {
    execFileSync(openssl, args, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** `openssl dgst -sha256 -sign KEY` over the payload bytes, base64 as cosign stores it. */
  async function opensslSign(key: string, payload: Buffer): Promise<string> {
    await fs.writeFile(file('payload.json'), payload);
    run(['dgst', '-sha256', '-sign', key, '-out', 'payload.sig', 'payload.json']);
    return (await fs.readFile(file('payload.sig'))).toString('base64');
  }

  async function pushBlob(bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const descriptor = { mediaType, digest: sha256(bytes), size: bytes.length };
    await target.pushBlob(descriptor, async () => Readable.from([bytes]));
    return descriptor;
  }

  /**
   * cosign's legacy form: a manifest tagged `sha256-<hex>.sig` whose layers are the payloads, each carrying its
   * signature (and keyless material) as annotations; or, with `referrer`, the OCI 1.1 form cosign writes with
   * an artifactType and a subject (recorded in the fallback index, as this registry has no referrers API).
   */
  async function pushCosignSignature(
    subject: Descriptor,
    layers: CosignLayer[],
    form: 'tag' | 'referrer' = 'tag',
  ): Promise<Descriptor> {
    const layerDescriptors: Descriptor[] = [];
    for (const layer of layers)
      layerDescriptors.push({ ...(await pushBlob(layer.payload, SIMPLE_SIGNING)), annotations: layer.annotations });
    const config =
      form === 'tag'
        ? await pushBlob(
            Buffer.from(
              JSON.stringify({
                architecture: '',
                created: '0001-01-01T00:00:00Z',
                os: '',
                rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.payload)) },
                config: {},
              }),
            ),
            'application/vnd.oci.image.config.v1+json',
          )
        : await pushBlob(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      ...(form === 'referrer' ? { artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' } : {}),
      config,
      layers: layerDescriptors,
      ...(form === 'referrer'
        ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } }
        : {}),
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const descriptor: Descriptor = { mediaType: OCI_MANIFEST, digest: sha256(bytes), size: bytes.length };
    if (form === 'tag') {
      await target.pushManifest(descriptor, bytes, { tag: `${subject.digest.replace(':', '-')}.sig` });
    } else {
      await target.pushManifest(descriptor, bytes);
      await addToFallbackIndex(target, subject.digest, { ...descriptor, artifactType: manifest.artifactType });
    }
    return descriptor;
  }

  async function signedLayer(
    key: string,
    subject: Descriptor,
    name: string,
    extra: Record<string, string> = {},
  ): Promise<CosignLayer> {
    const payload = simpleSigningPayload(subject.digest, `${registry.host}/cosign/app:${name}`);
    return {
      payload,
      annotations: { 'dev.cosignproject.cosign/signature': await opensslSign(key, payload), ...extra },
    };
  }

  before(async () => {
    openssl = requireTool('openssl');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cosign-'));
    registry = await startRegistry({ variant: 'plain' });
    target = new RegistryTarget(new RegistryClient({ host: registry.host, plainHttp: true }), 'cosign/app');
    // Keys as cosign users make them with openssl: P-256 (cosign's default), another P-256, P-384 and RSA.
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'release.key']);
    run(['ec', '-in', 'release.key', '-pubout', '-out', 'release.pub']);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'other.key']);
    run(['ec', '-in', 'other.key', '-pubout', '-out', 'other.pub']);
    run(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'p384.key']);
    run(['ec', '-in', 'p384.key', '-pubout', '-out', 'p384.pub']);
    run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key']);
    run(['pkey', '-in', 'rsa.key', '-pubout', '-out', 'rsa.pub']);
    // Keyless stand-in: an ephemeral key with a short-lived certificate, as Fulcio would issue.
    run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ephemeral.key',
      '-out',
      'ephemeral.crt',
      '-days',
      '1',
      '-subj',
      '/O=sigstore.dev',
    ]);

    for (const name of ['good', 'elsewhere', 'altered', 'keyless', 'multi', 'referrer']) {
      await fs.writeFile(file(`${name}.txt`), `the ${name} artifact\n`);
      await cliOk(['push', ref(name), file(`${name}.txt`), ...flags]);
      subjects[name] = await target.resolve(name);
    }
    await pushCosignSignature(subjects.good!, [await signedLayer(file('release.key'), subjects.good!, 'good')]);

    // Signed by the right key, but the payload names the "good" manifest while attached to this one.
    const elsewhere = simpleSigningPayload(subjects.good!.digest, ref('good'));
    await pushCosignSignature(subjects.elsewhere!, [
      {
        payload: elsewhere,
        annotations: { 'dev.cosignproject.cosign/signature': await opensslSign(file('release.key'), elsewhere) },
      },
    ]);

    // A valid signature with one bit flipped in the annotation.
    const altered = await signedLayer(file('release.key'), subjects.altered!, 'altered');
    const bytes = Buffer.from(altered.annotations['dev.cosignproject.cosign/signature']!, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    await pushCosignSignature(subjects.altered!, [
      { ...altered, annotations: { 'dev.cosignproject.cosign/signature': bytes.toString('base64') } },
    ]);

    const certificate = await fs.readFile(file('ephemeral.crt'), 'utf8');
    const bundle = JSON.stringify({
      SignedEntryTimestamp: 'MEUCIQ==',
      Payload: { body: 'e30=', integratedTime: 1700000000, logIndex: 1, logID: 'c0d23d6a' },
    });
    await pushCosignSignature(subjects.keyless!, [
      await signedLayer(file('ephemeral.key'), subjects.keyless!, 'keyless', {
        'dev.sigstore.cosign/certificate': certificate,
        'dev.sigstore.cosign/bundle': bundle,
      }),
    ]);

    // cosign appends a layer per signature to the one `.sig` manifest.
    await pushCosignSignature(subjects.multi!, [
      await signedLayer(file('p384.key'), subjects.multi!, 'multi'),
      await signedLayer(file('rsa.key'), subjects.multi!, 'multi'),
    ]);

    await pushCosignSignature(
      subjects.referrer!,
      [await signedLayer(file('release.key'), subjects.referrer!, 'referrer')],
      'referrer',
    );
  });

  after(async () => {
    await registry?.stop();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('verifies a .sig tag signature with the right key (also when other keys are given) and names the key', async () => {
    const alone = await cliOk(['verify', ref('good'), '--cosign-key', file('release.pub'), ...flags]);
    assert.match(
      alone.stdout,
      /^verified {2}sha256:[a-f0-9]{64} \(cosign layer [a-f0-9]{12}\) signed by cosign key .*release\.pub \(ECDSA P-256, SHA256:[a-f0-9]{16}\)$/m,
    );
    const several = await cliOk([
      'verify',
      ref('good'),
      '--cosign-key',
      file('other.pub'),
      '--cosign-key',
      file('release.pub'),
      ...flags,
    ]);
    assert.match(several.stdout, /^verified .*release\.pub/m);
  });

  it('fails with another key', async () => {
    const run = await cli(['verify', ref('good'), '--cosign-key', file('other.pub'), ...flags]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^FAILED {4}sha256:[a-f0-9]{64} \(cosign layer [a-f0-9]{12}\): the signature does not verify with the cosign public key .*other\.pub/m,
    );
  });

  it('fails when the signed payload names another manifest', async () => {
    const run = await cli(['verify', ref('elsewhere'), '--cosign-key', file('release.pub'), ...flags]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(
        `^FAILED .*: the payload signs manifest ${subjects.good!.digest}, not ${subjects.elsewhere!.digest}$`,
        'm',
      ),
    );
  });

  it('fails when the signature annotation was altered', async () => {
    const run = await cli(['verify', ref('altered'), '--cosign-key', file('release.pub'), ...flags]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^FAILED .*does not verify with the cosign public key/m);
  });

  it('reports a keyless signature as not verified, with the reason, in text and JSON', async () => {
    const run = await cli(['verify', ref('keyless'), '--cosign-key', file('release.pub'), ...flags]);
    assert.equal(run.code, 1, 'nothing verified, so verify does not pass');
    assert.match(
      run.stdout,
      new RegExp(
        `^UNCHECKED sha256:[a-f0-9]{64} \\(cosign layer [a-f0-9]{12}\\): ${KEYLESS.replace(/[()]/g, '\\$&')}$`,
        'm',
      ),
    );
    const json = JSON.parse(
      (await cli(['verify', ref('keyless'), '--cosign-key', file('release.pub'), '--format', 'json', ...flags])).stdout,
    ) as Array<Record<string, unknown>>;
    assert.equal(json.length, 1);
    assert.deepEqual(
      [json[0]!.kind, json[0]!.ok, json[0]!.unverifiable, json[0]!.reasons],
      ['cosign', false, true, [KEYLESS]],
    );
  });

  it('verifies every layer of a .sig manifest: P-384 and RSA signatures made by openssl', async () => {
    const run = await cliOk([
      'verify',
      ref('multi'),
      '--cosign-key',
      file('p384.pub'),
      '--cosign-key',
      file('rsa.pub'),
      ...flags,
    ]);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 2, run.stdout);
    assert.match(lines[0]!, /^verified .*p384\.pub \(ECDSA P-384,/);
    assert.match(lines[1]!, /^verified .*rsa\.pub \(RSA 2048,/);
    const partly = await cli(['verify', ref('multi'), '--cosign-key', file('p384.pub'), ...flags]);
    assert.equal(partly.code, 1, 'one layer signed by a key nobody trusts fails the whole verify');
  });

  it("verifies a signature stored as an OCI 1.1 referrer with cosign's artifact type", async () => {
    const run = await cliOk(['verify', ref('referrer'), '--cosign-key', file('release.pub'), ...flags]);
    assert.match(run.stdout, /^verified .*\(cosign layer [a-f0-9]{12}\) signed by cosign key/m);
  });

  it('refuses a private key given as --cosign-key, and verify without any trust material', async () => {
    const privateKey = await cli(['verify', ref('good'), '--cosign-key', file('release.key'), ...flags]);
    assert.notEqual(privateKey.code, 0);
    assert.match(privateKey.stderr, /this is a private key/);
    const nothing = await cli(['verify', ref('good'), ...flags]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /--trust-cert or --cosign-key/);
  });
});
