// index.json of a layout that many tags are copied into, when the file is not ours alone: another tool (skopeo)
// tags into the same layout in the middle of the copy, and the file system fills as the copy's batch of tags is
// written. The copy keeps the other tool's entries (each batch is written over the file as it is then, under the
// index lock, not over what the copy read when it began); a full disk stops the run with the device's words, leaves
// index.json whole and naming only complete content, and the rerun after room is made finishes the copy.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyTags } from '../../src/core/graph';
import { LayoutTarget } from '../../src/core/layout';
import { RegistryTarget } from '../../src/core/registry';
import type { Descriptor } from '../../src/core/oci';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { requireTool } from '../fixtures/tools';
import { cli, cliOk } from '../helpers/runCli';
import { pushArtifact } from '../helpers/sampleArtifact';
import { onSmallFileSystem, resizeSmallFileSystem } from '../helpers/smallFileSystem';

const REF_NAME = 'org.opencontainers.image.ref.name';
/** Tags whose index.json (about 46 KB) cannot fit the small disk, though a first batch of them can. */
const MANY = 200;

/** The tags index.json names, as any reader of the file sees them. */
async function tagsInFile(layout: string): Promise<string[]> {
  const index = JSON.parse(await fs.readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  return index.manifests.map((m) => m.annotations?.[REF_NAME] ?? '').sort();
}

/** Every manifest index.json names is stored whole, with its config and layers. */
async function assertNamesCompleteContent(layout: string): Promise<void> {
  const reader = await LayoutTarget.open(layout);
  const index = JSON.parse(await fs.readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  for (const entry of index.manifests) {
    const { manifest } = await reader.fetchManifest(entry);
    const { config, layers } = manifest as { config: Descriptor; layers: Descriptor[] };
    for (const blob of [config, ...layers]) assert.ok(await reader.exists(blob), `${blob.digest} is stored`);
  }
}

describe('index.json of a layout shared with another writer and a full disk, during a copy of many tags', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let dir: string;
  const source = (name: string) => new RegistryTarget(clientFor(registry), name);
  const tagNames = (count: number) => Array.from({ length: count }, (_, i) => `t${String(i).padStart(3, '0')}`);

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    for (const tag of tagNames(6)) await pushArtifact(source('few/app'), `the content of ${tag}`, { tag });
    for (const tag of tagNames(MANY)) await pushArtifact(source('many/app'), `the content of ${tag}`, { tag });
  });
  after(async () => {
    await registry?.stop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-index-writers-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps a tag skopeo writes into the layout in the middle of the copy, its batch of tags pending meanwhile', async () => {
    const theirs = path.join(dir, 'theirs');
    const other = await pushArtifact(await LayoutTarget.open(theirs, { create: true }), 'theirs', { tag: 'x' });
    const ours = path.join(dir, 'ours');
    // One batch for the whole run: every tag of it waits in memory while skopeo writes the file.
    const dst = await LayoutTarget.open(ours, { create: true, batchIntervalMs: 60_000 });
    const skopeo = requireTool('skopeo');
    let written = false;
    await copyTags(source('few/app'), dst, {
      onTag: (event) => {
        if (event.phase !== 'start' || event.tag !== 't003') return;
        // The copy waits while skopeo reads index.json, adds its tag and writes the file.
        execFileSync(skopeo, [
          '--insecure-policy',
          'copy',
          '--preserve-digests',
          `oci:${theirs}:x`,
          `oci:${ours}:from-skopeo`,
        ]);
        written = true;
      },
    });
    assert.ok(written, 'skopeo wrote into the layout during the copy');
    assert.deepEqual(await tagsInFile(ours), ['from-skopeo', ...tagNames(6)]);
    assert.equal((await (await LayoutTarget.open(ours)).resolve('from-skopeo')).digest, other.manifest.digest);
    const listed = execFileSync(requireTool('umoci'), ['ls', '--layout', ours], { encoding: 'utf8' });
    assert.deepEqual(listed.split('\n').filter(Boolean).sort(), ['from-skopeo', ...tagNames(6)]);
    await assertNamesCompleteContent(ours);
  });

  it('stops a backup whose batched index.json write meets a full disk with the device’s words; index.json stays whole, naming complete content; the rerun after room is made finishes', async () => {
    const layout = path.join(dir, 'layout');
    const blobs = path.join(layout, 'blobs');
    const src = `${registry.host}/many/app`;
    // index.json, its next version and the locks on a disk of 48 KiB; the blobs on a roomy one of their own, so
    // that a write of index.json is what finds the disk full: the first batch (a second of tags) fits, a later one
    // cannot (MANY tags take about 46 KB, and the file is written anew beside the one it replaces).
    await onSmallFileSystem(layout, '48k', () =>
      onSmallFileSystem(blobs, '64m', async () => {
        await LayoutTarget.open(layout, { create: true });
        // Paced to about 40 tags a second (each "copied tag" line holds the run's thread 25 ms): on a quiet machine
        // the 200 tags were copied within the first second, the first write of index.json came at the end, and no
        // batch was written before the full disk (proof 24 saw it). Paced, batches of ~40 tags fit, a later one not.
        const full = await cli(['backup', '--plain-http', '-o', layout, src], {
          onStderr: (text) => {
            const until = Date.now() + 25 * (text.match(/^copied tag /gm)?.length ?? 0);
            while (Date.now() < until); // holds the thread, as a slow source would
          },
        });
        assert.equal(full.code, 1, full.stderr);
        assert.match(full.stderr, /^stowage backup: \S+\/layout\/index\.json: no space left on the device$/m);
        const stop =
          /^stopped at tag t\d+ \((\d+)\/\d+\): (\d+) tags? backed up, (\d+) stored but not listed in index\.json, \d+ left \(a rerun lists those stored and fetches only what is missing; --keep-going does not go past the storage written to/m.exec(
            full.stderr,
          );
        assert.ok(stop, full.stderr);
        assert.equal(full.stdout, '', 'a summary claimed a backup');
        const kept = await tagsInFile(layout);
        assert.ok(kept.length > 0 && kept.length < MANY, `index.json names ${kept.length} tags`);
        assert.deepEqual(kept, tagNames(kept.length), 'the tags of the batches written, in the order copied');
        // "Done" counts the tags index.json lists; those of the batch the full disk refused are counted apart.
        const [position, done, unlisted] = stop.slice(1).map(Number) as [number, number, number];
        assert.equal(done, kept.length, full.stderr);
        assert.ok(unlisted > 0, full.stderr);
        assert.equal(done + unlisted, position - 1, full.stderr);
        await assertNamesCompleteContent(layout);

        resizeSmallFileSystem(layout, '1m');
        const rerun = await cliOk(['backup', '--plain-http', '-o', layout, src, '--format', 'json']);
        const summary = JSON.parse(rerun.stdout) as { tags: unknown[]; failed: unknown[] };
        assert.equal(summary.failed.length, 0, rerun.stdout);
        assert.deepEqual(await tagsInFile(layout), tagNames(MANY));
        await assertNamesCompleteContent(layout);
      }),
    );
  });
});
