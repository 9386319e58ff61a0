// What a copy with referrers took along, in words: "with 1 signature and 1 SBOM". A platform engineer promoting an
// artifact checks that its signatures and SBOMs followed it; the notification said only that the artifact was copied.
import { artifactFamilyOf, type ArtifactFamily } from '../../core/graph';
import { counted, type Descriptor } from '../../core/oci';
import { REFERRER_KIND_NOUNS } from '../tree/labels';

const ORDER: readonly ArtifactFamily[] = ['signature', 'sbom', 'attestation', 'other'];

/** The referrers a copy reached (copied, or found at the destination already), counted by family. */
export function referrersFollowed(referrers: readonly Descriptor[]): string {
  const digests = new Set<string>();
  const counts = new Map<ArtifactFamily, number>();
  for (const referrer of referrers) {
    if (digests.has(referrer.digest)) continue;
    digests.add(referrer.digest);
    const family = artifactFamilyOf(referrer);
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  const parts = ORDER.filter((f) => counts.has(f)).map((f) => {
    const [one, many] = REFERRER_KIND_NOUNS[f];
    return f === 'other' && counts.size > 1
      ? counted(counts.get(f)!, `other ${one}`, `other ${many}`)
      : counted(counts.get(f)!, one, many);
  });
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
