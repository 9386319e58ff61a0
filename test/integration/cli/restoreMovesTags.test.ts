// A restore into a repository in use, against the real registry: the tags it moves from another digest are named
// (per tag on stderr, in the summary, in the JSON), before with --dry-run and after; tags it does not touch stay.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegistryTarget } from '../../../src/core/registry';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { cliOk } from '../../helpers/runCli';
import { pushArtifact } from '../../helpers/sampleArtifact';

describe('restore into a repository that has tags of its own', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-restore-moves-'));
  });
  after(async () => {
    await registry?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names each tag it moves from another digest, with --dry-run before and in the summary after; other tags stay', async () => {
    const repo = (name: string) => new RegistryTarget(clientFor(registry), name);
    const shipped = {
      v1: (await pushArtifact(repo('ship/app'), 'release one', { tag: 'v1' })).manifest.digest,
      v2: (await pushArtifact(repo('ship/app'), 'release two', { tag: 'v2' })).manifest.digest,
    };
    const archive = path.join(dir, 'app.tar');
    await cliOk(['backup', '--plain-http', '--output', archive, `${registry.host}/ship/app`]);
    const prod = repo('prod/app');
    const old = (await pushArtifact(prod, 'what production ran', { tag: 'v1' })).manifest.digest;
    await pushArtifact(prod, 'kept', { tag: 'keep' });
    const into = `${registry.host}/prod/app`;

    const planned = await cliOk(['restore', '--plain-http', '--input', archive, '--dry-run', into]);
    assert.ok(
      planned.stderr.includes(`would copy tag v1 (${shipped.v1}) and 0 referrers; at ${into} it names ${old} now\n`),
      planned.stderr,
    );
    assert.ok(planned.stderr.includes(`would copy tag v2 (${shipped.v2}) and 0 referrers\n`), planned.stderr);
    assert.match(planned.stdout, /; 1 tag moved from another digest: v1 \(/);
    assert.equal((await prod.resolve('v1')).digest, old, 'the dry run moved the tag');

    const done = await cliOk(['restore', '--plain-http', '--input', archive, into, '--format', 'json']);
    assert.ok(
      done.stderr.includes(`copied tag v1 (${shipped.v1}) and 0 referrers; at ${into} it named ${old} before\n`),
      done.stderr,
    );
    const summary = JSON.parse(done.stdout) as { tags: { tag: string; digest: string; replaced?: string }[] };
    assert.deepEqual(summary.tags, [
      { tag: 'v1', digest: shipped.v1, referrers: 0, replaced: old },
      { tag: 'v2', digest: shipped.v2, referrers: 0 },
    ]);
    assert.equal((await prod.resolve('v1')).digest, shipped.v1);
    assert.ok((await prod.resolve('keep')).digest);

    const again = await cliOk(['restore', '--plain-http', '--input', archive, into]);
    assert.doesNotMatch(again.stderr + again.stdout, /named|moved from/, 'a rerun reported a move that did not happen');
  });
});
