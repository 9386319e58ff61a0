// What a newcomer sees after `npm start`: the demo layout and the local demo registry in the Stowage views,
// each expanding to its v1 artifact (not just the views' welcome text while the extension is still starting).
import { saveScreenshot } from '../harness/artifacts';
import { expandViewPane, showViewContainer } from '../harness/workbench';
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { expandRow } from '../harness/treeRows';
import type { UiCheck } from './uiCheck';

export function demoContentIsShown(options: { withRegistry: boolean }): UiCheck {
  return {
    name: `the demo layout${options.withRegistry ? ' and the local demo registry' : ''} show in the Stowage views and expand to their v1 artifact`,
    async run(page) {
      await showViewContainer(page, 'Stowage');
      const layouts = await expandViewPane(page, 'Image Layouts');
      await expandRow(layouts, 'demo-layout');
      await expandRow(layouts, 'v1');
      // Referrers are named by what they are, read from their manifests and the signature's certificate.
      await expandRow(layouts, 'Signatures');
      await expandRow(layouts, 'SBOMs');
      await labelMatching(layouts, /^Notary signature · CN=Stowage demo signer · \d{4}-\d{2}-\d{2}$/).waitFor({
        timeout: 30_000,
      });
      await labelMatching(layouts, /^SPDX SBOM · content [\d.]+ (B|KiB)/).waitFor({ timeout: 30_000 });
      // One Refresh button per view title.
      assert.equal(await layouts.page().locator('.pane-header [aria-label^="Refresh Image Layouts"]').count(), 1);
      if (options.withRegistry) {
        const registries = await expandViewPane(page, 'Registries');
        await expandRow(registries, 'Local demo registry');
        await expandRow(registries, 'demo/artifact');
        await expandRow(registries, 'v1');
        // The copy in the registry shows its files and the referrers copied with it.
        await labelMatching(registries, /^greeting\.txt$/).waitFor({ timeout: 30_000 });
        await labelMatching(registries, /^Signatures$/).waitFor({ timeout: 30_000 });
      }
      await saveScreenshot(page, 'npm-start-demo-content');
    },
  };
}

function labelMatching(pane: Locator, pattern: RegExp): Locator {
  return pane.locator('.monaco-list-row[role=treeitem] .label-name', { hasText: pattern }).first();
}
