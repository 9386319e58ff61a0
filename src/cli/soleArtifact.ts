// A layout or archive named without a tag or digest (`oci:dir`, `oci-archive:x.tar`) stands for the one artifact it
// holds, as skopeo reads it; holding several, the error names them so the user can pick one.
import { describeHeld, soleArtifactOf } from '../core/layout';
import type { OpenedTarget } from '../core/open';
import { UsageError } from './args';

/**
 * `opened` as if its one artifact's tag (or, untagged, its digest) had been written, when it is a bare layout or
 * archive holding one; as it is otherwise (a registry, or a tag or digest named). Holding several, a usage error
 * naming them — unless it has the tag `unlessTagged` (inspect reads `latest` then, as at a registry).
 */
export async function asSoleArtifact(
  input: string,
  opened: OpenedTarget,
  unlessTagged?: string,
): Promise<OpenedTarget> {
  if (opened.tagOrDigest) return opened;
  const sole = await soleArtifactOf(opened.target);
  if (!sole) return opened;
  if (sole.found) {
    const named = sole.tag !== undefined ? { tag: sole.tag } : { digest: sole.digest };
    return { ...opened, reference: { ...opened.reference, ...named }, tagOrDigest: sole.tag ?? sole.digest };
  }
  if (unlessTagged !== undefined && sole.tags.includes(unlessTagged)) return opened;
  if (!sole.tags.length && !sole.others)
    throw new UsageError(`"${input}" holds no artifact (its index.json lists none)`);
  throw new UsageError(
    `"${input}" names no tag or digest and holds more than one artifact, ${describeHeld(sole)}: add :tag or @sha256:…`,
  );
}
