// Loads started from the editor end when they stop mattering: refreshing a tree node ends the loads under it, and
// closing a referrer-graph panel ends its walk. Proven from the registry's side: a scripted registry that never
// answers some requests sees those requests closed by the client.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ManifestNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';
import { startHangingRegistry } from '../../fixtures/hangingRegistry';

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

  async function repositoryNode() {
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    return child(api.registries, root, 'app');
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
