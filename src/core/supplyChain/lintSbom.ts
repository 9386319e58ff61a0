// An SBOM file as the linter reports it: SPDX 2.3 or CycloneDX checked against its own schema (the check Attach
// SBOM… and `sbom --sbom` make before attaching), each problem at the value its JSON pointer names. `stowage lint`
// and the editor's live linter both report SBOMs through here.
import { type JsonPath, Locator, type Problem } from '../lint';
import { MAX_JSON_DEPTH, offsetBeyondDepth, parseJsonObject, sbomTypeOf } from '../oci';
import { validateSbomDocument } from '../sbom';

export const SBOM_INVALID = 'sbom-invalid';

/**
 * Problems placed at most; the rest are counted in one more. Each costs a walk of the position tree and, in the
 * editor, a diagnostic (VS Code shows 1,000 a file), on each pause in typing: an SBOM of a few MiB can have 300,000.
 */
export const MAX_SBOM_PROBLEMS = 1000;

/** Undefined when `text` is no SBOM (no SPDX or CycloneDX JSON); else its schema problems, none when valid. */
export async function lintSbom(text: string): Promise<Problem[] | undefined> {
  // Parsed once, here: the editor runs this on every pause in typing, and SBOMs run to tens of megabytes.
  const document = parseJsonObject(text);
  const type = document && sbomTypeOf(document);
  if (!type) return undefined;
  const kind = type === 'spdx' ? 'SPDX' : 'CycloneDX';
  // Validators and the position tree recurse over the value: a file nested thousands deep is named, not walked.
  const tooDeep = offsetBeyondDepth(text);
  if (tooDeep !== undefined)
    return [
      {
        severity: 'error',
        code: 'json-too-deep',
        message: `Nested deeper than ${MAX_JSON_DEPTH} levels: not checked against the ${kind} schema.`,
        path: [],
        offset: tooDeep,
        length: 1,
      },
    ];
  const problems = await validateSbomDocument(document);
  if (!problems.length) return [];
  const locator = new Locator(text, document);
  const placed = problems.slice(0, MAX_SBOM_PROBLEMS).map(({ path: pointer, message }): Problem => {
    const path = jsonPathOf(pointer, document);
    // A missing property is reported at the object that lacks it: its key, short, not the whole object.
    const range = path.length ? locator.key(path) : locator.start();
    return {
      severity: 'error',
      code: SBOM_INVALID,
      message: `${kind} SBOM ${pointer || '/'}: ${message}`,
      path,
      ...range,
    };
  });
  const more = problems.length - placed.length;
  if (more)
    placed.push({
      severity: 'error',
      code: SBOM_INVALID,
      message: `${kind} SBOM: ${more} more problems not listed`,
      path: [],
      ...locator.start(),
    });
  return placed;
}

/** A JSON pointer (RFC 6901) as a path: array items by number, as the document has them. */
function jsonPathOf(pointer: string, document: unknown): JsonPath {
  const path: JsonPath = [];
  let value = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(segment);
    value =
      value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return path;
}
