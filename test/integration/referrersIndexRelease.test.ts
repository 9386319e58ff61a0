// A layout's referrers fallback index is rewritten on every attach; the one it replaces is removed with it when
// nothing else names it (it stayed in blobs/ until gc, growing with the square of the referrers), and kept when
// anything does. A crash between the steps (new index written, tag moved, old index removed) loses nothing: the
// worker kills itself with SIGKILL exactly there.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { MediaType } from '../../src/core/oci/mediaTypes';
import { digestOf } from '../../src/core/content/hashing';
import { cli, cliOk } from '../helpers/runCli';

const worker = path.join(__dirname, 'helpers', 'attachCrashWorker.js');

/** The digests of the image indexes stored in the layout's blobs. */
async function storedIndexes(layout: string): Promise<string[]> {
  const dir = path.join(layout, 'blobs', 'sha256');
  const found: string[] = [];
  for (const name of await fs.readdir(dir)) {
    const text = await fs.readFile(path.join(dir, name), 'utf8');
    if (text.includes(`"mediaType":"${MediaType.ociIndex}"`) && text.includes('"manifests"'))
      found.push(`sha256:${name}`);
  }
  return found.sort();
}

function runWorker(
  layout: string,
  file: string,
  crashAt: string,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, layout, 'v1', file, crashAt], { stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('a layout drops the referrers index an attach supersedes', function () {
  this.timeout(120_000);
  let work: string;

  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-index-release-'));
  });
  afterEach(() => fs.rm(work, { recursive: true, force: true }));

  async function subjectLayout(name: string): Promise<string> {
    const layout = path.join(work, name);
    await fs.writeFile(path.join(work, 'subject.txt'), 'the subject\n');
    await cliOk(['push', `oci:${layout}:v1`, path.join(work, 'subject.txt')]);
    return layout;
  }

  async function note(i: number): Promise<string> {
    const file = path.join(work, `note-${i}.txt`);
    await fs.writeFile(file, `note ${i}\n`);
    return file;
  }

  async function referrersOf(layout: string): Promise<string[]> {
    const listed = await cliOk(['discover', `oci:${layout}:v1`, '--format', 'json']);
    return (JSON.parse(listed.stdout) as { referrers: { digest: string }[] }).referrers.map((r) => r.digest).sort();
  }

  it('three attaches leave one index, the current one; gc finds nothing more to remove', async () => {
    const layout = await subjectLayout('three');
    for (let i = 0; i < 3; i++)
      await cliOk(['attach', `oci:${layout}:v1`, await note(i), '--artifact-type', 'application/x.note']);
    assert.equal((await referrersOf(layout)).length, 3);
    const fallback = (await cliOk(['resolve', `oci:${layout}:${await fallbackTag(layout)}`])).stdout.trim();
    assert.deepEqual(await storedIndexes(layout), [fallback]);
    const gc = await cliOk(['gc', layout, '--grace', '0', '--format', 'json']);
    assert.deepEqual((JSON.parse(gc.stdout) as { blobs: unknown[] }).blobs, []);
  });

  it('keeps a superseded index that a tag or another index names', async () => {
    const layout = await subjectLayout('named');
    await cliOk(['attach', `oci:${layout}:v1`, await note(0), '--artifact-type', 'application/x.note']);
    const first = (await cliOk(['resolve', `oci:${layout}:${await fallbackTag(layout)}`])).stdout.trim();
    await cliOk(['tag', `oci:${layout}@${first}`, 'pinned']);
    await cliOk(['attach', `oci:${layout}:v1`, await note(1), '--artifact-type', 'application/x.note']);
    assert.ok((await storedIndexes(layout)).includes(first), 'a tag names it: kept');
    // Listed in an index of one's own (untagged from its own tag): kept as well.
    const second = (await cliOk(['resolve', `oci:${layout}:${await fallbackTag(layout)}`])).stdout.trim();
    const target = await LayoutTarget.open(layout);
    const holder = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { mediaType: MediaType.ociIndex, digest: second, size: (await target.fetchManifest(second)).bytes.length },
        ],
      }),
    );
    await target.pushManifest(
      {
        mediaType: MediaType.ociIndex,
        digest: digestOf(holder),
        size: holder.length,
      },
      holder,
      { tag: 'holder' },
    );
    await cliOk(['attach', `oci:${layout}:v1`, await note(2), '--artifact-type', 'application/x.note']);
    assert.ok((await storedIndexes(layout)).includes(second), 'another index lists it: kept');
    assert.equal((await referrersOf(layout)).length, 3);
    const lint = await cli(['lint', layout]);
    assert.equal(lint.code, 0, lint.stdout);
  });

  it('a crash before the tag moves, or before the old index is removed, loses no referrer and leaves a valid layout', async () => {
    const layout = await subjectLayout('crash');
    const recorded: string[] = [];
    for (const [i, crashAt] of ['none', 'tag', 'none', 'release', 'none', 'release', 'tag', 'none'].entries()) {
      const run = await runWorker(layout, await note(i), crashAt);
      if (crashAt === 'none') {
        assert.equal(run.code, 0, run.stderr);
        recorded.push(run.stdout.trim());
      } else assert.equal(run.signal, 'SIGKILL', `${crashAt}: ${run.stderr}`);
      const listed = await referrersOf(layout);
      for (const digest of recorded) assert.ok(listed.includes(digest), `round ${i} (${crashAt}): ${digest} lost`);
      // Killed after the tag moved: that attach is recorded too.
      if (crashAt === 'release') recorded.push(...listed.filter((d) => !recorded.includes(d)));
      const lint = await cli(['lint', layout]);
      assert.equal(lint.code, 0, `round ${i} (${crashAt}): ${lint.stdout}`);
    }
    // What the crashes left is garbage gc removes: old indexes and unlisted referrers, never a listed one.
    await cliOk(['gc', layout, '--grace', '0', '--apply']);
    assert.deepEqual(await referrersOf(layout), [...recorded].sort());
    const fallback = (await cliOk(['resolve', `oci:${layout}:${await fallbackTag(layout)}`])).stdout.trim();
    assert.deepEqual(await storedIndexes(layout), [fallback]);
  });

  async function fallbackTag(layout: string): Promise<string> {
    const subject = (await cliOk(['resolve', `oci:${layout}:v1`])).stdout.trim();
    return subject.replace(':', '-');
  }
});
