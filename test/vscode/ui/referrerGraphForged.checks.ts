// A forged referrer listing in the graph: someone with push rights adds an unrelated artifact to the subject's
// fallback index. The graph draws the true referrer only and says, in a warning that opens to the reason, that one
// listed referrer is not shown.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { pushArtifact } from '../../../src/core/files/artifact';
import { addToFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { attachNote, withSubjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, nodeSelector, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

export function referrerGraphForgedChecks(): UiCheck[] {
  return [
    {
      name: 'graph with a forged fallback listing: the unrelated artifact is not drawn; a warning says 1 listed referrer is not shown and, opened, why',
      run: (page) => withSubjectLayout('forged', (fixture) => forgedListing(page, fixture)),
    },
  ];
}

async function forgedListing(page: Page, fixture: GraphLayout): Promise<void> {
  const note = await attachNote(fixture.target, fixture.subject, 'note');
  const file = path.join(fixture.dir, 'prod.txt');
  fs.writeFileSync(file, 'an unrelated image\n');
  const prod = (await pushArtifact(fixture.target, [file], { tag: 'prod' })).descriptor;
  await addToFallbackIndex(fixture.target, fixture.subject.digest, prod);

  await closeAllEditors(page);
  const frame = await openGraph(page, `oci:${fixture.layout}:forged`);
  await frame.locator(nodeSelector(note.digest)).waitFor({ timeout: 30_000 });
  const notice = frame.locator('details.not-referrers');
  await notice.waitFor({ state: 'visible' });
  assert.equal(
    await notice.locator('summary').innerText(),
    '1 listed referrer is not shown: not a referrer of what lists it.',
  );
  assert.equal(await notice.locator('li').isVisible(), false, 'the reason waits until the warning is opened');
  await notice.locator('summary').click();
  assert.equal(
    await notice.locator('li').innerText(),
    `${prod.digest} is listed as a referrer of ${fixture.subject.digest} but is not one (its manifest names no subject); not shown`,
  );
  assert.equal(await frame.locator(nodeSelector(prod.digest)).count(), 0, 'the forged entry is not drawn');
  assert.equal(await frame.locator('g.node').count(), 2, 'the subject and its true referrer');
}
