// What a screen reader says for every kind of row in the Stowage trees: each row's accessible name says what the
// row is in words (a registry, a repository, a tag, a platform manifest, a referrer, a layer, a folder or file
// inside it, a layout, a layout archive), never a 64-digit digest, and names from a registry or an archive reach it
// escaped like every other text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { copy } from '../../../src/core/graph';
import { ArchiveTarget, LayoutTarget } from '../../../src/core/layout';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { buildTar } from '../../helpers/tarBuilder';
import { pushBinaryArtifact, pushIndex, pushTextArtifact, registryTarget } from './helpers/seed';
import { children, layoutRow, setRegistries, stowageApi, waitFor } from './helpers/stowage';

type Provider = StowageApi['registries'] | StowageApi['layouts'];

/** A whole digest's hex: 64 characters read out one by one. */
const FULL_HEX = /[0-9a-f]{64}/;
/** Control, bidi and zero-width characters: never read out or shown as they are. */
// eslint-disable-next-line no-control-regex -- the control characters are what the check looks for
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** The words that say what a row is, by the kind of node. */
const SAYS_WHAT: Record<string, RegExp> = {
  registry: /, registry\b/,
  repository: /, repository in /,
  layout: /, OCI image layout\b/,
  manifest: /, (tag|referrer|platform manifest|manifest|index)\b/,
  blob: /^config, configuration blob\b|^layer \d+ of \d+\b|, layer\b/,
  layerEntry: /, (folder|file|link|whiteout|special file)\b/,
  referrers: / of sha256:[0-9a-f]{12}\b/,
  // A row that runs a command ("Add Repository…") says the command, as it reads.
  action: /^[A-Z][a-z]+ .*…$/,
};

describe('Tree rows read aloud', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let folder: string;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'tree-speech');
    fs.mkdirSync(folder, { recursive: true });
  });

  after(async () => {
    await setRegistries([]);
    await registry?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /** Every row under `node`, expanded as a user would, `depth` levels down. */
  async function rowsUnder(provider: Provider, node: TreeNode | undefined, depth: number) {
    const found: TreeNode[] = [];
    for (const child of await children(provider, node)) {
      found.push(child);
      const item = provider.getTreeItem(child);
      if (depth > 1 && item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed)
        found.push(...(await rowsUnder(provider, child, depth - 1)));
    }
    return found;
  }

  function spokenRows(provider: Provider, rows: TreeNode[]) {
    return rows.map((node) => ({
      type: node.type,
      label: String(provider.getTreeItem(node).label),
      said: provider.getTreeItem(node).accessibilityInformation?.label ?? '',
    }));
  }

  function assertSaysWhat(rows: { type: string; label: string; said: string }[]) {
    const all = rows.map((r) => `${r.type}: ${JSON.stringify(r.said)}`).join('\n');
    for (const row of rows) {
      assert.ok(row.said, `the ${row.type} row ${JSON.stringify(row.label)} has no accessible name:\n${all}`);
      assert.match(row.said, SAYS_WHAT[row.type] ?? /(?!)/, `the ${row.type} row does not say what it is:\n${all}`);
      assert.doesNotMatch(row.said, FULL_HEX, `a whole digest is read out:\n${all}`);
      assert.doesNotMatch(row.said, INVISIBLE, `an invisible character reaches the screen reader:\n${all}`);
    }
  }

  it('every registry row says what it is in words: registry, repository, tag, platform manifest, referrer, layer, folder and file; hostile names escaped', async () => {
    const target = registryTarget(registry, 'spoken/app');
    const layer = gzipSync(
      await buildTar([
        { name: 'etc/', type: 'directory' },
        { name: 'etc/os-release', content: 'ID=demo\n' },
        { name: 'etc/read\u202Eme.txt', content: 'x' },
        { name: 'etc/sh', type: 'symlink', linkname: 'busybox' },
      ]),
    );
    const image = await pushBinaryArtifact(target, undefined, layer, 'v1', MediaType.ociLayerGzip);
    await pushTextArtifact(
      target,
      { 'sig.jws': '{"payload":"x"}' },
      { artifactType: MediaType.notarySignature, subject: image.descriptor },
    );
    await pushIndex(
      target,
      [{ descriptor: image.descriptor, platform: { os: 'linux', architecture: 'amd64' } }],
      'multi',
    );
    await setRegistries([
      { host: registry.host, name: 'Team registry', plainHttp: true, repositories: ['spoken/app'] },
    ]);

    const root = await waitFor(`registry ${registry.host}`, async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const rows = spokenRows(api.registries, [root, ...(await rowsUnder(api.registries, root, 7))]);
    const types = new Set(rows.map((r) => r.type));
    for (const type of ['registry', 'repository', 'manifest', 'blob', 'layerEntry', 'referrers'] as const)
      assert.ok(types.has(type), `no ${type} row reached: ${JSON.stringify(rows)}`);
    assertSaysWhat(rows);
    const said = (label: RegExp) => rows.find((r) => label.test(r.label))?.said ?? '';
    assert.match(
      said(/^Team registry$/),
      new RegExp(`^Team registry, registry, ${registry.host.replace(/\./g, '\\.')}`),
    );
    assert.match(said(/^spoken\/app$/), /^spoken\/app, repository in /);
    assert.match(said(/^v1$/), /^v1, tag\b/);
    assert.match(said(/^linux\/amd64$/), /^linux\/amd64, platform manifest\b/);
    assert.match(said(/^Notary signature/), /, referrer\b/);
    assert.match(said(/^os-release$/), /^os-release, file, 8 B$/);
    assert.match(said(/^sh$/), /^sh, link, → busybox$/);
    // The bidi override in the archive's name is shown as an escape, not obeyed.
    assert.match(said(/^read/), /^read⟨U\+202E⟩me\.txt, file\b/);
  });

  it('a layout folder and a layout archive say what they are', async () => {
    const layoutFolder = path.join(folder, 'spoken-layout');
    const layout = await LayoutTarget.open(layoutFolder, { create: true });
    await pushTextArtifact(layout, { 'a.txt': 'a' }, { tag: 'v1' });
    const archive = await ArchiveTarget.open(path.join(folder, 'spoken.tar'), { create: true });
    await copy(layout, 'v1', archive, { tag: 'v1' });
    await archive.finish();

    const node = (file: string) => layoutRow(api, file);
    const folderNode = await node(layoutFolder);
    const archiveNode = await node(path.join(folder, 'spoken.tar'));
    const rows = spokenRows(api.layouts, [
      folderNode,
      ...(await rowsUnder(api.layouts, folderNode, 1)),
      archiveNode,
      ...(await rowsUnder(api.layouts, archiveNode, 1)),
    ]);
    assertSaysWhat(rows);
    assert.match(rows[0]!.said, /^spoken-layout, OCI image layout\b/);
    assert.ok(
      rows.some((r) => /^spoken\.tar, OCI image layout archive, read-only\b/.test(r.said)),
      JSON.stringify(rows),
    );
  });
});
