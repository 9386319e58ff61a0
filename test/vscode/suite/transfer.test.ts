// Push as Artifact… from Explorer selections and Pull Artifact… back onto disk, against a real registry.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shortDigest } from '../../../src/core/oci';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { PullOutcome } from '../../../src/vscode/commands/pullArtifact';
import type { PushOutcome } from '../../../src/vscode/commands/pushArtifact';
import type { ManifestNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { digestOf } from '../../../src/core/content/hashing';
import { EMPTY_DIGEST } from '../../../src/core/oci/mediaTypes';
import { pushArtifact } from '../../../src/core/files/artifact';
import { isIndex, titleOf } from '../../../src/core/oci/descriptor';
import { HASH_IN_WORKER_FROM } from '../../../src/core/content/hashingFileWrite';
import { startFaultProxy } from '../../fixtures/faultProxy';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushBinaryArtifact, pushFluxArtifact, pushHelmChart, registryTarget } from './helpers/seed';
import { buildTar } from '../../helpers/tarBuilder';
import { gzipSync } from 'node:zlib';
import { answering, child, children, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Push as Artifact… and Pull Artifact…', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let workspace: string;
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  });

  after(async () => {
    await setRegistries([]);
    await registry.stop();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function registryNode(): Promise<RegistryNode> {
    return waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
  }

  function sourceFolder(name: string): string {
    const folder = path.join(workspace, name);
    made.push(folder);
    fs.mkdirSync(path.join(folder, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'readme.txt'), 'pushed from the explorer\n');
    fs.writeFileSync(path.join(folder, 'nested', 'data.bin'), randomBytes(200_000));
    return folder;
  }

  it('pushes an Explorer folder to a new repository, the tag appears, and a pull writes the same bytes into a new folder', async () => {
    const folder = sourceFolder('push-folder');
    const push = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('pushed/folder')
      .thenInput('v1')
      .thenPick('application/vnd.stowage.artifact.v1')
      .thenInput('org.opencontainers.image.description=from the tests')
      .thenConfirm(true);
    const uri = vscode.Uri.file(folder);
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushOutcome>('stowage.artifact.push', uri, [uri]),
    );
    assert.equal(pushed.reference, `${registry.host}/pushed/folder:v1`);
    // The folder packs before anything is sent: the notification says how far, up to its whole size.
    const packing = api
      .shownTransferProgress()
      .map((p) => p.message)
      .filter((m) => m.startsWith('Packing '));
    assert.equal(packing.at(-1), 'Packing push-folder: 195 KiB of 195 KiB', JSON.stringify(packing));
    assert.deepEqual(
      push.notifications.map((n) => [n.severity, n.message, n.actions]),
      [
        [
          'info',
          `Pushed 1 item to ${pushed.reference} as ${shortDigest(pushed.digest, { withAlgorithm: true })}.`,
          ['Copy Pinned Reference'],
        ],
      ],
      'a push that worked says so, with the digest as the tree shows it',
    );
    // The total shows once the destination is known ("Repository in …" asked for its name).
    assert.deepEqual(push.stepsShown, ['1', '1', '2/4', '3/4', '4/4', ''], 'each question says where it stands');
    const types = push.asked.find((q) => q.prompt === 'What kind of artifact is this?')!.items!.map((i) => i.label);
    assert.ok(types.includes(MediaType.cyclonedx), JSON.stringify(types));
    assert.ok(!types.includes(MediaType.ociConfig), 'files are not offered as an image (OCI image config)');
    for (const type of [MediaType.helmConfig, MediaType.wasmConfig])
      assert.ok(!types.includes(type), `files are not offered as ${type}: helm and wasm runtimes would refuse them`);
    const summary = push.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.match(summary.detail ?? '', /push-folder\/ — folder/);
    assert.match(summary.detail ?? '', /org\.opencontainers\.image\.description: from the tests/);

    const repository = await waitFor('the pushed repository in the tree', async () => {
      const root = await registryNode();
      return (await children(api.registries, root)).find(
        (n) => n.type === 'repository' && n.store.repository === 'pushed/folder',
      );
    });
    assert.deepEqual(await labels(api.registries, repository), ['v1']);
    const tag = await child(api.registries, repository, 'v1');
    assert.deepEqual(await labels(api.registries, tag), ['config', 'push-folder']);

    const destination = path.join(workspace, 'pulled-folder');
    made.push(destination);
    const pull = new ScriptedPrompts().thenFolder(destination).thenChoose('Pull');
    const pulled = await answering(api, pull, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', tag),
    );
    assert.equal(pulled.folder, destination);
    assert.match(
      pull.notifications.at(-1)?.message ?? '',
      new RegExp(
        `^Pulled 1 item of ${registry.host}/pushed/folder:v1 \\(sha256:[0-9a-f]{12}\\) into .*pulled-folder\\.$`,
      ),
    );
    const listing = pull.asked.find((q) => q.kind === 'choose')!.choose!;
    assert.match(listing.detail ?? '', /push-folder\/ \(folder\)/);
    for (const file of ['readme.txt', path.join('nested', 'data.bin')]) {
      assert.ok(
        fs.readFileSync(path.join(destination, 'push-folder', file)).equals(fs.readFileSync(path.join(folder, file))),
        `${file} differs`,
      );
    }

    const again = new ScriptedPrompts().thenFolder(destination).thenChoose(undefined);
    assert.equal(
      await answering(api, again, () => vscode.commands.executeCommand('stowage.artifact.pull', tag)),
      undefined,
    );
    const conflict = again.asked.find((q) => q.kind === 'choose')!.choose!;
    assert.match(conflict.message, /replacing 1 existing item/);
    assert.match(
      conflict.detail ?? '',
      /exists, its files will be replaced where they differ \(your other files stay\)/,
    );
  });

  it('Push as Artifact… numbers its questions, Back goes to the question before with the answer kept (into the destination question too), and the done notification copies the pinned reference', async () => {
    const folder = sourceFolder('push-steps');
    await vscode.env.clipboard.writeText('untouched');
    const push = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('steps/push')
      .thenBack('input')
      .thenKeep('pick')
      .thenKeep('input')
      .thenInput('v1')
      .thenPick('application/vnd.stowage.artifact.v1')
      .thenBack('input')
      .thenKeep('pick')
      .thenInput('')
      .thenConfirm(true)
      .pressingInNotifications('Copy Pinned Reference');
    const uri = vscode.Uri.file(path.join(folder, 'readme.txt'));
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushOutcome>('stowage.artifact.push', uri, [uri]),
    );
    assert.deepEqual(push.stepsShown, ['1', '1', '2/4', '1', '1', '2/4', '3/4', '4/4', '3/4', '4/4', '']);
    const [destination, repository, tag, destinationAgain, repositoryAgain, tagAgain] = push.asked;
    assert.equal(destination!.step!.back, false, 'the first question has nothing to go back to');
    assert.equal(repository!.step!.back, true);
    assert.equal(tag!.value, 'latest');
    assert.deepEqual(
      destinationAgain!.activeLabels,
      [`Repository in ${registry.host}…`],
      'the destination chosen is kept',
    );
    assert.equal(repositoryAgain!.value, 'steps/push', 'the repository typed is kept');
    assert.equal(tagAgain!.value, 'latest');
    assert.deepEqual(push.asked[8]!.activeLabels, ['application/vnd.stowage.artifact.v1'], 'the type chosen is kept');
    assert.equal(pushed.reference, `${registry.host}/steps/push:v1`);
    assert.equal((await registryTarget(registry, 'steps/push').resolve('v1')).digest, pushed.digest);
    await waitFor('the pinned reference on the clipboard', async () =>
      (await vscode.env.clipboard.readText()) === `${pushed.reference}@${pushed.digest}` ? true : undefined,
    );
  });

  it('pushes to a typed reference on a registry nobody configured (its tag from the reference), then offers to add it', async () => {
    const folder = sourceFolder('push-typed');
    const elsewhere = await startRegistry({ variant: 'plain' });
    try {
      const push = new ScriptedPrompts()
        .thenPick('Other registry or reference…')
        .thenInput(`${elsewhere.host}/typed/push:t1`)
        .thenPick('application/vnd.stowage.artifact.v1')
        .thenInput('')
        .thenConfirm(true);
      const uri = vscode.Uri.file(path.join(folder, 'readme.txt'));
      const pushed = await answering(api, push, () =>
        vscode.commands.executeCommand<PushOutcome>('stowage.artifact.push', uri, [uri]),
      );
      assert.equal(pushed.reference, `${elsewhere.host}/typed/push:t1`);
      assert.equal((await registryTarget(elsewhere, 'typed/push').resolve('t1')).digest, pushed.digest);
      assert.ok(!push.asked.some((q) => q.prompt?.startsWith('Tag')), 'the tag came with the reference');
      // The reference typed names the tag: no total is shown until it is known, and none counts a tag question.
      assert.deepEqual(push.stepsShown, ['1', '1', '2/3', '3/3', ''], 'no tag question counted once it is known');
      const offer = await waitFor('the offer to add the registry', () =>
        push.notifications.find((n) => n.actions.includes('Add to Registries')),
      );
      assert.equal(
        offer.message,
        `Pushed 1 item to ${elsewhere.host}/typed/push:t1 as ${shortDigest(pushed.digest, { withAlgorithm: true })}. ${elsewhere.host} is not in the Registries view (reached over plain HTTP, as this registry on this machine answered).`,
      );
      assert.deepEqual(offer.actions, ['Copy Pinned Reference', 'Add to Registries'], 'one notification says it all');
      assert.equal(push.notifications.filter((n) => n.message.startsWith('Pushed')).length, 1);
    } finally {
      await elsewhere.stop();
    }
  });

  it('pushes several selected files onto a repository node as one artifact with one layer per file', async () => {
    const folder = sourceFolder('push-files');
    const files = [path.join(folder, 'readme.txt'), path.join(folder, 'nested', 'data.bin')].map((f) =>
      vscode.Uri.file(f),
    );
    const repositoryNode = {
      type: 'repository',
      id: `registry:${registry.host}/pushed/files`,
      store: { kind: 'registry', host: registry.host, repository: 'pushed/files' },
    };
    const push = new ScriptedPrompts()
      .thenInput('files')
      .thenPick('Other…')
      .thenInput('application/vnd.example.bundle.v1')
      .thenInput('')
      .thenConfirm(true);
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushOutcome>('stowage.artifact.push', files[0], files, {
        destination: repositoryNode.store,
      }),
    );
    assert.equal(pushed.reference, `${registry.host}/pushed/files:files`);

    const repository = await child(api.registries, await registryNode(), 'pushed/files');
    const tag = await child(api.registries, repository, 'files');
    assert.deepEqual(await labels(api.registries, tag), ['config', 'readme.txt', 'data.bin']);

    const destination = path.join(workspace, 'pulled-files');
    made.push(destination);
    const pulled = await answering(api, new ScriptedPrompts().thenFolder(destination).thenChoose('Pull'), () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', tag),
    );
    assert.deepEqual(pulled.files.map((f) => path.basename(f)).sort(), ['data.bin', 'readme.txt']);
    assert.ok(fs.readFileSync(path.join(destination, 'data.bin')).equals(fs.readFileSync(files[1]!.fsPath)));

    // Pulling again into the same folder: nothing to replace, nothing asked, the user is told it is up to date.
    const before = fs.statSync(path.join(destination, 'data.bin'));
    const again = new ScriptedPrompts().thenFolder(destination);
    const repeated = await answering(api, again, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', tag),
    );
    assert.equal(repeated.folder, destination);
    assert.ok(!again.asked.some((q) => q.kind === 'confirm'), 'no confirmation for a pull that changes nothing');
    assert.match(again.notifications.at(-1)?.message ?? '', /^Already up to date: .*pulled-files holds the 2 files/);
    assert.equal(fs.statSync(path.join(destination, 'data.bin')).ino, before.ino, 'the file was left as it was');

    // One file edited since: only that one is a conflict, the other is listed as unchanged.
    fs.writeFileSync(path.join(destination, 'readme.txt'), 'edited here');
    const edited = new ScriptedPrompts().thenFolder(destination).thenChoose(undefined);
    await answering(api, edited, () => vscode.commands.executeCommand('stowage.artifact.pull', tag));
    const question = edited.asked.find((q) => q.kind === 'choose')!.choose!;
    assert.match(question.message, /replacing 1 existing item/);
    assert.match(question.detail ?? '', /readme\.txt — .* — exists, will be replaced/);
    assert.match(question.detail ?? '', /data\.bin — .* — already there, unchanged/);
  });

  it('names a Helm chart pushed as helm push does by its chart, and pulls it as helm pull names the file', async () => {
    const archive = randomBytes(3000);
    const chart = { name: 'webapp', version: '0.1.0+build.7', appVersion: '1.16.0' };
    const { tag: chartTag } = await pushHelmChart(registryTarget(registry, 'charts/webapp'), chart, archive);
    const repository: TreeNode = {
      type: 'repository',
      id: `registry:${registry.host}/charts/webapp`,
      store: { kind: 'registry', host: registry.host, repository: 'charts/webapp' },
    };
    const tag = await child(api.registries, repository, chartTag);
    await waitFor('the chart named in the tree', async () =>
      /^Helm chart · webapp 0\.1\.0\+build\.7 · app 1\.16\.0/.test(String(api.registries.getTreeItem(tag).description))
        ? true
        : undefined,
    );

    assert.deepEqual(
      await labels(api.registries, tag),
      ['config', 'webapp-0.1.0+build.7.tgz'],
      'the chart layer is named as the pull writes it',
    );
    const destination = path.join(workspace, 'pulled-chart');
    made.push(destination);
    const pull = new ScriptedPrompts().thenFolder(destination).thenChoose('Pull');
    const pulled = await answering(api, pull, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', tag),
    );
    assert.deepEqual(pulled?.files, [path.join(destination, 'webapp-0.1.0+build.7.tgz')]);
    assert.ok(fs.readFileSync(path.join(destination, 'webapp-0.1.0+build.7.tgz')).equals(archive));
    assert.match(
      pull.asked.find((q) => q.kind === 'choose')!.choose!.detail ?? '',
      /^webapp-0\.1\.0\+build\.7\.tgz — /,
    );
  });

  it("Pull Artifact… of a Helm chart reads the chart's config once, while a progress notification shows (and can cancel)", async () => {
    const archive = randomBytes(2000);
    const chart = { name: 'readonce', version: '2.0.0', appVersion: '1' };
    const seeded = await pushHelmChart(registryTarget(registry, 'charts/readonce'), chart, archive);
    const configPath = `/charts/readonce/blobs/${seeded.manifest.config.digest}`;
    // For each read of the config during the command: how many progress notifications were showing.
    const configReads: number[] = [];
    let pulling = false;
    const proxy = await startFaultProxy(registry.url, (req) => {
      if (pulling && req.method === 'GET' && req.url.endsWith(configPath)) configReads.push(api.runningTransfers());
      return { forward: true };
    });
    try {
      await setRegistries([
        { host: registry.host, plainHttp: true },
        { host: proxy.host, plainHttp: true },
      ]);
      const node: ManifestNode = {
        type: 'manifest',
        id: `registry:${proxy.host}/charts/readonce/tag:${seeded.tag}`,
        store: { kind: 'registry', host: proxy.host, repository: 'charts/readonce' },
        tag: seeded.tag,
      };
      const destination = path.join(workspace, 'pulled-readonce');
      made.push(destination);
      const prompts = new ScriptedPrompts().thenFolder(destination).thenChoose('Pull');
      pulling = true;
      const pulled = await answering(api, prompts, () =>
        vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', node),
      );
      pulling = false;
      assert.deepEqual(
        pulled?.files,
        [path.join(destination, 'readonce-2.0.0.tgz')],
        JSON.stringify(prompts.notifications),
      );
      assert.deepEqual(configReads, [1], 'one read of the config, inside a progress notification');
    } finally {
      await setRegistries([{ host: registry.host, plainHttp: true }]);
      await proxy.close();
    }
  });

  it("Push as Artifact… of a packaged Helm chart offers Helm's shape: <namespace>/<name>:<version>, as helm push stores it", async () => {
    const chartFile = path.join(workspace, 'web-1.0.0+b.2.tgz');
    made.push(chartFile);
    const archive = gzipSync(
      await buildTar([
        { name: 'web/Chart.yaml', content: 'apiVersion: v2\nname: web\nversion: 1.0.0+b.2\ndescription: Web\n' },
        { name: 'web/values.yaml', content: 'a: 1\n' },
      ]),
    );
    fs.writeFileSync(chartFile, archive);
    const uri = vscode.Uri.file(chartFile);
    const prompts = new ScriptedPrompts().thenChoose('As Helm Chart').thenConfirm(true);
    const pushed = await answering(api, prompts, () =>
      vscode.commands.executeCommand<PushOutcome>('stowage.artifact.push', uri, [uri], {
        destination: { kind: 'registry', host: registry.host, repository: 'helmns' },
      }),
    );
    assert.equal(pushed?.reference, `${registry.host}/helmns/web:1.0.0_b.2`, JSON.stringify(prompts.notifications));
    const { manifest } = await registryTarget(registry, 'helmns/web').fetchManifest('1.0.0_b.2');
    assert.ok(!isIndex(manifest));
    assert.equal(manifest.config.mediaType, MediaType.helmConfig);
    assert.deepEqual(
      manifest.layers.map((l) => [l.mediaType, l.digest, titleOf(l)]),
      [[MediaType.helmChart, digestOf(archive), undefined]],
    );
    assert.match(prompts.asked.find((q) => q.kind === 'confirm')!.confirm!.message, /helmns\/web:1\.0\.0_b\.2\?$/);
  });

  it('Pull Artifact… of a Flux artifact extracts its files into the chosen folder, as flux pull artifact does', async () => {
    const archive = gzipSync(
      await buildTar([
        { name: './', type: 'directory' },
        { name: './apps/', type: 'directory' },
        { name: './apps/web.yaml', content: 'kind: Deployment\n' },
      ]),
    );
    await pushFluxArtifact(registryTarget(registry, 'flux/fleet'), archive, 'latest');
    const repository: TreeNode = {
      type: 'repository',
      id: `registry:${registry.host}/flux/fleet`,
      store: { kind: 'registry', host: registry.host, repository: 'flux/fleet' },
    };
    const tag = await child(api.registries, repository, 'latest');
    const destination = path.join(workspace, 'pulled-flux');
    made.push(destination);
    const pull = new ScriptedPrompts().thenFolder(destination).thenChoose('Pull');
    const pulled = await answering(api, pull, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', tag),
    );
    assert.equal(pulled?.folder, destination, JSON.stringify(pull.notifications));
    assert.equal(fs.readFileSync(path.join(destination, 'apps', 'web.yaml'), 'utf8'), 'kind: Deployment\n');
    assert.match(
      pull.asked.find((q) => q.kind === 'choose')!.choose!.detail ?? '',
      /^the Flux artifact's files, extracted into this folder — /,
    );
  });

  it('Pull Artifact… of a module whose one layer has no file name does not call it a container image', async () => {
    const target = registryTarget(registry, 'untitled/kinds');
    await pushBinaryArtifact(target, undefined, randomBytes(100), 'image', MediaType.ociLayerGzip);
    await pushBinaryArtifact(target, undefined, randomBytes(100), 'module', 'application/wasm');
    const repository: TreeNode = {
      type: 'repository',
      id: `registry:${registry.host}/untitled/kinds`,
      store: { kind: 'registry', host: registry.host, repository: 'untitled/kinds' },
    };
    const told: Record<string, string> = {};
    for (const tagName of ['image', 'module']) {
      const prompts = new ScriptedPrompts();
      const tag = await child(api.registries, repository, tagName);
      await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.pull', tag));
      told[tagName] = prompts.notifications.find((n) => n.message.startsWith('Nothing to pull'))?.message ?? '';
    }
    assert.match(told['image']!, /, as a container image's layers\. Copy it/);
    assert.match(told['module']!, /has no layers with a file name \(org\.opencontainers\.image\.title\)\. Copy it/);
  });

  it('Pull Artifact… of a manifest whose layers are no descriptors names the layer instead of failing with a TypeError', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-bad-layers-'));
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
        layers: [null],
      }),
    );
    await layout.pushManifest(
      { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length },
      bytes,
      {
        tag: 'bad',
      },
    );
    const prompts = new ScriptedPrompts();
    const node: ManifestNode = {
      type: 'manifest',
      id: `layout:${folder}:bad`,
      store: { kind: 'layout', path: folder },
      tag: 'bad',
    };
    await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.pull', node));
    const errors = prompts.notifications.filter((n) => n.severity === 'error').map((n) => n.message);
    assert.equal(errors.length, 1, JSON.stringify(prompts.notifications));
    assert.match(errors[0]!, /layer 1 of the manifest is not an object/);
    assert.doesNotMatch(errors[0]!, /is not a function|TypeError/);
    assert.equal(prompts.asked.filter((q) => q.kind === 'openDialog').length, 0, 'no folder was asked for');
  });

  it('pulls a large file through the hashing thread beside the bundle, byte for byte', async () => {
    const folder = sourceFolder('large-pull');
    const file = path.join(folder, 'large.bin');
    fs.writeFileSync(file, randomBytes(HASH_IN_WORKER_FROM + 12345));
    await pushArtifact(registryTarget(registry, 'pulled/large'), [file], { tag: 'v1' });
    // Pushed behind the extension's back: the registry's cached catalog may not list it, its repository node does.
    const repository: TreeNode = {
      type: 'repository',
      id: `registry:${registry.host}/pulled/large`,
      store: { kind: 'registry', host: registry.host, repository: 'pulled/large' },
    };
    const tag = await child(api.registries, repository, 'v1');

    const destination = path.join(workspace, 'pulled-large');
    made.push(destination);
    const before = api.hashingWorkerWrites();
    await answering(api, new ScriptedPrompts().thenFolder(destination).thenChoose('Pull'), () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', tag),
    );
    assert.ok(fs.readFileSync(path.join(destination, 'large.bin')).equals(fs.readFileSync(file)));
    assert.equal(
      api.hashingWorkerWrites(),
      before + 1,
      'the extension bundle found and used dist/hashingFileWorker.js',
    );
  });

  it('dropping Explorer files on a repository node pushes them there as one artifact', async () => {
    const folder = sourceFolder('drop-files');
    const files = [path.join(folder, 'readme.txt'), path.join(folder, 'nested', 'data.bin')].map((f) =>
      vscode.Uri.file(f),
    );
    const repository: TreeNode = {
      type: 'repository',
      id: `registry:${registry.host}/dropped/files`,
      store: { kind: 'registry', host: registry.host, repository: 'dropped/files' },
    };
    const data = new vscode.DataTransfer();
    // What the Explorer puts on a drag: one URI per line.
    data.set('text/uri-list', new vscode.DataTransferItem(files.map((f) => f.toString()).join('\r\n')));
    const push = new ScriptedPrompts()
      .thenInput('dropped')
      .thenPick('Other…')
      .thenInput('application/vnd.example.bundle.v1')
      .thenInput('')
      .thenConfirm(true);
    await answering(api, push, () => api.dragAndDrop.handleDrop(repository, data));

    const manifest = await registryTarget(registry, 'dropped/files').fetchManifest('dropped');
    assert.ok(!isIndex(manifest.manifest));
    assert.deepEqual(manifest.manifest.layers.map(titleOf), ['readme.txt', 'data.bin']);
    assert.equal(manifest.manifest.artifactType, 'application/vnd.example.bundle.v1');
  });

  it('asks before pushing a folder holding .env and .git: cancelling pushes nothing, "Push Them Too" pushes it', async () => {
    const folder = sourceFolder('push-secrets');
    fs.writeFileSync(path.join(folder, '.env'), 'API_TOKEN=secret\n');
    fs.mkdirSync(path.join(folder, '.git'));
    fs.writeFileSync(path.join(folder, '.git', 'config'), '[credential]\n\thelper = store\n');
    const uri = vscode.Uri.file(folder);

    const refused = new ScriptedPrompts().thenConfirm(false);
    const outcome = await answering(api, refused, () =>
      vscode.commands.executeCommand<PushOutcome | undefined>('stowage.artifact.push', uri, [uri]),
    );
    assert.equal(outcome, undefined);
    const question = refused.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.match(question.message, /often hold secrets/);
    assert.match(question.detail ?? '', /push-secrets\/\.env/);
    assert.match(question.detail ?? '', /push-secrets\/\.git/);
    await assert.rejects(registryTarget(registry, 'pushed/secrets').resolve('v1'), /not found/i);

    const allowed = new ScriptedPrompts()
      .thenConfirm(true)
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('pushed/secrets')
      .thenInput('v1')
      .thenPick('application/vnd.stowage.artifact.v1')
      .thenInput('')
      .thenConfirm(true);
    const pushed = await answering(api, allowed, () =>
      vscode.commands.executeCommand<PushOutcome>('stowage.artifact.push', uri, [uri]),
    );
    assert.equal(pushed.reference, `${registry.host}/pushed/secrets:v1`);
  });
});
