// Lazy expansion in the graph: a chain of referrers (each signing the one before) deeper than
// stowage.graph.initialDepth (3) loads its first levels only, marks the last loaded node "+ more", and loads
// the next levels when that is clicked, or when "+" is pressed on the focused node.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { attachChain, withSubjectLayout, type GraphLayout } from './graphFixtures';
import { closeAllEditors, nodeSelector, openGraph } from './graphPage';
import type { UiCheck } from './uiCheck';

const INITIAL_DEPTH = 3;
const CHAIN_LENGTH = 7;

export function referrerGraphExpandChecks(): UiCheck[] {
  return [
    {
      name: 'graph expansion: a chain deeper than the initial depth shows "+ more" on its last loaded node, and clicking it, then "+", loads the deeper nodes',
      run: (page) => withSubjectLayout('deep', (fixture) => expandChain(page, fixture)),
    },
  ];
}

async function expandChain(page: Page, fixture: GraphLayout): Promise<void> {
  // chain[i] is at depth i + 1.
  const chain = await attachChain(fixture.target, fixture.subject, CHAIN_LENGTH);
  await closeAllEditors(page);
  const frame = await openGraph(page, `oci:${fixture.layout}:deep`);
  const atDepth = (depth: number) => frame.locator(nodeSelector(chain[depth - 1]!.digest));
  await atDepth(INITIAL_DEPTH).waitFor();

  const drawn = async () =>
    (await frame.locator('g.node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-digest')))).sort();
  const expected = (depth: number) => [fixture.subject.digest, ...chain.slice(0, depth).map((d) => d.digest)].sort();
  assert.deepEqual(
    await drawn(),
    expected(INITIAL_DEPTH),
    'the first load is not exactly the subject and three levels',
  );
  for (let depth = INITIAL_DEPTH + 1; depth <= CHAIN_LENGTH; depth++)
    assert.equal(await atDepth(depth).count(), 0, `depth ${depth} is drawn before expanding`);
  const expanders = frame.locator('[data-expand]');
  assert.deepEqual(
    await expanders.evaluateAll((all) => all.map((e) => e.getAttribute('data-expand'))),
    [chain[INITIAL_DEPTH - 1]!.digest],
    'only the deepest loaded node offers to expand',
  );
  assert.equal(await expanders.first().textContent(), '+ more');

  // Clicking "+ more" loads the next initialDepth levels below that node.
  await expanders.first().click();
  await atDepth(2 * INITIAL_DEPTH).waitFor();
  assert.deepEqual(await drawn(), expected(2 * INITIAL_DEPTH));
  assert.equal(await frame.locator('g.edge').count(), 2 * INITIAL_DEPTH);
  assert.deepEqual(await expanders.evaluateAll((all) => all.map((e) => e.getAttribute('data-expand'))), [
    chain[2 * INITIAL_DEPTH - 1]!.digest,
  ]);
  // The expanded node keeps the focus, so the keyboard can go on from there.
  assert.equal(await frame.locator('g.node:focus').getAttribute('data-digest'), chain[INITIAL_DEPTH - 1]!.digest);

  // "+" on the focused node expands it: the last level arrives and nothing is left to expand.
  await atDepth(2 * INITIAL_DEPTH).focus();
  await page.keyboard.press('+');
  await atDepth(CHAIN_LENGTH).waitFor();
  assert.deepEqual(await drawn(), expected(CHAIN_LENGTH));
  assert.equal(await expanders.count(), 0, 'a node still offers to expand after the whole chain is loaded');
}
