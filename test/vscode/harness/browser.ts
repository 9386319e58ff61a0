// Headless Debian Chromium driven by playwright-core (never Playwright's own browser downloads).
import * as fs from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureDebianPackages } from '../../../scripts/vscodeRuntime/debianPackages';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM_PATH)) await ensureDebianPackages(['chromium']);
  fs.mkdirSync(profileDir, { recursive: true });
  // Persistent context: Playwright refuses --user-data-dir among the args.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 900 },
    // The copy checks read what Stowage put on the clipboard, as a paste would.
    permissions: ['clipboard-read', 'clipboard-write'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The workbench is heavy: on a busy 2-core machine loading it alone can take half a minute.
  context.setDefaultNavigationTimeout(90_000);
  context.setDefaultTimeout(60_000);
  return context;
}
