// What only some stores can do is a capability with a type guard: each store offers exactly the ones it has, and
// the graph code takes the other path for a store without one (a fallback tag dropped by delete, not untag).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  isBlobFileSource,
  isBlobReadChecker,
  isMounter,
  isReferrersLister,
  isReferrersLock,
  isUnhashedBlobPusher,
  isUntagger,
  isUnverifiedBlobReader,
} from '../../../src/core/content';
import { fallbackTagOf, fetchFallbackIndex } from '../../../src/core/graph/referrers';
import { removeFromFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { ArchiveTarget, LayoutTarget } from '../../../src/core/layout';
import { MemoryTarget } from '../../../src/core/memory';
import { RegistryClient, RegistryTarget } from '../../../src/core/registry';
import type { Descriptor } from '../../../src/core/oci';
import { attachBytes } from '../../../src/core/supplyChain';
import { pushArtifact } from '../../helpers/sampleArtifact';

const capabilitiesOf = (store: unknown) =>
  Object.entries({
    isBlobFileSource,
    isBlobReadChecker,
    isMounter,
    isReferrersLister,
    isReferrersLock,
    isUnhashedBlobPusher,
    isUntagger,
    isUnverifiedBlobReader,
  })
    .filter(([, guard]) => guard(store))
    .map(([name]) => name.slice(2));

/** A MemoryTarget that cannot untag, as a registry cannot: the graph code must delete the index instead. */
class NoUntagTarget extends MemoryTarget {
  declare untag: never;
  constructor() {
    super();
    Object.defineProperty(this, 'untag', { value: undefined });
  }
}

describe('store capabilities, asked for by type guard', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-capabilities-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('each store offers exactly the capabilities it has', async () => {
    const client = new RegistryClient(
      { host: '127.0.0.1:1', plainHttp: true },
      { credentials: { ignoreToolConfig: true } },
    );
    try {
      assert.deepEqual(capabilitiesOf(new RegistryTarget(client, 'demo')), [
        'BlobReadChecker',
        'Mounter',
        'ReferrersLister',
        'UnhashedBlobPusher',
        'UnverifiedBlobReader',
      ]);
    } finally {
      await client.close();
    }
    assert.deepEqual(capabilitiesOf(await LayoutTarget.open(path.join(dir, 'layout'), { create: true })), [
      'BlobFileSource',
      'ReferrersLock',
      'UnhashedBlobPusher',
      'Untagger',
    ]);
    // An archive's blobs are byte ranges of it, named as such (BlobFile.range) so a sink reads them through reused
    // buffers and hashes them once.
    assert.deepEqual(capabilitiesOf(await ArchiveTarget.open(path.join(dir, 'x.tar'), { create: true })), [
      'BlobFileSource',
      'ReferrersLock',
      'Untagger',
    ]);
    assert.deepEqual(capabilitiesOf(new MemoryTarget()), ['ReferrersLister', 'ReferrersLock', 'Untagger']);
    assert.deepEqual(capabilitiesOf({ location: 'a plain object' }), []);
  });

  it('a store without Untagger loses an emptied fallback index by deleting it, and the tag goes with it', async () => {
    const target = new NoUntagTarget();
    assert.equal(isUntagger(target), false);
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const referrer: Descriptor = await attachBytes(target, subject, {
      artifactType: 'application/vnd.example',
      documents: [{ title: 'notes.txt', mediaType: 'text/plain', bytes: Buffer.from('notes') }],
    });
    const index = await target.resolve(fallbackTagOf(subject.digest));

    await removeFromFallbackIndex(target, subject.digest, referrer.digest);

    assert.equal(await fetchFallbackIndex(target, subject.digest), undefined);
    assert.equal(await target.exists(index), false, 'the index manifest itself was deleted');
  });
});
