// Pull Artifact…'s questions and reads: numbered with Back, every manifest read inside a cancellable progress, and
// a Flux artifact meeting the user's own files asks before it replaces any of them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { PullOutcome } from '../../../src/vscode/commands/pullArtifact';
import type { ManifestNode } from '../../../src/vscode/tree/nodes';
import { startFaultProxy } from '../../fixtures/faultProxy';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { buildTar } from '../../helpers/tarBuilder';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushFluxArtifact, pushIndex, pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, stowageApi } from './helpers/stowage';

describe('Pull Artifact…: questions, reads and replacing', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let workspace: string;
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const target = registryTarget(registry, 'pull/multi');
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
  });

  after(async () => {
    await registry.stop();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  function folder(name: string): string {
    const dir = path.join(workspace, name);
    made.push(dir);
    return dir;
  }

  it('from the palette numbers its questions (the total once the reference is read) and Back goes to the reference typed, kept', async () => {
    const reference = `${registry.host}/pull/multi:multi`;
    const destination = folder('pulled-steps');
    const prompts = new ScriptedPrompts()
      .thenInput(reference)
      .thenBack('pick')
      .thenKeep('input')
      .thenPick('linux/arm64')
      .thenFolder(destination)
      .thenChoose('Pull');
    const pulled = await answering(api, prompts, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull'),
    );
    assert.deepEqual(pulled?.files, [path.join(destination, 'arm64.txt')], JSON.stringify(prompts.notifications));
    assert.equal(fs.readFileSync(path.join(destination, 'arm64.txt'), 'utf8'), 'arm');
    // The reference may name an index (a platform question) or not: no total until it is read.
    assert.deepEqual(prompts.stepsShown, ['1', '2/2', '1', '2/2', '', '']);
    assert.equal(prompts.asked[1]!.step!.back, true, 'the platform question offers Back');
    assert.equal(prompts.asked[2]!.value, reference, 'the reference typed is kept');
  });

  it('reads the tag, the index and the platform’s manifest inside a progress notification', async () => {
    // For each manifest request during the command: how many progress notifications were showing.
    const reads: { url: string; progress: number }[] = [];
    let pulling = false;
    const proxy = await startFaultProxy(registry.url, (req) => {
      if (pulling && req.url.includes('/manifests/')) reads.push({ url: req.url, progress: api.runningTransfers() });
      return { forward: true };
    });
    try {
      // A loopback registry nobody configured: reached as the CLI reaches it, and listed by no view.
      const node: ManifestNode = {
        type: 'manifest',
        id: `registry:${proxy.host}/pull/multi/tag:multi`,
        store: { kind: 'registry', host: proxy.host, repository: 'pull/multi' },
        tag: 'multi',
      };
      const destination = folder('pulled-in-progress');
      const prompts = new ScriptedPrompts().thenPick('linux/amd64').thenFolder(destination).thenChoose('Pull');
      pulling = true;
      const pulled = await answering(api, prompts, () =>
        vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', node),
      );
      pulling = false;
      assert.deepEqual(pulled?.files, [path.join(destination, 'amd64.txt')], JSON.stringify(prompts.notifications));
      assert.ok(
        reads.some((r) => r.url.endsWith('/manifests/multi')),
        JSON.stringify(reads),
      );
      assert.ok(reads.length >= 2, `the index and the platform's manifest are read: ${JSON.stringify(reads)}`);
      assert.deepEqual(
        reads.filter((r) => r.progress !== 1),
        [],
        'every manifest read runs inside one progress notification',
      );
    } finally {
      await proxy.close();
    }
  });

  it('a Flux artifact meeting files of the user’s that differ names them in a modal and replaces them only when told to, the other files kept', async () => {
    const archive = gzipSync(
      await buildTar([
        { name: './', type: 'directory' },
        { name: './apps/', type: 'directory' },
        { name: './apps/web.yaml', content: 'kind: Deployment\n' },
        { name: './kustomization.yaml', content: 'resources: [apps/web.yaml]\n' },
      ]),
    );
    await pushFluxArtifact(registryTarget(registry, 'pull/fleet'), archive, 'latest');
    const node: ManifestNode = {
      type: 'manifest',
      id: `registry:${registry.host}/pull/fleet/tag:latest`,
      store: { kind: 'registry', host: registry.host, repository: 'pull/fleet' },
      tag: 'latest',
    };
    const destination = folder('pulled-fleet');
    fs.mkdirSync(path.join(destination, 'apps'), { recursive: true });
    fs.writeFileSync(path.join(destination, 'apps', 'web.yaml'), 'my own edit\n');
    fs.writeFileSync(path.join(destination, 'notes.txt'), 'mine\n');

    // Cancelled: nothing written, no error.
    const cancel = new ScriptedPrompts().thenFolder(destination).thenChoose('Pull').thenChoose(undefined);
    const none = await answering(api, cancel, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', node),
    );
    assert.equal(none, undefined);
    const asked = cancel.asked.filter((q) => q.kind === 'choose').at(-1)!.choose!;
    assert.equal(asked.message, `1 file in ${destination} differs from the Flux artifact's. Replace it?`);
    assert.match(asked.detail ?? '', /^apps\/web\.yaml\n\nYour other files stay\./);
    assert.deepEqual(asked.actions, ['Replace and Pull']);
    assert.deepEqual(
      cancel.notifications.filter((n) => n.severity === 'error'),
      [],
      'a cancelled Replace is no failure',
    );
    assert.equal(fs.readFileSync(path.join(destination, 'apps', 'web.yaml'), 'utf8'), 'my own edit\n');
    assert.ok(!fs.existsSync(path.join(destination, 'kustomization.yaml')), 'a cancelled pull wrote a file');

    const replace = new ScriptedPrompts().thenFolder(destination).thenChoose('Pull').thenChoose('Replace and Pull');
    const pulled = await answering(api, replace, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', node),
    );
    assert.equal(pulled?.folder, destination, JSON.stringify(replace.notifications));
    assert.equal(fs.readFileSync(path.join(destination, 'apps', 'web.yaml'), 'utf8'), 'kind: Deployment\n');
    assert.equal(fs.readFileSync(path.join(destination, 'kustomization.yaml'), 'utf8'), 'resources: [apps/web.yaml]\n');
    assert.equal(fs.readFileSync(path.join(destination, 'notes.txt'), 'utf8'), 'mine\n', 'the user’s own file stays');
  });
});
