// Output folders are made by makeFolders: what `mkdir -p` does, but a folder the file system will not create
// (under /proc, where Node's recursive mkdir loops forever) fails at once, naming it.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderNotCreatableError, makeFolders } from '../../../src/core/content';

/** Fails the test when `work` has not settled within `ms` (a hang must not look like a slow pass). */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('makeFolders', () => {
  let work: string;
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-make-folders-'));
  });
  afterEach(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('makes a folder and its missing parents, returning the first one it made', async () => {
    const deep = path.join(work, 'a', 'b', 'c');
    assert.equal(await makeFolders(deep), path.join(work, 'a'));
    assert.ok((await fs.stat(deep)).isDirectory());
    assert.equal(await makeFolders(deep), undefined, 'a folder already there is fine and not "made"');
    assert.equal(await makeFolders(path.join(work, 'a', 'd')), path.join(work, 'a', 'd'));
  });

  it('applies the mode to every folder it makes', async () => {
    await makeFolders(path.join(work, 'p', 'q'), 0o700);
    for (const folder of ['p', path.join('p', 'q')])
      assert.equal((await fs.stat(path.join(work, folder))).mode & 0o777, 0o700 & ~process.umask());
  });

  it('fails with Node’s own error when a file is in the way', async () => {
    await fs.writeFile(path.join(work, 'file'), 'x');
    await assert.rejects(makeFolders(path.join(work, 'file')), { code: 'EEXIST' });
    await assert.rejects(makeFolders(path.join(work, 'file', 'below')), { code: 'ENOTDIR' });
  });

  it('fails at once, naming the folder, where the file system takes no new folders (/proc)', async () => {
    assert.ok(existsSync('/proc/self'), 'this test needs Linux /proc, where the hang happened');
    const folder = path.join('/proc', `stowage-${process.pid}`, 'out');
    await assert.rejects(within(5_000, makeFolders(folder)), (err: unknown) => {
      assert.ok(err instanceof FolderNotCreatableError, String(err));
      assert.equal(
        err.message,
        `cannot create the folder /proc/stowage-${process.pid}: /proc does not accept new folders`,
      );
      return true;
    });
  });
});
