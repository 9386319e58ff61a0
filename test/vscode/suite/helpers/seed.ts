// Puts content into a store through the engine (not through the editor), so the tests start from known artifacts.
import { Readable } from 'node:stream';
import { EMPTY_DESCRIPTOR, type Descriptor, type ImageManifest } from '../../../../src/core/oci/descriptor';
import { digestOf } from '../../../../src/core/content/hashing';
import { Annotation, MediaType } from '../../../../src/core/oci/mediaTypes';
import { EMPTY_JSON } from '../../../../src/core/content';
import { indexReferrer } from '../../../../src/core/graph/fallbackIndex';
import { RegistryClient } from '../../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../../src/core/registry/RegistryTarget';
import type { Target } from '../../../../src/core/content/target';
import type { TestRegistry } from '../../../fixtures/registry';

export interface Seeded {
  descriptor: Descriptor;
  manifest: ImageManifest;
}

/** An artifact whose layers are the given text files (titled), optionally referring to `subject`. */
export async function pushTextArtifact(
  target: Target,
  files: Record<string, string>,
  options: { tag?: string; artifactType?: string; subject?: Descriptor; annotations?: Record<string, string> } = {},
): Promise<Seeded> {
  await pushBytes(target, EMPTY_DESCRIPTOR, EMPTY_JSON);
  const layers: Descriptor[] = [];
  for (const [name, text] of Object.entries(files)) {
    const bytes = Buffer.from(text);
    const layer: Descriptor = {
      mediaType: 'text/plain',
      digest: digestOf(bytes),
      size: bytes.length,
      annotations: { [Annotation.title]: name },
    };
    await pushBytes(target, layer, bytes);
    layers.push(layer);
  }
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: options.artifactType ?? 'application/vnd.stowage.test.v1',
    config: { ...EMPTY_DESCRIPTOR },
    layers,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  if (options.subject)
    manifest.subject = {
      mediaType: options.subject.mediaType,
      digest: options.subject.digest,
      size: options.subject.size,
    };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  const result = await target.pushManifest(descriptor, bytes, { tag: options.tag });
  await indexReferrer(target, descriptor, manifest, result.subjectIndexed);
  return { descriptor, manifest };
}

async function pushBytes(target: Target, descriptor: Descriptor, bytes: Buffer): Promise<void> {
  if (await target.exists(descriptor)) return;
  await target.pushBlob(descriptor, async (offset) => Readable.from([bytes.subarray(offset)]));
}

/** The engine's view of a test registry repository, with the registry's own credentials and CA. */
export function registryTarget(registry: TestRegistry, repository: string): RegistryTarget {
  const client = new RegistryClient(
    { host: registry.host, plainHttp: registry.variant !== 'basic-tls', caFile: registry.caFile },
    {
      credentials: {
        ignoreToolConfig: true,
        explicit: registry.username
          ? { [registry.host]: { username: registry.username, password: registry.password } }
          : undefined,
      },
    },
  );
  return new RegistryTarget(client, repository);
}

/** An image index over `entries` (each with its platform), tagged `tag`. */
export async function pushIndex(
  target: Target,
  entries: { descriptor: Descriptor; platform: { os: string; architecture: string; variant?: string } }[],
  tag: string,
): Promise<Descriptor> {
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: entries.map((e) => ({ ...e.descriptor, platform: e.platform })),
  };
  const bytes = Buffer.from(JSON.stringify(index));
  const descriptor: Descriptor = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, { tag });
  return descriptor;
}

/** A single-layer artifact whose one layer is `bytes` (binary), tagged `tag`; without a name, like an image's layer. */
export async function pushBinaryArtifact(
  target: Target,
  name: string | undefined,
  bytes: Buffer,
  tag: string,
  mediaType = 'application/octet-stream',
): Promise<Seeded> {
  await pushBytes(target, EMPTY_DESCRIPTOR, EMPTY_JSON);
  const layer: Descriptor = {
    mediaType,
    digest: digestOf(bytes),
    size: bytes.length,
    ...(name === undefined ? {} : { annotations: { [Annotation.title]: name } }),
  };
  await pushBytes(target, layer, bytes);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: 'application/vnd.stowage.test.v1',
    config: { ...EMPTY_DESCRIPTOR },
    layers: [layer],
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const descriptor: Descriptor = {
    mediaType: MediaType.ociManifest,
    digest: digestOf(manifestBytes),
    size: manifestBytes.length,
  };
  await target.pushManifest(descriptor, manifestBytes, { tag });
  return { descriptor, manifest };
}

/**
 * A Helm chart as `helm push` stores it: Chart.yaml's fields as JSON in a config of Helm's type and the chart
 * archive as one layer without a title, tagged with the version ("+" as "_").
 */
export async function pushHelmChart(
  target: Target,
  chart: { name: string; version: string; appVersion: string },
  archive: Buffer,
): Promise<Seeded & { tag: string }> {
  const configBytes = Buffer.from(JSON.stringify({ apiVersion: 'v2', type: 'application', ...chart }));
  const config: Descriptor = {
    mediaType: MediaType.helmConfig,
    digest: digestOf(configBytes),
    size: configBytes.length,
  };
  await pushBytes(target, config, configBytes);
  const layer: Descriptor = { mediaType: MediaType.helmChart, digest: digestOf(archive), size: archive.length };
  await pushBytes(target, layer, archive);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config,
    layers: [layer],
    annotations: { [Annotation.title]: chart.name, 'org.opencontainers.image.version': chart.version },
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  const tag = chart.version.replace(/\+/g, '_');
  await target.pushManifest(descriptor, bytes, { tag });
  return { descriptor, manifest, tag };
}

/** A Flux artifact as `flux push artifact` stores it: Flux's config type and the folder's tar+gzip, untitled. */
export async function pushFluxArtifact(target: Target, folderTarGzip: Buffer, tag: string): Promise<Seeded> {
  const configBytes = Buffer.from('{}');
  const config: Descriptor = { mediaType: MediaType.fluxConfig, digest: digestOf(configBytes), size: 2 };
  await pushBytes(target, config, configBytes);
  const layer: Descriptor = {
    mediaType: MediaType.fluxContent,
    digest: digestOf(folderTarGzip),
    size: folderTarGzip.length,
  };
  await pushBytes(target, layer, folderTarGzip);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, { tag });
  return { descriptor, manifest };
}
