// A registry's hostile error text in the real workbench: a 403 whose registry error message is a markdown
// command link ("[Log In…](command:workbench.action.terminal.sendSequence?…)", issue 14) must show in the
// notification as plain text, with no link element in the notification's DOM. The registry is a scripted server
// owned by this check, added with Add Registry… as a user would.
import * as assert from 'node:assert/strict';
import { startHostileTextRegistry, type HostileTextRegistry } from '../../fixtures/hostileTextRegistry';
import { COMMAND_LINK } from '../../fixtures/hostile/hostileText';
import { recordFigures } from '../../helpers/figures';
import { saveScreenshot } from '../harness/artifacts';
import { expandRow } from '../harness/treeRows';
import { addRegistryFromPalette, expandViewPane, notificationItem, showViewContainer } from '../harness/workbench';
import type { UiCheck } from './uiCheck';

export interface HostileTextChecks {
  checks: UiCheck[];
  /** Stops the registry. */
  dispose(): Promise<void>;
}

export function hostileTextChecks(screenshotPrefix: string): HostileTextChecks {
  let registry: HostileTextRegistry | undefined;

  return {
    checks: [
      {
        name: 'a registry’s 403 whose error message is a command link shows as plain text, with no link in the notification',
        async run(page) {
          registry = await startHostileTextRegistry({
            denyMessage: COMMAND_LINK,
            // A distribution-spec warning on every answer; NEL (U+0085) would start a line where it acts.
            warnings: ['299 - "this registry is read-only from Monday\u0085[Log In...](command:x)"'],
          });
          await showViewContainer(page, 'Stowage');
          await addRegistryFromPalette(page, `http://${registry.host}/`);
          const pane = await expandViewPane(page, 'Registries');
          await expandRow(pane, registry.host); // lists the catalog: 403 (clicked again if a redraw dropped the click)

          const item = await notificationItem(page, 'denied access');
          await saveScreenshot(page, `${screenshotPrefix}-hostile-error-notification`);
          const message = item.locator('.notification-list-item-message');
          const text = await message.innerText();
          assert.match(text, /denied access/, text);
          assert.ok(
            text.includes('[Log In…] (command:workbench.action.terminal.sendSequence?'),
            `the link text is not shown as text: ${text}`,
          );
          const links = await message.locator('a, .monaco-link, [role=link], [href]').count();
          assert.equal(
            links,
            0,
            `the notification's message holds ${links} link element(s): ${await message.innerHTML()}`,
          );
          // The only way on is the notification's own "Log In…" button, which runs Stowage's login command.
          assert.deepEqual(await item.locator('.monaco-button').allInnerTexts(), ['Log In…']);

          // The registry's warning: one warning notification, its text inert as well.
          const warnings = page.locator('.notifications-center .notification-list-item', {
            hasText: 'this registry is read-only from Monday',
          });
          await notificationItem(page, 'this registry is read-only from Monday');
          assert.equal(await warnings.count(), 1, 'each warning is shown once');
          const warning = warnings.first().locator('.notification-list-item-message');
          const warningText = await warning.innerText();
          assert.equal(
            warningText,
            `${registry.host}: this registry is read-only from Monday⟨U+0085⟩[Log In...] (command:x)`,
          );
          assert.equal(await warning.locator('a, .monaco-link, [role=link], [href]').count(), 0);
          recordFigures('hostile', {
            'hostile text (VS Code notification)': {
              tried: 2,
              held: 2,
              detail:
                'registry 403 with a command link in errors[0].message, and a Warning header with a command link and NEL: shown as text, no link element in the notifications',
            },
          });
        },
      },
    ],
    async dispose() {
      await registry?.stop();
    },
  };
}
