// A push looks for secrets twice: the CLI (or the editor's question) before opening the destination, and packFiles
// as the engine's safety net. The first look's verdict lets the second skip reading the heads of files that are the
// same file, unchanged, and read again only those that changed: a folder's heads are read once, and a file turned
// into a key between the two looks is still refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSensitiveFiles, packFiles, SensitiveFilesError } from '../../../src/core/files';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

describe('push: the look for secrets reads each file once', () => {
  let dir: string;
  let folder: string;
  /** Files under `folder` opened for a head read ('r'), while `counting`. */
  let opened: string[];
  const realOpen = fs.promises.open;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-sensitive-once-'));
    folder = path.join(dir, 'site');
    fs.mkdirSync(path.join(folder, 'css'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'index.html'), '<p>hi</p>\n');
    fs.writeFileSync(path.join(folder, 'css', 'site.css'), 'p {}\n');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'nothing secret here, and a little more text\n');
    opened = [];
    fs.promises.open = (async (file: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
      if (flags === 'r' && String(file).startsWith(folder)) opened.push(path.relative(folder, String(file)));
      return realOpen(file, flags, mode);
    }) as typeof fs.promises.open;
  });
  afterEach(() => {
    fs.promises.open = realOpen;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Files opened with 'r' by a pack of `folder`, given the look `checked` (or none). */
  async function opensOfPack(checked?: Awaited<ReturnType<typeof findSensitiveFiles>>['checked']): Promise<string[]> {
    opened = [];
    const packed = await packFiles([folder], {
      stagingDir: dir,
      ...(checked ? { sensitiveFilesChecked: checked } : {}),
    });
    await packed.cleanup();
    return opened.sort();
  }

  it('an unchanged folder’s heads are read once: the pack trusts the look made before it', async () => {
    const look = await findSensitiveFiles([folder]);
    assert.deepEqual(look.files, []);
    assert.deepEqual(opened.sort(), ['css/site.css', 'index.html', 'notes.txt'], 'the look reads each head');
    const withoutLook = await opensOfPack();
    const withLook = await opensOfPack(look.checked);
    // Whatever else packing opens, it opens each file once less: its own look read no head again.
    const count = (list: string[], file: string) => list.filter((f) => f === file).length;
    for (const file of ['css/site.css', 'index.html', 'notes.txt'])
      assert.equal(count(withLook, file), count(withoutLook, file) - 1, `${file}: ${withLook} vs ${withoutLook}`);
  });

  it('a file turned into a private key between the look and the pack is read again and refused', async () => {
    const look = await findSensitiveFiles([folder]);
    assert.deepEqual(look.files, []);
    fs.writeFileSync(path.join(folder, 'notes.txt'), KEY);
    await assert.rejects(
      packFiles([folder], { stagingDir: dir, sensitiveFilesChecked: look.checked }),
      (err: unknown) => err instanceof SensitiveFilesError && err.files.join() === path.join(folder, 'notes.txt'),
    );
    // A file replaced by another (a new inode), even of the same size and content, is read again too.
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'nothing secret here, and a little more text\n');
    const again = await findSensitiveFiles([folder]);
    const replacement = path.join(dir, 'replacement');
    fs.writeFileSync(replacement, KEY.slice(0, 44).replace(/./g, 'x') + '\n');
    fs.renameSync(replacement, path.join(folder, 'notes.txt'));
    opened = [];
    await findSensitiveFiles([folder], undefined, again.checked);
    assert.deepEqual(opened, ['notes.txt']);
  });
});
