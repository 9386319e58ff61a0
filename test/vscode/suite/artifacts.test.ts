// How artifacts look in the tree beyond plain manifests: indexes by platform, binary blobs as summaries, a TLS
// failure offering "Set CA File…", and layouts listed through the setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ErrorNode, LayoutNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushBinaryArtifact, pushIndex, pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Artifacts in the tree', function () {
  this.timeout(120_000);
  let api: StowageApi;
  const registries: TestRegistry[] = [];

  before(async () => {
    api = await stowageApi();
  });

  afterEach(async () => {
    await setRegistries([]);
    await vscode.workspace.getConfiguration('stowage').update('layouts', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await Promise.all(registries.map((r) => r.stop()));
  });

  async function registryNode(host: string): Promise<RegistryNode> {
    return waitFor(`registry ${host}`, async () =>
      (await children(api.registries)).find((n): n is RegistryNode => n.type === 'registry' && n.setting.host === host),
    );
  }

  it('an index shows its platform manifests as os/arch[/variant], each expanding to its layers; the tooltip tells the probed capabilities', async () => {
    const registry = await startRegistry({ variant: 'plain' });
    registries.push(registry);
    const target = registryTarget(registry, 'multi/app');
    const amd64 = await pushTextArtifact(target, { 'amd64.txt': 'x86' });
    const arm64 = await pushTextArtifact(target, { 'arm64.txt': 'arm' });
    await pushIndex(
      target,
      [
        { descriptor: amd64.descriptor, platform: { os: 'linux', architecture: 'amd64' } },
        { descriptor: arm64.descriptor, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
      'multi',
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['multi/app'] }]);

    const root = await registryNode(registry.host);
    const tag = await child(api.registries, await child(api.registries, root, 'multi/app'), 'multi');
    assert.deepEqual(await labels(api.registries, tag), ['linux/amd64', 'linux/arm64/v8']);
    const arm = await child(api.registries, tag, 'linux/arm64/v8');
    assert.deepEqual(await labels(api.registries, arm), ['config', 'arm64.txt']);

    const item = await api.registries.resolveTreeItem(
      api.registries.getTreeItem(root),
      root,
      new vscode.CancellationTokenSource().token,
    );
    assert.match(String(item.tooltip), /Referrers API: no \(fallback tags are used\)/);
    assert.match(String(item.tooltip), /Catalog: yes/);
    assert.match(String(item.tooltip), /Credentials: anonymous/);
  });

  it('a binary layer opens as a summary naming its digest, media type and size', async () => {
    const registry = await startRegistry({ variant: 'plain' });
    registries.push(registry);
    const bytes = Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]);
    const seeded = await pushBinaryArtifact(registryTarget(registry, 'bin/app'), 'firmware.bin', bytes, 'v1');
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['bin/app'] }]);
    const tag = await child(
      api.registries,
      await child(api.registries, await registryNode(registry.host), 'bin/app'),
      'v1',
    );
    const layer = await child(api.registries, tag, 'firmware.bin');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.blob.open', layer);
    const text = document.getText();
    assert.ok(text.includes(seeded.manifest.layers[0]!.digest), text);
    assert.match(text, /Media type: application\/octet-stream/);
    assert.match(text, /Size: 8 B \(8 bytes\)/);
    assert.match(text, /binary content; not shown/);
  });

  it('a TLS registry whose CA is unknown shows Set CA File…; after choosing the CA it asks for a login instead', async () => {
    const registry = await startRegistry({ variant: 'basic-tls' });
    registries.push(registry);
    await setRegistries([{ host: registry.host }]);
    const [error] = await children(api.registries, await registryNode(registry.host));
    assert.equal((error as ErrorNode | undefined)?.step, 'setCaFile', JSON.stringify(error));
    assert.equal(api.registries.getTreeItem(error!).description, 'Set CA File…');

    await answering(api, new ScriptedPrompts().thenFolder(registry.caFile!), () =>
      vscode.commands.executeCommand('stowage.tree.errorAction', error),
    );
    const configured = vscode.workspace
      .getConfiguration('stowage')
      .get<{ host: string; caFile?: string }[]>('registries');
    assert.equal(configured?.[0]?.caFile, registry.caFile);
    const next = await waitFor('the login error after trusting the CA', async () => {
      const [first] = await children(api.registries, await registryNode(registry.host));
      return first?.type === 'error' && (first as ErrorNode).step === 'login' && first;
    });
    assert.ok(next);
  });

  it('a registry that asks for a client certificate (mutual TLS) offers Set Client Certificate…, after which it asks for a login', async () => {
    const registry = await startRegistry({ variant: 'basic-tls', mutualTls: true });
    registries.push(registry);
    await setRegistries([{ host: registry.host, caFile: registry.caFile }]);
    const [refused] = await children(api.registries, await registryNode(registry.host));
    assert.equal((refused as ErrorNode | undefined)?.step, 'setClientCertificate', JSON.stringify(refused));
    assert.match((refused as ErrorNode).message, /if it asks for a client certificate \(mutual TLS\), set one for it$/);
    assert.equal(api.registries.getTreeItem(refused!).description, 'Set Client Certificate…');

    const { certFile, keyFile } = registry.clientCertificate!;
    await answering(api, new ScriptedPrompts().thenFolder(certFile).thenFolder(keyFile), () =>
      vscode.commands.executeCommand('stowage.tree.errorAction', refused),
    );
    const configured = vscode.workspace
      .getConfiguration('stowage')
      .get<{ host: string; certFile?: string; keyFile?: string }[]>('registries');
    assert.deepEqual([configured?.[0]?.certFile, configured?.[0]?.keyFile], [certFile, keyFile]);
    const next = await waitFor('the login error once the client certificate is shown', async () => {
      const [first] = await children(api.registries, await registryNode(registry.host));
      return first?.type === 'error' && (first as ErrorNode).step === 'login' && first;
    });
    assert.ok(next, 'the registry answered: it asks for a login now');
  });

  it('a registry configured as TLS that answers in plain HTTP offers Use Plain HTTP…, which lists it', async () => {
    const registry = await startRegistry({ variant: 'plain' });
    registries.push(registry);
    await pushTextArtifact(registryTarget(registry, 'plain/app'), { 'a.txt': 'a' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host }]);
    const [error] = await children(api.registries, await registryNode(registry.host));
    assert.equal((error as ErrorNode | undefined)?.step, 'usePlainHttp', JSON.stringify(error));
    assert.match((error as ErrorNode).message, /answers in plain HTTP/);
    assert.equal(api.registries.getTreeItem(error!).description, 'Use Plain HTTP…');

    await vscode.commands.executeCommand('stowage.tree.errorAction', error);
    const configured = vscode.workspace
      .getConfiguration('stowage')
      .get<{ host: string; plainHttp?: boolean }[]>('registries');
    assert.equal(configured?.[0]?.plainHttp, true);
    const repository = await waitFor('the repository once plain HTTP is used', async () => {
      const [first] = await children(api.registries, await registryNode(registry.host));
      return first?.type === 'repository' && first;
    });
    assert.ok(repository);
  });

  it('a registry configured as plain HTTP that speaks only HTTPS offers Use HTTPS, after which its CA is what is missing', async () => {
    const registry = await startRegistry({ variant: 'basic-tls' });
    registries.push(registry);
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const [error] = await children(api.registries, await registryNode(registry.host));
    assert.equal((error as ErrorNode | undefined)?.step, 'useHttps', JSON.stringify(error));
    assert.equal(api.registries.getTreeItem(error!).description, 'Use HTTPS');

    await vscode.commands.executeCommand('stowage.tree.errorAction', error);
    const configured = vscode.workspace
      .getConfiguration('stowage')
      .get<{ host: string; plainHttp?: boolean }[]>('registries');
    assert.equal(configured?.[0]?.plainHttp, undefined);
    const next = await waitFor('the CA error once HTTPS is used', async () => {
      const [first] = await children(api.registries, await registryNode(registry.host));
      return first?.type === 'error' && (first as ErrorNode).step === 'setCaFile' && first;
    });
    assert.ok(next);
  });

  it('Use Plain HTTP… for a host off this machine asks first, saying what is and is not sent, and changes nothing when declined', async () => {
    await setRegistries([{ host: 'lan.example:5000' }]);
    const node = await registryNode('lan.example:5000');
    const declined = new ScriptedPrompts().thenConfirm(false);
    assert.equal(
      await answering(api, declined, () => vscode.commands.executeCommand('stowage.registry.usePlainHttp', node)),
      false,
    );
    assert.match(declined.asked[0]?.confirm?.message ?? '', /Talk plain HTTP to lan\.example:5000\?/);
    const detail = declined.asked[0]?.confirm?.detail ?? '';
    assert.match(
      detail,
      /Stowage will talk to lan\.example:5000 without TLS: what you pull and push, and the short-lived access tokens it is given, cross the network unencrypted/,
    );
    assert.match(
      detail,
      /Your password and tokens are not sent to it, nor to any token service it names, unless it is on this machine or you set "allowCredentialsOverHttp" for it/,
    );
    assert.equal(
      vscode.workspace.getConfiguration('stowage').get<{ plainHttp?: boolean }[]>('registries')?.[0]?.plainHttp,
      undefined,
    );
    await answering(api, new ScriptedPrompts().thenConfirm(true), () =>
      vscode.commands.executeCommand('stowage.registry.usePlainHttp', node),
    );
    assert.equal(
      vscode.workspace.getConfiguration('stowage').get<{ plainHttp?: boolean }[]>('registries')?.[0]?.plainHttp,
      true,
    );

    await setRegistries([{ host: 'lan.example:5000', allowCredentialsOverHttp: true }]);
    const allowedNode = await registryNode('lan.example:5000');
    const allowed = new ScriptedPrompts().thenConfirm(false);
    await answering(api, allowed, () => vscode.commands.executeCommand('stowage.registry.usePlainHttp', allowedNode));
    assert.match(
      allowed.asked[0]?.confirm?.detail ?? '',
      /Because "allowCredentialsOverHttp" is set for lan\.example:5000, your password or token IS sent to it over plain HTTP/,
    );
  });

  it('layouts listed in stowage.layouts appear outside the workspace; Add Layout Folder… refuses a folder that is not a layout', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-layout-'));
    try {
      const layout = await LayoutTarget.open(path.join(outside, 'listed'), { create: true });
      await pushTextArtifact(layout, { 'x.txt': 'x' }, { tag: 'listed' });
      await answering(api, new ScriptedPrompts().thenFolder(path.join(outside, 'listed')), () =>
        vscode.commands.executeCommand('stowage.layout.addFolder'),
      );
      const node = await waitFor('the listed layout', async () =>
        (await children(api.layouts)).find(
          (n): n is LayoutNode => n.type === 'layout' && n.store.path === path.join(outside, 'listed'),
        ),
      );
      assert.equal(node.fromSetting, true);
      assert.deepEqual(await labels(api.layouts, node), ['listed']);

      fs.mkdirSync(path.join(outside, 'plain-folder'));
      const refused = new ScriptedPrompts().thenFolder(path.join(outside, 'plain-folder'));
      assert.equal(
        await answering(api, refused, () => vscode.commands.executeCommand('stowage.layout.addFolder')),
        undefined,
      );
      assert.match(refused.notifications[0]?.message ?? '', /is not an OCI image layout/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
