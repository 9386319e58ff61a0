// A layout or archive named without a tag or digest (`oci:dir`, `oci-archive:x.tar`) stands for the one artifact it
// holds, as skopeo reads it; holding several, the error names them so the user can pick one.
import { describeHeld, type SoleArtifact } from '../core/layout';
import type { OpenedTarget } from '../core/open';
import { UsageError } from './args';

export { soleArtifactOf } from '../core/layout';

/** The opened layout as if its one artifact's tag (or, untagged, its digest) had been written. */
export function namingSoleArtifact(opened: OpenedTarget, sole: SoleArtifact & { found: true }): OpenedTarget {
  const named = sole.tag !== undefined ? { tag: sole.tag } : { digest: sole.digest };
  return { ...opened, reference: { ...opened.reference, ...named }, tagOrDigest: sole.tag ?? sole.digest };
}

export function severalArtifacts(input: string, held: SoleArtifact & { found: false }): UsageError {
  if (!held.tags.length && !held.others)
    return new UsageError(`"${input}" holds no artifact (its index.json lists none)`);
  return new UsageError(
    `"${input}" names no tag or digest and holds more than one artifact, ${describeHeld(held)}: add :tag or @sha256:…`,
  );
}
