// Where a run keeps what helps diagnose it: screenshots, server logs, browser console, suite results.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'vscode');

export function resetResultsDir(): void {
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
}

export function resultPath(name: string): string {
  return path.join(RESULTS_DIR, name);
}

export async function saveScreenshot(page: Page, name: string): Promise<string | undefined> {
  const file = resultPath(`${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch (error) {
    console.error(`could not save screenshot ${name}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Collects the page's console and errors into a file, for failures that happen inside the workbench. */
export function recordBrowserConsole(page: Page, name: string): void {
  const file = resultPath(`${name}.browser.log`);
  page.on('console', (message) => fs.appendFileSync(file, `[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => fs.appendFileSync(file, `[pageerror] ${error.stack ?? error.message}\n`));
}
