// Digest grammar per algorithm: the registered ones (sha256, sha512) have fixed-length lowercase hex.
import { digestProblem } from '../../oci';
import { replaceValueFix } from '../fixes';
import { formatPath } from '../paths';
import type { JsonPath } from '../problem';
import type { RuleContext } from './context';

const GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const ENCODED_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/** Checks the string at `path` as a digest; returns true when it is a usable (registered, well-formed) digest. */
export function checkDigest(context: RuleContext, parent: JsonPath, field: string | number, value: unknown): boolean {
  if (typeof value !== 'string') return false; // the schema reports the type
  const problem = digestProblem(value);
  if (!problem) return true;
  const path = [...parent, field];
  const where = formatPath(path);
  if (!GRAMMAR.test(value)) {
    context.report('error', 'digest-format', `${where} "${value}" is not a digest: ${problem}.`, path);
    return false;
  }
  const colon = value.indexOf(':');
  const algorithm = value.slice(0, colon);
  const encoded = value.slice(colon + 1);
  const length = ENCODED_LENGTH[algorithm];
  if (length === undefined) {
    context.report(
      'warning',
      'digest-algorithm',
      `${where} uses ${problem}; other tools are unlikely to verify it.`,
      path,
    );
  } else if (!/^[a-fA-F0-9]+$/.test(encoded)) {
    context.report('error', 'digest-format', `${where}: ${algorithm} digests are hex, "${encoded}" is not.`, path);
  } else if (encoded.length !== length) {
    context.report(
      'error',
      'digest-length',
      `${where}: ${algorithm} digests have ${length} hex characters, not ${encoded.length}.`,
      path,
    );
  } else {
    context.report(
      'error',
      'digest-case',
      `${where} must use lowercase hex.`,
      path,
      undefined,
      replaceValueFix('Lowercase the digest', context.locator, path, `${algorithm}:${encoded.toLowerCase()}`),
    );
  }
  return false;
}
