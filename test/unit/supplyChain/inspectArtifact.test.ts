import * as assert from 'node:assert/strict';
import { MemoryTarget } from '../../../src/core/memory';
import { bytesContent, digestOf } from '../../../src/core/content';
import { type Descriptor, MediaType, OciError } from '../../../src/core/oci';
import {
  inspectArtifact,
  MAX_INSPECTED_CONFIG_BYTES,
  MAX_INSPECTED_TAGS,
  parseImageFacts,
  PlatformNotFoundError,
} from '../../../src/core/supplyChain';

async function pushJson(target: MemoryTarget, mediaType: string, value: unknown, tag?: string): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  if (mediaType === MediaType.ociManifest || mediaType === MediaType.ociIndex)
    await target.pushManifest(descriptor, bytes, tag ? { tag } : {});
  else await target.pushBlob(descriptor, bytesContent(bytes));
  return descriptor;
}

async function pushImage(target: MemoryTarget, config: unknown, tag?: string): Promise<Descriptor> {
  const configDescriptor = await pushJson(target, MediaType.ociConfig, config);
  return pushJson(
    target,
    MediaType.ociManifest,
    { schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDescriptor, layers: [] },
    tag,
  );
}

describe('inspectArtifact: what a reference names, as skopeo inspect shows it', () => {
  it('keeps each config fact only when it has the image spec’s type', () => {
    assert.deepEqual(
      parseImageFacts({
        created: '2026-01-01T00:00:00Z',
        architecture: 7,
        os: 'linux',
        config: {
          Labels: { a: 'b', n: 1, o: { x: 1 } },
          Env: ['A=1', 2],
          Entrypoint: ['/bin/sh'],
          Cmd: 'not a list',
          WorkingDir: '',
          ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
        },
      }),
      {
        created: '2026-01-01T00:00:00Z',
        os: 'linux',
        labels: { a: 'b' },
        entrypoint: ['/bin/sh'],
        exposedPorts: ['53/udp', '8080/tcp'],
      },
    );
    assert.deepEqual(parseImageFacts([1, 2]), {});
    assert.deepEqual(parseImageFacts({ config: null }), {});
  });

  it('picks the platform asked for, else the preferred one, else lists the index alone', async () => {
    const target = new MemoryTarget();
    const amd = await pushImage(target, { os: 'linux', architecture: 'amd64', config: { Env: ['X=amd'] } });
    const arm = await pushImage(target, { os: 'linux', architecture: 'arm64', config: { Env: ['X=arm'] } });
    const index = await pushJson(
      target,
      MediaType.ociIndex,
      {
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { ...amd, platform: { os: 'linux', architecture: 'amd64' } },
          { ...arm, platform: { os: 'linux', architecture: 'arm64' } },
        ],
      },
      'multi',
    );
    const asked = await inspectArtifact(target, 'multi', { platform: { os: 'linux', architecture: 'arm64' } });
    assert.deepEqual(
      [asked.descriptor.digest, asked.chosenBy, asked.manifest?.image?.env],
      [index.digest, 'platform', ['X=arm']],
    );
    const preferred = await inspectArtifact(target, 'multi', { preferred: { os: 'linux', architecture: 'amd64' } });
    assert.deepEqual([preferred.chosenBy, preferred.manifest?.descriptor.digest], ['preferred', amd.digest]);
    const neither = await inspectArtifact(target, 'multi', { preferred: { os: 'linux', architecture: 's390x' } });
    assert.deepEqual([neither.manifest, neither.entries?.length], [undefined, 2]);
    await assert.rejects(
      inspectArtifact(target, 'multi', { platform: { os: 'windows' } }),
      (err: unknown) =>
        err instanceof PlatformNotFoundError && /windows \(it has: linux\/amd64, linux\/arm64\)/.test(err.message),
    );
  });

  it('does not read a config larger than the cap, and lists at most MAX_INSPECTED_TAGS tags', async () => {
    const target = new MemoryTarget();
    await pushImage(target, { os: 'linux', pad: 'x'.repeat(MAX_INSPECTED_CONFIG_BYTES) }, 'big');
    const big = await inspectArtifact(target, 'big');
    assert.equal(big.manifest?.image, undefined, 'the facts of an oversized config are not shown');
    assert.equal(big.tags, undefined, 'tags only when asked');
    const small = await pushImage(target, { os: 'linux' });
    for (let i = 0; i <= MAX_INSPECTED_TAGS; i++) await target.tag(small, `t${i}`);
    const listed = await inspectArtifact(target, 'big', { tags: true });
    assert.deepEqual([listed.tags?.length, listed.moreTags], [MAX_INSPECTED_TAGS, true]);
  });

  it('refuses a manifest whose fields have other types than the spec’s, naming the field, instead of crashing', async () => {
    const target = new MemoryTarget();
    const config = await pushJson(target, MediaType.ociConfig, { os: 'linux', architecture: 'amd64' });
    const layer = await pushJson(target, MediaType.ociLayer, { a: 1 });
    const image = { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] };
    const good = await pushJson(target, MediaType.ociManifest, image);
    const hostile: [string, unknown, RegExp][] = [
      ['annotation-object', { ...image, annotations: { k: { toString: 'x' } } }, /annotations that are not a map/],
      ['annotations-text', { ...image, annotations: 'hello' }, /annotations that are not a map/],
      ['layers-object', { ...image, layers: { a: 1 } }, /"layers" that are not a list/],
      ['layer-null', { ...image, layers: [null] }, /a layer \(1 of 1\) that is not an object/],
      ['layer-size-text', { ...image, layers: [{ ...layer, size: '1e9' }] }, /invalid size/],
      ['no-config', { schemaVersion: 2, layers: [layer] }, /a config that is missing/],
      ['media-type-object', { ...image, mediaType: { toString: 'x' } }, /"mediaType" that is not a string/],
      ['artifact-type-list', { ...image, artifactType: ['a'] }, /"artifactType" that is not a string/],
      ['subject-bad', { ...image, subject: { digest: 5, mediaType: {} } }, /a subject that has an invalid digest/],
      ['entry-null', { schemaVersion: 2, manifests: [null] }, /an entry \(1 of 1\) that is not an object/],
      [
        'entry-platform-text',
        { schemaVersion: 2, manifests: [{ ...good, platform: 'linux' }] },
        /a platform that is not an object/,
      ],
      [
        'entry-os-object',
        { schemaVersion: 2, manifests: [{ ...good, platform: { os: { toString: 'x' }, architecture: 'amd64' } }] },
        /a platform that has a "os" that is not a string/,
      ],
    ];
    for (const [tag, manifest, problem] of hostile) {
      await pushJson(target, MediaType.ociManifest, manifest, tag);
      await assert.rejects(
        inspectArtifact(target, tag, { tags: true }),
        (err: Error) => OciError.is(err, 'INVALID_CONTENT') && problem.test(err.message),
        tag,
      );
    }
    // The entry an index is read through is checked as well.
    const bad = await pushJson(target, MediaType.ociManifest, { ...image, layers: [7] });
    const platform = { os: 'linux', architecture: 'amd64' };
    await pushJson(target, MediaType.ociIndex, { schemaVersion: 2, manifests: [{ ...bad, platform }] }, 'index');
    await assert.rejects(
      inspectArtifact(target, 'index', { platform }),
      (err: Error) => OciError.is(err, 'INVALID_CONTENT') && err.message.includes(bad.digest),
    );
  });
});
