// Whether a secret (a Basic password, or a password or refresh token sent to a token service) may travel to a
// URL. Over HTTPS always; over plain HTTP only to this machine (loopback), or when the registry's config says
// so explicitly: anyone on the path can read a plain-HTTP request, and Basic credentials do not expire.
import { BlockList, isIP } from 'node:net';
import { InsecureTransportError } from '../errors';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * True for 127.0.0.0/8, ::1 (also IPv4-mapped) and "localhost", with or without a port. Decided on the name as
 * written, never on what DNS answers for it (which another party may control).
 */
export function isLoopbackHost(host: string): boolean {
  let hostname: string;
  try {
    // The URL parser normalises the spellings of an address ("127.1", "0x7f.1", "[::ffff:127.0.0.1]").
    hostname = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname === 'localhost') return true;
  const address = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export function mayCarryCredentials(url: URL, allowCredentialsOverHttp: boolean): boolean {
  if (url.protocol === 'https:') return true;
  return allowCredentialsOverHttp || isLoopbackHost(url.host);
}

/**
 * Throws unless credentials of `registry` may go to `url`. `to` says where they would go ("the registry", "its
 * token service"), so the message names both hosts when they differ.
 */
export function assertMayCarryCredentials(registry: string, url: URL, allowCredentialsOverHttp: boolean, to: string): void {
  if (mayCarryCredentials(url, allowCredentialsOverHttp)) return;
  const where = url.host === registry ? registry : `${url.host} (${to} of ${registry})`;
  throw new InsecureTransportError(registry,
    `refusing to send the credentials for ${registry} over plain HTTP to ${where}: it is not a loopback address, so anyone on the network could read them. ` +
    `Use HTTPS, or allow it for this registry with "allowCredentialsOverHttp": true (VS Code setting stowage.registries, or the CLI's --registry-config file)`);
}
