// When an artifact was made, for ordering tags by "recent": the manifest's `org.opencontainers.image.created`
// annotation, else an image config's `created` field. Costs one manifest read, plus one config read for images
// whose manifest has no annotation; the config is read only when it is an image config of at most
// MAX_CONFIG_BYTES (it is read into memory). Anything unreadable or unparsable is "unknown", never an error.
import { Annotation, isIndex, MediaType, type Descriptor } from '../oci';
import { readSmallBlob, type ReadOnlyTarget } from '../content';

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
  try {
    const bytes = await readSmallBlob(target, config, signal, MAX_CONFIG_BYTES);
    return parseTime((JSON.parse(bytes.toString('utf8')) as { created?: unknown }).created);
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}
