// Loads started from the editor end when they stop mattering: refreshing a tree node ends the loads under it, and
// closing a referrer-graph panel ends its walk. Proven from the registry's side: a scripted registry that never
// answers some requests sees those requests closed by the client.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ManifestNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';
import { HANGING_PLATFORM_DIGEST, startHangingRegistry } from '../../fixtures/hangingRegistry';
import { startRegistry } from '../../fixtures/registry';

describe('Walks started from the editor', function () {
  this.timeout(90_000);
  let api: StowageApi;
  let registry: Awaited<ReturnType<typeof startHangingRegistry>>;

  before(async () => {
    api = await stowageApi();
    registry = await startHangingRegistry();
    // Naming tags reads their manifests behind the tree; these tests count only the walks' own requests.
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.describeTags', false, vscode.ConfigurationTarget.Global);
    await setRegistries([{ host: registry.host, plainHttp: true }]);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.describeTags', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await registry.close();
  });

  async function repositoryNode(name = 'app') {
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    return child(api.registries, root, name);
  }

  it('refreshing a node ends the loads running under it: the registry sees its unanswered request closed', async () => {
    const repository = await repositoryNode();
    const slow = await child(api.registries, repository, 'slow');
    const before = registry.hanging.length;
    const load = api.registries.getChildren(slow).then(
      () => 'settled',
      () => 'settled',
    );
    await waitFor('the request that is never answered', () => registry.hanging.length > before);
    const request = registry.hanging[registry.hanging.length - 1];
    assert.equal(request.path, '/v2/app/manifests/slow');

    api.registries.refresh(repository);
    await waitFor('the client to close the unanswered request', () => request.closed);
    assert.equal(await load, 'settled', 'the node load ended');
  });

  it('refreshing one registry (Retry, a login) leaves the loads under another registry running', async () => {
    const other = await startRegistry({ variant: 'plain' });
    const describeTags = vscode.workspace.getConfiguration('stowage').inspect('tree.describeTags')?.globalValue;
    try {
      await vscode.workspace
        .getConfiguration('stowage')
        .update('tree.describeTags', true, vscode.ConfigurationTarget.Global);
      await setRegistries([
        { host: registry.host, plainHttp: true },
        { host: other.host, plainHttp: true },
      ]);
      const repository = await repositoryNode();
      const before = registry.hanging.length;
      // Drawing the tag starts naming it behind the tree: a manifest read that this registry never answers.
      api.registries.getTreeItem(await child(api.registries, repository, 'slow'));
      await waitFor('the tag’s description to be asked', () => registry.hanging.length > before);
      const request = registry.hanging[registry.hanging.length - 1]!;
      assert.equal(request.path, '/v2/app/manifests/slow');

      const otherNode = (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === other.host,
      );
      assert.ok(otherNode);
      api.registries.refresh(otherNode);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(request.closed, false, 'refreshing the other registry closed a read of this one');

      api.registries.refresh(repository);
      await waitFor('the read to end once its own repository is refreshed', () => request.closed);
    } finally {
      await vscode.workspace
        .getConfiguration('stowage')
        .update('tree.describeTags', describeTags, vscode.ConfigurationTarget.Global);
      await setRegistries([{ host: registry.host, plainHttp: true }]);
      await other.stop();
    }
  });

  it('a name being fetched for a row when its repository is refreshed is fetched again when the row is drawn again', async () => {
    const repository = await repositoryNode('indexes');
    const platformRead = `/v2/indexes/manifests/${HANGING_PLATFORM_DIGEST}`;
    const reads = () => registry.hanging.filter((request) => request.path === platformRead);
    const drawPlatformRow = async () => {
      const [platform] = await children(api.registries, await child(api.registries, repository, 'multi'));
      assert.equal(platform?.type, 'manifest', JSON.stringify(platform));
      api.registries.getTreeItem(platform!); // drawing it starts naming it behind the tree
    };
    const before = reads().length;
    await drawPlatformRow();
    await waitFor('the platform manifest to be asked for its name', () => reads().length === before + 1);

    api.registries.refresh(repository);
    await waitFor('the refresh to end that read', () => reads().every((request) => request.closed));
    // Cut short is not failed: a failure is remembered (no read again for the session), a cancellation is not.
    await drawPlatformRow();
    await waitFor('the name to be asked again for the redrawn row', () => reads().length === before + 2);
    api.registries.refresh(repository);
  });

  it('closing a referrer-graph panel ends its walk: every unanswered request of it is closed', async () => {
    const repository = await repositoryNode();
    const tag = (await child(api.registries, repository, 'v1')) as ManifestNode;
    const before = registry.hanging.length;
    await vscode.commands.executeCommand('stowage.graph.show', tag);
    await waitFor('the graph walk to wait on the referrers', () => registry.hanging.length > before);
    const walk = registry.hanging.slice(before);
    assert.ok(
      walk.every((request) => request.path.startsWith('/v2/app/referrers/')),
      JSON.stringify(walk),
    );

    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the client to close the walk’s requests', () =>
      registry.hanging.slice(before).every((request) => request.closed),
    );
  });
});
