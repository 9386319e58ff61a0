// The manifests an index holds, through nested indexes: a registry deletes a manifest by digest whether or not an
// index names it, and the index is then broken (`latest` made by `imagetools create` from `pr-12-amd64` and
// `pr-12-arm64` cannot be pulled once those go). A clean-up asks this before it deletes anything an index it keeps
// holds.
import { type Limiter, type ReadOnlyTarget } from '../content';
import { type Descriptor, isIndex, isIndexType, isManifestType, OciError } from '../oci';

/** Nested indexes read per question, at most: a hostile tree of indexes is refused, not walked without end. */
export const MAX_INDEXES_READ = 10_000;

/**
 * For each manifest held by one of `roots` that is an index (at any depth below it), the roots holding it. A root
 * whose media type does not say (a registry's HEAD may leave it out) is read to tell.
 */
export async function indexMembers(
  target: ReadOnlyTarget,
  roots: readonly Descriptor[],
  limit: Limiter,
  signal?: AbortSignal,
): Promise<Map<string, Set<string>>> {
  const childrenOf = new Map<string, Promise<Descriptor[]>>();
  const read = (descriptor: Descriptor): Promise<Descriptor[]> => {
    let children = childrenOf.get(descriptor.digest);
    if (!children) {
      if (childrenOf.size >= MAX_INDEXES_READ)
        throw new OciError(
          'SIZE_EXCEEDED',
          `${target.location} holds more than ${MAX_INDEXES_READ} indexes under its tags; refusing to read on`,
        );
      children = limit(async () => {
        const { manifest } = await target.fetchManifest(descriptor, { signal });
        return isIndex(manifest) ? manifest.manifests : [];
      });
      childrenOf.set(descriptor.digest, children);
    }
    return children;
  };
  const members = new Map<string, Set<string>>();
  await Promise.all(
    roots
      .filter((root) => !isManifestType(root.mediaType))
      .map(async (root) => {
        const pending = [root];
        const visited = new Set([root.digest]);
        for (let next = pending.pop(); next; next = pending.pop())
          for (const child of await read(next)) {
            if (visited.has(child.digest)) continue;
            visited.add(child.digest);
            const holders = members.get(child.digest) ?? new Set<string>();
            members.set(child.digest, holders.add(root.digest));
            if (isIndexType(child.mediaType)) pending.push(child);
          }
      }),
  );
  return members;
}
