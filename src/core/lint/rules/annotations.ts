// Annotation maps: string values, RFC 3339 creation time, reference names, and the values other tools parse.
import { Annotation } from '../../oci';
import { isObject } from '../detect';
import { formatPath } from '../paths';
import type { JsonPath } from '../problem';
import { refNameProblem } from '../refName';
import { isRfc3339 } from '../rfc3339';
import type { RuleContext } from './context';
import { checkDigest } from './digest';

/** Annotations whose value is a digest (ORAS directory content, buildx attestation subjects). */
const DIGEST_VALUED = new Set<string>([Annotation.orasContentDigest, 'vnd.docker.reference.digest']);
const CHECKED_VALUES = new Set<string>([
  ...DIGEST_VALUED,
  Annotation.created,
  Annotation.refName,
  Annotation.notaryThumbprints,
]);

export function annotationRules(context: RuleContext): void {
  checkAnnotations(context, ['annotations'], context.document.annotations);
  for (const site of context.sites) {
    if (site.path.length && site.value.annotations !== undefined)
      checkAnnotations(context, [...site.path, 'annotations'], site.value.annotations);
  }
}

function checkAnnotations(context: RuleContext, path: JsonPath, annotations: unknown): void {
  if (!isObject(annotations)) return;
  for (const key in annotations) {
    const value = annotations[key];
    if (typeof value === 'string' && !CHECKED_VALUES.has(key)) continue;
    const at = [...path, key];
    if (typeof value !== 'string') {
      const range = context.locator.value(at);
      // Quote numbers and booleans as written ("unpack": true is a common slip); objects need a human. Only when
      // the quoted text passes the annotation's own check: `"created": 5` quoted is no date-time either.
      const text = context.text.slice(range.offset, range.offset + range.length);
      const quoted =
        value !== null && typeof value !== 'object' && valueProblem(key, text) === undefined
          ? {
              title: 'Quote the value',
              edits: [{ ...range, newText: JSON.stringify(text) }],
            }
          : undefined;
      context.report(
        'error',
        'annotation-not-string',
        `Annotation "${key}" must be a string, not ${value === null ? 'null' : typeof value}.`,
        at,
        range,
        quoted,
      );
      continue;
    }
    if (key === Annotation.created && !isRfc3339(value)) {
      context.report(
        'error',
        'annotation-created',
        `Annotation "${key}" must be an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z), not "${value}".`,
        at,
      );
    } else if (key === Annotation.refName) {
      // The grammar is part of the annotation's definition, so it holds wherever the annotation appears.
      const problem = refNameProblem(value);
      if (problem)
        context.report(
          'error',
          'ref-name-format',
          `Annotation "${key}" "${value}" does not follow image-spec's grammar for reference names: ${problem}.`,
          at,
        );
    } else if (DIGEST_VALUED.has(key)) {
      checkDigest(context, path, key, value);
    } else if (key === Annotation.notaryThumbprints && !isJsonStringArray(value)) {
      context.report(
        'error',
        'annotation-notary-thumbprints',
        `Annotation "${key}" at ${formatPath(at)} must hold a JSON array of thumbprint strings.`,
        at,
      );
    }
  }
}

/** What is wrong with a string value of an annotation whose values have a form (undefined: nothing, or no form). */
function valueProblem(key: string, value: string): string | undefined {
  if (key === Annotation.created) return isRfc3339(value) ? undefined : 'not an RFC 3339 date-time';
  if (key === Annotation.refName) return refNameProblem(value);
  if (key === Annotation.notaryThumbprints) return isJsonStringArray(value) ? undefined : 'not a JSON array';
  // A bare number or boolean is never a digest.
  if (DIGEST_VALUED.has(key)) return 'not a digest';
  return undefined;
}

function isJsonStringArray(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string');
  } catch {
    return false;
  }
}
