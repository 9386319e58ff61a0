// TLS files given as named pipes (`--key-file <(pass show registry-key)`, which keeps a key off the disk) against a
// real registry asking for a client certificate: each pipe is read once, and its bytes serve every registry that
// names it, both sides of a copy too.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cliOk, cliProcess } from '../../helpers/runCli';

describe('stowage CLI: TLS files as named pipes (real mutual-TLS registry)', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let auth: string[];
  before(async () => {
    registry = await startRegistry({ variant: 'basic-tls', mutualTls: true, logLevel: 'error' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-tls-pipes-'));
    auth = ['-u', registry.username!, '-p', registry.password!];
    const file = path.join(dir, 'notes.txt');
    await fs.writeFile(file, 'over mutual TLS\n');
    const { certFile, keyFile } = registry.clientCertificate!;
    const tls = ['--ca-file', registry.caFile!, '--cert-file', certFile, '--key-file', keyFile];
    await cliOk(['push', `${registry.host}/pipes/source:v1`, file, ...auth, ...tls]);
  });
  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** A named pipe a writer fills with `file` once and closes, as a shell's process substitution does. */
  async function pipeOf(file: string, name: string): Promise<{ pipe: string; written: Promise<void> }> {
    const pipe = path.join(dir, name);
    execFileSync('mkfifo', [pipe]);
    const bytes = await fs.readFile(file);
    const written = (async () => {
      const writer = await fs.open(pipe, 'w'); // waits for the reader
      await writer.write(bytes);
      await writer.close();
    })();
    return { pipe, written };
  }

  it('a CA and a client key each given once as a pipe serve both sides of a copy (127.0.0.1 and localhost)', async () => {
    const ca = await pipeOf(registry.caFile!, 'ca-pipe');
    const key = await pipeOf(registry.clientCertificate!.keyFile, 'key-pipe');
    const cert = registry.clientCertificate!.certFile;
    const port = registry.host.split(':')[1]!;
    // Two hosts, two connections, each with its side's flags naming the same pipes.
    const run = await cliProcess([
      'copy',
      `127.0.0.1:${port}/pipes/source:v1`,
      `localhost:${port}/pipes/copied:v1`,
      ...auth,
      ...['--from-ca-file', ca.pipe, '--to-ca-file', ca.pipe],
      ...['--from-cert-file', cert, '--to-cert-file', cert],
      ...['--from-key-file', key.pipe, '--to-key-file', key.pipe],
    ]);
    assert.equal(run.code, 0, run.stderr);
    await Promise.all([ca.written, key.written]);
    const tls = ['--ca-file', registry.caFile!, '--cert-file', cert, '--key-file', registry.clientCertificate!.keyFile];
    const tags = await cliOk(['tags', `${registry.host}/pipes/copied`, ...auth, ...tls]);
    assert.equal(tags.stdout, 'v1\n');
  });
});
