// What a backup to a layout archive tells the user when the archive cannot be written, against the real registry:
// a file too large for the process's limit (`ulimit -f`: the same error path as a full disk, without needing one),
// a folder that does not exist yet, and a folder the user may not write (run as user nobody).
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveTarget, stagingFolderOf } from '../../../src/core/layout';
import { RegistryTarget } from '../../../src/core/registry';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { CLI_MAIN, cli, cliProcess, type CliRun } from '../../helpers/runCli';
import { pushArtifact } from '../../helpers/sampleArtifact';

const NOBODY = 65534;

/** The CLI in a child process, through bash so that `prefix` (ulimit in KiB, setpriv) applies to it alone. */
function cliUnder(prefix: string, args: string[]): Promise<CliRun> {
  const quoted = [process.execPath, CLI_MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const env = { PATH: process.env['PATH'], HOME: os.tmpdir() };
    execFile('bash', ['-c', `${prefix} ${quoted}`], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('backup to a layout archive that cannot be written: what the user is told', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let repository: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    // Three layers of 1.5 MB: each fits under a 3 MB file size limit, the archive holding all three does not.
    const target = new RegistryTarget(clientFor(registry), 'airgap/three');
    for (const tag of ['a', 'b', 'c']) await pushArtifact(target, randomBytes(1_500_000), { tag });
    repository = `${registry.host}/airgap/three`;
  });
  after(async () => {
    await registry?.stop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-airgap-fail-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('an archive too large to write prints no summary: the error names the archive and the room it needs, the rerun resumes', async () => {
    const file = path.join(dir, 'three.tar');
    const failed = await cliUnder('ulimit -f 3000 &&', ['backup', '--plain-http', '--output', file, repository]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(failed.stdout, '', 'a summary claimed a backup that was not written');
    assert.match(
      failed.stderr,
      new RegExp(
        `stowage backup: ${file.replace(/[.]/g, '\\.')} could not be written \\(the file would pass the largest size this system or process allows\\): the archive takes 4\\.3 MiB, written whole in ${dir}`,
      ),
    );
    assert.match(failed.stderr, /make room there, then run the command again/);
    assert.ok(failed.stderr.includes(`note: what was written so far is kept in ${stagingFolderOf(file)}`));
    assert.doesNotMatch(failed.stderr, /EFBIG/);
    await assert.rejects(fs.stat(file), 'a failed write left an archive');
    assert.deepEqual(
      (await fs.readdir(dir)).sort(),
      [path.basename(stagingFolderOf(file))],
      'a temp file or lock was left beside the archive',
    );

    const rerun = await cliUnder('', ['backup', '--plain-http', '--output', file, repository, '--format', 'json']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as { blobs: number; skipped: number };
    assert.equal(summary.blobs, 0, 'the rerun fetched again what was staged');
    assert.ok(summary.skipped >= 5, rerun.stdout);
    assert.deepEqual(
      (await (await ArchiveTarget.open(file)).resolve('a')).mediaType,
      'application/vnd.oci.image.manifest.v1+json',
    );
  });

  it('a blob too large to stage is told in words (no bare EFBIG), with where the work so far is kept', async () => {
    const file = path.join(dir, 'three.tar');
    const failed = await cliUnder('ulimit -f 1000 &&', ['backup', '--plain-http', '--output', file, `${repository}:a`]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(failed.stdout, '');
    const lines = failed.stderr.trimEnd().split('\n');
    assert.equal(
      lines.at(-2),
      `stowage backup: ${path.join(stagingFolderOf(file), 'blobs')}: the file would pass the largest size this system or process allows`,
    );
    assert.equal(
      lines.at(-1),
      `  note: what was written so far is kept in ${stagingFolderOf(file)}; run the same command again to resume`,
    );
  });

  it('a backup into a .tar in a folder that does not exist yet makes the folder, as a backup into a layout folder does', async () => {
    const file = path.join(dir, 'not', 'there', 'yet', 'three.tar');
    const run = await cli(['backup', '--plain-http', '--output', file, `${repository}:a`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^backed up 1 tag: /);
    await (await ArchiveTarget.open(file)).resolve('a');
  });

  it('a backup into a relative folder or .tar names its destination by its full path, as copy and restore do', async () => {
    for (const output of ['relative-folder', 'relative.tar']) {
      const run = await cliProcess(['backup', '--plain-http', '--output', output, `${repository}:a`], {}, { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const scheme = output.endsWith('.tar') ? 'oci-archive' : 'oci';
      assert.match(run.stdout, new RegExp(`→ ${scheme}:${path.join(dir, output).replace(/[.]/g, '[.]')}\\)\n$`));
    }
  });

  it('a backup into a folder the user may not write names the archive and the folder, not a lock file', async function () {
    assert.equal(process.getuid?.(), 0, 'this test runs the CLI as user nobody and needs to start as root');
    assert.equal(spawnSync('setpriv', ['--version']).status, 0, 'setpriv (util-linux) is needed to run as nobody');
    await fs.chmod(dir, 0o755); // root's: nobody may enter but not create files
    const file = path.join(dir, 'three.tar');
    const run = await cliUnder(`setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups`, [
      'backup',
      '--plain-http',
      '--output',
      file,
      repository,
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    // Where the run stopped first (the first tag, nothing done), then why.
    assert.deepEqual(run.stderr.split('\n').slice(0, 2), [
      'stopped at tag a (1/3): 0 tags backed up, 2 left (a rerun fetches only what is missing; --keep-going goes on past a failing tag)',
      `stowage backup: oci-archive:${file} cannot be written: its folder ${dir} takes no new files (permission denied); choose another place for it`,
    ]);
    assert.doesNotMatch(run.stderr, /stowage-lock/);
    assert.deepEqual(await fs.readdir(dir), []);
  });
});
