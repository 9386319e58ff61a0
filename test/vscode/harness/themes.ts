// Switching the workbench's colour theme as a user does (Preferences: Color Theme, then the theme's name), for checks
// that look at Stowage in several themes.
import type { Page } from 'playwright-core';
import { answerQuickInput } from './workbench';

/** The theme the Color Theme picker marks as current (its focused row when it opens). */
export async function currentTheme(page: Page): Promise<string | undefined> {
  await runPicker(page);
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused .label-name').first();
  await focused.waitFor();
  const name = (await focused.innerText()).trim();
  await page.keyboard.press('Escape');
  return name || undefined;
}

export async function setTheme(page: Page, theme: string): Promise<void> {
  await runPicker(page);
  await answerQuickInput(page, theme);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.waitForTimeout(500); // the editor re-renders its tokens with the theme's colours
}

async function runPicker(page: Page): Promise<void> {
  await runFromCommandPaletteKeepingOpen(page, 'Preferences: Color Theme');
}

/** Like runFromCommandPalette, for a command that opens a picker of its own (clicked: the marketplace's is focused). */
async function runFromCommandPaletteKeepingOpen(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: label })
    .filter({ hasNotText: 'Marketplace' })
    .first()
    .click();
  await page.locator('.quick-input-widget input[placeholder*="theme" i]').waitFor({ state: 'visible' });
}
