// Proves layout validation against real layouts on disk, written by the layout store and then damaged.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodedOf } from '../../../src/core/oci/digest';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import { MAX_MANIFEST_BYTES } from '../../../src/core/oci/mediaTypes';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { layoutFileOf } from '../../../src/core/lint/layout/layoutFiles';
import { DEFAULT_GC_GRACE_MS } from '../../../src/core/layout/garbageCollect';
import {
  GC_GRACE_MS,
  validateLayout,
  type LayoutProblem,
  type LayoutValidationProgress,
} from '../../../src/core/lint/layout/validateLayout';
import { recordFigures } from '../../helpers/figures';
import { bytesContent, pushArtifact, type PushedArtifact } from '../../helpers/sampleArtifact';

/** Hostile layouts validated, and how many ended as problems reported (not a crash, a hang or a read outside). */
const hostile = { tried: 0, held: 0, devZeroMs: 0, devZeroRssMiB: 0 };

function blobFile(digest: string): string {
  return `blobs/sha256/${encodedOf(digest)}`;
}

function summary(problems: LayoutProblem[]): string[][] {
  return problems.map((p) => [p.severity, p.code, p.file, p.path.join('.'), p.blob ?? '']);
}

describe('validateLayout', () => {
  let dir: string;
  let root: string;
  let layout: LayoutTarget;
  let pushed: PushedArtifact;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-validate-'));
    root = path.join(dir, 'layout');
    layout = await LayoutTarget.open(root, { create: true });
    pushed = await pushArtifact(layout, 'hello layer', { tag: 'v1' });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds nothing wrong in a layout the store wrote, and lints its manifest', async () => {
    const result = await validateLayout(root);
    assert.deepEqual(result.problems, []);
    assert.equal(result.documents, 1);
    assert.equal(result.blobs, 3);
  });

  it('reports a corrupted layer exactly once, at the manifest descriptor that names it', async () => {
    await fs.writeFile(layout.blobPath(pushed.layer.digest), 'hello lAyer');
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [
      [
        'error',
        'blob-digest-mismatch',
        blobFile(pushed.manifest.digest),
        'layers.0.digest',
        blobFile(pushed.layer.digest),
      ],
    ]);
    const [problem] = problems;
    assert.match(problem!.message, new RegExp(digestOf('hello lAyer')));
    const manifestText = pushed.manifestBytes.toString('utf8');
    assert.equal(
      manifestText.slice(problem!.offset, problem!.offset + problem!.length),
      JSON.stringify(pushed.layer.digest),
    );
    assert.deepEqual(problem!.start, { line: 0, column: problem!.offset });
  });

  it('reports a missing blob and a dangling index.json entry where they are named', async () => {
    await fs.rm(layout.blobPath(pushed.layer.digest));
    const ghost = Buffer.from('{"schemaVersion":2}');
    await layout.updateIndex((index) => {
      index.manifests.push({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: digestOf(ghost),
        size: ghost.length,
      });
    });
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [
      ['error', 'index-ref-missing', 'index.json', 'manifests.1.digest', blobFile(digestOf(ghost))],
      ['error', 'blob-missing', blobFile(pushed.manifest.digest), 'layers.0.digest', blobFile(pushed.layer.digest)],
    ]);
    const indexProblem = problems[0]!;
    const indexText = await fs.readFile(path.join(root, 'index.json'), 'utf8');
    assert.equal(
      indexText.slice(indexProblem.offset, indexProblem.offset + indexProblem.length),
      JSON.stringify(digestOf(ghost)),
    );
  });

  it('reports a blob replaced by content of another size as a digest mismatch, never as a wrong size', async () => {
    await fs.writeFile(layout.blobPath(pushed.layer.digest), 'hello layer, longer');
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [
      [
        'error',
        'blob-digest-mismatch',
        blobFile(pushed.manifest.digest),
        'layers.0.digest',
        blobFile(pushed.layer.digest),
      ],
    ]);
    assert.match(
      problems[0]!.message,
      /\(19 bytes, where the descriptor says \d+\): the blob was replaced or corrupted/,
    );
  });

  it('reports a size in index.json that differs from the intact stored blob at the size', async () => {
    const indexFile = path.join(root, 'index.json');
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: { size: number }[] };
    index.manifests[0]!.size += 3;
    await fs.writeFile(indexFile, JSON.stringify(index));
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [
      ['error', 'blob-size-mismatch', 'index.json', 'manifests.0.size', blobFile(pushed.manifest.digest)],
    ]);
  });

  it('reports unreferenced blobs as info, and a corrupt one as an error in its own file', async () => {
    const orphan = Buffer.from('nobody points here');
    await layout.pushBlob(
      { mediaType: 'application/octet-stream', digest: digestOf(orphan), size: orphan.length },
      bytesContent(orphan),
    );
    const damaged = Buffer.from('damaged later');
    await layout.pushBlob(
      { mediaType: 'application/octet-stream', digest: digestOf(damaged), size: damaged.length },
      bytesContent(damaged),
    );
    await fs.writeFile(layout.blobPath(digestOf(damaged)), 'damaged LATER');
    const { problems } = await validateLayout(root);
    const expected = [
      ['info', 'blob-unreferenced', blobFile(digestOf(orphan)), '', blobFile(digestOf(orphan))],
      ['error', 'blob-digest-mismatch', blobFile(digestOf(damaged)), '', blobFile(digestOf(damaged))],
      ['info', 'blob-unreferenced', blobFile(digestOf(damaged)), '', blobFile(digestOf(damaged))],
    ];
    assert.deepEqual(summary(problems).sort(), expected.sort());
  });

  it('says when garbage collection removes an unreferenced blob: kept while younger than its 10-minute grace period', async () => {
    assert.equal(GC_GRACE_MS, DEFAULT_GC_GRACE_MS, 'validation speaks of the grace period garbage collection uses');
    const young = Buffer.from('just written');
    const old = Buffer.from('written long ago');
    for (const bytes of [young, old])
      await layout.pushBlob(
        { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length },
        bytesContent(bytes),
      );
    const hourAgo = new Date(Date.now() - 3600_000);
    await fs.utimes(layout.blobPath(digestOf(old)), hourAgo, hourAgo);
    const { problems } = await validateLayout(root);
    const messageOf = (bytes: Buffer) => problems.find((p) => p.blob === blobFile(digestOf(bytes)))?.message ?? '';
    assert.match(
      messageOf(young),
      /^Not reachable from index\.json \(12 bytes\); garbage collection removes it once it is older than 10 minutes \(in about 10 min; younger blobs are kept/,
    );
    assert.equal(
      messageOf(old),
      'Not reachable from index.json (16 bytes); garbage collection removes it (it is older than 10 minutes).',
    );
    assert.doesNotMatch(problems.map((p) => p.message).join('\n'), /would remove/);
  });

  it('lints the manifests it reaches: a defect inside one is reported in that blob file', async () => {
    const manifest = JSON.parse(pushed.manifestBytes.toString('utf8')) as Record<string, unknown>;
    const bad = Buffer.from(
      JSON.stringify({ ...manifest, annotations: { 'org.opencontainers.image.created': 'yesterday' } }),
    );
    await layout.pushManifest(
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(bad), size: bad.length },
      bad,
      { tag: 'bad' },
    );
    const { problems } = await validateLayout(root);
    const errors = problems.filter((p) => p.severity === 'error');
    assert.deepEqual(summary(errors), [
      ['error', 'annotation-created', blobFile(digestOf(bad)), 'annotations.org.opencontainers.image.created', ''],
    ]);
  });

  it('lints the content of an unreferenced manifest too, besides calling it unreferenced', async () => {
    const manifest = JSON.parse(pushed.manifestBytes.toString('utf8')) as Record<string, unknown>;
    const orphan = Buffer.from(
      JSON.stringify({ ...manifest, annotations: { 'org.opencontainers.image.created': 'last week' } }),
    );
    await layout.pushManifest(
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(orphan), size: orphan.length },
      orphan,
    );
    const result = await validateLayout(root);
    assert.deepEqual(summary(result.problems), [
      ['info', 'blob-unreferenced', blobFile(digestOf(orphan)), '', blobFile(digestOf(orphan))],
      ['error', 'annotation-created', blobFile(digestOf(orphan)), 'annotations.org.opencontainers.image.created', ''],
    ]);
    assert.equal(result.documents, 2);
  });

  it('reports a manifest blob over 4 MiB in its own file without reading it, and still no other error', async () => {
    const manifest = JSON.parse(pushed.manifestBytes.toString('utf8')) as Record<string, unknown>;
    const huge = Buffer.from(JSON.stringify({ ...manifest, annotations: { padding: 'x'.repeat(MAX_MANIFEST_BYTES) } }));
    // The store refuses to write it (as registries refuse it), so it is placed by hand, as another tool might.
    await fs.writeFile(layout.blobPath(digestOf(huge)), huge);
    await layout.updateIndex((index) => {
      index.manifests.push({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: digestOf(huge),
        size: huge.length,
      });
    });
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [
      ['error', 'manifest-too-large', blobFile(digestOf(huge)), '', blobFile(digestOf(huge))],
    ]);
    assert.match(
      problems[0]!.message,
      new RegExp(`${huge.length.toLocaleString('en-US')} bytes, over the 4,194,304-byte`),
    );
  });

  it('reports invalid UTF-8 in a manifest blob it reaches, with the byte offset', async () => {
    const manifest = JSON.parse(pushed.manifestBytes.toString('utf8')) as Record<string, unknown>;
    const [before, after] = JSON.stringify({
      ...manifest,
      annotations: { 'org.opencontainers.image.title': 'caf@' },
    }).split('@') as [string, string];
    const bad = Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]);
    await layout.pushManifest(
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(bad), size: bad.length },
      bad,
      { tag: 'latin1' },
    );
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [
      ['error', 'utf8-invalid', blobFile(digestOf(bad)), 'annotations.org.opencontainers.image.title', ''],
    ]);
    assert.match(problems[0]!.message, new RegExp(`byte offset ${before.length} `));
    assert.deepEqual(problems[0]!.start, { line: 0, column: before.length });
  });

  it('reports a missing index.json without listing every blob as unreferenced', async () => {
    await fs.rm(path.join(root, 'index.json'));
    const { problems } = await validateLayout(root);
    assert.deepEqual(summary(problems), [['error', 'layout-index-missing', 'index.json', '', '']]);
  });

  after(() => {
    recordFigures('hostile', {
      'hostile layouts validated': {
        tried: hostile.tried,
        held: hostile.held,
        detail: `hostile layouts validated (symlinked blob and blobs/<alg>, index.json linked to /dev/zero: reported in ${hostile.devZeroMs} ms, RSS +${hostile.devZeroRssMiB} MiB; a manifest nested 100,000 deep): each reported as a problem, nothing outside hashed`,
      },
    });
  });

  it('reports a symlinked blob file as a problem and never hashes the file it points to', async () => {
    hostile.tried++;
    const outside = path.join(dir, 'outside.bin');
    await fs.writeFile(outside, 'bytes outside the layout');
    await fs.rm(layout.blobPath(pushed.layer.digest));
    await fs.symlink(outside, layout.blobPath(pushed.layer.digest));
    const { problems } = await validateLayout(root);
    assert.ok(!JSON.stringify(problems).includes(digestOf('bytes outside the layout')), 'the outside file was hashed');
    assert.deepEqual(summary(problems), [
      ['error', 'blob-missing', blobFile(pushed.manifest.digest), 'layers.0.digest', blobFile(pushed.layer.digest)],
      ['error', 'layout-symlink', blobFile(pushed.layer.digest), '', ''],
    ]);
    hostile.held++;
  });

  it('reports a symlinked blobs/<alg> folder and index.json linked to /dev/zero, reading neither', async () => {
    hostile.tried += 2;
    const elsewhere = path.join(dir, 'elsewhere');
    await fs.rename(path.join(root, 'blobs', 'sha256'), elsewhere);
    await fs.symlink(elsewhere, path.join(root, 'blobs', 'sha256'));
    let result = await validateLayout(root);
    assert.deepEqual(
      result.problems.filter((p) => p.code === 'layout-symlink').map((p) => p.file),
      ['blobs/sha256'],
    );
    assert.ok(
      result.problems.some((p) => p.code === 'index-ref-missing'),
      'the manifest behind the link counts as missing',
    );
    hostile.held++;

    await fs.rm(path.join(root, 'index.json'));
    await fs.symlink('/dev/zero', path.join(root, 'index.json'));
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    result = await validateLayout(root);
    hostile.devZeroMs = Date.now() - started;
    hostile.devZeroRssMiB = Math.max(0, Math.round((process.memoryUsage().rss - rssBefore) / 1024 / 1024));
    assert.ok(hostile.devZeroMs < 2000);
    assert.ok(process.memoryUsage().rss - rssBefore < 32 * 1024 * 1024, 'memory stayed bounded');
    assert.deepEqual(
      summary(result.problems).filter((p) => p[2] === 'index.json'),
      [
        ['error', 'layout-index-missing', 'index.json', '', ''],
        ['error', 'layout-symlink', 'index.json', '', ''],
      ],
    );
    hostile.held++;
  });

  it('reports a deeply nested manifest as a problem in its file instead of exhausting the stack', async () => {
    hostile.tried++;
    const depth = 100_000;
    const manifest = JSON.parse(pushed.manifestBytes.toString('utf8')) as Record<string, unknown>;
    const text = JSON.stringify({ ...manifest, annotations: { 'x.deep': 'PLACEHOLDER' } }).replace(
      '"PLACEHOLDER"',
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
    );
    const bytes = Buffer.from(text);
    await layout.pushManifest(
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(bytes), size: bytes.length },
      bytes,
      { tag: 'deep' },
    );
    const { problems } = await validateLayout(root);
    assert.deepEqual(
      summary(problems).filter((p) => p[1] === 'json-too-deep'),
      [['error', 'json-too-deep', blobFile(digestOf(bytes)), '', '']],
    );
    hostile.held++;
  });

  it('reports progress up to every blob and byte, and stops when aborted', async () => {
    const seen: LayoutValidationProgress[] = [];
    await validateLayout(root, { onProgress: (p) => seen.push({ ...p }) });
    const last = seen.at(-1)!;
    assert.equal(last.blobsDone, 3);
    assert.equal(last.blobsTotal, 3);
    assert.equal(last.bytesDone, last.bytesTotal);
    assert.ok(seen.length > 1);

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(validateLayout(root, { signal: controller.signal }), (err: unknown) =>
      OciError.is(err, 'ABORTED'),
    );
  });
});

describe('layoutFileOf', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-layoutfile-'));
    await LayoutTarget.open(path.join(dir, 'l'), { create: true });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('knows index.json, oci-layout and blobs of a layout, and nothing else', async () => {
    const hex = 'a'.repeat(64);
    assert.deepEqual(await layoutFileOf(path.join(dir, 'l', 'index.json')), {
      root: path.join(dir, 'l'),
      role: 'index',
      relative: 'index.json',
    });
    assert.deepEqual(await layoutFileOf(path.join(dir, 'l', 'oci-layout')), {
      root: path.join(dir, 'l'),
      role: 'ociLayout',
      relative: 'oci-layout',
    });
    assert.deepEqual(await layoutFileOf(path.join(dir, 'l', 'blobs', 'sha256', hex)), {
      root: path.join(dir, 'l'),
      role: 'blob',
      relative: `blobs/sha256/${hex}`,
    });
    assert.equal(await layoutFileOf(path.join(dir, 'index.json')), undefined);
    assert.equal(await layoutFileOf(path.join(dir, 'l', 'blobs', 'sha256', 'not-a-digest')), undefined);
  });

  it('knows a JSON file beside index.json as a draft (checked against the layout), not one elsewhere', async () => {
    assert.deepEqual(await layoutFileOf(path.join(dir, 'l', 'manifest.json')), {
      root: path.join(dir, 'l'),
      role: 'draft',
      relative: 'manifest.json',
    });
    assert.equal(await layoutFileOf(path.join(dir, 'manifest.json')), undefined);
    assert.equal(await layoutFileOf(path.join(dir, 'l', 'notes.txt')), undefined);
  });
});
