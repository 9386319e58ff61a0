// Rows of a side bar tree, as a user reaches them: by their label, expanded, selected, and their context menu. The
// extension redraws rows as it learns more (descriptions of tags, a refresh finishing late), and a redraw may drop a
// click, a selection or an open menu: each helper checks that what it did stuck and does it again if not (bounded).
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** The row whose label is exactly `text`. */
export function row(pane: Locator, text: string): Locator {
  return pane
    .locator('.monaco-list-row[role=treeitem]', {
      has: pane.page().locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(text)}$`) }),
    })
    .first();
}

/** Expands the row labelled `text` (clicking it again if a redraw collapsed it or dropped the click). */
export async function expandRow(pane: Locator, text: string): Promise<void> {
  const target = row(pane, text);
  await target.waitFor({ timeout: 30_000 });
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await isExpanded(target))) await target.click();
    if (await becomesExpanded(target, 5_000)) return;
  }
  throw new Error(`row ${await target.innerText()} did not expand`);
}

async function becomesExpanded(target: Locator, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isExpanded(target)) return true;
    if (Date.now() >= deadline) return false;
    await target.page().waitForTimeout(100);
  }
}

async function isExpanded(target: Locator): Promise<boolean> {
  return (await target.getAttribute('aria-expanded')) === 'true';
}

/**
 * Selects two rows as a user does (click, Ctrl+click), again if a redraw dropped either. The click also expands the
 * first row when it has children (a tag's files): it is collapsed again at once, or the rows drawn under it move the
 * second row while the pointer is on its way there (the Ctrl+click, or a right-click after, then hits a file row).
 */
export async function selectTwo(pane: Locator, first: string, second: string): Promise<void> {
  const selected = pane.locator('.monaco-list-row.selected');
  for (let attempt = 1; ; attempt++) {
    await row(pane, first).click();
    await collapseIfExpanded(row(pane, first));
    await row(pane, second).click({ modifiers: ['Control'] });
    const both = await selected
      .nth(1)
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (both && (await selected.count()) === 2) return;
    assert.ok(attempt < 5, `two rows never stayed selected (${await selected.count()} selected)`);
  }
}

/** Collapses `target` with the keyboard (Left, on the focused row) if a click has just expanded it. */
async function collapseIfExpanded(target: Locator): Promise<void> {
  if (!(await becomesExpanded(target, 1_000))) return;
  await target.page().keyboard.press('ArrowLeft');
  const deadline = Date.now() + 5_000;
  while (await isExpanded(target)) {
    assert.ok(Date.now() < deadline, `row ${await target.innerText()} did not collapse`);
    await target.page().waitForTimeout(50);
  }
}

/** Leaves `text` the only row selected (a plain click); a redraw of the rows after a copy may drop a click. */
export async function selectOnly(pane: Locator, text: string): Promise<void> {
  const selected = pane.locator('.monaco-list-row.selected');
  for (let attempt = 1; ; attempt++) {
    await row(pane, text).click();
    const alone = await row(pane, text)
      .locator('xpath=self::*[@aria-selected="true"]')
      .waitFor({ timeout: 5_000 })
      .then(async () => (await selected.count()) === 1)
      .catch(() => false);
    if (alone) return;
    assert.ok(attempt < 5, `${text} never stayed the only row selected (${await selected.count()} selected)`);
  }
}

/**
 * Right-clicks `target` and chooses `label` from its context menu with the keyboard, as a user's Enter would (a
 * synthetic click may land before the menu listens), after `prepare` (e.g. selecting rows). A redraw as the menu opens
 * closes it or leaves it without the item: then Escape, `prepare` again and another right-click, at most three times.
 */
export async function chooseFromContextMenu(
  page: Page,
  target: Locator,
  label: string,
  prepare?: () => Promise<void>,
): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  let offered: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1) {
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
    await prepare?.();
    await target.click({ button: 'right' });
    const shown = await item
      .waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (!shown) {
      offered = (
        await menu
          .locator('.action-label')
          .allInnerTexts()
          .catch(() => [])
      ).map((text) => text.trim());
      continue;
    }
    await item.hover();
    if (!(await item.isVisible())) continue; // closed under the pointer by a redraw
    await page.keyboard.press('Enter');
    return;
  }
  throw new Error(`the context menu never offered ${label}; last seen: ${JSON.stringify(offered.filter(Boolean))}`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Collapses every row of the view (its title bar's Collapse All): rows left expanded by earlier checks push the rows
 * a check looks for below the fold, where the list does not draw them.
 */
export async function collapseAll(pane: Locator): Promise<void> {
  const header = pane.locator('.pane-header');
  await header.hover(); // the title bar's actions show while the pointer is over it
  await header.locator('.action-label[aria-label="Collapse All"]').click();
  await pane
    .locator('.monaco-list-row[role=treeitem][aria-expanded="true"]')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 });
}
