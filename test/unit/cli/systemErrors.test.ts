import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeSystemError } from '../../../src/cli/systemErrors';
import { cli, cliOk } from '../../helpers/runCli';

describe('file-system errors on the command line', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-system-errors-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('puts the path first and the problem in words, for Node errors with a path only', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'key.pem'"), {
      code: 'ENOENT',
      syscall: 'open',
      path: 'key.pem',
    });
    assert.equal(describeSystemError(enoent), 'key.pem: no such file or folder');
    assert.equal(describeSystemError({ ...enoent, code: 'EISDIR' }), 'key.pem: it is a folder, not a file');
    assert.equal(describeSystemError({ ...enoent, code: 'EWHATEVER' }), undefined);
    assert.equal(describeSystemError(new Error('plain')), undefined);
  });

  it('names the file a command could not read or write, never a temp file', async () => {
    const layout = path.join(dir, 'layout');
    await fs.writeFile(path.join(dir, 'hi.txt'), 'hi\n');
    await cliOk(['push', `oci:${layout}:v1`, path.join(dir, 'hi.txt')]);

    const missing = path.join(dir, 'no-manifest.json');
    const push = await cli(['manifest', 'push', `oci:${layout}:v2`, missing]);
    assert.equal(push.code, 2, 'a file named on the command line that is not there is a usage error');
    assert.equal(push.stderr.split('\n')[0], `stowage manifest: ${missing}: no such file`);

    const into = path.join(dir, 'no-folder', 'manifest.json');
    const fetch = await cli(['manifest', 'fetch', `oci:${layout}:v1`, '-o', into]);
    assert.equal(fetch.code, 1);
    assert.equal(fetch.stderr, `stowage manifest: ${into}: no such file or folder\n`, 'not the temp file beside it');

    const sign = await cli(['sign', `oci:${layout}:v1`, '--key', path.join(dir, 'nokey.pem'), '--cert', 'c.pem']);
    assert.equal(sign.stderr.split('\n')[0], `stowage sign: --key ${path.join(dir, 'nokey.pem')}: no such file`);
  });

  it('checks where --export-manifest writes before pushing anything', async () => {
    const layout = path.join(dir, 'layout');
    const exportTo = path.join(dir, 'no-folder', 'manifest.json');
    const run = await cli(['push', `oci:${layout}:v1`, '--export-manifest', exportTo, '-a', 'k=v']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      new RegExp(`^stowage push: --export-manifest .*manifest\\.json: the folder .*no-folder does not exist\\n`),
    );
    await assert.rejects(fs.access(layout), 'nothing pushed');
  });
});
