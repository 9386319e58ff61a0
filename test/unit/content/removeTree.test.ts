// A staging folder of a large backup is removed with memory that does not grow with its number of files: at most
// UNLINKS_IN_FLIGHT unlinks at once (fs.rm's recursive removal started one per file: 331 MiB for 120,000 blobs).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeTree, UNLINKS_IN_FLIGHT } from '../../../src/core/content/removeTree';

describe('removeTree', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-remove-tree-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes nested folders, files and links, never what a link points to', async () => {
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'keep');
    const root = path.join(dir, 'staging');
    fs.mkdirSync(path.join(root, 'blobs', 'sha256'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.json'), '{}');
    fs.writeFileSync(path.join(root, 'blobs', 'sha256', 'a'), 'a');
    fs.symlinkSync(outside, path.join(root, 'blobs', 'linked-folder'));
    fs.symlinkSync(path.join(outside, 'keep.txt'), path.join(root, 'linked-file'));
    await removeTree(root);
    assert.equal(fs.existsSync(root), false);
    assert.equal(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8'), 'keep');
  });

  it('is done at once for a folder that is not there', async () => {
    await removeTree(path.join(dir, 'missing'));
  });

  it(`has at most ${UNLINKS_IN_FLIGHT} unlinks in flight however many files the folder holds`, async () => {
    const root = path.join(dir, 'many');
    fs.mkdirSync(root);
    for (let i = 0; i < UNLINKS_IN_FLIGHT * 4; i++) fs.writeFileSync(path.join(root, String(i)), '');
    const unlink = fs.promises.unlink;
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    fs.promises.unlink = async (file) => {
      calls++;
      most = Math.max(most, ++inFlight);
      try {
        return await unlink(file);
      } finally {
        inFlight--;
      }
    };
    try {
      await removeTree(root);
    } finally {
      fs.promises.unlink = unlink;
    }
    assert.equal(calls, UNLINKS_IN_FLIGHT * 4);
    assert.ok(most <= UNLINKS_IN_FLIGHT, `${most} unlinks at once`);
    assert.equal(fs.existsSync(root), false);
  });

  it('fails naming the entry it could not remove, and leaves the folder', async () => {
    const root = path.join(dir, 'stuck');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a'), 'a');
    const unlink = fs.promises.unlink;
    fs.promises.unlink = async () => {
      throw Object.assign(new Error(`EACCES: permission denied, unlink '${path.join(root, 'a')}'`), { code: 'EACCES' });
    };
    try {
      await assert.rejects(removeTree(root), /EACCES.*stuck/);
    } finally {
      fs.promises.unlink = unlink;
    }
    assert.equal(fs.existsSync(root), true);
  });
});
