// A full disk met while a blob's bytes are written (a pull's file, a copy's blob into a layout): the error names the
// file or folder the user asked for, not "no space left on the device (while writing)" with no place at all, and
// nothing half-written is left. Real registry, real 1 MiB tmpfs.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-full-disk-'));
    // 3 MB: more than the small disk holds.
    await fs.writeFile(path.join(dir, 'big.bin'), randomBytes(3_000_000));
    ref = `${registry.host}/full/big:v1`;
    await cliOk(['push', '--plain-http', ref, path.join(dir, 'big.bin')]);
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

  it('copy into a layout: names its blobs folder; no temp file is left in it', async () => {
    const small = path.join(dir, 'small-copy');
    await onSmallFileSystem(small, '1m', async () => {
      const copied = await cli(['copy', '--plain-http', ref, `oci:${path.join(small, 'layout')}:v1`]);
      assert.equal(copied.code, 1, copied.stderr);
      assert.match(copied.stderr, /^stowage copy: \S+\/small-copy\/layout\/blobs: no space left on the device$/m);
      const blobs = path.join(small, 'layout', 'blobs');
      const left = await fs.readdir(blobs).catch(() => []);
      assert.ok(!left.some((name) => name.startsWith('.stowage-')), `temp files left: ${left.join(', ')}`);
    });
  });
});
