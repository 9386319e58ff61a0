// The editor's attach on a registry without the referrers API: the referrers index the fallback tag named before
// is deleted once the tag names the new one, and a registry that refuses deletes keeps it with one warning shown
// (the attach succeeding).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Attach on a registry without the referrers API: the superseded referrers index', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let filesDir: string;
  const registries: TestRegistry[] = [];

  before(async () => {
    api = await stowageApi();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-index-cleanup-'));
  });

  after(async () => {
    await setRegistries([]);
    for (const registry of registries) await registry.stop();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  /** A registry holding `cleanup/app:v1`, shown in the view; its tag row. */
  async function tagOn(registry: TestRegistry): Promise<TreeNode> {
    registries.push(registry);
    await pushTextArtifact(registryTarget(registry, 'cleanup/app'), { 'app.txt': 'app\n' }, { tag: 'v1' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['cleanup/app'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    return child(api.registries, await child(api.registries, root, 'cleanup/app'), 'v1');
  }

  /** Attach File… on `tag` with a note; the prompts, to read what they were told. */
  async function attachNote(tag: TreeNode, name: string): Promise<ScriptedPrompts> {
    const file = path.join(filesDir, name);
    fs.writeFileSync(file, `${name}\n`);
    const prompts = new ScriptedPrompts().thenFolder(file).thenPick(MediaType.inToto).thenInput('');
    await answering(api, prompts, () => vscode.commands.executeCommand<string>('stowage.artifact.attachFile', tag));
    return prompts;
  }

  it('deletes the index the fallback tag named before, once it names the new one', async () => {
    const registry = await startRegistry({ variant: 'plain' });
    const tag = await tagOn(registry);
    const target = registryTarget(registry, 'cleanup/app');
    const fallback = fallbackTagOf((await target.resolve('v1')).digest);
    await attachNote(tag, 'first.txt');
    const first = await target.resolve(fallback);
    const prompts = await attachNote(tag, 'second.txt');
    const second = await target.resolve(fallback);
    assert.notEqual(second.digest, first.digest);
    assert.equal(await target.exists(first), false, 'the superseded index is gone');
    assert.deepEqual(
      prompts.notifications.filter((n) => n.severity === 'warning'),
      [],
      'nothing to warn about',
    );
  });

  it('keeps it where the registry refuses deletes, and says so once as a warning; the attach succeeds', async () => {
    const registry = await startRegistry({ variant: 'plain', deleteDisabled: true });
    const tag = await tagOn(registry);
    const target = registryTarget(registry, 'cleanup/app');
    const fallback = fallbackTagOf((await target.resolve('v1')).digest);
    await attachNote(tag, 'first.txt');
    const first = await target.resolve(fallback);
    const prompts = await attachNote(tag, 'second.txt');
    assert.notEqual((await target.resolve(fallback)).digest, first.digest, 'the second attach landed');
    assert.equal(await target.exists(first), true, 'the registry kept the superseded index');
    const warnings = prompts.notifications.filter((n) => n.severity === 'warning');
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!.message, new RegExp(`${first.digest}.*stays behind as an untagged manifest`));
  });
});
