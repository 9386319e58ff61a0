// Reaching the referrer-graph webview from the workbench page: opening a graph from the palette and the frame of
// the graph on screen (several graph panels may be open; hidden ones keep their frames).
import type { FrameLocator, Page } from 'playwright-core';

/** The document inside the visible webview (VS Code nests it in two frames). */
export function graphFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

/** Stowage: Show Referrer Graph from the palette with a typed reference; resolves once the root node is drawn. */
export async function openGraph(page: Page, reference: string): Promise<FrameLocator> {
  await askForGraph(page, reference);
  const frame = graphFrame(page);
  await frame.locator('g.node.root').waitFor({ timeout: 30_000 });
  return frame;
}

/** Runs Stowage: Show Referrer Graph from the palette and enters `reference`; returns as soon as it is entered. */
export async function askForGraph(page: Page, reference: string): Promise<void> {
  await paletteCommand(page, 'Stowage: Show Referrer Graph');
  const input = page.locator('.quick-input-widget input');
  const asked = page.locator('.quick-input-widget', { hasText: 'Artifact reference' });
  // With an artifact selected in a view (an earlier check clicked one), it is offered first, above "Type a reference…".
  const typeOne = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Type a reference…' });
  await asked.or(typeOne).first().waitFor({ state: 'visible' });
  if (await typeOne.isVisible()) await typeOne.click();
  await asked.waitFor({ state: 'visible' });
  await input.fill(reference);
  await page.keyboard.press('Enter');
}

/** Closes every editor (graphs included), so that the next check's graph is the only webview. */
export async function closeAllEditors(page: Page): Promise<void> {
  await paletteCommand(page, 'View: Close All Editors');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page
    .locator('iframe.webview.ready')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
}

/** The graph node drawn for `digest`. */
export function nodeSelector(digest: string): string {
  return `g.node[data-digest="${digest}"]`;
}

/**
 * Picks `label` in the command palette. Right after the workbench opens the palette may not list the
 * extension's commands yet, and an open palette does not learn them: so close it and ask again.
 */
async function paletteCommand(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label });
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
  await page.keyboard.press('Enter');
}
