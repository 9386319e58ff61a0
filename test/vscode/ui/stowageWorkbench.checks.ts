// What a user must see of Stowage in a fresh workbench with an empty folder: its activity-bar entry, its two views,
// and its commands in the command palette.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  activityBarEntry,
  expandViewPane,
  notificationCentreMessages,
  runFromCommandPalette,
  showViewContainer,
} from '../harness/workbench';
import { REPO_ROOT, saveScreenshot } from '../harness/artifacts';
import type { UiCheck } from './uiCheck';

const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export function stowageWorkbenchChecks(screenshotPrefix: string): UiCheck[] {
  return [
    {
      name: 'the activity bar has a Stowage entry',
      async run(page) {
        await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
      },
    },
    {
      name: 'the Stowage container shows the Registries and Image Layouts views',
      async run(page) {
        await showViewContainer(page, 'Stowage');
        const registries = await expandViewPane(page, 'Registries');
        const layouts = await expandViewPane(page, 'Image Layouts');
        // With no settings and an empty folder, each view renders its welcome content.
        await registries.getByText('No registries configured yet.').waitFor();
        await layouts.getByText('No OCI image layouts found in this workspace.').waitFor();
        await saveScreenshot(page, `${screenshotPrefix}-stowage-views`);
      },
    },
    {
      name: 'OCI: About Stowage runs from the command palette and notifies its version',
      async run(page) {
        await runFromCommandPalette(page, 'OCI: About Stowage');
        const expected = `Stowage ${version}`;
        const deadline = Date.now() + 15_000;
        let messages: string[] = [];
        while (Date.now() < deadline) {
          messages = await notificationCentreMessages(page);
          if (messages.some((message) => message.startsWith(expected))) break;
          await page.waitForTimeout(250);
        }
        assert.ok(
          messages.some((message) => message.startsWith(expected)),
          `no notification starting "${expected}" in the notification centre: ${JSON.stringify(messages)}`,
        );
        await saveScreenshot(page, `${screenshotPrefix}-about-notification`);
      },
    },
  ];
}
