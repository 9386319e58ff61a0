// `--platform` (copy, pull, manifest fetch) reads an index's entries as descriptors with a platform of strings: an
// index whose entries are anything else is refused by name, not met with a JavaScript error.
import * as assert from 'node:assert/strict';
import { MemoryTarget } from '../../../src/core/memory';
import { digestOf } from '../../../src/core/content';
import { MediaType, OciError } from '../../../src/core/oci';
import { resolveOneManifest, resolvePlatform } from '../../../src/cli/platform';

async function pushIndex(target: MemoryTarget, manifests: unknown[], tag: string): Promise<void> {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
  await target.pushManifest({ mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length }, bytes, {
    tag,
  });
}

describe('--platform over a hostile index', () => {
  it('refuses an index whose entry is no descriptor or whose platform is no object of strings, naming it', async () => {
    const target = new MemoryTarget();
    const entry = { mediaType: MediaType.ociManifest, digest: digestOf('m'), size: 1 };
    await pushIndex(target, [null], 'null-entry');
    await pushIndex(target, [{ ...entry, platform: { os: { toString: 'x' }, architecture: 'amd64' } }], 'os-object');
    const signal = new AbortController().signal;
    for (const [tag, problem] of [
      ['null-entry', /has an entry \(1 of 1\) that is not an object/],
      ['os-object', /has a platform that has a "os" that is not a string/],
    ] as const) {
      const refused = (err: Error) => OciError.is(err, 'INVALID_CONTENT') && problem.test(err.message);
      await assert.rejects(resolvePlatform(target, tag, 'linux/arm64', signal), refused, tag);
      await assert.rejects(resolveOneManifest(target, tag, undefined, signal), refused, tag);
    }
  });
});
