// `stowage:` URIs are checked when parsed: only a well-formed registry host and repository or an absolute layout
// path, a digest of checked shape, a printable media type and a whole size get through, with an error naming
// the part at fault.
import * as assert from 'node:assert/strict';
import { parseStowageDocument } from '../../../src/vscode/documents/stowageDocumentRef';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function query(
  store: unknown,
  extra: Record<string, string> = { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: '123' },
): string {
  return new URLSearchParams({ store: typeof store === 'string' ? store : JSON.stringify(store), ...extra }).toString();
}

function parse(path: string, q: string) {
  return parseStowageDocument(path, q, `stowage:${path}`);
}

describe('stowage: URIs', () => {
  it('reads a registry manifest and a layout blob', () => {
    assert.deepEqual(
      parse(
        `/manifest/${DIGEST}/manifest.json`,
        query({ kind: 'registry', host: '127.0.0.1:5000', repository: 'team/app' }),
      ),
      {
        kind: 'manifest',
        store: { kind: 'registry', host: '127.0.0.1:5000', repository: 'team/app' },
        descriptor: { digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 123 },
      },
    );
    const blob = parse(
      `/blob/${DIGEST}/notes.md`,
      query({ kind: 'layout', path: '/work/layout' }, { mediaType: 'text/markdown', size: '7' }),
    );
    assert.deepEqual(blob.store, { kind: 'layout', path: '/work/layout' });
  });

  it('keeps a layout archive an archive (and takes only a literal true as saying so)', () => {
    const archived = parse(`/manifest/${DIGEST}/m.json`, query({ kind: 'layout', path: '/work/x.tar', archive: true }));
    assert.deepEqual(archived.store, { kind: 'layout', path: '/work/x.tar', archive: true });
    const odd = parse(`/manifest/${DIGEST}/m.json`, query({ kind: 'layout', path: '/work/x', archive: 'yes' }));
    assert.deepEqual(odd.store, { kind: 'layout', path: '/work/x' });
  });

  const refused: [string, string, string, RegExp][] = [
    [
      'an unknown kind',
      `/config/${DIGEST}/x`,
      query({ kind: 'layout', path: '/l' }),
      /neither \/manifest\/ nor \/blob\//,
    ],
    ['a malformed digest', '/manifest/sha256:zz/x', query({ kind: 'layout', path: '/l' }), /sha256:zz|digest/],
    ['no digest', '/manifest', query({ kind: 'layout', path: '/l' }), /names no digest/],
    [
      'a host with a path in it',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'registry', host: 'evil.example/../x', repository: 'a' }),
      /is not a host name/,
    ],
    [
      'a host with a user',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'registry', host: 'user@evil.example', repository: 'a' }),
      /is not a host name/,
    ],
    [
      'a repository with upper case and ..',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'registry', host: 'r.example', repository: '../Etc' }),
      /repository/,
    ],
    [
      'a host that is not a string',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'registry', host: 5, repository: 'a' }),
      /needs a host and a repository/,
    ],
    [
      'a relative layout path',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'layout', path: 'layouts/../x' }),
      /absolute path/,
    ],
    [
      'a layout path with a control character',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'layout', path: '/l\u001b[2J' }),
      /absolute path without control characters/,
    ],
    ['an unknown store kind', `/manifest/${DIGEST}/x`, query({ kind: 'memory' }), /no registry or layout store/],
    ['a store that is not JSON', `/manifest/${DIGEST}/x`, query('{kind:'), /not JSON/],
    [
      'a media type with a new line',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'layout', path: '/l' }, { mediaType: 'text/plain\n[x](command:y)', size: '1' }),
      /media type/,
    ],
    [
      'a size that is not a whole number',
      `/manifest/${DIGEST}/x`,
      query({ kind: 'layout', path: '/l' }, { mediaType: 'text/plain', size: '1e400' }),
      /not a whole number/,
    ],
  ];
  for (const [name, path, q, reason] of refused) {
    it(`refuses ${name}, naming what is wrong`, () => {
      assert.throws(
        () => parse(path, q),
        (error: Error) => /^not a Stowage document \(stowage:/.test(error.message) && reason.test(error.message),
      );
    });
  }
});
