// DOM helpers for code-server's workbench, matched on what a user sees (titles, row text), not on internal ids.
import type { Locator, Page } from 'playwright-core';

const WORKBENCH_TIMEOUT = 60_000;

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: WORKBENCH_TIMEOUT });
}

export function activityBarEntry(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-label[aria-label^="${title}"]`);
}

/** Shows a view container from the activity bar unless the side bar already shows it (a click would hide it). */
export async function showViewContainer(page: Page, title: string): Promise<void> {
  const entry = activityBarEntry(page, title);
  await entry.waitFor({ timeout: WORKBENCH_TIMEOUT });
  const sideBarTitle = page.locator('.part.sidebar .composite.title h2', { hasText: new RegExp(`^${title}$`, 'i') });
  if (!(await sideBarTitle.isVisible())) await entry.click();
  await sideBarTitle.waitFor({ state: 'visible' });
}

/** The pane (header + body) of a view in the side bar, found by its title. */
export function viewPane(page: Page, title: string): Locator {
  return page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
}

/** Expands a collapsed view pane so that its body renders. */
export async function expandViewPane(page: Page, title: string): Promise<Locator> {
  const pane = viewPane(page, title);
  const header = pane.locator('.pane-header');
  await header.waitFor({ timeout: WORKBENCH_TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await pane.locator('.pane-body').waitFor({ state: 'visible' });
  return pane;
}

/** Runs a command the way a user does: F1, type `>Category: Title`, pick the matching row. */
export async function runFromCommandPalette(page: Page, label: string): Promise<void> {
  await pickFromCommandPalette(page, label);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Starts a command that asks questions: like runFromCommandPalette, then waits for its first question titled `title`. */
export async function startFromCommandPalette(page: Page, label: string, title: string): Promise<void> {
  await pickFromCommandPalette(page, label);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
}

async function pickFromCommandPalette(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  // Enter runs the focused row: wait until that is the command asked for, not merely somewhere in the list.
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/**
 * Adds a registry as a user does (Stowage: Add Registry… → Other registry → its URL → no repository list). Registries
 * are user-level settings, and the browser workbench does not notice the user settings file changing on disk.
 */
export async function addRegistryFromPalette(page: Page, url: string): Promise<void> {
  await startFromCommandPalette(page, 'Stowage: Add Registry…', 'Add Registry');
  await answerQuickInput(page, 'Other registry');
  await answerQuickInput(page, url);
  await answerQuickInput(page, '');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Notification messages as listed in the notification centre (toasts are hidden under the smoke-test driver). */
export async function notificationCentreMessages(page: Page): Promise<string[]> {
  const centre = page.locator('.notifications-center');
  if (!(await centre.isVisible())) await runFromCommandPalette(page, 'Notifications: Show Notifications');
  await centre.waitFor({ state: 'visible' });
  return centre.locator('.notification-list-item-message').allInnerTexts();
}

/**
 * The notification centre's item holding `text`, once it is drawn. The centre is a list that draws only the rows in
 * view, newest at the top; in a failed run an older row had the focus and the newest was not among the rows drawn
 * (why was not seen). So while it is not found, the list goes to its top (Home), as a user scrolls up to see what
 * came last, and a failure says what the centre drew.
 */
export async function notificationItem(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  await notificationCentreMessages(page);
  const centre = page.locator('.notifications-center');
  const item = centre.locator('.notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await item.isVisible()) return item;
    if (Date.now() > deadline) {
      const listed = await centre.locator('.notification-list-item-message').allInnerTexts();
      throw new Error(`no notification with ${String(text)} in the centre, which draws ${JSON.stringify(listed)}`);
    }
    const list = centre.locator('.monaco-list').first();
    if (await list.isVisible()) {
      await list.focus();
      await page.keyboard.press('Home');
    }
    await page.waitForTimeout(250);
  }
}

/** Types into the open quick input (pick, input box, or the browser's own open and save dialogs) and accepts. */
export async function answerQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.waitForTimeout(200); // the list filters asynchronously
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/**
 * Answers the browser's own open or save dialog (a quick input) with a path: the dialog fills in its starting
 * folder after it shows, so wait for that before typing, or the typed path is overwritten.
 */
export async function answerFileDialog(page: Page, fsPath: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  const deadline = Date.now() + 15_000;
  while (!(await input.inputValue()).startsWith('/') && Date.now() < deadline) await page.waitForTimeout(100);
  // On a busy machine the dialog may still rewrite the value once after it first shows a folder: type again.
  for (let attempt = 1; ; attempt++) {
    await input.fill(fsPath);
    await page.waitForTimeout(300); // the dialog reads the typed folder asynchronously
    if ((await input.inputValue()) === fsPath) break;
    if (attempt === 3) throw new Error(`the dialog changed the typed path to ${await input.inputValue()}`);
  }
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}
