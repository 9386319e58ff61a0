// Proves the layout-aware checks through the BlobStore interface, with an in-memory store.
import * as assert from 'node:assert/strict';
import { digestOf } from '../../../src/core/content/hashing';
import { lintWithStore, type BlobStore } from '../../../src/core/lint';
import { EMPTY_DIGEST, MediaType } from '../../../src/core/oci/mediaTypes';
import { EMPTY_JSON } from '../../../src/core/content';

class MemoryStore implements BlobStore {
  readonly lookups: string[] = [];
  constructor(private readonly blobs: Map<string, Buffer>) {}

  async blobSize(digest: string): Promise<number | undefined> {
    this.lookups.push(digest);
    return this.blobs.get(digest)?.length;
  }

  async computeDigest(digest: string): Promise<string> {
    return digestOf(this.blobs.get(digest)!);
  }
}

const configBytes = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
const layerBytes = Buffer.from('layer bytes');
const config = { mediaType: MediaType.ociConfig, digest: digestOf(configBytes), size: configBytes.length };
const layer = { mediaType: MediaType.ociLayerGzip, digest: digestOf(layerBytes), size: layerBytes.length };

function manifest(layers: object[], extra: object = {}): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers, ...extra }, null, 2);
}

function storeWith(...entries: [string, Buffer][]): MemoryStore {
  return new MemoryStore(new Map([[config.digest, configBytes], ...entries]));
}

describe('lint with a blob store', () => {
  it('reports nothing when every blob is there with its size and digest', async () => {
    assert.deepEqual(await lintWithStore(manifest([layer]), storeWith([layer.digest, layerBytes])), []);
  });

  it('reports a missing blob at its digest', async () => {
    const text = manifest([layer]);
    const [problem, ...rest] = await lintWithStore(text, storeWith());
    assert.equal(problem?.code, 'blob-missing');
    assert.equal(problem!.severity, 'error');
    assert.deepEqual(problem!.path, ['layers', 0, 'digest']);
    assert.equal(text.slice(problem!.offset, problem!.offset + problem!.length), JSON.stringify(layer.digest));
    assert.deepEqual(rest, []);
  });

  it('reports a size that differs from the stored blob at the size', async () => {
    const problems = await lintWithStore(
      manifest([{ ...layer, size: layer.size + 1 }]),
      storeWith([layer.digest, layerBytes]),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [['blob-size-mismatch', ['layers', 0, 'size']]],
    );
  });

  it('reports stored content whose digest differs (a corrupt blob)', async () => {
    const corrupt = Buffer.from('layer bytez');
    const problems = await lintWithStore(manifest([layer]), storeWith([layer.digest, corrupt]));
    assert.deepEqual(
      problems.map((p) => p.code),
      ['blob-digest-mismatch'],
    );
    assert.match(problems[0]!.message, new RegExp(digestOf(corrupt)));
  });

  it('reports content replaced by bytes of another size as a digest mismatch, not as a wrong size', async () => {
    const replaced = Buffer.from('replaced');
    const problems = await lintWithStore(manifest([layer]), storeWith([layer.digest, replaced]));
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [['blob-digest-mismatch', ['layers', 0, 'digest']]],
    );
    assert.match(
      problems[0]!.message,
      new RegExp(
        `hashes to ${digestOf(replaced)} \\(8 bytes, where the descriptor says ${layer.size}\\): the blob was replaced`,
      ),
    );
  });

  it('only warns for blobs expected elsewhere: subject, foreign layers, embedded data', async () => {
    const subject = { mediaType: MediaType.ociManifest, digest: digestOf('subject'), size: 100 };
    const foreign = { ...layer, digest: digestOf('foreign'), urls: ['https://example.com/l.tgz'] };
    const embedded = {
      mediaType: MediaType.ociEmpty,
      digest: EMPTY_DIGEST,
      size: 2,
      data: EMPTY_JSON.toString('base64'),
    };
    const problems = await lintWithStore(manifest([foreign, embedded], { subject }), storeWith());
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity]),
      [
        ['blob-missing', 'warning'],
        ['blob-missing', 'warning'],
        ['blob-missing', 'warning'],
      ],
    );
  });

  it('reports index.json entries that do not resolve', async () => {
    const manifestBytes = Buffer.from(manifest([layer]));
    const present = { mediaType: MediaType.ociManifest, digest: digestOf(manifestBytes), size: manifestBytes.length };
    const absent = {
      mediaType: MediaType.ociManifest,
      digest: digestOf('gone'),
      size: 10,
      annotations: { 'org.opencontainers.image.ref.name': 'v2' },
    };
    const text = JSON.stringify({ schemaVersion: 2, manifests: [present, absent] });
    const problems = await lintWithStore(text, storeWith([present.digest, manifestBytes]), { fileName: 'index.json' });
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [['index-ref-missing', ['manifests', 1, 'digest']]],
    );
  });

  it('looks each distinct digest up once and skips invalid digests', async () => {
    const store = storeWith([layer.digest, layerBytes]);
    const problems = await lintWithStore(manifest([layer, layer, { ...layer, digest: 'sha256:bad' }]), store);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['digest-length'],
    );
    assert.deepEqual(store.lookups.sort(), [config.digest, layer.digest].sort());
  });

  it('returns the text problems alone when the text cannot be read', async () => {
    const problems = await lintWithStore('{"schemaVersion": 2,', storeWith());
    assert.deepEqual([...new Set(problems.map((p) => p.code))], ['json-syntax']);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(lintWithStore(manifest([layer]), storeWith(), {}, { signal: controller.signal }), {
      name: 'AbortError',
    });
  });
});
