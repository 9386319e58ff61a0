import * as assert from 'node:assert/strict';
import { PagedList, SCAN_PAGES } from '../../../src/vscode/tree/PagedList';
import { nameFilter } from '../../../src/core/registry/nameFilter';

function pages(...all: string[][]): { iterator: AsyncIterator<string[]>; fetched: () => number } {
  let fetched = 0;
  async function* generate() {
    for (const page of all) {
      fetched++;
      yield page;
    }
  }
  return { iterator: generate(), fetched: () => fetched };
}

describe('paged lists', () => {
  it('fetches one full page per grow and knows when it is done', async () => {
    const source = pages(['a', 'b'], ['c', 'd'], ['e']);
    const list = new PagedList(source.iterator, 2);
    await list.grow();
    assert.deepEqual(list.items, ['a', 'b']);
    assert.equal(list.done, false);
    assert.equal(source.fetched(), 1);
    await list.grow();
    await list.grow();
    assert.deepEqual(list.items, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(list.done, true);
  });

  it('treats a short page as possibly the last and confirms it', async () => {
    const list = new PagedList(pages(['a']).iterator, 100);
    await list.grow();
    assert.equal(list.done, true);
  });

  it('is done after a registry that ignores the page size sent everything at once (no Load more… that loads nothing)', async () => {
    const all = Array.from({ length: 161 }, (_, i) => `v${i}`);
    const list = new PagedList(pages(all).iterator, 100);
    await list.grow();
    assert.equal(list.items.length, 161);
    assert.equal(list.done, true);
  });

  it('shows the next page at once when a registry that ignores the page size pages at its own size', async () => {
    const source = pages(['a', 'b', 'c'], ['d', 'e', 'f'], ['g']);
    const list = new PagedList(source.iterator, 2);
    await list.grow();
    assert.deepEqual(list.items, ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.equal(list.done, false);
    assert.equal(source.fetched(), 2);
  });

  it('keeps filling when the registry sends smaller pages than asked, up to one page worth', async () => {
    const source = pages(['a'], ['b'], ['c'], ['d']);
    const list = new PagedList(source.iterator, 3);
    await list.grow();
    assert.deepEqual(list.items, ['a', 'b', 'c']);
    assert.equal(source.fetched(), 3);
  });

  it('shares one fetch between concurrent requests', async () => {
    const source = pages(['a', 'b'], ['c', 'd']);
    const list = new PagedList(source.iterator, 2);
    await Promise.all([list.grow(), list.grow()]);
    assert.deepEqual(list.items, ['a', 'b']);
  });

  it('ends the request in flight when closed, and says when a page is loading', async () => {
    const controller = new AbortController();
    const iterator: AsyncIterator<string[]> = {
      next: () =>
        new Promise((_resolve, reject) =>
          controller.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    };
    const list = new PagedList(iterator, 10, () => controller.abort());
    const growing = list.grow();
    assert.equal(list.loading, true);
    list.close();
    await assert.rejects(growing, /aborted/);
    assert.equal(list.loading, false);
    assert.equal(list.done, true);
  });

  describe('with a filter', () => {
    it('keeps fetching pages until a page of matches fills, and goes on from there with the next grow', async () => {
      const source = pages(['a1', 'b1', 'c1'], ['a2', 'b2', 'c2'], ['b3', 'a3', 'a4'], ['a5']);
      // Tag lists come in no particular order: only `matches` is given.
      const list = new PagedList(source.iterator, 3, undefined, { matches: nameFilter('a*').matches });
      await list.grow();
      assert.deepEqual(list.items, ['a1', 'a2', 'a3', 'a4']);
      assert.equal(source.fetched(), 3, 'no page fetched beyond the one that filled the matches');
      assert.equal(list.scanned, 9);
      assert.equal(list.done, false);
      await list.grow();
      assert.deepEqual(list.items, ['a1', 'a2', 'a3', 'a4', 'a5']);
      assert.equal(list.done, true);
    });

    it('stops a request to grow after scanning SCAN_PAGES pages without filling, leaving Load more', async () => {
      const all = Array.from({ length: SCAN_PAGES * 2 }, (_, i) => [`x${i}a`, `x${i}b`]);
      const source = pages(...all, ['match']);
      const list = new PagedList(source.iterator, 2, undefined, nameFilter('match'));
      await list.grow();
      assert.deepEqual(list.items, []);
      assert.equal(source.fetched(), SCAN_PAGES);
      assert.equal(list.done, false);
      await list.grow();
      await list.grow();
      assert.deepEqual(list.items, ['match']);
      assert.equal(list.done, true);
    });

    it('ends a sorted listing once it has passed every name a prefix glob can match', async () => {
      const source = pages(['team/a', 'team/b'], ['tools/x', 'zeta'], ['zz']);
      const list = new PagedList(source.iterator, 10, undefined, nameFilter('team/*'));
      await list.grow();
      assert.deepEqual(list.items, ['team/a', 'team/b']);
      assert.equal(list.done, true);
      assert.equal(source.fetched(), 2, 'the page after the last possible match is never fetched');
    });

    it('ends early in CNCF distribution’s order too ("/" sorts first)', async () => {
      const source = pages(['team/a', 'team/b', 'team-x'], ['teams', 'zz'], ['zzz']);
      const list = new PagedList(source.iterator, 10, undefined, nameFilter('team/*'));
      await list.grow();
      assert.deepEqual(list.items, ['team/a', 'team/b']);
      assert.equal(source.fetched(), 2);
      assert.equal(list.done, true);
    });

    it('does not end early a listing that turns out not to be sorted', async () => {
      const source = pages(['team/b', 'alpha'], ['tools/x', 'team/a']);
      const list = new PagedList(source.iterator, 10, undefined, nameFilter('team/*'));
      await list.grow();
      assert.deepEqual(list.items, ['team/b', 'team/a']);
    });
  });
});
