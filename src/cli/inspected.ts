// A reference opened and inspected as `stowage inspect` reads it (and `stowage diff`, each side): no tag or digest
// names `latest` (a layout's one artifact, holding one), and an index is read through the platform asked for, else this machine's.
import type { Target } from '../core/content';
import { inspectArtifact, type Inspection, PlatformNotFoundError } from '../core/supplyChain';
import { UsageError } from './args';
import type { CommandContext } from './command';
import { parsePlatform } from './platform';
import { asSoleArtifact } from './soleArtifact';
import { hostPlatform } from '../core/content';

export async function inspectReference(
  context: CommandContext,
  reference: string,
  tags: boolean,
): Promise<{ target: Target; inspection: Inspection }> {
  const { args, signal } = context;
  const { target, tagOrDigest } = await openInspected(context, reference);
  const platform = args.options['platform'] as string | undefined;
  try {
    const inspection = await inspectArtifact(target, tagOrDigest, {
      ...(platform ? { platform: parsePlatform(platform) } : { preferred: hostPlatform() }),
      tags,
      signal,
    });
    return { target, inspection };
  } catch (err) {
    if (err instanceof PlatformNotFoundError) throw new UsageError(`${reference} has ${err.message}`);
    throw err;
  }
}

export async function openInspected(
  { session }: CommandContext,
  reference: string,
): Promise<{ target: Target; tagOrDigest: string }> {
  // A bare layout holding one artifact is that artifact; holding several, `latest` when it has one, as a registry.
  const opened = await asSoleArtifact(reference, await session.open(reference), 'latest');
  const tag = opened.reference.digest ? undefined : (opened.reference.tag ?? 'latest');
  // A tag that is not there is then explained with the tags that are.
  if (tag) session.tagged.push({ target: opened.target, tag });
  return { target: opened.target, tagOrDigest: opened.tagOrDigest ?? tag! };
}
