// The referrers doctor over an in-memory store (a store that untags, as a layout does): what check finds, the
// plan that repair makes of it, and that a prune needs the plan's own digest.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { applyRepair, checkReferrers, planRepair } from '../../../src/core/graph';
import { fallbackTagOf, fetchFallbackIndex } from '../../../src/core/graph/referrers';
import { MemoryTarget } from '../../../src/core/memory';
import { MediaType, OciError } from '../../../src/core/oci';
import { digestOf } from '../../../src/core/content/hashing';
import { attachBytes } from '../../../src/core/supplyChain';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { allTags } from './countingTarget';

describe('referrers check and repair over an in-memory store', () => {
  it('finds a lost referrer and an orphaned index, rebuilds the index, and prunes only with the plan digest', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const attached = await attachBytes(target, subject, {
      artifactType: 'application/spdx+json',
      documents: [{ title: 'a.txt', mediaType: 'text/plain', bytes: Buffer.from('a') }],
    });
    const lost = (await pushArtifact(target, 'lost', { subject, tag: 'lost' })).manifest;
    const gone = (await pushArtifact(target, 'gone')).manifest;
    await attachBytes(target, gone, {
      artifactType: 'application/spdx+json',
      documents: [{ title: 'd.txt', mediaType: 'text/plain', bytes: Buffer.from('d') }],
    });
    await target.deleteManifest(gone);

    const report = await checkReferrers(target);
    assert.deepEqual(report.problems.map((p) => [p.kind, p.subject]).sort(), [
      ['missing-from-fallback', subject.digest],
      ['orphaned-fallback-tag', gone.digest],
    ]);
    assert.deepEqual(report.scan, { ...report.scan, tags: 4, manifestsRead: 2, truncated: false });

    const plan = planRepair(report);
    assert.deepEqual(plan.changes.map((c) => [c.kind, c.needsPrune]).sort(), [
      ['delete-index', true],
      ['rewrite-index', false],
    ]);
    assert.throws(
      () => planRepair(report, { toApi: true }),
      (e: unknown) => OciError.is(e, 'UNSUPPORTED'),
    );
    await assert.rejects(
      applyRepair(target, plan, { prune: true, confirm: 'sha256:nope' }),
      (e: unknown) => OciError.is(e, 'USAGE') && e.message.includes(plan.pruneDigest!),
    );
    assert.deepEqual(
      (await applyRepair(target, plan)).map((c) => c.kind),
      ['rewrite-index'],
    );
    assert.deepEqual(
      (await fetchFallbackIndex(target, subject.digest))?.manifests.map((d) => d.digest).sort(),
      [attached.digest, lost.digest].sort(),
    );
    await applyRepair(target, planRepair(await checkReferrers(target)), { prune: true, confirm: plan.pruneDigest });
    assert.ok(!(await allTags(target)).includes(fallbackTagOf(gone.digest)));
    assert.deepEqual((await checkReferrers(target)).problems, []);
  });
});

describe('referrers check over manifests whose subject is no digest', () => {
  it('passes over a tagged manifest whose subject names no digest (an object, any text) instead of failing the whole check', async () => {
    const target = new MemoryTarget();
    const empty = Buffer.from('{}');
    const config = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: empty.length };
    await target.pushBlob(config, async () => Readable.from([empty]));
    // Anyone who can push can tag such a manifest; a registry refuses to look up a subject like that by name.
    for (const [tag, digest] of [
      ['object', { not: 'a digest' }],
      ['text', 'sha256:x\u001b[31m/../latest'],
    ] as const) {
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          artifactType: 'application/example',
          config,
          layers: [],
          subject: { mediaType: MediaType.ociManifest, digest, size: 2 },
        }),
      );
      await target.pushManifest(
        { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length },
        bytes,
        {
          tag,
        },
      );
    }
    const report = await checkReferrers(target);
    assert.deepEqual([report.subjects, report.problems, report.orphanedReferrers], [[], [], []]);
    assert.deepEqual(report.scan, { ...report.scan, tags: 2, manifestsRead: 2 });
  });
});
