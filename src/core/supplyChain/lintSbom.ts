// An SBOM file as the linter reports it: SPDX 2.3 or CycloneDX checked against its own schema (the check Attach
// SBOM… and `sbom --sbom` make before attaching), each problem at the value its JSON pointer names. `stowage lint`
// and the editor's live linter both report SBOMs through here.
import { type JsonPath, Locator, type Problem } from '../lint';
import { detectSbomType, validateSbom } from '../sbom';

export const SBOM_INVALID = 'sbom-invalid';

/** Undefined when `text` is no SBOM (no SPDX or CycloneDX JSON); else its schema problems, none when valid. */
export async function lintSbom(text: string): Promise<Problem[] | undefined> {
  const type = detectSbomType(text);
  if (!type) return undefined;
  const problems = await validateSbom(text);
  if (!problems.length) return [];
  const kind = type === 'spdx' ? 'SPDX' : 'CycloneDX';
  const document: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const locator = new Locator(text, document);
  return problems.map(({ path: pointer, message }) => {
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
