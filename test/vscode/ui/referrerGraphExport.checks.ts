// "Export SVG" as a user runs it: the button in the graph, the save dialog suggesting a name in the workspace
// folder and answered with a path, a notification saying where it went, and the file written there checked as a
// standalone drawing: well-formed SVG titled with the reference, the node labels as text, nothing that runs or loads
// anything (it will be opened outside VS Code, by anyone).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { answerFileDialog, notificationCentreMessages } from '../harness/workbench';
import { attachNote, withSubjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, nodeSelector, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

/** `workspace`: the folder the workbench has open (the dialog suggests a file there). */
export function referrerGraphExportChecks(workspace: string): UiCheck[] {
  return [
    {
      name: 'graph Export SVG suggests <layout>-<tag>-referrers.svg in the workspace folder, writes a well-formed SVG titled with the reference, node labels as text, no script or external reference, and says where',
      run: (page) => withSubjectLayout('v1', (fixture) => exportAndCheck(page, fixture, workspace)),
    },
  ];
}

async function exportAndCheck(page: Page, fixture: GraphLayout, workspace: string): Promise<void> {
  const note = await attachNote(fixture.target, fixture.subject, 'exported-note');
  await closeAllEditors(page);
  const reference = `oci:${fixture.layout}:v1`;
  const frame = await openGraph(page, reference);
  await frame.locator(nodeSelector(note.digest)).waitFor();
  const labels = (await frame.locator('g.node text').allTextContents()).filter((text) => text.trim() !== '');

  const file = path.join(fixture.dir, 'exported graph.svg');
  await frame.getByRole('button', { name: 'Export SVG' }).click();
  await page.locator('.quick-input-widget', { hasText: 'Export Referrer Graph' }).waitFor({ state: 'visible' });
  // The suggestion: the layout's name, the tag, in the workspace folder (not the folder of the last file opened).
  const suggested = path.join(workspace, 'layout-v1-referrers.svg');
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + 15_000;
  while ((await input.inputValue()) !== suggested && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal(await input.inputValue(), suggested, 'the file name the dialog suggests');
  await answerFileDialog(page, file);
  await frame.locator('.banner.info', { hasText: `Saved ${file}` }).waitFor();
  const told = `Exported the referrer graph of ${reference} to ${file}`;
  let messages: string[] = [];
  while (!(messages = await notificationCentreMessages(page)).includes(told) && Date.now() < deadline + 15_000)
    await page.waitForTimeout(200);
  assert.ok(messages.includes(told), `no notification "${told}" among ${JSON.stringify(messages)}`);
  await page.keyboard.press('Escape');

  const text = fs.readFileSync(file, 'utf8');
  // The workbench page's own XML parser judges the file, as an SVG viewer would.
  const parsed = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const elements = Array.from(doc.getElementsByTagName('*'));
    return {
      error: doc.getElementsByTagName('parsererror')[0]?.textContent ?? null,
      root: `${doc.documentElement.namespaceURI} ${doc.documentElement.localName}`,
      viewBox: doc.documentElement.getAttribute('viewBox'),
      tags: [...new Set(elements.map((e) => e.localName))].sort(),
      texts: Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent ?? ''),
      title: Array.from(doc.documentElement.children).find((e) => e.localName === 'title')?.textContent ?? null,
      // Every attribute or style that can point somewhere: it may only point inside the file.
      references: elements.flatMap((e) =>
        Array.from(e.attributes)
          .filter((a) => /href$|^src$/i.test(a.name) || a.value.includes('url('))
          .map((a) => `${e.localName} ${a.name}=${a.value}`),
      ),
    };
  }, text);
  assert.equal(parsed.error, null, 'the file is not well-formed XML');
  assert.equal(parsed.root, 'http://www.w3.org/2000/svg svg');
  assert.match(parsed.viewBox ?? '', /^0 0 \d+ \d+$/);
  assert.equal(parsed.title, reference, 'the SVG is titled with the artifact’s reference');
  for (const label of labels)
    assert.ok(
      parsed.texts.includes(label),
      `"${label}" is not a text of the exported SVG: ${JSON.stringify(parsed.texts)}`,
    );
  for (const digest of [fixture.subject.digest, note.digest])
    assert.ok(parsed.texts.includes(digest.slice(0, 'sha256:'.length + 12)), `no short digest of ${digest}`);
  const unsafe = parsed.tags.filter((tag) =>
    ['script', 'foreignObject', 'image', 'iframe', 'a', 'use', 'style'].includes(tag),
  );
  assert.deepEqual(unsafe, [], `elements that run or load something: ${unsafe.join(', ')}`);
  assert.deepEqual(
    parsed.references.filter((r) => !/(=#|url\(#)[\w-]+\)?$/.test(r)),
    [],
    'a reference points outside the file',
  );
  assert.doesNotMatch(text.replace(/xmlns(:\w+)?="[^"]*"/g, ''), /<script|javascript:|https?:|file:|data:|@import/i);
}
