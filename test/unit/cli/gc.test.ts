// `stowage gc` in-process over a real layout: a dry run changes nothing; --apply removes unreferenced blobs and
// temporaries left by crashed writers, and keeps what is referenced and what a live writer is still writing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { cli } from '../../helpers/runCli';
import { pushArtifact, type PushedArtifact } from '../../helpers/sampleArtifact';

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

async function age(file: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await fs.utimes(file, then, then);
}

/** Every entry under `dir` with its size, to prove a dry run touched nothing. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries.map(async (e) => {
      const full = path.join(e.parentPath ?? e.path, e.name);
      const stat = await fs.lstat(full);
      return `${path.relative(dir, full)} ${e.isDirectory() ? 'dir' : stat.size} ${stat.mtimeMs}`;
    }),
  ).then((list) => list.sort());
}

describe('stowage gc', () => {
  let dir: string;
  let root: string;
  let layout: LayoutTarget;
  let kept: PushedArtifact;
  let orphan: PushedArtifact;
  let crashedBlobTemp: string;
  let crashedIndexTemp: string;
  let crashedPull: string;
  let liveTemp: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-gc-'));
    root = path.join(dir, 'layout');
    layout = await LayoutTarget.open(root, { create: true });
    kept = await pushArtifact(layout, 'referenced layer', { tag: 'v1' });
    orphan = await pushArtifact(layout, 'orphan layer of 23 bytes', { tag: 'old' });
    await layout.untag('old');
    for (const blob of [kept.layer, kept.manifest, orphan.layer, orphan.manifest])
      await age(layout.blobPath(blob.digest), 2 * 3600_000);
    const dead = deadPid();
    crashedBlobTemp = path.join(root, 'blobs', `.stowage-${dead}-0123456789ab.tmp`);
    await fs.writeFile(crashedBlobTemp, 'half a blob');
    await age(crashedBlobTemp, 2 * 60_000); // its writer is gone and it has been idle for two minutes
    crashedIndexTemp = path.join(root, `.stowage-${process.pid}-aaaaaaaaaaaa.tmp`);
    await fs.writeFile(crashedIndexTemp, '{"schemaVersion"');
    await age(crashedIndexTemp, 2 * 3600_000); // idle for two hours: left over, whoever wrote it
    crashedPull = path.join(root, '.stowage-pull-Xy12Ab');
    await fs.mkdir(path.join(crashedPull, 'out'), { recursive: true });
    await fs.writeFile(path.join(crashedPull, 'out', 'file.txt'), 'staged');
    for (const entry of [path.join(crashedPull, 'out', 'file.txt'), path.join(crashedPull, 'out'), crashedPull])
      await age(entry, 2 * 3600_000);
    liveTemp = path.join(root, 'blobs', `.stowage-${process.pid}-bbbbbbbbbbbb.tmp`);
    await fs.writeFile(liveTemp, 'being written');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('dry run (the default) lists blobs and stale temporaries with sizes and changes nothing', async () => {
    const before = await snapshot(root);
    const run = await cli(['gc', root]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`would remove blob ${orphan.layer.digest} \\(${orphan.layer.size} B\\)`));
    assert.match(run.stdout, new RegExp(`would remove blob ${orphan.manifest.digest}`));
    assert.match(run.stdout, /would remove temporary blobs\/\.stowage-\d+-0123456789ab\.tmp \(11 B\)/);
    assert.match(run.stdout, /would remove temporary \.stowage-\d+-a{12}\.tmp/);
    assert.match(run.stdout, /would remove temporary \.stowage-pull-Xy12Ab \(6 B\)/);
    assert.doesNotMatch(run.stdout, /bbbbbbbbbbbb/);
    for (const blob of [kept.layer, kept.manifest]) assert.ok(!run.stdout.includes(blob.digest), blob.digest);
    assert.match(
      run.stdout,
      /dry run: would remove 2 unreferenced blobs and 3 stale temporary items.*nothing was removed \(run again with --apply to remove\)/,
    );
    assert.deepEqual(await snapshot(root), before);
  });

  it("--apply removes unreferenced blobs and stale temporaries, keeping referenced blobs and a live writer's temp file", async () => {
    const run = await cli(['gc', `oci:${root}`, '--apply', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      applied: boolean;
      blobs: { digest: string; size: number }[];
      temporaries: { path: string; size: number }[];
      bytes: number;
    };
    assert.equal(report.applied, true);
    assert.deepEqual(report.blobs.map((b) => b.digest).sort(), [orphan.layer.digest, orphan.manifest.digest].sort());
    assert.equal(report.temporaries.length, 3);
    assert.equal(report.bytes, orphan.layer.size + orphan.manifest.size + 11 + 16 + 6);
    for (const gone of [
      crashedBlobTemp,
      crashedIndexTemp,
      crashedPull,
      layout.blobPath(orphan.layer.digest),
      layout.blobPath(orphan.manifest.digest),
    ]) {
      await assert.rejects(fs.lstat(gone), /ENOENT/, gone);
    }
    assert.equal(await fs.readFile(liveTemp, 'utf8'), 'being written');
    for (const blob of [kept.layer, kept.manifest]) assert.ok(await layout.exists(blob), blob.digest);
    assert.equal((await layout.resolve('v1')).digest, kept.manifest.digest);
    assert.match((await cli(['gc', root])).stdout, /nothing to remove/);
  });

  it('keeps unreferenced blobs younger than the grace period, which a push in progress may still tag', async () => {
    const fresh = await pushArtifact(layout, 'pushed a moment ago');
    const run = await cli(['gc', root, '--apply']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(await layout.exists(fresh.layer));
    assert.equal(await layout.exists(orphan.layer), false);
    // Said, so that "nothing to remove" next to an unreferenced blob Validate reports is not a riddle.
    assert.match(
      run.stdout,
      /^kept 2 unreferenced blobs \(.*\) younger than 600 s: a push may still tag it \(--grace 0 removes them\)$/m,
    );
    assert.equal((await cli(['gc', root, '--grace', '0'])).stdout.includes(fresh.layer.digest), true);
  });

  it('refuses a tag or digest, and an oci: reference to a folder that is not a layout, saying why', async () => {
    const tagged = await cli(['gc', `oci:${root}:v1`]);
    assert.equal(tagged.code, 2, tagged.stderr);
    assert.match(tagged.stderr, /gc works on a whole layout/);
    const notLayout = await cli(['gc', `oci:${dir}`]);
    assert.notEqual(notLayout.code, 0);
    assert.match(notLayout.stderr, /is not an OCI image layout/);
    const plain = await cli(['gc', dir]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stdout,
      /nothing to remove in .* \(not an OCI layout: only pull staging folders were looked for\)/,
    );
  });
});
