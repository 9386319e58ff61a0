// The buttons of the graph's details panel, each clicked in the webview and followed to its effect in the
// workbench or on disk: Open Manifest opens the stowage: document, Pull… writes the file into the folder typed in
// the dialog, Copy Reference fills the clipboard, Attach File… asks its questions and the new node appears,
// Delete… asks for confirmation and the node goes, Show Its Graph opens a second graph rooted at the node.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { listReferrers } from '../../../src/core/graph/referrers';
import type { NodeAction } from '../../../src/protocol/messages';
import { answerFileDialog, answerQuickInput } from '../harness/workbench';
import { attachNote, subjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, graphFrame, nodeSelector, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

export function referrerGraphActionChecks(): UiCheck[] {
  let fixture: GraphLayout | undefined;
  let noteA: Descriptor;
  let noteB: Descriptor;
  const graphTab = (page: Page) => page.locator('.tabs-container .tab', { hasText: 'Referrers: layout:v1' });

  /** Selects `digest` in the graph on screen and clicks one of its action buttons. */
  async function clickAction(page: Page, digest: string, action: NodeAction): Promise<FrameLocator> {
    assert.ok(fixture, 'the first graph action check opens the graph');
    if (
      !(
        await graphTab(page)
          .getAttribute('aria-selected')
          .catch(() => null)
      )?.includes('true')
    )
      await graphTab(page).click();
    const frame = graphFrame(page);
    await frame.locator(nodeSelector(digest)).click();
    await frame.locator('.details dd', { hasText: digest }).waitFor();
    await frame.locator(`.details button[data-action="${action}"]`).click();
    return frame;
  }

  return [
    {
      name: 'graph action Open Manifest opens the node’s manifest as a stowage: document',
      async run(page) {
        fixture = await subjectLayout('v1');
        noteA = await attachNote(fixture.target, fixture.subject, 'note-a');
        noteB = await attachNote(fixture.target, fixture.subject, 'note-b');
        await closeAllEditors(page);
        await openGraph(page, `oci:${fixture.layout}:v1`);
        await clickAction(page, noteA.digest, 'openManifest');
        await page.locator('.tabs-container .tab.active', { hasText: 'manifest.json' }).waitFor();
        const lines = page.locator('.editor-instance .monaco-editor .view-lines');
        await lines.filter({ hasText: 'note-a' }).waitFor();
        const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
        assert.match(text, /"org\.example\.name": "note-a"/);
        assert.ok(text.includes(`"digest": "${fixture.subject.digest}"`), 'the document does not name the subject');
      },
    },
    {
      name: 'graph action Pull… asks for a folder, offers a new folder in it, and writes the node’s file there',
      async run(page) {
        const folder = path.join(fixture!.dir, 'pulled');
        fs.mkdirSync(folder);
        await clickAction(page, noteA.digest, 'pull');
        await page.locator('.quick-input-widget', { hasText: 'folder to write into' }).waitFor({ state: 'visible' });
        await answerFileDialog(page, folder);
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.getByText(`Pull 1 item into ${folder}?`).waitFor();
        await dialog.getByRole('button', { name: 'Pull into New Folder…', exact: true }).click();
        // The browser's folder dialog cannot make a folder: the name is asked, the layout's name offered.
        const naming = page.locator('.quick-input-widget', { hasText: 'new folder in' });
        await naming.waitFor({ state: 'visible' });
        const input = page.locator('.quick-input-widget input');
        assert.equal(await input.inputValue(), path.basename(fixture!.layout));
        await input.fill('notes');
        await page.keyboard.press('Enter');
        const created = path.join(folder, 'notes');
        await dialog.getByText(`Pull 1 item into ${created}?`).waitFor();
        await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
        const file = path.join(created, 'note-a.txt');
        await waitUntil(`${file} to be written`, () => fs.existsSync(file));
        assert.equal(fs.readFileSync(file, 'utf8'), 'note-a\n');
        // The pull stages beside the folder and removes the staging folder just after the file lands there.
        await waitUntil(
          `the staging folder in ${folder} to be removed`,
          () => fs.readdirSync(folder).join() === 'notes',
        );
        assert.deepEqual(fs.readdirSync(created), ['note-a.txt']);
      },
    },
    {
      name: 'graph action Copy Reference puts the node’s oci: reference on the clipboard',
      async run(page) {
        await page
          .context()
          .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
        await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'));
        await clickAction(page, noteA.digest, 'copyReference');
        const expected = `oci:${fixture!.layout}@${noteA.digest}`;
        let copied = '';
        await waitUntil(
          `the clipboard to hold ${expected}`,
          async () => (copied = await page.evaluate(() => navigator.clipboard.readText())) === expected,
        ).catch((error: Error) => assert.fail(`${error.message}; it holds ${JSON.stringify(copied)}`));
      },
    },
    {
      name: 'graph action Attach File… asks for the file, artifact type and annotations, and the graph shows the new referrer',
      async run(page) {
        const file = path.join(fixture!.dir, 'evidence.txt');
        fs.writeFileSync(file, 'evidence for note-a\n');
        const frame = await clickAction(page, noteA.digest, 'attachFile');
        await page.locator('.quick-input-widget', { hasText: 'files to attach' }).waitFor({ state: 'visible' });
        await answerFileDialog(page, file);
        // Known referrer types are offered first; a type of one's own goes through "Other…".
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Other…' }).click();
        // The input box's own prompt: the pick before it matched "Media type" too (its "Other…" row says "type a
        // media type"), and text typed into that pick was lost when the box replaced it.
        await page
          .locator('.quick-input-widget .quick-input-message', { hasText: /^Media type\b/ })
          .waitFor({ state: 'visible' });
        await answerQuickInput(page, 'application/vnd.example.evidence.v1');
        await page.locator('.quick-input-widget', { hasText: 'Annotations' }).waitFor({ state: 'visible' });
        await answerQuickInput(page, 'org.example.name=evidence');
        const attached = await waitUntil('the attached referrer in the layout', async () => {
          const referrers = await listReferrers(await LayoutTarget.open(fixture!.layout), noteA.digest);
          return referrers.find((r) => r.descriptor.artifactType === 'application/vnd.example.evidence.v1')?.descriptor;
        });
        await frame.locator(nodeSelector(attached.digest)).waitFor();
        assert.equal(await frame.locator('g.node').count(), 4);
        await frame.locator(nodeSelector(attached.digest)).click();
        await frame.locator('table.annotations td', { hasText: 'evidence' }).waitFor();
      },
    },
    {
      name: 'graph action Delete… asks for confirmation naming the digest, the node disappears, and the details show the subject instead of the deleted node',
      async run(page) {
        const frame = await clickAction(page, noteB.digest, 'delete');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.getByText(`Delete ${noteB.digest}`).waitFor();
        await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
        await frame.locator(nodeSelector(noteB.digest)).waitFor({ state: 'detached' });
        await frame.locator(nodeSelector(noteA.digest)).waitFor();
        // The details no longer offer actions on what is gone: the subject is shown, and why.
        await frame.locator('.details .status', { hasText: 'no longer in the graph' }).waitFor();
        assert.equal(
          await frame.locator('.details dd', { hasText: noteB.digest }).count(),
          0,
          'deleted node still shown',
        );
        await frame.locator('.details dd', { hasText: fixture!.subject.digest }).waitFor();
        await frame.locator(`g.node.root.selected`).waitFor();
        const left = await listReferrers(await LayoutTarget.open(fixture!.layout), fixture!.subject.digest);
        assert.deepEqual(
          left.map((r) => r.descriptor.digest),
          [noteA.digest],
        );
      },
    },
    {
      name: 'graph action Show Its Graph opens a second graph panel titled for the node and rooted at it',
      async run(page) {
        try {
          await clickAction(page, noteA.digest, 'showGraph');
          // The title names the layout and the start of the digest (the tab shortens it).
          const title = `Referrers: layout@${noteA.digest.slice(0, 'sha256:'.length + 12)}…`;
          await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
          assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Referrers: ' }).count(), 2);
          const frame = graphFrame(page);
          await frame.locator(`g.node.root${nodeSelector(noteA.digest).slice('g.node'.length)}`).waitFor();
          assert.equal(await frame.locator('g.node').count(), 2, 'the node’s graph is the node and its one referrer');
          assert.match(await frame.locator('h1').innerText(), new RegExp(`@${noteA.digest}$`));
        } finally {
          if (fixture) fs.rmSync(fixture.dir, { recursive: true, force: true });
        }
      },
    },
  ];
}

async function waitUntil<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
