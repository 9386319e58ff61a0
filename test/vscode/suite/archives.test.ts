// Layout archives in the editor: a .tar holding an OCI layout in the workspace shows in Image Layouts, read-only
// and browsable like a folder; "Back Up Repository…" writes one from a registry repository and "Restore to
// Registry…" pushes it back into an empty repository with its referrers, each ending with a summary notification.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { copy, listReferrers, type CopyTagsSummary } from '../../../src/core/graph';
import { digestOf } from '../../../src/core/content';
import { ArchiveTarget, LayoutTarget, stagingFolderOf } from '../../../src/core/layout';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { PullOutcome } from '../../../src/vscode/commands/pullArtifact';
import type { LayoutNode, RegistryNode, RepositoryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, labels, layoutRow, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Layout archives: Image Layouts view, Back Up Repository… and Restore to Registry…', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let folder: string;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    await setRegistries([{ host: registry.host, plainHttp: true, repositories: ['archived/app'] }]);
    folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'archives');
    fs.mkdirSync(folder, { recursive: true });
  });

  after(async () => {
    await setRegistries([]);
    await registry.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function archiveNode(file: string): Promise<LayoutNode> {
    const node = await layoutRow(api, file);
    assert.equal(node.store.archive, true, `${file} shows as an archive`);
    return node;
  }

  it('a .tar holding a layout shows (a plain .tar does not), read-only, browsable like a folder: tags, files, referrers, Open Manifest, graph, Pull', async () => {
    const staging = await LayoutTarget.open(path.join(folder, '.src-layout'), { create: true });
    const subject = await pushTextArtifact(staging, { 'app.conf': 'port=8080\n' }, { tag: 'v1' });
    await pushTextArtifact(
      staging,
      { 'sig.jws': '{"payload":"x"}' },
      { artifactType: MediaType.notarySignature, subject: subject.descriptor },
    );
    const file = path.join(folder, 'demo.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(staging, 'v1', archive, { tag: 'v1', referrers: true });
    await archive.finish();
    fs.rmSync(staging.root, { recursive: true, force: true });
    fs.writeFileSync(path.join(folder, 'not-a-layout.tar'), Buffer.alloc(1024));

    const node = await archiveNode(file);
    assert.equal(api.layouts.getTreeItem(node).contextValue, 'archive found', 'no write command is offered');
    assert.ok(
      !(await children(api.layouts)).some((n) => n.type === 'layout' && n.store.path.endsWith('not-a-layout.tar')),
    );
    assert.deepEqual(await labels(api.layouts, node), ['v1']);
    assert.equal(
      await vscode.commands.executeCommand('stowage.artifact.copyReference', node),
      `oci-archive:${file}`,
      'Copy Reference on the archive',
    );
    const checking = new ScriptedPrompts();
    await answering(api, checking, () => vscode.commands.executeCommand('stowage.referrers.check', node));
    assert.match(
      checking.notifications.at(-1)?.message ?? '',
      /^No referrers problems in oci-archive:.*demo\.tar \(1 subject checked/,
    );
    const v1 = await child(api.layouts, node, 'v1');
    assert.deepEqual(await labels(api.layouts, v1), ['config', 'app.conf', 'Signatures']);
    // Add Tag…, Delete…, Attach… and Repair… are not offered on what an archive holds (package.json menus).
    assert.match(String(api.layouts.getTreeItem(v1).contextValue), /\bread-only\b/);

    const document = await vscode.commands.executeCommand<vscode.TextDocument>('stowage.manifest.open', v1);
    assert.equal(JSON.parse(document.getText()).layers[0].annotations['org.opencontainers.image.title'], 'app.conf');
    await vscode.commands.executeCommand('stowage.graph.show', v1);
    await waitFor(
      'the referrer graph of the archived artifact',
      () => api.supplyChain.currentGraph()?.nodes.length === 2,
    );
    // The folder dialog cannot make a folder: the pull offers to create one in the folder chosen, under a name
    // nothing there has yet ('demo' is taken).
    fs.mkdirSync(path.join(folder, 'demo'), { recursive: true });
    const pull = new ScriptedPrompts()
      .thenFolder(folder)
      .thenChoose('Pull into New Folder…')
      .thenInput('.pulled')
      .thenChoose('Pull');
    const pulled = await answering(api, pull, () =>
      vscode.commands.executeCommand<PullOutcome>('stowage.artifact.pull', v1),
    );
    assert.equal(pulled.folder, path.join(folder, '.pulled'));
    const naming = pull.asked.find((q) => q.kind === 'input')!;
    assert.equal(naming.value, 'demo-2', 'the archive’s name, made free, is offered as the new folder’s');
    assert.equal(await naming.validate!('a/b'), 'One name, without / or \\.');
    assert.equal(await naming.validate!('demo'), 'demo already exists here: type another name.');
    assert.match(pull.asked.filter((q) => q.kind === 'choose')[1].title, /^Pull 1 item into .*\.pulled\?$/);
    assert.equal(fs.readFileSync(path.join(pulled.folder, 'app.conf'), 'utf8'), 'port=8080\n');

    const tagging = new ScriptedPrompts().thenInput('v2');
    await answering(api, tagging, () => vscode.commands.executeCommand('stowage.artifact.addTag', v1));
    assert.match(
      tagging.notifications.map((n) => n.message).join('\n'),
      /read-only/,
      'a write into the archive was not refused',
    );
    assert.equal(fs.existsSync(path.join(folder, '.demo.tar.stowage-partial')), false, 'staging was left');
  });

  it('Back Up Repository… from the palette asks for the repository to back up among registry repositories only, and takes a typed one', async () => {
    await pushTextArtifact(registryTarget(registry, 'typed/app'), { 't.txt': 'typed' }, { tag: 't1' });
    const backup = new ScriptedPrompts()
      .thenPick('Type a repository…')
      .thenInput(`${registry.host}/typed/app`)
      .thenPick('All tags')
      .thenPick('Only the tagged artifacts')
      .thenBack('pick')
      .thenKeep('pick')
      .thenPick('Layout folder')
      .thenFolder(folder)
      .thenInput('typed-backup');
    const summary = await answering(api, backup, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.backup'),
    );
    // Each question says where it stands; Back from "Back up into" asks about referrers again, the answer kept.
    assert.deepEqual(backup.stepsShown, ['1/4', '1/4', '2/4', '3/4', '4/4', '3/4', '4/4', '', '4/4']);
    assert.deepEqual(backup.asked[5]?.activeLabels, ['Only the tagged artifacts']);
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['t1'],
    );
    const [question, typed] = backup.asked;
    assert.equal(question?.prompt, 'Repository to back up');
    assert.equal(typed?.prompt, 'Repository to back up');
    const offered = question?.items?.map((i) => i.label) ?? [];
    assert.ok(offered.includes('archived/app'), String(offered));
    assert.equal(offered.at(-1), 'Type a repository…');
    assert.ok(
      !offered.some((l) => /Layout folder|Repository in|\.tar$/.test(l)),
      `a layout or a new repository: ${offered}`,
    );
  });

  it('a Back Up Repository… into a .tar goes on past a tag whose blob the registry lost: the archive holds the others, a warning names the failed tag with Show Log', async () => {
    const source = registryTarget(registry, 'archived/broken');
    const fine = await pushTextArtifact(source, { 'fine.txt': 'all there' }, { tag: 'a1' });
    await pushTextArtifact(source, { 'lost.txt': 'a blob the registry lost' }, { tag: 'a2' });
    // The registry keeps the tag and the manifest but no longer has the layer's bytes: the backup of a2 fails.
    const lost = digestOf(Buffer.from('a blob the registry lost')).slice('sha256:'.length);
    fs.rmSync(path.join(registry.storageDir, 'docker/registry/v2/blobs/sha256', lost.slice(0, 2), lost), {
      recursive: true,
    });
    const file = path.join(folder, 'broken.tar');
    const backup = new ScriptedPrompts()
      .thenPick('Type a repository…')
      .thenInput(`${registry.host}/archived/broken`)
      .thenPick('All tags')
      .thenPick('Only the tagged artifacts')
      .thenPick('Archive (.tar)')
      .thenSaveTo(file)
      .pressingInNotifications('Show Log');
    const summary = await answering(api, backup, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.backup'),
    );
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['a1'],
    );
    assert.deepEqual(
      summary.failed.map((f) => f.tag),
      ['a2'],
    );
    const told = backup.notifications.at(-1);
    assert.equal(told?.severity, 'warning');
    assert.match(told?.message ?? '', /^Backed up 1 tag of .*archived\/broken to .*broken\.tar: .*; 1 tag failed: a2$/);
    assert.ok(told?.actions.includes('Show Log'), `no Show Log: ${JSON.stringify(told)}`);
    const written = await ArchiveTarget.open(file);
    assert.equal((await written.resolve('a1')).digest, fine.descriptor.digest);
    await assert.rejects(written.resolve('a2'), /not found/);
    assert.equal(fs.existsSync(stagingFolderOf(file)), false, 'the archive was not finished');
  });

  it('Restore to Registry… goes on past a tag whose blob fails its digest in the layout: the others are pushed, a warning names it with Show Log', async () => {
    const dir = path.join(folder, 'damaged-layout');
    const layout = await LayoutTarget.open(dir, { create: true });
    const good = await pushTextArtifact(layout, { 'good.txt': 'restored whole' }, { tag: 'r1' });
    await pushTextArtifact(layout, { 'bad.txt': 'damaged on the disk' }, { tag: 'r2' });
    const bad = digestOf(Buffer.from('damaged on the disk')).slice('sha256:'.length);
    fs.writeFileSync(path.join(dir, 'blobs/sha256', bad), Buffer.alloc('damaged on the disk'.length, 'z'));
    const node = await layoutRow(api, dir);
    const restore = new ScriptedPrompts().thenPick('All tags').pressingInNotifications('Show Log');
    const summary = await answering(api, restore, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.layout.restore', node, {
        destination: { kind: 'registry', host: registry.host, repository: 'archived/partly' },
      }),
    );
    assert.deepEqual(
      summary.failed.map((f) => [f.tag, f.code]),
      [['r2', 'DIGEST_MISMATCH']],
    );
    const told = restore.notifications.at(-1);
    assert.equal(told?.severity, 'warning');
    assert.match(told?.message ?? '', /^Restored 1 tag to .*archived\/partly: .*; 1 tag failed: r2$/);
    assert.ok(told?.actions.includes('Show Log'), `no Show Log: ${JSON.stringify(told)}`);
    const target = registryTarget(registry, 'archived/partly');
    assert.equal((await target.resolve('r1')).digest, good.descriptor.digest);
    await assert.rejects(target.resolve('r2'), 'the damaged tag was pushed');
  });

  it('Restore to Registry… into a repository whose tags it would move asks first, naming each tag and both digests', async () => {
    const shipped = await pushTextArtifact(registryTarget(registry, 'moving/src'), { 'r.txt': 'new' }, { tag: 'v1' });
    await pushTextArtifact(registryTarget(registry, 'moving/src'), { 'o.txt': 'other' }, { tag: 'v2' });
    const file = path.join(folder, 'moving.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    for (const tag of ['v1', 'v2']) await copy(registryTarget(registry, 'moving/src'), tag, archive, { tag });
    await archive.finish();
    const prod = registryTarget(registry, 'moving/prod');
    const running = await pushTextArtifact(prod, { 'r.txt': 'what production runs' }, { tag: 'v1' });
    const node = await archiveNode(file);
    const destination = { kind: 'registry' as const, host: registry.host, repository: 'moving/prod' };

    const declined = new ScriptedPrompts().thenPick('All tags').thenConfirm(false);
    const none = await answering(api, declined, () =>
      vscode.commands.executeCommand('stowage.layout.restore', node, { destination }),
    );
    assert.equal(none, undefined);
    const asked = declined.asked.find((q) => q.kind === 'confirm')?.confirm;
    assert.equal(
      asked?.message,
      `Restoring moves 1 tag of ${registry.host}/moving/prod that name other artifacts now: v1. Restore anyway?`,
    );
    assert.equal(asked?.detail, `v1: ${running.descriptor.digest} → ${shipped.descriptor.digest}`);
    assert.equal((await prod.resolve('v1')).digest, running.descriptor.digest, 'declined, yet the tag moved');
    await assert.rejects(prod.resolve('v2'), 'declined, yet v2 was restored');

    const accepted = new ScriptedPrompts().thenPick('All tags').thenConfirm(true);
    const summary = await answering(api, accepted, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.layout.restore', node, { destination }),
    );
    assert.equal((await prod.resolve('v1')).digest, shipped.descriptor.digest);
    assert.match(accepted.notifications.at(-1)?.message ?? '', /; 1 tag moved from another digest: v1$/);
    assert.equal(summary.tags.length, 2);
  });

  it('Back Up Repository… writes the chosen tags with referrers to a .tar; Restore to Registry… brings them back', async () => {
    const source = registryTarget(registry, 'archived/app');
    const v1 = await pushTextArtifact(source, { 'a.txt': 'one' }, { tag: 'v1' });
    await pushTextArtifact(source, { 'b.txt': 'two' }, { tag: 'v2' });
    await pushTextArtifact(
      source,
      { 'sbom.json': '{"bomFormat":"CycloneDX"}' },
      { artifactType: MediaType.cyclonedx, subject: v1.descriptor },
    );
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    const repository = (await child(api.registries, root, 'archived/app')) as RepositoryNode;

    const backup = new ScriptedPrompts()
      .thenPick('Choose tags…')
      .thenPickMany(['v1'])
      .thenPick('Include referrers')
      .thenPick('Archive (.tar)')
      .thenSaveTo(path.join(folder, 'backup')); // typed without .tar: the extension is added
    const summary = await answering(api, backup, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.repository.backup', repository),
    );
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['v1'],
    );
    assert.equal(summary.referrers, 1);
    // The archive in the workspace is named by its path there (the absolute path cut the toast before its counts);
    // the log keeps the whole path.
    assert.match(
      backup.notifications.at(-1)?.message ?? '',
      /^Backed up 1 tag of \S+archived\/app to oci-archive:archives\/backup\.tar: /,
    );
    // The archive is written whole once everything was fetched: the notification shows that write too, in the
    // second half of its bar (the fetch fills the first).
    const shown = api.shownTransferProgress();
    const writing = shown.filter((s) => s.message.startsWith('Writing the archive: '));
    assert.ok(writing.length > 0, `no final write shown: ${JSON.stringify(shown)}`);
    const fetching = shown.slice(0, shown.indexOf(writing[0]!));
    assert.ok(fetching.length > 0 && fetching.every((s) => s.percent <= 50), JSON.stringify(shown));
    assert.equal(writing.at(-1)!.percent, 100, JSON.stringify(writing));
    assert.match(writing.at(-1)!.message, /^Writing the archive: (.+) of \1 \(\d+\/\d+ files\)$/);
    const asked = backup.asked.find((q) => q.kind === 'saveDialog')!;
    assert.equal(path.basename(asked.defaultUri!.fsPath), 'app.tar', 'the repository’s name is proposed');
    const file = path.join(folder, 'backup.tar');
    const written = await ArchiveTarget.open(file);
    assert.equal((await written.resolve('v1')).digest, v1.descriptor.digest);

    const node = await archiveNode(file);
    const choosing = new ScriptedPrompts().thenDismiss('pick');
    await answering(api, choosing, () => vscode.commands.executeCommand('stowage.layout.restore', node));
    const offered = choosing.asked[0]!.items!.map((i) => i.label);
    assert.ok(offered.includes('archived/app') && offered.includes('Other registry or reference…'), String(offered));
    assert.ok(!offered.some((l) => /Layout folder|\.tar$/.test(l)), `a layout offered as a registry: ${offered}`);

    // From the view: the destination, then the tags; "Repository in …" asks the repository's name (one more).
    const numbered = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('archived/numbered')
      .thenBack('pick')
      .thenKeep('pick')
      .thenKeep('input')
      .thenDismiss('pick');
    await answering(api, numbered, () => vscode.commands.executeCommand('stowage.layout.restore', node));
    // The name asked after "Repository in …" is part of the destination question: the total stays 2, Back too.
    assert.deepEqual(numbered.stepsShown, ['1/2', '1/2', '2/2', '1/2', '1/2', '2/2']);
    assert.equal(numbered.asked[4]!.value, 'archived/numbered', 'Back keeps the repository typed');

    const restore = new ScriptedPrompts().thenPick('All tags');
    const restored = await answering(api, restore, () =>
      vscode.commands.executeCommand<CopyTagsSummary>('stowage.layout.restore', node, {
        destination: { kind: 'registry', host: registry.host, repository: 'archived/restored' },
      }),
    );
    assert.equal(restored.referrers, 1);
    assert.match(restore.notifications.at(-1)?.message ?? '', /^Restored 1 tag to .*archived\/restored: /);
    const target = registryTarget(registry, 'archived/restored');
    assert.equal((await target.resolve('v1')).digest, v1.descriptor.digest);
    assert.equal((await listReferrers(target, v1.descriptor.digest)).length, 1);
  });
});
