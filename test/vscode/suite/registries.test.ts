// The Registries view against real registries started by the test: browsing, login over TLS (also from another
// window), failures as error nodes, delete with confirmation. Registries are the harness's CNCF distribution.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { freezeProcess, thawProcess } from '../../fixtures/freezeProcess';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ErrorNode, ManifestNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushBinaryArtifact, pushIndex, pushTextArtifact, registryTarget } from './helpers/seed';
import { OciError } from '../../../src/core/oci/errors';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { fallbackTagOf, fetchFallbackIndex } from '../../../src/core/graph/referrers';
import { addToFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { attachBytes } from '../../../src/core/supplyChain';
import { answering, child, children, label, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Registries view', function () {
  this.timeout(120_000);
  let api: StowageApi;
  const registries: TestRegistry[] = [];

  before(async () => {
    api = await stowageApi();
  });

  afterEach(async () => {
    await setRegistries([]);
    await vscode.workspace
      .getConfiguration('stowage.log')
      .update('verboseHttp', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await Promise.all(registries.map((r) => r.stop()));
  });

  async function start(variant: 'plain' | 'basic-tls' | 'token'): Promise<TestRegistry> {
    const registry = await startRegistry({ variant });
    registries.push(registry);
    return registry;
  }

  async function registryNode(host: string): Promise<RegistryNode> {
    return waitFor(`registry ${host} in the view`, async () =>
      (await children(api.registries)).find((n): n is RegistryNode => n.type === 'registry' && n.setting.host === host),
    );
  }

  it('a registry configured in settings expands to its repositories, tags and a manifest’s config and layers', async () => {
    const registry = await start('plain');
    await pushTextArtifact(
      registryTarget(registry, 'team/app'),
      { 'readme.txt': 'hello\n', 'notes.md': '# notes\n' },
      { tag: 'v1' },
    );
    await pushTextArtifact(registryTarget(registry, 'team/app'), { 'readme.txt': 'newer\n' }, { tag: 'v2' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);

    const root = await registryNode(registry.host);
    const repositories = await labels(api.registries, root);
    assert.ok(repositories.includes('team/app'), JSON.stringify(repositories));
    const repository = await child(api.registries, root, 'team/app');
    assert.deepEqual(await labels(api.registries, repository), ['v2', 'v1']);
    const v1 = await child(api.registries, repository, 'v1');
    assert.deepEqual(await labels(api.registries, v1), ['config', 'readme.txt', 'notes.md']);
    const readme = await child(api.registries, v1, 'readme.txt');
    assert.match(String(api.registries.getTreeItem(readme).description), /6 B/);
  });

  it('a registry with TLS verification turned off is marked as such in the tree, and only that one', async () => {
    const registry = await start('basic-tls');
    await setRegistries([
      { host: registry.host, skipTlsVerify: true, name: 'unverified' },
      { host: '127.0.0.1:9', name: 'verified' },
    ]);
    const unverified = await registryNode(registry.host);
    const item = api.registries.getTreeItem(unverified);
    assert.match(String(item.description), /TLS not verified/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    const resolved = await api.registries.resolveTreeItem(item, unverified, new vscode.CancellationTokenSource().token);
    assert.match(String(resolved.tooltip), /TLS certificate NOT verified/);
    const verified = await registryNode('127.0.0.1:9');
    assert.doesNotMatch(String(api.registries.getTreeItem(verified).description ?? ''), /TLS not verified/);
  });

  it('a registry set up from its error rows (Use HTTPS, Set CA File…, Log In…) notifies once, not once per step; once it lists, a later failure notifies again', async () => {
    const registry = await start('basic-tls');
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    /** The registry's first row once it is an error offering `step`. */
    const errorOffering = (step: string) =>
      waitFor(`the error row offering ${step}`, async () => {
        const [first] = await children(api.registries, await registryNode(registry.host));
        return first?.type === 'error' && (first as ErrorNode).step === step ? first : undefined;
      });
    const settingUp = new ScriptedPrompts()
      .thenFolder(registry.caFile!)
      .thenInput(registry.username)
      .thenInput(registry.password);
    await answering(api, settingUp, async () => {
      await vscode.commands.executeCommand('stowage.tree.errorAction', await errorOffering('useHttps'));
      await vscode.commands.executeCommand('stowage.tree.errorAction', await errorOffering('setCaFile'));
      await vscode.commands.executeCommand('stowage.tree.errorAction', await errorOffering('login'));
      await waitFor('the registry listing after login', async () => {
        const [first] = await children(api.registries, await registryNode(registry.host));
        return first !== undefined && first.type !== 'error';
      });
    });
    assert.deepEqual(
      settingUp.notifications.map((n) => [n.severity, n.actions]),
      [
        ['error', ['Use HTTPS']],
        ['info', []], // "Logged in to …": the login said when it is done
      ],
    );

    const later = new ScriptedPrompts();
    await answering(api, later, async () => {
      await api.changeLoginAsAnotherWindow(registry.host, undefined);
      await errorOffering('login');
    });
    assert.deepEqual(
      later.notifications.map((n) => [n.severity, n.actions]),
      [['error', ['Log In…']]],
    );
  });

  it('a registry with Basic auth over TLS shows an error node with Log In…, then expands after login; the password stays out of settings and the log', async () => {
    const registry = await start('basic-tls');
    await pushTextArtifact(registryTarget(registry, 'private/app'), { 'secret.txt': 'classified\n' }, { tag: 'v1' });
    // Every request in the log (at Info), so that the check below reads each line that could hold a secret.
    await vscode.workspace
      .getConfiguration('stowage.log')
      .update('verboseHttp', true, vscode.ConfigurationTarget.Global);
    await setRegistries([{ host: registry.host, caFile: registry.caFile }]);

    const root = await registryNode(registry.host);
    const watching = new ScriptedPrompts();
    // Expanded twice: one error node each time, but only one notification (no toast storm).
    const [error] = await answering(api, watching, async () => {
      await children(api.registries, root);
      return children(api.registries, root);
    });
    assert.equal(error?.type, 'error', `expected an error node, got ${JSON.stringify(error)}`);
    assert.equal((error as ErrorNode).step, 'login');
    assert.deepEqual(
      watching.notifications.map((n) => [n.severity, n.actions]),
      [['error', ['Log In…']]],
    );
    assert.equal(api.registries.getTreeItem(error!).description, 'Log In…');
    // A screen reader hears what Enter does on the row, not the tooltip's "Click: Log In…".
    assert.match(api.registries.getTreeItem(error!).accessibilityInformation?.label ?? '', /, Enter: Log In…$/);

    // A wrong password is checked with the registry first: refused, nothing saved, and asked again in place (the
    // user name kept, the registry's answer above it); giving up there leaves the registry as it was.
    const wrong = new ScriptedPrompts().thenInput(registry.username).thenInput('not-the-password').thenInput(undefined);
    await answering(api, wrong, () => vscode.commands.executeCommand('stowage.tree.errorAction', error));
    const askedAgain = wrong.asked.filter((q) => q.kind === 'input')[2]!;
    assert.equal(askedAgain.value, registry.username, 'the user name is kept');
    assert.equal(
      askedAgain.prompt,
      `${registry.host} refused the credentials of ${registry.username}; nothing was saved. Try again. Username (leave it empty for an identity token)`,
    );
    assert.deepEqual(wrong.notifications, [], 'said in the login box, not in a toast');
    const [stillError] = await children(api.registries, await registryNode(registry.host));
    assert.equal((stillError as ErrorNode | undefined)?.step, 'login', 'nothing was saved');

    // Clicking the error node runs its action: the login command, answered by the test; Back from the password to
    // the user name (kept), a typo, then the password. Each round is numbered 1/2, 2/2.
    const prompts = new ScriptedPrompts()
      .thenInput(registry.username)
      .thenBack('input')
      .thenKeep('input')
      .thenInput('a-typo')
      .thenInput(registry.username)
      .thenInput(registry.password);
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.tree.errorAction', error));
    assert.equal(prompts.asked.filter((q) => q.prompt === 'Password or access token').length, 3);
    assert.deepEqual(prompts.stepsShown, ['1/2', '2/2', '1/2', '2/2', '1/2', '2/2']);
    assert.equal(prompts.asked[2]!.value, registry.username, 'Back keeps the user name typed');

    const afterLogin = await registryNode(registry.host);
    const repository = await waitFor('repositories after login', async () => {
      const all = await children(api.registries, afterLogin);
      return all.find((n) => label(api.registries, n) === 'private/app');
    });
    assert.deepEqual(await labels(api.registries, repository), ['v1']);

    const item = await api.registries.resolveTreeItem(
      api.registries.getTreeItem(afterLogin),
      afterLogin,
      new vscode.CancellationTokenSource().token,
    );
    assert.match(String(item.tooltip), /Credentials: Stowage login \(SecretStorage\)/);

    const password = registry.password!;
    const config = vscode.workspace.getConfiguration('stowage');
    assert.ok(!JSON.stringify(config.inspect('registries')).includes(password), 'the password is in the settings');
    const logFile = path.join(api.logUri.fsPath, 'Stowage.log');
    const log = await waitFor('HTTP requests in the Stowage log', () => {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      return text.includes(`https://${registry.host}/v2/`) && text;
    });
    assert.ok(!log.includes(password), 'the password is in the log');
    assert.ok(
      !log.includes(Buffer.from(`${registry.username}:${password}`).toString('base64')),
      'the Basic credentials are in the log',
    );

    await vscode.commands.executeCommand('stowage.registry.logout', afterLogin);
    const afterLogout = await registryNode(registry.host);
    const [again] = await children(api.registries, afterLogout);
    assert.equal(again?.type, 'error', 'after logout the registry asks for a login again');
  });

  it('Log In… and Log Out redraw the registry row so that its menu offers Log Out exactly while a login is stored, without a refresh of the view, and each says what it did', async () => {
    const registry = await start('basic-tls');
    await setRegistries([{ host: registry.host, caFile: registry.caFile }]);
    const root = await registryNode(registry.host);
    // VS Code redraws the row it was told about from the same node: no root listing in between (that hid it).
    const menuTokens = () => String(api.registries.getTreeItem(root).contextValue).split(' ');
    const redrawn = (what: string) =>
      waitFor(what, () => menuTokens().includes(what === 'Log Out offered' ? 'logged-in' : 'logged-out'));
    assert.ok(menuTokens().includes('logged-out'), menuTokens().join(' '));

    const prompts = new ScriptedPrompts().thenInput(registry.username).thenInput(registry.password);
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.registry.login', root));
    await redrawn('Log Out offered');
    // Announced (a notification is read out), not only a row redrawn out of sight.
    assert.deepEqual(
      prompts.notifications.map((n) => `${n.severity}: ${n.message}`),
      [
        `info: Logged in to ${registry.host} as ${registry.username}; the credentials are kept in VS Code's secret storage.`,
      ],
    );

    const out = new ScriptedPrompts();
    await answering(api, out, () => vscode.commands.executeCommand('stowage.registry.logout', root));
    await redrawn('Log Out no longer offered');
    assert.deepEqual(
      out.notifications.map((n) => `${n.severity}: ${n.message}`),
      [`info: Logged out of ${registry.host}: the login Stowage stored is removed (docker and podman logins stay).`],
    );
  });

  it('Log In… with no user name takes an identity token, checks it with the registry, and saves it', async () => {
    const registry = await start('token');
    await pushTextArtifact(registryTarget(registry, 'token/app'), { 'a.txt': 'a\n' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const root = await registryNode(registry.host);
    const [error] = await answering(api, new ScriptedPrompts(), () => children(api.registries, root));
    assert.equal((error as ErrorNode | undefined)?.step, 'login', JSON.stringify(error));

    const token = registry.tokenServer!.issueRefreshToken(registry.username!);
    const prompts = new ScriptedPrompts().thenInput('').thenInput(token);
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.tree.errorAction', error));
    assert.ok(
      prompts.asked.some((q) => q.prompt === 'Identity token'),
      JSON.stringify(prompts.asked),
    );
    assert.deepEqual(
      prompts.notifications.map((n) => n.message),
      [`Logged in to ${registry.host} with an identity token; the credentials are kept in VS Code's secret storage.`],
      'no warning: the login is said, nothing else',
    );
    const repositories = await waitFor('repositories after the token login', async () => {
      const names = await labels(api.registries, await registryNode(registry.host));
      return names.includes('token/app') && names;
    });
    assert.ok(repositories);
    assert.ok(
      registry.tokenServer!.requests.some((r) => r.method === 'POST'),
      'access tokens came from the refresh token',
    );
    await vscode.commands.executeCommand('stowage.registry.logout', await registryNode(registry.host));
  });

  it('a login stored in SecretStorage by another window refreshes that registry: its login error turns into repositories without a refresh', async () => {
    const registry = await start('basic-tls');
    await pushTextArtifact(registryTarget(registry, 'elsewhere/app'), { 'a.txt': 'a\n' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, caFile: registry.caFile }]);

    const root = await registryNode(registry.host);
    const [error] = await answering(api, new ScriptedPrompts(), () => children(api.registries, root));
    assert.equal((error as ErrorNode | undefined)?.step, 'login', JSON.stringify(error));

    const redrawn: (string | undefined)[] = [];
    const listening = api.registries.onDidChangeTreeData((node) => redrawn.push(node?.id));
    try {
      // What another window's login leaves behind: the secret under Stowage's key, with no command run here.
      await api.changeLoginAsAnotherWindow(registry.host, { username: registry.username, password: registry.password });
      // The registry's own node is redrawn (a whole-view refresh would fire `undefined`).
      await waitFor('the registry node redrawn after the secret changed', () => redrawn.includes(root.id));
      const repositories = await labels(api.registries, root);
      assert.ok(repositories.includes('elsewhere/app'), JSON.stringify(repositories));
    } finally {
      listening.dispose();
      await api.changeLoginAsAnotherWindow(registry.host, undefined);
    }
  });

  it('a login another window stored for a host written with capital letters (saved lower-cased) logs this window in, and its logout out', async () => {
    const registry = await start('basic-tls');
    await pushTextArtifact(registryTarget(registry, 'capitals/app'), { 'a.txt': 'a\n' }, { tag: 'v1' });
    const port = registry.host.split(':')[1]!;
    // The certificate names localhost too; the setting is written as a user might type it.
    await setRegistries([{ host: `LocalHost:${port}`, caFile: registry.caFile }]);
    const root = await registryNode(`localhost:${port}`);
    const loginError = async () => {
      const [first] = await answering(api, new ScriptedPrompts(), () => children(api.registries, root));
      return (first as ErrorNode | undefined)?.step === 'login';
    };
    assert.ok(await loginError(), 'no login yet');

    const redrawn: (string | undefined)[] = [];
    const listening = api.registries.onDidChangeTreeData((node) => redrawn.push(node?.id));
    try {
      await api.changeLoginAsAnotherWindow(`LocalHost:${port}`, {
        username: registry.username,
        password: registry.password,
      });
      await waitFor('the registry node redrawn after the login', () => redrawn.includes(root.id));
      const repositories = await labels(api.registries, root);
      assert.ok(repositories.includes('capitals/app'), JSON.stringify(repositories));
      redrawn.length = 0;
      await api.changeLoginAsAnotherWindow(`LOCALHOST:${port}`, undefined);
      await waitFor('the registry node redrawn after the logout', () => redrawn.includes(root.id));
      assert.ok(await loginError(), 'the logout of another window logged this one out');
    } finally {
      listening.dispose();
      await api.changeLoginAsAnotherWindow(`localhost:${port}`, undefined);
    }
  });

  it('palette pickers still offer the repositories the view listed after a settings change redrew it', async () => {
    const registry = await start('plain');
    await pushTextArtifact(registryTarget(registry, 'remembered/app'), { 'a.txt': 'a' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    await child(api.registries, await registryNode(registry.host), 'remembered/app');
    // A settings change redraws the view, forgetting its nodes; a hidden view never lists them again.
    await setRegistries([{ host: registry.host, plainHttp: true, name: 'renamed' }]);
    const prompts = new ScriptedPrompts().thenPick('remembered/app').thenPick('Choose tags…').thenPickMany([]);
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.repository.backup'));
    const offered = prompts.asked[0]!.items!.map((i) => `${i.label} ${i.description ?? ''}`);
    assert.ok(offered.includes(`remembered/app ${registry.host}`), JSON.stringify(offered));
  });

  it('palette pickers list a registry’s repositories the view has not listed yet (never expanded)', async () => {
    const registry = await start('plain');
    await pushTextArtifact(registryTarget(registry, 'unseen/app'), { 'a.txt': 'a' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const prompts = new ScriptedPrompts().thenPick('unseen/app').thenPick('Choose tags…').thenPickMany([]);
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.repository.backup'));
    const offered = prompts.asked[0]!.items!.map((i) => `${i.label} ${i.description ?? ''}`);
    assert.ok(offered.includes(`unseen/app ${registry.host}`), JSON.stringify(offered));
  });

  it('palette registry pickers list only the registries the command applies to, and say so when none does', async () => {
    const loggedIn = '127.0.0.2:9';
    await setRegistries([
      { host: '127.0.0.1:9', plainHttp: true, repositories: ['pinned/app'] },
      { host: loggedIn },
      { host: 'ghcr.io', name: 'GHCR' },
    ]);
    await api.changeLoginAsAnotherWindow(loggedIn, { username: 'u', password: 'p' });
    /** Runs `command` from the palette; the hosts its registry picker offered. */
    const offered = async (command: string, prompts: ScriptedPrompts): Promise<string[]> => {
      await answering(api, prompts, () => vscode.commands.executeCommand(command));
      return (prompts.asked[0]?.items ?? []).map((i) => i.description ?? i.label);
    };
    try {
      assert.deepEqual(await offered('stowage.registry.logout', new ScriptedPrompts().thenPick(loggedIn)), [loggedIn]);
      const plain = new ScriptedPrompts().thenPick('GHCR').thenConfirm(false);
      assert.deepEqual(await offered('stowage.registry.usePlainHttp', plain), [loggedIn, 'ghcr.io']);
      const pinned = new ScriptedPrompts().thenPick('127.0.0.1:9').thenPick('pinned/app').thenConfirm(false);
      assert.deepEqual(await offered('stowage.repository.remove', pinned), ['127.0.0.1:9']);
      const namespaces = new ScriptedPrompts().thenPick('GHCR').thenInput(undefined);
      assert.deepEqual(await offered('stowage.registry.setNamespaces', namespaces), ['ghcr.io']);

      // The login is gone (Log Out above), every registry is plain HTTP, none pins or has namespaces.
      await setRegistries([{ host: loggedIn, plainHttp: true }]);
      const told: Record<string, string> = {
        'stowage.registry.logout': 'No configured registry has a login stored by Stowage',
        'stowage.registry.usePlainHttp': 'Every configured registry already uses plain HTTP.',
        'stowage.repository.remove': 'No configured registry has pinned repositories',
        'stowage.registry.setNamespaces': 'Namespaces apply to Docker Hub and ghcr.io only',
      };
      for (const [command, message] of Object.entries(told)) {
        const prompts = new ScriptedPrompts();
        await answering(api, prompts, () => vscode.commands.executeCommand(command));
        assert.deepEqual(prompts.asked, [], `${command} showed no picker`);
        assert.equal(prompts.notifications.length, 1, command);
        assert.equal(prompts.notifications[0]!.severity, 'info');
        assert.ok(prompts.notifications[0]!.message.startsWith(message), prompts.notifications[0]!.message);
      }
    } finally {
      await api.changeLoginAsAnotherWindow(loggedIn, undefined);
    }
  });

  it('a stopped registry yields an error node with Retry, and Retry recovers once it is back', async () => {
    const registry = await start('plain');
    await pushTextArtifact(registryTarget(registry, 'down/app'), { 'a.txt': 'a' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    // Killed rather than stopped: stop() also removes its configuration, and restart() is wanted afterwards.
    process.kill(registry.pid!, 'SIGKILL');
    await waitFor('the registry to go down', () =>
      fetch(`${registry.url}/v2/`).then(
        () => false,
        () => true,
      ),
    );

    const root = await registryNode(registry.host);
    const [error] = await children(api.registries, root);
    assert.equal(error?.type, 'error');
    assert.equal((error as ErrorNode).step, 'retry');
    assert.equal(api.registries.getTreeItem(error!).description, 'Retry');

    await registry.restart();
    await vscode.commands.executeCommand('stowage.tree.errorAction', error);
    const recovered = await waitFor('the registry back after Retry', async () => {
      const all = await labels(api.registries, await registryNode(registry.host));
      return all.includes('down/app') && all;
    });
    assert.ok(recovered.includes('down/app'));
  });

  it('one registry frozen (its process stopped) does not hold up another: that one lists at once, the frozen one fails by the request deadline with Retry, which recovers once it runs', async () => {
    const limits = vscode.workspace.getConfiguration('stowage.limits');
    await limits.update('requestTimeoutSeconds', 3, vscode.ConfigurationTarget.Global);
    const healthy = await start('plain');
    const frozen = await start('plain');
    await pushTextArtifact(registryTarget(healthy, 'fine/app'), { 'a.txt': 'a' }, { tag: 'v1' });
    await pushTextArtifact(registryTarget(frozen, 'frozen/app'), { 'a.txt': 'a' }, { tag: 'v1' });
    await setRegistries([
      { host: frozen.host, plainHttp: true },
      { host: healthy.host, plainHttp: true },
    ]);
    await freezeProcess(frozen.pid!);
    try {
      const started = Date.now();
      const frozenChildren = children(api.registries, await registryNode(frozen.host));
      const healthyLabels = await labels(api.registries, await registryNode(healthy.host));
      const healthyAfter = Date.now() - started;
      assert.ok(healthyLabels.includes('fine/app'), JSON.stringify(healthyLabels));
      assert.ok(healthyAfter < 2000, `the healthy registry listed after ${healthyAfter} ms`);

      const [error] = await frozenChildren;
      const frozenAfter = Date.now() - started;
      assert.equal(error?.type, 'error', JSON.stringify(error));
      assert.equal((error as ErrorNode).step, 'retry');
      assert.match((error as ErrorNode).message, /did not finish answering .* within the request deadline of 3 s/);
      assert.ok(frozenAfter < 6000, `the frozen registry failed after ${frozenAfter} ms`);

      thawProcess(frozen.pid!);
      await vscode.commands.executeCommand('stowage.tree.errorAction', error);
      await waitFor('the frozen registry back after Retry', async () =>
        (await labels(api.registries, await registryNode(frozen.host))).includes('frozen/app'),
      );
    } finally {
      thawProcess(frozen.pid!);
      await limits.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a row that could not be named while its registry was down is named once the registry is back and its repository refreshed', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'outage/app');
    // Untagged: only the platform row names it (a tag row drawn would have read it already).
    const image = await pushTextArtifact(target, { 'a.txt': 'a' });
    await pushIndex(
      target,
      [{ descriptor: image.descriptor, platform: { os: 'linux', architecture: 'amd64' } }],
      'multi',
    );
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'outage/app');
    const platformRow = async () => {
      const [platform] = await children(api.registries, await child(api.registries, repository, 'multi'));
      assert.equal(platform?.type, 'manifest', JSON.stringify(platform));
      return platform!;
    };
    // A row's name arrives as a redraw of that row.
    const namedWithin = (node: TreeNode, ms: number) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          resolve(false);
        }, ms);
        const subscription = api.registries.onDidChangeTreeData((changed) => {
          if (changed?.id !== node.id) return;
          clearTimeout(timer);
          subscription.dispose();
          resolve(true);
        });
      });

    const listed = await platformRow();
    process.kill(registry.pid!, 'SIGKILL');
    await waitFor('the registry to go down', () =>
      fetch(`${registry.url}/v2/`).then(
        () => false,
        () => true,
      ),
    );
    const unnamed = namedWithin(listed, 2000);
    api.registries.getTreeItem(listed); // drawn: its name is asked of a registry that is down
    assert.equal(await unnamed, false);

    await registry.restart();
    api.registries.refresh(repository);
    const redrawn = await platformRow();
    const named = namedWithin(redrawn, 10_000);
    api.registries.getTreeItem(redrawn);
    assert.ok(await named, 'the row was named after the registry came back and the repository was refreshed');
  });

  it('over a long session the manifests read for the tree are let go for the repositories browsed longest ago', async () => {
    const registry = await start('plain');
    const repositories = Array.from({ length: 9 }, (_, i) => `session/r${i}`);
    const referrers: string[] = [];
    for (const repository of repositories) {
      const target = registryTarget(registry, repository);
      const subject = await pushTextArtifact(target, { 'a.txt': repository }, { tag: 'v1' });
      const sbom = await pushTextArtifact(
        target,
        { 'sbom.json': '{}' },
        {
          artifactType: MediaType.cyclonedx,
          subject: subject.descriptor,
        },
      );
      referrers.push(sbom.descriptor.digest);
    }
    await setRegistries([{ host: registry.host, plainHttp: true, repositories }]);
    const root = await registryNode(registry.host);
    // Expanding a tag reads its referrers' manifests (to judge them) through the reads the tree keeps per repository.
    const expandV1 = async (repository: string) =>
      children(api.registries, await child(api.registries, await child(api.registries, root, repository), 'v1'));
    const referrerReads = () =>
      registry
        .log()
        .split('\n')
        .filter((line) => line.includes(`GET /v2/session/r0/manifests/${referrers[0]}`)).length;
    await expandV1('session/r0');
    const first = referrerReads();
    assert.ok(first >= 1, 'the referrer was read to judge it');
    await expandV1('session/r0');
    assert.equal(referrerReads(), first, 'kept while its repository is among the recently browsed');

    for (const repository of repositories.slice(1)) await expandV1(repository);
    await expandV1('session/r0');
    assert.equal(referrerReads(), first + 1, 'let go once more repositories were browsed since, so read again');
  });

  it('Delete… asks for confirmation naming the digest and the tags, removes the manifest and the tree updates', async () => {
    const registry = await start('plain');
    const keep = await pushTextArtifact(registryTarget(registry, 'del/app'), { 'keep.txt': 'keep' }, { tag: 'keep' });
    const doomed = await pushTextArtifact(
      registryTarget(registry, 'del/app'),
      { 'doomed.txt': 'doomed' },
      { tag: 'doomed' },
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['del/app'] }]);

    const repository = await child(api.registries, await registryNode(registry.host), 'del/app');
    assert.deepEqual(await labels(api.registries, repository), ['doomed', 'keep']);
    const node = (await child(api.registries, repository, 'doomed')) as ManifestNode;

    const declined = new ScriptedPrompts().thenChoose(undefined);
    assert.equal(
      await answering(api, declined, () => vscode.commands.executeCommand<boolean>('stowage.artifact.delete', node)),
      false,
    );
    assert.ok(await registryTarget(registry, 'del/app').exists(doomed.descriptor), 'declining kept the manifest');

    const prompts = new ScriptedPrompts().thenChoose('Delete');
    assert.equal(
      await answering(api, prompts, () => vscode.commands.executeCommand<boolean>('stowage.artifact.delete', node)),
      true,
    );
    const question = prompts.asked[0]!.choose!;
    assert.ok(question.message.includes(doomed.descriptor.digest), question.message);
    assert.match(question.detail ?? '', /Tags removed with it: doomed\./);
    assert.deepEqual(question.actions, ['Delete'], 'nothing refers to it: no "with referrers" button');
    assert.equal(
      prompts.notifications.at(-1)?.message,
      `Deleted ${doomed.descriptor.digest} (tag doomed) from ${registry.host}/del/app.`,
      'it says what it did',
    );

    assert.equal(await registryTarget(registry, 'del/app').exists(doomed.descriptor), false);
    assert.ok(await registryTarget(registry, 'del/app').exists(keep.descriptor));
    const refreshed = await child(api.registries, await registryNode(registry.host), 'del/app');
    assert.deepEqual(await labels(api.registries, refreshed), ['keep']);
  });

  it('Delete… of a tag moved while the confirmation was open (to an index holding it) deletes nothing and says why', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'del/moved');
    const build = await pushTextArtifact(target, { 'build.txt': 'build' }, { tag: 'pr-1' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['del/moved'] }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'del/moved');
    const node = (await child(api.registries, repository, 'pr-1')) as ManifestNode;

    // While the question is open, CI makes pr-1 an index holding the build: deleted by digest, the build would
    // break that new content.
    let index: string | undefined;
    const prompts = new ScriptedPrompts().thenChooseAfter(async () => {
      index = (
        await pushIndex(
          target,
          [{ descriptor: build.descriptor, platform: { os: 'linux', architecture: 'amd64' } }],
          'pr-1',
        )
      ).digest;
    }, 'Delete');
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.delete', node));
    assert.match(prompts.asked[0]!.choose!.detail ?? '', /Tags removed with it: pr-1\./);
    assert.match(
      prompts.notifications.find((n) => n.severity === 'error')?.message ?? '',
      /tag pr-1 at .*del\/moved names sha256:[0-9a-f]{12} now, not sha256:[0-9a-f]{12} as when the delete was planned; nothing was deleted/,
    );
    assert.ok(await target.exists(build.descriptor), 'the build the new index holds stays');
    assert.equal((await target.resolve('pr-1')).digest, index);
  });

  it('a tag row says how big its artifact is once its manifest was read (config and layers as stored); an index once its platform manifests were read, with no read of its own', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'size/app');
    const big = await pushBinaryArtifact(target, 'big.bin', Buffer.alloc(300 * 1024, 1), 'big');
    const small = await pushBinaryArtifact(target, 'small.bin', Buffer.from('small'), 'small');
    await pushIndex(
      target,
      [
        { descriptor: big.descriptor, platform: { os: 'linux', architecture: 'amd64' } },
        { descriptor: small.descriptor, platform: { os: 'linux', architecture: 'arm64' } },
      ],
      'multi',
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['size/app'] }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'size/app');
    const described = (tag: string) =>
      waitFor(`the description of ${tag}`, async () => {
        const item = api.registries.getTreeItem(await child(api.registries, repository, tag));
        return String(item.description ?? '').includes('·') && item;
      });

    const bigRow = await described('big');
    assert.match(String(bigRow.description), /^Artifact · application\/vnd\.stowage\.test\.v1 · content 300 KiB$/);
    assert.match(String(bigRow.tooltip), /\ncontent 300 KiB \(307202 bytes in its config and layers, as stored\)/);
    assert.match(String(bigRow.accessibilityInformation?.label), /, content 300 KiB, /);
    assert.match(String((await described('small')).description), / · content 7 B$/);
    assert.doesNotMatch(
      String((await described('multi')).description),
      /content/,
      'an index is not summed before its platform manifests were read',
    );
    // Expanded, its platform rows are drawn and their manifests read: the index row sums them, reading nothing more.
    const multi = await child(api.registries, repository, 'multi');
    for (const platform of await children(api.registries, multi)) api.registries.getTreeItem(platform);
    const summed = await waitFor('the index row summed', async () => {
      const item = api.registries.getTreeItem(await child(api.registries, repository, 'multi'));
      return / · content 300 KiB$/.test(String(item.description)) && item;
    });
    assert.match(
      String(summed.tooltip),
      /\ncontent 300 KiB \(307209 bytes in the configs and layers of its 2 platform manifests, as stored\)/,
    );
  });

  it('Delete… on several selected tags asks once naming each and deletes every one of them (not only the row clicked)', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'del/many');
    const first = await pushTextArtifact(target, { 'a.txt': 'a' }, { tag: 'a' });
    const second = await pushTextArtifact(target, { 'b.txt': 'b' }, { tag: 'b' });
    await target.tag(second.descriptor, 'b2');
    const kept = await pushTextArtifact(target, { 'c.txt': 'c' }, { tag: 'c' });
    const signature = await attachBytes(target, second.descriptor, {
      artifactType: 'application/vnd.example.signature.v1',
      documents: [{ title: 'b.sig', mediaType: 'application/octet-stream', bytes: Buffer.from('signed') }],
    });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['del/many'] }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'del/many');
    assert.deepEqual(await labels(api.registries, repository), ['a', 'b', 'b2', 'c']);
    const rows = await Promise.all(['a', 'b', 'b2'].map((tag) => child(api.registries, repository, tag)));

    // As VS Code calls a context-menu command on a selection: the row clicked, then every row selected.
    const tagReads = (tag: string) =>
      registry
        .log()
        .split('\n')
        .filter((line) => new RegExp(`(GET|HEAD) /v2/del/many/manifests/${tag} `).test(line)).length;
    const readsBefore = ['a', 'b', 'b2', 'c'].map(tagReads);
    const prompts = new ScriptedPrompts().thenChoose('Delete with 1 Referrer');
    assert.equal(
      await answering(api, prompts, () =>
        vscode.commands.executeCommand<boolean>('stowage.artifact.delete', rows[1], rows),
      ),
      true,
    );
    assert.equal(prompts.asked.length, 1, 'one confirmation for the selection');
    // Which listed tag names which manifest is read once for the whole selection, not once per selected row.
    const readsDuring = ['a', 'b', 'b2', 'c'].map((tag, i) => tagReads(tag) - readsBefore[i]!);
    assert.ok(
      readsDuring.every((n) => n <= 5),
      `each tag read at most five times (the view naming its row, the row's own resolve, the one shared by the rows, the look just before its delete that it still names its manifest, the view redrawn after the delete before): ${readsDuring}`,
    );
    const question = prompts.asked[0]!.choose!;
    assert.equal(question.message, `Delete 2 artifacts from ${registry.host}/del/many?`, 'b and b2 are one manifest');
    assert.ok(question.detail?.includes(`${first.descriptor.digest} (tag a)`), question.detail);
    assert.ok(question.detail?.includes(`${second.descriptor.digest} (tags b, b2)`), question.detail);
    assert.deepEqual(question.actions, ['Delete', 'Delete with 1 Referrer']);

    for (const gone of [first.descriptor, second.descriptor, signature])
      assert.equal(await target.exists(gone), false, `${gone.digest} is still there`);
    assert.ok(await target.exists(kept.descriptor), 'the tag not selected stays');
    assert.equal(
      prompts.notifications.at(-1)?.message,
      `Deleted 2 artifacts (tags a, b, b2) and 1 referrer from ${registry.host}/del/many.`,
    );
    const refreshed = await child(api.registries, await registryNode(registry.host), 'del/many');
    assert.deepEqual(await labels(api.registries, refreshed), ['c']);
  });

  it('Delete with Referrers removes the artifact, its referrers and theirs, and the fallback tags that listed them', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'del/tree');
    const subject = await pushTextArtifact(target, { 'app.txt': 'app' }, { tag: 'v1' });
    const sbom = await attachBytes(target, subject.descriptor, {
      artifactType: MediaType.spdx,
      documents: [
        { title: 'sbom.spdx.json', mediaType: MediaType.spdx, bytes: Buffer.from('{"spdxVersion":"SPDX-2.3"}') },
      ],
    });
    const signature = await attachBytes(target, sbom, {
      artifactType: 'application/vnd.example.signature.v1',
      documents: [{ title: 'sbom.sig', mediaType: 'application/octet-stream', bytes: Buffer.from('signed') }],
    });
    assert.deepEqual(
      (await fetchFallbackIndex(target, subject.descriptor.digest))?.manifests.map((d) => d.digest),
      [sbom.digest],
      'the fallback tag lists the SBOM before the delete',
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['del/tree'] }]);

    const repository = await child(api.registries, await registryNode(registry.host), 'del/tree');
    const node = (await child(api.registries, repository, 'v1')) as ManifestNode;
    const prompts = new ScriptedPrompts().thenChoose('Delete with 2 Referrers');
    assert.equal(
      await answering(api, prompts, () => vscode.commands.executeCommand<boolean>('stowage.artifact.delete', node)),
      true,
    );
    const question = prompts.asked[0]!.choose!;
    assert.ok(question.message.includes(subject.descriptor.digest), question.message);
    assert.deepEqual(question.actions, ['Delete', 'Delete with 2 Referrers']);
    assert.match(question.detail ?? '', /Tags removed with it: v1\./);
    assert.match(question.detail ?? '', /2 referrers/);

    for (const gone of [subject.descriptor, sbom, signature])
      assert.equal(await target.exists(gone), false, `${gone.digest} is still there`);
    for (const digest of [subject.descriptor.digest, sbom.digest]) {
      await assert.rejects(
        target.resolve(fallbackTagOf(digest)),
        (e: unknown) => OciError.is(e, 'NOT_FOUND'),
        `the fallback tag of ${digest} is still there`,
      );
    }
    const refreshed = await child(api.registries, await registryNode(registry.host), 'del/tree');
    assert.deepEqual(await labels(api.registries, refreshed), ['No tags · Refresh'], 'an empty repository says so');
    // The row refreshes its repository: a tag pushed meanwhile shows.
    await pushTextArtifact(target, { 'again.txt': 'again\n' }, { tag: 'again' });
    const [noTags] = await children(api.registries, refreshed);
    await vscode.commands.executeCommand(api.registries.getTreeItem(noTags!).command!.command, noTags);
    await waitFor('the new tag under the repository', async () =>
      (await labels(api.registries, refreshed)).includes('again'),
    );
  });

  it('a repository added before its first push says nothing was pushed yet, not a red "not found" with Retry; its row shows the first push', async () => {
    const registry = await start('plain');
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['not/pushed'] }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'not/pushed');
    const [row, ...rest] = await children(api.registries, repository);
    assert.deepEqual(rest, []);
    assert.equal(row?.type, 'action', `not an error row: ${JSON.stringify(row)}`);
    assert.equal(
      api.registries.getTreeItem(row!).label,
      'No tags: nothing pushed to this repository yet (or a typo in its name) · Refresh',
    );
    await pushTextArtifact(registryTarget(registry, 'not/pushed'), { 'a.txt': 'first' }, { tag: 'first' });
    await vscode.commands.executeCommand(api.registries.getTreeItem(row!).command!.command, row);
    await waitFor('the first push under the repository', async () =>
      (await labels(api.registries, repository)).includes('first'),
    );
  });

  it('a 404 whose body says "denied" (a registry hiding a private repository) stays an error, not "nothing pushed"', async () => {
    // A scripted registry: distribution answers NAME_UNKNOWN; some registries answer a repository the caller may not
    // see with 404 and DENIED or UNAUTHORIZED, which is no empty repository.
    const answers: Record<string, string> = {
      'hidden/denied': '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
      'hidden/mixed':
        '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"},{"code":"UNAUTHORIZED","message":"authentication required"}]}',
      'hidden/bare': '404 page not found',
      'known/empty': '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}',
    };
    const server = http.createServer((req, res) => {
      const repository = /^\/v2\/(.+)\/tags\/list/.exec(req.url ?? '')?.[1];
      if (req.url === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      res.writeHead(404, { 'content-type': 'application/json' }).end(answers[repository ?? ''] ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      await setRegistries([{ host, plainHttp: true, repositories: Object.keys(answers) }]);
      const root = await registryNode(host);
      const rows: Record<string, string> = {};
      for (const name of Object.keys(answers)) {
        const [row] = await answering(api, new ScriptedPrompts(), async () =>
          children(api.registries, await child(api.registries, root, name)),
        );
        rows[name] = `${row?.type}: ${String(api.registries.getTreeItem(row!).label)}`;
      }
      assert.match(rows['hidden/denied']!, /^error: .*DENIED/);
      assert.match(rows['hidden/mixed']!, /^error: .*UNAUTHORIZED/);
      assert.match(rows['hidden/bare']!, /^error: /);
      assert.equal(
        rows['known/empty'],
        'action: No tags: nothing pushed to this repository yet (or a typo in its name) · Refresh',
      );
    } finally {
      await setRegistries([]);
      server.close();
    }
  });

  it('Delete with Referrers counts and deletes only true referrers: a forged fallback entry naming an unrelated image is not counted and stays', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'del/forged');
    const subject = await pushTextArtifact(target, { 'app.txt': 'app' }, { tag: 'v1' });
    const sbom = await attachBytes(target, subject.descriptor, {
      artifactType: MediaType.spdx,
      documents: [
        { title: 'sbom.spdx.json', mediaType: MediaType.spdx, bytes: Buffer.from('{"spdxVersion":"SPDX-2.3"}') },
      ],
    });
    // Someone with push rights lists an unrelated image in the subject's fallback index.
    const prod = await pushTextArtifact(target, { 'prod.txt': 'prod' }, { tag: 'prod' });
    await addToFallbackIndex(target, subject.descriptor.digest, prod.descriptor);
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['del/forged'] }]);

    const repository = await child(api.registries, await registryNode(registry.host), 'del/forged');
    const node = (await child(api.registries, repository, 'v1')) as ManifestNode;

    // The tree and the graph show the true referrer only, and say what they left out.
    const below = await children(api.registries, node);
    const warning = below.at(-1)!;
    const row = api.registries.getTreeItem(warning);
    assert.equal(row.label, '1 listed referrer not shown: not a referrer · Check Referrers…');
    // What a screen reader reads: the row's words, not the tooltip's digests (VS Code reads a tooltip otherwise).
    assert.equal(row.accessibilityInformation?.label, '1 listed referrer not shown: not a referrer, Check Referrers…');
    assert.equal(
      row.tooltip,
      `${prod.descriptor.digest} is listed as a referrer of ${subject.descriptor.digest} but is not one (its manifest names no subject); not shown`,
    );
    assert.equal(row.command?.command, 'stowage.referrers.check');
    assert.equal((row.command?.arguments?.[0] as ManifestNode).descriptor?.digest, subject.descriptor.digest);
    const groups = below.filter((n) => (n as { type: string }).type === 'referrers');
    assert.deepEqual(
      groups.flatMap((g) =>
        (g as { referrers: { descriptor: { digest: string } }[] }).referrers.map((r) => r.descriptor.digest),
      ),
      [sbom.digest],
    );
    await vscode.commands.executeCommand('stowage.graph.show', node);
    await waitFor('the referrer graph of v1', () => api.supplyChain.currentGraph()?.root === subject.descriptor.digest);
    const graph = api.supplyChain.currentGraph()!;
    assert.deepEqual(
      graph.nodes.map((n) => n.digest).sort(),
      [subject.descriptor.digest, sbom.digest].sort(),
      'the forged entry is no node',
    );
    assert.deepEqual(graph.notReferrers, [row.tooltip]);

    // Copy To… with referrers takes the true referrer only, and says what it left out.
    const copying = new ScriptedPrompts();
    await answering(api, copying, () =>
      vscode.commands.executeCommand('stowage.artifact.copyTo', node, {
        destination: { kind: 'registry', host: registry.host, repository: 'del/forged-copy' },
        tag: 'v1',
        referrers: true,
      }),
    );
    const told = copying.notifications.at(-1)!;
    assert.equal(told.severity, 'warning');
    assert.match(told.message, /^Copied .* 1 listed referrer not copied \(see the log\)\.$/);
    const copy = registryTarget(registry, 'del/forged-copy');
    assert.ok(await copy.exists(sbom), 'the true referrer was copied');
    assert.equal(await copy.exists(prod.descriptor), false, 'the image the forged entry listed was not');

    const prompts = new ScriptedPrompts().thenChoose('Delete with 1 Referrer');
    assert.equal(
      await answering(api, prompts, () => vscode.commands.executeCommand<boolean>('stowage.artifact.delete', node)),
      true,
    );
    const question = prompts.asked[0]!.choose!;
    assert.deepEqual(question.actions, ['Delete', 'Delete with 1 Referrer'], 'the forged entry is not counted');
    assert.match(question.detail ?? '', /1 manifest listed as a referrer is not one .*it stays\./);

    for (const gone of [subject.descriptor, sbom])
      assert.equal(await target.exists(gone), false, `${gone.digest} is still there`);
    assert.ok(await target.exists(prod.descriptor), 'the image the forged entry listed stays');
    assert.equal((await target.resolve('prod')).digest, prod.descriptor.digest);
    await assert.rejects(target.resolve(fallbackTagOf(subject.descriptor.digest)), (e: unknown) =>
      OciError.is(e, 'NOT_FOUND'),
    );
  });

  it('Open Manifest shows the manifest read-only and pretty-printed, in a tab named by repository and tag, with its digests as links', async () => {
    const registry = await start('plain');
    const seeded = await pushTextArtifact(
      registryTarget(registry, 'docs/app'),
      { 'doc.txt': 'text blob\n' },
      { tag: 'v1' },
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['docs/app'] }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'docs/app');
    const tag: TreeNode = await child(api.registries, repository, 'v1');

    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.manifest.open', tag);
    assert.equal(document.uri.scheme, 'stowage');
    // The tab says which manifest it is, its hover (the path) where it is from; still JSON.
    assert.equal(
      document.uri.path,
      `/manifest/${registry.host}/docs/app/${seeded.descriptor.digest}/app:v1 manifest.json`,
    );
    assert.equal(document.languageId, 'json');
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((t) => t.label));
    assert.ok(tabs.includes('app:v1 manifest.json'), tabs.join(', '));
    assert.deepEqual(JSON.parse(document.getText()), seeded.manifest);
    assert.ok(document.getText().includes('\n  "layers": ['), 'pretty-printed');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      document.uri,
    );
    const layerLink = links.find((l) => document.getText(l.range) === seeded.manifest.layers[0]!.digest);
    assert.ok(layerLink?.target, 'the layer digest is a link');
    // Each link's hover names what it opens, not a bare media type ("Open empty" read as unfinished).
    const configLink = links.find((l) => document.getText(l.range) === seeded.manifest.config.digest);
    assert.deepEqual([configLink?.tooltip, layerLink.tooltip], ['Open empty blob', 'Open doc.txt (text/plain blob)']);
    const blob = await vscode.workspace.openTextDocument(layerLink.target);
    assert.equal(blob.getText(), 'text blob\n');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an action on a tag deleted elsewhere fails saying so, and the repository is shown as it is now', async () => {
    const registry = await start('plain');
    const target = registryTarget(registry, 'stale/app');
    await pushTextArtifact(target, { 'kept.txt': 'kept\n' }, { tag: 'kept' });
    const gone = await pushTextArtifact(target, { 'gone.txt': 'gone\n' }, { tag: 'gone' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['stale/app'] }]);
    const repository = await child(api.registries, await registryNode(registry.host), 'stale/app');
    const stale = await child(api.registries, repository, 'gone');
    await target.deleteManifest(gone.descriptor);

    const prompts = new ScriptedPrompts();
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.manifest.open', stale));
    const error = prompts.notifications.find((n) => n.severity === 'error');
    assert.match(error?.message ?? '', /^Open Manifest failed: manifest .*stale\/app:gone not found/);
    // Copy To… finds out before asking where to (no question is queued: one asked would fail here).
    const copying = new ScriptedPrompts();
    await answering(api, copying, () => vscode.commands.executeCommand('stowage.artifact.copyTo', stale));
    assert.match(copying.notifications.find((n) => n.severity === 'error')?.message ?? '', /^Copy To failed: /);
    await waitFor('the deleted tag gone from the view', async () => {
      const now = await labels(
        api.registries,
        await child(api.registries, await registryNode(registry.host), 'stale/app'),
      );
      return now.length === 1 && now[0] === 'kept';
    });
  });
});
