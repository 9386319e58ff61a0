// On a registry without the referrers API every attach moves the fallback tag `sha256-<hex>` to a new referrers
// index; the one it named before is deleted once the tag has moved (an untagged manifest nothing lists, kept for
// ever otherwise, as oras-go deletes it too). A registry with deletes disabled keeps it: the attach still
// succeeds and says so once, as a warning on stderr.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { digestOf } from '../../src/core/content';
import { MediaType } from '../../src/core/oci';
import { OciError } from '../../src/core/oci/errors';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { cli, cliOk } from '../helpers/runCli';
import { pushArtifact } from '../helpers/sampleArtifact';

describe('a registry loses the referrers index an attach supersedes', function () {
  this.timeout(120_000);
  let dir: string;
  const registries: TestRegistry[] = [];

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-index-delete-'));
  });
  after(async () => {
    for (const registry of registries) await registry.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A subject pushed to `repository`, and what its fallback tag names after each of `count` attaches. */
  async function attachSeveral(registry: TestRegistry, repository: string, count: number) {
    const subjectFile = path.join(dir, `${repository.replace(/\//g, '-')}-subject.txt`);
    await fs.writeFile(subjectFile, `subject of ${repository}\n`);
    await cliOk(['push', `${registry.host}/${repository}:v1`, subjectFile, '--plain-http']);
    const target = new RegistryTarget(clientFor(registry), repository);
    const subject = await target.resolve('v1');
    const tag = subject.digest.replace(':', '-');
    const indexes: string[] = [];
    const stderr: string[] = [];
    for (let i = 0; i < count; i++) {
      const note = path.join(dir, `${repository.replace(/\//g, '-')}-note-${i}.txt`);
      await fs.writeFile(note, `note ${i}\n`);
      const run = await cli([
        'attach',
        `${registry.host}/${repository}:v1`,
        note,
        '--artifact-type',
        'application/x.note',
        '--plain-http',
      ]);
      assert.equal(run.code, 0, run.stderr);
      stderr.push(run.stderr);
      indexes.push((await target.resolve(tag)).digest);
    }
    return { target, indexes, stderr };
  }

  async function gone(target: RegistryTarget, digest: string): Promise<boolean> {
    try {
      await target.fetchManifest(digest);
      return false;
    } catch (err) {
      if (OciError.is(err, 'NOT_FOUND')) return true;
      throw err;
    }
  }

  it('deletes each superseded index once the tag names the new one: GET by digest answers 404', async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    registries.push(registry);
    const { target, indexes, stderr } = await attachSeveral(registry, 'gc/app', 3);
    assert.equal(new Set(indexes).size, 3);
    assert.ok(await gone(target, indexes[0]!), 'the first index is gone');
    assert.ok(await gone(target, indexes[1]!), 'the second index is gone');
    assert.equal((await target.fetchManifest(indexes[2]!)).descriptor.digest, indexes[2]);
    const listed = await cliOk(['discover', `${registry.host}/gc/app:v1`, '--plain-http', '--format', 'json']);
    assert.equal((JSON.parse(listed.stdout) as { referrers: unknown[] }).referrers.length, 3);
    for (const text of stderr) assert.doesNotMatch(text, /warning/i);
    await target.client.close();
  });

  it("keeps a user's multi-platform image that a co-tenant tagged as the subject's fallback index, and its tags", async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    registries.push(registry);
    const { target } = await attachSeveral(registry, 'shared/app', 1);
    const subject = await target.resolve('v1');
    const platforms = [];
    for (const arch of ['amd64', 'arm64']) platforms.push((await pushArtifact(target, `image for ${arch}`)).manifest);
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: platforms }),
    );
    const image = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
    await target.pushManifest(image, bytes, { tag: 'latest' });
    await target.pushManifest(image, bytes, { tag: subject.digest.replace(':', '-') }); // the co-tenant's push
    const note = path.join(dir, 'shared-note.txt');
    await fs.writeFile(note, 'a note\n');
    await cliOk([
      'attach',
      `${registry.host}/shared/app:v1`,
      note,
      '--artifact-type',
      'application/x.note',
      '--plain-http',
    ]);
    assert.equal((await target.resolve('latest')).digest, image.digest, 'the image and its tag stay');
    await target.client.close();
  });

  it('keeps it where the registry refuses deletes: every attach succeeds, and says so once', async () => {
    const registry = await startRegistry({ variant: 'plain', logLevel: 'error', deleteDisabled: true });
    registries.push(registry);
    const { target, indexes, stderr } = await attachSeveral(registry, 'kept/app', 2);
    assert.equal((await target.fetchManifest(indexes[0]!)).descriptor.digest, indexes[0], 'still there');
    assert.match(
      stderr[1]!,
      new RegExp(
        `warning: ${registry.host}/kept/app: the referrers index ${indexes[0]} that tag sha256-[0-9a-f]{64} named before this update stays behind as an untagged manifest \\(.*does not support.*\\)`,
      ),
    );
    assert.equal(stderr[1]!.match(/warning:/g)?.length, 1);
    const listed = await cliOk(['discover', `${registry.host}/kept/app:v1`, '--plain-http', '--format', 'json']);
    assert.equal((JSON.parse(listed.stdout) as { referrers: unknown[] }).referrers.length, 2);
    await target.client.close();
  });
});
