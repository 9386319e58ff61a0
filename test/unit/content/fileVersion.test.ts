// A file's version (device, inode, size, times) tells two changes apart however close together they land: the
// times are the kernel's whole nanoseconds, where the float milliseconds Node also gives hold a quarter of a
// microsecond at today's dates. Used by the push's secrets check (a file found clean is read again only when its
// version changed) and by index.json's cache.
import * as assert from 'node:assert/strict';
import { promises as fs, type BigIntStats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileVersion, fileVersionNow } from '../../../src/core/content';

describe('fileVersion', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-file-version-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('tells apart change times 100 ns apart, which are one time as float milliseconds', async () => {
    const file = path.join(dir, 'notes.txt');
    await fs.writeFile(file, 'notes\n');
    const stats = await fs.stat(file, { bigint: true });
    // The kernel's change time cannot be set from here: the next change as it would read 100 ns later. Whether 100 ns
    // more rounds to the same float depends on where the time falls in a float's step (~244 ns now): start from the
    // nearest nanosecond at which it does.
    const sameFloat = (ns: bigint) => Number(ns) / 1e6 === Number(ns + 100n) / 1e6;
    let ctimeNs = stats.ctimeNs;
    while (!sameFloat(ctimeNs)) ctimeNs++;
    const read = { ...stats, ctimeNs } as BigIntStats;
    const later = { ...read, ctimeNs: read.ctimeNs + 100n } as BigIntStats;
    assert.equal(Number(later.ctimeNs) / 1e6, Number(read.ctimeNs) / 1e6, 'the float milliseconds are one');
    assert.notEqual(fileVersion(later), fileVersion(read));
    const touched = { ...read, mtimeNs: read.mtimeNs + 100n } as BigIntStats;
    assert.notEqual(fileVersion(touched), fileVersion(read));
  });

  it('is the same for the same file unchanged, another once it is rewritten, none for a missing file', async () => {
    const file = path.join(dir, 'notes.txt');
    await fs.writeFile(file, 'notes\n');
    const first = await fileVersionNow(file);
    assert.equal(await fileVersionNow(file), first);
    assert.equal(fileVersion(await fs.stat(file, { bigint: true })), first);
    // Same size and the modification time put back: the change time still differs.
    const { mtime } = await fs.stat(file);
    await fs.writeFile(file, 'NOTES\n');
    await fs.utimes(file, mtime, mtime);
    assert.notEqual(await fileVersionNow(file), first);
    assert.equal(await fileVersionNow(path.join(dir, 'missing')), undefined);
  });
});
