// Extra request headers the user asks for (ORAS's `-H "Name: value"`), e.g. a tenant or API key an API gateway in
// front of the registry wants. They go to the registry's own origin only (never to a token service or blob store
// on another host, which a redirect or challenge names), and are held to the rule for credentials: a value may be
// a secret, so not over plain HTTP or unverified TLS to another machine without the registry's opt-in. Headers the
// engine sets itself cannot be replaced: authentication goes through -u/-p or docker's files.
import { OciError, printable } from '../oci';

/** Lower-case names Stowage writes or the HTTP connection depends on. */
const RESERVED = new Set([
  'accept',
  'authorization',
  'connection',
  'content-length',
  'content-range',
  'content-type',
  'expect',
  'host',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'range',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
]);

/** RFC 9110 token. */
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible characters, spaces and tabs: no line break that would start a header of its own. */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** "Name: value" strings as one map of lower-case names (a name given twice: its values joined with ", "). */
export function parseCustomHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (colon < 0 || !NAME.test(name))
      throw new OciError('USAGE', `header "${printable(line)}" is not "Name: value" with a valid header name`);
    if (!VALUE.test(value))
      throw new OciError('USAGE', `the value of header ${name} holds a line break or another control character`);
    const key = name.toLowerCase();
    if (RESERVED.has(key))
      throw new OciError(
        'USAGE',
        `header ${name} is set by Stowage itself${key.includes('authorization') ? ': give credentials with -u/-p, --password-stdin or docker login' : ''}`,
      );
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return headers;
}
