import * as assert from 'node:assert/strict';
import { PagedList } from '../../../src/vscode/tree/PagedList';

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
});
