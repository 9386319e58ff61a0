// A layout or archive named without a tag or digest (`oci:dir`, `oci-archive:x.tar`) stands for the one artifact it
// holds, as skopeo reads it; holding several, the error names them so the user can pick one.
import { ArchiveTarget, LayoutTarget, soleArtifact, type SoleArtifact } from '../core/layout';
import { counted, printable } from '../core/oci';
import type { OpenedTarget } from '../core/open';
import { UsageError } from './args';

/** Tags named in the error for a layout holding several; the rest are counted. */
const TAGS_NAMED = 10;

/** What a bare layout or archive holds; undefined for a registry (its bare reference means what each command says). */
export async function soleArtifactOf(opened: OpenedTarget): Promise<SoleArtifact | undefined> {
  const { target } = opened;
  if (!(target instanceof LayoutTarget || target instanceof ArchiveTarget)) return undefined;
  return soleArtifact(await target.readIndex());
}

/** The opened layout as if its one artifact's tag (or, untagged, its digest) had been written. */
export function namingSoleArtifact(opened: OpenedTarget, sole: SoleArtifact & { found: true }): OpenedTarget {
  const named = sole.tag !== undefined ? { tag: sole.tag } : { digest: sole.digest };
  return { ...opened, reference: { ...opened.reference, ...named }, tagOrDigest: sole.tag ?? sole.digest };
}

export function severalArtifacts(input: string, { tags, others }: SoleArtifact & { found: false }): UsageError {
  if (!tags.length && !others) return new UsageError(`"${input}" holds no artifact (its index.json lists none)`);
  const shown = tags.slice(0, TAGS_NAMED).map((t) => printable(t));
  const held = [
    ...(tags.length
      ? [`${counted(tags.length, 'tag')} (${shown.join(', ')}${tags.length > TAGS_NAMED ? ', …' : ''})`]
      : []),
    ...(others ? [counted(others, tags.length ? 'other manifest' : 'untagged manifest')] : []),
  ];
  return new UsageError(
    `"${input}" names no tag or digest and holds more than one artifact, ${held.join(' and ')}: add :tag or @sha256:…`,
  );
}
