// What a user must see of Stowage in a workbench: its activity-bar entry, its two views, and its commands in the
// command palette. Each check is a factory so that workbenches with different content can compose their list.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  answerQuickInput,
  activityBarEntry,
  expandViewPane,
  notificationCentreMessages,
  runFromCommandPalette,
  showViewContainer,
} from '../harness/workbench';
import { REPO_ROOT, saveScreenshot } from '../harness/artifacts';
import type { UiCheck } from './uiCheck';

const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

/** For a fresh workbench on an empty folder with no settings. */
export function stowageWorkbenchChecks(screenshotPrefix: string): UiCheck[] {
  return [
    activityBarHasStowage(),
    viewsShowWelcomeContent(screenshotPrefix),
    welcomeOpensRegistrySettings(screenshotPrefix),
    aboutFromCommandPalette(screenshotPrefix),
    paletteFindsCommandsByName(screenshotPrefix),
    walkthroughOpens(screenshotPrefix),
  ];
}

export function activityBarHasStowage(): UiCheck {
  return {
    name: 'the activity bar has a Stowage entry',
    async run(page) {
      await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
    },
  };
}

/** Both views are shown and filled by the extension (tree rows or welcome content), whatever that content is. */
export function viewsAreShown(screenshotPrefix: string): UiCheck {
  return {
    name: 'the Stowage container shows the Registries and Image Layouts views, filled by the extension',
    async run(page) {
      const { registries, layouts } = await showStowageViews(page);
      // Before the extension registers its tree providers, a pane shows only "no data provider" text.
      for (const pane of [registries, layouts])
        await pane.locator('.welcome-view-content, .monaco-list-row').first().waitFor();
      await saveScreenshot(page, `${screenshotPrefix}-stowage-views`);
    },
  };
}

/** With no settings and an empty folder, each view renders its welcome content. */
export function viewsShowWelcomeContent(screenshotPrefix: string): UiCheck {
  return {
    name: 'the Stowage container shows the Registries and Image Layouts views with their welcome content',
    async run(page) {
      const { registries, layouts } = await showStowageViews(page);
      await registries.getByText('No registries configured yet.').waitFor();
      await layouts.getByText('No OCI image layouts found in this workspace.').waitFor();
      await saveScreenshot(page, `${screenshotPrefix}-stowage-views`);
    },
  };
}

/**
 * The Registries welcome's "Open Settings" lands on the setting. It is a machine setting: in code-server (a remote
 * window) it is listed under the Remote tab only, and the User tab says "No Settings Found".
 */
export function welcomeOpensRegistrySettings(screenshotPrefix: string): UiCheck {
  return {
    name: 'the Registries welcome’s Open Settings shows the registries setting',
    async run(page) {
      const { registries } = await showStowageViews(page);
      await registries.getByRole('button', { name: 'Open Settings' }).click();
      const editor = page.locator('.settings-editor');
      await editor.waitFor();
      await editor.locator('.setting-item-contents', { hasText: 'Registries' }).first().waitFor({ timeout: 15_000 });
      assert.equal(await editor.getByText('No Settings Found').isVisible(), false);
      await saveScreenshot(page, `${screenshotPrefix}-registry-settings`);
      await page.keyboard.press('Control+W');
    },
  };
}

export function aboutFromCommandPalette(screenshotPrefix: string): UiCheck {
  return {
    name: 'Stowage: About Stowage runs from the command palette and notifies its version',
    async run(page) {
      await runFromCommandPalette(page, 'Stowage: About Stowage');
      const expected = `Stowage ${version}`;
      const deadline = Date.now() + 15_000;
      let messages: string[] = [];
      while (Date.now() < deadline) {
        // Without the smoke-test driver (npm start) the message shows as a toast; with it, only in the centre.
        const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
        messages = toasts.some((message) => message.startsWith(expected))
          ? toasts
          : await notificationCentreMessages(page);
        if (messages.some((message) => message.startsWith(expected))) break;
        await page.waitForTimeout(250);
      }
      assert.ok(
        messages.some((message) => message.startsWith(expected)),
        `no notification starting "${expected}" in a toast or the notification centre: ${JSON.stringify(messages)}`,
      );
      await saveScreenshot(page, `${screenshotPrefix}-about-notification`);
    },
  };
}

/**
 * A user who knows the extension by its name types it into the Command Palette: every command shows under that name
 * (under the category "OCI" none did, "About Stowage" aside).
 */
export function paletteFindsCommandsByName(screenshotPrefix: string): UiCheck {
  return {
    name: 'typing "stowage" in the Command Palette lists its commands (Show Log, Push as Artifact…, Add Registry…)',
    async run(page) {
      // The palette lists the commands known when it opens: wait until the extension's contributions are in.
      await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
      const input = page.locator('.quick-input-widget input');
      for (const title of ['Show Log', 'Push as Artifact…', 'Add Registry…']) {
        const typed = `stowage ${title.replace('…', '').toLowerCase()}`;
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible' });
        await input.fill(`>${typed}`);
        const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: `Stowage: ${title}` }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: 10_000 });
        } catch {
          const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
          assert.fail(`no "Stowage: ${title}" for "${typed}"; the palette lists ${JSON.stringify(rows)}`);
        } finally {
          if (title === 'Show Log' && (await row.isVisible()))
            await saveScreenshot(page, `${screenshotPrefix}-palette-by-name`);
          await page.keyboard.press('Escape');
        }
      }
    },
  };
}

/** The Get Started walkthrough is listed by the editor's Welcome page and shows its five steps with their pages. */
export function walkthroughOpens(screenshotPrefix: string): UiCheck {
  return {
    name: 'the "Get started with Stowage" walkthrough opens and shows its steps',
    async run(page) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('>Welcome: Open Walkthrough');
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Open Walkthrough' }).waitFor();
      await page.keyboard.press('Enter');
      await answerQuickInput(page, 'Get started with Stowage');
      const steps = page.locator('.getting-started-step');
      for (const title of [
        'Open an image layout',
        'Add a registry',
        'Push files as an artifact',
        'See the referrer graph',
        'Lint a manifest',
      ])
        await steps.filter({ hasText: title }).first().waitFor({ timeout: 30_000 });
      await saveScreenshot(page, `${screenshotPrefix}-walkthrough`);
      const welcomeTab = page.locator('.tab', { hasText: 'Welcome' });
      await welcomeTab.hover();
      await welcomeTab.locator('[aria-label^="Close"], .codicon-close').first().click();
      await welcomeTab.waitFor({ state: 'detached' });
    },
  };
}

async function showStowageViews(page: Page) {
  await showViewContainer(page, 'Stowage');
  return { registries: await expandViewPane(page, 'Registries'), layouts: await expandViewPane(page, 'Image Layouts') };
}
