// Looking inside a tar layer from the tree, without pulling it: an image layer's folders and files, whiteouts and
// links named for what they are, a file opened as a read-only document, and names from the archive shown as text;
// the layers of an image inside a layout archive (umoci built it, skopeo wrote the archive) the same way.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { ArchiveTarget } from '../../../src/core/layout';
import { isIndex, shortDigest } from '../../../src/core/oci';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { BlobNode, LayerEntryNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { runSkopeo } from '../../fixtures/skopeo';
import { requireTool } from '../../fixtures/tools';
import { buildTar } from '../../helpers/tarBuilder';
import { pushBinaryArtifact, registryTarget } from './helpers/seed';
import { child, children, labels, layoutRow, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Files inside a layer', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
  });

  afterEach(async () => {
    await setRegistries([]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await registry?.stop();
  });

  async function layerNode(repository: string, tag: string): Promise<BlobNode> {
    const root = await waitFor(`registry ${registry.host}`, async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const manifest = await child(api.registries, await child(api.registries, root, repository), tag);
    const layer = (await children(api.registries, manifest)).find(
      (n): n is BlobNode => n.type === 'blob' && n.role === 'layer',
    );
    assert.ok(layer, 'the manifest shows its layer');
    return layer;
  }

  const entryNamed = async (parent: TreeNode, name: string): Promise<LayerEntryNode> =>
    (await child(api.registries, parent, name)) as LayerEntryNode;

  it('a path a layer lists twice is its last copy, as extracting leaves it: listed once, opened as the last', async () => {
    const layerBytes = gzipSync(
      await buildTar([
        { name: 'etc/motd', content: 'first copy\n' },
        { name: 'etc/hostname', content: 'box\n' },
        { name: 'etc/motd', content: 'the last copy\n' },
      ]),
    );
    await pushBinaryArtifact(
      registryTarget(registry, 'image/twice'),
      undefined,
      layerBytes,
      'v1',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['image/twice'] }]);
    const etc = await entryNamed(await layerNode('image/twice', 'v1'), 'etc');
    assert.deepEqual(await labels(api.registries, etc), ['hostname', 'motd']);
    const motd = await entryNamed(etc, 'motd');
    assert.equal(api.registries.getTreeItem(motd).description, '14 B');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.layerFile.open', motd);
    assert.equal(document.getText(), 'the last copy\n');
  });

  it('a layer row says what the layer unpacks to once it was expanded (not before: that would read every layer)', async () => {
    const content = Buffer.alloc(100_000, 'a'); // gzips to a few hundred bytes
    const layerBytes = gzipSync(await buildTar([{ name: 'var/log/big.log', content }]));
    await pushBinaryArtifact(
      registryTarget(registry, 'image/sized'),
      undefined,
      layerBytes,
      'v1',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['image/sized'] }]);
    const layer = await layerNode('image/sized', 'v1');
    const before = api.registries.getTreeItem(layer);
    assert.doesNotMatch(String(before.description), /unpacked/, 'not read yet: nothing to say');

    const redrawn = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the layer row was not redrawn within 30 s')), 30_000);
      const listening = api.registries.onDidChangeTreeData((changed) => {
        if (changed && !Array.isArray(changed) && (changed as TreeNode).id === layer.id) {
          listening.dispose();
          clearTimeout(timer);
          resolve();
        }
      });
    });
    assert.deepEqual(await labels(api.registries, layer), ['var']);
    await redrawn; // the row is redrawn once its layer was read
    const after = api.registries.getTreeItem(layer);
    assert.match(String(after.description), / · 98 KiB unpacked · /);
    assert.match(String(after.tooltip), /unpacks to 98 KiB \(100000 bytes\)/);
    assert.match(String(after.accessibilityInformation?.label), /, 98 KiB unpacked, /);
  });

  it('an image layer expands into its folders and files; a file opens as text; whiteouts and links say what they are', async () => {
    const layerBytes = gzipSync(
      await buildTar([
        { name: './', type: 'directory' },
        { name: './etc/', type: 'directory' },
        { name: './etc/os-release', content: 'NAME="Demo Linux"\nID=demo\n' },
        { name: './etc/.wh.motd', content: '' },
        { name: './usr/lib/.wh..wh..opq', content: '' },
        { name: './usr/bin/tool', content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), mode: 0o755 },
        { name: './usr/bin/sh', type: 'symlink', linkname: 'busybox' },
        { name: './etc/issue', type: 'link', linkname: './etc/os-release' },
      ]),
    );
    await pushBinaryArtifact(
      registryTarget(registry, 'image/app'),
      undefined,
      layerBytes,
      'v1',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['image/app'] }]);

    const layer = await layerNode('image/app', 'v1');
    assert.equal(
      api.registries.getTreeItem(layer).collapsibleState,
      vscode.TreeItemCollapsibleState.Collapsed,
      'a tar layer can be expanded',
    );
    assert.deepEqual(await labels(api.registries, layer), ['etc', 'usr']);
    const etc = await entryNamed(layer, 'etc');
    assert.deepEqual(await labels(api.registries, etc), ['issue', 'motd', 'os-release']);
    const motd = api.registries.getTreeItem(await entryNamed(etc, 'motd'));
    assert.equal(motd.description, 'deleted by this layer');
    assert.equal(api.registries.getTreeItem(await entryNamed(etc, 'issue')).description, 'hard link to etc/os-release');
    const usr = await entryNamed(layer, 'usr');
    const lib = await entryNamed(usr, 'lib');
    assert.deepEqual(await labels(api.registries, lib), ['opaque folder marker']);
    const bin = await entryNamed(usr, 'bin');
    assert.equal(api.registries.getTreeItem(await entryNamed(bin, 'sh')).description, '→ busybox');

    const osRelease = await entryNamed(etc, 'os-release');
    const item = api.registries.getTreeItem(osRelease);
    assert.equal(item.command?.command, 'stowage.layerFile.open');
    assert.equal(item.description, '26 B');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.layerFile.open', osRelease);
    assert.equal(document.getText(), 'NAME="Demo Linux"\nID=demo\n');
    assert.ok(document.uri.path.endsWith('/os-release'), document.uri.toString());
    // The hard link opens what it names; a binary file is described, not shown.
    const issue = await vscode.commands.executeCommand<vscode.TextDocument>(
      'stowage.layerFile.open',
      await entryNamed(etc, 'issue'),
    );
    assert.equal(issue.getText(), 'NAME="Demo Linux"\nID=demo\n');
    const tool = await vscode.commands.executeCommand<vscode.TextDocument>(
      'stowage.layerFile.open',
      await entryNamed(bin, 'tool'),
    );
    assert.match(tool.getText(), /^File \/usr\/bin\/tool\n/);
    assert.match(tool.getText(), /binary content, 7 B; not shown/);
    // The layer itself, opened, says where its files are.
    const summary = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.blob.open', layer);
    assert.match(summary.getText(), /a tar archive: expand the layer in the Stowage tree/);
  });

  it('a file ORAS pushed (titled, with the media type of an uncompressed tar) is a file, not a folder to expand', async () => {
    await pushBinaryArtifact(
      registryTarget(registry, 'oras/file'),
      'notes.txt',
      Buffer.from('plain notes\n'),
      'v1',
      MediaType.ociLayer,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['oras/file'] }]);
    const layer = await layerNode('oras/file', 'v1');
    assert.equal(api.registries.getTreeItem(layer).collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.deepEqual(await children(api.registries, layer), []);
  });

  it('a file where the layer lists entries below its path shows both, as `stowage files` lists them: the folder with what is below it, the file saying so', async () => {
    const repository = 'clash/file-then-child';
    await pushBinaryArtifact(
      registryTarget(registry, repository),
      undefined,
      gzipSync(
        await buildTar([
          { name: 'a', content: 'file a' },
          { name: 'a/x', content: 'x' },
        ]),
      ),
      'v1',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: [repository] }]);
    const layer = await layerNode(repository, 'v1');
    const rows = await children(api.registries, layer);
    const shown = rows.map((n) => {
      const item = api.registries.getTreeItem(n);
      return { id: item.id, label: String(item.label), said: item.accessibilityInformation?.label };
    });
    assert.deepEqual(
      shown.map((r) => r.said),
      ['a, folder', 'a, file, 6 B, the layer also lists a folder of this name'],
      JSON.stringify(shown),
    );
    assert.notEqual(shown[0]!.id, shown[1]!.id, 'the two rows share an id');
    assert.deepEqual(await labels(api.registries, rows[0]!), ['x'], "the folder's content");
  });

  it('a folder the layer replaces with a file later shows as the file alone, and a hard link to a whiteout says it names a deleted file', async () => {
    // Extracting removes the folder and what it held when the file comes: `stowage files` lists the file alone too.
    const repository = 'clash/dir-then-file';
    await pushBinaryArtifact(
      registryTarget(registry, repository),
      undefined,
      gzipSync(
        await buildTar([
          { name: 'a/', type: 'directory' },
          { name: 'a/x', content: 'x' },
          { name: 'a', content: 'file a' },
          { name: 'bin/.wh.tool', content: '' },
          { name: 'bin/alias', type: 'link', linkname: 'bin/.wh.tool' },
        ]),
      ),
      'v1',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: [repository] }]);
    const layer = await layerNode(repository, 'v1');
    const rows = await children(api.registries, layer);
    assert.deepEqual(
      rows.map((n) => api.registries.getTreeItem(n).accessibilityInformation?.label),
      ['bin, folder', 'a, file, 6 B'],
    );
    const alias = await vscode.commands.executeCommand<vscode.TextDocument>(
      'stowage.layerFile.open',
      await entryNamed(await entryNamed(layer, 'bin'), 'alias'),
    );
    assert.match(
      alias.getText(),
      /a hard link to bin\/\.wh\.tool, which this layer deletes \(bin\/\.wh\.tool is a whiteout/,
    );
  });

  it('names from the archive are shown as text: control and bidi characters made visible, nothing read as a link', async () => {
    const layerBytes = gzipSync(
      await buildTar([
        { name: 'docs/read\u202Eme.txt', content: 'x' },
        { name: 'docs/[click](https://evil.example)', content: 'y' },
      ]),
    );
    await pushBinaryArtifact(
      registryTarget(registry, 'hostile/names'),
      undefined,
      layerBytes,
      'v1',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['hostile/names'] }]);
    const docs = await entryNamed(await layerNode('hostile/names', 'v1'), 'docs');
    const shown = await children(api.registries, docs);
    const texts = shown.map((n) => {
      const item = api.registries.getTreeItem(n);
      return `${String(item.label)} | ${String(item.tooltip)}`;
    });
    assert.equal(texts.length, 2);
    for (const text of texts) assert.ok(!text.includes('\u202E'), `a bidi override reached the tree: ${text}`);
    assert.ok(
      texts.some((t) => t.includes('[click]')),
      texts.join('\n'),
    );
  });

  it('the layers of an image inside a layout archive expand, numbered bottom first as `stowage files` does, and a file opens', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-layer-archive-'));
    // The archive goes where the Image Layouts view looks; the layout umoci builds it from does not.
    const shown = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'layer-archive');
    fs.mkdirSync(shown, { recursive: true });
    try {
      const layout = path.join(work, 'img');
      const umoci = (...args: string[]) => promisify(execFile)(requireTool('umoci'), args);
      await umoci('init', '--layout', layout);
      await umoci('new', '--image', `${layout}:base`);
      // Layer 1 writes os-release and motd; layer 2 replaces os-release and deletes motd (umoci writes a whiteout).
      const first = path.join(work, 'b1');
      await umoci('unpack', '--rootless', '--image', `${layout}:base`, first);
      fs.mkdirSync(path.join(first, 'rootfs/etc'), { recursive: true });
      fs.writeFileSync(path.join(first, 'rootfs/etc/os-release'), 'ID=demo\n');
      fs.writeFileSync(path.join(first, 'rootfs/etc/motd'), 'gone\n');
      await umoci('repack', '--image', `${layout}:base`, first);
      const second = path.join(work, 'b2');
      await umoci('unpack', '--rootless', '--image', `${layout}:base`, second);
      fs.rmSync(path.join(second, 'rootfs/etc/motd'));
      fs.writeFileSync(path.join(second, 'rootfs/etc/os-release'), 'ID=demo2\n');
      await umoci('repack', '--image', `${layout}:base`, second);
      const file = path.join(shown, 'image.tar');
      await runSkopeo(['copy', '--preserve-digests', `oci:${layout}:base`, `oci-archive:${file}:v1`]);
      const archive = await ArchiveTarget.open(file);
      const { manifest } = await archive.fetchManifest('v1');
      assert.ok(!isIndex(manifest));
      const [bottom, top] = manifest.layers!;

      const archiveNode = await layoutRow(api, file);
      assert.equal(archiveNode.store.archive, true);
      const image = await child(api.layouts, archiveNode, 'v1');
      assert.deepEqual(await labels(api.layouts, image), ['config', 'layer 1 of 2', 'layer 2 of 2']);
      const layer1 = (await child(api.layouts, image, 'layer 1 of 2')) as BlobNode;
      const layer2 = (await child(api.layouts, image, 'layer 2 of 2')) as BlobNode;
      // Layer 1 is the manifest's first, the bottom one, which `stowage files --layer 1` reads.
      assert.equal(layer1.descriptor.digest, bottom!.digest);
      assert.equal(layer2.descriptor.digest, top!.digest);
      const item = api.layouts.getTreeItem(layer1);
      assert.match(String(item.description), new RegExp(`^${shortDigest(bottom!.digest)} · \\d+ B · `));
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);

      const etc1 = await child(api.layouts, layer1, 'etc');
      assert.deepEqual(await labels(api.layouts, etc1), ['motd', 'os-release']);
      const motd = await vscode.commands.executeCommand<vscode.TextDocument>(
        'stowage.layerFile.open',
        await child(api.layouts, etc1, 'motd'),
      );
      assert.equal(motd.getText(), 'gone\n');
      const etc2 = await child(api.layouts, layer2, 'etc');
      assert.equal(
        api.layouts.getTreeItem(await child(api.layouts, etc2, 'motd')).description,
        'deleted by this layer',
      );
      const osRelease = await vscode.commands.executeCommand<vscode.TextDocument>(
        'stowage.layerFile.open',
        await child(api.layouts, etc2, 'os-release'),
      );
      assert.equal(osRelease.getText(), 'ID=demo2\n');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
      fs.rmSync(shown, { recursive: true, force: true });
      await vscode.commands.executeCommand('stowage.layouts.refresh');
    }
  });
});
