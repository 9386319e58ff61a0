// What a registry's TLS trusts besides Node's roots, and which proxy the environment names.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { createDispatchers, proxyFromEnvironment } from '../../../src/core/registry/dispatchers';
import { registryTls, systemCertificates } from '../../../src/core/registry/trustStore';
import { MAX_TRUST_FILE_BYTES } from '../../../src/core/registry/trustFile';
import { reply, startScriptedServer } from './scriptedServer';
import { makeServerCertificates } from '../../fixtures/certificates';

const PRIVATE_CA = `-----BEGIN CERTIFICATE-----
MIIBhTCCASugAwIBAgIUb3JpdmF0ZS1jYS1mb3ItdGVzdHMwCgYIKoZIzj0EAwIw
-----END CERTIFICATE-----`;

describe('registry TLS trust', () => {
  let dir: string;
  /** Real PEM text (a configured certificate or key is parsed): the CA's pair and the server's. */
  const pem = { caCert: '', caKey: '', cert: '', key: '' };
  let pkiDir: string;
  before(() => {
    pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-trust-pki-'));
    const pki = makeServerCertificates(pkiDir);
    pem.caCert = fs.readFileSync(pki.caFile, 'utf8');
    pem.caKey = fs.readFileSync(path.join(pkiDir, 'ca.key'), 'utf8');
    pem.cert = fs.readFileSync(pki.certFile, 'utf8');
    pem.key = fs.readFileSync(pki.keyFile, 'utf8');
  });
  after(() => fs.rmSync(pkiDir, { recursive: true, force: true }));
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-trust-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adds the system bundle, minus what Node already trusts, to Node’s roots', () => {
    const bundle = path.join(dir, 'bundle.crt');
    fs.writeFileSync(bundle, `${tls.rootCertificates[0]}\n${PRIVATE_CA}\n`);
    const found = systemCertificates({ SSL_CERT_FILE: bundle });
    assert.deepEqual(found, [PRIVATE_CA]);
    const trust = registryTls('registry.example:5000', undefined, {
      env: { SSL_CERT_FILE: bundle },
      dockerCertsDirs: [],
    });
    assert.equal(trust.ca?.length, tls.rootCertificates.length + 1);
  });

  it('reads docker’s certs.d/<host>/: every *.crt as a CA, client.cert with client.key for mutual TLS', () => {
    const folder = path.join(dir, 'certs.d', 'registry.example:5000');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'ca.crt'), PRIVATE_CA);
    fs.writeFileSync(path.join(folder, 'client.cert'), pem.cert);
    fs.writeFileSync(path.join(folder, 'client.key'), pem.key);
    const env = { SSL_CERT_FILE: path.join(dir, 'none') };
    const trust = registryTls('registry.example:5000', undefined, {
      env,
      dockerCertsDirs: [path.join(dir, 'missing'), path.join(dir, 'certs.d')],
    });
    assert.ok(trust.ca?.includes(PRIVATE_CA));
    assert.equal(trust.cert, pem.cert);
    assert.equal(trust.key, pem.key);
    // Another host's folder is not used.
    assert.equal(
      registryTls('other.example', undefined, { env, dockerCertsDirs: [path.join(dir, 'certs.d')] }).ca,
      undefined,
    );
  });

  it('a configured client certificate (--cert-file/--key-file) wins over certs.d’s; an unreadable one is named', () => {
    const folder = path.join(dir, 'certs.d', 'registry.example');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'client.cert'), pem.caCert);
    fs.writeFileSync(path.join(folder, 'client.key'), pem.caKey);
    fs.writeFileSync(path.join(dir, 'mine.pem'), pem.cert);
    fs.writeFileSync(path.join(dir, 'mine.key'), pem.key);
    const options = { env: {}, dockerCertsDirs: [path.join(dir, 'certs.d')] };
    const client = { certFile: path.join(dir, 'mine.pem'), keyFile: path.join(dir, 'mine.key') };
    const trust = registryTls('registry.example', undefined, options, client);
    assert.equal(trust.cert, pem.cert);
    assert.equal(trust.key, pem.key);
    assert.throws(
      () => registryTls('registry.example', undefined, options, { ...client, keyFile: path.join(dir, 'absent.key') }),
      /the client key for registry\.example \(.*absent\.key\): no such file$/,
    );
  });

  it('reads a client key or CA file up to a bound: a wrong file is named, not read whole', () => {
    const big = path.join(dir, 'big.key');
    fs.writeFileSync(big, Buffer.alloc(MAX_TRUST_FILE_BYTES + 10, 'A'));
    const client = { certFile: path.join(dir, 'mine.pem'), keyFile: big };
    fs.writeFileSync(client.certFile, pem.cert);
    assert.throws(
      () => registryTls('registry.example', undefined, { env: {}, dockerCertsDirs: [] }, client),
      /the client key for registry\.example \(.*big\.key\): larger than 8 MiB: is it the right file\?$/,
    );
  });

  it('names a configured CA file that cannot be read', () => {
    assert.throws(
      () => registryTls('registry.example', path.join(dir, 'absent.pem'), { env: {}, dockerCertsDirs: [] }),
      /the CA file configured for registry\.example \(.*absent\.pem\): no such file$/,
    );
  });

  it('refuses a configured CA file that holds no PEM certificate, instead of trusting nothing from it', () => {
    const cases = [
      ['notes.txt', 'hello\n', 'no PEM block, not a CA certificate ("-----BEGIN CERTIFICATE-----")'],
      [
        'ca.der',
        Buffer.from([0x30, 0x82, 0x01, 0x85, 0x30, 0x82, 0x01, 0x2b, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14, 0x6f]),
        'binary content, no PEM block, not a CA certificate ("-----BEGIN CERTIFICATE-----"); if it is DER, convert it with "openssl x509 -inform der" (or "openssl pkey -inform der")',
      ],
      [
        'key.pem',
        '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n',
        'a PEM private key, not a CA certificate ("-----BEGIN CERTIFICATE-----")',
      ],
    ] as const;
    for (const [name, content, holds] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      assert.throws(
        () => registryTls('registry.example', file, { env: {}, dockerCertsDirs: [] }),
        (err: Error) => {
          assert.equal(err.message, `the CA file configured for registry.example (${file}): holds ${holds}`);
          return true;
        },
      );
    }
    const good = path.join(dir, 'ca.pem');
    fs.writeFileSync(good, `# our CA\n${pem.caCert}\n`);
    assert.ok(
      registryTls('registry.example', good, { env: {}, dockerCertsDirs: [] }).ca?.some((c) => c.includes(pem.caCert)),
    );
    // A certificate block that does not parse would fail every handshake unexplained.
    fs.writeFileSync(good, PRIVATE_CA);
    assert.throws(
      () => registryTls('registry.example', good, { env: {}, dockerCertsDirs: [] }),
      /\(.*ca\.pem\): holds a certificate block that does not parse$/,
    );
  });

  it('judges a file of begin markers with no end in time: 4 MiB took minutes (each marker scanned to the end)', () => {
    const options = { env: {}, dockerCertsDirs: [] };
    const markers = (line: string) => line.repeat(Math.floor((4 * 1024 * 1024) / line.length));
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, markers('-----BEGIN CERTIFICATE-----\n'));
    assert.throws(
      () => registryTls('registry.example', ca, options),
      /\(.*ca\.pem\): holds a PEM certificate, not a CA/,
    );
    const client = { certFile: path.join(dir, 'client.pem'), keyFile: path.join(dir, 'client.key') };
    fs.writeFileSync(client.certFile, pem.cert);
    fs.writeFileSync(client.keyFile, markers('-----BEGIN RSA PRIVATE KEY-----\n'));
    assert.throws(
      () => registryTls('registry.example', undefined, options, client),
      /\(.*client\.key\): holds a PEM rsa private key, not a private key/,
    );
    // A legacy encrypted key is still told apart by its header line.
    fs.writeFileSync(
      client.keyFile,
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n',
    );
    assert.throws(() => registryTls('registry.example', undefined, options, client), /holds an encrypted private key/);
  });

  it('names a client certificate or key of certs.d (or configured) that holds the wrong kind of PEM, not its content', () => {
    const folder = path.join(dir, 'certs.d', 'registry.example');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'client.cert'), pem.cert);
    fs.writeFileSync(path.join(folder, 'client.key'), pem.cert);
    assert.throws(
      () => registryTls('registry.example', undefined, { env: {}, dockerCertsDirs: [path.join(dir, 'certs.d')] }),
      (err: Error) => {
        assert.equal(
          err.message,
          `the client key for registry.example (${path.join(folder, 'client.key')}): holds a PEM certificate, not a private key ("-----BEGIN PRIVATE KEY-----")`,
        );
        return true;
      },
    );
  });
});

describe('proxy from the environment', () => {
  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, lower case first as curl does', () => {
    assert.deepEqual(
      proxyFromEnvironment({
        https_proxy: 'http://a:3128',
        HTTPS_PROXY: 'http://b:3128',
        HTTP_PROXY: 'http://c:3128',
        NO_PROXY: 'internal.example',
      }),
      {
        httpsProxy: 'http://a:3128',
        httpProxy: 'http://c:3128',
        noProxy: 'internal.example',
        setIn: 'environment',
      },
    );
    assert.deepEqual(proxyFromEnvironment({}), {
      httpProxy: undefined,
      httpsProxy: undefined,
      noProxy: undefined,
      setIn: 'environment',
    });
  });
});

describe('registry TLS trust, read when first needed', () => {
  it('reads no trust for plain HTTP, and reads it (failing on a missing CA file) on the first TLS connection', async () => {
    const server = await startScriptedServer((_req, res) => reply(res, 200, {}, 'ok'));
    // A CA file that cannot be read: creating the pools and talking plain HTTP must not touch it.
    const caFile = path.join(os.tmpdir(), `stowage-absent-${process.pid}.pem`);
    const { registry, other } = createDispatchers(
      { host: server.host, plainHttp: true, caFile },
      { env: {}, dockerCertsDirs: [], proxy: {} },
    );
    try {
      const res = await registry.request({ origin: server.origin, path: '/v2/', method: 'GET' });
      assert.equal(res.statusCode, 200);
      assert.equal(await res.body.text(), 'ok');
      for (const pool of [registry, other])
        await assert.rejects(
          pool.request({ origin: `https://${server.host}`, path: '/v2/', method: 'GET' }),
          /the CA file configured for 127\.0\.0\.1:\d+ \(.*\): no such file/,
        );
      assert.equal(server.hits.length, 1, 'no TLS connection should have been tried without its trust');
    } finally {
      await Promise.all([registry.close(), other.close(), server.close()]);
    }
  });
});
