// What a graph node's details offer by what the node is: no SBOM attached to a signature, an SBOM or an
// attestation; no signature of a signature; an SBOM or an attestation may be signed (that is what makes it count).
import * as assert from 'node:assert/strict';
import { nodeActionsOf } from '../../src/protocol/messages';

describe('graph node actions by kind', () => {
  it('offers Attach SBOM… on artifacts only and Attach Signature… on all but signatures', () => {
    const of = (family: 'signature' | 'sbom' | 'attestation' | 'other', isRoot = false) =>
      nodeActionsOf({ family }, isRoot);
    assert.deepEqual(of('other'), [
      'openManifest',
      'pull',
      'copyReference',
      'attachSbom',
      'attachSignature',
      'attachFile',
      'verify',
      'showGraph',
      'delete',
    ]);
    assert.ok(!of('signature').includes('attachSbom'));
    assert.ok(!of('signature').includes('attachSignature'));
    for (const family of ['sbom', 'attestation'] as const) {
      assert.ok(!of(family).includes('attachSbom'), family);
      assert.ok(of(family).includes('attachSignature'), family);
    }
    assert.ok(of('signature').includes('attachFile') && of('signature').includes('verify'));
    assert.ok(!of('other', true).includes('showGraph'), 'the root is the graph shown');
  });
});
