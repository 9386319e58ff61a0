// A layout or archive named without a tag or digest (`oci:dir`, `oci-archive:x.tar`) stands for the one artifact it
// holds, as skopeo reads it: an archive skopeo wrote without a tag copies to the real registry, a backup folder
// holding one tag and its referrers pulls that tag, and a folder holding several refuses, naming them. Deleting
// always wants the artifact named.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';
import { run } from '../helpers/tools';

describe('stowage on a layout or archive named without a tag', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-bare-'));
    await fs.mkdir(path.join(dir, 'files'));
    await fs.writeFile(path.join(dir, 'files', 'notes.txt'), 'release notes\n');
    await fs.writeFile(path.join(dir, 'files', 'sbom.json'), '{"sbom":true}\n');
  });

  after(async () => {
    await registry.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const digestLine = (stdout: string) => /Digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];

  it('copies an archive skopeo wrote without a tag to the registry, under the tag given there', async () => {
    const pushed = await cliOk(['push', `${registry.host}/bare/source:v1`, path.join(dir, 'files', 'notes.txt')]);
    const digest = digestLine(pushed.stdout)!;
    const archive = path.join(dir, 'skopeo.tar');
    // skopeo writes the index entry with no ref.name annotation when the archive is named bare.
    await run('skopeo', [
      'copy',
      '--src-tls-verify=false',
      `docker://${registry.host}/bare/source:v1`,
      `oci-archive:${archive}`,
    ]);

    const copied = await cliOk(['copy', `oci-archive:${archive}`, `${registry.host}/bare/restored:v9`]);
    assert.equal(digestLine(copied.stdout), digest, 'the one manifest in the archive, digest unchanged');
    const inspected = await cliOk(['inspect', `oci-archive:${archive}`, '--format', 'json']);
    assert.equal((JSON.parse(inspected.stdout) as { Digest: string }).Digest, digest, 'inspect reads it too');
    const resolved = await cliOk(['resolve', `${registry.host}/bare/restored:v9`]);
    assert.equal(resolved.stdout.trim(), digest);
  });

  it('pulls the one tag of a backup folder holding its referrers; two tags are refused, naming both; delete wants it named', async () => {
    const subject = `${registry.host}/bare/app:v1`;
    const pushed = await cliOk(['push', subject, path.join(dir, 'files', 'notes.txt')]);
    await cliOk([
      'attach',
      subject,
      `${path.join(dir, 'files', 'sbom.json')}:application/json`,
      '--artifact-type',
      'application/vnd.example.sbom',
    ]);
    const layout = path.join(dir, 'backup');
    await cliOk(['copy', '-r', subject, `oci:${layout}`]);

    const out = path.join(dir, 'pulled');
    const pulled = await cliOk(['pull', `oci:${layout}`, '-o', out]);
    assert.match(pulled.stdout, new RegExp(`Pulled \\[oci-layout\\] oci:${layout}:v1`));
    assert.equal(await fs.readFile(path.join(out, 'notes.txt'), 'utf8'), 'release notes\n');
    const discovered = await cliOk(['discover', `oci:${layout}`, '--format', 'json']);
    assert.match(discovered.stdout, /application\/vnd\.example\.sbom/, 'its referrer is found from the bare name');

    // Deleting wants the artifact named even where the bare name stands for it: manifest delete --force too.
    const forced = await cli(['manifest', 'delete', '--force', `oci:${layout}`]);
    assert.equal(forced.code, 2, forced.stderr);
    assert.match(forced.stderr, /names no tag or digest \(add :tag or @sha256:…\)/);
    await cliOk(['manifest', 'fetch', `oci:${layout}:v1`]);

    await cliOk(['tag', `oci:${layout}:v1`, 'latest']);
    const several = await cli(['pull', `oci:${layout}`, '-o', path.join(dir, 'pulled-again')]);
    assert.equal(several.code, 2, several.stderr);
    assert.match(
      several.stderr,
      new RegExp(
        `"oci:${layout}" names no tag or digest and holds more than one artifact, 2 tags \\(v1, latest\\) and 1 other manifest: add :tag or @sha256:…`,
      ),
    );
    await assert.rejects(fs.stat(path.join(dir, 'pulled-again')), 'nothing written');
    // inspect reads `latest` when a layout holding several has it, as it does at a registry.
    const inspected = await cliOk(['inspect', `oci:${layout}`, '--format', 'json']);
    assert.equal((JSON.parse(inspected.stdout) as { Digest: string }).Digest, digestLine(pushed.stdout));

    const deleted = await cli(['delete', `oci:${layout}`]);
    assert.equal(deleted.code, 2, deleted.stderr);
    assert.match(deleted.stderr, /names no tag or digest \(add :tag or @sha256:…\)/);
  });
});
