// A folder moved into the workspace is looked into for layouts below it, within bounds a huge folder cannot break.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { holdsLayoutWithin } from '../../../src/core/lint';

describe('holdsLayoutWithin', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-within-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const layoutAt = (...parts: string[]) => {
    const folder = path.join(dir, ...parts);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    return folder;
  };
  const limits = { maxDepth: 6, maxFolders: 400 };

  it('finds a layout nested a few levels down, and the folder that is one itself', async () => {
    layoutAt('moved', 'team', 'builds', 'app');
    assert.equal(await holdsLayoutWithin([path.join(dir, 'moved')], limits), true);
    assert.equal(await holdsLayoutWithin([path.join(dir, 'moved', 'team', 'builds', 'app')], limits), true);
    assert.equal(
      await holdsLayoutWithin([path.join(dir, 'moved', 'team', 'builds', 'app', 'oci-layout')], limits),
      false,
    );
  });

  it('stops at the depth cap', async () => {
    layoutAt('a', 'b', 'c', 'd');
    assert.equal(await holdsLayoutWithin([path.join(dir, 'a')], { maxDepth: 2, maxFolders: 400 }), false);
    assert.equal(await holdsLayoutWithin([path.join(dir, 'a')], { maxDepth: 3, maxFolders: 400 }), true);
  });

  it('stops at the folder cap: a folder holding many folders costs a bounded number of listings', async () => {
    for (let i = 0; i < 50; i++)
      fs.mkdirSync(path.join(dir, 'wide', `f${String(i).padStart(2, '0')}`, 'x'), { recursive: true });
    layoutAt('wide', 'f49', 'x', 'layout');
    assert.equal(await holdsLayoutWithin([path.join(dir, 'wide')], { maxDepth: 6, maxFolders: 20 }), false);
    assert.equal(await holdsLayoutWithin([path.join(dir, 'wide')], { maxDepth: 6, maxFolders: 200 }), true);
  });

  it('reads at most maxEntriesRead entries of a folder: a folder of thousands of files is not listed whole', async () => {
    fs.mkdirSync(path.join(dir, 'many'));
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(dir, 'many', `file-${i}`), '');
    layoutAt('many', 'sub', 'layout');
    const within = (maxEntriesRead: number) =>
      holdsLayoutWithin([path.join(dir, 'many')], { maxDepth: 6, maxFolders: 400, maxEntriesRead });
    assert.equal(await within(301), true, 'every entry read: the layout is found');
    // Which entries come first is the file system's order: with one entry read, the folder is found only when it
    // comes first, which 300 files make unlikely but not impossible; with none read, never.
    assert.equal(await within(0), false);
  });

  it('follows no links and skips node_modules', async () => {
    const elsewhere = layoutAt('elsewhere');
    fs.mkdirSync(path.join(dir, 'moved'));
    fs.symlinkSync(elsewhere, path.join(dir, 'moved', 'link'));
    fs.symlinkSync(path.join(dir, 'moved'), path.join(dir, 'moved', 'loop'));
    layoutAt('moved', 'node_modules', 'pkg');
    assert.equal(await holdsLayoutWithin([path.join(dir, 'moved')], limits), false);
  });
});
