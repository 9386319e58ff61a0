// Whether a registry on this machine speaks TLS or plain HTTP, learnt from one TLS hello: the default, in the CLI
// and the editor alike, for a loopback registry nobody configured (development registries there are usually plain
// HTTP, as ORAS assumes for localhost, but some are TLS and must stay so).
import type * as Tls from 'node:tls';
import { PLAIN_HTTP_ANSWER } from './registryErrors';
import { apiHost, isLoopbackHost } from './registryConfig';

/**
 * True when `host` answers a TLS hello in plain HTTP or refuses the connection (nothing listens: plain HTTP is
 * what such a local registry would speak); false when a TLS handshake starts, whatever its certificate, or the
 * probe takes longer than `timeoutMs` (TLS stays the default then, and its own error tells what is wrong).
 */
export function answersInPlainHttp(host: string, timeoutMs = 3000): Promise<boolean> {
  const url = new URL(`https://${apiHost(host)}`);
  // Loaded here: node:tls costs every CLI start ~2 ms, and a registry given --plain-http is never probed.
  const tls = require('node:tls') as typeof Tls;
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

/** What each loopback registry nobody configured speaks: asked once per host (one TLS hello), then remembered. */
export class LoopbackTransports {
  private readonly asking = new Map<string, Promise<void>>();
  private readonly learnt = new Map<string, boolean>();

  /** Asks `host` unless it was asked already (a second caller waits for the same answer); not a loopback host: nothing. */
  learn(host: string): Promise<void> {
    if (!isLoopbackHost(host)) return Promise.resolve();
    let asking = this.asking.get(host);
    if (!asking) {
      asking = answersInPlainHttp(host).then((plain) => void this.learnt.set(host, plain));
      this.asking.set(host, asking);
    }
    return asking;
  }

  /** True or false once `host` answered; undefined before, or for a host that is not on this machine. */
  plainHttp(host: string): boolean | undefined {
    return this.learnt.get(host);
  }

  /** Asks `host` again next time (another registry may listen on that port now). */
  forget(host: string): void {
    this.asking.delete(host);
    this.learnt.delete(host);
  }
}
