import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/runCli';

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
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-tls-files-'));
    source = path.join(dir, 'source');
    copied = path.join(dir, 'copied');
    await fs.writeFile(path.join(dir, 'hi.txt'), 'hi\n');
    await fs.writeFile(path.join(dir, 'ca.pem'), 'not read for a layout\n');
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
    const ca = path.join(dir, 'ca.pem');
    assert.equal(await refused('--ca-file', missing), `stowage copy: --ca-file ${missing}: no such file`);
    assert.equal(await refused('--to-ca-file', dir), `stowage copy: --to-ca-file ${dir}: it is a folder, not a file`);
    assert.equal(
      await refused('--cert-file', ca, '--key-file', missing),
      `stowage copy: --key-file ${missing}: no such file`,
    );
    assert.equal(
      await refused('--from-cert-file', missing, '--from-key-file', ca),
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
          { host: 'a.example', caFile: path.join(dir, 'ca.pem') },
          { host: 'b.example', certFile: path.join(dir, 'ca.pem'), keyFile: missing },
        ],
      }),
    );
    assert.equal(
      await refused('--hosts-config', config),
      `stowage copy: --hosts-config ${config}: "keyFile" of b.example: ${missing}: no such file`,
    );
  });

  it('a pipe (--key-file <(…)) passes the check unread: its bytes stay for the connection that reads them', async () => {
    const pipe = path.join(dir, 'key-pipe');
    execFileSync('mkfifo', [pipe]);
    // The writer, as a shell's process substitution: the pipe is open at both ends while the command runs.
    const reader = fs.open(pipe, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const writer = await fs.open(pipe, 'w');
    await writer.write('-----BEGIN PRIVATE KEY-----\n');
    const run = await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, '--key-file', pipe, '--cert-file', pipe]);
    assert.equal(run.code, 0, run.stderr);
    await writer.close();
    const left = await (await reader).readFile('utf8');
    assert.equal(left, '-----BEGIN PRIVATE KEY-----\n', 'the check took bytes from the pipe');
    await fs.rm(copied, { recursive: true, force: true });
  });

  it('a named pipe nobody writes to does not hold up the check (opening it would wait for a writer)', async function () {
    const pipe = path.join(dir, 'idle-pipe');
    execFileSync('mkfifo', [pipe]);
    this.timeout(5000);
    try {
      const run = await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, '--ca-file', pipe]);
      assert.equal(run.code, 0, run.stderr);
    } finally {
      // A check that opened it waits in a thread for ever: a writer's open (and close) lets it go.
      await fs
        .open(pipe, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK)
        .then((w) => w.close())
        .catch(() => undefined);
      await fs.rm(copied, { recursive: true, force: true });
    }
  });

  it('readable files pass the check (a layout copy never opens them)', async () => {
    const ca = path.join(dir, 'ca.pem');
    const run = await cli(['copy', `oci:${source}:v1`, `oci:${copied}:v1`, '--ca-file', ca]);
    assert.equal(run.code, 0, run.stderr);
    await fs.rm(copied, { recursive: true, force: true });
  });
});
