// Last line of defence for text that leaves the engine (errors, logs): anything shaped like a credential is
// replaced. Secrets should never reach messages in the first place; this catches what slips through.
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [
    /([?&](?:access_token|refresh_token|token|password|secret|sig|signature|X-Amz-Signature|X-Amz-Credential)=)[^&\s#]+/gi,
    '$1[redacted]',
  ],
  [/("(?:password|token|access_token|refresh_token|identitytoken|auth|secret)"\s*:\s*")[^"]*"/gi, '$1[redacted]"'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
