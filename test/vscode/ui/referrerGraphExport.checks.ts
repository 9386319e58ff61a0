// "Export SVG" as a user runs it: the button in the graph, the save dialog answered with a path, and the file
// written there checked as a standalone drawing: well-formed SVG, the node labels as text, nothing that runs or
// loads anything (it will be opened outside VS Code, by anyone).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { answerFileDialog } from '../harness/workbench';
import { attachNote, withSubjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, nodeSelector, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

export function referrerGraphExportChecks(): UiCheck[] {
  return [
    {
      name: 'graph Export SVG asks where to save and writes a well-formed SVG with the node labels as text, no script and no external reference',
      run: (page) => withSubjectLayout('v1', (fixture) => exportAndCheck(page, fixture)),
    },
  ];
}

async function exportAndCheck(page: Page, fixture: GraphLayout): Promise<void> {
  const note = await attachNote(fixture.target, fixture.subject, 'exported-note');
  await closeAllEditors(page);
  const frame = await openGraph(page, `oci:${fixture.layout}:v1`);
  await frame.locator(nodeSelector(note.digest)).waitFor();
  const labels = (await frame.locator('g.node text').allTextContents()).filter((text) => text.trim() !== '');

  const file = path.join(fixture.dir, 'exported graph.svg');
  await frame.getByRole('button', { name: 'Export SVG' }).click();
  await page.locator('.quick-input-widget', { hasText: 'Export Referrer Graph' }).waitFor({ state: 'visible' });
  await answerFileDialog(page, file);
  await frame.locator('.banner.info', { hasText: `Saved ${file}` }).waitFor();

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
