import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlannedOutput } from '../../../src/core/files/planPull';
import { moveIntoPlace, rollBack, type Placing } from '../../../src/core/files/placeOutputs';
import { OutputExistsError } from '../../../src/core/oci/errors';

describe('placeOutputs: a Flux tree placed with the names the user agreed to replace', () => {
  let root: string;
  let target: string;
  let staged: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-place-'));
    target = path.join(root, 'target');
    staged = path.join(root, 'staged');
    await fs.mkdir(path.join(target, 'docs'), { recursive: true });
    await fs.mkdir(path.join(staged, 'docs'), { recursive: true });
    await fs.mkdir(path.join(root, 'aside'));
    await fs.writeFile(path.join(target, 'docs', 'agreed.md'), 'mine');
    await fs.writeFile(path.join(staged, 'docs', 'agreed.md'), 'theirs');
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
});
