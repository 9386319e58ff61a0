// `stowage:` URIs are checked when parsed: only a well-formed registry host and repository or an absolute layout
// path, a digest of checked shape, a printable media type, a whole size and a tag get through, with an error
// naming the part at fault. Their paths say where and what a document is (the tab and its hover show them) and
// read back to what was written.
import * as assert from 'node:assert/strict';
import {
  artifactName,
  parseStowageDocument,
  stowageDocumentPath,
  type StowageDocumentRef,
} from '../../../src/vscode/documents/stowageDocumentRef';
import { layerTarCompression } from '../../../src/core/files/layerContents';

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
    const archived = parse(
      `/manifest/${DIGEST}/manifest.json`,
      query({ kind: 'layout', path: '/work/x.tar', archive: true }),
    );
    assert.deepEqual(archived.store, { kind: 'layout', path: '/work/x.tar', archive: true });
    const odd = parse(`/manifest/${DIGEST}/manifest.json`, query({ kind: 'layout', path: '/work/x', archive: 'yes' }));
    assert.deepEqual(odd.store, { kind: 'layout', path: '/work/x' });
  });

  const manifest = (store: StowageDocumentRef['store'], extra: Partial<StowageDocumentRef> = {}) =>
    ({
      kind: 'manifest',
      store,
      descriptor: { digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 713 },
      ...extra,
    }) as StowageDocumentRef;
  const registry = { kind: 'registry', host: '127.0.0.1:5000', repository: 'demo/artifact' } as const;
  const roundTrip = (ref: StowageDocumentRef) => {
    const { path, query: q } = stowageDocumentPath(ref);
    return { path, parsed: parse(path, q) };
  };

  it('names a manifest by its repository, tag and kind, with registry and repository in its path, and reads it back', () => {
    const tagged = manifest(registry, { tag: 'v1' });
    const { path, parsed } = roundTrip(tagged);
    assert.equal(path, `/manifest/127.0.0.1:5000/demo/artifact/${DIGEST}/artifact:v1 manifest.json`);
    assert.deepEqual(parsed, tagged);

    const untagged = roundTrip(manifest(registry));
    assert.equal(untagged.path.split('/').pop(), 'artifact@aaaaaaaaaaaa manifest.json');
    assert.deepEqual(untagged.parsed, manifest(registry));

    const index = manifest(registry, { tag: 'latest' });
    index.descriptor.mediaType = 'application/vnd.oci.image.index.v1+json';
    assert.equal(roundTrip(index).path.split('/').pop(), 'artifact:latest index.json');
    assert.deepEqual(roundTrip(index).parsed, index);
  });

  it('names what inspect says of an artifact and the files its layers make, and reads them back', () => {
    for (const [kind, name] of [
      ['inspection', 'artifact:v1 inspection.txt'],
      ['files', 'artifact:v1 files.txt'],
    ] as const) {
      const ref: StowageDocumentRef = { ...manifest(registry, { tag: 'v1' }), kind };
      const { path, parsed } = roundTrip(ref);
      assert.equal(path, `/${kind}/127.0.0.1:5000/demo/artifact/${DIGEST}/${name}`);
      assert.deepEqual(parsed, ref);
      // The old path form (no store in it) was only ever a manifest's or a blob's.
      assert.throws(() => parse(`/${kind}/${DIGEST}/manifest.json`, query(registry)), /names another store/);
    }
  });

  it('names an untitled blob by its store and short digest, as an untagged manifest', () => {
    const blob = manifest(registry);
    blob.kind = 'blob';
    blob.descriptor.mediaType = 'application/jose+json';
    const { path, parsed } = roundTrip(blob);
    assert.equal(path.split('/').pop(), 'artifact@aaaaaaaaaaaa blob.json');
    assert.deepEqual(parsed, blob);
    blob.descriptor.mediaType = 'application/octet-stream';
    assert.equal(roundTrip(blob).path.split('/').pop(), 'artifact@aaaaaaaaaaaa blob');
  });

  it('names a layout document by its folder, with "oci:" and the folder path in its path', () => {
    const layout = manifest({ kind: 'layout', path: '/work/demo layout' }, { tag: 'v1' });
    const { path, parsed } = roundTrip(layout);
    assert.equal(path, `/manifest/oci:/work/demo layout/${DIGEST}/demo layout:v1 manifest.json`);
    assert.deepEqual(parsed, layout);
    const archive = manifest({ kind: 'layout', path: '/work/demo.tar', archive: true });
    assert.match(roundTrip(archive).path, /^\/manifest\/oci-archive:\/work\/demo\.tar\//);
    assert.deepEqual(roundTrip(archive).parsed, archive);
  });

  it('shows hostile folder names and blob titles visibly in the path (bidi, zero-width), and reads them back', () => {
    const hostile = manifest({ kind: 'layout', path: '/work/\u202eevil\u200b/..' }, { tag: 'v1' });
    const { path, parsed } = roundTrip(hostile);
    assert.ok(!/[\u202e\u200b]/.test(path), path);
    assert.match(path, /U\+202E/);
    assert.ok(!path.split('/').includes('..'), path);
    assert.deepEqual(parsed, hostile);
    const blob: StowageDocumentRef = {
      kind: 'blob',
      store: registry,
      descriptor: {
        digest: DIGEST,
        mediaType: 'text/plain',
        size: 4,
        annotations: { 'org.opencontainers.image.title': '../gpj.\u202etxt' },
      },
    };
    const blobPath = stowageDocumentPath(blob).path;
    assert.ok(!/\u202e/.test(blobPath) && blobPath.startsWith('/blob/127.0.0.1:5000/demo/artifact/'), blobPath);
    assert.deepEqual(parse(blobPath, stowageDocumentPath(blob).query).descriptor.digest, DIGEST);
  });

  it('names an artifact by its digest when its layout tag is no registry tag (bidi, spaces): the tab stays plain and it opens', () => {
    for (const tag of ['v1\u202eexe.txt', 'release 1', 'x'.repeat(129)])
      for (const kind of ['manifest', 'inspection', 'files'] as const) {
        const ref: StowageDocumentRef = { ...manifest({ kind: 'layout', path: '/work/demo' }, { tag }), kind };
        const { path, query: q } = stowageDocumentPath(ref);
        assert.ok(!path.includes(tag) && !/[\u202e ]1/.test(path), path);
        assert.match(path.split('/').pop()!, /^demo@aaaaaaaaaaaa /);
        const parsed = parse(path, q);
        assert.equal(parsed.tag, undefined);
        assert.deepEqual(parsed.descriptor, ref.descriptor);
        assert.equal(artifactName(ref.store, tag, DIGEST), 'demo@aaaaaaaaaaaa');
      }
  });

  it('names a file inside a layer by its own name, keeps its path and the layer title, and refuses one that lies', () => {
    const file: StowageDocumentRef = {
      kind: 'layerFile',
      store: registry,
      descriptor: {
        digest: DIGEST,
        mediaType: 'application/octet-stream',
        size: 99,
        annotations: { 'org.opencontainers.image.title': 'site.tgz' },
      },
      entry: 'site/docs/\u202eREADME.md',
    };
    const { path, parsed } = roundTrip(file);
    assert.ok(path.startsWith(`/layerFile/127.0.0.1:5000/demo/artifact/${DIGEST}/`), path);
    assert.ok(!path.includes('\u202e') && path.endsWith('README.md'), path);
    assert.deepEqual(parsed, file);
    const q = stowageDocumentPath(file).query;
    const swapped = new URLSearchParams(q);
    swapped.set('entry', 'site/other.md');
    assert.throws(() => parse(path, swapped.toString()), /another store, tag or digest/);
    const noEntry = new URLSearchParams(q);
    noEntry.delete('entry');
    assert.throws(() => parse(path, noEntry.toString()), /only a layer file names an entry/);
    const control = new URLSearchParams(q);
    control.set('entry', 'a\nb');
    assert.throws(() => parse(path, control.toString()), /without control characters/);
    const manifestWithEntry = stowageDocumentPath(manifest(registry, { tag: 'v1' }));
    assert.throws(
      () => parse(manifestWithEntry.path, `${manifestWithEntry.query}&entry=x`),
      /only a layer file names an entry/,
    );
    assert.throws(
      () => parse(manifestWithEntry.path, `${manifestWithEntry.query}&title=x`),
      /only a layer file names a title/,
    );
  });

  it('keeps the ORAS unpack mark of a folder layer a file was opened from: without it, the titled layer is no tar', () => {
    const file: StowageDocumentRef = {
      kind: 'layerFile',
      store: registry,
      descriptor: {
        digest: DIGEST,
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        size: 99,
        annotations: { 'org.opencontainers.image.title': 'site', 'io.deis.oras.content.unpack': 'true' },
      },
      entry: 'docs/README.md',
    };
    const { path, parsed } = roundTrip(file);
    assert.deepEqual(parsed, file);
    assert.equal(layerTarCompression(parsed.descriptor), 'gzip', 'the folder opens as the tar it is');
    const q = new URLSearchParams(stowageDocumentPath(file).query);
    q.set('unpack', 'yes');
    assert.throws(() => parse(path, q.toString()), /only a layer file is marked unpacked, with "true"/);
  });

  it('refuses a path that names another registry, repository or tag than its query says', () => {
    const { path, query: q } = stowageDocumentPath(manifest(registry, { tag: 'v1' }));
    const spoofed = [
      path.replace('127.0.0.1:5000', 'trusted.example'),
      path.replace('/demo/', '/trusted/'),
      path.replace('artifact:v1', 'artifact:v2'),
      `/manifest/${DIGEST}/artifact:v9 manifest.json`,
    ];
    for (const p of spoofed) assert.throws(() => parse(p, q), /names another store, tag or digest than the query/, p);
    assert.throws(() => parse(path, q.replace('tag=v1', 'tag=%24%28x%29')), /tag/);
  });

  const refused: [string, string, string, RegExp][] = [
    [
      'an unknown kind',
      `/config/${DIGEST}/x`,
      query({ kind: 'layout', path: '/l' }),
      /none of \/manifest\/, \/blob\/, \/layerFile\/, \/inspection\/ and \/files\//,
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
      /"evil\.example" is written with a user name or password before "@"/,
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
