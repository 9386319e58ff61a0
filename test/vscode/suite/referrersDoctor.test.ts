// Check Referrers and Repair Referrers… in the editor against the real distribution registry (no referrers API),
// its fallback indexes broken on purpose with raw HTTP the way old tools left them: the check lists each problem
// in the Problems panel and a read-only report with what repair would do; Repair… shows every change in a modal,
// rebuilds the index, and deletes orphaned tags only after a second modal naming them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import type { CheckOutcome } from '../../../src/vscode/referrers/checkReferrers';
import { DIAGNOSTIC_SOURCE } from '../../../src/vscode/referrers/ReferrersReports';
import type { RepairOutcome } from '../../../src/vscode/referrers/repairReferrers';
import type { StowageTestApi as StowageApi } from '../../../src/vscode/testApi';
import type { LayoutNode, RegistryNode, TreeNode } from '../../../src/vscode/tree/nodes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { ScriptedPrompts } from './helpers/ScriptedPrompts';
import { pushTextArtifact, registryTarget } from './helpers/seed';
import { answering, child, children, setRegistries, stowageApi, waitFor } from './helpers/stowage';

const REPO = 'doctor/app';
const ACCEPT = `${MediaType.ociIndex}, ${MediaType.ociManifest}`;
const tagOf = (digest: string) => digest.replace(':', '-');

/** The raw HTTP an old tool would send (no Stowage code involved). */
function raw(origin: string) {
  const url = (ref: string) => `${origin}/v2/${REPO}/manifests/${ref}`;
  return {
    async putIndex(tag: string, entries: Descriptor[]): Promise<void> {
      const body = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries });
      const res = await fetch(url(tag), { method: 'PUT', headers: { 'content-type': MediaType.ociIndex }, body });
      assert.equal(res.status, 201, `PUT ${tag}: ${await res.text()}`);
    },
    async remove(digest: string): Promise<void> {
      const res = await fetch(url(digest), { method: 'DELETE' });
      assert.equal(res.status, 202, `DELETE ${digest}`);
    },
    async get(tag: string): Promise<{ status: number; body: string }> {
      const res = await fetch(url(tag), { headers: { accept: ACCEPT } });
      return { status: res.status, body: await res.text() };
    },
  };
}

describe('Check Referrers and Repair Referrers… on a registry with broken fallback indexes', function () {
  this.timeout(120_000);
  let api: StowageApi;
  let registry: TestRegistry;
  let http: ReturnType<typeof raw>;
  let repository: TreeNode;
  const ids: Record<string, Descriptor> = {};
  /** The reports of the repository check and of the v1 check. */
  let repositoryReport: vscode.Uri;
  let artifactReport: vscode.Uri;

  before(async () => {
    api = await stowageApi();
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    http = raw(registry.url);
    const target = registryTarget(registry, REPO);
    const withType = (d: Descriptor) => ({ ...d, artifactType: 'application/vnd.stowage.test' });
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    ids.subject = subject;
    ids.a = (await pushArtifact(target, 'referrer a', { subject })).manifest;
    // b refers to the subject and is tagged (the scan finds it), but no index lists it: lost.
    ids.b = (await pushArtifact(target, 'referrer b', { subject, tag: 'b-tagged' })).manifest;
    ids.c = (await pushArtifact(target, 'referrer c', { subject })).manifest;
    // The index: a without its artifactType (cosign#4641), a again, and c, deleted afterwards (dangling).
    await http.putIndex(tagOf(subject.digest), [ids.a, ids.a, withType(ids.c)]);
    await http.remove(ids.c.digest);
    // A subject with a referrer and a cosign signature tag, then the subject deleted: both tags orphaned.
    ids.gone = (await pushArtifact(target, 'subject to delete')).manifest;
    ids.d = (await pushArtifact(target, 'referrer d', { subject: ids.gone })).manifest;
    // e refers to it too and is tagged, unlisted: once the subject is gone, a referrer of nothing that a tag keeps.
    ids.e = (await pushArtifact(target, 'referrer e', { subject: ids.gone, tag: 'e-tagged' })).manifest;
    await http.putIndex(tagOf(ids.gone.digest), [withType(ids.d)]);
    ids.sig = (await pushArtifact(target, 'cosign signature', { tag: `${tagOf(ids.gone.digest)}.sig` })).manifest;
    await http.remove(ids.gone.digest);

    await setRegistries([{ host: registry.host, plainHttp: true, repositories: [REPO] }]);
    const root = await waitFor('the registry in the view', async () =>
      (await children(api.registries)).find(
        (n): n is RegistryNode => n.type === 'registry' && n.setting.host === registry.host,
      ),
    );
    repository = await child(api.registries, root, REPO);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setRegistries([]);
    await registry?.stop();
  });

  const kinds = (problems: { kind: string; digest?: string }[]) =>
    problems.map((p) => `${p.kind} ${p.digest ?? ''}`).sort();
  const diagnosticsOf = (uri: vscode.Uri) =>
    vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);

  it('Check Referrers on the repository lists every problem in the Problems panel and a report saying what repair does', async () => {
    const prompts = new ScriptedPrompts();
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<CheckOutcome>('stowage.referrers.check', repository),
    );
    assert.ok(outcome, `the check failed: ${JSON.stringify(prompts.notifications)}`);
    const orphanIndex = outcome.report.subjects.find((s) => s.subject === ids.gone!.digest)!.fallbackIndexDigest;
    const expected = [
      `dangling-entry ${ids.c!.digest}`,
      `duplicate-entry ${ids.a!.digest}`,
      `incomplete-entry ${ids.a!.digest}`,
      `missing-from-fallback ${ids.b!.digest}`,
      `orphaned-cosign-tag ${ids.sig!.digest}`,
      `orphaned-fallback-tag ${orphanIndex}`,
    ].sort();
    assert.deepEqual(kinds(outcome.report.problems), expected);
    repositoryReport = outcome.uri;

    // The Problems panel: one diagnostic per problem, its code the kind, each on its own section of the report.
    const diagnostics = diagnosticsOf(outcome.uri);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), outcome.report.problems.map((p) => p.kind).sort());
    assert.equal(new Set(diagnostics.map((d) => d.range.start.line)).size, diagnostics.length);
    const dangling = diagnostics.find((d) => d.code === 'dangling-entry')!;
    assert.equal(dangling.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics.find((d) => d.code === 'duplicate-entry')!.severity, vscode.DiagnosticSeverity.Warning);

    // The report is read-only, opened, and says per problem what repair would do.
    const document = await vscode.workspace.openTextDocument(outcome.uri);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), outcome.uri.toString());
    const text = document.getText();
    assert.match(document.lineAt(dangling.range.start.line).text, /^### \d+\. dangling-entry$/);
    for (const line of expected) assert.ok(text.includes(`\`${line.split(' ')[1]}\``), `${line} is in the report`);
    assert.match(text, /Referrers API: no/);
    assert.ok(
      text.includes(
        `## Referrers of subjects that are gone\n\nNo problem of the bookkeeping, and nothing repair deletes`,
      ),
      text,
    );
    assert.ok(text.includes(`- \`${ids.e!.digest}\` (tag \`e-tagged\`) refers to \`${ids.gone!.digest}\``), text);
    assert.match(text, /- Repair: `rewrite-index sha256-[0-9a-f]{64}: add 1 lost referrer/);
    assert.match(text, /- Repair: `delete-cosign-tag sha256-[0-9a-f]{64}\.sig .*` \(a deletion: asked for separately/);
    assert.equal(document.isUntitled, false, 'an untitled report would ask to be saved');

    // Where users look: a warning offering Repair…, and the quick fix on each problem.
    assert.deepEqual(prompts.notifications, [
      {
        severity: 'warning',
        message: `6 referrers problems in ${registry.host}/${REPO}; repair would make 3 changes. They are listed in the Problems panel.`,
        actions: ['Repair…', 'Show Report'],
      },
    ]);
    // Code actions see the diagnostics once the workbench's marker service has them: a moment after they are set.
    const repairs = await waitFor('the quick fix on the dangling entry', async () => {
      const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        outcome.uri,
        dangling.range,
      );
      const titles = fixes.filter((f) => f.command?.command === 'stowage.referrers.repair').map((f) => f.title);
      return titles.length ? titles : undefined;
    });
    assert.deepEqual(repairs, ['Repair Referrers…']);
  });

  it('Check Referrers from the palette on one artifact (reference picker) reports that subject only', async () => {
    const prompts = new ScriptedPrompts().thenPick('One artifact').thenInput(`${registry.host}/${REPO}:v1`);
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<CheckOutcome>('stowage.referrers.check'),
    );
    assert.ok(outcome, JSON.stringify(prompts.notifications));
    assert.deepEqual(
      outcome.report.subjects.map((s) => s.subject),
      [ids.subject!.digest],
    );
    assert.deepEqual(
      new Set(outcome.report.problems.map((p) => p.kind)),
      new Set(['dangling-entry', 'duplicate-entry', 'incomplete-entry', 'missing-from-fallback']),
    );
    assert.equal(diagnosticsOf(outcome.uri).length, 4);
    assert.notEqual(outcome.uri.toString(), repositoryReport.toString(), 'each scope has its own report');
    artifactReport = outcome.uri;
  });

  it('Check Referrers from the palette on a whole repository offers existing repositories and layouts only, under a placeholder saying so', async () => {
    const prompts = new ScriptedPrompts().thenPick('Whole repository').thenPick(REPO);
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<CheckOutcome>('stowage.referrers.check'),
    );
    assert.ok(outcome, JSON.stringify(prompts.notifications));
    assert.equal(outcome.report.problems.length, 6, 'the whole repository was checked');
    const [what, store] = prompts.asked;
    assert.equal(what?.prompt, 'Check the referrers of');
    assert.equal(store?.prompt, 'Repository or layout whose referrers to check');
    const offered = store?.items?.map((i) => i.label) ?? [];
    assert.ok(offered.includes(REPO) && offered.includes('Layout folder…'), JSON.stringify(offered));
    assert.ok(offered.includes('Type a repository…'), JSON.stringify(offered));
    assert.ok(!offered.some((label) => label.startsWith('Repository in ')), `nothing creates a store: ${offered}`);
  });

  it('Repair Referrers… lists every change in the modal; "Repair" rebuilds the index and leaves the deletions', async () => {
    const cancelled = new ScriptedPrompts().thenChoose(undefined);
    assert.equal(
      await answering(api, cancelled, () =>
        vscode.commands.executeCommand<RepairOutcome>('stowage.referrers.repair', repository),
      ),
      undefined,
    );
    const before = await http.get(tagOf(ids.subject!.digest));
    assert.deepEqual(JSON.parse(before.body).manifests.length, 3, 'cancelling changed nothing');

    const prompts = new ScriptedPrompts().thenChoose('Repair');
    const redrawn: (TreeNode | undefined)[] = [];
    const watching = api.registries.onDidChangeTreeData((node) => redrawn.push(node));
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<RepairOutcome>('stowage.referrers.repair', repository),
    ).finally(() => watching.dispose());
    assert.ok(
      redrawn.some((node) => node?.id === repository.id),
      `the repository's node is redrawn: ${JSON.stringify(redrawn.map((n) => n?.id))}`,
    );
    assert.ok(outcome, JSON.stringify(prompts.notifications));
    const modal = prompts.asked[0]!.choose!;
    assert.equal(modal.message, `Repair the referrers of ${registry.host}/${REPO}: 3 changes?`);
    assert.deepEqual(modal.actions, ['Repair', 'Repair and Delete 2…']);
    const listed = modal.detail!.split('\n').filter((l) => l.startsWith('• '));
    assert.equal(listed.length, 3);
    assert.match(listed[0]!, /^• rewrite-index sha256-[0-9a-f]{64}: add 1 lost referrer, drop 1 entry/);
    assert.ok(listed.some((l) => l.startsWith(`• [delete] delete-index ${tagOf(ids.gone!.digest)} `)));
    assert.ok(listed.some((l) => l.startsWith(`• [delete] delete-cosign-tag ${tagOf(ids.gone!.digest)}.sig `)));

    assert.equal(outcome.made.length, 1);
    assert.equal(outcome.skippedDeletions, 2);
    assert.equal(outcome.remainingProblems, 2);
    const index = JSON.parse((await http.get(tagOf(ids.subject!.digest))).body) as { manifests: Descriptor[] };
    assert.deepEqual(index.manifests.map((d) => d.digest).sort(), [ids.a!.digest, ids.b!.digest].sort());
    assert.ok(index.manifests.every((d) => d.artifactType === 'application/vnd.stowage.test'));
    assert.equal((await http.get(`${tagOf(ids.gone!.digest)}.sig`)).status, 200, 'no deletion without asking');
    assert.match(prompts.notifications.at(-1)!.message, /: 1 change made\. 2 deletions not made\. 2 problems remain/);
    // The Problems panel is up to date: only the orphaned tags are left, and v1's own report is clean.
    assert.deepEqual(
      diagnosticsOf(repositoryReport)
        .map((d) => d.code)
        .sort(),
      ['orphaned-cosign-tag', 'orphaned-fallback-tag'],
    );
    assert.deepEqual(diagnosticsOf(artifactReport), []);
  });

  it('Repair Referrers… deletes orphaned tags only after a second modal naming each, and the check is clean after', async () => {
    const declined = new ScriptedPrompts().thenChoose('Delete 2…').thenConfirm(false);
    assert.equal(
      await answering(api, declined, () =>
        vscode.commands.executeCommand<RepairOutcome>('stowage.referrers.repair', repository),
      ),
      undefined,
    );
    const second = declined.asked[1]!.confirm!;
    assert.equal(second.message, `Delete 2 tags from ${registry.host}/${REPO}?`);
    assert.equal(second.action, 'Delete 2 Tags');
    assert.ok(second.detail!.includes(`• ${tagOf(ids.gone!.digest)} (`));
    assert.ok(second.detail!.includes(`• ${tagOf(ids.gone!.digest)}.sig (${ids.sig!.digest}): its subject`));
    assert.match(second.detail!, /This cannot be undone/);
    assert.equal((await http.get(`${tagOf(ids.gone!.digest)}.sig`)).status, 200, 'declining deleted nothing');

    const prompts = new ScriptedPrompts().thenChoose('Delete 2…').thenConfirm(true);
    const outcome = await answering(api, prompts, () =>
      vscode.commands.executeCommand<RepairOutcome>('stowage.referrers.repair', repository),
    );
    assert.ok(outcome, JSON.stringify(prompts.notifications));
    assert.deepEqual(outcome.made.map((c) => c.kind).sort(), ['delete-cosign-tag', 'delete-index']);
    assert.equal(outcome.remainingProblems, 0);
    assert.equal((await http.get(`${tagOf(ids.gone!.digest)}.sig`)).status, 404);
    assert.equal((await http.get(tagOf(ids.gone!.digest))).status, 404);
    assert.match(prompts.notifications.at(-1)!.message, /: 2 changes made\. No problems remain\./);

    // Check Referrers from the report's title bar checks what the report is about, asking nothing.
    const clean = new ScriptedPrompts();
    const after = await answering(api, clean, () =>
      vscode.commands.executeCommand<CheckOutcome>('stowage.referrers.check', repositoryReport),
    );
    assert.equal(after.uri.toString(), repositoryReport.toString());
    assert.equal(after.report.problems.length, 0);
    assert.deepEqual(diagnosticsOf(after.uri), []);
    assert.equal(clean.notifications[0]!.severity, 'info');
    assert.match(
      clean.notifications[0]!.message,
      /; 1 referrer of a subject that is gone stays, as no repair deletes a manifest\.$/,
    );
    assert.deepEqual(clean.notifications[0]!.actions, ['Show Report']);
  });
});

describe('Check Referrers and Repair Referrers… on an image layout', function () {
  this.timeout(60_000);
  let api: StowageApi;
  let dir: string;

  before(async () => {
    api = await stowageApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-referrers-layout-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('stowage').update('layouts', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on the layout node: a referrer whose manifest was removed by hand is found, and Repair drops its index after the second modal', async () => {
    const folder = path.join(dir, 'layout');
    const layout = await LayoutTarget.open(folder, { create: true });
    const subject = await pushTextArtifact(layout, { 'app.txt': 'app' }, { tag: 'v1' });
    const note = await pushTextArtifact(layout, { 'note.txt': 'note' }, { subject: subject.descriptor });
    // What a careless tool or a hand-made clean-up leaves: the referrer's manifest gone, its index entry not.
    fs.rmSync(path.join(folder, 'blobs', 'sha256', note.descriptor.digest.slice('sha256:'.length)));
    await vscode.workspace.getConfiguration('stowage').update('layouts', [folder], vscode.ConfigurationTarget.Global);
    const node = await waitFor('the layout in the view', async () =>
      (await children(api.layouts)).find((n): n is LayoutNode => n.type === 'layout' && n.store.path === folder),
    );

    const checked = await answering(api, new ScriptedPrompts(), () =>
      vscode.commands.executeCommand<CheckOutcome>('stowage.referrers.check', node),
    );
    assert.deepEqual(kindsOf(checked.report.problems), [`dangling-entry ${note.descriptor.digest}`]);
    assert.deepEqual(
      vscode.languages.getDiagnostics(checked.uri).map((d) => d.code),
      ['dangling-entry'],
    );

    // Nothing is left to rebuild the index from: the only change is deleting the fallback tag.
    const prompts = new ScriptedPrompts().thenChoose('Delete 1…').thenConfirm(true);
    const repaired = await answering(api, prompts, () =>
      vscode.commands.executeCommand<RepairOutcome>('stowage.referrers.repair', node),
    );
    assert.ok(repaired, JSON.stringify(prompts.notifications));
    assert.deepEqual(prompts.asked[0]!.choose!.actions, ['Delete 1…']);
    assert.match(prompts.asked[1]!.confirm!.detail!, /The layout drops these tags/);
    assert.deepEqual(
      repaired.made.map((c) => c.kind),
      ['delete-index'],
    );
    assert.equal(repaired.remainingProblems, 0);
    const tags: string[] = [];
    for await (const page of layout.listTags()) tags.push(...page);
    assert.deepEqual(tags, ['v1']);
  });
});

function kindsOf(problems: { kind: string; digest?: string }[]): string[] {
  return problems.map((p) => `${p.kind} ${p.digest ?? ''}`).sort();
}
