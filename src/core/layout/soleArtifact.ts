// A layout or archive named without a tag or digest stands for the one artifact it holds, as skopeo reads `oci:dir`
// and `oci-archive:x.tar`: its one entry, or else its one tag (a copy with referrers lists them beside it, untagged
// or under their fallback and cosign tags, which name no artifact a user tagged). Anything else is ambiguous, and
// what it holds is reported so the error can name the choices.
import type { Target } from '../content';
import { counted, isReferrerTag, printable, type ImageIndex } from '../oci';
import { ArchiveTarget } from './ArchiveTarget';
import { LayoutTarget } from './LayoutTarget';
import { tagOfEntry } from './indexFile';

export type SoleArtifact =
  { found: true; tag?: string; digest: string } | { found: false; tags: string[]; others: number };

export function soleArtifact(index: ImageIndex): SoleArtifact {
  const entries = index.manifests;
  const tagged = entries.flatMap((entry) => {
    const tag = tagOfEntry(entry);
    return tag === undefined || isReferrerTag(tag) ? [] : [{ tag, digest: entry.digest }];
  });
  const tags = [...new Set(tagged.map((t) => t.tag))];
  if (tags.length === 1 && new Set(tagged.map((t) => t.digest)).size === 1)
    return { found: true, tag: tags[0]!, digest: tagged[0]!.digest };
  if (tags.length === 0 && entries.length === 1) return { found: true, digest: entries[0]!.digest };
  return { found: false, tags, others: entries.length - tagged.length };
}

/** What a bare layout or archive holds; undefined for any other store (its bare name means what each command says). */
export async function soleArtifactOf(target: Target): Promise<SoleArtifact | undefined> {
  if (!(target instanceof LayoutTarget || target instanceof ArchiveTarget)) return undefined;
  return soleArtifact(await target.readIndex());
}

/** Tags named when a layout holds several; the rest are counted. */
const TAGS_NAMED = 10;

/** "2 tags (v1, latest) and 1 other manifest", tags printable: what a layout holding several artifacts holds. */
export function describeHeld({ tags, others }: SoleArtifact & { found: false }): string {
  const shown = tags.slice(0, TAGS_NAMED).map((t) => printable(t));
  const held = [
    ...(tags.length
      ? [`${counted(tags.length, 'tag')} (${shown.join(', ')}${tags.length > TAGS_NAMED ? ', …' : ''})`]
      : []),
    ...(others ? [counted(others, tags.length ? 'other manifest' : 'untagged manifest')] : []),
  ];
  return held.length ? held.join(' and ') : 'no artifact';
}
