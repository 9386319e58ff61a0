// Compare With… and Compare Selected: two artifacts side by side in VS Code's diff editor, each as `stowage inspect`
// describes it, against a real registry; a hostile annotation reaches the document with its bidi control shown.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayoutTarget } from '../../../src/core/layout';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { ManifestNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { startFaultProxy } from '../../fixtures/faultProxy';
import { stowageUri } from '../../../src/vscode/documents/stowageUri';
import { gzipSync } from 'node:zlib';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { buildTar } from '../../helpers/tarBuilder';
import { pushBinaryArtifact, pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, layoutRow, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Compare With… and Compare Selected', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    const target = registryTarget(registry, 'team/app');
    await pushTextArtifact(target, { 'a.txt': 'one' }, { tag: 'v1', annotations: { version: '1' } });
    await pushTextArtifact(
      target,
      { 'a.txt': 'one', 'b.txt': 'two' },
      { tag: 'v2', annotations: { version: '2', note: '\u202eexe.txt' } },
    );
    const image = registryTarget(registry, 'team/img');
    const layer = async (entries: Parameters<typeof buildTar>[0]) => gzipSync(await buildTar(entries));
    await pushBinaryArtifact(
      image,
      undefined,
      await layer([
        { name: 'etc/', type: 'directory' },
        { name: 'etc/app.conf', content: 'level=1\n' },
        { name: 'bin/run', content: '#!/bin/sh\n', mode: 0o644 },
        { name: 'old.txt', content: 'old\n' },
      ]),
      '1',
      MediaType.ociLayerGzip,
    );
    await pushBinaryArtifact(
      image,
      undefined,
      await layer([
        { name: 'etc/', type: 'directory' },
        { name: 'etc/app.conf', content: 'level=2\n' },
        { name: 'bin/run', content: '#!/bin/sh\n', mode: 0o755 },
        { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
        { name: '\u202etxt.exe', content: 'x' },
      ]),
      '2',
      MediaType.ociLayerGzip,
    );
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['team/app', 'team/img'] }]);
  });

  afterEach(async () => {
    // The diff editor must not stay active for later tests that act on the active editor.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await setRegistries([]);
    await registry.stop();
  });

  async function tag(name: string, repository = 'team/app') {
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    return child(api.registries, await child(api.registries, root, repository), name);
  }

  function activeDiff(): vscode.TabInputTextDiff {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `a diff editor is active (${tab?.label})`);
    return tab.input;
  }

  it('Compare Selected opens two selected tags in the diff editor, each as inspect describes it', async () => {
    const [v1, v2] = [await tag('v1'), await tag('v2')];
    const uris = await vscode.commands.executeCommand<[vscode.Uri, vscode.Uri]>(
      'stowage.artifact.compareSelected',
      v1,
      [v1, v2],
    );
    const diff = activeDiff();
    assert.equal(diff.original.toString(), uris[0].toString());
    assert.equal(diff.modified.toString(), uris[1].toString());
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'app:v1 ↔ app:v2 (inspect)');
    const target = registryTarget(registry, 'team/app');
    const left = (await vscode.workspace.openTextDocument(uris[0])).getText();
    const right = (await vscode.workspace.openTextDocument(uris[1])).getText();
    assert.match(left, new RegExp(`^Digest: +${(await target.resolve('v1')).digest}$`, 'm'));
    assert.match(right, new RegExp(`^Digest: +${(await target.resolve('v2')).digest}$`, 'm'));
    assert.match(left, /^ {2}version=1$/m);
    assert.match(right, /^ {2}version=2$/m);
    assert.match(left, /^Layers \(1, 3 B\):$/m);
    assert.match(right, /^ {2}2 {2}sha256:[0-9a-f]{64} {2}3 B {2}text\/plain {2}b\.txt$/m);
    assert.match(right, /^ {2}note=⟨U\+202E⟩exe\.txt$/m, 'a bidi control is shown, never applied');
    assert.equal(right.includes('\u202e'), false);
  });

  it('Compare Selected on three artifacts asks to select two, and compares nothing', async () => {
    const [v1, v2] = [await tag('v1'), await tag('v2')];
    const prompts = new ScriptedPrompts();
    const compared = await answering(api, prompts, () =>
      vscode.commands.executeCommand('stowage.artifact.compareSelected', v1, [v1, v2, v1]),
    );
    assert.equal(compared, undefined);
    assert.deepEqual(
      prompts.notifications.map((n) => n.message),
      ['Select two artifacts to compare (3 are selected).'],
    );
    assert.equal(prompts.asked.length, 0);
  });

  it('Compare With… on a tag asks for the second artifact, titled with the first', async () => {
    const prompts = new ScriptedPrompts().thenInput(`${registry.host}/team/app:v2`);
    const uris = await answering(api, prompts, async () =>
      vscode.commands.executeCommand<[vscode.Uri, vscode.Uri]>('stowage.artifact.compareWith', await tag('v1')),
    );
    assert.deepEqual(
      prompts.asked.map((q) => q.title),
      ['Compare app:v1 With'],
      'one question, titled with the artifact compared',
    );
    assert.deepEqual(prompts.stepsShown, [''], 'one question: no step number');
    assert.match(uris[0].path, /app:v1 inspection\.txt$/);
    assert.match(uris[1].path, /app:v2 inspection\.txt$/);
    assert.equal(activeDiff().modified.toString(), uris[1].toString());
  });

  it('Compare With… from the palette asks for both, numbered, with Back', async () => {
    const prompts = new ScriptedPrompts()
      .thenInput(`${registry.host}/team/app:v2`)
      .thenInput(`${registry.host}/team/app:v1`);
    const uris = await answering(api, prompts, () =>
      vscode.commands.executeCommand<[vscode.Uri, vscode.Uri]>('stowage.artifact.compareWith'),
    );
    assert.deepEqual(
      prompts.asked.map((q) => q.title),
      ['Compare With', 'Compare app:v2 With'],
    );
    assert.deepEqual(prompts.stepsShown, ['1/2', '2/2']);
    assert.equal(prompts.asked[1]?.step?.back, true);
    assert.match(uris[0].path, /app:v2 inspection\.txt$/);
    assert.match(uris[1].path, /app:v1 inspection\.txt$/);
  });

  it('Compare Files in an open comparison’s title bar shows the files each image’s layers make, line by line', async () => {
    const [one, two] = [await tag('1', 'team/img'), await tag('2', 'team/img')];
    await vscode.commands.executeCommand('stowage.artifact.compareSelected', one, [one, two]);
    const uris = await vscode.commands.executeCommand<[vscode.Uri, vscode.Uri]>('stowage.artifact.compareFiles');
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'img:1 ↔ img:2 (files)');
    assert.equal(activeDiff().modified.toString(), uris[1].toString());
    const lines = async (uri: vscode.Uri) =>
      (await vscode.workspace.openTextDocument(uri))
        .getText()
        .split('\n')
        .slice(2)
        .filter(Boolean)
        .map((line) => line.replace(/[0-9a-f]{12}$/, 'DIGEST'));
    assert.deepEqual(await lines(uris[0]), [
      'bin/run  10 B  0644  DIGEST',
      'etc/  (folder, 0755)',
      'etc/app.conf  8 B  0644  DIGEST',
      'old.txt  4 B  0644  DIGEST',
    ]);
    assert.deepEqual(await lines(uris[1]), [
      'bin/run  10 B  0755  DIGEST',
      'bin/sh -> busybox  (link, 0644)',
      'etc/  (folder, 0755)',
      'etc/app.conf  8 B  0644  DIGEST',
      '⟨U+202E⟩txt.exe  1 B  0644  DIGEST',
    ]);
    const conf = (text: string) => /^etc\/app\.conf .*$/m.exec(text)![0];
    assert.notEqual(
      conf((await vscode.workspace.openTextDocument(uris[0])).getText()),
      conf((await vscode.workspace.openTextDocument(uris[1])).getText()),
      'a file changed at the same size differs by its content digest',
    );
  });

  it('a files document opened by its link alone (not from Compare Files) reads its layers with progress in the status bar', async () => {
    // For each layer read while the document opens: how many status-bar reads were showing.
    const layerReads: number[] = [];
    const proxy = await startFaultProxy(registry.url, (req) => {
      if (req.url.includes('/blobs/')) layerReads.push(api.runningStatusBarReads());
      return { forward: true };
    });
    try {
      const store = { kind: 'registry' as const, host: proxy.host, repository: 'team/img' };
      const descriptor = await registryTarget(registry, 'team/img').resolve('1');
      const document = await vscode.workspace.openTextDocument(
        stowageUri({ kind: 'files', store, descriptor, tag: '1' }),
      );
      assert.match(document.getText(), /^etc\/app\.conf {2}8 B/m);
      assert.ok(layerReads.length > 0, 'the layers were read through the proxy');
      assert.deepEqual(
        layerReads.filter((n) => n !== 1),
        [],
        'every layer read shows in the status bar',
      );
      assert.equal(api.runningStatusBarReads(), 0, 'and the status bar is cleared once the document shows');
    } finally {
      await proxy.close();
    }
  });

  it('Compare Files from the palette, with no comparison open, asks for both artifacts', async () => {
    const prompts = new ScriptedPrompts()
      .thenInput(`${registry.host}/team/img:1`)
      .thenInput(`${registry.host}/team/img:2`);
    const uris = await answering(api, prompts, () =>
      vscode.commands.executeCommand<[vscode.Uri, vscode.Uri]>('stowage.artifact.compareFiles'),
    );
    assert.deepEqual(
      prompts.asked.map((q) => q.title),
      ['Compare Files', 'Compare Files of img:1 With'],
    );
    assert.deepEqual(prompts.stepsShown, ['1/2', '2/2']);
    assert.match(uris[0].path, /img:1 files\.txt$/);
    assert.match(uris[1].path, /img:2 files\.txt$/);
  });
  it('Compare Selected on a layout tag that is no registry tag (a bidi control) names it by digest: plain titles, both documents open', async () => {
    const folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'compare-layout');
    const layout = await LayoutTarget.open(folder, { create: true });
    try {
      const hostile = await pushTextArtifact(layout, { 'a.txt': 'one' }, { tag: 'v1' });
      await pushTextArtifact(layout, { 'a.txt': 'two' }, { tag: 'v2' });
      // A layout's ref.name may be any text: one written by another tool.
      const indexFile = path.join(folder, 'index.json');
      const index = fs.readFileSync(indexFile, 'utf8');
      fs.writeFileSync(indexFile, index.replace('"v1"', '"v1\\u202eexe.txt"'));
      const row = await layoutRow(api, folder);
      const tags = await waitFor('both tags of the layout', async () => {
        const all = (await children(api.layouts, row)) as ManifestNode[];
        const bidi = all.find((n) => n.tag === 'v1\u202eexe.txt');
        const plain = all.find((n) => n.tag === 'v2');
        return bidi && plain ? [bidi, plain] : undefined;
      });
      const uris = await vscode.commands.executeCommand<[vscode.Uri, vscode.Uri]>(
        'stowage.artifact.compareSelected',
        tags[0],
        tags,
      );
      const short = hostile.descriptor.digest.slice(7, 19);
      assert.equal(
        vscode.window.tabGroups.activeTabGroup.activeTab?.label,
        `compare-layout@${short} ↔ compare-layout:v2 (inspect)`,
      );
      assert.equal(uris[0].path.includes('\u202e'), false, uris[0].path);
      const left = (await vscode.workspace.openTextDocument(uris[0])).getText();
      assert.match(left, new RegExp(`^Digest: +${hostile.descriptor.digest}$`, 'm'));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
