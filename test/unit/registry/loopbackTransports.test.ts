// What a registry on this machine speaks is asked once per host (one TLS hello) and remembered, for the CLI and the
// editor alike: a plain-HTTP server answers the hello in plain text, a TLS one starts a handshake.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoopbackTransports } from '../../../src/core/registry';

describe('LoopbackTransports', () => {
  let server: http.Server;
  let host: string;
  let connections = 0;

  before(async () => {
    server = http.createServer((_req, res) => res.writeHead(400).end('Client sent an HTTP request to an HTTPS server'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks a loopback host once, however many ask at the same time, and remembers plain HTTP', async () => {
    const transports = new LoopbackTransports();
    assert.equal(transports.plainHttp(host), undefined, 'unknown before it was asked');
    connections = 0;
    await Promise.all([transports.learn(host), transports.learn(host), transports.learn(host)]);
    await transports.learn(host);
    assert.equal(transports.plainHttp(host), true);
    assert.equal(connections, 1, 'one TLS hello');

    transports.forget(host);
    assert.equal(transports.plainHttp(host), undefined);
    await transports.learn(host);
    assert.equal(connections, 2, 'asked again after forget');
  });

  it('asks nothing of a host that is not on this machine', async () => {
    const transports = new LoopbackTransports();
    await transports.learn('registry.example.com');
    assert.equal(transports.plainHttp('registry.example.com'), undefined);
  });
});
