// Misspelt property names ("mediatype", "annotation", "artifactType" as "artefactType"): readers ignore unknown
// properties, so a typo silently drops the value. Reported as a warning with a rename.
import { editDistance } from '../mediaTypeNames';
import { isIndexKind, isManifestKind, isObject } from '../detect';
import type { JsonPath } from '../problem';
import type { RuleContext } from './context';

const DESCRIPTOR = ['mediaType', 'digest', 'size', 'urls', 'annotations', 'data', 'artifactType', 'platform'];
const PLATFORM = ['architecture', 'os', 'os.version', 'os.features', 'variant', 'features'];
const MANIFEST = ['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'subject', 'annotations'];
const INDEX = ['schemaVersion', 'mediaType', 'artifactType', 'manifests', 'subject', 'annotations'];
const MAX_EDITS = 2;
// Short names are too close to each other and to unrelated words to guess reliably.
const MIN_CANDIDATE_LENGTH = 4;
const MIN_KEY_LENGTH = 3;

const suggestions = new Map<string, string | null>();

export function propertyRules(context: RuleContext): void {
  const { kind, document } = context;
  if (isManifestKind(kind)) checkObject(context, [], document, MANIFEST);
  else if (isIndexKind(kind)) checkObject(context, [], document, INDEX);
  else if (kind === 'ociLayout') checkObject(context, [], document, ['imageLayoutVersion']);
  for (const site of context.sites) {
    checkObject(context, site.path, site.value, DESCRIPTOR);
    if (isObject(site.value.platform)) checkObject(context, [...site.path, 'platform'], site.value.platform, PLATFORM);
  }
}

function checkObject(
  context: RuleContext,
  path: JsonPath,
  object: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key in object) {
    if (known.includes(key)) continue;
    const meant = suggest(key, known);
    if (!meant || meant in object) continue;
    const at = [...path, key];
    const range = context.locator.key(at);
    context.report(
      'warning',
      'property-typo',
      `Unknown property "${key}" is ignored by readers; did you mean "${meant}"?`,
      at,
      range,
      { title: `Rename to "${meant}"`, edits: [{ ...range, newText: JSON.stringify(meant) }] },
    );
  }
}

function suggest(key: string, known: readonly string[]): string | undefined {
  const memo = `${known[0]}\u0000${key}`;
  let answer = suggestions.get(memo);
  if (answer === undefined) {
    answer = null;
    const lower = key.toLowerCase();
    for (const candidate of known) {
      if (
        candidate.toLowerCase() === lower ||
        (candidate.length >= MIN_CANDIDATE_LENGTH &&
          key.length >= MIN_KEY_LENGTH &&
          editDistance(candidate.toLowerCase(), lower, MAX_EDITS) <= MAX_EDITS)
      ) {
        answer = candidate;
        break;
      }
    }
    if (suggestions.size < 10_000) suggestions.set(memo, answer);
  }
  return answer ?? undefined;
}
