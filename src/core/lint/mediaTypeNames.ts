// Media type grammar (RFC 6838 section 4.2) and "did you mean" for near-misses of well-known types.
import { isMediaType, MediaType } from '../oci';

export { isMediaType };

/** Types seen in real registries besides those the engine names in MediaType. */
const MORE_WELL_KNOWN = [
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.docker.plugin.v1+json',
  'application/vnd.dev.cosign.artifact.sig.v1+json',
  'application/vnd.dev.cosign.artifact.sbom.v1+json',
  'application/vnd.buildkit.cacheconfig.v0',
  'application/vnd.unknown.config.v1+json',
  'application/vnd.unknown.artifact.v1',
];

export const WELL_KNOWN_MEDIA_TYPES: readonly string[] = [
  ...new Set([...Object.values(MediaType), ...MORE_WELL_KNOWN]),
];
const WELL_KNOWN = new Set(WELL_KNOWN_MEDIA_TYPES);
const MAX_EDITS = 2;

// A 5,000-entry index repeats a handful of types: remember each answer.
const suggestions = new Map<string, string | null>();

/** The well-known type `value` was probably meant to be, or undefined when it is one or is not close to one. */
export function suggestMediaType(value: string): string | undefined {
  let known = suggestions.get(value);
  if (known === undefined) {
    known = nearest(value) ?? null;
    if (suggestions.size < 10_000) suggestions.set(value, known);
  }
  return known ?? undefined;
}

function nearest(value: string): string | undefined {
  if (WELL_KNOWN.has(value)) return undefined;
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = MAX_EDITS + 1;
  for (const candidate of WELL_KNOWN_MEDIA_TYPES) {
    if (candidate === lower) return candidate;
    if (Math.abs(candidate.length - value.length) > MAX_EDITS) continue;
    if (differsOnlyInDigits(candidate, lower)) continue; // another version of the type, not a typo
    const distance = editDistance(candidate, lower, MAX_EDITS);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function differsOnlyInDigits(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(i)))) return false;
  }
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Levenshtein distance, giving up (returning limit + 1) as soon as every path exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
