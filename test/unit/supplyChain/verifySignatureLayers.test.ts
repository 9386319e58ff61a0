// A signature manifest is anyone's bytes: a hostile `.sig` tag or Sigstore referrer of 4 MiB holds some 20,000
// signature layers, each a blob read and a verification, for each of the referrers verify reads. Beyond
// MAX_SIGNATURE_LAYERS none is read, and the manifest counts as a failed signature (an unread layer may be a bad one).
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { digestOf } from '../../../src/core/content/hashing';
import type { Target, TransferOptions } from '../../../src/core/content';
import { generateKeyPairSync, sign } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout';
import { cli, cliOk } from '../../helpers/runCli';
import { MemoryTarget } from '../../../src/core/memory';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { indexReferrer } from '../../../src/core/graph/fallbackIndex';
import { MAX_DSSE_SIGNATURES, pae, parseCosignPublicKey, SIGSTORE_BUNDLE_TYPE_PREFIX } from '../../../src/core/sign';
import { cosignStatement } from '../../helpers/sigstoreFixtures';
import { MAX_SIGNATURE_CHECKS, MAX_SIGNATURE_LAYERS, verifyArtifactSignatures } from '../../../src/core/supplyChain';
import { COSIGN_TAG_TYPES } from '../../../src/core/graph';
import { SUBJECT } from '../sign/fixtures';

const LAYERS = 3_000;
const IN_TOTO = 'application/vnd.in-toto+json';

/** A MemoryTarget that counts blob reads. */
class CountingTarget extends MemoryTarget {
  blobReads = 0;
  override fetchBlob(descriptor: Descriptor, options?: TransferOptions): Promise<Readable> {
    this.blobReads++;
    return super.fetchBlob(descriptor, options);
  }
}

/** Pushes a manifest whose LAYERS layers all name one small blob of `layerType`; returns its descriptor. */
async function pushManyLayers(
  target: Target,
  layerType: string,
  extra: Record<string, unknown>,
  tag?: string,
  count = LAYERS,
): Promise<{ descriptor: Descriptor; manifest: Record<string, unknown> }> {
  const payload = Buffer.from('{}');
  const layer = { mediaType: layerType, digest: digestOf(payload), size: payload.length };
  await target.pushBlob(layer, async () => Readable.from([payload]));
  const config = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(payload), size: payload.length };
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config,
    layers: Array.from({ length: count }, () => layer),
    ...extra,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, tag ? { tag } : {});
  return { descriptor, manifest };
}

describe('supplyChain/verifyArtifactSignatures: a signature manifest of thousands of layers', function () {
  this.timeout(60_000);

  it(`reads none of a cosign .sig manifest's ${LAYERS} layers and fails it (more than MAX_SIGNATURE_LAYERS)`, async () => {
    const target = new CountingTarget();
    await pushManyLayers(target, MediaType.cosignSimpleSigning, {}, `${fallbackTagOf(SUBJECT.digest)}.sig`);
    target.blobReads = 0;

    const { signatures } = await verifyArtifactSignatures(target, SUBJECT, { trustedCerts: [], cosignKeys: [] });
    assert.equal(target.blobReads, 0, `${target.blobReads} blob reads for one signature manifest`);
    assert.equal(signatures.length, 1);
    assert.equal(signatures[0]!.result.ok, false);
    assert.equal(signatures[0]!.result.unverifiable, undefined);
    assert.match(signatures[0]!.result.reasons[0]!, new RegExp(`${LAYERS} signature layers.*${MAX_SIGNATURE_LAYERS}`));
  });

  it(`reads none of a Sigstore bundle referrer's ${LAYERS} layers and fails it`, async () => {
    const target = new CountingTarget();
    const artifactType = `${SIGSTORE_BUNDLE_TYPE_PREFIX}json;version=0.3`;
    const { descriptor, manifest } = await pushManyLayers(target, artifactType, {
      artifactType,
      subject: SUBJECT,
    });
    await indexReferrer(target, { ...descriptor, artifactType }, manifest as never, false);
    target.blobReads = 0;

    const { signatures } = await verifyArtifactSignatures(target, SUBJECT, { trustedCerts: [] });
    assert.equal(target.blobReads, 0, `${target.blobReads} blob reads for one bundle manifest`);
    assert.deepEqual(
      signatures.map((s) => [s.kind, s.result.ok]),
      [['sigstore', false]],
    );
    assert.match(signatures[0]!.result.reasons[0]!, new RegExp(`${LAYERS} .*layers.*${MAX_SIGNATURE_LAYERS}`));
  });

  it(`checks at most ${MAX_SIGNATURE_CHECKS} signature layers over all of an artifact's signatures, naming the rest as not checked`, async () => {
    // Referrers of MAX_SIGNATURE_LAYERS layers each, enough to pass the budget by two manifests.
    const target = new CountingTarget();
    const artifactType = COSIGN_TAG_TYPES['sig']!;
    const manifests = MAX_SIGNATURE_CHECKS / MAX_SIGNATURE_LAYERS + 2;
    for (let i = 0; i < manifests; i++) {
      const { descriptor, manifest } = await pushManyLayers(
        target,
        MediaType.cosignSimpleSigning,
        { artifactType, subject: SUBJECT, annotations: { n: String(i) } },
        undefined,
        MAX_SIGNATURE_LAYERS,
      );
      await indexReferrer(target, { ...descriptor, artifactType }, manifest as never, false);
    }
    target.blobReads = 0;

    const { signatures, unchecked } = await verifyArtifactSignatures(target, SUBJECT, {
      trustedCerts: [],
      cosignKeys: [],
    });
    assert.equal(target.blobReads, MAX_SIGNATURE_CHECKS, `${target.blobReads} signature layers read`);
    assert.equal(unchecked, 2);
    const notChecked = signatures.filter((s) => /^not checked: /.test(s.result.reasons[0] ?? ''));
    assert.equal(notChecked.length, 2, 'one line for each signature manifest not read');
    assert.ok(notChecked.every((s) => s.result.unverifiable && !s.result.ok));
    assert.equal(signatures.length, MAX_SIGNATURE_CHECKS + 2);
  });

  it(`counts each signature of a DSSE envelope against the ${MAX_SIGNATURE_CHECKS} checks: envelopes of ${MAX_DSSE_SIGNATURES} bad signatures stop after one manifest`, async () => {
    // Attestation referrers of MAX_SIGNATURE_LAYERS layers, each an envelope of MAX_DSSE_SIGNATURES signatures by a
    // key nobody trusts: 1,600 verifications a manifest (a keyless one costs tens of milliseconds each).
    const target = new CountingTarget();
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const statement = Buffer.from(JSON.stringify(cosignStatement(SUBJECT.digest)));
    const sig = sign('sha256', pae(IN_TOTO, statement), stranger.privateKey).toString('base64');
    const envelope = Buffer.from(
      JSON.stringify({
        payloadType: IN_TOTO,
        payload: statement.toString('base64'),
        signatures: Array.from({ length: MAX_DSSE_SIGNATURES }, () => ({ keyid: '', sig })),
      }),
    );
    const layer = { mediaType: MediaType.dsseEnvelope, digest: digestOf(envelope), size: envelope.length };
    await target.pushBlob(layer, async () => Readable.from([envelope]));
    const artifactType = COSIGN_TAG_TYPES['att']!;
    for (let i = 0; i < 3; i++) {
      const { descriptor, manifest } = await pushManyLayers(
        target,
        MediaType.dsseEnvelope,
        { artifactType, subject: SUBJECT, annotations: { n: String(i) } },
        undefined,
        MAX_SIGNATURE_LAYERS,
      );
      (manifest as { layers: object[] }).layers.fill(layer);
      const bytes = Buffer.from(JSON.stringify(manifest));
      const own = { mediaType: descriptor.mediaType, digest: digestOf(bytes), size: bytes.length };
      await target.pushManifest(own, bytes);
      await indexReferrer(target, { ...own, artifactType }, manifest as never, false);
    }
    target.blobReads = 0;

    const ours = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = parseCosignPublicKey(ours.publicKey.export({ type: 'spki', format: 'pem' }) as string, 'ours.pub');
    const { attestations, unchecked } = await verifyArtifactSignatures(target, SUBJECT, {
      trustedCerts: [],
      cosignKeys: [key],
    });
    assert.equal(target.blobReads, MAX_SIGNATURE_LAYERS, `${target.blobReads} envelopes read`);
    assert.equal(unchecked, 2);
    assert.equal(attestations.filter((a) => a.result.checks === MAX_DSSE_SIGNATURES).length, MAX_SIGNATURE_LAYERS);
    assert.match(
      attestations[attestations.length - 1]!.result.reasons[0]!,
      /^not checked: .*each signature of an envelope counting one/,
    );
  });

  it('stowage verify does not pass when signatures were left unchecked, and says how many and why', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-verify-budget-'));
    try {
      const layout = path.join(dir, 'layout');
      await fs.writeFile(path.join(dir, 'app.txt'), 'app\n');
      await cliOk(['push', `oci:${layout}:v1`, path.join(dir, 'app.txt')]);
      const target = await LayoutTarget.open(layout);
      const subject = await target.resolve('v1');
      const artifactType = COSIGN_TAG_TYPES['sig']!;
      for (let i = 0; i < MAX_SIGNATURE_CHECKS / MAX_SIGNATURE_LAYERS + 1; i++) {
        const { descriptor, manifest } = await pushManyLayers(
          target,
          MediaType.cosignSimpleSigning,
          { artifactType, subject, annotations: { n: String(i) } },
          undefined,
          MAX_SIGNATURE_LAYERS,
        );
        await indexReferrer(target, { ...descriptor, artifactType }, manifest as never, false);
      }
      const key = path.join(dir, 'cosign.pub');
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await fs.writeFile(key, publicKey.export({ type: 'spki', format: 'pem' }));
      const run = await cli(['verify', `oci:${layout}:v1`, '--cosign-key', key]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        new RegExp(
          `error: 1 signature of ${subject.digest} not checked \\(listed UNCHECKED\\): a verification checks at most ${MAX_SIGNATURE_CHECKS} signature layers`,
        ),
      );
      assert.equal(run.stdout.match(/^UNCHECKED .*not checked: /gm)?.length, 1, run.stdout);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
