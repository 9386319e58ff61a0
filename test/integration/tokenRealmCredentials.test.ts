// Where credentials may go when a registry's challenge names the token realm. A scripted registry on this
// machine's non-loopback address (so Stowage must treat it as remote) answers every request with a Bearer
// challenge naming a real HTTPS token service whose certificate Stowage verifies. When the registry itself is
// plain HTTP or unverified TLS, anyone on the path could have written that challenge: the token service must
// receive no Authorization header and the user gets an error naming the host and the setting. Anonymous token
// requests still go, and with allowCredentialsOverHttp the credentials go again (so the refusals are not an
// artefact of a test set-up that could never deliver them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { InsecureTransportError } from '../../src/core/oci/errors';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import type { RegistryConfig } from '../../src/core/registry/registryConfig';
import { makeServerCertificates, type ServerCertificates } from '../fixtures/certificates';
import { nonLoopbackAddress } from '../fixtures/nonLoopbackAddress';
import { recordFigures } from '../helpers/figures';

const USER = 'stowage';
const PASSWORD = 'realm-secret-password';
const REFRESH_TOKEN = 'realm-secret-refresh-token';

interface Listening {
  host: string;
  /** The Authorization header of every request, in order ('' when none). */
  authorizations: string[];
  /** Every request's Authorization header and body, to grep for secrets. */
  received: string[];
  close(): Promise<void>;
}

async function listen(
  server: http.Server,
  address: string,
  authorizations: string[],
  received: string[] = [],
): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `${address}:${port}`,
    authorizations,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS token service on loopback: records what it was sent, issues a token to anyone. */
async function startTokenService(pki: ServerCertificates, issued: string[]): Promise<Listening> {
  const authorizations: string[] = [];
  const received: string[] = [];
  const server = https.createServer(
    { cert: fs.readFileSync(pki.certFile), key: fs.readFileSync(pki.keyFile) },
    (req, res) => {
      authorizations.push(req.headers.authorization ?? '');
      const body: Buffer[] = [];
      req.on('data', (chunk: Buffer) => body.push(chunk));
      req.on('end', () => {
        received.push(`${req.headers.authorization ?? ''}\n${Buffer.concat(body).toString('utf8')}`);
        const token = `tok-${issued.length}`;
        issued.push(token);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
      });
    },
  );
  return listen(server, '127.0.0.1', authorizations, received);
}

/** A registry that challenges with `realm` until it sees a token the service issued. */
async function startChallengingRegistry(
  tls: ServerCertificates | undefined,
  realm: string,
  issued: string[],
): Promise<Listening> {
  const authorizations: string[] = [];
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    authorizations.push(req.headers.authorization ?? '');
    req.resume();
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (token && issued.includes(token)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(401, {
      'www-authenticate': `Bearer realm="${realm}",service="scripted"`,
      'content-type': 'application/json',
    });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"token needed"}]}');
  };
  // The certificate names 127.0.0.1 only: under the non-loopback address it cannot be verified.
  const server = tls
    ? https.createServer({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) }, handle)
    : http.createServer(handle);
  return listen(server, nonLoopbackAddress(), authorizations);
}

describe('credentials and the token realm a challenge names', function () {
  let dir: string;
  let pki: ServerCertificates;
  let tokenService: Listening;
  const issued: string[] = [];
  const open: { close(): Promise<unknown> }[] = [];
  const tally = { tried: 0, held: 0 };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-realm-'));
    pki = makeServerCertificates(dir);
    tokenService = await startTokenService(pki, issued);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  after(async () => {
    await tokenService?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    recordFigures('hostile', {
      'hostile token realms': {
        tried: tally.tried,
        held: tally.held,
        detail:
          'HTTPS token realms named by plain-HTTP or unverified-TLS registries off this machine, with a password or a refresh token: no Authorization header and no secret reached the token service',
      },
    });
  });

  const realm = () => `https://${tokenService.host}/token`;

  async function registry(kind: 'plain' | 'unverified-tls'): Promise<Listening> {
    const started = await startChallengingRegistry(kind === 'plain' ? undefined : pki, realm(), issued);
    open.push(started);
    return started;
  }

  type Secret = 'password' | 'refresh token' | 'none';
  function client(config: RegistryConfig, secret: Secret = 'password'): RegistryClient {
    const explicit =
      secret === 'password'
        ? { [config.host]: { username: USER, password: PASSWORD } }
        : secret === 'refresh token'
          ? { [config.host]: { identityToken: REFRESH_TOKEN } }
          : {};
    const created = new RegistryClient(
      { ...config, caFile: pki.caFile },
      { retry: { retries: 0 }, credentials: { explicit, ignoreToolConfig: true } },
    );
    open.push(created);
    return created;
  }

  for (const kind of ['plain', 'unverified-tls'] as const) {
    const channel = kind === 'plain' ? { plainHttp: true } : { skipTlsVerify: true };
    const reached = kind === 'plain' ? 'plain HTTP' : 'unverified TLS';

    for (const secret of ['password', 'refresh token'] as const) {
      it(`${reached} registry off this machine: the HTTPS token service gets no ${secret}, and the error names the host and the setting`, async () => {
        const server = await registry(kind);
        const before = tokenService.received.length;
        tally.tried++;
        await assert.rejects(
          client({ host: server.host, ...channel }, secret).ping(),
          (e: unknown) =>
            e instanceof InsecureTransportError &&
            e.registry === server.host &&
            e.message.includes(
              `refusing to send the credentials for ${server.host} to ${tokenService.host} (the token service of ${server.host})`,
            ) &&
            /"allowCredentialsOverHttp": true/.test(e.message) &&
            !e.message.includes(PASSWORD) &&
            !e.message.includes(REFRESH_TOKEN),
        );
        const received = tokenService.received.slice(before);
        const leaked = received.filter((r) => /^\S/.test(r) || r.includes(PASSWORD) || r.includes(REFRESH_TOKEN));
        assert.deepEqual(leaked, [], 'no Authorization header and no secret reached the token service');
        assert.ok(server.authorizations.length > 0, 'the registry was asked and challenged');
        if (!leaked.length) tally.held++;
      });
    }

    it(`${reached} registry off this machine: an anonymous token request still goes`, async () => {
      const server = await registry(kind);
      const before = tokenService.authorizations.length;
      await client({ host: server.host, ...channel }, 'none').ping();
      assert.deepEqual(tokenService.authorizations.slice(before), ['']);
    });

    it(`${reached} registry off this machine with allowCredentialsOverHttp: the password and the refresh token go`, async () => {
      const server = await registry(kind);
      const before = tokenService.authorizations.length;
      await client({ host: server.host, ...channel, allowCredentialsOverHttp: true }).ping();
      assert.deepEqual(tokenService.authorizations.slice(before), [
        `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      ]);
      await client({ host: server.host, ...channel, allowCredentialsOverHttp: true }, 'refresh token').ping();
      assert.match(tokenService.received.at(-1) ?? '', new RegExp(`refresh_token=${REFRESH_TOKEN}`));
    });
  }
});
