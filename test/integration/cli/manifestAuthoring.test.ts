// A manifest written by hand, pushed with `manifest push` (ORAS's habit), against the real registry and a layout:
// what a registry refuses with a bare "MANIFEST_INVALID", and what it takes but no pull can use (a wrong layer
// size; in a layout, a missing blob), is named before anything is sent, at the line and property at fault.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';
import { EMPTY_DIGEST } from '../../../src/core/oci/mediaTypes';
import { digestOf } from '../../../src/core/content/hashing';

const DIGEST = /sha256:[0-9a-f]{64}/;

/** A manifest as a test edits it: its layers' fields may take any JSON value, and any field may go. */
interface Written {
  schemaVersion?: unknown;
  layers: Record<string, unknown>[];
  [field: string]: unknown;
}

describe('manifest push: a hand-written manifest is checked before it is sent', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let layer: string;

  /** The manifest a user writes for hello.txt (12 bytes) with the empty config, `changes` applied. */
  async function manifestFile(name: string, changes: (m: Written) => void = () => {}): Promise<string> {
    const manifest: Written = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.example.hello.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: 2 },
      layers: [{ mediaType: 'text/plain', digest: layer, size: 12 }],
    };
    changes(manifest);
    const file = path.join(work, name);
    await fs.writeFile(file, JSON.stringify(manifest, null, 2));
    return file;
  }

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-manifest-authoring-'));
    env = { DOCKER_CONFIG: path.join(work, 'docker'), HOME: work };
    await fs.writeFile(path.join(work, 'hello.txt'), 'hello world\n');
    await fs.writeFile(path.join(work, 'empty.json'), '{}');
    for (const repo of [`${registry.host}/art`, `oci:${path.join(work, 'layout')}`])
      await cliOk(['blob', 'push', repo, path.join(work, 'empty.json')], { env });
    const pushed = await cliOk(['blob', 'push', `${registry.host}/art`, path.join(work, 'hello.txt')], { env });
    layer = DIGEST.exec(pushed.stdout)![0];
  });

  after(async () => {
    await registry.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('refuses a layer size the registry would take, naming the stored size, and pushes nothing', async () => {
    const file = await manifestFile('wrong-size.json', (m) => (m.layers[0]!.size = 13));
    const run = await cli(['manifest', 'push', `${registry.host}/art:v1`, file], { env });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stderr,
      `${file}:14:15 error blob-size-mismatch layers[0]: the stored blob has 12 bytes, the descriptor says 13.\n` +
        `stowage manifest: ${file}: 1 error above; nothing pushed (--force pushes it as it is)\n`,
    );
    assert.equal((await cli(['resolve', `${registry.host}/art:v1`], { env })).code, 1, 'the tag was pushed');
  });

  it('names the property of what the registry refuses as MANIFEST_INVALID (a size written as a string)', async () => {
    const file = await manifestFile('size-string.json', (m) => (m.layers[0]!.size = '12'));
    const run = await cli(['manifest', 'push', `${registry.host}/art:v1`, file], { env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /size-string\.json:14:15 error size-invalid layers\[0\]\.size is the string "12"; a size is a plain integer/,
    );
    assert.doesNotMatch(run.stderr, /MANIFEST_INVALID/);
  });

  it('pushes a correct manifest as before, with nothing on stderr', async () => {
    const file = await manifestFile('good.json');
    const run = await cliOk(['manifest', 'push', `${registry.host}/art:v1`, file], { env });
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
  });

  it('--force pushes what the checks refuse (the registry takes the wrong size)', async () => {
    const file = await manifestFile('forced.json', (m) => (m.layers[0]!.size = 13));
    const run = await cli(['manifest', 'push', `${registry.host}/art:forced`, file, '--force'], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /error blob-size-mismatch/);
    assert.match(run.stdout, /^Pushed /m);
  });

  it('refuses a manifest whose layer is not in the layout (a layout would take it), and makes no layout', async () => {
    const file = await manifestFile('layout.json');
    const fresh = path.join(work, 'fresh-layout');
    const run = await cli(['manifest', 'push', `oci:${fresh}:v1`, file], { env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`error blob-missing layers\\[0\\]: blob ${layer} is not in oci:`));
    assert.ok(!existsSync(fresh), 'the layout was made');
    const existing = await cli(['manifest', 'push', `oci:${path.join(work, 'layout')}:v1`, file], { env });
    assert.equal(existing.code, 1, existing.stderr);
    assert.match(existing.stderr, /error blob-missing layers\[0\]/);
    assert.doesNotMatch(existing.stderr, /config/, 'the empty config is in the layout');
  });

  it('refuses a manifest whose bytes are not the digest the reference names, naming both, with no usage text', async () => {
    const file = await manifestFile('named-digest.json');
    const wrong = `sha256:${'cd'.repeat(32)}`;
    const run = await cli(['manifest', 'push', `${registry.host}/art@${wrong}`, file], { env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `^stowage manifest: .*named-digest\\.json: digest mismatch \\(expected ${wrong}, got sha256:[0-9a-f]{64}\\)\\n$`,
      ),
    );
  });

  it('checks an index’s entries against the registry’s manifests (a wrong size, an entry not there)', async () => {
    const good = await cliOk(['manifest', 'fetch', `${registry.host}/art:v1`, '--descriptor'], { env });
    const entry = JSON.parse(good.stdout) as { mediaType: string; digest: string; size: number };
    const index = path.join(work, 'index.json');
    await fs.writeFile(
      index,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: entry.mediaType, digest: entry.digest, size: entry.size },
          { mediaType: entry.mediaType, digest: entry.digest, size: entry.size + 1 },
          { mediaType: entry.mediaType, digest: `sha256:${'ab'.repeat(32)}`, size: 10 },
        ],
      }),
    );
    const run = await cli(['manifest', 'push', `${registry.host}/art:index`, index], { env });
    assert.equal(run.code, 1, run.stderr);
    const findings = run.stderr.split('\n').filter((line) => line.startsWith(index));
    assert.equal(findings.length, 2, run.stderr);
    assert.match(
      findings[0]!,
      new RegExp(`error blob-size-mismatch manifests\\[1\\]: the stored blob has ${entry.size} bytes`),
    );
    assert.match(findings[1]!, /error blob-missing manifests\[2\]: blob sha256:(ab)+ is not in/);
    const fixed = JSON.parse(await fs.readFile(index, 'utf8')) as { manifests: unknown[] };
    fixed.manifests = fixed.manifests.slice(0, 1);
    await fs.writeFile(index, JSON.stringify(fixed));
    await cliOk(['manifest', 'push', `${registry.host}/art:index`, index], { env });
  });

  it('manifest push --descriptor prints the descriptor alone (as ORAS), ready to be pasted as a subject; --format json adds the reference', async () => {
    const file = await manifestFile('described.json');
    const described = JSON.parse(
      (await cliOk(['manifest', 'push', '--descriptor', `${registry.host}/art:described`, file], { env })).stdout,
    ) as Record<string, unknown>;
    const digest = (await cliOk(['resolve', `${registry.host}/art:described`], { env })).stdout.trim();
    const bytes = await fs.readFile(file);
    assert.deepEqual(described, {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest,
      size: bytes.length,
      artifactType: 'application/vnd.example.hello.v1',
    });
    const json = JSON.parse(
      (await cliOk(['manifest', 'push', '--format', 'json', `${registry.host}/art:described`, file], { env })).stdout,
    ) as Record<string, unknown>;
    assert.equal(json.reference, `${registry.host}/art@${digest}`);
    const deleted = JSON.parse(
      (await cliOk(['manifest', 'delete', '--force', '--descriptor', `${registry.host}/art:described`], { env }))
        .stdout,
    ) as Record<string, unknown>;
    assert.equal(deleted.reference, undefined);
    assert.equal(deleted.digest, digest);
  });

  it('a push that moves a tag says which digest the tag named before, in the text and in --format json', async () => {
    const first = await cliOk(['manifest', 'push', `${registry.host}/art:moving`, await manifestFile('moving.json')], {
      env,
    });
    assert.doesNotMatch(first.stdout, /Moved/, 'a new tag moves nothing');
    const old = (await cliOk(['resolve', `${registry.host}/art:moving`], { env })).stdout.trim();
    const changed = await manifestFile('moved.json', (m) => (m.annotations = { 'org.example.note': 'changed' }));
    const text = await cliOk(['manifest', 'push', `${registry.host}/art:moving,also`, changed], { env });
    const now = DIGEST.exec(text.stdout)![0];
    assert.notEqual(now, old);
    assert.equal(text.stdout.split('\n').slice(2).join('\n'), `Digest: ${now}\nMoved moving: it named ${old} before\n`);
    await cliOk(['manifest', 'push', `${registry.host}/art:moving`, await manifestFile('moving.json')], { env });
    const json = JSON.parse(
      (await cliOk(['manifest', 'push', '--format', 'json', `${registry.host}/art:moving`, changed], { env })).stdout,
    ) as Record<string, unknown>;
    assert.deepEqual(json.movedTags, [{ tag: 'moving', before: old }]);
    assert.equal(json.subject, undefined);
  });

  it('a referrer pushed by hand says the subject it is pushed for, in the text and in --format json', async () => {
    const {
      mediaType,
      digest: subject,
      size,
    } = JSON.parse(
      (await cliOk(['manifest', 'fetch', '--descriptor', `${registry.host}/art:moving`], { env })).stdout,
    ) as {
      mediaType: string;
      digest: string;
      size: number;
    };
    const file = await manifestFile('referrer.json', (m) => (m.subject = { mediaType, digest: subject, size }));
    const text = await cliOk(['manifest', 'push', `${registry.host}/art@${digestOf(await fs.readFile(file))}`, file], {
      env,
    });
    assert.match(text.stdout, new RegExp(`^Referrer of: ${registry.host}/art@${subject}$`, 'm'));
    const json = JSON.parse(
      (await cliOk(['manifest', 'push', '--format', 'json', `${registry.host}/art:review`, file], { env })).stdout,
    ) as Record<string, unknown>;
    assert.equal(json.subject, subject);
    assert.equal(json.movedTags, undefined);
  });

  it('a layer blob the registry lacks: the digest and field, and what to do; with --force the refusal says the same', async () => {
    const absent = digestOf(Buffer.from('never pushed\n'));
    const file = await manifestFile(
      'absent.json',
      (m) => (m.layers[0] = { mediaType: 'text/plain', digest: absent, size: 13 }),
    );
    const run = await cli(['manifest', 'push', `${registry.host}/art:absent`, file], { env });
    assert.equal(run.code, 1, run.stderr);
    const repo = `${registry.host}/art`;
    assert.equal(
      run.stderr,
      `${file}:13:17 error blob-missing layers[0]: blob ${absent} is not in ${repo}.\n` +
        `stowage manifest: ${file}: 1 error above; nothing pushed. Push the missing blob to ${repo} first ` +
        `(stowage blob push ${repo} FILE), or copy the artifact it comes from, then push the manifest again.\n`,
    );
    const forced = await cli(['manifest', 'push', `${registry.host}/art:absent`, file, '--force'], { env });
    assert.equal(forced.code, 1, forced.stderr);
    assert.equal(
      forced.stderr.split('\n').slice(1).join('\n'),
      `stowage manifest: ${repo} lacks blob ${absent} (layers[0]): push that blob there first, then the manifest again.\n`,
    );
  });

  it('manifest index pack (ORAS’s alias of index create) makes the same index', async () => {
    await cliOk(['manifest', 'push', `${registry.host}/art:source`, await manifestFile('source.json')], { env });
    const created = await cliOk(['manifest', 'index', 'create', `${registry.host}/art:created`, 'source'], { env });
    const packed = await cliOk(['manifest', 'index', 'pack', `${registry.host}/art:packed`, 'source'], { env });
    assert.equal(DIGEST.exec(packed.stdout)![0], DIGEST.exec(created.stdout)![0]);
  });

  it('names an OCI artifact manifest (image-spec drafts) for what it is, not only for its missing schemaVersion', async () => {
    const file = path.join(work, 'artifact-manifest.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
        artifactType: 'application/vnd.example.sbom.v1',
        blobs: [{ mediaType: 'application/json', digest: EMPTY_DIGEST, size: 2 }],
      }),
    );
    const run = await cli(['manifest', 'push', `${registry.host}/art:draft`, file], { env });
    assert.equal(run.code, 1);
    const [finding, error] = run.stderr.split('\n');
    assert.match(
      finding!,
      /artifact-manifest\.json:1:14 error artifact-manifest "application\/vnd\.oci\.artifact\.manifest\.v1\+json" \(the OCI artifact manifest\) was dropped from image-spec before 1\.1/,
    );
    assert.equal(error, `stowage manifest: ${file} has no schemaVersion: a manifest or index says "schemaVersion": 2`);
  });

  it('says a manifest has no schemaVersion, not "schemaVersion undefined"', async () => {
    const file = await manifestFile('no-version.json', (m) => delete m.schemaVersion);
    const run = await cli(['manifest', 'push', `${registry.host}/art:v1`, file], { env });
    assert.equal(
      run.stderr,
      `${file}:1:1 error schema-version schemaVersion is missing; it must be 2.\n` +
        `stowage manifest: ${file} has no schemaVersion: a manifest or index says "schemaVersion": 2\n`,
    );
    assert.equal(run.code, 1);
  });
});
