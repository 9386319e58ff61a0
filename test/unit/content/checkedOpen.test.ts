// A layout file checked with lstat and opened later must be opened as that very file: a symbolic link or
// another file swapped in between the check and the open is refused with an error naming the file. The swap
// is done for real between the two steps (a layout's blobFile check, then the copy's read of it).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import {
  SymlinkRefusedError,
  LayoutSymlinkError,
  fileBlobContent,
  fileChunks,
  openLayoutFile,
  openNoFollow,
  readLayoutFile,
} from '../../../src/core/content';
import { digestOf } from '../../../src/core/content/hashing';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';

describe('files checked then opened: a link or another file swapped in between is refused', () => {
  let dir: string;
  let outside: string;
  const bytes = Buffer.from('the layer the layout holds');
  const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-checked-open-'));
    // A file outside the layout with the same bytes: the digest check alone would not notice reading it.
    outside = path.join(dir, 'outside.bin');
    await fs.writeFile(outside, bytes);
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('openNoFollow refuses a symbolic link with an error naming the file, without reading the target', async () => {
    const link = path.join(dir, 'link.bin');
    await fs.symlink(outside, link);
    await assert.rejects(openNoFollow(link, 'blob x'), (err: unknown) => {
      assert.ok(err instanceof SymlinkRefusedError, String(err));
      assert.match(
        (err as Error).message,
        /^blob x: .*link\.bin is a symbolic link \(it was checked as a regular file\): Stowage does not read it through the link$/,
      );
      return true;
    });
  });

  it('openNoFollow and openLayoutFile refuse a different regular file renamed into place after the lstat', async () => {
    const file = path.join(dir, 'index.json');
    await fs.writeFile(file, '{"checked":true}');
    const checked = await fs.lstat(file);
    const replacement = path.join(dir, 'replacement');
    await fs.writeFile(replacement, '{"checked":false}');
    await fs.rename(replacement, file);
    await assert.rejects(openNoFollow(file, 'index', checked), /index: .*index\.json was replaced by another file/);
    await assert.rejects(openLayoutFile(dir, file, 'index', checked), /was replaced by another file/);
    await assert.rejects(readLayoutFile(dir, file, 1024, 'index', undefined, checked), /was replaced by another file/);
    // Without a check to compare, the file there now is read (as a regular file).
    assert.equal((await readLayoutFile(dir, file, 1024, 'index')).toString(), '{"checked":false}');
  });

  it('a layout blob swapped for a link after blobFile checked it is not read when it is copied', async () => {
    const source = await LayoutTarget.open(path.join(dir, 'source'), { create: true });
    await source.pushBlob(descriptor, async () => Readable.from([bytes]));
    const file = await source.blobFile(descriptor);
    assert.ok(file?.checked, 'the layout hands out the identity it checked');

    // The swap, between the check and the read: the blob becomes a link to the outside file (same bytes).
    await fs.rm(file.path);
    await fs.symlink(outside, file.path);

    const destination = await LayoutTarget.open(path.join(dir, 'destination'), { create: true });
    const content = fileBlobContent(
      file.path,
      () => Promise.reject(new Error('the file is read, not the stream')),
      file.checked,
    );
    await assert.rejects(destination.pushBlob(descriptor, content), SymlinkRefusedError);
    assert.equal(await destination.exists(descriptor), false);
    await assert.rejects(async () => {
      for await (const _ of fileChunks(file.path, { checked: file.checked })) assert.fail('nothing is read');
    }, SymlinkRefusedError);
    // Opened fresh through the layout, the link is refused as a link in the layout.
    await assert.rejects(source.fetchBlob(descriptor), LayoutSymlinkError);
  });

  it('a file given without a check (a file the user named to push) is still read through a link', async () => {
    const link = path.join(dir, 'named-by-the-user.bin');
    await fs.symlink(outside, link);
    const chunks: Buffer[] = [];
    for await (const chunk of fileChunks(link)) chunks.push(Buffer.from(chunk));
    assert.deepEqual(Buffer.concat(chunks), bytes);
  });
});
