// A failed run removes a layout folder it made that lists nothing (cli/createdLayouts.ts: moved aside under the index
// lock, then removed). Another writer still copying into that folder must not recreate it for its later blobs and
// list its tags there — a folder without oci-layout and without the blobs written before, told as done — but fail
// saying what happened.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { OciError } from '../../../src/core/oci';

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('a layout removed while another run writes into it', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-removed-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("the writer's next index.json write fails naming the folder; no index.json is written in a recreated one", async () => {
    const layout = path.join(dir, 'new');
    const writer = await LayoutTarget.open(layout, { create: true });
    const config = Buffer.from('{}');
    const configDescriptor = { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(config), size: 2 };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: configDescriptor,
        layers: [],
      }),
    );
    const end = writer.beginBatch();
    await writer.pushBlob(configDescriptor, async () => Readable.from([config]));
    await writer.pushManifest(
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length },
      manifest,
      { tag: 'v1' },
    );
    // The failed run's removal: moved aside in one step.
    await fs.rename(layout, path.join(dir, 'aside'));
    // The writer goes on: its next blob makes the folders it needs again.
    const layer = Buffer.from('layer');
    await writer.pushBlob({ mediaType: 'application/octet-stream', digest: sha256(layer), size: 5 }, async () =>
      Readable.from([layer]),
    );
    await assert.rejects(
      end(),
      (err: unknown) =>
        OciError.is(err, 'LAYOUT') && err.message === `${layout} was removed while this run was writing into it`,
    );
    await assert.rejects(fs.lstat(path.join(layout, 'index.json')), { code: 'ENOENT' });
    // With the folder gone altogether, a tagged push (its blob makes the folders again) says the same.
    await fs.rm(layout, { recursive: true });
    await assert.rejects(
      writer.pushManifest(
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length },
        manifest,
        { tag: 'v2' },
      ),
      (err: unknown) =>
        OciError.is(err, 'LAYOUT') && err.message.endsWith('was removed while this run was writing into it'),
    );
  });
});
