// Copy To… on several selected rows, as a release manager promotes tags from staging to production: one destination
// question (a repository, no tag), the tags the copy would move asked about first, one progress across all of them,
// a blob they share fetched once, referrers followed, one summary. Against the harness's real registry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { CopyTagsSummary } from '../../../src/core/graph';
import type { ManifestNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { attachBytes } from '../../../src/core/supplyChain';
import { LayoutTarget } from '../../../src/core/layout';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Copy To… on several selected artifacts', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
  });

  afterEach(async () => {
    await setRegistries([]);
  });

  after(async () => {
    await registry.stop();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function rowsOf(repository: string, names: string[]): Promise<ManifestNode[]> {
    const root = await waitFor(`registry ${registry.host} in the view`, async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repo = await child(api.registries, root, repository);
    return (await Promise.all(names.map((name) => child(api.registries, repo, name)))) as ManifestNode[];
  }

  /** Requests that move a blob into `repository`: a GET from another repository, or a cross-repository mount. */
  const blobMoves = (repository: string, digest: string) => {
    const hex = digest.slice(digest.indexOf(':') + 1);
    return registry
      .log()
      .split('\n')
      .filter(
        (line) =>
          (line.includes('GET /v2/') && line.includes(`/blobs/sha256:${hex}`)) ||
          (line.includes(`POST /v2/${repository}/blobs/uploads/`) && line.includes(hex)),
      ).length;
  };

  it('promotes three selected tags to another repository: one question for the repository, the moved tag asked about, shared blobs once, signatures along, one summary', async () => {
    const staging = registryTarget(registry, 'staging/app');
    const production = registryTarget(registry, 'prod/app');
    const release = await pushTextArtifact(
      staging,
      { 'app.bin': 'shared runtime', 'notes.txt': 'v1.2.0' },
      { tag: 'v1.2.0' },
    );
    await staging.tag(release.descriptor, 'latest');
    const debian = await pushTextArtifact(
      staging,
      { 'app.bin': 'shared runtime', 'base.txt': 'debian' },
      {
        tag: 'v1.2.0-debian',
      },
    );
    await pushTextArtifact(staging, { 'notes.txt': 'next' }, { tag: 'v1.3.0-rc1' });
    const signature = await attachBytes(staging, release.descriptor, {
      artifactType: 'application/vnd.example.signature.v1',
      documents: [{ title: 'app.sig', mediaType: 'application/octet-stream', bytes: Buffer.from('signed') }],
    });
    // Production's latest is an older release: the copy moves it, which is asked first.
    const older = await pushTextArtifact(production, { 'notes.txt': 'v1.1.0' }, { tag: 'latest' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['staging/app', 'prod/app'] }]);
    const rows = await rowsOf('staging/app', ['v1.2.0', 'v1.2.0-debian', 'latest']);
    const shared = release.manifest.layers[0]!.digest;
    assert.equal(debian.manifest.layers[0]!.digest, shared, 'the fixture shares a layer');
    const sharedMovesBefore = blobMoves('prod/app', shared);

    const prompts = new ScriptedPrompts().thenPick('prod/app').thenPick('Include referrers').thenConfirm(true);
    // As VS Code calls a context-menu command on a selection: the row clicked, then every row selected.
    const summary = await answering(api, prompts, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.artifact.copyTo', rows[1], rows),
    );

    assert.deepEqual(
      prompts.asked.map((q) => q.kind),
      ['pick', 'pick', 'confirm'],
      'a destination, the referrers, the moved tag: no tag is asked',
    );
    const offered = prompts.asked[0]!.items!.map((i) => i.label);
    assert.ok(offered.includes('prod/app'), JSON.stringify(offered));
    assert.ok(
      !offered.includes('staging/app'),
      `the repository they come from is no destination: ${JSON.stringify(offered)}`,
    );
    assert.match(prompts.asked[1]!.items!.map((i) => i.label).join('|'), /Only the 3 artifacts/);
    const moved = prompts.asked[2]!.confirm!;
    assert.equal(
      moved.message,
      `Copying moves 1 tag of ${registry.host}/prod/app that name other artifacts now: latest. Copy anyway?`,
    );
    assert.equal(moved.detail, `latest: ${older.descriptor.digest} → ${release.descriptor.digest}`);

    for (const [tag, seeded] of [
      ['v1.2.0', release],
      ['v1.2.0-debian', debian],
      ['latest', release],
    ] as const)
      assert.equal((await production.resolve(tag)).digest, seeded.descriptor.digest, tag);
    await assert.rejects(production.resolve('v1.3.0-rc1'), 'the tag not selected stays behind');
    assert.ok(await production.exists(signature), 'the signature followed its artifact');
    assert.equal(blobMoves('prod/app', shared) - sharedMovesBefore, 1, 'the layer they share was moved once');

    assert.deepEqual(
      summary?.tags.map((t) => t.tag),
      ['v1.2.0', 'v1.2.0-debian', 'latest'],
    );
    const progress = api.shownTransferProgress().map((p) => p.message);
    for (const step of ['v1.2.0 (1/3)', 'v1.2.0-debian (2/3)', 'latest (3/3)'])
      assert.ok(
        progress.some((m) => m.startsWith(step)),
        `one progress names ${step}: ${JSON.stringify(progress)}`,
      );
    assert.equal(prompts.notifications.length, 1, JSON.stringify(prompts.notifications));
    assert.equal(prompts.notifications[0]!.severity, 'info');
    assert.match(
      prompts.notifications[0]!.message,
      new RegExp(
        `^Copied 3 artifacts of ${registry.host}/staging/app \\(v1\\.2\\.0, v1\\.2\\.0-debian, latest\\) with 1 signature to ${registry.host}/prod/app: 2 manifests, 1 referrer, \\d+ blobs, .*; 1 tag moved from another digest: latest\\.$`,
      ),
    );
  });

  it('copies a selected tag and a row chosen by digest into a layout typed as a reference: the tag keeps its name, the digest row stays untagged, a typed tag is refused', async () => {
    const source = registryTarget(registry, 'digests/app');
    const tagged = await pushTextArtifact(source, { 'a.txt': 'tagged' }, { tag: 'v1' });
    const untagged = await pushTextArtifact(source, { 'b.txt': 'by digest' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['digests/app'] }]);
    const [v1] = await rowsOf('digests/app', ['v1']);
    const byDigest: ManifestNode = {
      type: 'manifest',
      id: `${v1!.id}-digest`,
      store: v1!.store,
      descriptor: untagged.descriptor,
    };
    const folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'copied-several');
    made.push(folder);

    const prompts = new ScriptedPrompts()
      .thenPick('Other registry or reference')
      .thenInput(`oci:${folder}`)
      .thenPick('Only the 2 artifacts');
    const selection: TreeNode[] = [v1!, byDigest];
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.copyTo', v1, selection));

    const typed = prompts.asked[1]!;
    assert.equal(typed.placeHolder, 'registry.example.com/team/app or oci:/path/to/layout');
    assert.match((await typed.validate!(`oci:${folder}:v9`)) ?? '', /names a tag; each artifact keeps its own tag/);
    const layout = await LayoutTarget.open(folder);
    assert.equal((await layout.resolve('v1')).digest, tagged.descriptor.digest);
    assert.ok(await layout.exists(untagged.descriptor), 'the row chosen by digest was copied');
    const tags: string[] = [];
    for await (const page of layout.listTags()) tags.push(...page);
    assert.deepEqual(tags, ['v1'], 'and no tag names it');
    assert.match(
      prompts.notifications.at(-1)?.message ?? '',
      new RegExp(
        `^Copied 2 artifacts of ${registry.host}/digests/app \\(v1, sha256:[0-9a-f]{12}\\) to oci:copied-several: `,
      ),
    );
  });

  it('a selection spanning two repositories is refused, naming them, before any question', async () => {
    await pushTextArtifact(registryTarget(registry, 'span/one'), { 'a.txt': 'one' }, { tag: 'v1' });
    await pushTextArtifact(registryTarget(registry, 'span/two'), { 'a.txt': 'two' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['span/one', 'span/two'] }]);
    const [one] = await rowsOf('span/one', ['v1']);
    const [two] = await rowsOf('span/two', ['v1']);
    const prompts = new ScriptedPrompts();
    const result = await answering(api, prompts, () =>
      vscode.commands.executeCommand('stowage.artifact.copyTo', one, [one, two]),
    );
    assert.equal(result, undefined);
    assert.deepEqual(prompts.notifications, [
      {
        severity: 'warning',
        message: `Copy To… takes several artifacts from one repository or layout at a time; the selection spans 2: ${registry.host}/span/one, ${registry.host}/span/two.`,
        actions: [],
      },
    ]);
  });

  it('dropping several dragged rows on a repository copies them as Copy To… on the selection does: one question, one progress, one summary; a drop back on their own repository asks nothing', async () => {
    const source = registryTarget(registry, 'drag/app');
    const one = await pushTextArtifact(source, { 'app.bin': 'shared', 'a.txt': 'one' }, { tag: 'v1' });
    const two = await pushTextArtifact(source, { 'app.bin': 'shared', 'b.txt': 'two' }, { tag: 'v2' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['drag/app', 'drop/app'] }]);
    const rows = await rowsOf('drag/app', ['v1', 'v2']);
    const root = (await children(api.registries)).find(
      (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
    )!;
    const data = new vscode.DataTransfer();
    await api.dragAndDrop.handleDrag(rows, data);

    const prompts = new ScriptedPrompts().thenPick('Only the 2 artifacts');
    const progressBefore = api.shownTransferProgress().length;
    await answering(api, prompts, async () =>
      api.dragAndDrop.handleDrop(await child(api.registries, root, 'drop/app'), data),
    );

    assert.deepEqual(
      prompts.asked.map((q) => q.kind),
      ['pick'],
      'the referrers question only: the destination is where they were dropped',
    );
    const destination = registryTarget(registry, 'drop/app');
    assert.equal((await destination.resolve('v1')).digest, one.descriptor.digest);
    assert.equal((await destination.resolve('v2')).digest, two.descriptor.digest);
    const progress = api
      .shownTransferProgress()
      .slice(progressBefore)
      .map((p) => p.message);
    assert.ok(
      progress.some((m) => m.startsWith('v2 (2/2)')),
      `one progress across both: ${JSON.stringify(progress)}`,
    );
    assert.equal(prompts.notifications.length, 1, JSON.stringify(prompts.notifications));
    assert.match(
      prompts.notifications[0]!.message,
      new RegExp(`^Copied 2 artifacts of ${registry.host}/drag/app \\(v1, v2\\) to ${registry.host}/drop/app: `),
    );

    const back = new ScriptedPrompts();
    await answering(api, back, async () =>
      api.dragAndDrop.handleDrop(await child(api.registries, root, 'drag/app'), data),
    );
    assert.deepEqual(back.asked, [], 'nothing asked');
    assert.deepEqual(back.notifications, [], 'nothing said');
  });
});
