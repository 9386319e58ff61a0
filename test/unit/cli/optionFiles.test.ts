import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { copyFileSync, rmSync, symlinkSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/runCli';
import { makeServerCertificates, type ServerCertificates } from '../../fixtures/certificates';

describe('files named by push options', () => {
  let dir: string;
  let layout: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-option-files-'));
    layout = path.join(dir, 'layout');
    await fs.writeFile(path.join(dir, 'hi.txt'), 'hi\n');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  /** Pushes hi.txt into a new layout with `options`: a usage error whose first line is returned, nothing made. */
  async function refused(...options: string[]): Promise<string> {
    const run = await cli(['push', `oci:${layout}:v1`, path.join(dir, 'hi.txt'), ...options]);
    assert.equal(run.code, 2, run.stderr);
    await assert.rejects(fs.access(layout), 'no layout made');
    return run.stderr.split('\n')[0]!;
  }

  it('names the option and the file, and says in words what is wrong with it (not "ENOENT: …, open")', async () => {
    const missing = path.join(dir, 'nocfg.json');
    assert.equal(await refused('--config', missing), `stowage push: --config ${missing}: no such file`);
    assert.equal(
      await refused('--config', `${dir}:application/vnd.example.config+json`),
      `stowage push: --config ${dir}: it is a folder, not a file`,
    );
    assert.equal(
      await refused('--annotation-file', missing),
      `stowage push: --annotation-file ${missing}: no such file`,
    );
    const notJson = path.join(dir, 'notes.txt');
    await fs.writeFile(notJson, 'team=x\n');
    assert.match(
      await refused('--annotation-file', notJson),
      new RegExp(`--annotation-file .*notes\\.txt: not JSON \\(`),
    );
  });
});

describe('TLS files named on the command line, checked before any work', () => {
  let dir: string;
  let source: string;
  let copied: string;
  let pki: ServerCertificates;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-tls-files-'));
    source = path.join(dir, 'source');
    copied = path.join(dir, 'copied');
    await fs.writeFile(path.join(dir, 'hi.txt'), 'hi\n');
    pki = makeServerCertificates(path.join(dir, 'pki'));
    const push = await cli(['push', `oci:${source}:v1`, path.join(dir, 'hi.txt')]);
    assert.equal(push.code, 0, push.stderr);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  /** A copy between layouts (no TLS at all) with `options`: a usage error whose first line is returned, nothing copied. */
  async function refused(...options: string[]): Promise<string> {
    const run = await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, ...options]);
    assert.equal(run.code, 2, run.stderr);
    await assert.rejects(fs.access(copied), 'the copy started');
    return run.stderr.split('\n')[0]!;
  }

  it('a --ca-file, --cert-file or --key-file (or a side’s) that is missing or a folder is a usage error naming the flag and the file (exit 2)', async () => {
    const missing = path.join(dir, 'nope.pem');
    assert.equal(await refused('--ca-file', missing), `stowage copy: --ca-file ${missing}: no such file`);
    assert.equal(await refused('--to-ca-file', dir), `stowage copy: --to-ca-file ${dir}: it is a folder, not a file`);
    assert.equal(
      await refused('--cert-file', pki.certFile, '--key-file', missing),
      `stowage copy: --key-file ${missing}: no such file`,
    );
    assert.equal(
      await refused('--from-cert-file', missing, '--from-key-file', pki.keyFile),
      `stowage copy: --from-cert-file ${missing}: no such file`,
    );
  });

  it('so is a caFile, certFile or keyFile of a --hosts-config entry, named with its registry', async () => {
    const missing = path.join(dir, 'client.key');
    const config = path.join(dir, 'hosts.json');
    await fs.writeFile(
      config,
      JSON.stringify({
        registries: [
          { host: 'a.example', caFile: pki.caFile },
          { host: 'b.example', certFile: pki.certFile, keyFile: missing },
        ],
      }),
    );
    assert.equal(
      await refused('--hosts-config', config),
      `stowage copy: --hosts-config ${config}: "keyFile" of b.example: ${missing}: no such file`,
    );
  });

  it('a file of the wrong kind names the flag, the file and what it holds (a key for the CA, a certificate for the key, an encrypted key, another certificate’s key), never its content', async () => {
    const keyText = await fs.readFile(pki.keyFile, 'utf8');
    const encrypted = path.join(dir, 'encrypted.key');
    await fs.writeFile(
      encrypted,
      createPrivateKey(keyText).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }),
    );
    const text = path.join(dir, 'notes.txt');
    await fs.writeFile(text, 'not a certificate\n');
    const caKey = path.join(dir, 'pki', 'ca.key');
    const lines = [
      await refused('--ca-file', pki.keyFile),
      await refused('--to-ca-file', text),
      await refused('--cert-file', pki.keyFile, '--key-file', pki.keyFile),
      await refused('--cert-file', pki.certFile, '--key-file', pki.certFile),
      await refused('--from-cert-file', pki.certFile, '--from-key-file', encrypted),
      await refused('--cert-file', pki.certFile, '--key-file', caKey),
    ];
    assert.deepEqual(lines, [
      `stowage copy: --ca-file ${pki.keyFile}: holds a PEM private key, not a CA certificate ("-----BEGIN CERTIFICATE-----")`,
      `stowage copy: --to-ca-file ${text}: holds no PEM block, not a CA certificate ("-----BEGIN CERTIFICATE-----")`,
      `stowage copy: --cert-file ${pki.keyFile}: holds a PEM private key, not a client certificate ("-----BEGIN CERTIFICATE-----")`,
      `stowage copy: --key-file ${pki.certFile}: holds a PEM certificate, not a private key ("-----BEGIN PRIVATE KEY-----")`,
      `stowage copy: --from-key-file ${encrypted}: holds an encrypted private key: TLS here takes it unencrypted (openssl pkey -in <file> -out <new file> asks for its passphrase once)`,
      `stowage copy: --key-file ${caKey}: is not the private key of the certificate in --cert-file ${pki.certFile}`,
    ]);
    const keyBody = keyText.split('\n')[1]!;
    for (const line of lines) assert.ok(!line.includes(keyBody), 'key material printed');

    const config = path.join(dir, 'wrong-hosts.json');
    await fs.writeFile(
      config,
      JSON.stringify({ registries: [{ host: 'b.example', certFile: pki.certFile, keyFile: caKey }] }),
    );
    assert.equal(
      await refused('--hosts-config', config),
      `stowage copy: --hosts-config ${config}: "keyFile" of b.example: ${caKey}: is not the private key of the certificate in its "certFile" ${pki.certFile}`,
    );
  });

  it('a named pipe (--ca-file <(…)) is read whole once its writer closes it, and the command goes on', async () => {
    const pipe = path.join(dir, 'ca-pipe');
    execFileSync('mkfifo', [pipe]);
    // The writer, as a shell's process substitution: it writes the file and closes the pipe.
    const writing = (async () => {
      const writer = await fs.open(pipe, 'w');
      await writer.write(await fs.readFile(pki.caFile));
      await writer.close();
    })();
    const run = await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, '--ca-file', pipe]);
    await writing;
    assert.equal(run.code, 0, run.stderr);
    await fs.rm(copied, { recursive: true, force: true });
  });

  it('a named pipe nobody writes to is a usage error naming the flag and the pipe after the deadline, not a hang', async function () {
    const pipe = path.join(dir, 'idle-pipe');
    execFileSync('mkfifo', [pipe]);
    this.timeout(5000);
    const started = Date.now();
    const run = await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, '--to-ca-file', pipe], {
      engine: { pipeDeadlineMs: 300 },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stderr.split('\n')[0],
      `stowage copy: --to-ca-file ${pipe}: the pipe gave no end of its content in 0.3 s (is the command that writes it running?)`,
    );
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    await assert.rejects(fs.access(copied), 'the copy started');
  });

  /**
   * Makes `file` become something else (`swap`) at the first look at it or open of it: after a look (which saw what
   * was there), before an open. Only a race does this to a user; the hooks make its window certain. Returns undo.
   */
  function swapAtFirstTouch(file: string, swap: () => void): () => void {
    const fsModule = require('node:fs') as typeof import('node:fs');
    const promises = require('node:fs/promises') as typeof import('node:fs/promises');
    const saved = {
      stat: promises.stat,
      statSync: fsModule.statSync,
      openSync: fsModule.openSync,
      open: fsModule.open,
    };
    let swapped = false;
    const once = (touched: unknown) => {
      if (!swapped && touched === file) [swapped] = [true, swap()];
    };
    Object.assign(promises, {
      stat: async (...args: Parameters<typeof promises.stat>) => {
        const info = await saved.stat(...args);
        once(args[0]);
        return info;
      },
    });
    Object.assign(fsModule, {
      statSync: (...args: Parameters<typeof fsModule.statSync>) => {
        const info = saved.statSync(...args);
        once(args[0]);
        return info;
      },
      openSync: (...args: Parameters<typeof fsModule.openSync>) => (once(args[0]), saved.openSync(...args)),
      open: (...args: unknown[]) => (once(args[0]), (saved.open as (...a: unknown[]) => void)(...args)),
    });
    return () => {
      Object.assign(promises, { stat: saved.stat });
      Object.assign(fsModule, { statSync: saved.statSync, openSync: saved.openSync, open: saved.open });
    };
  }

  it('a named pipe swapped for a link to /dev/zero, or for a file, as it is opened: judged by what was opened, never a crash', async function () {
    this.timeout(5000);
    const pipe = path.join(dir, 'swapped-pipe');
    const swapTo = async (swap: () => void) => {
      execFileSync('mkfifo', [pipe]);
      const undo = swapAtFirstTouch(pipe, swap);
      try {
        return await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, '--ca-file', pipe], {
          engine: { pipeDeadlineMs: 300 },
        });
      } finally {
        undo();
        await fs.rm(pipe, { force: true });
        await fs.rm(copied, { recursive: true, force: true });
      }
    };
    // The look saw a pipe and the open found a device: Node's net.Socket threw out of the open's callback
    // ("Unsupported fd type: FILE"), an uncaught exception that ended the process.
    const toZero = await swapTo(() => {
      rmSync(pipe);
      symlinkSync('/dev/zero', pipe);
    });
    assert.equal(toZero.code, 2, toZero.stderr);
    assert.equal(
      toZero.stderr.split('\n')[0],
      `stowage copy: --ca-file ${pipe}: it is a character device (a terminal, /dev/zero…), not a regular file`,
    );
    const toFile = await swapTo(() => {
      rmSync(pipe);
      copyFileSync(pki.caFile, pipe);
    });
    assert.equal(toFile.code, 0, toFile.stderr);
  });

  it('a terminal or a device (--ca-file /dev/tty, /dev/zero) is a usage error naming the flag and what it is, not read', async function () {
    this.timeout(5000);
    assert.equal(
      await refused('--ca-file', '/dev/zero'),
      'stowage copy: --ca-file /dev/zero: it is a character device (a terminal, /dev/zero…), not a regular file',
    );
    // Without a controlling terminal /dev/tty cannot be opened (ENXIO); with one, it is a character device.
    assert.match(
      await refused('--key-file', '/dev/tty', '--cert-file', pki.certFile),
      /^stowage copy: --key-file \/dev\/tty: (it is a character device|ENXIO)/,
    );
  });

  it('readable files of the right kind pass the check', async () => {
    const run = await cli([
      'copy',
      `oci:${source}:v1`,
      `oci:${copied}:v1`,
      '--ca-file',
      pki.caFile,
      '--cert-file',
      pki.certFile,
      '--key-file',
      pki.keyFile,
    ]);
    assert.equal(run.code, 0, run.stderr);
    await fs.rm(copied, { recursive: true, force: true });
  });
});
