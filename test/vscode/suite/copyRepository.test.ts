// "Copy Repository To…" against two real registries (upstream and an internal mirror): from the repository's row,
// every tag with its referrers into a new repository of the other registry, same digests, a summary notification;
// a rerun where nothing changed moves nothing; a tag moved upstream is asked about first (declined: nothing moves);
// from the palette the source is asked, and a typed destination naming a tag is refused; a tag that fails (moved
// since the question, or a blob damaged upstream) is named in a warning with Show Log while the others are copied.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listReferrers, type CopyTagsSummary } from '../../../src/core/graph';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { ImageManifest } from '../../../src/core/oci';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { RegistryNode, RepositoryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Copy Repository To… (a registry mirror)', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let upstream: TestRegistry;
  let internal: TestRegistry;

  before(async () => {
    api = await stowageApi();
    [upstream, internal] = await Promise.all([
      startRegistry({ variant: 'plain' }),
      startRegistry({ variant: 'plain' }),
    ]);
    await setRegistries([
      { host: upstream.host, plainHttp: true, repositories: ['library/app', 'library/flaky'] },
      { host: internal.host, plainHttp: true },
    ]);
  });

  after(async () => {
    await setRegistries([]);
    await Promise.all([upstream?.stop(), internal?.stop()]);
  });

  async function repositoryRow(name = 'library/app'): Promise<RepositoryNode> {
    const root = await waitFor('the upstream registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === upstream.host,
      ),
    );
    return (await child(api.registries, root, name)) as RepositoryNode;
  }

  it('copies every tag with its referrers into a new repository of another registry; a rerun moves nothing; a tag moved upstream is asked about first', async () => {
    const source = registryTarget(upstream, 'library/app');
    const v1 = await pushTextArtifact(source, { 'a.txt': 'one', 'shared.txt': 'in both' }, { tag: 'v1' });
    const v2 = await pushTextArtifact(source, { 'b.txt': 'two', 'shared.txt': 'in both' }, { tag: 'v2' });
    await pushTextArtifact(
      source,
      { 'sbom.json': '{"bomFormat":"CycloneDX"}' },
      { artifactType: MediaType.cyclonedx, subject: v1.descriptor },
    );
    const repository = await repositoryRow();

    const first = new ScriptedPrompts()
      .thenPick('All tags')
      .thenPick('Include referrers')
      .thenPick(`Repository in ${internal.host}…`)
      .thenInput('mirror/app');
    const summary = await answering(api, first, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.copyTo', repository),
    );
    assert.deepEqual(first.stepsShown.slice(0, 3), ['1/3', '2/3', '3/3']);
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.digest]),
      [
        ['v1', v1.descriptor.digest],
        ['v2', v2.descriptor.digest],
      ],
    );
    assert.equal(summary.referrers, 1);
    assert.match(
      first.notifications.at(-1)?.message ?? '',
      new RegExp(
        `^Copied 2 tags of ${upstream.host}/library/app to ${internal.host}/mirror/app: 2 manifests, 1 referrer, `,
      ),
    );
    const mirror = registryTarget(internal, 'mirror/app');
    assert.equal((await mirror.resolve('v1')).digest, v1.descriptor.digest);
    assert.equal((await mirror.resolve('v2')).digest, v2.descriptor.digest);
    assert.equal((await listReferrers(mirror, v1.descriptor.digest)).length, 1, 'the SBOM did not follow');
    const shown = api.shownTransferProgress();
    assert.ok(
      shown.some((s) => /v1 \(1\/2\)|v2 \(2\/2\)/.test(s.message)),
      `the tag being copied was not named: ${JSON.stringify(shown)}`,
    );

    const destination = { kind: 'registry' as const, host: internal.host, repository: 'mirror/app' };
    const again = new ScriptedPrompts();
    const rerun = await answering(api, again, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.copyTo', repository, {
        destination,
        tags: [],
        referrers: true,
      }),
    );
    assert.deepEqual([rerun.manifests, rerun.referrers, rerun.blobs], [0, 0, 0]);
    assert.match(again.notifications.at(-1)?.message ?? '', /; 2 tags unchanged$/);

    const rebuilt = await pushTextArtifact(source, { 'b.txt': 'two, rebuilt' }, { tag: 'v2' });
    const declined = new ScriptedPrompts().thenPick('All tags').thenConfirm(false);
    const none = await answering(api, declined, () =>
      vscode.commands.executeCommand('stowage.repository.copyTo', repository, { destination, referrers: false }),
    );
    assert.equal(none, undefined);
    const asked = declined.asked.find((q) => q.kind === 'confirm')?.confirm;
    assert.equal(
      asked?.message,
      `Copying moves 1 tag of ${internal.host}/mirror/app that name other artifacts now: v2. Copy anyway?`,
    );
    assert.equal(asked?.detail, `v2: ${v2.descriptor.digest} → ${rebuilt.descriptor.digest}`);
    assert.equal((await mirror.resolve('v2')).digest, v2.descriptor.digest, 'declined, yet the tag moved');

    const accepted = new ScriptedPrompts().thenPick('Choose tags…').thenPickMany(['v2']).thenConfirm(true);
    const moved = await answering(api, accepted, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.copyTo', repository, {
        destination,
        referrers: false,
      }),
    );
    assert.deepEqual(
      moved.tags.map((t) => [t.tag, t.replaced]),
      [['v2', v2.descriptor.digest]],
    );
    assert.equal((await mirror.resolve('v2')).digest, rebuilt.descriptor.digest);
    assert.match(accepted.notifications.at(-1)?.message ?? '', /; 1 tag moved from another digest: v2$/);
  });

  it('moves no tag it did not ask about: a source that points the tag elsewhere while the question is open is refused, the destination’s tag left as it was', async () => {
    const source = registryTarget(upstream, 'library/app');
    const asked = await pushTextArtifact(source, { 'r.txt': 'as asked' }, { tag: 'race' });
    const mirror = registryTarget(internal, 'mirror/race');
    const theirs = await pushTextArtifact(mirror, { 'r.txt': 'in use' }, { tag: 'race' });
    const repository = await repositoryRow();
    const destination = { kind: 'registry' as const, host: internal.host, repository: 'mirror/race' };

    let sprung: Awaited<ReturnType<typeof pushTextArtifact>> | undefined;
    const prompts = new ScriptedPrompts().thenConfirmAfter(async () => {
      sprung = await pushTextArtifact(source, { 'r.txt': 'sprung after the question' }, { tag: 'race' });
    }, true);
    await answering(api, prompts, () =>
      vscode.commands.executeCommand('stowage.repository.copyTo', repository, {
        destination,
        tags: ['race'],
        referrers: false,
      }),
    ).catch(() => undefined);
    assert.equal(
      prompts.asked.find((q) => q.kind === 'confirm')?.confirm?.detail,
      `race: ${theirs.descriptor.digest} → ${asked.descriptor.digest}`,
    );
    assert.ok(sprung);
    assert.equal(
      (await mirror.resolve('race')).digest,
      theirs.descriptor.digest,
      'the tag moved to a digest the user was never asked about',
    );
    // Refused, it is a failed tag like any other: named in the summary, its reason in the log.
    const told = prompts.notifications.at(-1);
    assert.equal(told?.severity, 'warning');
    assert.match(told?.message ?? '', /^Copied 0 tags of .*; 1 tag failed: race$/);
  });

  it('goes on past a tag whose blob fails its digest: the others are copied, the summary names the failed tag as a warning with Show Log', async () => {
    const source = registryTarget(upstream, 'library/flaky');
    const first = await pushTextArtifact(source, { 'a.txt': 'first' }, { tag: 'a' });
    const broken = await pushTextArtifact(source, { 'b.txt': 'will be damaged upstream' }, { tag: 'b' });
    const last = await pushTextArtifact(source, { 'c.txt': 'last' }, { tag: 'c' });
    const layer = ((await source.fetchManifest(broken.descriptor)).manifest as ImageManifest).layers[0]!.digest;
    const hex = layer.slice('sha256:'.length);
    const data = path.join(upstream.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    const good = await fs.readFile(data);
    await fs.writeFile(data, Buffer.alloc(good.length, 'z'));
    const repository = await repositoryRow('library/flaky');
    try {
      const prompts = new ScriptedPrompts().pressingInNotifications('Show Log');
      const summary = await answering(api, prompts, () =>
        vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.copyTo', repository, {
          destination: { kind: 'registry', host: internal.host, repository: 'mirror/flaky' },
          tags: [],
          referrers: false,
        }),
      );
      assert.deepEqual(
        summary.tags.map((t) => t.tag),
        ['a', 'c'],
      );
      assert.deepEqual(
        summary.failed.map((f) => [f.tag, f.code]),
        [['b', 'DIGEST_MISMATCH']],
      );
      const told = prompts.notifications.at(-1);
      assert.equal(told?.severity, 'warning');
      assert.match(told?.message ?? '', /^Copied 2 tags of .*library\/flaky to .*mirror\/flaky: .*; 1 tag failed: b/);
      assert.ok(told?.actions.includes('Show Log'), `no Show Log: ${JSON.stringify(told)}`);
      const mirror = registryTarget(internal, 'mirror/flaky');
      assert.equal((await mirror.resolve('a')).digest, first.descriptor.digest);
      assert.equal((await mirror.resolve('c')).digest, last.descriptor.digest);
    } finally {
      await fs.writeFile(data, good);
    }
  });

  it('from the palette asks for the repository to copy; a typed destination that names a tag is refused before anything moves', async () => {
    const prompts = new ScriptedPrompts()
      .thenPick('library/app')
      .thenPick('All tags')
      .thenPick('Only the tagged artifacts')
      .thenPick('Other registry or reference…')
      .thenInput(`${internal.host}/typed/app:v1`);
    const result = await answering(api, prompts, () => vscode.commands.executeCommand('stowage.repository.copyTo'));
    assert.equal(result, undefined);
    assert.equal(prompts.asked[0]?.prompt, 'Repository to copy');
    assert.equal(
      prompts.notifications.at(-1)?.message,
      `Copy Repository To… keeps each tag's name: name the destination repository without ":v1".`,
    );
    await assert.rejects(registryTarget(internal, 'typed/app').resolve('v1'), 'something was copied');
  });
});
