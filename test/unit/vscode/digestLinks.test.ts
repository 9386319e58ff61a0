import * as assert from 'node:assert/strict';
import { digestLinks } from '../../../src/vscode/documents/digestLinks';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('digest links in manifest documents', () => {
  it('finds each descriptor digest with the media type that decides what it opens', () => {
    const text = JSON.stringify(
      {
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: d('a'), size: 2 },
        layers: [
          {
            mediaType: 'text/plain',
            digest: d('b'),
            size: 5,
            annotations: { 'org.opencontainers.image.title': 'x.txt' },
          },
        ],
        subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('c'), size: 100 },
      },
      null,
      2,
    );
    const links = digestLinks(text);
    assert.deepEqual(
      links.map((l) => [l.descriptor.digest, l.descriptor.mediaType]),
      [
        [d('a'), 'application/vnd.oci.empty.v1+json'],
        [d('b'), 'text/plain'],
        [d('c'), 'application/vnd.oci.image.manifest.v1+json'],
      ],
    );
    for (const link of links) assert.equal(text.slice(link.offset, link.offset + link.length), link.descriptor.digest);
    assert.equal(links[1]!.descriptor.annotations?.['org.opencontainers.image.title'], 'x.txt');
  });

  it('ignores malformed digests and objects without a media type', () => {
    const text = JSON.stringify({
      a: { mediaType: 'x', digest: 'sha256:../../etc', size: 1 },
      b: { digest: d('e'), size: 1 },
    });
    assert.deepEqual(digestLinks(text), []);
  });
});
