// verifyArtifactSignatures judges what a listing claims before verifying it: a manifest listed as a signature of the
// artifact whose own subject is another artifact is named as not a referrer (not a failed signature of this one),
// and a hostile listing of thousands costs a bounded number of manifest reads.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { digestOf } from '../../../src/core/content/hashing';
import type { Cancellable, FetchedManifest } from '../../../src/core/content';
import { MemoryTarget } from '../../../src/core/memory';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { addToFallbackIndex, indexReferrer } from '../../../src/core/graph/fallbackIndex';
import { buildSignatureManifest, signDescriptor } from '../../../src/core/sign';
import { JUDGED_PER_NODE, MAX_REFERRERS_READ } from '../../../src/core/graph';
import { verifyArtifactSignatures } from '../../../src/core/supplyChain';
import { signingKey, SUBJECT } from '../sign/fixtures';

const OTHER: Descriptor = { ...SUBJECT, digest: digestOf(Buffer.from('another artifact')) };

/** Signs `subject` with a Notary signature pushed into `target`; returns the signature manifest's descriptor. */
async function pushNotarySignature(target: MemoryTarget, subject: Descriptor, index: boolean): Promise<Descriptor> {
  const { privateKeyPem, certificatePem } = await signingKey('ecdsa-p256');
  const built = buildSignatureManifest(
    subject,
    signDescriptor(subject, { key: privateKeyPem, certChain: certificatePem }),
    certificatePem,
  );
  for (const blob of built.blobs) await target.pushBlob(blob.descriptor, async () => Readable.from([blob.bytes]));
  const { subjectIndexed } = await target.pushManifest(built.descriptor, built.bytes);
  if (index) await indexReferrer(target, built.descriptor, built.manifest, subjectIndexed);
  return { ...built.descriptor, artifactType: MediaType.notarySignature };
}

/** A MemoryTarget that counts manifest reads. */
class CountingTarget extends MemoryTarget {
  manifestReads = 0;
  override fetchManifest(ref: string | Descriptor, options?: Cancellable): Promise<FetchedManifest> {
    this.manifestReads++;
    return super.fetchManifest(ref, options);
  }
}

describe('supplyChain/verifyArtifactSignatures: listed referrers are judged before they are verified', function () {
  this.timeout(60_000);

  it("names a signature of another artifact listed under this one as not a referrer, not as this artifact's failed signature", async () => {
    const target = new MemoryTarget();
    const { certificatePem } = await signingKey('ecdsa-p256');
    const real = await pushNotarySignature(target, SUBJECT, true);
    // Anyone who can push can list another artifact's valid signature in this subject's fallback tag.
    const foreign = await pushNotarySignature(target, OTHER, false);
    await addToFallbackIndex(target, SUBJECT.digest, foreign);

    const { signatures, notReferrers, truncated } = await verifyArtifactSignatures(target, SUBJECT, {
      trustedCerts: [certificatePem],
    });
    assert.deepEqual(
      signatures.map((s) => [s.signature.digest, s.result.ok]),
      [[real.digest, true]],
    );
    assert.deepEqual(
      notReferrers.map((r) => [r.digest, r.listedUnder, r.named]),
      [[foreign.digest, SUBJECT.digest, OTHER.digest]],
    );
    assert.equal(truncated, false);
  });

  it('reads at most JUDGED_PER_NODE × the node limit listed manifests of a listing of thousands, and says the rest were not read', async () => {
    const target = new CountingTarget();
    const entries: Descriptor[] = Array.from({ length: 3_000 }, (_, i) => ({
      mediaType: MediaType.ociManifest,
      artifactType: MediaType.notarySignature,
      digest: digestOf(Buffer.from(`forged ${i}`)),
      size: 100,
    }));
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries }));
    const descriptor = { mediaType: MediaType.ociIndex, digest: digestOf(index), size: index.length };
    await target.pushManifest(descriptor, index, { tag: fallbackTagOf(SUBJECT.digest) });
    target.manifestReads = 0;

    const { signatures, notReferrers, truncated } = await verifyArtifactSignatures(target, SUBJECT, {
      trustedCerts: [],
    });
    assert.equal(truncated, true);
    assert.deepEqual(signatures, []);
    assert.ok(notReferrers.every((r) => r.missing));
    // The listing itself, then one read per judged entry; a verification reads no manifest again.
    assert.ok(
      target.manifestReads <= JUDGED_PER_NODE * (MAX_REFERRERS_READ + 1) + 2,
      `${target.manifestReads} manifest reads for a listing of 3,000`,
    );
  });
});

describe('supplyChain/verifyArtifactSignatures: cancelling', () => {
  /** Holds every manifest read by descriptor until its signal aborts; records that it did. */
  class HoldingTarget extends MemoryTarget {
    held: AbortSignal[] = [];
    started?: () => void;
    override fetchManifest(ref: string | Descriptor, options?: Cancellable): Promise<FetchedManifest> {
      if (typeof ref === 'string') return super.fetchManifest(ref, options);
      const signal = options?.signal;
      if (signal) this.held.push(signal);
      this.started?.();
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)));
    }
  }

  it('stops the manifest reads it shares among its checks, instead of leaving them to their deadline', async () => {
    const target = new HoldingTarget();
    await pushNotarySignature(target, SUBJECT, true);
    const reading = new Promise<void>((resolve) => (target.started = resolve));
    const cancel = new AbortController();
    const verifying = verifyArtifactSignatures(target, SUBJECT, { trustedCerts: [], signal: cancel.signal });
    await reading;
    cancel.abort();
    await assert.rejects(verifying, { name: 'AbortedError' });
    assert.ok(target.held.length > 0);
    assert.ok(
      target.held.every((signal) => signal.aborted),
      'every read in flight was stopped',
    );
  });
});
