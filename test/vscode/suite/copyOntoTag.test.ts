// Copy To… of one artifact onto a tag that names another artifact at the destination: a newcomer copying the demo's
// v1 into a repository that already has a v1 replaced it without a word. Asked first, as for several tags; declined,
// nothing is written. Against the harness's real registry.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ManifestNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Copy To… of one artifact onto a tag in use', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
  });

  afterEach(async () => {
    await setRegistries([]);
  });

  after(async () => {
    await registry.stop();
  });

  async function v1Of(repository: string): Promise<ManifestNode> {
    const root = await waitFor(`registry ${registry.host} in the view`, async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    return (await child(api.registries, await child(api.registries, root, repository), 'v1')) as ManifestNode;
  }

  it('asks before moving the tag, naming both digests; declined, the tag still names what it named', async () => {
    const source = await pushTextArtifact(registryTarget(registry, 'onto/source'), { 'a.txt': 'new' }, { tag: 'v1' });
    const dst = registryTarget(registry, 'onto/dest');
    const before = await pushTextArtifact(dst, { 'a.txt': 'old' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['onto/source', 'onto/dest'] }]);
    const row = await v1Of('onto/source');

    const prompts = new ScriptedPrompts()
      .thenPick('onto/dest')
      .thenInput('v1')
      .thenPick('Only the artifact')
      .thenConfirm(false);
    const result = await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.copyTo', row));

    assert.equal(result, undefined);
    assert.deepEqual(
      prompts.asked.map((q) => q.kind),
      ['pick', 'input', 'pick', 'confirm'],
    );
    const question = prompts.asked[3]!.confirm!;
    assert.equal(
      question.message,
      `Copying moves 1 tag of ${registry.host}/onto/dest that name other artifacts now: v1. Copy anyway?`,
    );
    assert.equal(question.detail, `v1: ${before.descriptor.digest} → ${source.descriptor.digest}`);
    assert.equal((await dst.resolve('v1')).digest, before.descriptor.digest, 'declined: v1 was not moved');
  });

  it('agreed, the tag moves; a free tag or one already naming the artifact is copied without a question', async () => {
    const source = await pushTextArtifact(registryTarget(registry, 'agree/source'), { 'a.txt': 'new' }, { tag: 'v1' });
    const dst = registryTarget(registry, 'agree/dest');
    await pushTextArtifact(dst, { 'a.txt': 'old' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['agree/source', 'agree/dest'] }]);
    const row = await v1Of('agree/source');

    const agreed = new ScriptedPrompts()
      .thenPick('agree/dest')
      .thenInput('v1')
      .thenPick('Only the artifact')
      .thenConfirm(true);
    await answering(api, agreed, () => vscode.commands.executeCommand('stowage.artifact.copyTo', row));
    assert.equal((await dst.resolve('v1')).digest, source.descriptor.digest, 'agreed: v1 moved');

    for (const tag of ['v1', 'v2']) {
      const again = new ScriptedPrompts().thenPick('agree/dest').thenInput(tag).thenPick('Only the artifact');
      await answering(api, again, () => vscode.commands.executeCommand('stowage.artifact.copyTo', row));
      assert.deepEqual(
        again.asked.map((q) => q.kind),
        ['pick', 'input', 'pick'],
        `${tag}: nothing moves, nothing asked`,
      );
      assert.equal((await dst.resolve(tag)).digest, source.descriptor.digest, tag);
    }
  });
  it('a tag moved at the destination while the question was open is left as it is: the copy arrives untagged and says so', async () => {
    const source = await pushTextArtifact(registryTarget(registry, 'race/source'), { 'a.txt': 'new' }, { tag: 'v1' });
    const dst = registryTarget(registry, 'race/dest');
    const before = await pushTextArtifact(dst, { 'a.txt': 'old' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['race/source', 'race/dest'] }]);
    const row = await v1Of('race/source');
    let meanwhile = '';
    const prompts = new ScriptedPrompts()
      .thenPick('race/dest')
      .thenInput('v1')
      .thenPick('Only the artifact')
      .thenConfirmAfter(async () => {
        // Someone else's release lands on v1 while the user reads the question about the old one.
        meanwhile = (await pushTextArtifact(dst, { 'a.txt': 'meanwhile' }, { tag: 'v1' })).descriptor.digest;
      }, true);
    const result = await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.copyTo', row));

    assert.equal(result, undefined);
    assert.notEqual(meanwhile, before.descriptor.digest);
    assert.equal((await dst.resolve('v1')).digest, meanwhile, 'the release pushed meanwhile was moved unasked');
    assert.ok(await dst.exists(source.descriptor), 'the copied artifact is there, untagged');
    assert.deepEqual(
      prompts.notifications.map((n) => n.severity),
      ['error'],
    );
    assert.match(prompts.notifications[0]!.message, /tag v1 changed since the question and was left as it is/);
  });
});
