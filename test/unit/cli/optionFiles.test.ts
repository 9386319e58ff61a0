import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
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
