import * as assert from 'node:assert/strict';
import { formatReference, parseReference, registryId, storeId, storeOf, type StoreRef } from '../../src/core/oci';

describe('StoreRef', () => {
  it('is the store a reference points into, with tag and digest dropped', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(storeOf(parseReference(`127.0.0.1:5000/team/app:v1@${digest}`)), {
      kind: 'registry',
      host: '127.0.0.1:5000',
      repository: 'team/app',
    });
    assert.deepEqual(storeOf(parseReference('oci:/data/layout:v1')), { kind: 'layout', path: '/data/layout' });
  });

  it('is a Reference itself, so it formats and parses back to the same store', () => {
    const stores: StoreRef[] = [
      { kind: 'registry', host: 'docker.io', repository: 'library/alpine' },
      { kind: 'layout', path: '/data/layout' },
    ];
    for (const store of stores) assert.deepEqual(storeOf(parseReference(formatReference(store))), store);
  });

  it('has one id per store, under its registry id for a registry repository', () => {
    const app: StoreRef = { kind: 'registry', host: 'ghcr.io', repository: 'team/app' };
    assert.equal(storeId(app), 'registry:ghcr.io/team/app');
    assert.ok(storeId(app).startsWith(`${registryId('ghcr.io')}/`));
    assert.equal(storeId({ kind: 'layout', path: '/data/layout' }), 'layout:/data/layout');
    assert.notEqual(storeId(app), storeId({ kind: 'registry', host: 'ghcr.io', repository: 'team/app2' }));
  });
});
