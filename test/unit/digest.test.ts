import * as assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { digestProblem } from '../../src/core/oci/digest';
import { digestOf, HashingStream, verifyBytes } from '../../src/core/content/hashing';
import { EMPTY_DIGEST } from '../../src/core/oci/mediaTypes';
import { EMPTY_JSON } from '../../src/core/content';
import { OciError } from '../../src/core/oci/errors';
import { shortDigest } from '../../src/core/oci';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

describe('digest', () => {
  it('computes the well-known digest of the empty JSON object', () => {
    assert.equal(digestOf(EMPTY_JSON), EMPTY_DIGEST);
  });

  it('accepts sha256 and sha512 digests and explains what is wrong with others', () => {
    assert.equal(digestProblem(EMPTY_DIGEST), undefined);
    assert.equal(digestProblem(digestOf('x', 'sha512')), undefined);
    assert.match(digestProblem('sha256:abc')!, /64 hex characters/);
    assert.match(digestProblem(EMPTY_DIGEST.toUpperCase().replace('SHA256', 'sha256'))!, /lowercase hex/);
    assert.match(digestProblem('md5:d41d8cd98f00b204e9800998ecf8427e')!, /unsupported algorithm/);
    assert.match(digestProblem('nocolon')!, /<algorithm>:<hex>/);
  });

  it('verifies bytes against digest and size', () => {
    verifyBytes('x', EMPTY_JSON, EMPTY_DIGEST, 2);
    assert.throws(
      () => verifyBytes('blob', Buffer.from('{ }'), EMPTY_DIGEST),
      (e: unknown) => OciError.is(e, 'DIGEST_MISMATCH'),
    );
    assert.throws(() => verifyBytes('blob', EMPTY_JSON, EMPTY_DIGEST, 3), /size mismatch/);
  });

  it('hashes while streaming and fails the stream on a mismatch', async () => {
    const ok = new HashingStream({ expected: EMPTY_DIGEST, expectedSize: 2 });
    await pipeline(Readable.from([Buffer.from('{'), Buffer.from('}')]), ok, sink());
    assert.equal(ok.digest, EMPTY_DIGEST);
    assert.equal(ok.bytes, 2);

    const bad = new HashingStream({ expected: EMPTY_DIGEST, what: 'layer' });
    await assert.rejects(pipeline(Readable.from([Buffer.from('{ }')]), bad, sink()), /layer: digest mismatch/);

    const tooLong = new HashingStream({ expected: EMPTY_DIGEST, expectedSize: 2, what: 'layer' });
    await assert.rejects(
      pipeline(Readable.from([Buffer.from('{}}')]), tooLong, sink()),
      /more than the expected 2 bytes/,
    );
  });

  it('shortens a digest to 12 hex characters, with its algorithm when the graph asks', () => {
    const digest = `sha256:${'0123456789ab'.repeat(5)}abcd`;
    assert.equal(shortDigest(digest), '0123456789ab');
    assert.equal(shortDigest(digest, { withAlgorithm: true }), 'sha256:0123456789ab');
  });
});
