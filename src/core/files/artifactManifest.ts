// The manifest of a files artifact: layers from packFiles, an empty config with artifactType (or a config
// the user gives), the creation time, user annotations and an optional subject.
import { createReadStream } from 'node:fs';
import {
  cleanDescriptor,
  EMPTY_DESCRIPTOR,
  type Descriptor,
  type ImageManifest,
  type Platform,
  OciError,
  Annotation,
  MediaType,
  mediaTypeProblem,
  printable,
} from '../oci';
import { bytesContent, EMPTY_JSON } from '../content';
import { digestOf, hashFile, type BlobContent } from '../content';

/** What ORAS writes when the user names no artifact type. */
export const DEFAULT_ARTIFACT_TYPE = 'application/vnd.unknown.artifact.v1';

/** ORAS's config media type for an image-spec v1.0 artifact pushed without an artifact type. */
export const UNKNOWN_CONFIG_TYPE = 'application/vnd.unknown.config.v1+json';

/**
 * The manifest shape: v1.1 (default) names the kind of artifact in `artifactType` over the empty config; v1.0,
 * for registries and tools from before image-spec 1.1, has no `artifactType` and says the kind with the config's
 * media type instead (ORAS's `--image-spec v1.0`).
 */
export type ImageSpecVersion = 'v1.0' | 'v1.1';

export interface ArtifactManifestOptions {
  layers: Descriptor[];
  /** Required with the empty config (defaults to DEFAULT_ARTIFACT_TYPE); optional with a config of its own. */
  artifactType?: string;
  /** A config blob instead of the empty one: its descriptor and a way to read it. */
  config?: { descriptor: Descriptor; content: BlobContent };
  /** v1.1 (default) or v1.0 (see ImageSpecVersion). */
  imageSpec?: ImageSpecVersion;
  /** Annotations of the config descriptor (ORAS's `$config` in an annotation file). */
  configAnnotations?: Record<string, string>;
  annotations?: Record<string, string>;
  /**
   * org.opencontainers.image.created: a Date or an RFC 3339 string to fix it (reproducible builds), false to
   * leave it out; default now, to the second.
   */
  created?: Date | string | false;
  subject?: Descriptor;
}

export interface BuiltManifest {
  manifest: ImageManifest;
  /** The exact bytes to push; the descriptor's digest is theirs. */
  bytes: Buffer;
  descriptor: Descriptor;
  /** The config blob to push before the manifest. */
  config: { descriptor: Descriptor; content: BlobContent };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createdAnnotation(created: Date | string): string {
  if (created instanceof Date) {
    if (Number.isNaN(created.getTime())) throw new OciError('USAGE', 'the creation time is not a valid date');
    const text = rfc3339(created);
    // A year past 9999 (or before 0) comes out "+010000-…": not RFC 3339, refused rather than recorded.
    if (!RFC3339.test(text))
      throw new OciError('USAGE', `the creation time ${text} is outside the years RFC 3339 can write (0000–9999)`);
    return text;
  }
  if (!RFC3339.test(created) || Number.isNaN(Date.parse(created)))
    throw new OciError(
      'USAGE',
      `the creation time "${created}" is not an RFC 3339 date-time (e.g. 2024-01-31T12:00:00Z)`,
    );
  return created;
}

/**
 * Refuses a media type the user gave that is not `type/subtype` (RFC 6838), before anything is packed or sent: a
 * registry would refuse the manifest, and a type with a line break or an escape sequence would reach every
 * client that lists the artifact.
 */
export function assertMediaType(value: string, what: string): void {
  const problem = mediaTypeProblem(value);
  if (problem)
    throw new OciError(
      'USAGE',
      `${what} "${printable(value)}" is not a media type: type/subtype (RFC 6838), e.g. application/vnd.example.note.v1+json (${problem})`,
    );
}

/** The config and the artifactType field, as the image-spec version asks (ORAS's rules for `--image-spec`). */
function configAndType(options: ArtifactManifestOptions): {
  config: { descriptor: Descriptor; content: BlobContent };
  artifactType: string | undefined;
} {
  const empty = (mediaType: string) => ({
    descriptor: cleanDescriptor({ ...EMPTY_DESCRIPTOR, mediaType, data: undefined }),
    content: bytesContent(EMPTY_JSON),
  });
  if (options.imageSpec === 'v1.0') {
    if (options.config && options.artifactType !== undefined)
      throw new OciError(
        'USAGE',
        'an image-spec v1.0 manifest has no artifactType: give either the artifact type (it becomes the config media type) or a config, not both',
      );
    return { config: options.config ?? empty(options.artifactType ?? UNKNOWN_CONFIG_TYPE), artifactType: undefined };
  }
  if (options.imageSpec === 'v1.1' && options.config && options.artifactType === undefined)
    throw new OciError(
      'USAGE',
      'an image-spec v1.1 artifact with a config of its own needs an artifact type (--artifact-type), or use image-spec v1.0',
    );
  return {
    config: options.config ?? empty(MediaType.ociEmpty),
    artifactType: options.artifactType ?? (options.config ? undefined : DEFAULT_ARTIFACT_TYPE),
  };
}

export function buildArtifactManifest(options: ArtifactManifestOptions): BuiltManifest {
  if (options.artifactType !== undefined) assertMediaType(options.artifactType, 'the artifact type');
  if (options.config) assertMediaType(options.config.descriptor.mediaType, 'the config media type');
  for (const layer of options.layers)
    assertMediaType(
      layer.mediaType,
      `the media type of ${printable(layer.annotations?.[Annotation.title] ?? layer.digest)}`,
    );
  const { config, artifactType } = configAndType(options);
  const annotations: Record<string, string> = { ...options.annotations };
  const created = options.created ?? new Date();
  if (created !== false && annotations[Annotation.created] === undefined)
    annotations[Annotation.created] = createdAnnotation(created);

  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    ...(artifactType ? { artifactType } : {}),
    config: cleanDescriptor(
      options.configAnnotations && Object.keys(options.configAnnotations).length
        ? { ...config.descriptor, annotations: { ...config.descriptor.annotations, ...options.configAnnotations } }
        : config.descriptor,
    ),
    layers: options.layers.map(cleanDescriptor),
    ...(options.subject ? { subject: cleanDescriptor(options.subject) } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };

  const bytes = Buffer.from(JSON.stringify(manifest));
  const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  if (artifactType) descriptor.artifactType = artifactType;
  return { manifest, bytes, descriptor, config };
}

/**
 * An image config holding only a platform (ORAS's `--artifact-platform`): an artifact built for one OS and
 * architecture says so where `pull --platform` and index entries look for it.
 */
export function platformConfig(platform: Platform): { descriptor: Descriptor; content: BlobContent } {
  // Fields in image-spec's order, so the same platform gives the same bytes (and digest) every time.
  const ordered: Platform = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform['os.version'] ? { 'os.version': platform['os.version'] } : {}),
    ...(platform.variant ? { variant: platform.variant } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(ordered));
  return {
    descriptor: { mediaType: MediaType.ociConfig, digest: digestOf(bytes), size: bytes.length },
    content: bytesContent(bytes),
  };
}

/** A config file given by the user, as a config descriptor of `mediaType` (hashed by streaming, reopened to push). */
export async function configFromFile(
  file: string,
  mediaType: string,
  signal?: AbortSignal,
): Promise<{ descriptor: Descriptor; content: BlobContent }> {
  const { digest, size } = await hashFile(file, {}, signal);
  return {
    descriptor: { mediaType, digest, size },
    content: async (offset: number) => createReadStream(file, { start: offset, highWaterMark: 1024 * 1024 }),
  };
}
