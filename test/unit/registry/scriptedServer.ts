// A loopback HTTP server that answers each request with a scripted handler, for faults a real registry cannot
// be made to produce (429 with Retry-After, resets, redirects, bad digests). It records every request.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: Hit, index: number) => void;

export interface ScriptedServer {
  host: string;
  origin: string;
  hits: Hit[];
  close(): Promise<void>;
}

export async function startScriptedServer(
  handle: Handler,
  hostname: '127.0.0.1' | 'localhost' = '127.0.0.1',
): Promise<ScriptedServer> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const hit = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    hits.push(hit);
    req.resume();
    req.on('end', () => handle(req, res, hit, hits.length - 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `${hostname}:${port}`,
    origin: `http://${hostname}:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function reply(res: http.ServerResponse, status: number, headers: Record<string, string> = {}, body = ''): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/**
 * For a test file's top level: `scripted` starts a server and `clients` takes what the tests open, both closed after
 * each test.
 */
export function closedAfterEachTest(): {
  scripted: (...args: Parameters<typeof startScriptedServer>) => Promise<ScriptedServer>;
  clients: { close(): Promise<void> }[];
} {
  const servers: ScriptedServer[] = [];
  const clients: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    clients,
    scripted: async (...args) => {
      const server = await startScriptedServer(...args);
      servers.push(server);
      return server;
    },
  };
}
