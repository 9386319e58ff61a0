// The progress notification of Back Up Repository… and Restore to Registry…: fed by the engine's own events of a
// real three-tag copy (memory to memory), wired as the two commands wire it.
import * as assert from 'node:assert/strict';
import { TransferRate } from '../../../src/core/oci';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyTags } from '../../../src/core/graph';
import { ArchiveTarget } from '../../../src/core/layout';
import { MemoryTarget } from '../../../src/core/memory';
import {
  finalWriteMessage,
  finalWritePercent,
  transferMessage,
  transferPercent,
  type TransferStep,
} from '../../../src/vscode/transferProgress';
import { pushArtifact } from '../../helpers/sampleArtifact';

describe('transfer progress across the tags of a backup or restore', () => {
  it('the bar fills across all tags (a third per tag of three, full only at the end) and the message names the tag', async () => {
    const src = new MemoryTarget();
    for (const tag of ['a', 'b', 'c']) await pushArtifact(src, randomBytes(64 * 1024), { tag });
    const shown: { percent: number; message: string }[] = [];
    let step: TransferStep | undefined;
    await copyTags(src, new MemoryTarget(), {
      onTag: (e) => (step = { label: e.tag, position: e.position, count: e.count }),
      onProgress: (p) => shown.push({ percent: transferPercent(p, step), message: transferMessage(p, step) }),
    });

    const lastOf = (tag: string) => shown.filter((s) => s.message.startsWith(`${tag} (`)).at(-1)!;
    assert.ok(Math.abs(lastOf('a').percent - 100 / 3) < 0.01, `after the first tag: ${lastOf('a').percent}`);
    assert.ok(Math.abs(lastOf('b').percent - 200 / 3) < 0.01, `after the second tag: ${lastOf('b').percent}`);
    assert.equal(lastOf('c').percent, 100);
    for (const [i, s] of shown.entries())
      assert.ok(i === 0 || s.percent >= shown[i - 1]!.percent, `the bar went back: ${JSON.stringify(shown)}`);
    assert.match(lastOf('b').message, /^b \(2\/3\): 64 KiB of 64 KiB \(\d+\/\d+ items/);
  });

  it('into a layout archive: the tags fill the first half of the bar, the final write of the archive the second', async () => {
    const src = new MemoryTarget();
    for (const tag of ['a', 'b']) await pushArtifact(src, randomBytes(256 * 1024), { tag });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-progress-'));
    try {
      const archive = await ArchiveTarget.open(path.join(dir, 'backup.tar'), { create: true });
      const shown: { percent: number; message: string }[] = [];
      let step: TransferStep | undefined;
      await copyTags(src, archive, {
        onTag: (e) => (step = { label: e.tag, position: e.position, count: e.count }),
        onProgress: (p) => shown.push({ percent: transferPercent(p, step, true), message: transferMessage(p, step) }),
      });
      const fetched = shown.length;
      assert.equal(shown.at(-1)!.percent, 50);
      await archive.finish({
        onProgress: (p) => shown.push({ percent: finalWritePercent(p), message: finalWriteMessage(p) }),
      });
      assert.ok(shown.length > fetched, 'the final write reported nothing');
      for (const [i, s] of shown.entries())
        assert.ok(i === 0 || s.percent >= shown[i - 1]!.percent, `the bar went back: ${JSON.stringify(shown)}`);
      assert.equal(shown.at(-1)!.percent, 100);
      assert.match(shown.at(-1)!.message, /^Writing the archive: (\d+ KiB) of \1 \(\d+\/\d+ files\)$/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a transfer of one artifact shows bytes and items alone, as before', () => {
    const p = { totalBytes: 2048, doneBytes: 1024, totalItems: 3, doneItems: 1, skippedItems: 1 };
    assert.equal(transferPercent(p), 50);
    assert.equal(transferMessage(p), '1.0 KiB of 2.0 KiB (1/3 items, 1 already there)');
  });

  it('gives the rate and the time left once a second has passed, as the CLI does', () => {
    const rate = new TransferRate();
    const p = { totalBytes: 1024 ** 3, doneBytes: 512 * 1024 ** 2, totalItems: 1, doneItems: 0, skippedItems: 0 };
    rate.sample(0, 0);
    assert.equal(transferMessage(p, undefined, rate), '512 MiB of 1.0 GiB (0/1 items)');
    rate.sample(2000, 512 * 1024 ** 2);
    assert.equal(transferMessage(p, undefined, rate), '512 MiB of 1.0 GiB at 256 MiB/s, 2 s left (0/1 items)');
  });
});
