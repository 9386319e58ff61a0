// A full disk met while a blob's bytes are written (a pull's file, a copy's blob into a layout): the error names the
// file or folder the user asked for, not "no space left on the device (while writing)" with no place at all, and
// nothing half-written is left: no temp file, and no layout the run made that lists nothing unless its blobs are
// worth a rerun's finding them (then it says it kept it). Real registry, real 1 and 2 MiB tmpfs.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';
import { onSmallFileSystem } from '../../helpers/smallFileSystem';

describe('a full disk met while writing a blob names the place written', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let ref: string;
  let twoLayers: string;
  let firstLayer: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-full-disk-'));
    // 3 MB: more than the small disk holds.
    await fs.writeFile(path.join(dir, 'big.bin'), randomBytes(3_000_000));
    ref = `${registry.host}/full/big:v1`;
    await cliOk(['push', '--plain-http', ref, path.join(dir, 'big.bin')]);
    // 1.5 MB first (fits a 2 MiB disk), then the 3 MB that does not.
    const first = randomBytes(1_500_000);
    firstLayer = `sha256:${createHash('sha256').update(first).digest('hex')}`;
    await fs.writeFile(path.join(dir, 'first.bin'), first);
    twoLayers = `${registry.host}/full/two:v1`;
    await cliOk([
      'push',
      '--plain-http',
      '--concurrency',
      '1',
      twoLayers,
      path.join(dir, 'first.bin'),
      path.join(dir, 'big.bin'),
    ]);
  });
  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('pull: names the file it was writing; the output folder is not left behind', async () => {
    const small = path.join(dir, 'small-pull');
    await onSmallFileSystem(small, '1m', async () => {
      const pulled = await cli(['pull', '--plain-http', ref, '-o', path.join(small, 'out')]);
      assert.equal(pulled.code, 1, pulled.stderr);
      assert.match(pulled.stderr, /^stowage pull: \S+\/small-pull\/out\/big\.bin: no space left on the device$/m);
      assert.deepEqual(await fs.readdir(small), []);
    });
  });

  it('copy into a layout: names its blobs folder; the layout it made, listing nothing, is not left behind', async () => {
    const small = path.join(dir, 'small-copy');
    await onSmallFileSystem(small, '1m', async () => {
      const copied = await cli(['copy', '--plain-http', ref, `oci:${path.join(small, 'layout')}:v1`]);
      assert.equal(copied.code, 1, copied.stderr);
      assert.match(copied.stderr, /^stowage copy: \S+\/small-copy\/layout\/blobs: no space left on the device$/m);
      // It held the 2-byte config at most: nothing a rerun would miss.
      assert.deepEqual(await fs.readdir(small), []);
      // The config and the layer are copied at once: when the config was stored before the layer met the full
      // disk, the removal is said; when nothing was stored, the folder goes silently (as after a typo).
      const notes = copied.stderr.split('\n').filter((line) => line.startsWith('  note:'));
      assert.ok(
        notes.length === 0 ||
          (notes.length === 1 &&
            /^ {2}note: \S+\/small-copy\/layout, made by this run, lists no tag and was removed \(the 2 B of blobs written so far are fetched again by a rerun\)$/.test(
              notes[0]!,
            )),
        copied.stderr,
      );
    });
  });

  it('copy into a layout: a layout it made that lists nothing but holds a megabyte of blobs is kept, and said so', async () => {
    const small = path.join(dir, 'small-keep');
    await onSmallFileSystem(small, '2m', async () => {
      const layout = path.join(small, 'layout');
      const copied = await cli(['copy', '--plain-http', '--concurrency', '1', twoLayers, `oci:${layout}:v1`]);
      assert.equal(copied.code, 1, copied.stderr);
      assert.match(copied.stderr, /^stowage copy: \S+\/small-keep\/layout\/blobs: no space left on the device$/m);
      assert.match(
        copied.stderr,
        /^ {2}note: \S+\/small-keep\/layout lists no tag yet; it is kept for the 1\.4 MiB of blobs written so far: run the same command again to resume \(or remove it\)$/m,
      );
      const blobs = path.join(layout, 'blobs', 'sha256');
      const left = await fs.readdir(blobs);
      assert.ok(!left.some((name) => name.startsWith('.stowage-')), `temp files left: ${left.join(', ')}`);
      assert.ok(left.includes(firstLayer.slice('sha256:'.length)), left.join(', '));
    });
  });
});
