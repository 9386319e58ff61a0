// How the injection grammar colours a digest in a JSON editor, read from the rendered tokens of the real editor in
// the themes a user most likely has: the algorithm ("sha256") must read as a constant, like JSON's own `true`. As
// storage.type it was keyword red (#cf222e, #ff7b72) in the default 2026 themes and read as an error.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { saveScreenshot } from '../harness/artifacts';
import { currentTheme, setTheme } from '../harness/themes';
import type { UiCheck } from './uiCheck';

const FILE = 'digest-colours.json';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
/** The default light and dark themes, the previous defaults, and both high-contrast themes. */
const THEMES = ['Light 2026', 'Dark 2026', 'Light+', 'Dark+', 'Light High Contrast', 'Dark High Contrast'];

interface TokenColours {
  algorithm: string;
  constant: string;
}

/** `workspace`: the folder the workbench has open (the check writes its JSON file there, and removes it). */
export function digestColourChecks(workspace: string, screenshotPrefix: string): UiCheck[] {
  return [
    {
      name: `a digest's algorithm in a JSON editor is coloured like JSON's constants (true) in ${THEMES.join(', ')}`,
      run: (page) => checkColours(page, workspace, screenshotPrefix),
    },
  ];
}

async function checkColours(page: Page, workspace: string, screenshotPrefix: string): Promise<void> {
  const file = path.join(workspace, FILE);
  await fs.writeFile(file, `{\n  "digest": "${DIGEST}",\n  "verified": true\n}\n`);
  const original = await currentTheme(page);
  try {
    await quickOpen(page, FILE);
    const seen: string[] = [];
    for (const theme of THEMES) {
      await setTheme(page, theme);
      const colours = await tokenColours(page, theme);
      seen.push(`${theme}: sha256 ${colours.algorithm}, true ${colours.constant}`);
      assert.equal(colours.algorithm, colours.constant, seen.at(-1));
      if (theme === 'Light 2026' || theme === 'Dark 2026')
        await saveScreenshot(page, `${screenshotPrefix}-digest-colours-${theme.replace(' ', '-').toLowerCase()}`);
    }
    console.log(`      ${seen.join('; ')}`);
  } finally {
    if (original) await setTheme(page, original);
    await page.keyboard.press('Control+W');
    await fs.rm(file, { force: true });
  }
}

async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines', { hasText: 'sha256' }).waitFor();
}

/** The colours of the rendered tokens holding "sha256" and `true`, as the browser computes them. */
async function tokenColours(page: Page, theme: string): Promise<TokenColours> {
  const lines = page.locator('.editor-instance .view-lines').first();
  const colours = await lines.evaluate((element) => {
    const spans = Array.from(element.querySelectorAll('.view-line span[class^="mtk"]'));
    const colourOf = (text: string) => {
      const span = spans.find((s) => (s.textContent ?? '').includes(text));
      return span ? getComputedStyle(span).color : undefined;
    };
    return { algorithm: colourOf('sha256'), constant: colourOf('true') };
  });
  assert.ok(colours.algorithm && colours.constant, `${theme}: tokens not found: ${JSON.stringify(colours)}`);
  return colours as TokenColours;
}
