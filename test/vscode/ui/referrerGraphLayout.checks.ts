// The graph panel's header and messages at the widths an editor really has (about 1000 px and narrower), with a
// layout at a long path: the header names the layout once (by the reference opened, its whole text as title), the
// header stays a few lines high, the filter's status stays on one line, and the "matched none" message sits above
// the drawing: the subject node never overlaps it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { pushArtifact } from '../../../src/core/files/artifact';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { saveScreenshot } from '../harness/artifacts';
import { attachNote } from './graphFixtures';
import { closeAllEditors, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

/** Viewport widths: with the side bar open, the editor (and the webview) gets about 1000, 800 and 600 px of them. */
const WIDTHS = [1400, 1200, 1000];
const HEIGHT = 900;

export function referrerGraphLayoutChecks(screenshotPrefix: string): UiCheck[] {
  return [
    {
      name: 'graph header with a long layout path names the layout once, wraps by item at editor widths, and the "matched none" message is never under the subject node',
      async run(page) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-graph-ui-'));
        try {
          await checkHeader(page, dir, screenshotPrefix);
        } finally {
          await page.setViewportSize({ width: 1400, height: HEIGHT });
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface HeaderShape {
  body: Box;
  header: Box;
  /** The header's text as read (hidden parts left out), the reference's title, a line's height. */
  headerText: string;
  referenceTitle: string | null;
  lineHeight: number;
  status: Box;
  canvas: Box;
  empty: Box | null;
  emptyText: string | null;
  svg: Box;
  root: Box;
}

async function measure(frame: FrameLocator): Promise<HeaderShape> {
  return frame.locator('body').evaluate((body) => {
    const doc = body.ownerDocument;
    const box = (selector: string) => {
      const element = doc.querySelector(selector);
      if (!element) return null;
      const r = element.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const header = doc.querySelector('header.toolbar') as HTMLElement;
    const status = doc.querySelector('.filter-status')!;
    return {
      body: box('body')!,
      header: box('header.toolbar')!,
      headerText: header.innerText,
      referenceTitle: doc.querySelector('h1')!.getAttribute('title'),
      lineHeight:
        parseFloat(getComputedStyle(status).lineHeight) || 1.4 * parseFloat(getComputedStyle(status).fontSize),
      status: box('.filter-status')!,
      canvas: box('.canvas')!,
      empty: box('.empty'),
      emptyText: doc.querySelector('.empty')?.textContent ?? null,
      svg: box('svg.graph')!,
      root: box('g.node.root')!,
    };
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function checkHeader(page: Page, dir: string, screenshotPrefix: string): Promise<void> {
  const file = path.join(dir, 'app.txt');
  fs.writeFileSync(file, 'a subject with a long path\n');
  const layout = path.join(dir, 'stowage-demo-with-a-long-folder-name', 'workspace', 'demo-layout');
  fs.mkdirSync(path.dirname(layout), { recursive: true });
  const target = await LayoutTarget.open(layout, { create: true });
  const pushed = await pushArtifact(target, [file], { tag: 'v1', artifactType: 'application/vnd.stowage.demo.v1' });
  for (const name of ['first', 'second', 'third']) await attachNote(target, pushed.descriptor, name);
  await closeAllEditors(page);
  const frame = await openGraph(page, `oci:${layout}:v1`);
  await frame.locator('g.node').nth(3).waitFor();

  const seen: string[] = [];
  const judge = (shape: HeaderShape, when: string) => {
    const where = `${when}, webview ${Math.round(shape.body.width)} px wide: ${JSON.stringify(shape)}`;
    seen.push(where);
    const line = shape.lineHeight;
    // The reference names the layout: its path is not shown a second time as the location.
    assert.equal(shape.headerText.split(layout).length - 1, 1, `the header names the layout once (${where})`);
    assert.equal(shape.referenceTitle, `oci:${layout}:v1`, `the reference's whole text is its title (${where})`);
    assert.ok(shape.header.height <= 6 * line, `the header is ${shape.header.height} px high (${where})`);
    assert.ok(shape.status.height <= line * 1.5, `the filter status wraps (${where})`);
    assert.ok(shape.canvas.height >= shape.body.height / 2, `the graph gets ${shape.canvas.height} px (${where})`);
    if (shape.empty) {
      assert.ok(!overlaps(shape.empty, shape.root), `the subject node overlaps the message (${where})`);
      assert.ok(shape.svg.y >= shape.empty.y + shape.empty.height, `the drawing starts under the message (${where})`);
    }
  };

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    await page.waitForTimeout(400); // the webview follows the editor's size
    judge(await measure(frame), 'no filter');
  }
  // A filter that hides everything: the status and the message appear.
  await frame.locator('#type-filter').fill('attestation');
  await frame.locator('.empty', { hasText: 'matched none of the 3 referrers' }).waitFor();
  await frame.locator('.filter-status', { hasText: /^0 referrers match$/ }).waitFor();
  for (const width of [...WIDTHS].reverse()) {
    await page.setViewportSize({ width, height: HEIGHT });
    await page.waitForTimeout(400);
    const shape = await measure(frame);
    assert.ok(shape.empty, 'no message although the filter hides every referrer');
    judge(shape, 'filtered to nothing');
    if (width === 1400) await saveScreenshot(page, `${screenshotPrefix}-referrer-graph-header`);
  }
  console.log(`      ${seen.map((s) => s.replace(/: \{.*$/, '')).join('; ')}`);
}
