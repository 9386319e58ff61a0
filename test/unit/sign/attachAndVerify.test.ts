import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Descriptor, ImageManifest } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { verifyArtifactSignatures } from '../../../src/core/supplyChain/verifyArtifact';
import { listReferrers } from '../../../src/core/graph/referrers';
import { indexReferrer } from '../../../src/core/graph/fallbackIndex';
import {
  buildSignatureManifest,
  signDescriptor,
  thumbprintOf,
  verifySignature,
  parseCertificateChain,
} from '../../../src/core/sign';
import { MemoryTarget } from '../../../src/core/memory';
import { signingKey, SUBJECT } from './fixtures';

describe('sign: attach to a store and verify what is found there', () => {
  it('pushes the signature as a referrer, finds it by artifact type with its thumbprints, and verifies the fetched envelope', async () => {
    const { privateKeyPem, certificatePem } = await signingKey('ecdsa-p256');
    const target = new MemoryTarget();
    const envelope = signDescriptor(SUBJECT, { key: privateKeyPem, certChain: certificatePem });
    const built = buildSignatureManifest(SUBJECT, envelope, certificatePem);
    for (const blob of built.blobs) await target.pushBlob(blob.descriptor, async () => Readable.from([blob.bytes]));
    const { subjectIndexed } = await target.pushManifest(built.descriptor, built.bytes);
    await indexReferrer(target, built.descriptor, built.manifest, subjectIndexed);

    const found = await listReferrers(target, SUBJECT.digest, {
      artifactType: 'application/vnd.cncf.notary.signature',
    });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.source, 'fallback-tag');
    assert.equal(found[0]!.descriptor.digest, built.descriptor.digest);
    const thumbprints = JSON.parse(
      found[0]!.descriptor.annotations!['io.cncf.notary.x509chain.thumbprint#S256']!,
    ) as string[];
    assert.deepEqual(thumbprints, [thumbprintOf(parseCertificateChain(certificatePem)[0]!)]);

    const { manifest } = await target.fetchManifest(found[0]!.descriptor);
    const layer = (manifest as ImageManifest).layers[0]!;
    const fetched = await buffer(await target.fetchBlob(layer));
    const result = verifySignature(fetched, (manifest as ImageManifest).subject!, { trustedCerts: [certificatePem] });
    assert.deepEqual(result.reasons, []);
    assert.equal(result.ok, true);
  });
});

describe('verifyArtifactSignatures: signatures it cannot check are reported, not skipped', () => {
  it('lists a Sigstore bundle referrer without a bundle layer as failed, with the reason', async () => {
    const target = new MemoryTarget();
    const empty = Buffer.from('{}');
    const config = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: empty.length };
    await target.pushBlob(config, async () => Readable.from([empty]));
    const bundle = buildManifestBytes({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config,
      layers: [config],
      subject: SUBJECT,
    });
    await target.pushManifest(bundle.descriptor, bundle.bytes);
    await indexReferrer(target, bundle.descriptor, bundle.manifest, false);

    const { signatures: results } = await verifyArtifactSignatures(target, SUBJECT, { trustedCerts: [] });
    assert.equal(results.length, 1);
    assert.equal(results[0]!.kind, 'sigstore');
    assert.equal(results[0]!.result.ok, false);
    assert.equal(results[0]!.result.unverifiable, undefined);
    assert.deepEqual(results[0]!.result.reasons, [
      'the Sigstore bundle manifest has no application/vnd.dev.sigstore.bundle… layer',
    ]);
  });
});

function buildManifestBytes(manifest: ImageManifest & { artifactType: string }): {
  descriptor: Descriptor;
  bytes: Buffer;
  manifest: ImageManifest;
} {
  const bytes = Buffer.from(JSON.stringify(manifest));
  return {
    bytes,
    manifest,
    descriptor: {
      mediaType: manifest.mediaType!,
      digest: digestOf(bytes),
      size: bytes.length,
      artifactType: manifest.artifactType,
    },
  };
}
