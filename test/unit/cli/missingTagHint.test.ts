// A tag that is not there is explained with the tags that are (a typo shows at once); referrer tags are left out,
// and a store with no tags says so.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, cliOk } from '../../helpers/runCli';

describe('stowage: a missing tag names the tags there are', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-missing-tag-'));
    await fs.writeFile(path.join(dir, 'a.txt'), 'a');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('lists the first tags of the store, without referrer tags, and says when there are none', async () => {
    const layout = path.join(dir, 'layout');
    await cliOk(['push', `oci:${layout}:v1.0.0`, path.join(dir, 'a.txt')]);
    await cliOk(['push', `oci:${layout}:latest`, path.join(dir, 'a.txt')]);
    await cliOk(['attach', `oci:${layout}:v1.0.0`, path.join(dir, 'a.txt'), '--artifact-type', 'doc/note']);
    const run = await cli(['pull', `oci:${layout}:v1.0`, '-o', path.join(dir, 'out')]);
    assert.equal(run.code, 1);
    const lines = run.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /not found/);
    assert.equal(lines[1], `  hint: oci:${layout} has no tag "v1.0"; its tags include latest, v1.0.0`);

    // A layout holding a blob and no manifest: no tags at all.
    await cliOk(['blob', 'push', `oci:${path.join(dir, 'bare')}`, path.join(dir, 'a.txt')]);
    const none = await cli(['manifest', 'fetch', `oci:${path.join(dir, 'bare')}:v1`]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /hint: oci:.*bare has no tags \(or does not exist\)\n$/);
  });

  it('sorts the tags it names and says which one a typo most likely meant', async () => {
    const layout = path.join(dir, 'typo');
    for (const tag of ['v10', 'release', 't3', 'v1'])
      await cliOk(['push', `oci:${layout}:${tag}`, path.join(dir, 'a.txt')]);
    const run = await cli(['pull', `oci:${layout}:relase`, '-o', path.join(dir, 'out')]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trimEnd().split('\n')[1],
      `  hint: oci:${layout} has no tag "relase" (did you mean "release"?); its tags include release, t3, v1, v10`,
    );
  });

  it('names only tags one could type: a forged tag megabytes long, or with spaces, is left out', async () => {
    const layout = path.join(dir, 'forged');
    await cliOk(['push', `oci:${layout}:v1`, path.join(dir, 'a.txt')]);
    const indexFile = path.join(layout, 'index.json');
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: Record<string, unknown>[] };
    const entry = index.manifests[0]!;
    for (const name of ['a'.repeat(100_000), 'a tag with spaces'])
      index.manifests.push({ ...entry, annotations: { 'org.opencontainers.image.ref.name': name } });
    await fs.writeFile(indexFile, JSON.stringify(index));
    const run = await cli(['pull', `oci:${layout}:v2`, '-o', path.join(dir, 'out')]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trimEnd().split('\n')[1],
      `  hint: oci:${layout} has no tag "v2" (did you mean "v1"?); its tags include v1`,
    );
  });
});
