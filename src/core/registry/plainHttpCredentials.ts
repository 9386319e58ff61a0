// Where a secret (a Basic password, or a password, refresh or identity token sent to a token service) may go.
// Two questions, both about who could read or steer it:
// 1. Is the registry's own channel trustworthy? Only verified TLS, a loopback address (traffic never leaves
//    the machine) or the registry's explicit "allowCredentialsOverHttp" opt-in make it so. Over plain HTTP or
//    unverified TLS anyone on the path can write the registry's answers, including the 401 challenge that names
//    the token realm (or asks for Basic): trusting that challenge would hand the password to whoever wrote it.
// 2. Is the destination's own channel trustworthy? HTTPS always (other origins are always verified, see
//    dispatchers.ts); plain HTTP only to a loopback address, or to the registry's own host name when the
//    registry allows credentials over HTTP. A plain-HTTP token service on ANOTHER host never gets them: the
//    opt-in vouches for the network path to the registry, not for a host its challenge names.
// Anonymous token requests carry nothing secret and are not judged here.
//
// Peers, for comparison: docker (moby's registry client over distribution's token handler) hands the stored
// user name and password to whatever realm the challenge names — its credential store ignores the realm URL —
// and treats "insecure-registries" (plain HTTP or unverified TLS) like any other. ORAS (oras-go
// registry/remote/auth) looks credentials up by registry host and sends them to the challenge's realm as given,
// with no check of its scheme or host, with --plain-http or --insecure alike. Stowage is stricter on purpose.
import { BlockList, isIP } from 'node:net';
import { InsecureTransportError } from '../oci';

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

/** How the registry is reached: what decides whether its challenges can be believed. */
export interface RegistryChannel {
  /** "https://host" or "http://host": where the registry's API lives. */
  origin: URL;
  /** The registry's TLS certificate is not verified. */
  skipTlsVerify?: boolean;
  /** The registry's explicit opt-in: credentials may cross an unprotected path to it. */
  allowCredentialsOverHttp?: boolean;
}

/** Why a secret may not go where it was asked to. */
export type CredentialRefusal =
  /** The registry is reached over plain HTTP, not on loopback, and did not opt in. */
  | 'registry-plain-http'
  /** The registry's TLS is not verified, it is not on loopback, and it did not opt in. */
  | 'registry-unverified-tls'
  /** The destination is plain HTTP to the registry's own host (not loopback) without the opt-in. */
  | 'destination-plain-http'
  /** The destination is plain HTTP to another host than the registry (not loopback): never. */
  | 'other-host-plain-http';

/** Undefined when the secret may go to `destination`, else the reason it may not. */
export function credentialRefusal(channel: RegistryChannel, destination: URL): CredentialRefusal | undefined {
  const allowed = !!channel.allowCredentialsOverHttp;
  if (!allowed && !isLoopbackHost(channel.origin.host)) {
    if (channel.origin.protocol !== 'https:') return 'registry-plain-http';
    if (channel.skipTlsVerify) return 'registry-unverified-tls';
  }
  if (destination.protocol === 'https:' || isLoopbackHost(destination.host)) return undefined;
  if (destination.hostname.toLowerCase() !== channel.origin.hostname.toLowerCase()) return 'other-host-plain-http';
  return allowed ? undefined : 'destination-plain-http';
}

const ALLOW_IT =
  '"allowCredentialsOverHttp": true (VS Code setting stowage.registries, or the CLI\'s --hosts-config file)';

/**
 * Throws unless credentials of `registry` may go to `destination`. `to` says what the destination is ("the
 * registry", "the token service"), so the message names both hosts when they differ.
 */
export function assertMayCarryCredentials(
  registry: string,
  channel: RegistryChannel,
  destination: URL,
  to: string,
  /** What is refused, in the message (custom headers are held to the same rule as credentials). */
  secret = 'the credentials',
): void {
  const refusal = credentialRefusal(channel, destination);
  if (!refusal) return;
  const where = destination.host === channel.origin.host ? registry : `${destination.host} (${to} of ${registry})`;
  throw new InsecureTransportError(registry, refusalMessage(refusal, registry, where, destination, secret));
}

function refusalMessage(
  refusal: CredentialRefusal,
  registry: string,
  where: string,
  destination: URL,
  secret: string,
): string {
  const over = destination.protocol === 'https:' ? '' : ' over plain HTTP';
  switch (refusal) {
    case 'registry-plain-http':
      return where === registry
        ? `refusing to send ${secret} for ${registry} over plain HTTP to ${where}: it is not a loopback address, so anyone on the network could read them. ` +
            `Use HTTPS, or allow it for this registry with ${ALLOW_IT}`
        : `refusing to send ${secret} for ${registry}${over} to ${where}: ${registry} is reached over plain HTTP and is not a loopback address, ` +
            `so anyone on the network could have written the challenge that names this token service. Use HTTPS for ${registry}, or allow it with ${ALLOW_IT}`;
    case 'registry-unverified-tls':
      return (
        `refusing to send ${secret} for ${registry} to ${where}: the TLS certificate of ${registry} is not verified (skipTlsVerify / --insecure) ` +
        `and it is not a loopback address, so anyone on the network could pose as it${where === registry ? '' : ' and name this token service'}. ` +
        `Trust its certificate with "caFile" (--ca-file) instead, or allow it with ${ALLOW_IT}`
      );
    case 'destination-plain-http':
      return (
        `refusing to send ${secret} for ${registry} over plain HTTP to ${where}: it is not a loopback address, so anyone on the network could read them. ` +
        `Use HTTPS, or allow it for this registry with ${ALLOW_IT}`
      );
    case 'other-host-plain-http':
      return (
        `refusing to send ${secret} for ${registry} over plain HTTP to ${where}: a token service on another host than ${registry} gets credentials ` +
        `only over HTTPS or on this machine ("allowCredentialsOverHttp" covers the registry's own host only). Ask the registry's operator for an HTTPS token service`
      );
  }
}
