// What a user sees of the trees and transfers: a registry added with Add Registry… expanded down to a
// manifest's layers, and a large push from the command palette showing its progress (bytes of total) in a
// notification whose Cancel stops it. The registry is a real one started here, in the test process.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { saveScreenshot } from '../harness/artifacts';
import {
  addRegistryFromPalette,
  answerFileDialog,
  answerQuickInput,
  expandViewPane,
  notificationCentreMessages,
  runFromCommandPalette,
  showViewContainer,
  startFromCommandPalette,
  viewPane,
} from '../harness/workbench';
import { pushTextArtifact, registryTarget } from '../suite/helpers/seed';
import type { UiCheck } from './uiCheck';
import { chooseFromContextMenu, escapeRegExp, expandRow, row, selectOnly, selectTwo } from '../harness/treeRows';
import { closeAllEditors } from './graphPage';

const LARGE_FILE_BYTES = 256 * 1024 * 1024;

export interface TreeChecks {
  checks: UiCheck[];
  /** Stops the registry and removes the settings and files the checks put into the workspace. */
  dispose(): Promise<void>;
}

export function stowageTreeChecks(workspace: string, screenshotPrefix: string): TreeChecks {
  let registry: TestRegistry | undefined;
  const largeFile = path.join(workspace, 'large-artifact.bin');
  const stepsFile = path.join(workspace, 'steps.txt');

  return {
    checks: [
      {
        name: 'the Registries view expands a registry added with Add Registry… to a manifest’s layers',
        async run(page) {
          registry = await startRegistry({ variant: 'plain' });
          await pushTextArtifact(
            registryTarget(registry, 'ui/demo'),
            { 'hello.txt': 'hello\n', 'notes.md': '# notes\n' },
            { tag: 'v1' },
          );
          await showViewContainer(page, 'Stowage');
          await addRegistryFromPalette(page, `http://${registry.host}/`);
          const pane = await expandViewPane(page, 'Registries');
          await expandRow(pane, registry.host);
          await expandRow(pane, 'ui/demo');
          await expandRow(pane, 'v1');
          await row(pane, 'config').waitFor();
          await row(pane, 'hello.txt').waitFor();
          await row(pane, 'notes.md').waitFor();
          await saveScreenshot(page, `${screenshotPrefix}-registry-tree-expanded`);
        },
      },
      {
        name: 'a large Push as Artifact… from the palette shows bytes done of total in a progress notification, and Cancel stops it',
        async run(page) {
          assert.ok(registry, 'the previous check starts the registry');
          // A sparse file: large on the wire, cheap on disk.
          fs.closeSync(fs.openSync(largeFile, 'w'));
          fs.truncateSync(largeFile, LARGE_FILE_BYTES);
          await notificationCentreMessages(page); // opened first, so the progress shows there while it runs

          await startFromCommandPalette(page, 'Stowage: Push as Artifact…', 'Push as Artifact');
          await answerFileDialog(page, largeFile); // the open dialog is a quick input in the browser
          await answerQuickInput(page, `Repository in ${registry.host}`);
          await answerQuickInput(page, 'ui/large');
          await answerQuickInput(page, 'big');
          await answerQuickInput(page, ''); // the default artifactType, first in the list
          await answerQuickInput(page, ''); // no annotations
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor({ state: 'visible' });
          assert.match(await dialog.innerText(), /large-artifact\.bin — 256 MiB/);
          await dialog.getByRole('button', { name: 'Push' }).click();

          const progress = await waitForMessage(page, /of 256 MiB/, 60_000);
          await saveScreenshot(page, `${screenshotPrefix}-large-push-progress`);
          assert.match(progress, /Pushing to .*ui\/large:big/);

          // Cancel aborts the engine's push: the notification goes, no error is reported, the tag never appears.
          const item = page.locator('.notifications-center .notification-list-item', { hasText: 'Pushing to' });
          await item.getByRole('button', { name: 'Cancel' }).click();
          await item.waitFor({ state: 'detached', timeout: 30_000 });
          await page.waitForTimeout(1000);
          const after = await page.locator('.notifications-center .notification-list-item').allInnerTexts();
          assert.deepEqual(
            after.filter((text) => /error|failed/i.test(text)),
            [],
            'cancelling reported an error',
          );
          await assert.rejects(registryTarget(registry, 'ui/large').resolve('big'), /not found/i);
        },
      },
      {
        name: 'Push as Artifact… numbers its questions in the title ("(1)", with the total once the destination is known: "(2/4)"; the name asked after "Repository in …" keeps the destination\'s number), and Back returns to the question before with its answer kept; Escape pushes nothing',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          fs.writeFileSync(stepsFile, 'steps\n');
          const title = page.locator('.quick-input-widget .quick-input-title');
          const input = page.locator('.quick-input-widget input');
          await startFromCommandPalette(page, 'Stowage: Push as Artifact…', 'Push as Artifact');
          await answerFileDialog(page, stepsFile);
          // The destination may name the tag (one question fewer) or ask a name (one more): no total until it is known.
          await title.filter({ hasText: 'Push as Artifact (1)' }).waitFor({ state: 'visible' });
          await answerQuickInput(page, `Repository in ${registry.host}`);
          const nameQuestion = page.locator('.quick-input-widget input[placeholder="team/app"]');
          await nameQuestion.waitFor({ state: 'visible' });
          assert.match(
            await title.innerText(),
            /Push as Artifact \(1\)/,
            'the name is part of the destination question',
          );
          await answerQuickInput(page, 'ui/steps');
          await title.filter({ hasText: 'Push as Artifact (2/4)' }).waitFor({ state: 'visible' });
          await saveScreenshot(page, `${screenshotPrefix}-push-step-3`);

          await page.locator('.quick-input-widget').getByRole('button', { name: 'Back' }).click();
          await title.filter({ hasText: 'Push as Artifact (1)' }).waitFor({ state: 'visible' });
          // The destination chosen is the highlighted row; Enter keeps it and the repository name typed comes back.
          await page
            .locator('.quick-input-widget .monaco-list-row.focused', { hasText: `Repository in ${registry.host}` })
            .waitFor({ state: 'visible' });
          await page.keyboard.press('Enter');
          await nameQuestion.waitFor({ state: 'visible' });
          assert.match(await title.innerText(), /Push as Artifact \(1\)/);
          const deadline = Date.now() + 15_000;
          while ((await input.inputValue()) !== 'ui/steps' && Date.now() < deadline) await page.waitForTimeout(100);
          assert.equal(await input.inputValue(), 'ui/steps', 'the repository name typed before is kept');

          // Escape ends the flow. An earlier check left the notification centre open, and the workbench may give
          // the first Escape to it: press again (bounded) until the question is gone.
          const widget = page.locator('.quick-input-widget');
          for (let attempt = 1; attempt <= 5 && (await widget.isVisible()); attempt++) {
            await input.focus();
            await page.keyboard.press('Escape');
            await widget.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
          }
          await widget.waitFor({ state: 'hidden', timeout: 1_000 });
          await assert.rejects(registryTarget(registry, 'ui/steps').resolve('latest'), /not found/i);
        },
      },
      {
        name: 'Filter… narrows the Registries view to matching repositories, says so in the view title, and Clear Filter restores them',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          await pushTextArtifact(registryTarget(registry, 'other/app'), { 'a.txt': 'a\n' }, { tag: 'v1' });
          const pane = await expandViewPane(page, 'Registries');
          await runFromCommandPalette(page, 'Stowage: Refresh Registries');
          await row(pane, 'other/app').waitFor({ timeout: 30_000 });

          await startFromCommandPalette(page, 'Stowage: Filter…', 'Filter Repositories');
          await answerQuickInput(page, registry.host);
          await answerQuickInput(page, 'ui/*');
          await page
            .locator('.pane-header', { hasText: 'Registries' })
            .getByText(/Filter: .*ui\/\*/)
            .waitFor();
          await row(pane, 'ui/demo').waitFor();
          await row(pane, 'other/app').waitFor({ state: 'detached' });
          await saveScreenshot(page, `${screenshotPrefix}-registries-filtered`);

          await runFromCommandPalette(page, 'Stowage: Clear Filter');
          await row(pane, 'other/app').waitFor({ timeout: 30_000 });
        },
      },
      {
        name: 'Open in Browser from a tag’s context menu says what to set for a registry whose web page Stowage does not know',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          const pane = await expandViewPane(page, 'Registries');
          await notificationCentreMessages(page); // opened first, so the message shows there
          await chooseFromContextMenu(page, row(pane, 'v1'), 'Open in Browser');
          const message = await waitForMessage(page, /does not know the web page of/, 15_000);
          assert.match(message, new RegExp(`${escapeRegExp(registry.host)}.*"webUrl"`));
        },
      },
      {
        name: 'Copy Pinned Reference from a tag’s context menu puts repo:tag@digest on the clipboard and says so in the status bar',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          const digest = (await registryTarget(registry, 'ui/demo').resolve('v1')).digest;
          const pane = await expandViewPane(page, 'Registries');
          await chooseFromContextMenu(page, row(pane, 'v1'), 'Copy Pinned Reference');
          const expected = `${registry.host}/ui/demo:v1@${digest}`;
          const deadline = Date.now() + 15_000;
          let pasted = '';
          while (Date.now() < deadline && pasted !== expected) {
            pasted = await page.evaluate(() => navigator.clipboard.readText());
            await page.waitForTimeout(200);
          }
          assert.equal(pasted, expected);
          // The copy is not silent: a few seconds' word in the status bar, as VS Code's own copies.
          await page.locator('.statusbar', { hasText: `Copied ${expected}` }).waitFor({ timeout: 15_000 });
        },
      },
      {
        name: 'a tag’s context menu offers Compare With…; two tags selected (click, Ctrl+click) offer Compare Selected instead, which opens both in the diff editor as inspect describes them; its title bar’s Compare Files compares their files',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          await pushTextArtifact(
            registryTarget(registry, 'ui/demo'),
            { 'hello.txt': 'hello\n', 'more.txt': 'more\n' },
            { tag: 'v2' },
          );
          const pane = await expandViewPane(page, 'Registries');
          await runFromCommandPalette(page, 'Stowage: Refresh Registries');
          await row(pane, 'v2').waitFor({ timeout: 30_000 });
          const menu = page.locator('.context-view .monaco-menu');
          const menuLabels = async (text: string) => {
            await row(pane, text).click({ button: 'right' });
            await menu.waitFor({ state: 'visible', timeout: 15_000 });
            return menu.locator('[role=menuitem] .action-label').allInnerTexts();
          };
          const single = await menuLabels('v1');
          assert.ok(single.includes('Compare With…'), JSON.stringify(single));
          assert.ok(!single.includes('Compare Selected'), JSON.stringify(single));
          await page.keyboard.press('Escape');
          await menu.waitFor({ state: 'hidden', timeout: 15_000 });

          await selectTwo(pane, 'v1', 'v2');
          const double = await menuLabels('v2');
          // A multi-selection's menu keeps what every selected row offers: the item must show on both rows.
          assert.ok(double.includes('Compare Selected'), JSON.stringify(double));
          assert.ok(!double.includes('Compare With…'), JSON.stringify(double));
          await menu.locator('.action-label', { hasText: /^Compare Selected$/ }).hover();
          await page.keyboard.press('Enter');
          await page.locator('.tab', { hasText: 'demo:v1 ↔ demo:v2 (inspect)' }).waitFor({ timeout: 30_000 });
          await page.locator('.editor-instance .view-lines', { hasText: 'more.txt' }).waitFor({ timeout: 30_000 });
          await saveScreenshot(page, `${screenshotPrefix}-compare-selected`);
          // The comparison's title bar offers the files of the same two.
          await page.locator('.editor-actions .action-label[aria-label="Compare Files"]').click();
          await page.locator('.tab', { hasText: 'demo:v1 ↔ demo:v2 (files)' }).waitFor({ timeout: 30_000 });
          await page
            .locator('.editor-instance .view-lines', { hasText: /more\.txt\s+5\sB/ })
            .waitFor({ timeout: 30_000 });
          await saveScreenshot(page, `${screenshotPrefix}-compare-files`);
          await closeAllEditors(page);
          // One row selected again (Ctrl+click takes v2 out): a two-row selection left behind makes the next checks'
          // menus those of a multi-selection, without the single-artifact commands.
          await row(pane, 'v2').click({ modifiers: ['Control'] });
          await row(pane, 'v2').locator('xpath=self::*[@aria-selected="false"]').waitFor({ timeout: 15_000 });
        },
      },
      {
        name: 'keyboard only: the Registries view focused from the palette, arrow keys to a tag, Shift+F10 opens its context menu (Escape closes it, the focus back on the row), and Open Manifest chosen with the arrows and Enter opens it',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          await expandViewPane(page, 'Registries');
          await runFromCommandPalette(page, 'Stowage: Focus on Registries View');
          const tree = viewPane(page, 'Registries').locator('.monaco-list[role=tree]');
          const focusedRow = tree.locator('.monaco-list-row.focused .label-name');
          await page.keyboard.press('Home');
          await focusedRow.first().waitFor();
          await arrowTo(page, focusedRow, 'v1', 'ArrowDown', 30);

          const menu = page.locator('.context-view .monaco-menu');
          await page.keyboard.press('Shift+F10');
          await menu.waitFor({ state: 'visible', timeout: 15_000 });
          assert.ok(await menu.locator('[role=menu]').count(), 'the context menu has no menu role');
          const labels = await menu.locator('[role=menuitem] .action-label').allInnerTexts();
          for (const action of ['Open Manifest', 'Copy Reference', 'Delete…'])
            assert.ok(labels.includes(action), `${action} not in the menu: ${JSON.stringify(labels)}`);
          // Escape closes the menu and gives the focus back to the row: no trap.
          await page.keyboard.press('Escape');
          await menu.waitFor({ state: 'hidden', timeout: 15_000 });
          await page.waitForFunction(
            () => document.activeElement?.closest('.monaco-list[role=tree]') !== null,
            undefined,
            { timeout: 15_000 },
          );
          assert.equal(await focusedRow.first().innerText(), 'v1', 'the focus left the tag');

          await page.keyboard.press('Shift+F10');
          await menu.waitFor({ state: 'visible', timeout: 15_000 });
          // The menu takes the focus; the first Down arrow focuses its first item.
          await page.waitForFunction(() => document.activeElement?.closest('.monaco-menu') !== null, undefined, {
            timeout: 15_000,
          });
          const focusedAction = menu.locator('.action-item.focused .action-label');
          await arrowTo(page, focusedAction, 'Open Manifest', 'ArrowDown', labels.length + 1);
          await page.keyboard.press('Enter');
          await menu.waitFor({ state: 'hidden', timeout: 15_000 });
          await page.locator('.editor-instance .view-lines', { hasText: 'schemaVersion' }).waitFor({ timeout: 30_000 });
          // The manifest left open would be the active editor of the checks after this one: Show Referrer Graph
          // then draws its manifest instead of asking for a reference.
          await closeAllEditors(page);
        },
      },
      {
        name: 'hovering a registry shows how it is reached, where its credentials come from and what it can do',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          const pane = await expandViewPane(page, 'Registries');
          const registryRow = row(pane, registry.host);
          await registryRow.waitFor();
          await page.mouse.move(700, 400); // away first: the hover shows on entering the row
          await registryRow.locator('.label-name').hover();
          const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /Credentials:/ });
          await hover.waitFor({ state: 'visible', timeout: 15_000 });
          const text = await hover.innerText();
          assert.match(text, /plain HTTP/);
          assert.match(text, /Credentials: /);
          await saveScreenshot(page, `${screenshotPrefix}-registry-hover`);
          // Away, and the hover gone: left open, it covers the rows the next check clicks.
          await page.mouse.move(700, 400);
          await page.keyboard.press('Escape');
          await hover.waitFor({ state: 'hidden', timeout: 15_000 });
        },
      },
      {
        name: 'Delete… on two tags selected with Ctrl+click asks once naming both, and deletes both (not only the row right-clicked)',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          const target = registryTarget(registry, 'ui/many');
          for (const tag of ['many-a', 'many-b', 'many-c']) await pushTextArtifact(target, { [tag]: tag }, { tag });
          const pane = await expandViewPane(page, 'Registries');
          await runFromCommandPalette(page, 'Stowage: Refresh Registries');
          await expandRow(pane, 'ui/many');
          const selectBoth = () => selectTwo(pane, 'many-a', 'many-b');
          await chooseFromContextMenu(page, row(pane, 'many-b'), 'Delete…', selectBoth);
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor({ state: 'visible' });
          const asked = await dialog.innerText();
          await saveScreenshot(page, `${screenshotPrefix}-delete-selected`);
          assert.match(asked, new RegExp(`Delete 2 artifacts from ${escapeRegExp(registry.host)}/ui/many\\?`));
          assert.match(asked, /\(tag many-a\)/);
          assert.match(asked, /\(tag many-b\)/);
          await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
          await row(pane, 'many-a').waitFor({ state: 'detached', timeout: 30_000 });
          await row(pane, 'many-b').waitFor({ state: 'detached', timeout: 30_000 });
          for (const gone of ['many-a', 'many-b']) await assert.rejects(target.resolve(gone), /not found/i, gone);
          await target.resolve('many-c'); // the tag not selected stays
        },
      },
      {
        name: 'Copy To… on two tags selected with Ctrl+click asks one destination repository (no tag), and both arrive there with their own tags',
        async run(page) {
          assert.ok(registry, 'the first check starts the registry');
          const staging = registryTarget(registry, 'ui/staging');
          for (const tag of ['rc-a', 'rc-b', 'rc-c']) await pushTextArtifact(staging, { [tag]: tag }, { tag });
          const pane = await expandViewPane(page, 'Registries');
          await runFromCommandPalette(page, 'Stowage: Refresh Registries');
          await expandRow(pane, 'ui/staging');
          const selectBoth = () => selectTwo(pane, 'rc-a', 'rc-b');
          await chooseFromContextMenu(page, row(pane, 'rc-b'), 'Copy To…', selectBoth);
          await answerQuickInput(page, `Repository in ${registry.host}`);
          await answerQuickInput(page, 'ui/production');
          const title = page.locator('.quick-input-widget .quick-input-title');
          await title.filter({ hasText: /Copy To/ }).waitFor({ state: 'visible' });
          await saveScreenshot(page, `${screenshotPrefix}-copy-selected-referrers`);
          await answerQuickInput(page, 'Only the 2 artifacts');
          // The summary's words are the suite's to check (copySeveral.test.ts); here, what arrived.
          const production = registryTarget(registry, 'ui/production');
          for (const tag of ['rc-a', 'rc-b']) {
            const expected = (await staging.resolve(tag)).digest;
            const deadline = Date.now() + 60_000;
            for (;;) {
              const arrived = await production.resolve(tag).then(
                (d) => d.digest,
                () => undefined,
              );
              if (arrived === expected) break;
              assert.ok(Date.now() < deadline, `${tag} did not arrive in ui/production`);
              await page.waitForTimeout(200);
            }
          }
          await assert.rejects(production.resolve('rc-c'), /not found/i, 'the tag not selected stays behind');
          // One row selected again: a two-row selection left behind gives the next checks a multi-selection menu. The
          // repository's row, whose click also collapses it: rows the next checks look for stay in view.
          await selectOnly(pane, 'ui/staging');
        },
      },
    ],
    async dispose() {
      fs.rmSync(largeFile, { force: true });
      fs.rmSync(stepsFile, { force: true });
      await registry?.stop();
    },
  };
}

/** Presses `key` until `focused` reads `text` (at most `presses` times): how a keyboard user walks a list or menu. */
async function arrowTo(page: Page, focused: Locator, text: string, key: string, presses: number): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i <= presses; i++) {
    const now = await textOf(focused);
    if (now === text) return;
    seen.push(now);
    await page.keyboard.press(key);
    // The focus moves on a later frame: poll (bounded) until it has left the item it was on.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await textOf(focused)) === now) await page.waitForTimeout(50);
  }
  throw new Error(`${key} did not reach "${text}"; went through ${JSON.stringify(seen)}`);
}

/** The text of the focused item, "" while none is focused. */
async function textOf(focused: Locator): Promise<string> {
  return (await focused.count()) ? (await focused.first().innerText()).trim() : '';
}

/** Like running from the palette, but the command goes on asking in the same quick input, so it never closes. */
async function waitForMessage(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  const centre = page.locator('.notifications-center');
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await centre.locator('.notification-list-item').allInnerTexts();
    const found = seen.find((text) => pattern.test(text));
    if (found) return found;
    await page.waitForTimeout(50);
  }
  throw new Error(`no notification matching ${pattern}; saw ${JSON.stringify(seen)}`);
}
