// The CLI and layout archives: writes into an oci-archive: destination become the archive only when the command
// succeeds; after a failure the user is told where the work so far is kept, and the rerun resumes from it.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ArchiveTarget, LayoutTarget, stagingFolderOf } from '../../../src/core/layout';
import { acquireFileLock } from '../../../src/core/layout/fileLock';
import { layoutEntries } from '../../fixtures/hostile/layoutArchives';
import { cli, cliProcess } from '../../helpers/runCli';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { buildTar } from '../../helpers/tarBuilder';

describe('stowage and oci-archive: destinations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-archive-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a copy that fails part way says where its work is kept; the rerun from a good source finishes the archive', async () => {
    const payload = Buffer.from('payload of the hostile layout archive\n');
    const forged = Buffer.from(payload);
    forged[0] = forged[0]! ^ 0x20;
    const bad = path.join(dir, 'bad.tar');
    await fs.writeFile(bad, await buildTar(layoutEntries(forged)));
    const good = path.join(dir, 'good.tar');
    await fs.writeFile(good, await buildTar(layoutEntries()));
    const destination = path.join(dir, 'out.tar');

    const failed = await cli(['copy', `oci-archive:${bad}:v1`, `oci-archive:${destination}:v1`]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /digest mismatch/);
    const staging = stagingFolderOf(destination);
    assert.ok(
      failed.stderr.includes(`note: what was written so far is kept in ${staging}; run the same command again`),
      failed.stderr,
    );
    await assert.rejects(fs.stat(destination), 'a failed copy wrote the archive');

    const rerun = await cli(['copy', `oci-archive:${good}:v1`, `oci-archive:${destination}:v1`]);
    assert.equal(rerun.code, 0, rerun.stderr);
    await assert.rejects(fs.stat(staging), 'staging left after success');
    const archive = await ArchiveTarget.open(destination);
    assert.equal((await archive.resolve('v1')).digest, (await (await ArchiveTarget.open(good)).resolve('v1')).digest);
  });

  it('two processes writing one archive at once take turns: neither writes while the lock is held, both tags end up in it', async function () {
    this.timeout(30_000);
    const sources = await Promise.all(
      ['one', 'two'].map(async (name) => {
        const layout = await LayoutTarget.open(path.join(dir, name), { create: true });
        const pushed = await pushArtifact(layout, randomBytes(8 * 1024 * 1024), { tag: name });
        return { name, layout, digest: pushed.manifest.digest };
      }),
    );
    const destination = path.join(dir, 'shared.tar');
    // Another writer holds the archive: both processes start and must wait, writing nothing, until it lets go.
    const holder = await ArchiveTarget.open(destination, { create: true });
    const release = await acquireFileLock(holder.lockFile);
    const waiting = sources.map(() => saysItWaits());
    const runs = Promise.all(
      sources.map((s, i) =>
        cliProcess(
          ['copy', `oci:${s.layout.root}:${s.name}`, `oci-archive:${destination}:${s.name}`],
          {},
          {
            onStderr: waiting[i]!.onStderr,
          },
        ),
      ),
    );
    // Both reached the lock (each says whom it waits for after a second), however slowly they started.
    await Promise.all(waiting.map((w) => w.said));
    await assert.rejects(fs.stat(stagingFolderOf(destination)), 'a writer staged while another held the lock');
    await assert.rejects(fs.stat(destination), 'a writer wrote the archive while another held the lock');
    await release();
    for (const run of await runs) assert.equal(run.code, 0, run.stderr);
    const archive = await ArchiveTarget.open(destination);
    for (const s of sources) assert.equal((await archive.resolve(s.name)).digest, s.digest, `tag ${s.name} was lost`);
    assert.deepEqual(
      (await fs.readdir(dir)).filter((n) => n.startsWith('.')),
      [],
      'staging, lock or temp files were left beside the archive',
    );
  });

  it('a write that waits for another writer of the archive says whom it waits for, once, instead of looking hung', async function () {
    this.timeout(30_000);
    const layout = await LayoutTarget.open(path.join(dir, 'source'), { create: true });
    await pushArtifact(layout, 'waiting', { tag: 'v1' });
    const destination = path.join(dir, 'busy.tar');
    const release = await acquireFileLock((await ArchiveTarget.open(destination, { create: true })).lockFile);
    const waiting = saysItWaits();
    const run = cli(['copy', `oci:${layout.root}:v1`, `oci-archive:${destination}:v1`], {
      onStderr: waiting.onStderr,
    });
    await waiting.said;
    await release();
    const done = await run;
    assert.equal(done.code, 0, done.stderr);
    const waits = done.stderr.split('\n').filter((line) => line.startsWith('waiting for '));
    assert.deepEqual(
      waits.map((w) => w.replace(/process \d+ on \S+, since \S+/, 'process P on H, since T')),
      [
        `waiting for process P on H, since T to finish writing oci-archive:${destination}; this command goes on after it (and gives up after 120 s)`,
      ],
    );
  });

  it('gc of an archive: a dry run lists what no tag reaches and changes nothing; --apply writes it again without them', async () => {
    const layout = await LayoutTarget.open(path.join(dir, 'src'), { create: true });
    const kept = await pushArtifact(layout, 'kept layer', { tag: 'v1' });
    const dropped = await pushArtifact(layout, 'dropped layer', { tag: 'v2' });
    const file = path.join(dir, 'x.tar');
    for (const tag of ['v1', 'v2']) {
      const copied = await cli(['copy', `oci:${layout.root}:${tag}`, `oci-archive:${file}:${tag}`]);
      assert.equal(copied.code, 0, copied.stderr);
    }
    const untagging = await ArchiveTarget.open(file, { create: true });
    await untagging.untag('v2');
    await untagging.finish();
    const before = await fs.readFile(file);

    const dry = await cli(['gc', `oci-archive:${file}`]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(dry.stdout.includes(`would remove blob ${dropped.layer.digest}`), dry.stdout);
    assert.ok(dry.stdout.includes(`would remove blob ${dropped.manifest.digest}`), dry.stdout);
    assert.ok(!dry.stdout.includes(kept.layer.digest), 'a reachable blob would be removed');
    assert.match(dry.stdout, /dry run: would remove 2 unreferenced blobs/);
    assert.ok((await fs.readFile(file)).equals(before), 'a dry run changed the archive');

    const applied = await cli(['gc', `oci-archive:${file}`, '--apply', '--format', 'json']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(
      (JSON.parse(applied.stdout) as { blobs: { digest: string }[] }).blobs.map((b) => b.digest).sort(),
      [dropped.layer.digest, dropped.manifest.digest].sort(),
    );
    const archive = await ArchiveTarget.open(file);
    assert.equal(await archive.exists(dropped.layer), false);
    assert.equal(await archive.computeDigest(kept.layer.digest), kept.layer.digest);
    const back = await cli(['copy', `oci-archive:${file}:v1`, `oci:${path.join(dir, 'back')}:v1`]);
    assert.equal(back.code, 0, back.stderr);
    const again = await cli(['gc', `oci-archive:${file}`]);
    assert.match(again.stdout, /nothing to remove/);
  });

  it('gc of an archive with unfinished writes refuses, naming the staging folder', async () => {
    const good = path.join(dir, 'good.tar');
    await fs.writeFile(good, await buildTar(layoutEntries()));
    const pending = await ArchiveTarget.open(good, { create: true });
    await pending.tag(await pending.resolve('v1'), 'v2'); // staged, never finished
    await pending.release();
    const run = await cli(['gc', `oci-archive:${good}`, '--apply']);
    assert.equal(run.code, 1);
    assert.ok(run.stderr.includes(`unfinished writes in ${stagingFolderOf(good)}`), run.stderr);
  });

  it('a push of a file and a folder into an archive: the folder’s temp .tar.gz, gone when the push returns, was staged', async () => {
    const folder = path.join(dir, 'docs');
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'a.txt'), 'in a folder\n');
    const single = path.join(dir, 'notes.txt');
    await fs.writeFile(single, 'a single file\n');
    const file = path.join(dir, 'pushed.tar');
    const pushed = await cli(['push', `oci-archive:${file}:v1`, folder, single]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const out = path.join(dir, 'out');
    const pulled = await cli(['pull', `oci-archive:${file}:v1`, '-o', out]);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal(await fs.readFile(path.join(out, 'docs', 'a.txt'), 'utf8'), 'in a folder\n');
    assert.equal(await fs.readFile(path.join(out, 'notes.txt'), 'utf8'), 'a single file\n');
  });

  it('on a terminal, the archive’s final write shows its progress after the copy’s own (it looked like a hang)', async () => {
    const layout = path.join(dir, 'layout');
    await fs.writeFile(path.join(dir, 'big.bin'), randomBytes(3 * 1024 * 1024));
    assert.equal((await cli(['push', `oci:${layout}:v1`, path.join(dir, 'big.bin')])).code, 0);
    const file = path.join(dir, 'out.tar');
    const run = await cli(['copy', `oci:${layout}:v1`, `oci-archive:${file}:v1`], { interactive: true });
    assert.equal(run.code, 0, run.stderr);
    const drawn = run.stderr.split('\r\u001b[K').filter(Boolean);
    const writing = drawn.filter((line) => line.startsWith(`writing oci-archive:${file} `));
    assert.ok(writing.length > 0, `no progress of the archive write: ${JSON.stringify(run.stderr)}`);
    assert.match(writing.at(-1)!, / 3\.0 MiB \/ 3\.0 MiB \(100%\)( at [^,]+\/s)?, 5\/5 items$/);
    assert.ok(run.stderr.endsWith('\r\u001b[K'), 'the progress line was left on the terminal');
  });

  it('refuses a compressed archive name as --output of backup, saying to use .tar', async () => {
    const run = await cli(['backup', '--output', path.join(dir, 'x.tar.gz'), '127.0.0.1:1/r']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /layout archives are written as plain \.tar/);
  });

  it('restore --input of a compressed archive says to decompress it, with the command and the .tar it gives', async () => {
    const run = await cli(['restore', '--input', 'backups/app.tar.gz', '127.0.0.1:1/r']);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr.split('\n')[0],
      'stowage restore: --input backups/app.tar.gz: a compressed archive; layout archives are read as plain .tar (as skopeo and ORAS read them): decompress it first (gunzip -k backups/app.tar.gz), then restore --input backups/app.tar',
    );
    const zstd = await cli(['restore', '--input', 'app.tar.zst', '127.0.0.1:1/r']);
    assert.match(zstd.stderr, /decompress it first \(zstd -d app\.tar\.zst\), then restore --input app\.tar$/m);
  });
});

/** Resolves once a writer's standard error says it waits for another writer of the archive. */
function saysItWaits(): { onStderr: (text: string) => void; said: Promise<void> } {
  let seen = '';
  let resolve!: () => void;
  const said = new Promise<void>((r) => (resolve = r));
  return {
    onStderr: (text) => {
      seen += text;
      if (/^waiting for /m.test(seen)) resolve();
    },
    said,
  };
}
