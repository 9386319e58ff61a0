// A registry that goes down while its tree is open, then comes back. Its row says it cannot be reached and what a
// click does (Retry); its context menu offers the log (every request and how it failed) and the registry settings
// (where a registry that moved port is fixed); Retry once it is back lists its repositories again. The registry is
// a real one started here; it goes down as a crash does (its process killed) and comes back on the same port.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { saveScreenshot } from '../harness/artifacts';
import { collapseAll, expandRow } from '../harness/treeRows';
import { addRegistryFromPalette, expandViewPane, showViewContainer } from '../harness/workbench';
import { pushTextArtifact, registryTarget } from '../suite/helpers/seed';
import type { UiCheck } from './uiCheck';

export interface UnreachableRegistryChecks {
  checks: UiCheck[];
  /** Stops the registry. */
  dispose(): Promise<void>;
}

export function unreachableRegistryChecks(screenshotPrefix: string): UnreachableRegistryChecks {
  let registry: TestRegistry | undefined;
  return {
    checks: [
      {
        name: 'a registry that goes down shows "cannot reach" with Retry on click and Show Log, Open Registry Settings on right-click; Retry lists it again once it is back',
        async run(page) {
          registry = await startRegistry({ variant: 'plain' });
          await pushTextArtifact(registryTarget(registry, 'ui/down'), { 'a.txt': 'a\n' }, { tag: 'v1' });
          await showViewContainer(page, 'Stowage');
          await addRegistryFromPalette(page, `http://${registry.host}/`);
          const pane = await expandViewPane(page, 'Registries');
          await collapseAll(pane);
          const registryRow = row(pane, registry.host);
          await expandRow(pane, registry.host);
          await row(pane, 'ui/down').waitFor({ timeout: 30_000 });

          process.kill(registry.pid!, 'SIGKILL');
          // Read again, as its Refresh button does (collapsing and expanding keeps what was read).
          await registryRow.hover();
          await registryRow.locator('.action-label.codicon-refresh').click();
          const errorRow = row(pane, 'cannot reach');
          await errorRow.waitFor({ timeout: 30_000 });
          assert.match(await errorRow.getAttribute('aria-label').then(String), /ECONNREFUSED/);

          await page.mouse.move(700, 400); // away first: the hover shows on entering the row
          await errorRow.locator('.label-name').hover();
          const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /Right-click:/ });
          await hover.waitFor({ state: 'visible', timeout: 15_000 });
          assert.match(await hover.innerText(), /Click: Retry\s+Right-click: Show Log, Open Registry Settings/);
          await page.mouse.move(700, 400);
          await page.keyboard.press('Escape');

          await errorRow.click({ button: 'right' });
          const menu = page.locator('.context-view .monaco-menu .action-label');
          await menu.first().waitFor();
          const offered = (await menu.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
          assert.ok(offered.includes('Show Log'), `the menu offers ${JSON.stringify(offered)}`);
          assert.ok(offered.includes('Open Registry Settings'), `the menu offers ${JSON.stringify(offered)}`);
          await saveScreenshot(page, `${screenshotPrefix}-unreachable-registry-menu`);
          // The menu acts on the keyboard as a user's Enter would (a synthetic click may land before it listens).
          await page.locator('.context-view .monaco-menu .action-label', { hasText: /^Show Log$/ }).hover();
          await page.keyboard.press('Enter');
          const output = page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
          await output
            .getByText(new RegExp(`${registry.host.replace(/\./g, '\\.')}.*ECONNREFUSED`))
            .first()
            .waitFor({
              timeout: 15_000,
            });
          await page.keyboard.press('Escape');

          await registry.restart();
          await errorRow.click(); // Retry
          await row(pane, 'ui/down').waitFor({ timeout: 30_000 });
          assert.equal(await row(pane, 'cannot reach').count(), 0, 'the error row stays after the registry is back');
          await registryRow.click(); // collapsed: the rows the next checks look for stay in view
        },
      },
    ],
    async dispose() {
      await registry?.stop();
    },
  };
}

function row(pane: Locator, text: string): Locator {
  return pane.locator('.monaco-list-row[role=treeitem]', { hasText: text }).first();
}
