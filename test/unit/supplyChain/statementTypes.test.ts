// A statement read only to name a tree row gives up after its own short deadline: a registry that sends the headers
// and then nothing (or a byte now and then) held a row's label for the document read's 120 s.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { ReadOnlyTarget } from '../../../src/core/content';
import { digestOf } from '../../../src/core/content';
import { type Manifest, MediaType } from '../../../src/core/oci';
import { statementTypes } from '../../../src/core/supplyChain/predicateTypes';

describe('statementTypes', () => {
  it('names nothing once a statement read passes the deadline it is given, and stops the read', async () => {
    const layer = { mediaType: MediaType.inToto, digest: digestOf(Buffer.from('{')), size: 1000 };
    const manifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: MediaType.inToto,
      config: { mediaType: MediaType.ociEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
      layers: [layer],
    } as Manifest;
    const bodies: PassThrough[] = [];
    const stalling = {
      fetchBlob: async () => {
        const body = new PassThrough();
        body.write('{'); // one byte, then nothing
        bodies.push(body);
        return body;
      },
    } as unknown as ReadOnlyTarget;
    const started = Date.now();
    assert.deepEqual(await statementTypes(stalling, manifest, 256 * 1024, undefined, 300), []);
    const took = Date.now() - started;
    assert.ok(took < 5_000, `took ${took} ms`);
    assert.equal(bodies.length, 1);
    assert.equal(bodies[0]!.destroyed, true, 'the stalled read was stopped');
  });
});
