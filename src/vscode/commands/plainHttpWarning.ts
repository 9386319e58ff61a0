// The words of the "Use Plain HTTP…" confirmation: exactly what crosses the network unprotected and what does
// not, following the engine's rule for credentials (src/core/registry/plainHttpCredentials.ts).

export interface PlainHttpWarning {
  message: string;
  detail: string;
}

/** The warning for talking plain HTTP to `host`, a host that is not on this machine. */
export function plainHttpWarning(host: string, allowCredentialsOverHttp: boolean): PlainHttpWarning {
  const exposed =
    `Stowage will talk to ${host} without TLS: what you pull and push, and the short-lived access tokens it is given, ` +
    'cross the network unencrypted, and anyone on the path can read or change them.';
  const secrets = allowCredentialsOverHttp
    ? `Because "allowCredentialsOverHttp" is set for ${host}, your password or token IS sent to it over plain HTTP, where anyone on the path can read it.`
    : `Your password and tokens are not sent to it, nor to any token service it names, unless it is on this machine or you set "allowCredentialsOverHttp" for it: ` +
      'until then Stowage only makes anonymous requests to it.';
  return { message: `Talk plain HTTP to ${host}?`, detail: `${exposed} ${secrets}` };
}
