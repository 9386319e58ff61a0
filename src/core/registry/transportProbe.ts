// Whether a registry on this machine speaks TLS or plain HTTP, learnt from one TLS hello: the CLI's default for a
// loopback registry nobody configured (development registries there are usually plain HTTP, as ORAS assumes for
// localhost, but some are TLS and must stay so).
import * as tls from 'node:tls';
import { PLAIN_HTTP_ANSWER } from './registryErrors';
import { apiHost } from './registryConfig';

/**
 * True when `host` answers a TLS hello in plain HTTP or refuses the connection (nothing listens: plain HTTP is
 * what such a local registry would speak); false when a TLS handshake starts, whatever its certificate, or the
 * probe takes longer than `timeoutMs` (TLS stays the default then, and its own error tells what is wrong).
 */
export function answersInPlainHttp(host: string, timeoutMs = 3000): Promise<boolean> {
  const url = new URL(`https://${apiHost(host)}`);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port || 443),
      rejectUnauthorized: false, // only the protocol is learnt here; the real connection verifies
      servername: undefined,
    });
    const done = (plain: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(plain);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(false));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' || PLAIN_HTTP_ANSWER.test(`${err.code ?? ''} ${err.message}`)),
    );
  });
}
