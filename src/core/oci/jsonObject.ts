// A JSON object from bytes someone else wrote (a signature envelope, an SBOM), or undefined for anything else; and
// how deep such bytes nest, before anything that recurses over them (a schema validator, a position tree) runs.
import { visit } from 'jsonc-parser';

/** Whether a parsed JSON value is an object (not null, not an array): the one test for JSON someone else wrote. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(bytes: Uint8Array | string | undefined): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Nesting that nothing Stowage reads needs (manifests nest about 5 levels, SBOMs a few more), and that recursion
 * over the value (schema validators, jsonc-parser's position tree) survives: a deeper document is reported, not
 * walked (a hostile file of 100,000 "[" would exhaust the stack). JSON.parse itself copes with any depth.
 */
export const MAX_JSON_DEPTH = 256;

/** The offset of the first "[" or "{" (outside strings) that opens level `maxDepth + 1`, or undefined. */
export function offsetBeyondDepth(text: string, maxDepth = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/**
 * Whether JSON `text` may have a member named one of `names`, decided by a text search instead of a parse: for
 * editors that ask it of every JSON document on every pause in typing (a package-lock.json of megabytes included).
 * A member name written with a `\u` escape means the same name to a parser, so any such escape answers yes.
 */
export function mayNameMember(text: string, names: readonly string[]): boolean {
  return new RegExp(`"(?:${names.join('|')})"\\s*:`).test(text) || text.includes('\\u');
}

/**
 * The first key written twice in one object of valid JSON `text` (escapes decoded), or undefined. JSON.parse keeps
 * the last, other readers the first or refuse (Go's protojson, which cosign reads in-toto statements with): signed
 * JSON that repeats a key says two things, and whoever reads it must refuse it rather than pick one.
 */
export function firstRepeatedKey(text: string): string | undefined {
  const objects: Set<string>[] = [];
  let repeated: string | undefined;
  visit(text, {
    onObjectBegin: () => void objects.push(new Set()),
    onObjectEnd: () => void objects.pop(),
    onObjectProperty: (name) => {
      const keys = objects[objects.length - 1]!;
      if (keys.has(name)) repeated ??= name;
      keys.add(name);
    },
  });
  return repeated;
}
