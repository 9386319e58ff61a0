// Large files are stored while they are hashed (one read instead of two), through reused read buffers. Proven
// against real distribution over plain HTTP and TLS (where a buffer reused too early would change the bytes on
// the wire and the registry would refuse the digest), and into a layout; the results must equal a plain push.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pullArtifact, pushArtifact, STORE_WHILE_HASHING_FROM } from '../../src/core/files/artifact';
import { copy, type CopyProgress } from '../../src/core/graph/copy';
import { digestOf } from '../../src/core/content/hashing';
import { HASH_IN_WORKER_FROM, hashingWorkerInUse, hashingWorkerWrites } from '../../src/core/content/hashingFileWrite';
import type { HttpLogEntry } from '../../src/core/registry/httpLog';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';

const MiB = 1024 * 1024;

describe('storing large files while hashing them', function () {
  this.timeout(120_000);
  let dir: string;
  let big: Buffer;
  let bigFile: string;
  let smallFile: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-onepass-'));
    // Not a multiple of the 1 MiB read size, so the last chunk is a short one.
    big = randomBytes(STORE_WHILE_HASHING_FROM + 5 * MiB + 123);
    bigFile = path.join(dir, 'big.bin');
    smallFile = path.join(dir, 'small.txt');
    await fs.writeFile(bigFile, big);
    await fs.writeFile(smallFile, 'small files are hashed first\n');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function watchProgress(): { seen: CopyProgress[]; onProgress: (p: Readonly<CopyProgress>) => void } {
    const seen: CopyProgress[] = [];
    return { seen, onProgress: (p) => seen.push({ ...p }) };
  }

  function assertGrowing(seen: CopyProgress[], finalBytes: number): void {
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i]!.doneBytes >= seen[i - 1]!.doneBytes, `progress went back at report ${i}`);
    const last = seen.at(-1)!;
    assert.equal(last.doneBytes, last.totalBytes);
    assert.ok(last.totalBytes >= finalBytes);
  }

  for (const variant of ['plain', 'basic-tls'] as const) {
    describe(`to a ${variant} registry`, () => {
      let registry: TestRegistry;
      before(async () => {
        registry = await startRegistry({ variant, logLevel: 'warn' });
      });
      after(async () => {
        await registry?.stop();
      });

      it('uploads the big file in one streaming PATCH without a HEAD for it, and pulls back the same bytes', async () => {
        const entries: HttpLogEntry[] = [];
        const client = clientFor(registry, { logger: (e) => entries.push(e) });
        const target = new RegistryTarget(client, 'onepass/files');
        const progress = watchProgress();
        try {
          const pushed = await pushArtifact(target, [bigFile, smallFile], {
            tag: 'v1',
            onProgress: progress.onProgress,
          });
          const bigLayer = pushed.manifest.manifest.layers.find(
            (l) => l.annotations?.['org.opencontainers.image.title'] === 'big.bin',
          )!;
          assert.equal(bigLayer.digest, digestOf(big));
          assert.equal(bigLayer.size, big.length);
          assert.equal(entries.filter((e) => e.method === 'PATCH').length, 1);
          assert.equal(
            entries.filter((e) => e.method === 'HEAD' && e.url.includes(bigLayer.digest)).length,
            0,
            'no HEAD for a blob just stored',
          );
          assertGrowing(progress.seen, big.length);
          assert.equal(pushed.progress.doneBytes, pushed.progress.totalBytes);

          const out = path.join(dir, `pulled-${variant}`);
          await pullArtifact(target, 'v1', out);
          assert.ok((await fs.readFile(path.join(out, 'big.bin'))).equals(big));
        } finally {
          await client.close();
        }
      });
    });
  }

  it('pushing the same tag again hashes a big file of a size the tag already holds first, and skips its upload', async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'warn' });
    const entries: HttpLogEntry[] = [];
    const client = clientFor(registry, { logger: (e) => entries.push(e) });
    try {
      const target = new RegistryTarget(client, 'onepass/again');
      const first = await pushArtifact(target, [bigFile, smallFile], { tag: 'v1', annotations: { round: '1' } });
      const uploadsAfterFirst = entries.filter((e) => e.method === 'PATCH').length;
      const changed = path.join(dir, 'changed.bin');
      await fs.writeFile(changed, randomBytes(STORE_WHILE_HASHING_FROM + MiB));
      const again = await pushArtifact(target, [bigFile, smallFile, changed], {
        tag: 'v1',
        annotations: { round: '2' },
      });
      const bigDigest = digestOf(big);
      const secondRound = entries.slice(
        entries.findIndex((e) => e.method === 'GET' && e.url.endsWith('/manifests/v1')),
      );
      assert.ok(
        secondRound.some((e) => e.method === 'HEAD' && e.url.endsWith(`/blobs/${bigDigest}`)),
        'the big file is looked up by its digest',
      );
      assert.equal(
        entries.filter((e) => e.method === 'PATCH').length - uploadsAfterFirst,
        1,
        'only the new big file is sent; the one the tag held already is skipped',
      );
      assert.notEqual(again.descriptor.digest, first.descriptor.digest);
      assert.ok(again.progress.skippedItems >= 1);
      const out = path.join(dir, 'pulled-again');
      await pullArtifact(target, 'v1', out);
      assert.ok((await fs.readFile(path.join(out, 'big.bin'))).equals(big));
    } finally {
      await client.close();
      await registry.stop();
    }
  });

  it('pulls a file above the hashing-thread threshold through that thread, byte for byte', async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'warn' });
    const huge = path.join(dir, 'huge.bin');
    const bytes = randomBytes(HASH_IN_WORKER_FROM + 4321);
    await fs.writeFile(huge, bytes);
    const client = clientFor(registry);
    try {
      const target = new RegistryTarget(client, 'hashing/thread');
      await pushArtifact(target, [huge], { tag: 'v1' });
      const out = path.join(dir, 'pulled-huge');
      let hashedInWorker = false;
      const before = hashingWorkerWrites();
      await pullArtifact(target, 'v1', out, {
        onBytes: () => {
          hashedInWorker ||= hashingWorkerInUse();
        },
      });
      assert.ok(hashedInWorker, 'the file is hashed and written by the worker thread');
      assert.equal(hashingWorkerWrites(), before + 1);
      assert.ok((await fs.readFile(path.join(out, 'huge.bin'))).equals(bytes));
    } finally {
      await client.close();
      await registry.stop();
    }
  });

  it('copies a registry artifact into a layout the way a pull writes: the large layer through the hashing thread', async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'warn' });
    const hugeBytes = randomBytes(HASH_IN_WORKER_FROM + 1000);
    const huge = path.join(dir, 'copy-huge.bin');
    await fs.writeFile(huge, hugeBytes);
    const client = clientFor(registry);
    try {
      const source = new RegistryTarget(client, 'hashing/copy');
      await pushArtifact(source, [huge, smallFile], { tag: 'v1' });
      await fs.rm(huge);
      const layout = await LayoutTarget.open(path.join(dir, 'copied-layout'), { create: true });
      const before = hashingWorkerWrites();
      let hashedInWorker = false;
      const progress = watchProgress();
      await copy(source, 'v1', layout, {
        tag: 'v1',
        onProgress: (p) => {
          progress.onProgress(p);
          hashedInWorker ||= hashingWorkerInUse();
        },
      });
      assert.ok(hashedInWorker, 'the large layer is hashed and written by the worker thread');
      assert.equal(hashingWorkerWrites(), before + 1, 'the large layer only');
      assert.ok((await fs.readFile(layout.blobPath(digestOf(hugeBytes)))).equals(hugeBytes));
      assertGrowing(progress.seen, hugeBytes.length);
      const leftovers = (await fs.readdir(path.join(dir, 'copied-layout', 'blobs'))).filter((n) => n.endsWith('.tmp'));
      assert.deepEqual(leftovers, []);
    } finally {
      await client.close();
      await registry.stop();
    }
  });

  it('copies a registry blob into a layout from the download chunks themselves, and refuses them when they lie', async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'warn' });
    const client = clientFor(registry);
    try {
      const source = new RegistryTarget(client, 'hashing/raw');
      const pushed = await pushArtifact(source, [bigFile], { tag: 'v1' });
      const layer = pushed.manifest.manifest.layers[0]!;
      // The real layout, told apart only in what it was handed: the stream opener, or the download's own chunks.
      const opened: string[] = [];
      const watched = async (name: string) => {
        const layout = await LayoutTarget.open(path.join(dir, name), { create: true });
        const pushBlob = layout.pushBlob.bind(layout);
        layout.pushBlob = (descriptor, content, options) => {
          const stream = Object.assign((offset: number, signal?: AbortSignal) => {
            opened.push(`stream of ${descriptor.digest}`);
            return content(offset, signal);
          }, content);
          return pushBlob(descriptor, stream, options);
        };
        return layout;
      };
      const layout = await watched('raw-layout');
      await copy(source, 'v1', layout, { tag: 'v1' });
      assert.deepEqual(opened, [], 'no blob was read through a stream over the download');
      assert.ok((await fs.readFile(layout.blobPath(layer.digest))).equals(big));

      // The same bytes, unchecked by the download, are still checked by the layout: one byte changed in the
      // registry's own storage is refused, and nothing is left behind.
      const hex = layer.digest.slice('sha256:'.length);
      const stored = path.join(registry.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
      const handle = await fs.open(stored, 'r+');
      try {
        await handle.write(Buffer.from([big[1000]! ^ 0xff]), 0, 1, 1000);
      } finally {
        await handle.close();
      }
      const lied = await watched('lied-layout');
      await assert.rejects(copy(source, 'v1', lied, { tag: 'v1' }), /digest/i);
      assert.deepEqual(opened, []);
      const blobs = path.join(dir, 'lied-layout', 'blobs');
      assert.deepEqual(
        (await fs.readdir(blobs)).filter((n) => n.endsWith('.tmp')),
        [],
      );
      await assert.rejects(fs.stat(lied.blobPath(layer.digest)), { code: 'ENOENT' });
    } finally {
      await client.close();
      await registry.stop();
    }
  });

  it('writes the big file into a layout in one pass, and copies it on through reused buffers', async () => {
    const layout = await LayoutTarget.open(path.join(dir, 'layout'), { create: true });
    const progress = watchProgress();
    const pushed = await pushArtifact(layout, [bigFile], { tag: 'v1', onProgress: progress.onProgress });
    const layer = pushed.manifest.manifest.layers[0]!;
    assert.equal(layer.digest, digestOf(big));
    assert.ok((await fs.readFile(layout.blobPath(layer.digest))).equals(big));
    assertGrowing(progress.seen, big.length);
    const leftovers = (await fs.readdir(path.join(dir, 'layout', 'blobs'))).filter((name) => name.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  it('refuses a file that changes size while it is stored, leaving nothing behind', async () => {
    const layout = await LayoutTarget.open(path.join(dir, 'layout-changing'), { create: true });
    const changing = path.join(dir, 'changing.bin');
    await fs.writeFile(changing, big);
    // Grow the file once the store has started reading it.
    let grown = false;
    const growOnce = (progress: Readonly<CopyProgress>) => {
      if (grown || progress.doneBytes === 0) return;
      grown = true;
      appendFileSync(changing, randomBytes(MiB));
    };
    await assert.rejects(pushArtifact(layout, [changing], { tag: 'v1', onProgress: growOnce }), (err: Error) =>
      /more than the expected|size mismatch/.test(err.message),
    );
    const blobs = await fs.readdir(path.join(dir, 'layout-changing', 'blobs', 'sha256')).catch(() => []);
    assert.deepEqual(blobs, []);
    assert.deepEqual(
      (await fs.readdir(path.join(dir, 'layout-changing', 'blobs'))).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });
});
