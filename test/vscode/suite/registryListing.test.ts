// What the Registries view lists and how the user narrows it: pinned repositories beside the catalog, Remove
// Repository, the filter (set, shown in the view's description, kept, cleared), tags by recent creation, and
// Docker Hub / GHCR namespaces listed through their web APIs (scripted servers speaking those APIs).
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as vscode from 'vscode';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { startNamespaceApis, type NamespaceApiServer } from '../../fixtures/namespaceApis';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { RegistryNode, RepositoryNode } from '../../../src/vscode/tree/nodes';
import { digestOf } from '../../../src/core/content/hashing';
import type { Target } from '../../../src/core/content/target';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { Annotation, MediaType } from '../../../src/core/oci/mediaTypes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, label, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const TOKEN = 'ghp_suiteToken';

describe('Registries view: listing and filtering', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let apis: NamespaceApiServer;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    for (const repository of ['team/app', 'team/web', 'tools/x'])
      await pushTextArtifact(registryTarget(registry, repository), { 'a.txt': `${repository}\n` }, { tag: 'v1' });
    for (const tag of ['v2', 'latest', 'dev'])
      await pushTextArtifact(registryTarget(registry, 'team/app'), { 'a.txt': `${tag}\n` }, { tag });
    apis = await startNamespaceApis({
      dockerHub: { acme: ['app', 'worker'] },
      githubUsers: { octo: ['tool', 'nested/thing'] },
      githubToken: TOKEN,
    });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('stowage.registries.clearFilter');
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.pageSize', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.tagOrder', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
  });

  after(async () => {
    await api.changeLoginAsAnotherWindow('ghcr.io', undefined);
    await registry?.stop();
    await apis?.close();
  });

  it('hovering a registry never expanded names its capabilities: the hover lists the first page itself', async () => {
    const fresh = await startRegistry({ variant: 'plain' });
    try {
      await pushTextArtifact(registryTarget(fresh, 'hovered/app'), { 'a.txt': 'a\n' }, { tag: 'v1' });
      await setRegistries([{ host: fresh.host, plainHttp: true }]);
      const root = await registryNode(fresh.host);
      const item = await api.registries.resolveTreeItem(
        api.registries.getTreeItem(root),
        root,
        new vscode.CancellationTokenSource().token,
      );
      assert.match(String(item.tooltip), /Catalog: yes/);
      assert.match(String(item.tooltip), /Referrers API: no/);
      assert.doesNotMatch(String(item.tooltip), /known once a repository is listed/);
    } finally {
      await fresh.stop();
    }
  });

  async function registryNode(host = registry.host): Promise<RegistryNode> {
    return waitFor(`registry ${host} in the view`, async () =>
      (await children(api.registries)).find((n): n is RegistryNode => n.type === 'registry' && n.setting.host === host),
    );
  }

  it('pinned repositories come first and the catalog still lists the others, each once', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['tools/x', 'pinned/only'] }]);
    const root = await registryNode();
    assert.deepEqual(await labels(api.registries, root), [
      'tools/x',
      'pinned/only',
      'team/app',
      'team/web',
      'Add Repository…',
    ]);
    const pinned = await child(api.registries, root, 'tools/x');
    assert.match(String(api.registries.getTreeItem(pinned).contextValue), /\bpinned\b/);
    const listed = await child(api.registries, root, 'team/app');
    assert.doesNotMatch(String(api.registries.getTreeItem(listed).contextValue), /\bpinned\b/);
  });

  it('Remove Repository unpins after confirmation; a repository the catalog lists stays listed', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['tools/x', 'pinned/only'] }]);
    const root = await registryNode();
    const only = await child(api.registries, root, 'pinned/only');
    const prompts = new ScriptedPrompts().thenConfirm(true);
    assert.equal(
      await answering(api, prompts, () => vscode.commands.executeCommand('stowage.repository.remove', only)),
      true,
    );
    assert.deepEqual(prompts.doneMessages, [`Removed ${registry.host}/pinned/only from the Registries view`]);
    const toolsX = await child(api.registries, await registryNode(), 'tools/x');
    await answering(api, new ScriptedPrompts().thenConfirm(true), () =>
      vscode.commands.executeCommand('stowage.repository.remove', toolsX),
    );
    const configured = vscode.workspace.getConfiguration('stowage').get<{ repositories?: string[] }[]>('registries');
    assert.equal(configured?.[0]?.repositories, undefined, 'the last unpinned repository takes the key with it');
    const after = await waitFor('the view without the unpinned repository', async () => {
      const shown = await labels(api.registries, await registryNode());
      return !shown.includes('pinned/only') && shown;
    });
    assert.deepEqual(after, ['team/app', 'team/web', 'tools/x', 'Add Repository…']);
  });

  it('a filter narrows repositories beyond the first page, shows in the view’s description, persists, and clears', async () => {
    await vscode.workspace.getConfiguration('stowage').update('tree.pageSize', 1, vscode.ConfigurationTarget.Global);
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const root = await registryNode();
    assert.deepEqual(await labels(api.registries, root), ['team/app', 'Load more…', 'Add Repository…']);
    assert.equal(api.registriesDescription(), undefined);

    const prompts = new ScriptedPrompts().thenInput('tools/*');
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.registries.filter', root));
    // The catalog is sorted: the prefix glob starts after "teal~" (last=) instead of paging through team/*, and
    // a page of matches (one name here) ends the request; Load more goes on and finds the list's end.
    const filtered = await children(api.registries, await registryNode());
    assert.deepEqual(
      filtered.map((n) => label(api.registries, n)),
      ['tools/x', 'Load more…', 'Add Repository…'],
    );
    assert.equal(api.registriesDescription(), `Filter: ${registry.host} “tools/*”`);
    await vscode.commands.executeCommand('stowage.tree.loadMore', filtered[1]);
    assert.deepEqual(await labels(api.registries, await registryNode()), ['tools/x', 'Add Repository…']);

    api.registries.refresh();
    assert.deepEqual(
      await labels(api.registries, await registryNode()),
      ['tools/x', 'Load more…', 'Add Repository…'],
      'the filter is kept',
    );

    await answering(api, new ScriptedPrompts().thenInput('nothing-like-it'), () =>
      vscode.commands.executeCommand('stowage.registries.filter', root),
    );
    const empty = await children(api.registries, await registryNode());
    const noMatches = empty.find((n) => n.type === 'action' && n.id.endsWith('/no-matches'));
    assert.ok(noMatches, 'an empty filtered list says so');
    assert.match(String(api.registries.getTreeItem(noMatches).label), /No repositories match “nothing-like-it”/);
    // One click on it clears the filter.
    await vscode.commands.executeCommand('stowage.registries.clearFilter', noMatches);
    assert.equal(api.registriesDescription(), undefined);
    assert.deepEqual(await labels(api.registries, await registryNode()), ['team/app', 'Load more…', 'Add Repository…']);
  });

  it('Filter… from the palette numbers its questions (the registry, the pattern) and Back goes to the registry chosen', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const prompts = new ScriptedPrompts()
      .thenPick(registry.host)
      .thenBack('input')
      .thenKeep('pick')
      .thenInput('team/*');
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.registries.filter'));
    assert.deepEqual(prompts.stepsShown, ['1/2', '2/2', '1/2', '2/2']);
    assert.deepEqual(prompts.asked[2]!.activeLabels, [registry.host], 'the registry chosen is kept');
    assert.equal(api.registriesDescription(), `Filter: ${registry.host} “team/*”`);
    await vscode.commands.executeCommand('stowage.registries.clearFilter');
    assert.equal(api.registriesDescription(), undefined);
  });

  it('a filter on a repository narrows its tags; Clear Filter from the view title clears every filter', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const repository = (await child(api.registries, await registryNode(), 'team/app')) as RepositoryNode;
    assert.deepEqual(await labels(api.registries, repository), ['latest', 'v2', 'v1', 'dev']);
    await answering(api, new ScriptedPrompts().thenInput('v?'), () =>
      vscode.commands.executeCommand('stowage.registries.filter', repository),
    );
    const filtered = await child(api.registries, await registryNode(), 'team/app');
    assert.deepEqual(await labels(api.registries, filtered), ['v2', 'v1']);
    assert.equal(api.registriesDescription(), `Filter: ${registry.host}/team/app tags “v?”`);
    await vscode.commands.executeCommand('stowage.registries.clearFilter');
    assert.equal(api.registriesDescription(), undefined);
    const cleared = await child(api.registries, await registryNode(), 'team/app');
    assert.deepEqual(await labels(api.registries, cleared), ['latest', 'v2', 'v1', 'dev']);
  });

  it('tags sort by recent creation (annotation or image config) when chosen with Sort Tags By…', async () => {
    const target = registryTarget(registry, 'dated/app');
    await pushDated(target, 'old', '2024-01-01T00:00:00Z', 'annotation');
    await pushDated(target, 'newest', '2026-03-01T00:00:00Z', 'config');
    await pushDated(target, 'middle', '2025-06-01T00:00:00Z', 'annotation');
    await pushTextArtifact(target, { 'u.txt': 'undated\n' }, { tag: 'v9' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['dated/app'] }]);
    await answering(api, new ScriptedPrompts().thenPick('Recently Created'), () =>
      vscode.commands.executeCommand('stowage.registries.sortTags'),
    );
    const shown = await waitFor('tags in recent order', async () => {
      const repository = await child(api.registries, await registryNode(), 'dated/app');
      const tags = await labels(api.registries, repository);
      return tags[0] === 'newest' && tags;
    });
    assert.deepEqual(shown, ['newest', 'middle', 'old', 'v9']);
  });

  it('tags naming one manifest say so on each row ("also 1.0"), from the manifests read to name them', async () => {
    const target = registryTarget(registry, 'aliased/app');
    const { descriptor } = await pushTextArtifact(target, { 'a.txt': 'one\n' }, { tag: 'latest' });
    for (const tag of ['1.0', '1']) await target.tag(descriptor, tag);
    await pushTextArtifact(target, { 'b.txt': 'other\n' }, { tag: 'dev' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['aliased/app'] }]);
    const repository = await child(api.registries, await registryNode(), 'aliased/app');
    const described = async () => {
      const items = (await children(api.registries, repository)).map((node) => api.registries.getTreeItem(node));
      return Object.fromEntries(items.map((item) => [String(item.label), item]));
    };
    // Each row is drawn again as the others are named: the last to be described names all three.
    const rows = await waitFor('every tag described with its aliases', async () => {
      const shown = await described();
      return (
        ['latest', '1.0', '1', 'dev'].every((tag) => shown[tag]?.description) &&
        / · also .+, /.test(String(shown['1']!.description)) &&
        / · also .+, /.test(String(shown['latest']!.description)) &&
        shown
      );
    });
    assert.match(String(rows['latest']!.description), / · also 1, 1\.0( · |$)/);
    assert.match(String(rows['1.0']!.description), / · also 1, latest( · |$)/);
    assert.doesNotMatch(String(rows['dev']!.description), /also/);
    const latest = rows['latest']!;
    assert.match(String(latest.tooltip), /^also tagged 1, 1\.0$/m);
    assert.match(latest.accessibilityInformation!.label, /also 1, 1\.0/);
  });

  it('the registry menu offers Set Namespaces… on Docker Hub and ghcr.io only (elsewhere it could only say it does not apply)', async () => {
    const manifest = vscode.extensions.getExtension('stowage.stowage')!.packageJSON as {
      contributes: { menus: Record<string, { command?: string; when?: string }[]> };
    };
    const when = manifest.contributes.menus['view/item/context']!.find(
      (m) => m.command === 'stowage.registry.setNamespaces',
    )!.when!;
    const viewItem = new RegExp(/viewItem =~ \/(.+?)\/(?: |$)/.exec(when)![1]!);
    await setRegistries([{ host: 'docker.io' }, { host: 'ghcr.io' }, { host: '127.0.0.1:9', plainHttp: true }]);
    const offered: string[] = [];
    for (const host of ['docker.io', 'ghcr.io', '127.0.0.1:9'])
      if (viewItem.test(String(api.registries.getTreeItem(await registryNode(host)).contextValue))) offered.push(host);
    assert.deepEqual(offered, ['docker.io', 'ghcr.io']);
  });

  it('Docker Hub and GHCR list the named namespaces through their web APIs; Set Namespaces… names them', async () => {
    api.useNamespaceApis({ dockerHub: apis.origin, github: apis.origin });
    await api.changeLoginAsAnotherWindow('ghcr.io', { username: 'octo', password: TOKEN });
    await setRegistries([{ host: 'docker.io', namespaces: ['acme'], repositories: ['acme/app'] }, { host: 'ghcr.io' }]);
    assert.deepEqual(await labels(api.registries, await registryNode('docker.io')), [
      'acme/app',
      'acme/worker',
      'Add Repository…',
    ]);
    const ghcr = await registryNode('ghcr.io');
    const [setNamespaces] = await children(api.registries, ghcr);
    assert.equal(setNamespaces?.type, 'action');
    assert.deepEqual(await labels(api.registries, ghcr), ['Set Namespaces…', 'Add Repository…']);
    // Clicking the row runs Set Namespaces… for its registry.
    const click = api.registries.getTreeItem(setNamespaces!).command!;
    await answering(api, new ScriptedPrompts().thenInput('octo'), () =>
      vscode.commands.executeCommand(click.command, ...(click.arguments ?? [])),
    );
    const listed = await waitFor('the GHCR packages of octo', async () => {
      const shown = await labels(api.registries, await registryNode('ghcr.io'));
      return shown.includes('octo/tool') && shown;
    });
    assert.deepEqual(listed, ['octo/tool', 'octo/nested/thing', 'Add Repository…']);
    assert.ok(
      apis.log.some((r) => r.path.startsWith('/users/octo/packages') && r.authorization === `Bearer ${TOKEN}`),
      'the GHCR login’s token went to the packages API',
    );
    assert.ok(apis.log.filter((r) => r.path.startsWith('/v2/namespaces/')).every((r) => !r.authorization));
  });
});

/** An image whose creation time is in its manifest annotation or only in its config. */
async function pushDated(target: Target, tag: string, created: string, where: 'annotation' | 'config'): Promise<void> {
  const config = Buffer.from(
    JSON.stringify({
      ...(where === 'config' ? { created } : {}),
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const configDescriptor: Descriptor = {
    mediaType: MediaType.ociConfig,
    digest: digestOf(config),
    size: config.length,
  };
  await target.pushBlob(configDescriptor, async (offset) => Readable.from([config.subarray(offset)]));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers: [],
      ...(where === 'annotation' ? { annotations: { [Annotation.created]: created } } : {}),
    }),
  );
  await target.pushManifest(
    { mediaType: MediaType.ociManifest, digest: digestOf(manifest), size: manifest.length },
    manifest,
    { tag },
  );
}
