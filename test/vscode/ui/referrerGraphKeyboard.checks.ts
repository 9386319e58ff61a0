// The referrer graph end to end by keyboard, as a supply-chain engineer walks a signed artifact with an SBOM and a
// signature on its signature: Tab into the graph from the filter box, arrows to a referrer and on to the referrer's
// referrer, Enter for the details, Tab to their actions and Escape back to the node, "/" to filter by artifact
// type, Escape to clear it and Escape again back to the graph — no mouse at any step.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { attachBytes } from '../../../src/core/supplyChain';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { withSubjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

const SIGNATURE = 'application/vnd.cncf.notary.signature';
const SBOM = 'application/spdx+json';

export function referrerGraphKeyboardChecks(): UiCheck[] {
  return [
    {
      name: 'graph by keyboard alone: Tab in, arrows to a signature and to the signature on it, Enter for details, Escape back, "/" to filter to signatures, Escape twice back to the graph',
      run: (page) => withSubjectLayout('walked', (fixture) => walk(page, fixture)),
    },
  ];
}

function attach(fixture: GraphLayout, subject: Descriptor, artifactType: string, name: string) {
  return attachBytes(fixture.target, subject, {
    artifactType,
    documents: [
      {
        title: name,
        mediaType: artifactType === SBOM ? SBOM : 'application/jose+json',
        bytes: Buffer.from(`{"n":"${name}"}`),
      },
    ],
  });
}

async function walk(page: Page, fixture: GraphLayout): Promise<void> {
  const root = fixture.subject.digest;
  const sbom = await attach(fixture, fixture.subject, SBOM, 'sbom.spdx.json');
  const signature = await attach(fixture, fixture.subject, SIGNATURE, 'signature.jws');
  const countersign = await attach(fixture, signature, SIGNATURE, 'countersignature.jws');
  await closeAllEditors(page);
  const frame = await openGraph(page, `oci:${fixture.layout}:walked`);
  await frame.locator('g.node').nth(3).waitFor();
  const focused = () =>
    frame.locator('body').evaluate((body) => {
      const active = body.ownerDocument.activeElement;
      return active?.getAttribute('data-digest') ?? active?.id ?? active?.tagName ?? null;
    });
  const press = async (key: string) => {
    await page.keyboard.press(key);
    await page.waitForTimeout(150);
  };

  // Tab from the toolbar's filter box reaches the graph, on its subject (one Tab stop for the whole graph).
  await frame.locator('#type-filter').focus();
  for (let i = 0; i < 6 && (await focused()) !== root; i++) await press('Tab');
  assert.equal(await focused(), root, 'Tab from the filter box did not reach the subject');

  // Referrers are to the right: the arrows reach the signature (the SBOM is the other one), then the signature on it.
  await press('ArrowRight');
  const first = await focused();
  assert.ok(first === signature.digest || first === sbom.digest, `ArrowRight went to ${first}`);
  if (first === sbom.digest) await press(await below(frame, sbom.digest, signature.digest));
  assert.equal(await focused(), signature.digest, 'the arrows did not reach the signature');
  await press('Enter');
  await frame.locator('.details dd', { hasText: signature.digest }).first().waitFor();
  await press('ArrowRight');
  assert.equal(await focused(), countersign.digest, 'ArrowRight from the signature did not reach the signature on it');
  await press('Enter');
  await frame.locator('.details dd', { hasText: countersign.digest }).first().waitFor();

  // Tab reaches the details' actions; Escape there comes back to the node they show.
  await press('Tab');
  const inDetails = await frame
    .locator('body')
    .evaluate((body) => !!body.ownerDocument.activeElement?.closest('.details, aside'));
  assert.ok(inDetails, `Tab from the node went to ${await focused()}, not the details`);
  await press('Escape');
  assert.equal(await focused(), countersign.digest, 'Escape in the details did not come back to the node');

  // "/" filters by type: "signature" leaves the two signatures, the SBOM goes.
  await press('/');
  assert.equal(await focused(), 'type-filter', '"/" did not focus the filter box');
  await page.keyboard.type('signature');
  await waitFor(async () => (await frame.locator('g.node').count()) === 3, 'the SBOM filtered out');
  assert.equal(await frame.locator(`g.node[data-digest="${sbom.digest}"]`).count(), 0);
  // Escape clears the filter (the SBOM is back), and Escape again goes back to the graph, on the node last shown.
  await press('Escape');
  await waitFor(async () => (await frame.locator('g.node').count()) === 4, 'the SBOM back');
  await press('Escape');
  assert.equal(await focused(), countersign.digest, 'Escape in the empty filter box did not go back to the graph');
  await press('Home');
  assert.equal(await focused(), root, 'Home did not reach the subject');
}

/** The arrow that goes from `from` to `to` (the two referrers of the subject stand one above the other). */
async function below(frame: FrameLocator, from: string, to: string): Promise<string> {
  const y = (digest: string) =>
    frame.locator(`g.node[data-digest="${digest}"]`).evaluate((node) => node.getBoundingClientRect().y);
  return (await y(to)) > (await y(from)) ? 'ArrowDown' : 'ArrowUp';
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
