// Which of the tags a view has listed name a manifest: what a delete confirmation says goes with it.
import { createLimiter, type Target } from '../../core/content';
import type { Descriptor } from '../../core/oci';

/** Bounded: only the tags already listed are resolved, four at a time; one that fails to resolve is left out. */
export async function tagsNaming(target: Target, descriptor: Descriptor, listed: readonly string[]): Promise<string[]> {
  const limit = createLimiter(4);
  const named = await Promise.all(
    listed.map((tag) =>
      limit(async () => {
        try {
          return (await target.resolve(tag)).digest === descriptor.digest ? tag : undefined;
        } catch {
          return undefined;
        }
      }),
    ),
  );
  return named.filter((t): t is string => t !== undefined);
}
