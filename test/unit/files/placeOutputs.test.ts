import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlannedOutput } from '../../../src/core/files/planPull';
import { moveIntoPlace, rollBack, type Placing } from '../../../src/core/files/placeOutputs';
import { OutputExistsError } from '../../../src/core/oci/errors';
import { HeldTarget } from '../../../src/core/files/heldTarget';

describe('placeOutputs: a Flux tree placed with the names the user agreed to replace', () => {
  let root: string;
  let target: string;
  let staged: string;
  let held: HeldTarget;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-place-'));
    target = path.join(root, 'target');
    staged = path.join(root, 'staged');
    await fs.mkdir(path.join(target, 'docs'), { recursive: true });
    await fs.mkdir(path.join(staged, 'docs'), { recursive: true });
    await fs.mkdir(path.join(root, 'aside'));
    await fs.writeFile(path.join(target, 'docs', 'agreed.md'), 'mine');
    await fs.writeFile(path.join(staged, 'docs', 'agreed.md'), 'theirs');
    held = await HeldTarget.hold(target);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const flux = (): PlannedOutput =>
    ({
      title: '',
      path: target,
      intoTarget: true,
      unpack: true,
      size: 0,
      conflict: false,
      unchanged: false,
    }) as unknown as PlannedOutput;
  const placing = (agreed: string[]): Placing => ({
    held,
    aside: path.join(root, 'aside'),
    overwrite: false,
    replaceInTarget: new Set(agreed),
    done: [],
    createdDirs: [],
  });

  it('replaces the agreed name and keeps what is alike', async () => {
    await fs.writeFile(path.join(target, 'same.txt'), 'same');
    await fs.writeFile(path.join(staged, 'same.txt'), 'same');
    const tally = { written: 0, kept: 0 };
    await moveIntoPlace([flux()], () => staged, placing(['docs/agreed.md']), tally);
    assert.equal(await fs.readFile(path.join(target, 'docs', 'agreed.md'), 'utf8'), 'theirs');
    assert.deepEqual(tally, { written: 6, kept: 4 });
  });

  it('refuses a differing file nobody agreed to (a name the question could not see), and the rollback restores all', async () => {
    // What differingNames cannot see: on a case-insensitive file system "Readme.md" lands on "README.md"; here, a
    // file made there after the question was answered.
    await fs.writeFile(path.join(target, 'late.txt'), 'made since');
    await fs.writeFile(path.join(staged, 'late.txt'), 'theirs');
    const moves = placing(['docs/agreed.md']);
    await assert.rejects(
      moveIntoPlace([flux()], () => staged, moves, { written: 0, kept: 0 }),
      (err: unknown) => err instanceof OutputExistsError && /"late\.txt" already exists/.test(err.message),
    );
    await rollBack(moves.done, moves.createdDirs);
    assert.equal(await fs.readFile(path.join(target, 'late.txt'), 'utf8'), 'made since');
    assert.equal(await fs.readFile(path.join(target, 'docs', 'agreed.md'), 'utf8'), 'mine');
  });

  it('keeps a user file the rollback cannot put back beside its old place, never in the staging folder', async () => {
    // The user's file was moved aside; meanwhile a folder with content took its name, so it cannot go back.
    const original = path.join(target, 'report.txt');
    const aside = path.join(root, 'aside', '0');
    await fs.writeFile(aside, 'the user’s');
    await fs.mkdir(path.join(original, 'inside'), { recursive: true });
    const unrestored = await rollBack([{ from: original, to: aside, aside: true }], []);
    assert.deepEqual(unrestored, [{ original, keptAt: `${original}.stowage-kept` }]);
    assert.equal(await fs.readFile(`${original}.stowage-kept`, 'utf8'), 'the user’s');
    // A staged entry that cannot go back is the pull's own: it goes with the staging folder, unnamed.
    assert.deepEqual(await rollBack([{ from: original, to: path.join(staged, 'docs') }], []), []);
  });

  it('names the staging folder as where a user file stays when no name beside its place is free', async () => {
    const original = path.join(target, 'report.txt');
    const aside = path.join(root, 'aside', '0');
    await fs.writeFile(aside, 'the user’s');
    await fs.mkdir(path.join(original, 'inside'), { recursive: true });
    for (let n = 0; n < 100; n++) await fs.writeFile(`${original}.stowage-kept${n ? `-${n}` : ''}`, 'taken');
    assert.deepEqual(await rollBack([{ from: original, to: aside, aside: true }], []), [{ original, keptAt: aside }]);
    assert.equal(await fs.readFile(aside, 'utf8'), 'the user’s');
  });

  it('leaves a file saved over an output since the pull placed it, and keeps the user’s old one beside it', async () => {
    const report = path.join(target, 'report.txt');
    await fs.writeFile(report, 'the user’s first');
    await fs.writeFile(path.join(staged, 'report.txt'), 'pulled');
    const moves = { ...placing([]), overwrite: true };
    const output = { title: 'report.txt', path: report } as unknown as PlannedOutput;
    await moveIntoPlace([output], () => path.join(staged, 'report.txt'), moves, { written: 0, kept: 0 });
    assert.equal(await fs.readFile(report, 'utf8'), 'pulled');
    // An editor saves the file anew (a new file renamed over it) before the pull fails and rolls back.
    await fs.writeFile(`${report}.save`, 'the user’s latest');
    await fs.rename(`${report}.save`, report);
    const unrestored = await rollBack(moves.done, moves.createdDirs);
    assert.equal(await fs.readFile(report, 'utf8'), 'the user’s latest');
    assert.deepEqual(unrestored, [{ original: report, keptAt: `${report}.stowage-kept` }]);
    assert.equal(await fs.readFile(`${report}.stowage-kept`, 'utf8'), 'the user’s first');
  });

  /**
   * Runs `act` while someone creates a file at `name` just before Stowage's own call that would write there (the
   * window between a check that the name is free and the move onto it). Returns what that file holds afterwards.
   */
  async function withIntruderAt(name: string, act: () => Promise<unknown>): Promise<string> {
    const saved = { rename: fs.rename, link: fs.link, symlink: fs.symlink, mkdir: fs.mkdir };
    let made = false;
    const intrude = async (to: unknown) => {
      if (made || String(to) !== name) return;
      made = true;
      await saved.mkdir.call(fs, path.dirname(name), { recursive: true });
      await fs.writeFile(name, 'made meanwhile');
    };
    Object.assign(fs, {
      rename: async (from: string, to: string) => (await intrude(to), saved.rename(from, to)),
      link: async (from: string, to: string) => (await intrude(to), saved.link(from, to)),
      symlink: async (from: string, to: string) => (await intrude(to), saved.symlink(from, to)),
      mkdir: async (to: string, options?: object) => (await intrude(to), saved.mkdir(to, options)),
    });
    try {
      await act();
    } finally {
      Object.assign(fs, saved);
    }
    assert.ok(made, `nothing tried to write ${name}`);
    return fs.readFile(name, 'utf8');
  }

  it('never replaces a file made at the old place meanwhile when putting the user’s file back', async () => {
    const original = path.join(target, 'report.txt');
    const aside = path.join(root, 'aside', '0');
    await fs.writeFile(aside, 'the user’s');
    let unrestored: unknown;
    const there = await withIntruderAt(original, async () => {
      unrestored = await rollBack([{ from: original, to: aside, aside: true }], []);
    });
    assert.equal(there, 'made meanwhile');
    assert.deepEqual(unrestored, [{ original, keptAt: `${original}.stowage-kept` }]);
    assert.equal(await fs.readFile(`${original}.stowage-kept`, 'utf8'), 'the user’s');
  });

  for (const kind of ['file', 'folder'] as const)
    it(`never replaces a file made at the "kept" name meanwhile when keeping the user’s ${kind} beside`, async () => {
      const original = path.join(target, 'report');
      const aside = path.join(root, 'aside', '0');
      if (kind === 'file') await fs.writeFile(aside, 'the user’s');
      else {
        await fs.mkdir(aside);
        await fs.writeFile(path.join(aside, 'inside.txt'), 'the user’s');
      }
      await fs.writeFile(original, 'took its place');
      let unrestored: unknown;
      const there = await withIntruderAt(`${original}.stowage-kept`, async () => {
        unrestored = await rollBack([{ from: original, to: aside, aside: true }], []);
      });
      assert.equal(there, 'made meanwhile');
      assert.deepEqual(unrestored, [{ original, keptAt: `${original}.stowage-kept-1` }]);
      const kept = `${original}.stowage-kept-1`;
      assert.equal(await fs.readFile(kind === 'file' ? kept : path.join(kept, 'inside.txt'), 'utf8'), 'the user’s');
      assert.equal(await fs.readFile(original, 'utf8'), 'took its place');
    });

  it('puts the user’s file back on a file system without hard links, by a copy that replaces nothing either', async () => {
    const original = path.join(target, 'run.sh');
    const aside = path.join(root, 'aside', '0');
    await fs.writeFile(aside, '#!/bin/sh\n', { mode: 0o755 });
    const mtime = new Date('2020-01-02T03:04:05Z');
    await fs.utimes(aside, mtime, mtime);
    // exFAT, FAT and some network shares answer link(2) so.
    const link = fs.link;
    fs.link = async () => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    };
    let unrestored: unknown;
    try {
      unrestored = await rollBack([{ from: original, to: aside, aside: true }], []);
    } finally {
      fs.link = link;
    }
    assert.deepEqual(unrestored, []);
    const back = await fs.stat(original);
    assert.deepEqual([back.mode & 0o777, back.mtime.getTime()], [0o755, mtime.getTime()]);
    assert.equal(await fs.readFile(original, 'utf8'), '#!/bin/sh\n');
    await assert.rejects(fs.stat(aside), /ENOENT/);
  });
});
