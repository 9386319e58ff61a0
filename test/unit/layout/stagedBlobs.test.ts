// Proves the list of staged blobs an archive is written from holds, for each blob, only what opening it needs: a
// backup of 10,000 signed tags stages 100,000 blobs, and a whole fs.Stats kept with each (1.3 KB a blob with the
// rest) took 130 MiB. The blobs still open as the files checked.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout';
import { stagedBlobs } from '../../../src/core/layout/archiveRewrite';
import { fullCollect } from '../../helpers/fullCollect';
import { bytesContent } from '../../helpers/sampleArtifact';

describe('stagedBlobs (the files a layout archive is written from)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-staged-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps no fs.Stats of the blobs it lists, and each still opens as the file checked', async () => {
    const staging = await LayoutTarget.open(dir, { create: true });
    const digests: string[] = [];
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(`blob ${i}`);
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      await staging.pushBlob(
        { mediaType: 'application/octet-stream', digest, size: bytes.length },
        bytesContent(bytes),
      );
      digests.push(digest);
    }
    const stats: WeakRef<Stats>[] = [];
    const lstat = fs.lstat;
    fs.lstat = (async (...args: Parameters<typeof lstat>) => {
      const stat = await lstat(...args);
      stats.push(new WeakRef(stat as Stats));
      return stat;
    }) as typeof lstat;
    let blobs;
    try {
      blobs = await stagedBlobs(staging);
    } finally {
      fs.lstat = lstat;
    }
    assert.equal(blobs.length, digests.length);
    assert.ok(stats.length >= digests.length, 'each blob was looked at');
    await new Promise((resolve) => setImmediate(resolve));
    fullCollect();
    assert.equal(stats.filter((s) => s.deref()).length, 0, 'a Stats is still held by the list');
    const first = blobs[0]!;
    assert.ok('open' in first.source && first.source.open);
    const handle = await first.source.open();
    try {
      assert.equal((await handle.stat()).size, first.size);
    } finally {
      await handle.close();
    }
  });
});
