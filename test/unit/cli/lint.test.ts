// `stowage lint` in-process, over real files and a real layout written by the layout store.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodedOf } from '../../../src/core/oci/digest';
import { digestOf } from '../../../src/core/content/hashing';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { cli } from '../../helpers/runCli';
import { buildTar } from '../../helpers/tarBuilder';
import { layoutEntries } from '../../fixtures/hostile/layoutArchives';
import { pushArtifact, type PushedArtifact } from '../../helpers/sampleArtifact';
import { generateSbom } from '../../../src/core/sbom';
import { CREATED, FILES, SUBJECT } from '../sbom/fixtures';

const goodManifest = {
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  config: { mediaType: MediaType.ociConfig, digest: digestOf('config'), size: 6 },
  layers: [{ mediaType: MediaType.ociLayerGzip, digest: digestOf('layer'), size: 5 }],
};

describe('stowage lint', () => {
  let dir: string;
  let root: string;
  let pushed: PushedArtifact;
  let layout: LayoutTarget;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-cli-lint-'));
  });
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(dir, 'layout-'));
    layout = await LayoutTarget.open(root, { create: true });
    pushed = await pushArtifact(layout, 'payload', { tag: 'v1' });
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, value: unknown): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return file;
  }

  it('names a file too large to be a document instead of reading it whole', async () => {
    const file = path.join(dir, 'huge.json');
    await fs.writeFile(file, '');
    await fs.truncate(file, 65 * 1024 * 1024);
    const run = await cli(['lint', file]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stdout,
      `${file}:1:1 error file-too-large 65 MiB is more than the 64 MiB a document is linted up to (a manifest may be 4 MiB at most)\n`,
    );
  });

  it('checks an SPDX or CycloneDX SBOM against its schema, not as an unknown document', async () => {
    const spdx = JSON.parse(generateSbom(SUBJECT, FILES, 'spdx', { created: CREATED }).toString()) as Record<
      string,
      unknown
    >;
    const good = await cli(['lint', await write('good.spdx.json', spdx)]);
    assert.equal(good.code, 0, good.stdout);
    assert.equal(good.stdout, '', 'a valid SBOM has nothing to report');
    delete spdx['dataLicense'];
    const bad = await write('bad.spdx.json', spdx);
    const run = await cli(['lint', bad]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, `${bad}:1:1 error sbom-invalid SPDX SBOM /: must have required property 'dataLicense'\n`);
  });

  it('places an SBOM problem at the value its JSON pointer names, not at the top of the file', async () => {
    const cyclonedx = JSON.parse(generateSbom(SUBJECT, FILES, 'cyclonedx', { created: CREATED }).toString()) as {
      components: { type: string }[];
    };
    cyclonedx.components[1]!.type = 'gadget';
    const file = await write('bad.cdx.json', cyclonedx);
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    const line = lines.findIndex((l) => l.includes('"gadget"')) + 1;
    const column = lines[line - 1]!.indexOf('"type"') + 1;
    const run = await cli(['lint', file]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(
        `^${escape(file)}:${line}:${column} error sbom-invalid CycloneDX SBOM /components/1/type: must be equal to one of the allowed values`,
      ),
    );
  });

  it('exits 0 and prints nothing for a valid manifest', async () => {
    const run = await cli(['lint', await write('good.json', goodManifest)]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /0 errors, 0 warnings/);
  });

  it('prints path:line:col severity code message and exits 1 for an error', async () => {
    const file = await write('bad.json', { ...goodManifest, schemaVersion: 1.5 });
    const run = await cli(['lint', file]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`^${escape(file)}:2:20 error schema-version `, 'm'));
  });

  it('exits 0 when there are only warnings', async () => {
    const file = await write('typo.json', {
      ...goodManifest,
      layers: [{ ...goodManifest.layers[0], mediaType: 'application/vnd.oci.image.layer.v1.tar+gzp' }],
    });
    const run = await cli(['lint', file]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /:\d+:\d+ warning media-type-typo /);
  });

  it('validates a layout folder and names the corrupted blob exactly, in json', async () => {
    await fs.writeFile(layout.blobPath(pushed.layer.digest), 'PAYLOAD');
    const run = await cli(['lint', root, '--format', 'json']);
    assert.equal(run.code, 1);
    const { problems, summary } = JSON.parse(run.stdout) as {
      problems: Record<string, unknown>[];
      summary: Record<string, number>;
    };
    assert.deepEqual(summary, { errors: 1, warnings: 0, infos: 0 });
    assert.deepEqual(
      problems.map((p) => [p.file, p.code, p.path, p.blob]),
      [
        [
          path.join(root, 'blobs', 'sha256', encodedOf(pushed.manifest.digest)),
          'blob-digest-mismatch',
          'layers[0].digest',
          path.join(root, 'blobs', 'sha256', encodedOf(pushed.layer.digest)),
        ],
      ],
    );
  });

  it('checks a layout file against its layout: a dangling index.json entry', async () => {
    const ghost = digestOf('ghost');
    await layout.updateIndex((index) => {
      index.manifests.push({ mediaType: MediaType.ociManifest, digest: ghost, size: 5 });
    });
    const run = await cli(['lint', path.join(root, 'index.json')]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(`^${escape(path.join(root, 'index.json'))}:1:\\d+ error index-ref-missing .*${ghost}`, 'm'),
    );
  });

  it('reports invalid UTF-8 in a file with its byte offset, on the line and column of the bad byte', async () => {
    const text = JSON.stringify(
      { ...goodManifest, annotations: { 'org.opencontainers.image.title': 'caf@' } },
      null,
      2,
    );
    const [before, after] = text.split('@') as [string, string];
    const file = path.join(dir, 'latin1.json');
    // "café" as ISO-8859-1 writes it: one byte 0xE9, not UTF-8.
    await fs.writeFile(file, Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]));
    const run = await cli(['lint', file, '--format', 'json']);
    assert.equal(run.code, 1);
    const { problems } = JSON.parse(run.stdout) as { problems: Record<string, unknown>[] };
    const lines = before.split('\n');
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.line, p.column, p.path]),
      [
        [
          'utf8-invalid',
          'error',
          lines.length,
          lines.at(-1)!.length + 1,
          'annotations["org.opencontainers.image.title"]',
        ],
      ],
    );
    assert.match(problems[0]!.message as string, new RegExp(`byte offset ${Buffer.byteLength(before)} \\(0xE9`));
  });

  it('lints several inputs in one run and reports unreadable ones', async () => {
    const good = await write('good2.json', goodManifest);
    const run = await cli(['lint', good, path.join(dir, 'nope.json'), root]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /nope\.json:1:1 error file-unreadable /);
    assert.doesNotMatch(run.stdout, /good2\.json/);
  });

  it('refuses a folder that is not a layout, and exits 2 on a bad --format', async () => {
    const notLayout = await fs.mkdtemp(path.join(dir, 'plain-'));
    const run = await cli(['lint', notLayout]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /error not-a-layout /);
    assert.equal((await cli(['lint', notLayout, '--format', 'xml'])).code, 2);
    assert.equal((await cli(['lint'])).code, 2);
  });

  it('lints a layout named as oci:<folder>, whole or from a tag or digest; a missing blob is named in the manifest file', async () => {
    const whole = await cli(['lint', `oci:${root}`]);
    assert.equal(whole.code, 0, whole.stderr + whole.stdout);
    assert.equal((await cli(['lint', `oci:${root}:v1`])).code, 0);

    await fs.rm(path.join(root, 'blobs', 'sha256', encodedOf(pushed.layer.digest)));
    const manifestFile = path.join(root, 'blobs', 'sha256', encodedOf(pushed.manifest.digest));
    for (const input of [`oci:${root}:v1`, `oci:${root}@${pushed.manifest.digest}`]) {
      const run = await cli(['lint', '--format', 'json', input]);
      assert.equal(run.code, 1, run.stderr);
      const { problems } = JSON.parse(run.stdout) as { problems: { file: string; code: string; path: string }[] };
      assert.deepEqual(
        problems.map((p) => [p.file, p.code, p.path]),
        [[manifestFile, 'blob-missing', 'layers[0].digest']],
      );
    }
    const unknown = await cli(['lint', `oci:${root}:nope`]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /index\.json:1:1 error unknown-reference tag "nope" in oci:.* not found/);
  });

  it('lints a layout archive (oci-archive:): clean when whole, a missing blob named inside the archive', async () => {
    const whole = path.join(dir, 'whole.tar');
    await fs.writeFile(whole, await buildTar(layoutEntries()));
    const clean = await cli(['lint', `oci-archive:${whole}`]);
    assert.equal(clean.code, 0, clean.stderr + clean.stdout);
    assert.match(clean.stderr, /0 errors/);

    const layerName = `blobs/sha256/${encodedOf(digestOf('payload of the hostile layout archive\n'))}`;
    const broken = path.join(dir, 'broken.tar');
    await fs.writeFile(broken, await buildTar(layoutEntries().filter((e) => e.name !== layerName)));
    const run = await cli(['lint', '--format', 'json', `oci-archive:${broken}:v1`]);
    assert.equal(run.code, 1, run.stderr);
    const { problems } = JSON.parse(run.stdout) as { problems: { file: string; code: string; path: string }[] };
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [['blob-missing', 'layers[0].digest']],
    );
    assert.match(problems[0]!.file, /broken\.tar!\/blobs\/sha256\/[a-f0-9]{64}$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
