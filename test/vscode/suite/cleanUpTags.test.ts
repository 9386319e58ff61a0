// "Clean Up Tags…" against a real registry, as a CI job's pull-request builds pile up: from the repository's row,
// the pr- tags older than a week go with their manifests (and, asked so, their signatures); a build `latest` also
// names stays, and so does one tagged while the question was open. A layout folder is cleaned up from the palette.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayoutTarget } from '../../../src/core/layout';
import { Annotation, OciError } from '../../../src/core/oci';
import type { Target } from '../../../src/core/content';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { CleanUpOutcome } from '../../../src/vscode/commands/cleanUpTags';
import type { RegistryNode, RepositoryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const DAY = 86_400_000;

/** A build made `daysAgo` days ago, under `tags`. */
async function build(target: Target, name: string, daysAgo: number, ...tags: string[]) {
  const annotations = { [Annotation.created]: new Date(Date.now() - daysAgo * DAY).toISOString() };
  const seeded = await pushTextArtifact(target, { [`${name}.txt`]: name }, { annotations });
  for (const tag of tags) await target.tag(seeded.descriptor, tag);
  return seeded.descriptor;
}

async function gone(target: Target, reference: string): Promise<boolean> {
  return target.resolve(reference).then(
    () => false,
    (err: unknown) => OciError.is(err, 'NOT_FOUND'),
  );
}

describe('Clean Up Tags…', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['ci/app'] }]);
  });

  after(async () => {
    await setRegistries([]);
    await registry?.stop();
  });

  it('deletes the old pr- builds with their signatures, keeps the one latest names, the young one and one tagged meanwhile', async () => {
    const target = registryTarget(registry, 'ci/app');
    const pr1 = await build(target, 'one', 40, 'pr-1');
    const pr6 = await build(target, 'six', 30, 'pr-6');
    const pr2 = await build(target, 'two', 20, 'pr-2');
    const pr3 = await build(target, 'three', 10, 'pr-3', 'latest');
    await build(target, 'four', 2, 'pr-4');
    await build(target, 'main', 1, 'main');
    const signature = await pushTextArtifact(
      target,
      { 'sig.txt': 'signed' },
      { artifactType: 'application/vnd.example.signature', subject: pr1 },
    );
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repository = (await child(api.registries, root, 'ci/app')) as RepositoryNode;

    const prompts = new ScriptedPrompts()
      .thenInput('pr-*')
      .thenPick('Older than 7d')
      .thenInput('')
      // While the question is open, someone tags pr-6's build for a release.
      .thenChooseAfter(() => target.tag(pr6, 'release-candidate'), 'Delete with Referrers');
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<CleanUpOutcome>('stowage.repository.cleanUpTags', repository),
    );
    const asked = prompts.asked.find((q) => q.kind === 'choose')?.choose;
    assert.equal(asked?.message, `Delete 3 manifests (3 tags) from ${registry.host}/ci/app?`);
    assert.match(asked?.detail ?? '', /^pr-1 \(sha256:[0-9a-f]{12}, made \d{4}-\d\d-\d\d\)\npr-6 .*\npr-2 /);
    assert.match(asked?.detail ?? '', /2 manifests picked stay, each with its reason in the log/);

    for (const digest of [pr1.digest, pr2.digest, signature.descriptor.digest])
      assert.ok(outcome.deleted.includes(digest), `${digest} was not deleted: ${outcome.deleted.join(', ')}`);
    assert.ok(!outcome.deleted.includes(pr6.digest), 'pr-6, tagged meanwhile, was deleted');
    assert.ok(await gone(target, 'pr-1'));
    assert.ok(await gone(target, 'pr-2'));
    assert.ok(await gone(target, signature.descriptor.digest), 'the signature stayed');
    for (const tag of ['pr-6', 'release-candidate', 'pr-3', 'latest', 'pr-4', 'main'])
      assert.equal(await gone(target, tag), false, `${tag} went`);
    assert.equal((await target.resolve('latest')).digest, pr3.digest);
    assert.deepEqual(
      outcome.plan.kept.map((k) => `${k.tags.join('+')}: ${k.reason}`),
      [
        'pr-3: also tagged latest, which the patterns do not pick',
        'pr-4: made 2 days ago',
        'pr-6: tagged release-candidate since the plan was made',
      ],
    );
    assert.equal(
      prompts.notifications.at(-1)?.message,
      `Deleted 2 manifests (2 tags) from ${registry.host}/ci/app; 3 kept (1 tagged since the plan was made).`,
    );
  });

  it('cleans up a layout folder from the palette, keeping the newest; nothing left to delete says so', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cleanup-'));
    const layout = await LayoutTarget.open(folder, { create: true });
    await build(layout, 'a', 9, 'nightly-a');
    await build(layout, 'b', 8, 'nightly-b');
    const newest = await build(layout, 'c', 7, 'nightly-c');
    const prompts = new ScriptedPrompts()
      .thenPick('Type a repository…')
      .thenInput(`oci:${folder}`)
      .thenInput('nightly-*')
      .thenPick('Any age')
      .thenInput('1')
      .thenChoose('Delete');
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<CleanUpOutcome>('stowage.repository.cleanUpTags'),
    );
    assert.equal(outcome.deleted.length, 2);
    const tags: string[] = [];
    for await (const page of layout.listTags()) tags.push(...page);
    assert.deepEqual(tags, ['nightly-c']);
    assert.equal((await layout.resolve('nightly-c')).digest, newest.digest);

    const again = new ScriptedPrompts()
      .thenPick('Type a repository…')
      .thenInput(`oci:${folder}`)
      .thenInput('nightly-*')
      .thenPick('Any age')
      .thenInput('1');
    const nothing = await answering(api, again, () =>
      vscode.commands.executeCommand<CleanUpOutcome>('stowage.repository.cleanUpTags'),
    );
    assert.deepEqual(nothing.deleted, []);
    assert.equal(
      again.notifications.at(-1)?.message,
      `Nothing to delete in oci:${folder}: 1 manifest picked, all kept.`,
    );
    await fs.rm(folder, { recursive: true, force: true });
  });
});
