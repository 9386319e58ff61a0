// A long copy with referrers answers "no fallback or cosign tag" for each manifest from the source's tag list read
// at its start. A signature pushed while the run goes is found once that list is older than TAG_LIST_MAX_AGE_MS:
// it is read again before the next tag. Against the real registry (no referrers API: the fallback tag), the run's
// clock driven by the test.
import * as assert from 'node:assert/strict';
import { copyTags, TAG_LIST_MAX_AGE_MS } from '../../src/core/graph';
import { MemoryTarget } from '../../src/core/memory';
import type { TagListing } from '../../src/core/content';
import { RegistryTarget } from '../../src/core/registry';
import { attachBytes } from '../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { seedOwnLayerTags } from '../helpers/ownLayerTags';

/** A repository whose tag v3 gets a signature right after its tags are first listed: "pushed meanwhile". */
class SignedMeanwhile extends RegistryTarget {
  listings = 0;
  override async *listTags(options: TagListing = {}): AsyncIterable<string[]> {
    yield* super.listTags(options);
    if (++this.listings > 1) return;
    await attachBytes(this, await this.resolve('v3'), {
      artifactType: 'application/vnd.example.signature',
      documents: [{ title: 'sig.txt', mediaType: 'text/plain', bytes: Buffer.from('signed meanwhile') }],
    });
  }
}

describe('copy with referrers: the tag list read again when it grows old', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
  });
  after(async () => {
    await registry?.stop();
  });

  /** Copies every tag of a freshly seeded repository, the clock moving `perTag` ms as each tag starts. */
  async function run(name: string, perTag: number) {
    const src = new SignedMeanwhile(clientFor(registry), name);
    await seedOwnLayerTags(src);
    let clock = 0;
    const summary = await copyTags(src, new MemoryTarget(), {
      referrers: true,
      now: () => clock,
      onTag: (event) => {
        if (event.phase === 'start') clock += perTag;
      },
    });
    return { summary, listings: src.listings };
  }

  it('a signature pushed meanwhile is copied once the list is older than the limit: one listing more', async () => {
    const { summary, listings } = await run('aged/app', TAG_LIST_MAX_AGE_MS / 2 - 1);
    assert.equal(listings, 2, 'the list was read again once, before v3 (its age passed the limit there)');
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.referrers]),
      [
        ['v1', 0],
        ['v2', 0],
        ['v3', 1],
      ],
    );
  });

  it('a list younger than the limit is not read again (the staleness a run accepts: at most the limit)', async () => {
    const { summary, listings } = await run('young/app', 1000);
    assert.equal(listings, 1);
    assert.deepEqual(
      summary.tags.map((t) => t.referrers),
      [0, 0, 0],
    );
  });
});
