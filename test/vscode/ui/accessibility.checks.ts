// Stowage as a screen-reader or keyboard-only user meets it, in the real workbench: what the tree rows read aloud.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { pushArtifact } from '../../../src/core/files/artifact';
import { expandViewPane, showViewContainer } from '../harness/workbench';
import { attachNote } from './graphFixtures';
import { expandRow } from './stowageTree.checks';
import type { UiCheck } from './uiCheck';

/** A whole digest's hex: 64 characters a screen reader spells out one by one. */
const FULL_HEX = /[0-9a-f]{64}/;

const NOTE_TYPE = 'application/vnd.example.note.v1';
const SUBJECT_TYPE = 'application/vnd.stowage.demo.v1';

export function accessibilityChecks(workspace: string): UiCheck[] {
  return [
    {
      name: 'accessibility: Image Layouts rows read as their label, kind, short digest and type, never a 64-digit digest',
      run: (page) => checkTreeRows(page, workspace),
    },
  ];
}

function short(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
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
      tag: await ariaLabel(pane, /^a11y$/),
      group: await ariaLabel(pane, /^Other referrers$/),
      // "Artifact · application/vnd.example.note.v1": the kind and what its manifest told.
      referrer: await ariaLabel(pane, /^Artifact\b/),
      layer: await ariaLabel(pane, /^a11y-notes\.txt$/),
    };
    const all = JSON.stringify(labels);
    console.log(`      ${all}`);
    for (const [row, label] of Object.entries(labels))
      assert.doesNotMatch(label, FULL_HEX, `the ${row} row reads out a whole digest: ${all}`);
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
async function ariaLabel(pane: Locator, label: RegExp): Promise<string> {
  const row = pane
    .locator('.monaco-list-row[role=treeitem]', { has: pane.page().locator('.label-name', { hasText: label }) })
    .first();
  await row.waitFor({ timeout: 30_000 });
  return (await row.getAttribute('aria-label')) ?? '';
}
