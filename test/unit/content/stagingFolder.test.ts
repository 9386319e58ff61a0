// The rule that tells a killed pull's staging folder from one a running pull still fills, and what sweeping may
// touch: only real folders named exactly like staging folders, directly in the folder swept, never through a link.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createStagingFolder,
  leftOverStagingFolders,
  removeLeftOverStagingFolders,
  type StagingFolder,
} from '../../../src/core/content';
import { cli } from '../../helpers/runCli';

const STAGING_MODULE = path.resolve(__dirname, '../../../src/core/content/stagingFolder.js');

/** A staging folder made by another process that is then killed (SIGKILL: it cannot clean up). */
async function stagingOfKilledProcess(folder: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(STAGING_MODULE)}).createStagingFolder(${JSON.stringify(folder)})` +
        '.then((s) => { process.stdout.write(s.path + "\\n"); setInterval(() => {}, 1000); })',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const staging = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.endsWith('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before creating its staging folder`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return staging;
}

async function age(entry: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await fs.utimes(entry, then, then);
}

async function ageTree(entry: string, ms: number): Promise<void> {
  for (const child of await fs.readdir(entry, { recursive: true })) await age(path.join(entry, child), ms);
  await age(entry, ms);
}

async function exists(entry: string): Promise<boolean> {
  return (await fs.lstat(entry).catch(() => undefined)) !== undefined;
}

describe('pull staging folders left by killed pulls', () => {
  let dir: string;
  const live: StagingFolder[] = [];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-staging-'));
  });
  afterEach(async () => {
    for (const staging of live.splice(0)) await staging.remove();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("removes a killed process's staging folder at once, and never the one a running process owns", async () => {
    const killed = await stagingOfKilledProcess(dir);
    await fs.writeFile(path.join(killed, 'half.bin'), 'half a layer');
    const mine = await createStagingFolder(dir);
    live.push(mine);
    await fs.writeFile(path.join(mine.path, 'part.bin'), 'being written');
    // A running owner that has been stopped for hours (Ctrl-Z) is still running: its folder stays.
    await ageTree(mine.path, 5 * 3600_000);

    const found = await leftOverStagingFolders(dir);
    assert.deepEqual(
      found.map((f) => f.path),
      [killed],
    );
    assert.ok(found[0]!.size >= 'half a layer'.length);
    assert.deepEqual(
      (await removeLeftOverStagingFolders(dir)).map((f) => f.path),
      [killed],
    );
    assert.equal(await exists(killed), false);
    assert.equal(await fs.readFile(path.join(mine.path, 'part.bin'), 'utf8'), 'being written');
  });

  it('takes a reused pid for a gone owner where the OS says start times (Linux), else for a running one', async function () {
    const reused = path.join(dir, '.stowage-pull-Reused');
    await fs.mkdir(reused);
    const mine = await createStagingFolder(dir);
    live.push(mine);
    const record = JSON.parse(await fs.readFile(path.join(mine.path, '.stowage-owner'), 'utf8')) as object;
    assert.equal((record as { pid: number }).pid, process.pid);
    await fs.writeFile(path.join(reused, '.stowage-owner'), JSON.stringify({ ...record, start: '1' }));
    // Without /proc there is no start time to compare: a pid that exists is taken as the owner, still running.
    assert.deepEqual(
      (await leftOverStagingFolders(dir)).map((f) => f.path),
      process.platform === 'linux' ? [reused] : [],
    );
  });

  it('judges an owner recorded on another host by its heartbeat, and a folder without owner by its age', async () => {
    const elsewhere = path.join(dir, '.stowage-pull-Other1');
    await fs.mkdir(elsewhere);
    await fs.writeFile(path.join(elsewhere, '.stowage-owner'), JSON.stringify({ pid: 1, host: 'another-host' }));
    const unowned = path.join(dir, '.stowage-pull-NoOwnr');
    await fs.mkdir(unowned);
    await fs.writeFile(path.join(unowned, 'file'), 'x');
    assert.deepEqual(await leftOverStagingFolders(dir), [], 'fresh: may be in use');

    await ageTree(elsewhere, 2 * 3600_000);
    await ageTree(unowned, 2 * 3600_000);
    assert.deepEqual((await leftOverStagingFolders(dir)).map((f) => f.path).sort(), [unowned, elsewhere].sort());
  });

  it('touches nothing but real folders named exactly like staging folders, and never follows a link', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-outside-'));
    try {
      const victim = await stagingOfKilledProcess(outside); // a "left-over" outside the swept folder
      await fs.writeFile(path.join(victim, 'precious'), 'not yours');
      await fs.symlink(victim, path.join(dir, '.stowage-pull-Link01'));
      const lookalikes = [
        '.stowage-pull-short',
        '.stowage-pull-Toolong',
        'stowage-pull-abcdef',
        '.stowage-pull-ab.def',
      ];
      for (const name of lookalikes) {
        await fs.mkdir(path.join(dir, name));
        await fs.copyFile(path.join(victim, '.stowage-owner'), path.join(dir, name, '.stowage-owner'));
        await ageTree(path.join(dir, name), 2 * 3600_000);
      }
      await fs.writeFile(path.join(dir, '.stowage-pull-File01'), 'a file, not a folder');
      const inner = path.join(dir, 'sub', '.stowage-pull-Deeper');
      await fs.mkdir(inner, { recursive: true });
      await fs.copyFile(path.join(victim, '.stowage-owner'), path.join(inner, '.stowage-owner'));

      assert.deepEqual(await removeLeftOverStagingFolders(dir), []);
      for (const name of [...lookalikes, '.stowage-pull-Link01', '.stowage-pull-File01', 'sub/.stowage-pull-Deeper'])
        assert.ok(await exists(path.join(dir, name)), name);
      assert.equal(await fs.readFile(path.join(victim, 'precious'), 'utf8'), 'not yours');
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('`stowage gc <plain folder>` lists them (dry run) and removes them with --apply, keeping a live one', async () => {
    const killed = await stagingOfKilledProcess(dir);
    const mine = await createStagingFolder(dir);
    live.push(mine);
    const name = path.basename(killed);

    const dry = await cli(['gc', dir]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would remove staging folder ${name.replace('.', '\\.')} \\(\\d+ B\\)`));
    assert.ok(!dry.stdout.includes(path.basename(mine.path)), dry.stdout);
    assert.match(dry.stdout, /dry run: would remove 1 staging folder of killed pulls/);
    assert.ok(await exists(killed), 'a dry run removes nothing');

    const applied = await cli(['gc', dir, '--apply', '--format', 'json']);
    assert.equal(applied.code, 0, applied.stderr);
    const report = JSON.parse(applied.stdout) as { applied: boolean; temporaries: { path: string }[] };
    assert.equal(report.applied, true);
    assert.deepEqual(
      report.temporaries.map((t) => t.path),
      [name],
    );
    assert.equal(await exists(killed), false);
    assert.ok(await exists(mine.path));
  });
});
