// Pull Artifact… on several selected rows: one folder chosen, each artifact into a folder of its own named after its
// tag, an index's platform asked, a container image skipped and said so, one modal naming every folder and what it
// replaces, one summary. Against the harness's real registry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { PullOutcome } from '../../../src/vscode/commands/pullArtifact';
import type { ManifestNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushBinaryArtifact, pushIndex, pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Pull Artifact… on several selected artifacts', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
  });

  after(async () => {
    await setRegistries([]);
    await registry.stop();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pulls each into a folder named after its tag under the one folder chosen: the index’s platform asked, the image skipped, what is replaced named first', async () => {
    const target = registryTarget(registry, 'pull/many');
    await pushTextArtifact(target, { 'app.txt': 'one', 'notes.txt': 'first' }, { tag: 'v1' });
    await pushTextArtifact(target, { 'app.txt': 'two' }, { tag: 'v2' });
    await pushBinaryArtifact(target, undefined, Buffer.from('not a tar'), 'img', MediaType.ociLayerGzip);
    const amd64 = await pushTextArtifact(target, { 'amd64.txt': 'x86' });
    const arm64 = await pushTextArtifact(target, { 'arm64.txt': 'arm' });
    await pushIndex(
      target,
      [
        { descriptor: amd64.descriptor, platform: { os: 'linux', architecture: 'amd64' } },
        { descriptor: arm64.descriptor, platform: { os: 'linux', architecture: 'arm64' } },
      ],
      'multi',
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['pull/many'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repository = await child(api.registries, root, 'pull/many');
    const rows = (await Promise.all(
      ['v1', 'v2', 'img', 'multi'].map((tag) => child(api.registries, repository, tag)),
    )) as ManifestNode[];
    const folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'pulled-several');
    made.push(folder);
    // v2's folder holds an older app.txt of the user's: it is named before it is replaced.
    fs.mkdirSync(path.join(folder, 'v2'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'v2', 'app.txt'), 'old');

    const prompts = new ScriptedPrompts().thenPick('linux/arm64').thenFolder(folder).thenChoose('Replace and Pull');
    const outcomes = await answering(api, prompts, () =>
      vscode.commands.executeCommand<PullOutcome[]>('stowage.artifact.pull', rows[0], rows),
    );

    assert.equal(prompts.asked[0]!.prompt, 'multi is an index: which manifest?');
    assert.match(prompts.asked[1]!.title, /folder to pull 3 artifacts into \(a folder each, named after its tag\)/);
    const question = prompts.asked[2]!.choose!;
    assert.equal(
      question.message,
      `Pull 3 artifacts into ${folder}, each into a folder named after its tag, replacing 1 existing item?`,
    );
    assert.match(question.detail ?? '', /^v1\/ — 2 items, 8 B$/m);
    assert.match(question.detail ?? '', /^v2\/ — 1 item, 3 B — 1 existing item replaced$/m);
    assert.match(question.detail ?? '', /^multi\/ — 1 item, 3 B$/m);
    assert.match(question.detail ?? '', /Skipped: img \(a container image's layers have no file name\)\./);

    const read = (...parts: string[]) => fs.readFileSync(path.join(folder, ...parts), 'utf8');
    assert.deepEqual(
      [read('v1', 'app.txt'), read('v1', 'notes.txt'), read('v2', 'app.txt'), read('multi', 'arm64.txt')],
      ['one', 'first', 'two', 'arm'],
    );
    assert.equal(fs.existsSync(path.join(folder, 'img')), false, 'nothing is written for the image');
    assert.deepEqual(
      outcomes?.map((o) => path.basename(o.folder)),
      ['v1', 'v2', 'multi'],
    );
    assert.deepEqual(prompts.notifications, [
      {
        severity: 'info',
        message: `Pulled 3 artifacts into ${folder}: v1 (2 items), v2 (1 item), multi (1 item). Skipped img (a container image's layers have no file name).`,
        actions: [],
      },
    ]);
  });
  it('never pulls two artifacts into one folder: a tag spelling another row’s digest name, or another tag but for case, gets a folder of its own', async () => {
    const target = registryTarget(registry, 'pull/clash');
    const legit = await pushTextArtifact(target, { 'app.txt': 'legit' }, { tag: 'release' });
    // A registry names an artifact of its own after the folder the legitimate one (chosen by digest) is pulled into.
    const spoof = `sha256-${legit.descriptor.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    await pushTextArtifact(target, { 'evil.sh': 'planted' }, { tag: spoof });
    await pushTextArtifact(target, { 'lower.txt': 'lower' }, { tag: 'rel' });
    await pushTextArtifact(target, { 'upper.txt': 'upper' }, { tag: 'REL' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['pull/clash'] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repository = await child(api.registries, root, 'pull/clash');
    const tagged = (await Promise.all(
      [spoof, 'rel', 'REL', 'release'].map((tag) => child(api.registries, repository, tag)),
    )) as ManifestNode[];
    const release = tagged[3]!;
    // The legitimate artifact's row chosen by digest (as a digest row of the tree is: no tag).
    const byDigest: ManifestNode = {
      ...release,
      id: `${release.id}@digest`,
      tag: undefined,
      descriptor: legit.descriptor,
    };
    const rows = [byDigest, tagged[0]!, tagged[1]!, tagged[2]!];
    const folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'pulled-clash');
    made.push(folder);

    const prompts = new ScriptedPrompts().thenFolder(folder).thenChoose('Pull');
    const outcomes = await answering(api, prompts, () =>
      vscode.commands.executeCommand<PullOutcome[]>('stowage.artifact.pull', rows[0], rows),
    );

    assert.deepEqual(
      outcomes?.map((o) => path.basename(o.folder)),
      [spoof, `${spoof}-2`, 'rel', 'REL-2'],
    );
    assert.deepEqual(fs.readdirSync(path.join(folder, spoof)), ['app.txt'], 'the planted file is not in its folder');
    assert.deepEqual(fs.readdirSync(path.join(folder, `${spoof}-2`)), ['evil.sh']);
    assert.deepEqual(fs.readdirSync(path.join(folder, 'REL-2')), ['upper.txt']);
    assert.match(prompts.asked[1]!.choose!.detail ?? '', new RegExp(`^${spoof}-2/ — 1 item`, 'm'));
  });
});
