// Runs a list of UI checks on one workbench page; a failed check leaves a screenshot named after it and prints what
// the workbench showed (CI keeps only the log).
import type { BrowserContext } from 'playwright-core';
import type { UiCheck } from '../ui/uiCheck';
import { recordBrowserConsole, saveScreenshot } from './artifacts';
import type { Scoreboard } from './scoreboard';
import { describeWorkbenchState } from './workbenchState';
import { openWorkbench } from './workbench';

export async function runUiChecks(
  context: BrowserContext,
  scoreboard: Scoreboard,
  phase: string,
  url: string,
  checks: UiCheck[],
): Promise<void> {
  const page = await context.newPage();
  recordBrowserConsole(page, slug(phase));
  try {
    const opened = await scoreboard.check(`${phase}: workbench opens`, () => openWorkbench(page, url));
    if (!opened) {
      await saveScreenshot(page, `${slug(phase)}-workbench-failed`);
      return;
    }
    for (const check of checks) {
      const passed = await scoreboard.check(`${phase}: ${check.name}`, () => check.run(page));
      if (passed) continue;
      await saveScreenshot(page, `${slug(phase)}-failed-${slug(check.name)}`);
      const state = await describeWorkbenchState(page).catch((error: Error) => [`(not read: ${error.message})`]);
      console.log(`      what the workbench showed:\n${state.map((line) => `        ${line}`).join('\n')}`);
    }
  } finally {
    await page.close();
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
