import * as assert from 'node:assert/strict';
import { FILTERS_KEY, RegistryFilters, type FilterMemento } from '../../../src/vscode/tree/RegistryFilters';
import { sortByRecent } from '../../../src/vscode/tree/tagOrder';
import { sortTags } from '../../../src/vscode/tree/labels';

class MapMemento implements FilterMemento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value));
  }
}

describe('the Registries view’s filters', () => {
  it('keep one repository filter per registry and one tag filter per repository, in the memento', async () => {
    const memento = new MapMemento();
    const filters = new RegistryFilters(memento);
    const changes: unknown[] = [];
    filters.onDidChange((scope) => changes.push(scope));
    await filters.set({ host: 'ghcr.io' }, ' team/* ');
    await filters.set({ host: 'ghcr.io', repository: 'team/app' }, 'v1.*');
    await filters.set({ host: 'docker.io' }, 'acme');
    assert.equal(filters.get({ host: 'ghcr.io' }), 'team/*');
    assert.equal(filters.get({ host: 'ghcr.io', repository: 'team/app' }), 'v1.*');
    assert.equal(filters.get({ host: 'ghcr.io', repository: 'team/web' }), undefined);
    assert.deepEqual(memento.values.get(FILTERS_KEY), {
      'ghcr.io': { repositories: 'team/*', tags: { 'team/app': 'v1.*' } },
      'docker.io': { repositories: 'acme' },
    });
    assert.equal(changes.length, 3);
    // A new window reads the same state.
    assert.equal(new RegistryFilters(memento).get({ host: 'docker.io' }), 'acme');
  });

  it('describe only registries the view shows; an empty pattern clears; clear() clears all', async () => {
    const filters = new RegistryFilters(new MapMemento());
    await filters.set({ host: 'ghcr.io' }, 'app');
    await filters.set({ host: 'ghcr.io', repository: 'team/app' }, 'v?');
    await filters.set({ host: 'gone.example' }, 'x');
    assert.equal(
      filters.describe((h) => h === 'ghcr.io'),
      'Filter: ghcr.io “app” · ghcr.io/team/app tags “v?”',
    );
    await filters.set({ host: 'ghcr.io' }, '');
    await filters.set({ host: 'ghcr.io', repository: 'team/app' }, undefined);
    assert.equal(
      filters.describe((h) => h === 'ghcr.io'),
      undefined,
    );
    assert.equal(filters.active, true, 'gone.example still has one');
    await filters.clear();
    assert.equal(filters.active, false);
  });

  it('ignores a memento value that is not an object', () => {
    const memento = new MapMemento();
    memento.values.set(FILTERS_KEY, 'nonsense');
    assert.equal(new RegistryFilters(memento).get({ host: 'a' }), undefined);
  });
});

describe('tags by recent creation', () => {
  it('puts dated tags newest first, then the undated ones in the fallback order', () => {
    const created = new Map<string, number | undefined>([
      ['old', 1],
      ['new', 3],
      ['mid', 2],
      ['v1', undefined],
    ]);
    assert.deepEqual(
      sortByRecent(['v1', 'old', 'latest', 'new', 'v2', 'mid'], created, (t) => sortTags(t, 'semver')),
      ['new', 'mid', 'old', 'latest', 'v2', 'v1'],
    );
  });
});
