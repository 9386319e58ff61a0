// A CA, client certificate or key that is not a regular file (a named pipe, a terminal, /dev/zero) in certs.d or as
// the editor's CA setting: the engine reads these synchronously when a client is built, and a read of a pipe with no
// writer or of a terminal blocked the thread for ever (the editor's extension host). Each case runs in a child
// process under a deadline, so a regression is a failed test, not a hung suite.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeServerCertificates } from '../../fixtures/certificates';

const REGISTRY = path.resolve(__dirname, '../../../src/core/registry');
const DEADLINE_MS = 5000;

/**
 * Runs `body` (an async function of `engine` and `args`) in a child process: the error message it ends with, or
 * 'no error', or 'hung' when it has not ended within the deadline.
 */
function inChild(body: string, args: unknown): Promise<string> {
  const script = `const engine = { ...require(${JSON.stringify(REGISTRY)}), ...require(${JSON.stringify(`${REGISTRY}/trustStore`)}) };
    const args = JSON.parse(process.argv[1]);
    (${body})(engine, args).then(() => console.log('no error'), (err) => console.log(err.message));`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, JSON.stringify(args)], { timeout: DEADLINE_MS }, (err, stdout) =>
      resolve(err?.killed ? 'hung' : stdout.trim()),
    );
  });
}

/** registryTls for `host` with only `certsDir` as docker's certificate folders, and `caFile` as its CA setting. */
const TRUST = `async ({ registryTls }, { host, caFile, certsDir }) =>
  registryTls(host, caFile, { env: {}, dockerCertsDirs: certsDir ? [certsDir] : [] })`;

/** The editor's way: a Connections whose settings give the host `caFile`; the first request over TLS reads it. */
const EDITOR = `async ({ Connections }, { host, caFile }) =>
  new Connections(() => ({ registry: { host, caFile } }), { dockerCertsDirs: [] }).client(host).ping()`;

describe('TLS files that are not regular files are refused, never read (a pipe or terminal blocked the thread)', function () {
  this.timeout(4 * DEADLINE_MS);
  const host = '127.0.0.1:9';
  let dir: string;
  let certsDir: string;
  let folder: string;
  let fifo: string;
  let pki: ReturnType<typeof makeServerCertificates>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-trust-kinds-'));
    pki = makeServerCertificates(path.join(dir, 'pki'));
    fifo = path.join(dir, 'nobody-writes');
    execFileSync('mkfifo', [fifo]);
  });
  beforeEach(() => {
    certsDir = fs.mkdtempSync(path.join(dir, 'certs.d-'));
    folder = path.join(certsDir, host);
    fs.mkdirSync(folder);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a named pipe as a CA (*.crt) or client key in certs.d/<host>/ is named, as a named pipe', async () => {
    fs.symlinkSync(fifo, path.join(folder, 'ca.crt'));
    assert.equal(
      await inChild(TRUST, { host, certsDir }),
      `the CA bundle ${path.join(folder, 'ca.crt')}: it is a named pipe, not a regular file`,
    );
    fs.rmSync(path.join(folder, 'ca.crt'));
    fs.copyFileSync(pki.certFile, path.join(folder, 'client.cert'));
    fs.symlinkSync(fifo, path.join(folder, 'client.key'));
    assert.equal(
      await inChild(TRUST, { host, certsDir }),
      `the client key for ${host} (${path.join(folder, 'client.key')}): it is a named pipe, not a regular file`,
    );
  });

  it('a character device (/dev/zero, /dev/tty) in certs.d/<host>/ is named, not read', async () => {
    fs.symlinkSync('/dev/zero', path.join(folder, 'zero.crt'));
    assert.equal(
      await inChild(TRUST, { host, certsDir }),
      `the CA bundle ${path.join(folder, 'zero.crt')}: it is a character device (a terminal, /dev/zero…), not a regular file`,
    );
    fs.rmSync(path.join(folder, 'zero.crt'));
    fs.copyFileSync(pki.certFile, path.join(folder, 'client.cert'));
    fs.symlinkSync('/dev/tty', path.join(folder, 'client.key'));
    // Without a controlling terminal /dev/tty cannot be opened (ENXIO); with one, it is a character device.
    assert.match(
      await inChild(TRUST, { host, certsDir }),
      /^the client key for 127\.0\.0\.1:9 \(.*client\.key\): (it is a character device \(a terminal, \/dev\/zero…\), not a regular file|ENXIO: no such device or address, open '.*client\.key')$/,
    );
  });

  it('the editor’s CA setting naming a named pipe, /dev/zero or /dev/tty fails the request naming the file', async () => {
    assert.equal(
      await inChild(EDITOR, { host, caFile: fifo }),
      `the CA file configured for ${host} (${fifo}): it is a named pipe, not a regular file`,
    );
    assert.equal(
      await inChild(EDITOR, { host, caFile: '/dev/zero' }),
      `the CA file configured for ${host} (/dev/zero): it is a character device (a terminal, /dev/zero…), not a regular file`,
    );
    assert.match(
      await inChild(EDITOR, { host, caFile: '/dev/tty' }),
      /^the CA file configured for 127\.0\.0\.1:9 \(\/dev\/tty\): (it is a character device|ENXIO)/,
    );
  });

  it('a regular CA file in the same places still loads', async () => {
    fs.copyFileSync(pki.caFile, path.join(folder, 'ca.crt'));
    assert.equal(await inChild(TRUST, { host, certsDir, caFile: pki.caFile }), 'no error');
  });
});
