// `stowage push` of a folder holding secrets or escaping symlinks: refused before anything is created, naming
// the files and the flag; --allow-sensitive-files pushes them.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { cli } from '../../helpers/runCli';

describe('stowage push: sensitive files and symlinks', () => {
  let dir: string;
  let project: string;
  let layout: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-sensitive-'));
    project = path.join(dir, 'project');
    await fs.mkdir(path.join(project, '.git'), { recursive: true });
    await fs.writeFile(path.join(project, '.git', 'config'), '[credential]\n\thelper = store\n');
    await fs.writeFile(path.join(project, '.env'), 'API_TOKEN=secret');
    await fs.writeFile(path.join(project, 'app.js'), 'console.log(1)');
    layout = path.join(dir, 'layout');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses, naming the files found and --allow-sensitive-files, and creates no layout', async () => {
    const run = await cli(['push', `oci:${layout}:v1`, project]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /refusing to push files that often hold secrets: .*project\/\.env, .*project\/\.git\//);
    assert.match(run.stderr, /--allow-sensitive-files/);
    await assert.rejects(fs.stat(layout), /ENOENT/);
  });

  it('pushes them with --allow-sensitive-files', async () => {
    const run = await cli(['push', `oci:${layout}:v1`, project, '--allow-sensitive-files']);
    assert.equal(run.code, 0, run.stderr);
    const target = await LayoutTarget.open(layout);
    assert.ok((await target.resolve('v1')).digest.startsWith('sha256:'));
  });

  it('refuses a symlink pointing outside the pushed folder, naming it, even with --allow-sensitive-files, and creates no layout', async () => {
    await fs.symlink('/etc/passwd', path.join(project, 'passwd'));
    const run = await cli(['push', `oci:${layout}:v1`, project, '--allow-sensitive-files']);
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      new RegExp(
        `refusing ".*project/passwd": symbolic link in the folder being pushed: absolute targets are not allowed`,
      ),
    );
    await assert.rejects(fs.stat(layout), /ENOENT/);
  });

  it('attach refuses sensitive files the same way', async () => {
    await cli(['push', `oci:${layout}:v1`, path.join(project, 'app.js')]);
    const run = await cli([
      'attach',
      `oci:${layout}:v1`,
      path.join(project, '.env'),
      '--artifact-type',
      'application/vnd.example',
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /\.env.*--allow-sensitive-files/s);
  });
});
