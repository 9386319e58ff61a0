// Who may sign keylessly: rules like cosign's --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp].
// A rule needs both an identity and an issuer (each exact or a regular expression); a signature passes when its
// certificate matches any rule. Expressions are unanchored, as cosign's are: write ^…$ to match the whole value.
import { OciError } from '../oci';

export interface SigstoreIdentityRule {
  identity?: string;
  identityRegExp?: string;
  issuer?: string;
  issuerRegExp?: string;
}

export interface SigstoreIdentity {
  identity: string | RegExp;
  issuer: string | RegExp;
  /** The rule as the user wrote it, for messages. */
  text: string;
}

/** What the certificate says about its subject (after its chain verified). */
export interface SigstoreSigner {
  /** Subject alternative name (URI or e-mail). */
  identity?: string;
  /** The OIDC issuer extension Fulcio writes. */
  issuer?: string;
}

function compile(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    throw new OciError('USAGE', `${where}: ${JSON.stringify(pattern)} is not a valid regular expression`, {
      cause: err,
    });
  }
}

function pick(exact: unknown, regExp: unknown, what: string, where: string): string | RegExp {
  const hasExact = typeof exact === 'string' && exact !== '';
  const hasRegExp = typeof regExp === 'string' && regExp !== '';
  if (hasExact === hasRegExp)
    throw new OciError('USAGE', `${where}: give exactly one of ${what} and ${what}RegExp (a non-empty string)`);
  return hasExact ? (exact as string) : compile(regExp as string, where);
}

/** Checks and compiles one rule; `where` names the setting or flags it came from, for the error. */
export function parseSigstoreIdentity(rule: unknown, where: string): SigstoreIdentity {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule))
    throw new OciError(
      'USAGE',
      `${where}: an identity rule is an object {identity|identityRegExp, issuer|issuerRegExp}`,
    );
  const { identity, identityRegExp, issuer, issuerRegExp } = rule as Record<string, unknown>;
  const compiled = {
    identity: pick(identity, identityRegExp, 'identity', where),
    issuer: pick(issuer, issuerRegExp, 'issuer', where),
  };
  return { ...compiled, text: `${describe(compiled.identity)} from ${describe(compiled.issuer)}` };
}

function describe(value: string | RegExp): string {
  return typeof value === 'string' ? value : `/${value.source}/`;
}

function matches(rule: string | RegExp, value: string | undefined): boolean {
  if (value === undefined) return false;
  return typeof rule === 'string' ? rule === value : rule.test(value);
}

/** Undefined when the signer matches a rule; otherwise the reason, naming what the certificate says. */
export function identityProblem(signer: SigstoreSigner, rules: readonly SigstoreIdentity[]): string | undefined {
  if (rules.some((rule) => matches(rule.identity, signer.identity) && matches(rule.issuer, signer.issuer)))
    return undefined;
  const which =
    rules.length === 1 ? `the identity rule ${rules[0]!.text}` : `any of the ${rules.length} identity rules`;
  return `the certificate's ${describeKeylessSigner(signer, MAX_NAME_CHARS_IN_REASON)} does not match ${which}`;
}

/** Each of the certificate's names at most this long in a failure reason (the rule and the verdict come after). */
const MAX_NAME_CHARS_IN_REASON = 200;

/**
 * `OIDC issuer "…", identity "…"`: the issuer first, so a line cut for the screen keeps it, and each name quoted
 * as a JSON string, so neither can close its quotes. Both are the certificate's text: an identity written
 * `me@example.com (OIDC issuer https://accounts.google.com)` read as that issuer when the real one came after it.
 * `maxChars` cuts each name (ending in "…" inside its quotes).
 */
export function describeKeylessSigner(signer: SigstoreSigner, maxChars = Infinity): string {
  const quoted = (name: string | undefined) =>
    name === undefined ? '(none)' : JSON.stringify(name.length > maxChars ? `${name.slice(0, maxChars)}…` : name);
  return `OIDC issuer ${quoted(signer.issuer)}, identity ${quoted(signer.identity)}`;
}
