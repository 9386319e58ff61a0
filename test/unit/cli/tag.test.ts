import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, cliOk } from '../../helpers/runCli';

describe('stowage tag', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-tag-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('prints ORAS’s lines: what it tags, then every tag it got (as push and copy say "Tagged …")', async () => {
    const file = path.join(dir, 'hi.txt');
    await fs.writeFile(file, 'hi\n');
    const layout = path.join(dir, 'layout');
    const pushed = await cliOk(['push', `oci:${layout}:v1`, file, '--format', 'json']);
    const { digest } = JSON.parse(pushed.stdout) as { digest: string };

    const run = await cliOk(['tag', `oci:${layout}:v1`, 'v2', 'v3,latest']);
    assert.equal(run.stdout, `Tagging [oci-layout] oci:${layout}@${digest}\nTagged v2, v3, latest\n`);
    assert.equal(run.stderr, '');
    for (const tag of ['v2', 'v3', 'latest'])
      assert.equal((await cliOk(['resolve', `oci:${layout}:${tag}`])).stdout.trim(), digest);
    assert.equal((await cli(['tag', `oci:${layout}:v1`, 'bad@tag'])).code, 2);
  });
});
