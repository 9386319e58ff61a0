import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryTarget } from '../../../src/core/memory';
import type { StoreRef } from '../../../src/core/oci';
import { ArtifactDescriptions } from '../../../src/vscode/tree/ArtifactDescriptions';
import type { ManifestNode } from '../../../src/vscode/tree/nodes';
import { pushArtifact } from '../../helpers/sampleArtifact';

const store: StoreRef = { kind: 'layout', path: '/tmp/tags-on-one-digest' };

/** `count` tags on one manifest, each row described as the tree draws it; `drawn` counts the redraws asked. */
async function describedTags(count: number) {
  const target = new MemoryTarget();
  const { manifest } = await pushArtifact(target, 'one manifest', { tag: 't0' });
  for (let i = 1; i < count; i++) await target.tag(manifest, `t${i}`);
  const drawn = new Map<ManifestNode, number>();
  const descriptions = new ArtifactDescriptions(
    async () => target,
    () => true,
    (node) => drawn.set(node, (drawn.get(node) ?? 0) + 1),
  );
  const rows: ManifestNode[] = [];
  for (let i = 0; i < count; i++) rows.push({ type: 'manifest', id: `t${i}`, store, tag: `t${i}` });
  for (const row of rows) descriptions.of(row);
  while (rows.some((row) => !descriptions.of(row))) await sleep(20);
  await sleep(300); // the rows' redraw, put off so that tags named together draw them once
  const other = (row: ManifestNode) => descriptions.otherTags(row, descriptions.of(row)!);
  return { rows, drawn, other, descriptions };
}

describe('tags naming one manifest in the tree', () => {
  it('draws the rows of 1,500 tags on one digest a few times each, not once per other tag named', async () => {
    const { rows, drawn, descriptions } = await describedTags(1500);
    const redraws = [...drawn.values()].reduce((a, b) => a + b, 0);
    // Each row: once when described, then once per redraw of its digest's rows. It was once per other tag (1.1 M).
    assert.ok(redraws < rows.length * 10, `${redraws} redraws for ${rows.length} rows`);
    descriptions.dispose();
  });

  it('gives a row the first 20 other tags by name, without itself, and counts them all', async () => {
    const { rows, other, descriptions } = await describedTags(25);
    const names = rows.map((r) => r.tag!).sort();
    const t0 = other(rows[0]!);
    assert.deepEqual(t0.names, names.filter((t) => t !== 't0').slice(0, 20));
    assert.equal(t0.count, 24);
    const last = other(rows.find((r) => r.tag === names.at(-1))!);
    assert.deepEqual(last.names, names.slice(0, 20));
    assert.equal(last.count, 24);
    descriptions.dispose();
  });
});
