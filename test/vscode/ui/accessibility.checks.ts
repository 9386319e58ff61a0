// Stowage as a screen-reader or keyboard-only user meets it, in the real workbench: what the referrer graph's nodes
// are called and how they nest, axe-core's rules over the whole graph webview (inside its two frames), the selected
// node told apart without colour in high-contrast themes, and what the tree rows read aloud.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { pushArtifact } from '../../../src/core/files/artifact';
import { saveScreenshot } from '../harness/artifacts';
import { currentTheme, setTheme } from '../harness/themes';
import { expandViewPane, showViewContainer } from '../harness/workbench';
import { contrast, parseColour } from './colours';
import { attachNote, withSubjectLayout } from './graphFixtures';
import { closeAllEditors, nodeSelector, openGraph } from './graphPage';
import { expandRow } from '../harness/treeRows';
import type { UiCheck } from './uiCheck';

/** WCAG 2.1 (1.4.11): a focus indicator or a state marker needs 3:1 against what is next to it. */
const NON_TEXT_CONTRAST = 3;
const HIGH_CONTRAST_THEMES = ['Dark High Contrast', 'Light High Contrast'];
/** A whole digest's hex: 64 characters a screen reader spells out one by one. */
const FULL_HEX = /[0-9a-f]{64}/;

const NOTE_TYPE = 'application/vnd.example.note.v1';
const SUBJECT_TYPE = 'application/vnd.stowage.demo.v1';

export function accessibilityChecks(workspace: string, screenshotPrefix: string): UiCheck[] {
  return [
    {
      name: 'accessibility: graph nodes are named by kind, short digest, artifact type and what they refer to, nest by level, and axe finds no serious problem in the graph webview',
      run: (page) => withChain(page, 'a11y-names', (frame, chain) => checkGraphNames(page, frame, chain)),
    },
    {
      name: 'accessibility: the graph tells a screen reader its keys, Home and End reach the subject and the last node, Escape in the details comes back to the node, and + zooms in while a node has the focus (= needs Shift on many keyboards)',
      run: (page) => withChain(page, 'a11y-keys', (frame, chain) => checkGraphKeys(page, frame, chain)),
    },
    {
      name: 'accessibility: Delete… on a graph node with the keyboard alone: after Enter confirms, the focus is on the node the details show, not lost',
      run: (page) => withChain(page, 'a11y-delete', (frame, chain) => checkKeyboardDelete(page, frame, chain)),
    },
    {
      name: 'accessibility: the selected graph node is marked by its outline, not by colour alone, in the current and both high-contrast themes, and the focused node has a 3:1 focus outline',
      run: (page) =>
        withChain(page, 'a11y-themes', (frame, chain) => checkSelectionInThemes(page, frame, chain, screenshotPrefix)),
    },
    {
      name: 'accessibility: Image Layouts rows read as their label, kind, short digest and type, never a 64-digit digest or a whole path first',
      run: (page) => checkTreeRows(page, workspace),
    },
  ];
}

/** The subject, a note referring to it, and a note referring to that note. */
interface Chain {
  subject: string;
  first: string;
  second: string;
}

async function withChain(
  page: Page,
  tag: string,
  work: (frame: FrameLocator, chain: Chain) => Promise<void>,
): Promise<void> {
  await withSubjectLayout(tag, async (fixture) => {
    const first = await attachNote(fixture.target, fixture.subject, 'first');
    const second = await attachNote(fixture.target, first, 'second');
    await closeAllEditors(page);
    const frame = await openGraph(page, `oci:${fixture.layout}:${tag}`);
    await frame.locator('g.node').nth(2).waitFor();
    await work(frame, { subject: fixture.subject.digest, first: first.digest, second: second.digest });
  });
}

function short(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

async function checkGraphNames(page: Page, frame: FrameLocator, chain: Chain): Promise<void> {
  const named = async (digest: string) => {
    const node = frame.locator(nodeSelector(digest));
    return {
      name: (await node.getAttribute('aria-label')) ?? '',
      level: await node.getAttribute('aria-level'),
    };
  };
  const subject = await named(chain.subject);
  const first = await named(chain.first);
  const second = await named(chain.second);
  const all = JSON.stringify({ subject, first, second });
  for (const [node, digest, type] of [
    [subject, chain.subject, SUBJECT_TYPE],
    [first, chain.first, NOTE_TYPE],
    [second, chain.second, NOTE_TYPE],
  ] as const) {
    assert.ok(node.name.includes(short(digest)), `no short digest ${short(digest)} in ${all}`);
    assert.ok(node.name.includes(type), `no artifact type ${type} in ${all}`);
    assert.doesNotMatch(node.name, FULL_HEX, `a whole digest is read out: ${all}`);
  }
  assert.match(subject.name, /subject/, all);
  assert.ok(first.name.includes(`refers to ${short(chain.subject)}`), `what the first note refers to: ${all}`);
  assert.ok(second.name.includes(`refers to ${short(chain.first)}`), `what the second note refers to: ${all}`);
  assert.match(first.name, /fallback tag/, `where the referrer was found: ${all}`);
  assert.deepEqual([subject.level, first.level, second.level], ['1', '2', '3'], `levels: ${all}`);
  await drawnTextsLeadNames(frame);

  // The edges' labels say what the referrers' names say: inside the tree they were stray text between its items.
  const tree = await frame.locator('svg.graph').ariaSnapshot();
  const stray = tree
    .split('\n')
    .slice(1)
    .filter((line) => !/^\s*- treeitem /.test(line));
  assert.deepEqual(stray, [], `the graph's accessibility tree holds more than its items:\n${tree}`);

  // With a node selected, the details (facts, buttons, annotations, descriptor) are on the page too.
  await frame.locator(nodeSelector(chain.first)).click();
  await frame.locator('.details h2').waitFor();
  // axe's label-in-name rule joins the texts of separate SVG <text> elements with no space between them
  // ("…2ba1fb7ecmanifest 568 B"), so no name can match a node: drawnTextsLeadNames checks that rule's point instead.
  const results = await new AxeBuilder({ page })
    .include({ fromFrames: ['iframe.webview.ready', 'iframe#active-frame', 'body'] })
    .disableRules(['label-content-name-mismatch'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  assert.deepEqual(serious, [], 'axe-core found serious problems in the graph webview');
  const minor = results.violations.map((v) => `${v.id} (${v.impact})`);
  console.log(`      axe: ${results.passes.length} rules passed${minor.length ? `; minor: ${minor.join(', ')}` : ''}`);
}

async function checkGraphKeys(page: Page, frame: FrameLocator, chain: Chain): Promise<void> {
  const help = await frame.locator('svg.graph').evaluate((graph) => {
    const ids = (graph.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((id) => graph.ownerDocument.getElementById(id)?.textContent ?? '').join(' ');
  });
  for (const key of ['Arrow keys', 'Home', 'End', 'Enter', 'Tab', 'Escape', 'Plus', 'minus', 'slash'])
    assert.ok(help.includes(key), `the graph's description does not say ${key}: ${JSON.stringify(help)}`);

  const scale = async () => {
    await page.waitForTimeout(150); // the transform is written on the next frame
    const transform = await frame.locator('g.content').getAttribute('transform');
    return Number(/scale\(([\d.]+)\)/.exec(transform ?? '')?.[1]);
  };
  // Home and End, as in any tree: the subject first, the last node in reading order (the chain's end) last.
  const focusedDigest = () => frame.locator('g.node:focus').getAttribute('data-digest');
  await frame.locator(nodeSelector(chain.first)).focus();
  await page.keyboard.press('End');
  assert.equal(await focusedDigest(), chain.second, 'End did not reach the last node');
  await page.keyboard.press('Home');
  assert.equal(await focusedDigest(), chain.subject, 'Home did not reach the subject');

  // From the details' last button, Escape comes back to the node they show (not one Shift+Tab per button).
  const first = frame.locator(nodeSelector(chain.first));
  await first.focus();
  await first.press('Enter');
  const remove = frame.locator('.details button[data-action="delete"]');
  await remove.waitFor();
  await remove.focus();
  await remove.press('Escape');
  // Read without waiting for a focused node (none may be): polled within its own bound.
  const focusedNow = () =>
    frame.locator('body').evaluate((body) => body.ownerDocument.activeElement?.getAttribute('data-digest') ?? null);
  const deadline = Date.now() + 5_000;
  while ((await focusedNow()) !== chain.first && Date.now() < deadline) await page.waitForTimeout(50);
  assert.equal(await focusedNow(), chain.first, 'Escape in the details did not come back to the node');

  const node = frame.locator(nodeSelector(chain.first));
  await node.focus();
  const before = await scale();
  await node.press('+');
  const after = await scale();
  assert.ok(after > before, `+ on a focused node did not zoom in (scale ${before} → ${after})`);
  await node.press('-');
  assert.ok((await scale()) < after, '- on a focused node did not zoom out');
}

async function checkKeyboardDelete(page: Page, frame: FrameLocator, chain: Chain): Promise<void> {
  const node = frame.locator(nodeSelector(chain.second));
  await node.focus();
  await node.press('Enter');
  const remove = frame.locator('.details button[data-action="delete"]');
  // Tab by Tab from the node to Delete…, as a keyboard user goes.
  await node.press('Tab');
  for (let i = 0; i < 12 && !(await remove.evaluate((b) => b === b.ownerDocument.activeElement)); i++)
    await page.keyboard.press('Tab');
  assert.ok(await remove.evaluate((b) => b === b.ownerDocument.activeElement), 'Tab did not reach Delete…');
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText(`Delete ${chain.second}`).waitFor();
  // The modal's default button is the action: Enter confirms.
  await page.keyboard.press('Enter');
  await node.waitFor({ state: 'detached' });
  await frame.locator('.details .status', { hasText: 'no longer in the graph' }).waitFor();
  // The focus comes back when the webview does after the modal: on a busy machine, later than the redraw.
  const focusedNow = () =>
    frame.locator('body').evaluate((body) => {
      const active = body.ownerDocument.activeElement;
      return {
        digest: active?.getAttribute('data-digest') ?? undefined,
        element: active ? `${active.tagName.toLowerCase()}.${active.getAttribute('class') ?? ''}` : 'none',
        text: active?.textContent?.slice(0, 40),
        hasFocus: body.ownerDocument.hasFocus(),
      };
    });
  const focusComesBack = async (ms: number) => {
    let focused = await focusedNow();
    for (const until = Date.now() + ms; focused.digest === undefined && Date.now() < until;) {
      await page.waitForTimeout(100);
      focused = await focusedNow();
    }
    return focused;
  };
  let focused = await focusComesBack(5_000);
  if (!focused.hasFocus) {
    // VS Code puts the focus back on the webview's frame after its modal, and under load it sometimes stops there
    // (seen: the workbench's focused element is the webview's frame, neither page inside it has the focus, and no
    // page here can take it). What Stowage answers for is where the focus lands once the webview has it again, as
    // it has when a keyboard user goes back to the editor (Ctrl+1).
    await page.keyboard.press('Control+1');
    focused = await focusComesBack(5_000);
  }
  assert.equal(
    focused.digest,
    chain.subject,
    `the focus is on ${JSON.stringify(focused)}, not on the subject now shown`,
  );
  // And the keyboard goes on from there: Enter keeps the details, Tab reaches their first action.
  await page.keyboard.press('Tab');
  assert.equal(await frame.locator(':focus').textContent(), 'Open Manifest');
}

/**
 * WCAG 2.5.3 (label in name): each node's name starts with what is drawn on it, in the order drawn, so that a voice
 * control user who says what they see reaches it (the glyph, a picture of the kind, aside).
 */
async function drawnTextsLeadNames(frame: FrameLocator): Promise<void> {
  const nodes = await frame.locator('g.node').evaluateAll((elements) =>
    elements.map((g) => ({
      name: g.getAttribute('aria-label') ?? '',
      drawn: Array.from(g.querySelectorAll('text:not([aria-hidden="true"])')).map((t) => t.textContent ?? ''),
    })),
  );
  for (const { name, drawn } of nodes)
    assert.ok(
      name.startsWith(drawn.join(', ')),
      `the name ${JSON.stringify(name)} does not start with ${JSON.stringify(drawn)}`,
    );
}

interface NodeLook {
  background: string;
  selected: { stroke: string; strokeWidth: number; dash: string };
  plain: { stroke: string; strokeWidth: number; dash: string };
  focus: { style: string; colour: string; width: number };
}

async function checkSelectionInThemes(
  page: Page,
  frame: FrameLocator,
  chain: Chain,
  screenshotPrefix: string,
): Promise<void> {
  await frame.locator(nodeSelector(chain.first)).click();
  await frame.locator('.details h2').waitFor();
  const original = await currentTheme(page);
  const seen: string[] = [];
  try {
    for (const theme of [original ?? 'current theme', ...HIGH_CONTRAST_THEMES]) {
      if (theme !== original && theme !== 'current theme') await setTheme(page, theme);
      // A keyboard user's focus on another node: its ring must show beside the selection.
      await frame.locator(nodeSelector(chain.second)).focus();
      const look = await nodeLook(frame, chain);
      seen.push(`${theme}: ${JSON.stringify(look)}`);
      const shape = (o: NodeLook['plain']) => `${o.strokeWidth} ${o.dash}`;
      assert.notEqual(
        shape(look.selected),
        shape(look.plain),
        `${theme}: the selected node's outline has the same width and dashes as any other node's`,
      );
      const stroke = contrast(parseColour(look.selected.stroke, look.background), parseColour(look.background));
      assert.ok(stroke >= NON_TEXT_CONTRAST, `${theme}: the selected outline contrasts ${stroke.toFixed(2)}:1`);
      assert.notEqual(look.focus.style, 'none', `${theme}: the focused node has no focus outline`);
      const ring = contrast(parseColour(look.focus.colour, look.background), parseColour(look.background));
      assert.ok(ring >= NON_TEXT_CONTRAST, `${theme}: the focus outline contrasts ${ring.toFixed(2)}:1`);
      if (HIGH_CONTRAST_THEMES.includes(theme))
        await saveScreenshot(page, `${screenshotPrefix}-graph-${theme.toLowerCase().replace(/ /g, '-')}`);
    }
  } finally {
    if (original) await setTheme(page, original);
  }
  console.log(`      ${seen.join('; ')}`);
}

async function nodeLook(frame: FrameLocator, chain: Chain): Promise<NodeLook> {
  return frame.locator('body').evaluate(
    (body, { selected, plain, focused }) => {
      const doc = body.ownerDocument;
      const outline = (digest: string) => {
        const style = getComputedStyle(doc.querySelector(`g.node[data-digest="${digest}"] rect`)!);
        return { stroke: style.stroke, strokeWidth: parseFloat(style.strokeWidth), dash: style.strokeDasharray };
      };
      const ring = getComputedStyle(doc.querySelector(`g.node[data-digest="${focused}"]`)!);
      return {
        background: getComputedStyle(body).backgroundColor,
        selected: outline(selected),
        plain: outline(plain),
        focus: { style: ring.outlineStyle, colour: ring.outlineColor, width: parseFloat(ring.outlineWidth) },
      };
    },
    // The subject is drawn apart on purpose; the second note is neither it nor selected (only focused).
    { selected: chain.first, plain: chain.second, focused: chain.second },
  );
}

async function checkTreeRows(page: Page, workspace: string): Promise<void> {
  const folder = path.join(workspace, 'a11y-layout');
  const source = path.join(workspace, 'a11y-notes.txt');
  fs.writeFileSync(source, 'notes\n');
  try {
    const target = await LayoutTarget.open(folder, { create: true });
    const pushed = await pushArtifact(target, [source], { tag: 'a11y', artifactType: SUBJECT_TYPE });
    const note = await attachNote(target, pushed.descriptor, 'first');
    await showViewContainer(page, 'Stowage');
    const pane = await expandViewPane(page, 'Image Layouts');
    await expandRow(pane, 'a11y-layout');
    await expandRow(pane, 'a11y');
    await expandRow(pane, 'Other referrers');
    const labels = {
      layout: await ariaLabel(pane, /^a11y-layout$/),
      tag: await ariaLabel(pane, /^a11y$/, (said) => said.includes(short(pushed.descriptor.digest))),
      group: await ariaLabel(pane, /^Other referrers$/),
      // "Artifact · application/vnd.example.note.v1": the kind and what its manifest told.
      referrer: await ariaLabel(pane, /^Artifact\b/),
      layer: await ariaLabel(pane, /^a11y-notes\.txt$/),
    };
    const all = JSON.stringify(labels);
    console.log(`      ${all}`);
    for (const [row, label] of Object.entries(labels))
      assert.doesNotMatch(label, FULL_HEX, `the ${row} row reads out a whole digest: ${all}`);
    // Its tooltip (what was read) is a whole path, the name at its very end.
    assert.match(labels.layout, /^a11y-layout, OCI image layout\b/, `the layout row: ${all}`);
    assert.match(labels.tag, /^a11y\b/, `the tag row starts with its tag: ${all}`);
    assert.ok(labels.tag.includes(short(pushed.descriptor.digest)), `the tag row's digest: ${all}`);
    assert.ok(labels.tag.includes(SUBJECT_TYPE), `the tag row's type: ${all}`);
    assert.match(labels.group, /^Other referrers\b.*\b1 referrer\b/, `the group row: ${all}`);
    assert.match(labels.referrer, /^Artifact\b/, `the referrer row starts with its kind: ${all}`);
    assert.ok(labels.referrer.includes(short(note.digest).slice('sha256:'.length)), `the referrer's digest: ${all}`);
    assert.ok(labels.referrer.includes(NOTE_TYPE), `the referrer's type: ${all}`);
    assert.match(labels.layer, /^a11y-notes\.txt\b/, `the layer row starts with its name: ${all}`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(source, { force: true });
  }
}

/** What a screen reader reads for the first row whose label matches `label` (VS Code puts the item's accessible name there). */
/**
 * The row's aria-label once `filled` says it is complete: a tag's kind and digest fill in after the row is drawn
 * (read from its manifest), and a busy machine drew the row first.
 */
async function ariaLabel(
  pane: Locator,
  label: RegExp,
  filled: (said: string) => boolean = () => true,
): Promise<string> {
  const row = pane
    .locator('.monaco-list-row[role=treeitem]', { has: pane.page().locator('.label-name', { hasText: label }) })
    .first();
  await row.waitFor({ timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  let said = (await row.getAttribute('aria-label')) ?? '';
  while (!filled(said) && Date.now() < deadline) {
    await pane.page().waitForTimeout(100);
    said = (await row.getAttribute('aria-label')) ?? '';
  }
  return said;
}
