import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { EMPTY_DESCRIPTOR } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import {
  buildArtifactManifest,
  configFromFile,
  packFiles,
  pushArtifact,
  type PackedFiles,
} from '../../../src/core/files';
import { MemoryTarget } from '../../../src/core/memory';
import { Readable } from 'node:stream';
import { Annotation, MediaType, mediaTypeProblem } from '../../../src/core/oci/mediaTypes';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function tarHeaders(tarBytes: Buffer): Promise<tar.Header[]> {
  const extract = tar.extract();
  const headers: tar.Header[] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      headers.push(entry.header);
      entry.resume();
    }
  })();
  extract.end(tarBytes);
  await reading;
  return headers;
}

async function makeFolder(root: string): Promise<string> {
  const dir = path.join(root, 'site');
  await fs.mkdir(path.join(dir, 'b', 'deep'), { recursive: true });
  await fs.writeFile(path.join(dir, 'z.txt'), 'last');
  await fs.writeFile(path.join(dir, 'a.txt'), 'first');
  await fs.writeFile(path.join(dir, 'b', 'deep', 'run.sh'), '#!/bin/sh\n', { mode: 0o700 });
  await fs.symlink('a.txt', path.join(dir, 'link'));
  return dir;
}

describe('packFiles', () => {
  let dir: string;
  const packed: PackedFiles[] = [];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-pack-test-'));
  });
  afterEach(async () => {
    await Promise.all(packed.splice(0).map((p) => p.cleanup()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('packs a file as one titled layer whose digest is the file digest, media type default or given', async () => {
    const file = path.join(dir, 'report.json');
    await fs.writeFile(file, '{"ok":true}');
    const result = await packFiles([file, { path: file, title: 'renamed.json', mediaType: 'application/json' }]);
    packed.push(result);
    const [first, second] = result.layers;
    assert.deepEqual(first!.descriptor, {
      mediaType: MediaType.ociLayer,
      digest: digestOf('{"ok":true}'),
      size: 11,
      annotations: { [Annotation.title]: 'report.json' },
    });
    assert.equal(second!.descriptor.mediaType, 'application/json');
    assert.equal(second!.descriptor.annotations![Annotation.title], 'renamed.json');
    assert.equal((await readAll(await first!.content(5))).toString(), ':true}', 'reopens at an offset');
  });

  it('packs a folder as a deterministic tar+gzip with the ORAS annotations (same content, other path and times: same digests)', async () => {
    const original = await makeFolder(path.join(dir, 'one'));
    const copy = await makeFolder(path.join(dir, 'two'));
    const later = new Date(Date.now() + 86_400_000);
    await fs.utimes(path.join(copy, 'a.txt'), later, later);
    const a = await packFiles([original]);
    const b = await packFiles([copy]);
    packed.push(a, b);
    const layerA = a.layers[0]!.descriptor;
    assert.deepEqual(layerA, b.layers[0]!.descriptor);
    assert.equal(layerA.mediaType, MediaType.ociLayerGzip);
    assert.equal(layerA.annotations![Annotation.title], 'site');
    assert.equal(layerA.annotations![Annotation.orasUnpack], 'true');

    const gz = await readAll(await a.layers[0]!.content(0));
    assert.equal(digestOf(gz), layerA.digest);
    assert.equal(gz[9], 0xff, 'gzip header names no operating system');
    const tarBytes = gunzipSync(gz);
    assert.equal(digestOf(tarBytes), layerA.annotations![Annotation.orasContentDigest]);
    const headers = await tarHeaders(tarBytes);
    assert.deepEqual(
      headers.map((h) => [h.name, h.type, h.mode.toString(8)]),
      [
        ['site', 'directory', '755'],
        ['site/a.txt', 'file', '644'],
        ['site/b', 'directory', '755'],
        ['site/b/deep', 'directory', '755'],
        ['site/b/deep/run.sh', 'file', '755'],
        ['site/link', 'symlink', '777'],
        ['site/z.txt', 'file', '644'],
      ],
    );
    for (const h of headers) {
      assert.equal(h.mtime.getTime(), 0);
      assert.deepEqual([h.uid, h.gid, h.uname, h.gname], [0, 0, '', '']);
    }
  });

  it('reports how far packing a folder, and hashing a file before it is sent, has got, up to each whole size', async () => {
    const site = await makeFolder(dir);
    await fs.writeFile(path.join(site, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
    const file = path.join(dir, 'alone.bin');
    await fs.writeFile(file, Buffer.alloc(2 * 1024 * 1024 + 1, 1));
    const seen: { title: string; doneBytes: number; totalBytes: number }[] = [];
    packed.push(await packFiles([site, file], { stagingDir: dir, onPacking: (p) => seen.push({ ...p }) }));
    const folderBytes = 'last'.length + 'first'.length + '#!/bin/sh\n'.length + 3 * 1024 * 1024 + 5;
    const ofSite = seen.filter((p) => p.title === 'site');
    assert.ok(ofSite.length >= 4, JSON.stringify(seen));
    assert.ok(ofSite.every((p) => p.totalBytes === folderBytes));
    assert.deepEqual(
      ofSite.map((p) => p.doneBytes),
      [...ofSite.map((p) => p.doneBytes)].sort((a, b) => a - b),
    );
    assert.equal(ofSite.at(-1)!.doneBytes, folderBytes);
    const ofFile = seen.filter((p) => p.title === 'alone.bin');
    assert.ok(ofFile.length >= 1);
    assert.deepEqual(ofFile.at(-1), {
      title: 'alone.bin',
      doneBytes: 2 * 1024 * 1024 + 1,
      totalBytes: 2 * 1024 * 1024 + 1,
    });
  });

  it('removes its staged archives on cleanup', async () => {
    const result = await packFiles([await makeFolder(dir)], { stagingDir: path.join(dir) });
    const staged = (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'));
    assert.equal(staged.length, 1);
    await result.cleanup();
    assert.deepEqual(
      (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('refuses FIFOs in folders, duplicate titles and missing paths, naming them', async () => {
    const folder = await makeFolder(dir);
    const made = spawnSync('mkfifo', [path.join(folder, 'pipe')]);
    assert.equal(made.status, 0, `mkfifo is needed for this test: ${made.stderr}`);
    await assert.rejects(
      packFiles([folder]),
      (e: unknown) => OciError.is(e, 'UNSUPPORTED') && /pipe.*not sockets, FIFOs or devices/.test(e.message),
    );
    const file = path.join(dir, 'x.txt');
    await fs.writeFile(file, 'x');
    await assert.rejects(
      packFiles([file, { path: file }]),
      (e: unknown) => OciError.is(e, 'UNSAFE_PATH') && /more than one layer/.test(e.message),
    );
    await assert.rejects(packFiles([path.join(dir, 'missing.txt')]), /missing.txt": no such file or folder/);
  });
});

describe('buildArtifactManifest', () => {
  const layer = {
    mediaType: MediaType.ociLayer,
    digest: digestOf('x'),
    size: 1,
    annotations: { [Annotation.title]: 'x' },
  };

  it('uses the empty config with artifactType, a fixed creation time, user annotations and a subject', () => {
    const subject = { mediaType: MediaType.ociManifest, digest: digestOf('s'), size: 1 };
    const built = buildArtifactManifest({
      layers: [layer],
      artifactType: 'application/vnd.example',
      created: '2024-01-31T12:00:00Z',
      annotations: { team: 'a' },
      subject,
    });
    assert.deepEqual(built.manifest, {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.example',
      config: { mediaType: MediaType.ociEmpty, digest: EMPTY_DESCRIPTOR.digest, size: 2 },
      layers: [layer],
      subject,
      annotations: { team: 'a', [Annotation.created]: '2024-01-31T12:00:00Z' },
    });
    assert.deepEqual(JSON.parse(built.bytes.toString()), built.manifest);
    assert.equal(built.descriptor.digest, digestOf(built.bytes));
    assert.equal(built.descriptor.artifactType, 'application/vnd.example');
  });

  it('is reproducible with a fixed time and defaults artifactType like ORAS', () => {
    const one = buildArtifactManifest({ layers: [layer], created: new Date('2024-01-31T12:00:00.123Z') });
    const two = buildArtifactManifest({ layers: [layer], created: '2024-01-31T12:00:00Z' });
    assert.equal(one.descriptor.digest, two.descriptor.digest);
    assert.equal(one.manifest.artifactType, 'application/vnd.unknown.artifact.v1');
    assert.equal(buildArtifactManifest({ layers: [], created: false }).manifest.annotations, undefined);
    assert.match(
      buildArtifactManifest({ layers: [] }).manifest.annotations![Annotation.created]!,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    assert.throws(() => buildArtifactManifest({ layers: [], created: 'yesterday' }), /not an RFC 3339 date-time/);
  });

  it('refuses an artifact type, config or layer media type that is not type/subtype, naming it shown safely', () => {
    const cases: [Parameters<typeof buildArtifactManifest>[0], RegExp][] = [
      [
        { layers: [layer], artifactType: 'x/y\n└── forged' },
        /^the artifact type "x\/y⟨U\+000A⟩└── forged" is not a media type/,
      ],
      [
        { layers: [layer], artifactType: 'text/plain; charset=utf-8' },
        /"text\/plain; charset=utf-8" is not a media type/,
      ],
      [{ layers: [layer], artifactType: '' }, /the artifact type "" is not a media type/],
      [{ layers: [{ ...layer, mediaType: 'no slash' }] }, /^the media type of x "no slash" is not a media type/],
      [
        {
          layers: [],
          config: {
            descriptor: { mediaType: 'a/b/c', digest: digestOf('{}'), size: 2 },
            content: async () => Readable.from([]),
          },
        },
        /^the config media type "a\/b\/c"/,
      ],
    ];
    for (const [options, message] of cases)
      assert.throws(
        () => buildArtifactManifest(options),
        (e: unknown) => OciError.is(e, 'USAGE') && message.test(e.message),
      );
  });

  it('says what is wrong with a media type: a subtype too long, a character not allowed, a missing "/"', () => {
    const long = `application/vnd.example.${'y'.repeat(300)}+json`;
    const cases: [string, string][] = [
      [long, 'its subtype is 317 characters long; RFC 6838 allows at most 127'],
      ['text/plain; charset=utf-8', 'its subtype holds U+003B; only letters, digits and !#$&^_.+- may be there'],
      ['doc example', 'it has no "/"'],
      ['a/b/c', 'it has more than one "/"'],
      ['/json', 'its type is empty'],
      ['application/.hidden', 'its subtype must begin with a letter or digit'],
    ];
    for (const [value, problem] of cases) assert.equal(mediaTypeProblem(value), problem, value);
    assert.equal(mediaTypeProblem('application/vnd.example.note.v1+json'), undefined);
    assert.throws(
      () => buildArtifactManifest({ layers: [layer], artifactType: long }),
      (e: unknown) =>
        OciError.is(e, 'USAGE') &&
        e.message.endsWith('(its subtype is 317 characters long; RFC 6838 allows at most 127)'),
    );
  });

  it('pushArtifact refuses a bad artifact type or file media type before packing or storing anything', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-types-'));
    try {
      await fs.writeFile(path.join(dir, 'a.txt'), 'a');
      const target = new MemoryTarget();
      await assert.rejects(
        pushArtifact(target, [path.join(dir, 'a.txt')], { artifactType: 'doc example' }),
        /the artifact type "doc example" is not a media type/,
      );
      await assert.rejects(
        pushArtifact(target, [{ path: path.join(dir, 'a.txt'), mediaType: 'text' }]),
        /the media type of .*a\.txt "text" is not a media type/,
      );
      for (const blob of [{ ...layer, digest: digestOf('a') }, EMPTY_DESCRIPTOR])
        assert.equal(await target.exists(blob), false, 'nothing was stored');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('takes a config file with its media type instead of the empty config', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-config-'));
    try {
      await fs.writeFile(path.join(dir, 'config.json'), '{"a":1}');
      const config = await configFromFile(path.join(dir, 'config.json'), 'application/vnd.example.config+json');
      const built = buildArtifactManifest({ layers: [], config, created: false });
      assert.deepEqual(built.manifest.config, {
        mediaType: 'application/vnd.example.config+json',
        digest: digestOf('{"a":1}'),
        size: 7,
      });
      assert.equal(built.manifest.artifactType, undefined);
      assert.equal((await readAll(await built.config.content(0))).toString(), '{"a":1}');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
