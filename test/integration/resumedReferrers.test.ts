// A copy with referrers into the real registry (no referrers API: the client keeps the `sha256-<hex>` fallback tag)
// stopped between a referrer's PUT and its fallback index's update: the rerun finds the referrer stored and must
// still list it, or clients that read the fallback tag never see it. Both referrers of one subject are stopped
// there, so the rerun also shows that they are listed in one write of that subject's index, not one each.
import * as assert from 'node:assert/strict';
import { copyTags } from '../../src/core/graph';
import { fallbackTagOf, fetchFallbackIndex } from '../../src/core/graph/referrers';
import type { Descriptor } from '../../src/core/oci';
import type { PushManifestResult } from '../../src/core/content';
import { RegistryTarget } from '../../src/core/registry';
import { attachBytes } from '../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { pushArtifact } from '../helpers/sampleArtifact';

/** How long the first referrer's PUT waits for the second before the run is stopped anyway. */
const BARRIER_MS = 10_000;

/**
 * A destination that stops the run once `subject`'s two referrers are stored, before either is listed: each PUT of
 * a manifest naming it as subject waits for the other, then the run's controller aborts. Counts fallback-tag PUTs.
 */
class StopsAfterReferrers extends RegistryTarget {
  stopAt?: { subject: string; controller: AbortController };
  readonly fallbackPuts: string[] = [];
  private stored = 0;
  private release?: () => void;
  private readonly both = new Promise<void>((resolve) => (this.release = resolve));

  override async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    if (options.tag?.startsWith('sha256-')) this.fallbackPuts.push(options.tag);
    const result = await super.pushManifest(descriptor, bytes, options);
    const stop = this.stopAt;
    if (stop && (JSON.parse(bytes.toString()) as { subject?: Descriptor }).subject?.digest === stop.subject) {
      if (++this.stored === 2) this.release!();
      await Promise.race([this.both, new Promise((resolve) => setTimeout(resolve, BARRIER_MS))]);
      stop.controller.abort(new Error('stopped between the referrer PUT and its index update'));
    }
    return result;
  }
}

describe('copy with referrers into a registry, resumed after a stop between a referrer and its fallback index', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
  });
  after(async () => {
    await registry?.stop();
  });

  it('the rerun lists both stored referrers in the fallback index, in one write of it', async () => {
    const client = clientFor(registry);
    const src = new RegistryTarget(client, 'resume/src');
    const { manifest: v1 } = await pushArtifact(src, Buffer.from('the image'), { tag: 'v1' });
    const attach = (artifactType: string, text: string) =>
      attachBytes(src, v1, {
        artifactType,
        documents: [{ title: `${text}.txt`, mediaType: 'text/plain', bytes: Buffer.from(text) }],
      });
    const sbom = await attach('application/spdx+json', 'sbom');
    const notes = await attach('application/vnd.example.notes', 'notes');
    const referrers = [sbom.digest, notes.digest].sort();

    const first = new StopsAfterReferrers(client, 'resume/dst');
    const controller = new AbortController();
    first.stopAt = { subject: v1.digest, controller };
    await assert.rejects(copyTags(src, first, { referrers: true, signal: controller.signal }));
    const dst = new RegistryTarget(client, 'resume/dst');
    for (const digest of referrers) assert.ok(await dst.exists({ ...v1, digest }), `referrer ${digest} was stored`);
    assert.equal(await fetchFallbackIndex(dst, v1.digest), undefined, 'the stop came before the index update');

    const rerun = new StopsAfterReferrers(client, 'resume/dst');
    const summary = await copyTags(src, rerun, { referrers: true });
    assert.equal(summary.failed.length, 0);
    const listed = await fetchFallbackIndex(dst, v1.digest);
    assert.deepEqual(listed?.manifests.map((m) => m.digest).sort(), referrers, 'both referrers listed after the rerun');
    assert.deepEqual(
      listed?.manifests.map((m) => m.artifactType).sort(),
      ['application/spdx+json', 'application/vnd.example.notes'],
      'listed with their artifact types, as a first run lists them',
    );
    assert.deepEqual(rerun.fallbackPuts, [fallbackTagOf(v1.digest)], 'one write of the subject index for both');
  });
});
