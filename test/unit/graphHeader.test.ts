// The referrer graph's header names the store once: the location beside the reference only when the reference
// does not already name that store.
import * as assert from 'node:assert/strict';
import { headerLocation } from '../../src/protocol/graphHeader';

describe('graph header location', () => {
  it('is left out when the reference names the store by its tag or digest (a layout, a repository)', () => {
    assert.equal(headerLocation('oci:/work/demo-layout:v1', 'oci:/work/demo-layout'), '');
    assert.equal(headerLocation(`127.0.0.1:5000/team/app@sha256:${'a'.repeat(64)}`, '127.0.0.1:5000/team/app'), '');
    assert.equal(headerLocation('oci-archive:/work/app.tar', 'oci-archive:/work/app.tar'), '');
  });

  it('is shown when the reference names the store otherwise', () => {
    assert.equal(headerLocation('oci:/work/demo-layout-2:v1', 'oci:/work/demo-layout'), 'oci:/work/demo-layout');
    assert.equal(
      headerLocation('docker.io/library/app:v1', 'registry-1.docker.io/library/app'),
      'registry-1.docker.io/library/app',
    );
  });
});
