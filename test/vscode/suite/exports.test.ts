// Other extensions can read Stowage's exports: nothing reachable from them may lead to saved passwords.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { exportsFor, type ExtensionParts } from '../../../src/vscode/testApi';
import { stowageApi } from './helpers/stowage';

/** Every object reachable from `root` through properties (own, inherited data properties, array items, maps). */
function reachableObjects(root: unknown): Set<object> {
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) for (const [k, v] of value) pending.push(k, v);
    if (value instanceof Set) for (const v of value) pending.push(v);
    for (
      let owner: object | null = value;
      owner && owner !== Object.prototype && owner !== Function.prototype;
      owner = Object.getPrototypeOf(owner)
    ) {
      for (const key of Reflect.ownKeys(owner)) {
        const property = Object.getOwnPropertyDescriptor(owner, key);
        if (property && 'value' in property) pending.push(property.value);
      }
    }
  }
  return seen;
}

/** SecretStorage, or anything that wraps it, has these; no other part of the API needs them. */
function looksLikeSecretStore(value: object): boolean {
  const record = value as Record<string, unknown>;
  const hasMethods = ['get', 'store', 'delete'].every((name) => typeof record[name] === 'function');
  return hasMethods || Object.prototype.hasOwnProperty.call(value, 'secrets');
}

describe('Stowage exports', () => {
  it('in production and development exports nothing, so no extension reaches its credential store', () => {
    const secretStore = { get: async () => 'password', store: async () => undefined, delete: async () => undefined };
    const parts = {
      writeLogin: async () => undefined,
      registries: { secrets: secretStore },
    } as unknown as ExtensionParts;
    const lazy = {
      current: () => parts,
      load: async () => parts,
      activation: () => ({ activationMs: 0, workbenchLoaded: true }),
      lintThreadChecks: () => 0,
    };
    assert.equal(exportsFor(vscode.ExtensionMode.Production, lazy), undefined);
    assert.equal(exportsFor(vscode.ExtensionMode.Development, lazy), undefined);
  });

  it('under test exports a facade from which no SecretStorage or credential store is reachable', async () => {
    const api = await stowageApi();
    const exported = vscode.extensions.getExtension('stowage.stowage')?.exports;
    assert.equal(exported, api);
    const stores = [...reachableObjects(exported)].filter(looksLikeSecretStore);
    assert.deepEqual(
      stores.map((store) => Object.keys(store)),
      [],
      'a secret store is reachable from the exports',
    );
    assert.ok(reachableObjects(exported).size > 10, 'the walk saw the facade');
  });
});
