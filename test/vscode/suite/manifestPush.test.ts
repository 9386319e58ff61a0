// Push Manifest…: a manifest written by hand in the editor, pushed as its exact bytes to the real registry, after
// the checks `stowage manifest push` makes (the linter, and each descriptor against the registry).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shortDigest } from '../../../src/core/oci';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { PushManifestOutcome } from '../../../src/vscode/commands/pushManifest';
import { bytesContent } from '../../../src/core/content/bytesContent';
import { digestOf } from '../../../src/core/content/hashing';
import { EMPTY_DESCRIPTOR } from '../../../src/core/oci/descriptor';
import { EMPTY_DIGEST, MediaType } from '../../../src/core/oci/mediaTypes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

describe('Push Manifest…', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let workspace: string;
  const layer = Buffer.from('hello world\n');
  const made: string[] = [];

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain' });
    await setRegistries([{ host: registry.host, plainHttp: true }]);
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const target = registryTarget(registry, 'hand/written');
    await target.pushBlob({ ...EMPTY_DESCRIPTOR }, bytesContent(Buffer.from('{}')));
    await target.pushBlob(
      { mediaType: 'text/plain', digest: digestOf(layer), size: layer.length },
      bytesContent(layer),
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setRegistries([]);
    await registry.stop();
    for (const file of made) fs.rmSync(file, { force: true, recursive: true });
  });

  /** An artifact manifest for the layer, with `size` as written, open in an editor. */
  async function written(name: string, size: number): Promise<vscode.Uri> {
    const file = path.join(workspace, name);
    made.push(file);
    const manifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.example.hello.v1',
      config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
      layers: [{ mediaType: 'text/plain', digest: digestOf(layer), size }],
    };
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    return uri;
  }

  it('pushes the open manifest as its exact bytes, after a summary, and says so with the digest', async () => {
    const uri = await written('hello.oci.json', layer.length);
    const push = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('hand/written')
      .thenInput('v1')
      .thenConfirm(true);
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushManifestOutcome>('stowage.manifest.push', uri),
    );
    const bytes = fs.readFileSync(uri.fsPath);
    assert.equal(pushed.reference, `${registry.host}/hand/written:v1`);
    assert.equal(pushed.digest, digestOf(bytes));
    assert.match(push.asked.find((q) => q.kind === 'confirm')!.confirm!.message, /^Push hello\.oci\.json to /);
    assert.deepEqual(
      push.notifications.map((n) => n.message),
      [`Pushed hello.oci.json to ${pushed.reference} as ${shortDigest(pushed.digest, { withAlgorithm: true })}.`],
    );
    const stored = await registryTarget(registry, 'hand/written').fetchManifest('v1');
    assert.ok(stored.bytes.equals(bytes), 'the bytes written are the bytes pushed');
  });

  it('refuses broken JSON before asking anything, naming the line and column of each error and what to do', async () => {
    const file = path.join(workspace, 'broken.oci.json');
    made.push(file);
    fs.writeFileSync(
      file,
      '{\n  "schemaVersion": 2,\n  "mediaType": "application/vnd.oci.image.manifest.v1+json",\n  "config": ',
    );
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const push = new ScriptedPrompts();
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushManifestOutcome>('stowage.manifest.push', uri),
    );
    assert.equal(pushed, undefined);
    assert.deepEqual(push.asked, [], 'no destination asked for a file that cannot be pushed');
    const told = push.notifications.at(-1)?.message ?? '';
    assert.match(told, /^Push Manifest failed: broken\.oci\.json is not a manifest to push: line 4:\d+: /);
    assert.match(told, /Fix it in the editor \(the Problems view lists each\) and push again\.$/);
    assert.doesNotMatch(told, /\.\. Fix it/, 'one full stop before what to do');
    assert.doesNotMatch(
      told,
      /Unexpected end of JSON input/,
      "the parser's words alone say neither where nor what to do",
    );
  });

  it('pushes untagged, by digest, when the tag is left empty, and moves no tag', async () => {
    const uri = await written('untagged.oci.json', layer.length);
    const target = registryTarget(registry, 'hand/written');
    // A repository with blobs and no manifest yet has no tag list (NAME_UNKNOWN): no tags.
    const tagsOf = async () => {
      const tags: string[] = [];
      try {
        for await (const page of target.listTags()) tags.push(...page);
      } catch (err) {
        if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
      }
      return tags.sort();
    };
    const tagsBefore = await tagsOf();
    const push = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('hand/written')
      .thenInput('')
      .thenConfirm(true);
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushManifestOutcome>('stowage.manifest.push', uri),
    );
    const bytes = fs.readFileSync(uri.fsPath);
    assert.equal(pushed.digest, digestOf(bytes));
    assert.equal(pushed.reference, `${registry.host}/hand/written@${pushed.digest}`);
    const tagQuestion = push.asked.filter((q) => q.kind === 'input').at(-1)!;
    assert.match(tagQuestion.prompt ?? '', /empty: push untagged, by digest/);
    assert.equal(await tagQuestion.validate?.(''), undefined, 'an empty tag is an answer here');
    assert.deepEqual(
      push.notifications.map((n) => n.message),
      [
        `Pushed untagged.oci.json untagged to ${registry.host}/hand/written as ${shortDigest(pushed.digest, { withAlgorithm: true })}.`,
      ],
    );
    assert.ok((await target.fetchManifest(pushed.digest)).bytes.equals(bytes), 'stored under its digest');
    assert.deepEqual(await tagsOf(), tagsBefore, 'no tag made');
  });

  it('refuses a file larger than any manifest before reading, parsing or linting it', async () => {
    const file = path.join(workspace, 'huge.oci.json');
    made.push(file);
    // Broken JSON: without the size check the linter read all of it to say where it broke.
    fs.writeFileSync(file, `{"schemaVersion": 2, "layers": [${'{"size": 1},'.repeat(600_000)}`);
    const push = new ScriptedPrompts();
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushManifestOutcome>('stowage.manifest.push', vscode.Uri.file(file)),
    );
    assert.equal(pushed, undefined);
    assert.deepEqual(push.asked, []);
    assert.match(
      push.notifications.at(-1)?.message ?? '',
      /^Push Manifest failed: huge\.oci\.json is 6\.9 MiB: a manifest is at most 4\.0 MiB, so it is not one to push$/,
    );
  });

  it('to a typed reference that names the tag, pushes under that tag without asking for one', async () => {
    const uri = await written('typed.oci.json', layer.length);
    const push = new ScriptedPrompts()
      .thenPick('Other registry or reference…')
      .thenInput(`${registry.host}/hand/written:typed`)
      .thenConfirm(true);
    const pushed = await answering(api, push, () =>
      vscode.commands.executeCommand<PushManifestOutcome>('stowage.manifest.push', uri),
    );
    assert.equal(pushed.reference, `${registry.host}/hand/written:typed`);
    assert.equal((await registryTarget(registry, 'hand/written').resolve('typed')).digest, pushed.digest);
    // No total until the destination is known: it names the tag, so there is no tag question to count.
    assert.deepEqual(push.stepsShown, ['1', '1', ''], 'the tag question drops out once the reference names it');
  });

  it('names a layer size the registry would take but no pull could use, and pushes nothing unless asked', async () => {
    const uri = await written('wrong-size.oci.json', layer.length + 1);
    const refused = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('hand/written')
      .thenInput('wrong')
      .thenConfirm(false);
    const outcome = await answering(api, refused, () =>
      vscode.commands.executeCommand<PushManifestOutcome | undefined>('stowage.manifest.push', uri),
    );
    assert.equal(outcome, undefined);
    const modal = refused.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.equal(
      modal.message,
      `wrong-size.oci.json has 1 error. Push it to ${registry.host}/hand/written:wrong anyway?`,
    );
    assert.match(
      modal.detail ?? '',
      new RegExp(
        `^line 14:15: layers\\[0\\]: the stored blob has ${layer.length} bytes, the descriptor says ${layer.length + 1}\\.`,
      ),
    );
    assert.equal(modal.action, 'Push Anyway');
    await assert.rejects(registryTarget(registry, 'hand/written').resolve('wrong'), /not found/);
  });

  it('checks a manifest for a layout not made yet: none of its blobs are there, and nothing is made unless asked', async () => {
    const uri = await written('into-new-layout.oci.json', layer.length);
    const folder = path.join(workspace, 'not-made-yet');
    made.push(folder);
    const refused = new ScriptedPrompts()
      .thenPick('Other registry or reference…')
      .thenInput(`oci:${folder}`)
      .thenInput('v1')
      .thenConfirm(false);
    const outcome = await answering(api, refused, () =>
      vscode.commands.executeCommand<PushManifestOutcome | undefined>('stowage.manifest.push', uri),
    );
    assert.equal(outcome, undefined);
    const modal = refused.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.equal(modal.message, 'into-new-layout.oci.json has 2 errors. Push it to oci:not-made-yet:v1 anyway?');
    const lines = (modal.detail ?? '').split('\n');
    assert.match(lines[0]!, new RegExp(`^line \\d+:\\d+: config: blob ${EMPTY_DIGEST} is not in oci:`));
    assert.match(lines[1]!, new RegExp(`^line \\d+:\\d+: layers\\[0\\]: blob ${digestOf(layer)} is not in oci:`));
    assert.equal(fs.existsSync(folder), false, 'no layout was made');
  });

  /** Pushes the open manifest at `uri` to hand/written under `tag`, answering every question yes. */
  async function pushTo(uri: vscode.Uri, tag: string) {
    const prompts = new ScriptedPrompts()
      .thenPick(`Repository in ${registry.host}…`)
      .thenInput('hand/written')
      .thenInput(tag)
      .thenConfirm(true);
    const pushed = await answering(api, prompts, () =>
      vscode.commands.executeCommand<PushManifestOutcome | undefined>('stowage.manifest.push', uri),
    );
    return { pushed, prompts };
  }

  it('a changed annotation pushed to a tag in use: the question and the notification name the digest the tag leaves and the new one', async () => {
    const uri = await written('annotated.oci.json', layer.length);
    const first = (await pushTo(uri, 'annotated')).pushed!;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const text = editor.document.getText();
    // Changed in the editor, not saved: what is on screen is pushed.
    await editor.edit((e) =>
      e.replace(
        new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(text.length)),
        text.replace('"schemaVersion": 2,', '"schemaVersion": 2,\n  "annotations": { "org.example.note": "changed" },'),
      ),
    );
    const { pushed, prompts } = await pushTo(uri, 'annotated');
    assert.notEqual(pushed!.digest, first.digest, 'a new manifest');
    assert.equal(pushed!.digest, digestOf(Buffer.from(editor.document.getText())));
    const [old, now] = [first.digest, pushed!.digest].map((d) => shortDigest(d, { withAlgorithm: true }));
    const modal = prompts.asked.find((q) => q.kind === 'confirm')!.confirm!;
    assert.match(modal.detail ?? '', new RegExp(`\nannotated now names ${old}: the push moves it to this manifest\\.`));
    assert.deepEqual(
      prompts.notifications.map((n) => n.message),
      [`Pushed annotated.oci.json to ${registry.host}/hand/written:annotated as ${now} (it named ${old} before).`],
    );
    assert.equal((await registryTarget(registry, 'hand/written').resolve('annotated')).digest, pushed!.digest);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a layer whose blob the registry lacks: the question names the digest and what to do, and the refusal says the same', async () => {
    const file = path.join(workspace, 'missing-blob.oci.json');
    made.push(file);
    const absent = Buffer.from('never pushed\n');
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          artifactType: 'application/vnd.example.hello.v1',
          config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
          layers: [{ mediaType: 'text/plain', digest: digestOf(absent), size: absent.length }],
        },
        null,
        2,
      ),
    );
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const { pushed, prompts } = await pushTo(uri, 'missing');
    assert.equal(pushed, undefined);
    const modal = prompts.asked.find((q) => q.kind === 'confirm')!.confirm!;
    const missing = digestOf(absent);
    const todo = `Push the missing blob to ${registry.host}/hand/written first (stowage blob push ${registry.host}/hand/written FILE, or Push as Artifact… of its file), or copy the artifact it comes from, then push the manifest again.`;
    assert.equal(
      modal.detail,
      [`line 13:17: layers[0]: blob ${missing} is not in ${registry.host}/hand/written.`, '', todo].join('\n'),
    );
    assert.deepEqual(
      prompts.notifications.map((n) => [n.severity, n.message]),
      [
        [
          'error',
          `Push Manifest failed: ${registry.host}/hand/written lacks blob ${missing} (layers[0]): push that blob there first, then the manifest again.`,
        ],
      ],
    );
  });

  it("a manifest with a subject: pushed untagged, the notification names its subject, and the tree lists it among the subject's referrers", async () => {
    const subjectUri = await written('the-subject.oci.json', layer.length);
    const subject = (await pushTo(subjectUri, 'subject')).pushed!;
    const repository = await waitFor('the repository in the tree', async () => {
      const root = (await children(api.registries)).find((n) => n.type === 'registry');
      return root && (await children(api.registries, root)).find((n) => n.type === 'repository');
    });
    const tagRow = await child(api.registries, repository, 'subject');
    assert.deepEqual(
      (await children(api.registries, tagRow)).filter((n) => n.type === 'referrers'),
      [],
      'no referrers before',
    );
    const file = path.join(workspace, 'referrer.oci.json');
    made.push(file);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          artifactType: 'application/vnd.example.review.v1',
          config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DIGEST, size: 2 },
          layers: [{ mediaType: 'text/plain', digest: digestOf(layer), size: layer.length }],
          subject: {
            mediaType: MediaType.ociManifest,
            digest: subject.digest,
            size: fs.statSync(subjectUri.fsPath).size,
          },
        },
        null,
        2,
      ),
    );
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const { pushed, prompts } = await pushTo(uri, '');
    const short = (d: string) => shortDigest(d, { withAlgorithm: true });
    assert.deepEqual(
      prompts.notifications.map((n) => n.message),
      [
        `Pushed referrer.oci.json untagged to ${registry.host}/hand/written as ${short(pushed!.digest)}, a referrer of ${short(subject.digest)}.`,
      ],
    );
    await waitFor("the pushed manifest among the subject tag's referrers", async () => {
      const tag = await child(api.registries, repository, 'subject');
      const groups = (await children(api.registries, tag)).filter((n) => n.type === 'referrers');
      for (const group of groups)
        if (
          (await children(api.registries, group)).some(
            (n) => n.type === 'manifest' && n.descriptor?.digest === pushed!.digest,
          )
        )
          return true;
      return false;
    });
  });
});
