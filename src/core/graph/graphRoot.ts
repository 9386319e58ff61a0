// The root of a referrer graph, described as a referrers list describes each referrer: its artifactType (else its
// config's media type, image-spec's rule) and its manifest's annotations. A resolved tag or a digest says neither,
// and artifactKindOf would then call any manifest an "Image": the root must be named as the tree names it.
import { artifactTypeOf, type Descriptor, type Manifest, OciError } from '../oci';
import type { Cancellable, ReadOnlyTarget } from '../content';

export interface GraphRootOptions extends Cancellable {
  /** The root's manifest when the caller has read it already (no read then). */
  manifest?: Manifest;
}

/**
 * `root` with its artifact type and annotations. A descriptor that has an artifactType came from a referrers list
 * (which carries the manifest's annotations too) and is returned as it is; otherwise the manifest is read once,
 * unless `options.manifest` is given. A manifest that is gone leaves the root as it was: its referrers may remain.
 */
export async function describeGraphRoot(
  target: ReadOnlyTarget,
  root: Descriptor,
  options: GraphRootOptions = {},
): Promise<Descriptor> {
  let manifest = options.manifest;
  if (!manifest) {
    if (root.artifactType !== undefined) return root;
    try {
      manifest = (await target.fetchManifest(root, { signal: options.signal })).manifest;
    } catch (err) {
      if (OciError.is(err, 'NOT_FOUND')) return root;
      throw err;
    }
  }
  return describedRoot(root, manifest);
}

/** `root` with what `manifest` says of it; what the descriptor says already (a layout's ref name) is kept. */
export function describedRoot(root: Descriptor, manifest: Manifest): Descriptor {
  const artifactType = root.artifactType ?? artifactTypeOf(manifest);
  const annotations = { ...manifest.annotations, ...root.annotations };
  return {
    ...root,
    ...(artifactType ? { artifactType } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}
