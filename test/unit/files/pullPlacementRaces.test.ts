// A pull stages everything first and places it last: what changes in the target meanwhile (while it downloads) is
// someone's. A file made at an output's name is not replaced; a link swapped in for the target (the user's or one
// the pull made) or for a folder inside it is not followed: nothing is written outside the target.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { buildArtifactManifest, pullFiles, type BlobSource } from '../../../src/core/files';
import { OutputExistsError, UnsafePathError } from '../../../src/core/oci/errors';
import { fileLayer } from '../../fixtures/hostile/pullCases';
import type { Descriptor } from '../../../src/core/oci/descriptor';

/** A source that lets `duringDownload` act once, while the first blob is being fetched (after the plan). */
function slowSource(layers: { descriptor: Descriptor; bytes: Buffer }[], duringDownload: () => Promise<void>) {
  let acted = false;
  const source: BlobSource = {
    async fetchBlob(descriptor) {
      if (!acted) {
        acted = true;
        await duringDownload();
      }
      return Readable.from([layers.find((l) => l.descriptor.digest === descriptor.digest)!.bytes]);
    },
  };
  return {
    manifest: buildArtifactManifest({ layers: layers.map((l) => l.descriptor), created: false }).manifest,
    source,
  };
}

/**
 * Once the pull places `placed` (a hard link to its staged file), the folder holding it is moved to `movedTo` and
 * a link to `outside` takes its place. The function returned takes the hook away.
 */
function swapForLinkOnPlacing(placed: string, movedTo: string, outside: string): () => void {
  const link = fs.link;
  fs.link = async (from, to) => {
    await link(from, to);
    if (to === placed) {
      await fs.rename(path.dirname(placed), movedTo);
      await fs.symlink(outside, path.dirname(placed));
    }
  };
  return () => {
    fs.link = link;
  };
}

async function listing(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).map(String).sort();
}

describe('pull placement against a target that changes during the pull', () => {
  let root: string;
  let target: string;
  let outside: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-pull-race-'));
    target = path.join(root, 'target');
    outside = path.join(root, 'outside');
    await fs.mkdir(target);
    await fs.mkdir(outside);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('does not replace a file made at an output’s name during the pull, and writes nothing else', async () => {
    const layers = [fileLayer('a.txt', 'pulled a'), fileLayer('report.txt', 'pulled report')];
    const { manifest, source } = slowSource(layers, async () => {
      await fs.writeFile(path.join(target, 'report.txt'), 'the user’s, made during the pull');
    });
    await assert.rejects(
      pullFiles(manifest, source, target),
      (err: unknown) =>
        err instanceof OutputExistsError && /"report\.txt" was created in .* during the pull/.test(err.message),
    );
    assert.equal(await fs.readFile(path.join(target, 'report.txt'), 'utf8'), 'the user’s, made during the pull');
    assert.deepEqual(await listing(target), ['report.txt'], 'a.txt was taken back');
  });

  it('writes nothing through a link swapped in for the target folder during the pull', async () => {
    const layers = [fileLayer('a.txt', 'pulled a')];
    const { manifest, source } = slowSource(layers, async () => {
      await fs.rename(target, path.join(root, 'moved'));
      await fs.symlink(outside, target);
    });
    await assert.rejects(
      pullFiles(manifest, source, target),
      (err: unknown) => err instanceof UnsafePathError && /the target folder was replaced/.test(err.message),
    );
    assert.deepEqual(await listing(outside), []);
    assert.deepEqual(await listing(path.join(root, 'moved')), []);
  });

  it('writes nothing through a link swapped in for the target folder the pull made', async () => {
    const made = path.join(root, 'new');
    const layers = [fileLayer('a.txt', 'pulled a')];
    const { manifest, source } = slowSource(layers, async () => {
      await fs.rmdir(made);
      await fs.symlink(outside, made);
    });
    await assert.rejects(pullFiles(manifest, source, made), UnsafePathError);
    assert.deepEqual(await listing(outside), []);
  });

  it('writes nothing through a link swapped in for a folder inside the target between two outputs', async () => {
    const layers = [fileLayer('sub/a.txt', 'pulled a'), fileLayer('sub/b.txt', 'pulled b')];
    const { manifest, source } = slowSource(layers, async () => undefined);
    // Once the first output is in its folder, that folder becomes a link out of the target.
    const unhook = swapForLinkOnPlacing(path.join(target, 'sub', 'a.txt'), path.join(root, 'sub-moved'), outside);
    try {
      await assert.rejects(
        pullFiles(manifest, source, target),
        (err: unknown) =>
          err instanceof UnsafePathError && /"sub" became a symbolic link during the pull/.test(err.message),
      );
    } finally {
      unhook();
    }
    assert.deepEqual(await listing(outside), []);
  });
});

describe('a pull’s rollback, and an overwrite, against what someone does in the target meanwhile', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-pull-folders-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps an empty folder made inside the target the pull made, and names it', async () => {
    const target = path.join(root, 'made-by-pull');
    const layers = [fileLayer('a.txt', 'pulled a'), fileLayer('b.txt', 'pulled b')];
    const { manifest, source } = slowSource(layers, async () => {
      await fs.mkdir(path.join(target, 'mine'));
      await fs.writeFile(path.join(target, 'b.txt'), 'the user’s, made during the pull');
    });
    await assert.rejects(
      pullFiles(manifest, source, target),
      (err: unknown) => /"b\.txt" was created in .* during the pull/.test(String(err)) && /mine/.test(String(err)),
    );
    assert.deepEqual(await listing(target), ['b.txt', 'mine']);
  });

  it('keeps an empty folder made inside a folder the pull made in the target', async () => {
    const target = path.join(root, 'target');
    await fs.mkdir(target);
    const layers = [fileLayer('new/a.txt', 'pulled a'), fileLayer('b.txt', 'pulled b')];
    const { manifest, source } = slowSource(layers, async () => undefined);
    const link = fs.link;
    fs.link = async (from, to) => {
      await link(from, to);
      if (to === path.join(target, 'new', 'a.txt')) {
        await fs.mkdir(path.join(target, 'new', 'mine'));
        await fs.writeFile(path.join(target, 'b.txt'), 'the user’s, made during the pull');
      }
    };
    try {
      await assert.rejects(pullFiles(manifest, source, target), (err: unknown) =>
        /"b\.txt" was created in .* during the pull.*new[/\\]mine"/.test(String(err)),
      );
    } finally {
      fs.link = link;
    }
    assert.deepEqual(await listing(target), ['b.txt', 'new', path.join('new', 'mine')]);
  });

  it('never moves a file from outside the target (aside, and back into the target) through a link swapped in and out', async () => {
    const [target, outside] = [path.join(root, 'target'), path.join(root, 'outside')];
    await fs.mkdir(path.join(target, 'sub'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(target, 'sub', 'data.bin'), 'the user’s old data, to be replaced');
    await fs.writeFile(path.join(outside, 'data.bin'), 'somebody else’s, outside the target');
    const { manifest, source } = slowSource([fileLayer('sub/data.bin', 'pulled data')], async () => undefined);
    const [open, rename] = [fs.open, fs.rename];
    const moved = path.join(root, 'sub-moved');
    // While the pull compares the file it is about to replace (a long read for a big file), "sub" becomes a link
    // out of the target; once the move aside has gone through it, the link goes and the real folder is back.
    fs.open = (async (file: string, flags?: string) => {
      const handle = await open(file, flags);
      if (file === path.join(target, 'sub', 'data.bin') && fs.open !== open) {
        fs.open = open;
        await rename(path.join(target, 'sub'), moved);
        await fs.symlink(outside, path.join(target, 'sub'));
      }
      return handle;
    }) as typeof fs.open;
    fs.rename = (async (from: string, to: string) => {
      await rename(from, to);
      if (from === path.join(target, 'sub', 'data.bin')) {
        fs.rename = rename;
        await fs.unlink(path.join(target, 'sub'));
        await rename(moved, path.join(target, 'sub'));
      }
    }) as typeof fs.rename;
    try {
      await assert.rejects(
        pullFiles(manifest, source, target, { overwrite: true }),
        (err: unknown) => err instanceof UnsafePathError && /"sub" became a symbolic link/.test(err.message),
      );
    } finally {
      [fs.open, fs.rename] = [open, rename];
    }
    assert.equal(await fs.readFile(path.join(outside, 'data.bin'), 'utf8'), 'somebody else’s, outside the target');
    assert.deepEqual(await listing(outside), ['data.bin']);
    // Refused at the link: the user's file is as it was, in the folder the swap moved away.
    assert.equal(await fs.readFile(path.join(moved, 'data.bin'), 'utf8'), 'the user’s old data, to be replaced');
  });

  it('never puts the user’s replaced file back through the link, out of the target: it stays in the staging folder, named', async () => {
    const [target, outside] = [path.join(root, 'target'), path.join(root, 'outside')];
    await fs.mkdir(path.join(target, 'sub'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(target, 'sub', 'a.txt'), 'the user’s a');
    await fs.writeFile(path.join(target, 'sub', 'b.txt'), 'the user’s b');
    const layers = [fileLayer('sub/a.txt', 'pulled a'), fileLayer('sub/b.txt', 'pulled b')];
    const { manifest, source } = slowSource(layers, async () => undefined);
    // Once the pull replaced a.txt (the user's moved aside), "sub" becomes a link out of the target.
    const unhook = swapForLinkOnPlacing(path.join(target, 'sub', 'a.txt'), path.join(root, 'sub-moved'), outside);
    let failure: unknown;
    try {
      await pullFiles(manifest, source, target, { overwrite: true }).catch((err: unknown) => (failure = err));
    } finally {
      unhook();
    }
    assert.deepEqual(await listing(outside), [], 'nothing of the user’s went out through the link');
    assert.match(String(failure), /"sub" became a symbolic link during the pull/);
    const kept = /"[^"]*a\.txt" is in "([^"]+)"/.exec(String(failure))?.[1];
    assert.ok(kept, String(failure));
    assert.equal(await fs.readFile(kept, 'utf8'), 'the user’s a');
  });
});
