// When an artifact was made, for ordering tags by "recent": the manifest's `org.opencontainers.image.created`
// annotation, else an image config's `created` field. Costs one manifest read, plus one config read for images
// whose manifest has no annotation; the config is read only when it is an image config of at most
// MAX_CONFIG_BYTES (it is read into memory). Anything unreadable or unparsable is "unknown", never an error.
import { Annotation, isIndex, MediaType, type Descriptor } from '../oci';
import type { ReadOnlyTarget } from '../content';

export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Milliseconds since the epoch, or undefined when the artifact does not say (or says something unparsable). */
export async function createdTimeOf(
  target: ReadOnlyTarget,
  ref: string | Descriptor,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const { manifest } = await target.fetchManifest(ref, { signal });
  const annotated = parseTime(manifest.annotations?.[Annotation.created]);
  if (annotated !== undefined || isIndex(manifest)) return annotated;
  const config = manifest.config;
  if (!config || config.size > MAX_CONFIG_BYTES) return undefined;
  if (config.mediaType !== MediaType.ociConfig && config.mediaType !== MediaType.dockerConfig) return undefined;
  const stream = await target.fetchBlob(config, { signal });
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += (chunk as Buffer).length;
    // The store verifies the size; this only guards a store that does not.
    if (length > MAX_CONFIG_BYTES) {
      stream.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return parseTime((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { created?: unknown }).created);
  } catch {
    return undefined;
  }
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}
