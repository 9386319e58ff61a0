// Verify Signatures on a registry that never answers its referrers: the command shows a progress notification
// while it reads them, and the notification's Cancel ends the reads (the registry sees its requests closed) with
// no error. The trust it needs is made as a user makes it: Create Signing Key… → Trust This Certificate.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startHangingRegistry } from '../../fixtures/hangingRegistry';
import {
  activityBarEntry,
  addRegistryFromPalette,
  answerFileDialog,
  answerQuickInput,
  notificationCentreMessages,
  startFromCommandPalette,
} from '../harness/workbench';
import type { UiCheck } from './uiCheck';

export function verifyCancelChecks(workspace: string): UiCheck[] {
  return [
    {
      name: 'Verify Signatures shows progress while it reads the referrers, and Cancel stops the reads without an error',
      async run(page) {
        const registry = await startHangingRegistry();
        const keyFolder = path.join(workspace, 'verify-cancel-key');
        fs.mkdirSync(keyFolder, { recursive: true });
        try {
          // The palette lists the commands known when it opens: wait until the extension's contributions are in.
          await activityBarEntry(page, 'Stowage').waitFor({ timeout: 60_000 });
          await notificationCentreMessages(page); // opened first, so notifications show there
          await startFromCommandPalette(page, 'Stowage: Create Signing Key…', 'Create Signing Key');
          await answerQuickInput(page, 'ECDSA P-256');
          await answerQuickInput(page, 'CN=Verify cancel test');
          await answerFileDialog(page, keyFolder); // Enter opens the folder in the dialog; the button chooses it
          const saveHere = page.locator('.quick-input-widget').getByRole('button', { name: 'Save Here' });
          if (await saveHere.isVisible()) await saveHere.click();
          await notificationCentreMessages(page); // the dialog closed the centre
          await notification(page, 'Keep the key private')
            .getByRole('button', { name: 'Trust This Certificate' })
            .click();
          await addRegistryFromPalette(page, `http://${registry.host}/`);

          await startFromCommandPalette(page, 'Stowage: Verify Signatures', 'Verify Signatures');
          // Artifacts selected in the views are offered first; this one is typed.
          const placeholder = await page.locator('.quick-input-widget input').getAttribute('placeholder');
          if (placeholder?.includes('selected in the views')) await answerQuickInput(page, 'Type a reference');
          await answerQuickInput(page, `${registry.host}/app:v1`);

          await notificationCentreMessages(page);
          const progress = notification(page, 'Verifying the signatures of');
          await progress.waitFor({ timeout: 30_000 });
          await waitUntil(page, () => registry.hanging.length > 0, 'a referrers request reached the registry');
          await progress.getByRole('button', { name: 'Cancel' }).click();
          await progress.waitFor({ state: 'detached', timeout: 30_000 });
          await waitUntil(
            page,
            () => registry.hanging.every((request) => request.closed),
            'every unanswered request closed by the client',
          );
          await page.waitForTimeout(1000);
          const after = await page.locator('.notifications-center .notification-list-item').allInnerTexts();
          assert.deepEqual(
            after.filter((text) => /error|failed/i.test(text)),
            [],
            'cancelling reported an error',
          );
        } finally {
          await registry.close();
        }
      },
    },
  ];
}

function notification(page: Page, text: string) {
  return page.locator('.notifications-center .notification-list-item', { hasText: text });
}

async function waitUntil(page: Page, condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await page.waitForTimeout(100);
  }
}
