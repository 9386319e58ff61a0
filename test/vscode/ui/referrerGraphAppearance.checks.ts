// What the referrer graph looks like to a newcomer, measured in the real webview: in a narrow editor the details
// go under the drawing (beside it they left the drawing a sliver); node outlines stand out from the canvas in a
// light and a dark theme; one primary button; the graph is one Tab stop with its selection told to screen readers;
// a graph too tall for the editor opens readable (fitted to 32 referrers, it showed blank boxes) and the wheel
// scrolls through it.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { saveScreenshot } from '../harness/artifacts';
import { runFromCommandPalette } from '../harness/workbench';
import { attachFanOut, attachNote, withSubjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, nodeSelector, openGraph } from './graphPage';
import { contrast, parseColour } from './colours';
import type { UiCheck } from './uiCheck';

/** WCAG 2.1 (1.4.11): what tells a user-interface component apart needs 3:1 against what is next to it. */
const NON_TEXT_CONTRAST = 3;
/** Referrers of one subject: at 90 px a row, far taller than an editor. */
const MANY_REFERRERS = 32;
/** The smallest on-screen height of the box of a node's kind label that a user still reads (12 px text at 0.5). */
const READABLE_TEXT_PX = 6;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function referrerGraphAppearanceChecks(screenshotPrefix: string): UiCheck[] {
  return [
    {
      name: 'graph in a narrow editor with a node selected: the details go under the drawing, which keeps the width and shows the node',
      run: (page) => withNotes(page, 'narrow', (frame, notes) => checkNarrow(page, frame, notes, screenshotPrefix)),
    },
    {
      name: 'graph node outlines contrast 3:1 with the canvas in the light and the dark theme',
      run: (page) => withNotes(page, 'themes', (frame) => checkOutlines(page, frame, screenshotPrefix)),
    },
    {
      name: `graph of a subject with ${MANY_REFERRERS} referrers opens readable (labels drawn, the subject in view), the wheel scrolls to the last referrer and Ctrl+wheel zooms`,
      run: (page) => withSubjectLayout('many', (fixture) => checkLargeGraph(page, fixture, screenshotPrefix)),
    },
    {
      name: 'graph keyboard and buttons: one Tab stop for the graph (the selected node, aria-selected), Tab goes on to the details, Open Manifest the only primary button',
      run: (page) => withNotes(page, 'keys', (frame, notes) => checkKeyboardAndButtons(frame, notes)),
    },
  ];
}

async function withNotes(
  page: Page,
  tag: string,
  work: (frame: FrameLocator, notes: string[]) => Promise<void>,
): Promise<void> {
  await withSubjectLayout(tag, async (fixture: GraphLayout) => {
    const notes: string[] = [];
    for (const name of ['first', 'second', 'third', 'fourth'])
      notes.push((await attachNote(fixture.target, fixture.subject, name)).digest);
    await closeAllEditors(page);
    const frame = await openGraph(page, `oci:${fixture.layout}:${tag}`);
    await frame.locator('g.node').nth(notes.length).waitFor();
    await work(frame, notes);
  });
}

async function checkNarrow(page: Page, frame: FrameLocator, notes: string[], screenshotPrefix: string): Promise<void> {
  await frame.locator(nodeSelector(notes[1]!)).click();
  await frame.locator('.details h2').waitFor();
  try {
    // About 420 px of webview: an editor split in two, or one beside a wide side bar.
    await page.setViewportSize({ width: 760, height: 800 });
    await page.waitForTimeout(500); // the webview follows the editor's size
    await frame.getByRole('button', { name: 'Fit', exact: true }).click();
    const shape = await boxes(frame, nodeSelector(notes[1]!));
    const where = JSON.stringify(shape);
    assert.ok(shape.canvas.width >= 0.9 * shape.body.width, `the drawing gets ${shape.canvas.width} px (${where})`);
    assert.ok(shape.side.y >= shape.canvas.y + shape.canvas.height - 1, `the details are not under it (${where})`);
    assert.ok(shape.canvas.height >= 150, `the drawing is ${shape.canvas.height} px high (${where})`);
    assert.ok(
      shape.node.x >= shape.canvas.x && shape.node.x + shape.node.width <= shape.canvas.x + shape.canvas.width,
      `the selected node is cut off (${where})`,
    );
    await saveScreenshot(page, `${screenshotPrefix}-referrer-graph-narrow`);
  } finally {
    await page.setViewportSize({ width: 1400, height: 900 });
  }
  // With room, the details stay beside the drawing.
  await page.waitForTimeout(500);
  const wide = await boxes(frame, nodeSelector(notes[1]!));
  assert.ok(wide.side.x >= wide.canvas.x + wide.canvas.width - 1, `wide: ${JSON.stringify(wide)}`);
}

async function boxes(frame: FrameLocator, node: string): Promise<{ body: Box; canvas: Box; side: Box; node: Box }> {
  return frame.locator('body').evaluate((body, nodeSelector) => {
    const box = (element: Element | null): Box => {
      const r = element!.getBoundingClientRect();
      return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    };
    const doc = body.ownerDocument;
    return {
      body: box(body),
      canvas: box(doc.querySelector('.canvas')),
      side: box(doc.querySelector('.side')),
      node: box(doc.querySelector(nodeSelector)),
    };
  }, node);
}

async function checkOutlines(page: Page, frame: FrameLocator, screenshotPrefix: string): Promise<void> {
  const seen: string[] = [];
  const judge = async (when: string) => {
    const colours = await outlineColours(frame);
    for (const stroke of colours.strokes) {
      const ratio = contrast(parseColour(stroke, colours.background), parseColour(colours.background));
      seen.push(`${when}: ${stroke} on ${colours.background} ${ratio.toFixed(2)}:1`);
      assert.ok(ratio >= NON_TEXT_CONTRAST, `node outline ${stroke} on ${colours.background}: ${ratio.toFixed(2)}:1`);
    }
    // A button is drawn by its background or its border: themes whose secondary background is transparent give it a
    // border, and without it Fit and Export SVG read as plain text.
    const canvas = parseColour(colours.background);
    for (const button of colours.buttons) {
      const drawn = [button.background, ...(button.borderWidth > 0 ? [button.border] : [])].some(
        (colour) => contrast(parseColour(colour, colours.background), canvas) > 1.05,
      );
      assert.ok(drawn, `${when}: the ${button.text} button is not drawn: ${JSON.stringify(button)}`);
    }
    return colours.background;
  };
  const first = await judge('first theme');
  await runFromCommandPalette(page, 'Preferences: Toggle between Light/Dark Themes');
  try {
    const deadline = Date.now() + 15_000;
    while ((await outlineColours(frame)).background === first && Date.now() < deadline) await page.waitForTimeout(200);
    assert.notEqual((await outlineColours(frame)).background, first, 'the theme did not change');
    await judge('other theme');
    await saveScreenshot(page, `${screenshotPrefix}-referrer-graph-other-theme`);
  } finally {
    await runFromCommandPalette(page, 'Preferences: Toggle between Light/Dark Themes');
  }
  console.log(`      ${[...new Set(seen)].join('; ')}`);
}

interface Colours {
  background: string;
  /** The distinct outline colours of the nodes that are neither the subject nor selected. */
  strokes: string[];
  buttons: { text: string; background: string; border: string; borderWidth: number }[];
}

async function outlineColours(frame: FrameLocator): Promise<Colours> {
  return frame.locator('body').evaluate((body) => {
    const rects = Array.from(body.ownerDocument.querySelectorAll('g.node:not(.root):not(.selected) rect'));
    return {
      background: getComputedStyle(body).backgroundColor,
      strokes: [...new Set(rects.map((rect) => getComputedStyle(rect).stroke))],
      buttons: Array.from(body.ownerDocument.querySelectorAll('header button')).map((button) => {
        const style = getComputedStyle(button);
        return {
          text: button.textContent ?? '',
          background: style.backgroundColor,
          border: style.borderTopColor,
          borderWidth: parseFloat(style.borderTopWidth),
        };
      }),
    };
  });
}

async function checkKeyboardAndButtons(frame: FrameLocator, notes: string[]): Promise<void> {
  const tabStops = () => frame.locator('g.node[tabindex="0"]');
  assert.equal(await tabStops().count(), 1, 'the graph is one Tab stop');
  assert.equal(
    await tabStops()
      .getAttribute('class')
      .then((c) => c?.includes('root')),
    true,
    'the subject first',
  );

  const chosen = frame.locator(nodeSelector(notes[2]!));
  await chosen.click();
  await frame.locator('.details h2').waitFor();
  assert.equal(await chosen.getAttribute('aria-selected'), 'true');
  assert.equal(await frame.locator('g.node[aria-selected="true"]').count(), 1, 'one node is selected');
  assert.equal(await tabStops().getAttribute('data-digest'), notes[2], 'the selected node is the Tab stop');

  // Arrow keys move the Tab stop with the focus; Tab leaves the graph for the details' buttons.
  await chosen.focus();
  await chosen.press('ArrowDown');
  const moved = await frame.locator('g.node:focus').getAttribute('data-digest');
  assert.ok(moved && moved !== notes[2], 'ArrowDown did not move the focus');
  assert.equal(await tabStops().getAttribute('data-digest'), moved, 'the focused node is the Tab stop');
  await frame.locator('g.node:focus').press('Tab');
  assert.equal(await frame.locator(':focus').textContent(), 'Open Manifest', 'Tab from the graph reaches the details');

  // One primary button (the background VS Code gives primary buttons), the others secondary or the danger one.
  const primary = await frame.locator('body').evaluate((body) => {
    const probe = body.ownerDocument.createElement('button');
    body.appendChild(probe);
    const background = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return Array.from(body.ownerDocument.querySelectorAll('button'))
      .filter((button) => getComputedStyle(button).backgroundColor === background)
      .map((button) => button.textContent);
  });
  assert.deepEqual(primary, ['Open Manifest']);
}

interface LargeGraphShape {
  far: boolean;
  transform: string | null;
  canvas: Box;
  root: Box;
  rootLabel: { display: string; height: number };
  /** How far below the canvas's bottom the lowest node ends (negative: above it). */
  lowestBelow: number;
}

async function checkLargeGraph(page: Page, fixture: GraphLayout, screenshotPrefix: string): Promise<void> {
  await attachFanOut(fixture.target, fixture.subject, MANY_REFERRERS + 1, MANY_REFERRERS);
  await closeAllEditors(page);
  const frame = await openGraph(page, `oci:${fixture.layout}:many`);
  await frame.locator('g.node').nth(MANY_REFERRERS).waitFor();
  await page.waitForTimeout(300); // the fitted transform is written on the next frame
  const opened = await largeGraphShape(frame);
  const where = JSON.stringify(opened);
  await saveScreenshot(page, `${screenshotPrefix}-referrer-graph-many`);
  assert.equal(opened.far, false, `the labels are hidden (the far view) on opening: ${where}`);
  assert.equal(opened.rootLabel.display === 'none', false, where);
  assert.ok(opened.rootLabel.height >= READABLE_TEXT_PX, `the subject's label is ${opened.rootLabel.height} px high`);
  assert.ok(
    opened.root.y >= opened.canvas.y && opened.root.y + opened.root.height <= opened.canvas.y + opened.canvas.height,
    `the subject is not in view: ${where}`,
  );
  assert.ok(opened.lowestBelow > 0, `the graph fits after all; the check needs one taller than the editor: ${where}`);
  await checkEdgeLabelsApart(frame);

  // The wheel scrolls down to the last referrer, at the same scale.
  const canvas = await frame.locator('svg.graph').boundingBox();
  assert.ok(canvas, 'the graph has no box on screen');
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  let scrolled = opened;
  for (let i = 0; i < 60 && scrolled.lowestBelow > 0; i++) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(30);
    scrolled = await largeGraphShape(frame);
  }
  assert.ok(
    scrolled.lowestBelow <= 0,
    `the wheel did not bring the last referrer into view: ${JSON.stringify(scrolled)}`,
  );
  assert.equal(scaleOf(scrolled.transform), scaleOf(opened.transform), 'the wheel zoomed instead of scrolling');
  assert.equal(scrolled.far, false);

  // Ctrl+wheel (and a trackpad pinch, which arrives as one) zooms.
  await page.keyboard.down('Control');
  try {
    await page.mouse.wheel(0, -120);
  } finally {
    await page.keyboard.up('Control');
  }
  await page.waitForTimeout(100);
  assert.ok(
    scaleOf((await largeGraphShape(frame)).transform) > scaleOf(scrolled.transform),
    'Ctrl+wheel did not zoom in',
  );
}

function scaleOf(transform: string | null): number {
  const scale = /scale\(([\d.]+)\)/.exec(transform ?? '')?.[1];
  assert.ok(scale, `no scale in the transform ${transform}`);
  return Number(scale);
}

async function largeGraphShape(frame: FrameLocator): Promise<LargeGraphShape> {
  return frame.locator('body').evaluate((body) => {
    const doc = body.ownerDocument;
    const box = (element: Element): Box => {
      const r = element.getBoundingClientRect();
      return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    };
    const svg = doc.querySelector('svg.graph')!;
    const canvas = box(svg);
    const label = doc.querySelector('g.node.root text.kind')!;
    const lowest = Math.max(...Array.from(doc.querySelectorAll('g.node')).map((n) => n.getBoundingClientRect().bottom));
    return {
      far: svg.classList.contains('far'),
      transform: doc.querySelector('g.content')!.getAttribute('transform'),
      canvas,
      root: box(doc.querySelector('g.node.root')!),
      rootLabel: { display: getComputedStyle(label).display, height: Math.round(label.getBoundingClientRect().height) },
      lowestBelow: Math.round(lowest - (canvas.y + canvas.height)),
    };
  });
}

/**
 * Each edge label sits on its own edge's last run, between the shared trunk and its arrow: the labels of a fan-out
 * neither overlap each other nor a referrer, and a halo keeps the trunk from striking through a long one (they sat
 * on the bend column over 32 diagonals).
 */
async function checkEdgeLabelsApart(frame: FrameLocator): Promise<void> {
  const shape = await frame.locator('svg.graph').evaluate((svgElement) => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, right: r.right, bottom: r.bottom };
    };
    return {
      labels: Array.from(svgElement.querySelectorAll('.edge-label'), box),
      nodes: Array.from(svgElement.querySelectorAll('g.node'), box),
      halo: getComputedStyle(svgElement.querySelector('.edge-label')!).getPropertyValue('paint-order'),
    };
  });
  assert.ok(shape.labels.length >= 32, `${shape.labels.length} labels`);
  const overlap = (a: { x: number; y: number; right: number; bottom: number }, b: typeof a) =>
    a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom;
  shape.labels.forEach((label, i) => {
    for (const other of shape.labels.slice(i + 1))
      assert.ok(!overlap(label, other), `edge labels overlap: ${JSON.stringify([label, other])}`);
    for (const node of shape.nodes)
      assert.ok(!overlap(label, node), `an edge label covers a node: ${JSON.stringify([label, node])}`);
  });
  assert.match(shape.halo, /^stroke/, 'the edge labels have no halo');
}
