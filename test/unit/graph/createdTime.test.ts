import * as assert from 'node:assert/strict';
import { createdTimeOf } from '../../../src/core/graph';
import { MAX_CONFIG_BYTES } from '../../../src/core/graph/createdTime';
import { MemoryTarget } from '../../../src/core/memory';
import { bytesContent, digestOf } from '../../../src/core/content';
import { Annotation, type Descriptor, MediaType } from '../../../src/core/oci';

async function pushImage(
  target: MemoryTarget,
  tag: string,
  options: { annotation?: string; config?: Record<string, unknown>; configType?: string; pad?: number },
): Promise<void> {
  const config = Buffer.from(JSON.stringify({ ...options.config, pad: 'x'.repeat(options.pad ?? 0) }));
  const configDescriptor: Descriptor = {
    mediaType: options.configType ?? MediaType.ociConfig,
    digest: digestOf(config),
    size: config.length,
  };
  await target.pushBlob(configDescriptor, bytesContent(config));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers: [],
      ...(options.annotation ? { annotations: { [Annotation.created]: options.annotation } } : {}),
    }),
  );
  await target.pushManifest(
    { mediaType: MediaType.ociManifest, digest: digestOf(manifest), size: manifest.length },
    manifest,
    { tag },
  );
}

describe('creation time of an artifact (tags by recent)', () => {
  it('takes the manifest annotation first, else the image config’s created; unknown is undefined', async () => {
    const target = new MemoryTarget();
    await pushImage(target, 'annotated', {
      annotation: '2025-01-02T03:04:05Z',
      config: { created: '2020-01-01T00:00:00Z' },
    });
    await pushImage(target, 'config', { config: { created: '2024-05-06T07:08:09.5Z' } });
    await pushImage(target, 'docker', {
      config: { created: '2023-01-01T00:00:00Z' },
      configType: MediaType.dockerConfig,
    });
    await pushImage(target, 'none', { config: {} });
    await pushImage(target, 'garbage', { annotation: 'yesterday', config: { created: 42 } });
    await pushImage(target, 'artifact', {
      config: { created: '2024-01-01T00:00:00Z' },
      configType: 'application/x-other',
    });
    assert.equal(await createdTimeOf(target, 'annotated'), Date.parse('2025-01-02T03:04:05Z'));
    assert.equal(await createdTimeOf(target, 'config'), Date.parse('2024-05-06T07:08:09.5Z'));
    assert.equal(await createdTimeOf(target, 'docker'), Date.parse('2023-01-01T00:00:00Z'));
    assert.equal(await createdTimeOf(target, 'none'), undefined);
    assert.equal(await createdTimeOf(target, 'garbage'), undefined);
    assert.equal(await createdTimeOf(target, 'artifact'), undefined, 'only image configs are read');
  });

  it('does not read a config larger than the cap', async () => {
    const target = new MemoryTarget();
    await pushImage(target, 'big', { config: { created: '2024-01-01T00:00:00Z' }, pad: MAX_CONFIG_BYTES });
    assert.equal(await createdTimeOf(target, 'big'), undefined);
  });
});
