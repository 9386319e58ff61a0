// Looking inside a tar layer from the tree, without pulling it: an image layer's folders and files, whiteouts and
// links named for what they are, a file opened as a read-only document, and names from the archive shown as text.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { BlobNode, LayerEntryNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { buildTar } from '../../helpers/tarBuilder';
import { pushBinaryArtifact, registryTarget } from './helpers/seed';
import { child, children, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

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

  it('a file and a folder at the same path both show, as `stowage files` lists them: the folder with what is below it, the file saying so', async () => {
    for (const [repository, entries] of [
      // A file where the layer lists entries below its path.
      [
        'clash/file-then-child',
        [
          { name: 'a', content: 'file a' },
          { name: 'a/x', content: 'x' },
        ],
      ],
      // A folder, its content, then a file of the same name: the listing keeps the file (as extracting would).
      [
        'clash/dir-then-file',
        [
          { name: 'a/', type: 'directory' as const },
          { name: 'a/x', content: 'x' },
          { name: 'a', content: 'file a' },
        ],
      ],
    ] as const) {
      await pushBinaryArtifact(
        registryTarget(registry, repository),
        undefined,
        gzipSync(await buildTar([...entries])),
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
        `${repository}: ${JSON.stringify(shown)}`,
      );
      assert.notEqual(shown[0]!.id, shown[1]!.id, 'the two rows share an id');
      assert.deepEqual(await labels(api.registries, rows[0]!), ['x'], `${repository}: the folder's content`);
    }
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
});
