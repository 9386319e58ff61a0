// Proves that a normal user can pull into a folder they own whose parent they cannot write (`cd ~ && stowage
// pull …`, a devcontainer's /workspaces/<project>), all or nothing. The tests run as root, so the pull runs in
// a child process as user `nobody` (setpriv), over a layout source, into a nobody-owned folder inside a
// root-owned 0755 parent.
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_MAIN, cliOk, type CliRun } from '../../helpers/runCli';

const NOBODY = 65534;

function asNobody(args: string[], home: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'setpriv',
      [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI_MAIN, ...args],
      { env: { PATH: process.env['PATH'], HOME: home, DOCKER_CONFIG: path.join(home, '.docker') } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("stowage pull as a user who cannot write the target's parent", function () {
  this.timeout(60_000);
  let parent: string;
  let target: string;
  let layout: string;

  before(function () {
    assert.equal(process.getuid?.(), 0, 'these tests switch to user nobody and need to start as root');
    const probe = spawnSync('setpriv', ['--version']);
    assert.equal(
      probe.status,
      0,
      `setpriv (util-linux) is needed to run a pull as nobody: ${probe.error?.message ?? probe.stderr}`,
    );
  });

  beforeEach(async () => {
    parent = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-ro-parent-'));
    await fs.chmod(parent, 0o755); // root-owned: nobody may enter but not create entries
    target = path.join(parent, 'project');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'existing.txt'), 'keep me');
    await fs.chown(target, NOBODY, NOBODY);
    await fs.chown(path.join(target, 'existing.txt'), NOBODY, NOBODY);
    const source = path.join(parent, 'source');
    await fs.mkdir(path.join(source, 'docs'), { recursive: true });
    await fs.writeFile(path.join(source, 'notes.txt'), 'hello from a layout');
    await fs.writeFile(path.join(source, 'docs', 'a.md'), '# a');
    layout = path.join(parent, 'layout');
    await cliOk(['push', `oci:${layout}:v1`, path.join(source, 'notes.txt'), path.join(source, 'docs')]);
  });
  afterEach(async () => {
    await fs.rm(parent, { recursive: true, force: true });
  });

  it('pulls into the folder, staging inside it, and leaves no staging folder behind', async () => {
    const run = await asNobody(['pull', `oci:${layout}:v1`, '-o', target], target);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await fs.readFile(path.join(target, 'notes.txt'), 'utf8'), 'hello from a layout');
    assert.equal(await fs.readFile(path.join(target, 'docs', 'a.md'), 'utf8'), '# a');
    assert.equal((await fs.stat(path.join(target, 'notes.txt'))).uid, NOBODY);
    assert.deepEqual((await fs.readdir(target)).sort(), ['docs', 'existing.txt', 'notes.txt']);
    assert.deepEqual(
      (await fs.readdir(parent)).sort(),
      ['layout', 'project', 'source'],
      'nothing staged beside the target',
    );
  });

  it('keeps the all-or-nothing promise there: a corrupt layer leaves the folder exactly as it was', async () => {
    const blobs = path.join(layout, 'blobs', 'sha256');
    // Corrupt the file layer (its blob holds the file's bytes): the pull fails while verifying it.
    let corrupted = 0;
    for (const name of await fs.readdir(blobs)) {
      const file = path.join(blobs, name);
      const text = await fs.readFile(file, 'utf8');
      if (text === 'hello from a layout') {
        await fs.writeFile(file, 'HELLO FROM A LAYOUT'); // same size: found by the digest check
        corrupted++;
      }
    }
    assert.ok(corrupted > 0, 'found the layer to corrupt');
    const run = await asNobody(['pull', `oci:${layout}:v1`, '-o', target], target);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /digest mismatch/);
    assert.doesNotMatch(run.stderr, /EACCES/);
    assert.deepEqual(await fs.readdir(target), ['existing.txt']);
    assert.equal(await fs.readFile(path.join(target, 'existing.txt'), 'utf8'), 'keep me');
  });
});
