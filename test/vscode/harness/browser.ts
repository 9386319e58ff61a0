// Headless Debian Chromium driven by playwright-core (never Playwright's own browser downloads).
import * as fs from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureDebianPackages } from '../../../scripts/vscodeRuntime/debianPackages';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM_PATH)) await ensureDebianPackages(['chromium']);
  fs.mkdirSync(profileDir, { recursive: true });
  // Persistent context: Playwright refuses --user-data-dir among the args.
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 900 },
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
}
