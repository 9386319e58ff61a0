// A full disk met at a backup's LAST write of its tags (every tag copied, none of the last batch listed yet): the run
// stops with the same kind of stop line as when a batch in the middle meets it (how many tags are stored but not
// listed, and that a rerun lists them), in text and in --format json, for a layout folder and for a .tar (whose
// tags wait in its staging folder's index.json until the archive is written). Real registry, real 4 MiB tmpfs,
// filled the moment the last tag is copied.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryTarget } from '../../../src/core/registry';
import type { Descriptor } from '../../../src/core/oci';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { cli, cliOk } from '../../helpers/runCli';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { onSmallFileSystem } from '../../helpers/smallFileSystem';

const TAGS = Array.from({ length: 6 }, (_, i) => `t${i}`);
const LAST = TAGS[TAGS.length - 1]!;
const REF_NAME = 'org.opencontainers.image.ref.name';

/** Fills the file system holding `folder` to the last byte (synchronously: the run waits for it). */
function fillDisk(folder: string): void {
  const fd = openSync(path.join(folder, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

async function tagsIn(indexFile: string): Promise<string[]> {
  const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: Descriptor[] };
  return index.manifests.map((m) => m.annotations?.[REF_NAME] ?? '').sort();
}

/** The run, with the disk filled as the last tag's "copied" line is printed (before the run's last write). */
function backupFillingAtLastTag(small: string, output: string, src: string) {
  let filled = false;
  return cli(['backup', '--plain-http', '-o', output, src, '--format', 'json'], {
    onStderr: (text) => {
      if (filled || !new RegExp(`^copied tag ${LAST} `, 'm').test(text)) return;
      fillDisk(small);
      filled = true;
    },
  });
}

const STOP =
  /^stopped at the last write of index\.json, after the last tag \(6\/6\): (\d+) tags? backed up, (\d+) stored but not listed in index\.json, 0 left \(a rerun lists those stored and fetches only what is missing; --keep-going does not go past the storage written to: make room or fix it first\)$/m;

describe('a full disk at a backup’s last index.json write is told as a stop', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let src: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    const target = new RegistryTarget(clientFor(registry), 'last/app');
    // 256 KB each: the layout a stopped run made keeps its blobs for the rerun (over RESUME_WORTH_BYTES), whether
    // or not a tag reached index.json before the disk was filled.
    for (const tag of TAGS) await pushArtifact(target, randomBytes(256 * 1024), { tag });
    src = `${registry.host}/last/app`;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-last-write-'));
  });
  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('layout folder: the stop line and the JSON count the tags stored but not listed; the rerun lists them', async () => {
    const small = path.join(dir, 'small-layout');
    await onSmallFileSystem(small, '4m', async () => {
      const layout = path.join(small, 'layout');
      const full = await backupFillingAtLastTag(small, layout, src);
      assert.equal(full.code, 1, full.stderr);
      assert.match(
        full.stderr,
        /^stowage backup: \S+\/small-layout\/layout\/index\.json(\.lock)?: no space left on the device$/m,
      );
      const stop = STOP.exec(full.stderr);
      assert.ok(stop, full.stderr);
      const [done, unlisted] = stop.slice(1).map(Number) as [number, number];
      // No empty lock file is left to hold the rerun off until it goes stale.
      assert.deepEqual(
        (await fs.readdir(layout)).filter((name) => name.endsWith('.lock')),
        [],
      );
      const listed = await tagsIn(path.join(layout, 'index.json'));
      assert.equal(done, listed.length, full.stderr);
      assert.ok(unlisted > 0, full.stderr);
      assert.equal(done + unlisted, TAGS.length, full.stderr);
      const json = JSON.parse(full.stdout) as { stopped: Record<string, unknown> };
      assert.deepEqual(
        { ...json.stopped, reason: undefined },
        {
          tag: LAST,
          listing: true,
          position: 6,
          count: 6,
          done,
          unlisted,
          failed: 0,
          left: 0,
          stop: 'storage',
          reason: undefined,
          code: 'ENOSPC',
        },
      );

      await fs.rm(path.join(small, 'filler'));
      await cliOk(['backup', '--plain-http', '-o', layout, src]);
      assert.deepEqual(await tagsIn(path.join(layout, 'index.json')), TAGS);
    });
  });

  it('.tar: the count is of the tags its staging folder lists, which is kept for the rerun; the rerun writes the archive', async () => {
    const small = path.join(dir, 'small-tar');
    await onSmallFileSystem(small, '4m', async () => {
      const archive = path.join(small, 'backup.tar');
      const full = await backupFillingAtLastTag(small, archive, src);
      assert.equal(full.code, 1, full.stderr);
      assert.match(full.stderr, /no space left on the device$/m);
      const stop = STOP.exec(full.stderr);
      assert.ok(stop, full.stderr);
      const [done, unlisted] = stop.slice(1).map(Number) as [number, number];
      const staging = path.join(small, '.backup.tar.stowage-partial');
      assert.equal(done, (await tagsIn(path.join(staging, 'index.json'))).length, full.stderr);
      assert.ok(unlisted > 0, full.stderr);
      assert.equal(done + unlisted, TAGS.length, full.stderr);
      assert.match(
        full.stderr,
        /note: what was written so far is kept in \S+\.backup\.tar\.stowage-partial; run the same command again to resume$/m,
      );
      await assert.rejects(fs.stat(archive), 'no archive is written by a run that stopped');

      await fs.rm(path.join(small, 'filler'));
      await cliOk(['backup', '--plain-http', '-o', archive, src]);
      const listed = await cliOk(['repo', 'tags', `oci-archive:${archive}`]);
      assert.deepEqual(listed.stdout.split('\n').filter(Boolean).sort(), TAGS);
    });
  });
});
