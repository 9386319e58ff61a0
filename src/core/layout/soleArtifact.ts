// A layout or archive named without a tag or digest stands for the one artifact it holds, as skopeo reads `oci:dir`
// and `oci-archive:x.tar`: its one entry, or else its one tag (a copy with referrers lists them beside it, untagged
// or under their fallback and cosign tags, which name no artifact a user tagged). Anything else is ambiguous, and
// what it holds is reported so the error can name the choices.
import { isReferrerTag, type ImageIndex } from '../oci';
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
