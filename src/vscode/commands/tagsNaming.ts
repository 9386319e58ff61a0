// Which of the tags a view has listed name a manifest: what a delete confirmation says goes with it.
import { createLimiter, type Target } from '../../core/content';
import type { Descriptor } from '../../core/oci';

/** Tags resolved at once. */
const CONCURRENCY = 4;

/** Bounded: only the tags already listed are resolved, four at a time; one that fails to resolve is left out. */
export async function tagsNaming(target: Target, descriptor: Descriptor, listed: readonly string[]): Promise<string[]> {
  return (await tagsByDigest(target, listed)).get(descriptor.digest) ?? [];
}

/** The listed tags by the digest each names now: resolved once for any number of manifests of one store. */
export async function tagsByDigest(
  target: Target,
  listed: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, string[]>> {
  const limit = createLimiter(CONCURRENCY);
  const resolved = await Promise.all(
    listed.map((tag) =>
      limit(async () => {
        try {
          return [tag, (await target.resolve(tag, { signal })).digest] as const;
        } catch {
          return undefined;
        }
      }),
    ),
  );
  const byDigest = new Map<string, string[]>();
  for (const [tag, digest] of resolved.filter((r) => r !== undefined)) {
    const tags = byDigest.get(digest) ?? [];
    tags.push(tag);
    byDigest.set(digest, tags);
  }
  if (signal?.aborted) throw signal.reason;
  return byDigest;
}
