// A registry's names reach quick picks as plain text: a tag "$(warning) trusted" from a scripted hostile registry,
// offered by Back Up Repository… → Choose tags…, is given to the window with its icon syntax escaped (VS Code
// then shows "$(warning) trusted", not a warning icon), while Stowage's own icons come as iconPath.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startHostileTextRegistry, type HostileTextRegistry } from '../../fixtures/hostileTextRegistry';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { RegistryNode, RepositoryNode } from '../../../src/vscode/tree/nodes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const HOSTILE_TAG = '$(warning) trusted';

describe('Quick pick texts from a registry', function () {
  this.timeout(60_000);
  let api: StowageApi;
  let registry: HostileTextRegistry;

  before(async () => {
    api = await stowageApi();
    registry = await startHostileTextRegistry({
      denyMessage: 'denied',
      tagsRepository: 'app',
      tags: [HOSTILE_TAG, 'v1'],
    });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['app'] }]);
  });
  after(async () => {
    await setRegistries([]);
    await registry.stop();
  });

  it('shows a hostile tag name with its $(icon) syntax escaped, and Stowage’s own icons as iconPath', async () => {
    const root = await waitFor('the hostile registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repository = (await child(api.registries, root, 'app')) as RepositoryNode;
    const prompts = new ScriptedPrompts().thenPick('Choose tags…').thenPickMany([]);
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.repository.backup', repository));

    const tagsQuestion = prompts.asked.find((q) => q.kind === 'pickMany');
    assert.ok(tagsQuestion?.items && tagsQuestion.shown, 'the tags were offered in a quick pick');
    assert.deepEqual(
      tagsQuestion.items.map((i) => i.label),
      [HOSTILE_TAG, 'v1'],
      'the command hands over the tags as the registry named them',
    );
    assert.deepEqual(
      tagsQuestion.shown.map((i) => i.label),
      ['\\$(warning) trusted', 'v1'],
      'the window is given the tag with its icon syntax escaped',
    );

    // Stowage's own icons are not in item texts (they would have to stay unescaped there).
    const picker = new ScriptedPrompts().thenPick('app').thenPick('Choose tags…').thenPickMany([]);
    await answering(api, picker, () => vscode.commands.executeCommand('stowage.repository.backup'));
    const storeQuestion = picker.asked.find((q) => q.kind === 'pick');
    assert.ok(storeQuestion?.items?.length, 'the repository picker was shown');
    for (const item of storeQuestion.items) assert.doesNotMatch(item.label, /\$\(/, item.label);
    const app = storeQuestion.items.find((i) => i.label === 'app');
    assert.ok(app?.iconPath instanceof vscode.ThemeIcon && app.iconPath.id === 'repo', 'the repository icon');
  });
});
