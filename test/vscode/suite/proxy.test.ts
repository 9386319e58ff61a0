// VS Code's proxy settings reach Stowage's requests: with `http.proxy` set, the Registries view lists a registry
// through the proxy (a recording forward proxy the test owns, which alone can resolve the registry's name), and
// a host in `http.noProxy` is reached directly.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ErrorNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { startForwardProxy, type ForwardProxy } from '../../fixtures/forwardProxy';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { children, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const PROXIED_NAME = 'registry.behind-proxy.invalid';

describe('VS Code proxy settings', function () {
  this.timeout(90_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let proxy: ForwardProxy;
  let host: string;
  const http = () => vscode.workspace.getConfiguration('http');

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    await pushTextArtifact(registryTarget(registry, 'proxied/app'), { 'a.txt': 'a\n' }, { tag: 'v1' });
    host = `${PROXIED_NAME}:${registry.host.split(':')[1]}`;
    proxy = await startForwardProxy({ [host]: registry.host });
  });

  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    await setRegistries([]);
    await proxy.close();
    await registry.stop();
  });

  async function registryNode(): Promise<RegistryNode> {
    return waitFor('the registry in the view', async () =>
      (await children(api.registries)).find((n): n is RegistryNode => n.type === 'registry' && n.setting.host === host),
    );
  }

  it('lists a registry through the proxy http.proxy names', async () => {
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await setRegistries([{ host, plainHttp: true }]);
    const listed = await labels(api.registries, await registryNode());
    assert.ok(listed.includes('proxied/app'), JSON.stringify(listed));
    assert.ok(proxy.seen.includes(host), JSON.stringify(proxy.seen));
  });

  it('reaches a host in http.noProxy directly (here: it cannot resolve the name only the proxy knows)', async () => {
    await http().update('noProxy', [PROXIED_NAME], vscode.ConfigurationTarget.Global);
    proxy.seen.length = 0;
    api.registries.refresh();
    const [first] = await children(api.registries, await registryNode());
    assert.equal(first?.type, 'error', JSON.stringify(first));
    assert.match((first as ErrorNode).message, /ENOTFOUND|cannot reach|could not reach/i);
    assert.deepEqual(proxy.seen, []);
  });
});
