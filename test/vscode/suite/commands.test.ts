// Commands that shape the Registries view (Add Registry…, Add Repository…, Load more…) and that hand artifacts
// over (Copy Reference, Copy Digest, Add Tag…, drag and drop), against a real registry.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TREE_MIME } from '../../../src/vscode/tree/dragAndDrop';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { LoadMoreNode, RegistryNode, RepositoryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, label, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Registry commands', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    for (const repository of ['page/a', 'page/b', 'page/c'])
      await pushTextArtifact(
        registryTarget(registry, repository),
        { [`${repository.slice(-1)}.txt`]: repository },
        { tag: 'v1' },
      );
  });

  afterEach(async () => {
    await setRegistries([]);
    await vscode.workspace
      .getConfiguration('stowage')
      .update('tree.pageSize', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await registry.stop();
  });

  async function registryNode(): Promise<RegistryNode> {
    return waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
  }

  it('Add Registry… asks only what the chosen kind needs and adds it to the settings', async () => {
    const prompts = new ScriptedPrompts()
      .thenPick('Other registry')
      .thenInput(`http://${registry.host}/`)
      .thenInput('page/a, page/b');
    const added = await answering(api, prompts, () => vscode.commands.executeCommand('stowage.registry.add'));
    assert.deepEqual(added, {
      host: registry.host,
      kind: 'generic',
      repositories: ['page/a', 'page/b'],
      plainHttp: true,
    });
    assert.deepEqual(prompts.notifications, [], 'a registry that answers is added without a word');
    // The kind decides how many questions follow: no total until it is chosen, then a total that stays.
    assert.deepEqual(prompts.stepsShown, ['1', '2/3', '3/3']);
    assert.deepEqual(
      prompts.asked.map((q) => q.prompt),
      [
        'Kind of registry',
        'Registry host (with :port when not 443)',
        'Repositories to show (comma-separated; leave empty to list the catalog)',
      ],
    );
    const configured = vscode.workspace.getConfiguration('stowage').get<{ host: string }[]>('registries');
    assert.deepEqual(
      configured?.map((r) => r.host),
      [registry.host],
    );
    // The pinned repositories first, then the rest of the catalog (pinning does not hide it).
    assert.deepEqual(await labels(api.registries, await registryNode()), [
      'page/a',
      'page/b',
      'page/c',
      'Add Repository…',
    ]);

    const more = new ScriptedPrompts().thenInput('page/z');
    const node = await registryNode();
    await answering(api, more, () => vscode.commands.executeCommand('stowage.repository.add', node));
    await waitFor('the added repository', async () =>
      (await labels(api.registries, await registryNode())).includes('page/z'),
    );
    assert.deepEqual(more.doneMessages, [`Added ${registry.host}/page/z to the Registries view`]);
  });

  it('Add Registry… keeps a TLS registry on this machine on TLS, so its first problem is its CA, not "speaks HTTPS"', async () => {
    const tlsRegistry = await startRegistry({ variant: 'basic-tls' });
    try {
      const prompts = new ScriptedPrompts().thenPick('Other registry').thenInput(tlsRegistry.host).thenInput('');
      const added = await answering(api, prompts, () => vscode.commands.executeCommand('stowage.registry.add'));
      assert.deepEqual(added, { host: tlsRegistry.host, kind: 'generic' });
      const root = await waitFor('the TLS registry in the view', async () =>
        (await children(api.registries)).find(
          (n): n is RegistryNode => n.type === 'registry' && n.setting.host === tlsRegistry.host,
        ),
      );
      const [first] = await children(api.registries, root);
      assert.equal(first?.type === 'error' && first.step, 'setCaFile', JSON.stringify(first));
      assert.deepEqual(
        prompts.notifications.map((n) => n.actions),
        [['Set CA File…', 'Remove Registry']],
        'told at once, with the step that fixes it',
      );
    } finally {
      await tlsRegistry.stop();
    }
  });

  it('Add Registry… tells at once when the host cannot be reached (a typo, a registry that is down), and Remove Registry takes it out again', async () => {
    const down = await startRegistry({ variant: 'plain' });
    const downHost = down.host;
    await down.stop();
    for (const [host, why] of [
      ['no-such-registry.invalid:5000', /\((ENOTFOUND|EAI_AGAIN)\): the name (does not resolve|could not be resolved)/],
      [downHost, /\(ECONNREFUSED\): nothing accepts connections there \(is the registry running, and on that port\?\)/],
    ] as const) {
      const prompts = new ScriptedPrompts()
        .thenPick('Other registry')
        .thenInput(host)
        .thenInput('')
        .pressingInNotifications('Remove Registry');
      await answering(api, prompts, () => vscode.commands.executeCommand('stowage.registry.add'));
      const [told, ...more] = prompts.notifications;
      assert.deepEqual(more, []);
      assert.equal(told?.severity, 'warning');
      assert.ok(told!.message.startsWith(`Added ${host}, but cannot reach ${host} `), told!.message);
      assert.match(told!.message, why);
      assert.deepEqual(told!.actions, ['Remove Registry']);
      await waitFor(`${host} removed from the settings`, async () =>
        vscode.workspace
          .getConfiguration('stowage')
          .get<{ host: string }[]>('registries')
          ?.every((r) => r.host !== host),
      );
    }
  });

  it('a registry that lists no repository says so, and its row refreshes it once something was pushed', async () => {
    const empty = await startRegistry({ variant: 'plain' });
    try {
      await setRegistries([{ host: empty.host, plainHttp: true }]);
      const root = await waitFor('the empty registry in the view', async () =>
        (await children(api.registries)).find(
          (n): n is RegistryNode => n.type === 'registry' && n.setting.host === empty.host,
        ),
      );
      const [none] = await children(api.registries, root);
      assert.deepEqual(await labels(api.registries, root), ['No repositories · Refresh', 'Add Repository…']);
      await pushTextArtifact(registryTarget(empty, 'first/app'), { 'a.txt': 'a' }, { tag: 'v1' });
      const item = api.registries.getTreeItem(none!);
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      await waitFor('the pushed repository', async () => (await labels(api.registries, root)).includes('first/app'));
      assert.deepEqual(await labels(api.registries, root), ['first/app', 'Add Repository…']);
    } finally {
      await empty.stop();
    }
  });

  it('lists the catalog a page at a time, with Load more… fetching the next page', async () => {
    await vscode.workspace.getConfiguration('stowage').update('tree.pageSize', 2, vscode.ConfigurationTarget.Global);
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const root = await registryNode();
    const first = await children(api.registries, root);
    assert.deepEqual(
      first.map((n) => label(api.registries, n)),
      ['page/a', 'page/b', 'Load more…', 'Add Repository…'],
    );
    const loadMore = first.find((n): n is LoadMoreNode => n.type === 'loadMore')!;
    await vscode.commands.executeCommand('stowage.tree.loadMore', loadMore);
    assert.deepEqual(await labels(api.registries, root), ['page/a', 'page/b', 'page/c', 'Add Repository…']);
  });

  it('Copy Reference, Copy Digest and Copy Pinned Reference on several selected rows copy each, one per line', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/a', 'page/c'] }]);
    const root = await registryNode();
    const a = await child(api.registries, await child(api.registries, root, 'page/a'), 'v1');
    const c = await child(api.registries, await child(api.registries, root, 'page/c'), 'v1');
    const [digestA, digestC] = [
      (await registryTarget(registry, 'page/a').resolve('v1')).digest,
      (await registryTarget(registry, 'page/c').resolve('v1')).digest,
    ];
    const prompts = new ScriptedPrompts();
    const copy = (id: string) => answering(api, prompts, () => vscode.commands.executeCommand(id, c, [a, c]));
    // The menu hands the row clicked (c) and the selection in the order it was made (a, then c).
    assert.equal(
      await copy('stowage.artifact.copyReference'),
      `${registry.host}/page/a:v1\n${registry.host}/page/c:v1`,
    );
    assert.equal(await vscode.env.clipboard.readText(), `${registry.host}/page/a:v1\n${registry.host}/page/c:v1`);
    assert.equal(await copy('stowage.artifact.copyDigest'), `${digestA}\n${digestC}`);
    assert.equal(
      await copy('stowage.artifact.copyPinnedReference'),
      `${registry.host}/page/a:v1@${digestA}\n${registry.host}/page/c:v1@${digestC}`,
    );
    assert.deepEqual(prompts.doneMessages, ['Copied 2 references', 'Copied 2 digests', 'Copied 2 pinned references']);
  });

  it('Copy Reference, Copy Digest and Add Tag… work on a tag node', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/a'] }]);
    const repository = await child(api.registries, await registryNode(), 'page/a');
    const tag = await child(api.registries, repository, 'v1');
    const expected = (await registryTarget(registry, 'page/a').resolve('v1')).digest;

    const copying = new ScriptedPrompts();
    assert.equal(
      await answering(api, copying, () => vscode.commands.executeCommand('stowage.artifact.copyReference', tag)),
      `${registry.host}/page/a:v1`,
    );
    assert.equal(await vscode.env.clipboard.readText(), `${registry.host}/page/a:v1`);
    assert.equal(
      await answering(api, copying, () => vscode.commands.executeCommand('stowage.artifact.copyDigest', tag)),
      expected,
    );
    assert.equal(await vscode.env.clipboard.readText(), expected);
    assert.deepEqual(
      copying.doneMessages,
      [`Copied ${registry.host}/page/a:v1`, `Copied ${expected}`],
      'each copy says what it copied (in the status bar), as VS Code does',
    );

    await vscode.env.clipboard.writeText('untouched');
    const tagging = new ScriptedPrompts().thenInput('stable').pressingInNotifications('Copy Pinned Reference');
    await answering(api, tagging, () => vscode.commands.executeCommand('stowage.artifact.addTag', tag));
    assert.equal((await registryTarget(registry, 'page/a').resolve('stable')).digest, expected);
    assert.deepEqual(tagging.stepsShown, [''], 'one question is no numbered flow: no "(1/1)"');
    assert.deepEqual(
      tagging.notifications.at(-1),
      {
        severity: 'info',
        message: `Tagged ${registry.host}/page/a@${expected.slice(0, 'sha256:'.length + 12)} as stable.`,
        actions: ['Copy Pinned Reference'],
      },
      'the digest as the tree shows it, the full one a button away',
    );
    await waitFor('the pinned reference on the clipboard', async () =>
      (await vscode.env.clipboard.readText()) === `${registry.host}/page/a:stable@${expected}` ? true : undefined,
    );
    await waitFor('the copy said', async () => tagging.doneMessages.length > 0 || undefined);
    assert.deepEqual(tagging.doneMessages, [`Copied ${registry.host}/page/a:stable@${expected}`]);
    const refreshed = await child(api.registries, await registryNode(), 'page/a');
    assert.deepEqual(await labels(api.registries, refreshed), ['v1', 'stable']);
  });

  it('Add Tag… from the palette numbers its questions and Back goes to the reference typed, kept', async () => {
    const seeded = await pushTextArtifact(registryTarget(registry, 'steps/tagged'), { 'a.txt': 'a\n' }, { tag: 'v1' });
    const reference = `${registry.host}/steps/tagged:v1`;
    const prompts = new ScriptedPrompts().thenInput(reference).thenBack('input').thenKeep('input').thenInput('stepped');
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.addTag'));
    assert.deepEqual(prompts.stepsShown, ['1/2', '2/2', '1/2', '2/2']);
    assert.equal(prompts.asked[2]!.value, reference, 'the reference typed is kept');
    assert.equal((await registryTarget(registry, 'steps/tagged').resolve('stepped')).digest, seeded.descriptor.digest);
  });

  it('dropping a tag node on a registry copies the artifact into the repository named at the drop', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/b'] }]);
    const root = await registryNode();
    const repository = (await child(api.registries, root, 'page/b')) as RepositoryNode;
    const tag: TreeNode = await child(api.registries, repository, 'v1');
    const data = new vscode.DataTransfer();
    await api.dragAndDrop.handleDrag([tag], data);
    assert.ok(data.get(TREE_MIME), 'dragging a tag carries it');

    await answering(api, new ScriptedPrompts().thenInput('dropped/b').thenPick('Include referrers'), () =>
      api.dragAndDrop.handleDrop(root, data),
    );
    const expected = (await registryTarget(registry, 'page/b').resolve('v1')).digest;
    assert.equal((await registryTarget(registry, 'dropped/b').resolve('v1')).digest, expected);
  });

  it('Copy Pinned Reference copies repo:tag@digest, from the palette too; dragging a tag into an editor carries the same', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/c'] }]);
    const tag = await child(api.registries, await child(api.registries, await registryNode(), 'page/c'), 'v1');
    const digest = (await registryTarget(registry, 'page/c').resolve('v1')).digest;
    const pinned = `${registry.host}/page/c:v1@${digest}`;

    assert.equal(await vscode.commands.executeCommand('stowage.artifact.copyPinnedReference', tag), pinned);
    assert.equal(await vscode.env.clipboard.readText(), pinned);
    const palette = new ScriptedPrompts().thenInput(`${registry.host}/page/c:v1`);
    assert.equal(
      await answering(api, palette, () => vscode.commands.executeCommand('stowage.artifact.copyPinnedReference')),
      pinned,
    );
    const askedDigest = new ScriptedPrompts().thenInput(`${registry.host}/page/c:v1`);
    assert.equal(
      await answering(api, askedDigest, () => vscode.commands.executeCommand('stowage.artifact.copyDigest')),
      digest,
    );

    const data = new vscode.DataTransfer();
    await api.dragAndDrop.handleDrag([tag], data);
    assert.equal(await data.get('text/plain')?.asString(), pinned);
  });

  it("Open in Browser opens the page of the registry's webUrl template, and says what to set when it knows none", async () => {
    const template = `https://registry-ui.example/{repository}/tags/{tag}`;
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/a'], webUrl: template }]);
    const tag = await child(api.registries, await child(api.registries, await registryNode(), 'page/a'), 'v1');
    const prompts = new ScriptedPrompts();
    const opened = await answering(api, prompts, () =>
      vscode.commands.executeCommand('stowage.artifact.openInBrowser', tag),
    );
    assert.equal(opened, 'https://registry-ui.example/page/a/tags/v1');
    assert.deepEqual(prompts.opened, [opened]);

    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/a'] }]);
    const unknown = new ScriptedPrompts();
    const root = await registryNode();
    assert.equal(
      await answering(api, unknown, () => vscode.commands.executeCommand('stowage.artifact.openInBrowser', root)),
      undefined,
    );
    assert.deepEqual(unknown.opened, []);
    assert.match(unknown.notifications[0]!.message, /does not know the web page of .*"webUrl"/);
    assert.match(unknown.notifications[0]!.message, /looks like http:\/\/127\.0\.0\.1:\d+\//, 'its scheme, not https');
  });

  it('Report Issue… opens a Markdown report with versions, registry kinds (not hosts) and the log', async () => {
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['page/a'] }]);
    await child(api.registries, await registryNode(), 'page/a'); // a request, so the log has lines
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.reportIssue');
    const text = document.getText();
    assert.equal(document.languageId, 'markdown');
    assert.match(text, /^- Stowage \d+\.\d+\.\d+$/m);
    assert.match(text, /1 registry configured \(kinds: generic\)/);
    assert.match(text, /## Stowage log/);
    assert.doesNotMatch(text.slice(0, text.indexOf('## Stowage log')), new RegExp(registry.host.replace(/\./g, '\\.')));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
