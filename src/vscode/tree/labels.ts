// How artifacts are named in the tree: pure functions over descriptors and tags (unit-tested in Node).
// Everything here may come from a registry, so it is escaped with `printable` and used only as plain text.
import {
  shortDigest,
  titleOf,
  type Descriptor,
  type Platform,
  platformText,
  printable,
  MediaType,
} from '../../core/oci';
import type { ReferrerKind } from './nodes';

/** "linux/arm64/v8" from an index entry's platform. */
export function platformLabel(platform: Platform | undefined): string | undefined {
  const text = platformText(platform);
  return text && printable(text);
}

/**
 * What a signature or attestation's untitled layer is, by its media type. Those layers never carry a file name, so
 * a signature expanded to a row of hex ("6259167ca250") that said nothing about what it held.
 */
const ENVELOPE_NAMES: Record<string, string> = {
  [MediaType.jws]: 'JWS signature envelope',
  [MediaType.cose]: 'COSE signature envelope',
  [MediaType.cosignSimpleSigning]: 'cosign signed payload',
  [MediaType.dsseEnvelope]: 'DSSE envelope',
  [MediaType.inToto]: 'in-toto statement',
};

/**
 * A layer's title annotation (the file name it carries), else what a signature layer is, else its place among the
 * manifest's layers ("layer 2 of 3"), else its short digest.
 */
export function blobLabel(descriptor: Descriptor, place?: LayerPlace): string {
  const title = titleOf(descriptor);
  if (title) return printable(title);
  const mediaType = typeof descriptor.mediaType === 'string' ? descriptor.mediaType : '';
  if (Object.hasOwn(ENVELOPE_NAMES, mediaType)) return ENVELOPE_NAMES[mediaType]!;
  if (mediaType.startsWith(SIGSTORE_BUNDLE_PREFIX)) return 'Sigstore bundle';
  return place ? layerPlaceLabel(place) : shortDigest(descriptor.digest);
}

/** A layer's place in its manifest: `index` from 0, the bottom layer first (the order the manifest lists them). */
export interface LayerPlace {
  index: number;
  count: number;
}

/** "layer 1 of 3", numbered as `stowage files` numbers them (and `--layer N` picks them): the bottom layer is 1. */
export function layerPlaceLabel({ index, count }: LayerPlace): string {
  return `layer ${index + 1} of ${count}`;
}

/** Every version's media type (`…bundle.v0.3+json`, `…bundle+json;version=0.2`). */
const SIGSTORE_BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle';

export const REFERRER_KIND_ORDER: readonly ReferrerKind[] = ['signature', 'sbom', 'attestation', 'other'];

export const REFERRER_KIND_LABELS: Record<ReferrerKind, string> = {
  signature: 'Signatures',
  sbom: 'SBOMs',
  attestation: 'Attestations',
  other: 'Other referrers',
};

/** One referrer of each kind, and several, for counts ("1 SBOM", "3 signatures"). */
export const REFERRER_KIND_NOUNS: Record<ReferrerKind, [string, string]> = {
  signature: ['signature', 'signatures'],
  sbom: ['SBOM', 'SBOMs'],
  attestation: ['attestation', 'attestations'],
  other: ['referrer', 'referrers'],
};

/** Tags are sorted newest-version first when they look like versions, then by name; fallback tags last. */
export function sortTags(tags: readonly string[], order: 'semver' | 'name'): string[] {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (order === 'name') return [...tags].sort(byName);
  return [...tags].sort((a, b) => {
    const rank = tagRank(a) - tagRank(b);
    if (rank !== 0) return rank;
    const va = parseVersion(a);
    const vb = parseVersion(b);
    if (va && vb) return compareVersions(vb, va) || byName(a, b);
    return byName(a, b);
  });
}

/** latest first, then versions, then other names, then referrer-machinery tags (sha256-…). */
function tagRank(tag: string): number {
  if (tag === 'latest') return 0;
  if (/^[a-z0-9]+-[0-9a-f]{32,}(\.[a-z]+)?$/.test(tag)) return 3;
  return parseVersion(tag) ? 1 : 2;
}

interface Version {
  numbers: number[];
  prerelease?: string;
}

const VERSION_TAG = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;
// A tag cannot hold SemVer's "+": `helm push` tags 0.1.0+build.7 as 0.1.0_build.7. Build metadata does not change
// the order (SemVer), so such a tag sorts with its version.
const HELM_VERSION_TAG = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?_[0-9A-Za-z.-]+$/;

function parseVersion(tag: string): Version | undefined {
  const match = VERSION_TAG.exec(tag) ?? HELM_VERSION_TAG.exec(tag);
  if (!match) return undefined;
  const numbers = [match[1], match[2], match[3]].map((n) => (n === undefined ? 0 : Number(n)));
  return match[4] ? { numbers, prerelease: match[4] } : { numbers };
}

function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const diff = a.numbers[i]! - b.numbers[i]!;
    if (diff !== 0) return diff;
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === undefined) return 1; // a release ranks above its pre-releases
  if (b.prerelease === undefined) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** The short media type for descriptions: "tar+gzip layer", "oci manifest" or the type itself. */
export function mediaTypeLabel(mediaType: string): string {
  const known: Record<string, string> = {
    [MediaType.ociManifest]: 'OCI manifest',
    [MediaType.ociIndex]: 'OCI index',
    [MediaType.dockerManifest]: 'Docker manifest',
    [MediaType.dockerManifestList]: 'Docker manifest list',
    [MediaType.ociEmpty]: 'empty',
  };
  return known[mediaType] ?? printable(mediaType);
}
