// The artifact-type filter box of the graph, at DOM level and by keyboard only: typing a family word ("sbom")
// shows only the SBOMs as one types, no Enter needed (and not a note signed onto the SBOM), the extension's rebuilt
// graph agrees, the details of a node the filter hides give way to the subject's, the filter survives a reload of
// the graph (a referrer attached since appears if it matches), a word that matches nothing says so (not "no
// referrers") and offers Clear Filter, Escape clears it.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { attachBytes } from '../../../src/core/supplyChain';
import { attachNote, withSubjectLayout, type GraphLayout } from './graphFixtures';
import { askForGraph, closeAllEditors, graphFrame, nodeSelector, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

const SBOM = 'application/spdx+json';
const NOTE = 'application/vnd.example.note.v1';

export function referrerGraphFilterChecks(): UiCheck[] {
  return [
    {
      name: 'graph type filter: typing "sbom" shows only SBOMs as one types, hides the details of a filtered-out node, survives a reload; a word matching nothing says so and offers Clear Filter; Escape clears it',
      run: (page) => withSubjectLayout('filtered', (fixture) => filterByType(page, fixture)),
    },
  ];
}

function attachSbom(fixture: GraphLayout, name: string) {
  return attachBytes(fixture.target, fixture.subject, {
    artifactType: SBOM,
    documents: [{ title: `${name}.spdx.json`, mediaType: SBOM, bytes: Buffer.from(`{"name":"${name}"}`) }],
  });
}

async function drawn(frame: FrameLocator): Promise<string[]> {
  return (
    await frame.locator('g.node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-digest')!))
  ).sort();
}

async function waitForDrawn(frame: FrameLocator, expected: string[], what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await drawn(frame);
    if (JSON.stringify(last) === JSON.stringify([...expected].sort())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(last, [...expected].sort(), what);
}

async function filterByType(page: Page, fixture: GraphLayout): Promise<void> {
  const note = await attachNote(fixture.target, fixture.subject, 'note');
  const sbom = await attachSbom(fixture, 'sbom');
  const onSbom = await attachNote(fixture.target, sbom, 'note-on-sbom');
  const root = fixture.subject.digest;
  const reference = `oci:${fixture.layout}:filtered`;
  await closeAllEditors(page);
  let frame = await openGraph(page, reference);
  await waitForDrawn(frame, [root, note.digest, sbom.digest, onSbom.digest], 'the whole graph first');

  // The box is labelled, suggests the types in the graph, and is reached and used with the keyboard alone.
  const box = frame.locator('#type-filter');
  assert.match((await box.getAttribute('aria-label'))!, /artifact types/);
  const suggested = await frame
    .locator('#type-filter-suggestions option')
    .evaluateAll((all) => all.map((o) => o.getAttribute('value')));
  for (const type of [NOTE, SBOM]) assert.ok(suggested.includes(type), `${type} among ${JSON.stringify(suggested)}`);
  // The note is shown in the details: the filter will hide it.
  await frame.locator(nodeSelector(note.digest)).click();
  await frame.locator('.details dd', { hasText: note.digest }).waitFor();
  await frame.locator(nodeSelector(root)).focus();
  await page.keyboard.press('/');
  assert.equal(await frame.locator(':focus').getAttribute('id'), 'type-filter', '"/" in the graph focuses the box');
  // A family word, as the tree groups referrers, and no Enter: the graph follows the typing.
  await page.keyboard.type('sbom');
  await waitForDrawn(frame, [root, sbom.digest], 'only the SBOM (the note signed onto it is not an SBOM)');
  const status = frame.locator('.filter-status');
  await frame.locator('.filter-status', { hasText: /^1 referrer matches$/ }).waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('#type-filter').inputValue(), 'sbom', 'the box is left as typed');
  // The hidden note's details (and their buttons) are gone: the subject's show, saying why.
  await frame.locator('.details .status', { hasText: 'hidden by the filter' }).waitFor();
  assert.equal(
    await frame.locator('.details dd', { hasText: note.digest }).count(),
    0,
    'the hidden note is still shown',
  );
  await frame.locator('.details dd', { hasText: root }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await frame.locator(':focus').textContent(), 'Clear', 'Tab from the box reaches Clear');

  // A reload of the graph (Show Referrer Graph again) keeps the filter; what was attached since follows it.
  const sbom2 = await attachSbom(fixture, 'sbom-2');
  const note2 = await attachNote(fixture.target, fixture.subject, 'note-2');
  await askForGraph(page, reference);
  frame = graphFrame(page);
  await waitForDrawn(frame, [root, sbom.digest, sbom2.digest], 'the reloaded graph, still filtered');
  assert.equal(await frame.locator('#type-filter').inputValue(), 'sbom');
  await frame.locator('.filter-status', { hasText: /^2 referrers match$/ }).waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('.empty').count(), 0, 'a message although referrers are drawn');

  // A word that matches nothing: the message says the filter matched none of them, not that there are none, and
  // its Clear Filter shows them all again.
  await frame.locator('#type-filter').fill('attestation');
  await waitForDrawn(frame, [root], 'nothing but the subject for "attestation"');
  const message = frame.locator('.empty');
  await message
    .filter({ hasText: 'The filter “attestation” matched none of the 4 referrers of this artifact.' })
    .waitFor();
  assert.doesNotMatch((await message.textContent())!, /No referrers|Nothing signs/);
  await frame.locator('.filter-status', { hasText: /^0 referrers match$/ }).waitFor({ timeout: 30_000 });
  await message.getByRole('button', { name: 'Clear Filter' }).click();
  await waitForDrawn(
    frame,
    [root, note.digest, sbom.digest, onSbom.digest, sbom2.digest, note2.digest],
    'every referrer after Clear Filter',
  );
  assert.equal(await frame.locator('#type-filter').inputValue(), '');

  // Part of a type, typed again; then Escape.
  await frame.locator('#type-filter').fill('spdx');
  await waitForDrawn(frame, [root, sbom.digest, sbom2.digest], 'the SPDX SBOMs for "spdx"');

  // Escape in the box clears the filter: everything, the new note included.
  await frame.locator('#type-filter').focus();
  await page.keyboard.press('Escape');
  await waitForDrawn(
    frame,
    [root, note.digest, sbom.digest, onSbom.digest, sbom2.digest, note2.digest],
    'every referrer after Escape',
  );
  assert.equal(await frame.locator('#type-filter').inputValue(), '');
  assert.equal(await status.textContent(), '');
}
