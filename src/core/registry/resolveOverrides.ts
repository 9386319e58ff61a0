// ORAS's and curl's `--resolve host:port:address[:address_port]`: connect to this address instead of what DNS says
// for host:port (split-horizon DNS, a registry moved before DNS follows, a test host). Only the connection moves:
// the URL, the Host header, TLS verification (against the name) and where credentials may go (decided on the name
// as written) stay those of host:port. Not applied through a proxy, which resolves names itself.
import { isIP } from 'node:net';
import { OciError, printable } from '../oci';

export interface ResolveOverride {
  /** Host name as in the URL, lower-case; an IPv6 literal without brackets. */
  host: string;
  port: number;
  /** Where to connect instead: an IP address (IPv6 without brackets) and port. */
  address: string;
  addressPort: number;
}

const ENTRY = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5}):(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

function port(text: string, line: string): number {
  const value = Number(text);
  if (value < 1 || value > 65535)
    throw new OciError('USAGE', `--resolve ${printable(line)}: port ${value} is out of range`);
  return value;
}

/** `host:port:address[:address_port]` (IPv6 in brackets), as curl and ORAS write them. */
export function parseResolveOverride(line: string): ResolveOverride {
  const match = ENTRY.exec(line);
  if (!match) throw new OciError('USAGE', `--resolve ${printable(line)} is not host:port:address[:address_port]`);
  const unbracket = (text: string) => text.replace(/^\[(.*)\]$/, '$1');
  const address = unbracket(match[3]!);
  if (!isIP(address))
    throw new OciError('USAGE', `--resolve ${printable(line)}: "${printable(address)}" is not an IP address`);
  const hostPort = port(match[2]!, line);
  return {
    host: unbracket(match[1]!).toLowerCase(),
    port: hostPort,
    address,
    addressPort: match[4] === undefined ? hostPort : port(match[4], line),
  };
}

/** Where to connect for `hostname:port`: the override's address and port, or undefined to ask DNS. */
export function overrideFor(
  overrides: readonly ResolveOverride[] | undefined,
  hostname: string,
  port: number,
): ResolveOverride | undefined {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return overrides?.find((o) => o.host === host && o.port === port);
}
