// "Coming from ORAS": every row of the README table, and ORAS v1.3's own examples (the `Example` text of its
// commands), run as written with `stowage` in place of `oras` against the real registry. Only the registry host
// (`localhost:5000`, `localhost:6000` → the test registry on `localhost:<port>`), example digests and the example
// user name and password are substituted; rows where Stowage differs say so in `differs` and assert that.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cliProcess, type CliRun } from '../../helpers/runCli';
import { EMPTY_DIGEST } from '../../../src/core/oci/mediaTypes';

/** A command line as a shell splits it: words, with "…" and '…' quoting, also inside a word (a='b c'). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const word of line.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g))
    words.push(
      word[0].replace(/"([^"]*)"|'([^']*)'/g, (_m, double?: string, single?: string) => double ?? single ?? ''),
    );
  return words;
}

const DIGEST = /sha256:[0-9a-f]{64}/;

describe('Coming from ORAS: the table rows and ORAS’s examples, verbatim', function () {
  this.timeout(300_000);
  let work: string;
  let registry: TestRegistry;
  let secured: TestRegistry;
  let host: string;
  let securedHost: string;
  let env: NodeJS.ProcessEnv;
  /**
   * Digests of the referrers attached to hello:v1 on the main registry. Attaches of the same file within one second
   * make the same manifest (its created time has seconds), so discover is checked against these, not a count.
   */
  const attachedToHello = new Set<string>();
  const noteAttached = (stdout: string) => attachedToHello.add(/^Digest: (sha256:[0-9a-f]{64})$/m.exec(stdout)![1]!);
  /** Example digests and user names in ORAS's lines, and what they stand for here. */
  const substitutes = new Map<string, string | (() => string)>();
  const digests: Record<string, string> = {};

  /** Runs an ORAS command line with `stowage`, in `cwd` (default the work folder). */
  async function oras(line: string, options: { cwd?: string; stdin?: string; registry?: 'secured' } = {}) {
    let text = line;
    // A function stands for one value per occurrence (ORAS's examples write `sha256:xxx` for different digests).
    for (const [from, to] of substitutes) text = text.replaceAll(from, () => (typeof to === 'string' ? to : to()));
    const target = options.registry === 'secured' ? securedHost : host;
    text = text.replace(/localhost:[56]000/g, target);
    const [program, ...args] = shellWords(text);
    assert.equal(program, 'oras');
    return cliProcess(args, env, { cwd: options.cwd ?? work, stdin: options.stdin });
  }

  async function ok(line: string, options: Parameters<typeof oras>[1] = {}): Promise<CliRun> {
    const run = await oras(line, options);
    assert.equal(run.code, 0, `${line}\n${run.stderr}${run.stdout}`);
    return run;
  }

  async function freshDir(name: string): Promise<string> {
    const dir = path.join(work, 'runs', name);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  async function stowage(args: string[]): Promise<CliRun> {
    const run = await cliProcess(args, env, { cwd: work });
    assert.equal(run.code, 0, `stowage ${args.join(' ')}\n${run.stderr}`);
    return run;
  }

  /** An image manifest for a platform (config with os/architecture, one titled layer), tagged in hello. */
  async function platformImage(tag: string, platform: { os: string; architecture: string; variant?: string }) {
    const config = path.join(work, `config-${tag}.json`);
    await fs.writeFile(config, JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = DIGEST.exec((await stowage(['blob', 'push', `${host}/hello`, config])).stdout)![0];
    const layerDigest = DIGEST.exec((await stowage(['blob', 'push', `${host}/hello`, 'hi.txt'])).stdout)![0];
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: (await fs.stat(config)).size,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: layerDigest,
          size: 3,
          annotations: { 'org.opencontainers.image.title': 'hi.txt' },
        },
      ],
    };
    const file = path.join(work, `manifest-${tag}.json`);
    await fs.writeFile(file, JSON.stringify(manifest));
    const pushed = await stowage(['manifest', 'push', `${host}/hello:${tag}`, file]);
    digests[tag] = DIGEST.exec(pushed.stdout)![0];
  }

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-oras-'));
    [registry, secured] = await Promise.all([
      startRegistry({ variant: 'plain', logLevel: 'warn' }),
      startRegistry({ variant: 'basic-plain', logLevel: 'warn' }),
    ]);
    // As ORAS's examples write it: "localhost", which Stowage, like ORAS, speaks plain HTTP to by itself.
    host = registry.host.replace('127.0.0.1', 'localhost');
    securedHost = secured.host.replace('127.0.0.1', 'localhost');
    env = {
      DOCKER_CONFIG: path.join(work, 'docker'),
      REGISTRY_AUTH_FILE: path.join(work, 'no-podman.json'),
      XDG_CONFIG_HOME: path.join(work, 'xdg'),
    };
    substitutes.set('-u username', `-u ${secured.username}`);
    substitutes.set('-p password', `-p ${secured.password}`);
    await fs.writeFile(path.join(work, 'hi.txt'), 'hi\n');
    await fs.writeFile(path.join(work, 'bye.txt'), 'bye\n');
    await fs.writeFile(path.join(work, 'blob.tar.gz'), 'pretend this is a tarball\n');
    await fs.writeFile(path.join(work, 'config.json'), '{"name":"demo"}');
    await fs.writeFile(
      path.join(work, 'annotation.json'),
      JSON.stringify({ $manifest: { team: 'docs' }, $config: { hello: 'world' }, 'hi.txt': { fun: 'more cream' } }),
    );
    await fs.mkdir(path.join(work, 'path', 'to'), { recursive: true });
    await stowage(['push', `${host}/net-monitor:v1`, 'hi.txt']);
    await stowage(['push', `${host}/example/one:v1`, 'hi.txt']);
    await platformImage('linux-amd64', { os: 'linux', architecture: 'amd64' });
    await platformImage('linux-arm64', { os: 'linux', architecture: 'arm64' });
    await stowage(['tag', `${host}/hello:linux-arm64`, 'arm64']);
    await platformImage('linux-armv7', { os: 'linux', architecture: 'arm', variant: 'v7' });
    await platformImage('linux-armv5', { os: 'linux', architecture: 'arm', variant: 'v5' });
    await platformImage('win64', { os: 'windows', architecture: 'amd64' });
    await platformImage('s390x', { os: 'linux', architecture: 's390x' });
  });

  after(async () => {
    await Promise.all([registry?.stop(), secured?.stop()]);
    await fs.rm(work, { recursive: true, force: true });
  });

  const manifestOf = async (ref: string) =>
    JSON.parse((await stowage(['manifest', 'fetch', `${host}/${ref}`])).stdout) as {
      artifactType?: string;
      config: { mediaType: string; annotations?: Record<string, string> };
      layers: Array<{ mediaType: string; annotations?: Record<string, string> }>;
      annotations?: Record<string, string>;
      manifests?: Array<{ digest: string; platform?: { architecture: string; variant?: string } }>;
    };

  describe('push', () => {
    it('oras push localhost:5000/hello:v1 hi.txt', async () => {
      const run = await ok('oras push localhost:5000/hello:v1 hi.txt');
      assert.match(run.stdout, new RegExp(`^Pushed \\[registry\\] ${host}/hello:v1$`, 'm'));
      assert.match(run.stdout, /^ArtifactType: application\/vnd\.unknown\.artifact\.v1$/m);
      assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
    });

    it('oras push --export-manifest manifest.json localhost:5000/hello:v1 hi.txt', async () => {
      const run = await ok('oras push --export-manifest manifest.json localhost:5000/hello:v1 hi.txt');
      const exported = await fs.readFile(path.join(work, 'manifest.json'));
      const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(run.stdout)![1]!;
      const resolved = (await stowage(['resolve', `${host}/hello:v1`])).stdout.trim();
      assert.equal(resolved, digest);
      assert.equal(
        (await manifestOf('hello:v1')).layers.length,
        (JSON.parse(exported.toString()) as { layers: [] }).layers.length,
      );
    });

    it('oras push localhost:5000/hello:v1 hi.txt:application/vnd.me.hi', async () => {
      await ok('oras push localhost:5000/hello:v1 hi.txt:application/vnd.me.hi');
      assert.equal((await manifestOf('hello:v1')).layers[0]!.mediaType, 'application/vnd.me.hi');
    });

    it('oras push localhost:5000/hello:v1 hi.txt:application/vnd.me.hi bye.txt:application/vnd.me.bye', async () => {
      await ok('oras push localhost:5000/hello:v1 hi.txt:application/vnd.me.hi bye.txt:application/vnd.me.bye');
      assert.deepEqual(
        (await manifestOf('hello:v1')).layers.map((l) => l.mediaType),
        ['application/vnd.me.hi', 'application/vnd.me.bye'],
      );
    });

    it('oras push --artifact-type application/vnd.example+type localhost:5000/hello:v1 hi.txt', async () => {
      const run = await ok('oras push --artifact-type application/vnd.example+type localhost:5000/hello:v1 hi.txt');
      assert.match(run.stdout, /^ArtifactType: application\/vnd\.example\+type$/m);
    });

    it('oras push --config config.json:application/vnd.me.config localhost:5000/hello:v1 hi.txt', async () => {
      await ok('oras push --config config.json:application/vnd.me.config localhost:5000/hello:v1 hi.txt');
      assert.equal((await manifestOf('hello:v1')).config.mediaType, 'application/vnd.me.config');
    });

    it('oras push --image-spec v1.0 --artifact-type application/vnd.me.config localhost:5000/hello:v1 hi.txt', async () => {
      const run = await ok(
        'oras push --image-spec v1.0 --artifact-type application/vnd.me.config localhost:5000/hello:v1 hi.txt',
      );
      assert.doesNotMatch(run.stdout, /ArtifactType:/);
      const manifest = await manifestOf('hello:v1');
      assert.equal(manifest.artifactType, undefined);
      assert.deepEqual(manifest.config, { mediaType: 'application/vnd.me.config', digest: EMPTY_DIGEST, size: 2 });
      // v1.0 has no artifactType: a type and a config cannot both be given; v1.1 with a config needs a type.
      const both = await oras(
        'oras push --image-spec v1.0 --artifact-type a/b --config config.json:application/vnd.me.config localhost:5000/hello:v1 hi.txt',
      );
      assert.equal(both.code, 1);
      assert.match(both.stderr, /an image-spec v1\.0 manifest has no artifactType/);
      const untyped = await oras(
        'oras push --image-spec v1.1 --config config.json:application/vnd.me.config localhost:5000/hello:v1 hi.txt',
      );
      assert.equal(untyped.code, 1);
      assert.match(untyped.stderr, /needs an artifact type \(--artifact-type\), or use image-spec v1\.0/);
    });

    it('oras push --config config.json localhost:5000/hello:v1 hi.txt (ORAS’s unknown config type)', async () => {
      await ok('oras push --config config.json localhost:5000/hello:v1 hi.txt');
      const manifest = await manifestOf('hello:v1');
      assert.equal(manifest.config.mediaType, 'application/vnd.unknown.config.v1+json');
      assert.equal(manifest.artifactType, undefined);
    });

    it('oras push --annotation "key=val" localhost:5000/hello:v1 (no files)', async () => {
      await ok('oras push --annotation "key=val" localhost:5000/hello:v1');
      const manifest = await manifestOf('hello:v1');
      assert.deepEqual(manifest.layers, []);
      assert.equal(manifest.annotations?.['key'], 'val');
    });

    it('oras push --annotation-file annotation.json localhost:5000/hello:v1 (no files)', async () => {
      const file = path.join(work, 'manifest-only.json');
      await fs.writeFile(file, JSON.stringify({ $manifest: { team: 'docs' } }));
      await ok(`oras push --annotation-file ${file} localhost:5000/hello:v1`);
      assert.equal((await manifestOf('hello:v1')).annotations?.['team'], 'docs');
    });

    it('oras push localhost:5000/hello:v1 hi:txt: (a name with a colon: read as hi:txt, then refused as a Windows-unsafe title; differs)', async () => {
      await fs.writeFile(path.join(work, 'hi:txt'), 'hi\n');
      const run = await oras('oras push localhost:5000/hello:v1 hi:txt:');
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /refusing "hi:txt": layer title: the character ":" is not allowed in file names on Windows/,
      );
    });

    it('oras push --disable-path-validation localhost:5000/hello:v1 /abs/path/hi.txt (titled by its name alone; differs)', async () => {
      const absolute = path.join(work, 'hi.txt');
      await ok(`oras push --disable-path-validation localhost:5000/hello:abs ${absolute}`);
      await ok(`oras push localhost:5000/hello:abs2 ${absolute}`);
      for (const tag of ['abs', 'abs2'])
        assert.deepEqual(
          (await manifestOf(`hello:${tag}`)).layers.map((l) => l.annotations?.['org.opencontainers.image.title']),
          ['hi.txt'],
        );
    });

    it('oras push --artifact-platform linux/arm/v5 localhost:5000/hello:v1', async () => {
      await ok('oras push --artifact-platform linux/arm/v5 localhost:5000/hello:v1');
      const manifest = await manifestOf('hello:v1');
      assert.equal(manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');
      assert.equal(manifest.artifactType, 'application/vnd.unknown.artifact.v1');
      const config = await stowage(['manifest', 'fetch-config', `${host}/hello:v1`]);
      assert.deepEqual(JSON.parse(config.stdout), { architecture: 'arm', os: 'linux', variant: 'v5' });
    });

    it('oras push localhost:5000/hello:v1 hi.txt --format json', async () => {
      const run = await ok('oras push localhost:5000/hello:v1 hi.txt --format json');
      const out = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.match(out['reference'] as string, new RegExp(`^${host}/hello@sha256:[0-9a-f]{64}$`));
      assert.deepEqual(out['referenceAsTags'], [`${host}/hello:v1`]);
      assert.equal(out['mediaType'], 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(out['artifactType'], 'application/vnd.unknown.artifact.v1');
    });

    it('oras push localhost:5000/hello:tag1,tag2,tag3 hi.txt', async () => {
      await ok('oras push localhost:5000/hello:tag1,tag2,tag3 hi.txt');
      const tags = (await stowage(['tags', `${host}/hello`])).stdout.split('\n');
      for (const tag of ['tag1', 'tag2', 'tag3']) assert.ok(tags.includes(tag), tag);
    });

    it('oras push --annotation-file annotation.json localhost:5000/hello:v1 hi.txt ($manifest, $config, a file)', async () => {
      await ok('oras push --annotation-file annotation.json localhost:5000/hello:v1 hi.txt');
      const manifest = await manifestOf('hello:v1');
      assert.equal(manifest.annotations?.['team'], 'docs');
      assert.equal(manifest.config.annotations?.['hello'], 'world');
      assert.equal(manifest.layers[0]!.annotations?.['fun'], 'more cream');
    });

    it('oras push --annotation-file files.json localhost:5000/hello:typed ./docs/readme.md site/ (files keyed as typed)', async () => {
      const dir = await freshDir('annotations-as-typed');
      await fs.mkdir(path.join(dir, 'docs'));
      await fs.mkdir(path.join(dir, 'site'));
      await fs.writeFile(path.join(dir, 'docs', 'readme.md'), '# hi\n');
      await fs.writeFile(path.join(dir, 'site', 'index.html'), '<p>hi</p>\n');
      // ORAS looks a file up by the path as it was typed; Stowage also by its title (readme.md, site).
      await fs.writeFile(
        path.join(dir, 'files.json'),
        JSON.stringify({ './docs/readme.md': { kind: 'doc' }, 'site/': { kind: 'site' } }),
      );
      await ok('oras push --annotation-file files.json localhost:5000/hello:typed ./docs/readme.md site/', {
        cwd: dir,
      });
      const kinds = (await manifestOf('hello:typed')).layers.map((l) => [
        l.annotations?.['org.opencontainers.image.title'],
        l.annotations?.['kind'],
      ]);
      assert.deepEqual(kinds, [
        ['readme.md', 'doc'],
        ['site', 'site'],
      ]);
    });

    it('oras push --oci-layout layout-dir:v1 hi.txt', async () => {
      const run = await ok('oras push --oci-layout layout-dir:v1 hi.txt');
      assert.match(run.stdout, /^Pushed \[oci-layout\] .*layout-dir:v1$/m);
      await fs.stat(path.join(work, 'layout-dir', 'index.json'));
    });

    it('oras push --insecure localhost:5000/hello:v1 hi.txt', async () => {
      await ok('oras push --insecure localhost:5000/hello:v1 hi.txt');
    });

    it('oras push --plain-http localhost:5000/hello:v1 hi.txt', async () => {
      await ok('oras push --plain-http localhost:5000/hello:v1 hi.txt');
    });

    it('oras push -u username -p password localhost:5000/hello:v1 hi.txt (warns that -p is insecure)', async () => {
      const run = await ok('oras push -u username -p password localhost:5000/hello:v1 hi.txt', { registry: 'secured' });
      assert.match(run.stderr, /WARNING! Using --password via the CLI is insecure/);
    });
  });

  describe('pull', () => {
    it('oras pull localhost:5000/hello:v9 (a tag that is not there: the error names the tags that are)', async () => {
      const run = await oras('oras pull localhost:5000/hello:v9', { cwd: await freshDir('pull-missing') });
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        new RegExp(`^  hint: ${host}/hello has no tag "v9" \\(did you mean "v1"\\?\\); its tags include \\S`, 'm'),
      );
      const repository = await oras('oras pull localhost:5000/no-such-repository:v1');
      assert.match(repository.stderr, /hint: .*\/no-such-repository has no tags \(or does not exist\)/);
    });

    it('oras pull localhost:5000/hello:v1', async () => {
      const dir = await freshDir('pull');
      const run = await ok('oras pull localhost:5000/hello:v1', { cwd: dir });
      assert.equal(await fs.readFile(path.join(dir, 'hi.txt'), 'utf8'), 'hi\n');
      assert.match(run.stdout, new RegExp(`^Pulled \\[registry\\] ${host}/hello:v1$`, 'm'));
      assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
    });

    it('oras pull localhost:5000/hello:v1 again into the same folder: unchanged files stay, changed ones only with --overwrite (differs)', async () => {
      const dir = await freshDir('pull');
      const same = await ok('oras pull localhost:5000/hello:v1', { cwd: dir });
      assert.match(same.stdout, /^unchanged .*hi\.txt \(3 B\)$/m);
      await fs.writeFile(path.join(dir, 'hi.txt'), 'edited\n');
      const again = await oras('oras pull localhost:5000/hello:v1', { cwd: dir });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /--overwrite/);
      assert.equal(await fs.readFile(path.join(dir, 'hi.txt'), 'utf8'), 'edited\n');
      await ok('oras pull --overwrite localhost:5000/hello:v1', { cwd: dir });
      assert.equal(await fs.readFile(path.join(dir, 'hi.txt'), 'utf8'), 'hi\n');
    });

    it('oras pull --allow-path-traversal localhost:5000/hello:v1 (refused: nothing is written outside the folder; differs)', async () => {
      const dir = await freshDir('pull-traversal');
      const run = await oras('oras pull --allow-path-traversal localhost:5000/hello:v1', { cwd: dir });
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /--allow-path-traversal is refused: Stowage never writes outside the folder it pulls into/,
      );
      assert.deepEqual(await fs.readdir(dir), []);
    });

    it('oras pull -k localhost:5000/hello:v1 (Stowage keeps old files by default)', async () => {
      const dir = await freshDir('pull');
      await fs.writeFile(path.join(dir, 'hi.txt'), 'mine\n');
      const run = await oras('oras pull -k localhost:5000/hello:v1', { cwd: dir });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /already exist/);
    });

    for (const line of [
      'oras pull --insecure localhost:5000/hello:v1',
      'oras pull --plain-http localhost:5000/hello:v1',
      'oras pull --concurrency 6 localhost:5000/hello:v1',
    ])
      it(line, async () => {
        const dir = await freshDir(line.replace(/\W+/g, '-'));
        await ok(line, { cwd: dir });
        await fs.stat(path.join(dir, 'hi.txt'));
      });

    it('oras pull --oci-layout layout-dir:v1', async () => {
      const dir = await freshDir('pull-layout');
      await fs.cp(path.join(work, 'layout-dir'), path.join(dir, 'layout-dir'), { recursive: true });
      await ok('oras pull --oci-layout layout-dir:v1', { cwd: dir });
      assert.equal(await fs.readFile(path.join(dir, 'hi.txt'), 'utf8'), 'hi\n');
    });

    it('oras pull localhost:5000/hello:v1 --format json', async () => {
      const dir = await freshDir('pull-json');
      const out = JSON.parse((await ok('oras pull localhost:5000/hello:v1 --format json', { cwd: dir })).stdout) as {
        reference: string;
        files: Array<{ path: string; reference: string; digest: string; mediaType: string }>;
      };
      assert.match(out.reference, new RegExp(`^${host}/hello@sha256:`));
      assert.equal(out.files[0]!.path, path.join(await fs.realpath(dir), 'hi.txt'));
      assert.equal(out.files[0]!.reference, `${host}/hello@${out.files[0]!.digest}`);
    });
  });

  describe('attach', () => {
    for (const line of [
      'oras attach --artifact-type doc/example localhost:5000/hello:v1 hi.txt',
      'oras attach --artifact-type doc/example localhost:5000/hello:v1 hi.txt:application/vnd.me.hi',
      'oras attach --artifact-type doc/example --distribution-spec v1.1-referrers-tag localhost:5000/hello:v1 hi.txt',
      'oras attach --artifact-type doc/example --annotation-file annotation.json localhost:5000/hello:v1 hi.txt',
      'oras attach --artifact-type doc/example --annotation "key=val" localhost:5000/hello:v1 hi.txt',
    ])
      it(line, async () => {
        const run = await ok(line);
        assert.match(run.stdout, new RegExp(`^Attached to \\[registry\\] ${host}/hello@sha256:[0-9a-f]{64}$`, 'm'));
        assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
        noteAttached(run.stdout);
      });

    it('oras attach --artifact-type doc/example --annotation "key1=val1" --annotation "key2=val2" localhost:5000/hello:v1', async () => {
      const run = await ok(
        'oras attach --artifact-type doc/example --annotation "key1=val1" --annotation "key2=val2" localhost:5000/hello:v1',
      );
      const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(run.stdout)![1]!;
      noteAttached(run.stdout);
      const manifest = await manifestOf(`hello@${digest}`);
      assert.deepEqual(manifest.layers, []);
      assert.equal(manifest.annotations?.['key2'], 'val2');
    });

    it('oras attach --artifact-type doc/example --export-manifest manifest.json localhost:5000/hello:v1 hi.txt', async () => {
      const run = await ok(
        'oras attach --artifact-type doc/example --export-manifest manifest.json localhost:5000/hello:v1 hi.txt',
      );
      const exported = JSON.parse(await fs.readFile(path.join(work, 'manifest.json'), 'utf8')) as { subject?: unknown };
      assert.ok(exported.subject);
      assert.match(run.stdout, DIGEST);
      noteAttached(run.stdout);
    });

    it('oras attach --oci-layout --artifact-type doc/example layout-dir:v1 hi.txt', async () => {
      const run = await ok('oras attach --oci-layout --artifact-type doc/example layout-dir:v1 hi.txt');
      assert.match(run.stdout, /^Attached to \[oci-layout\]/m);
    });

    it('oras attach --artifact-type doc/example localhost:5000/hello:v1 hi.txt --format json', async () => {
      const out = JSON.parse(
        (await ok('oras attach --artifact-type doc/example localhost:5000/hello:v1 hi.txt --format json')).stdout,
      ) as {
        reference: string;
        artifactType: string;
      };
      assert.match(out.reference, new RegExp(`^${host}/hello@sha256:`));
      assert.equal(out.artifactType, 'doc/example');
      attachedToHello.add(out.reference.split('@')[1]!);
    });

    it('oras attach --artifact-type "doc example" …: refused before anything is pushed, naming the type (differs: ORAS sends it)', async () => {
      const run = await oras('oras attach --artifact-type "doc example" localhost:5000/hello:v1 hi.txt');
      assert.equal(run.code, 2, 'a usage error');
      assert.match(run.stderr, /the artifact type "doc example" is not a media type: type\/subtype \(RFC 6838\)/);
    });

    it('oras attach … --distribution-spec v1.1-referrers-api on a registry without the API: refused, naming the way out (differs: ORAS fails later)', async () => {
      const run = await oras(
        'oras attach --artifact-type doc/example --distribution-spec v1.1-referrers-api localhost:5000/hello:v1 hi.txt',
      );
      assert.equal(run.code, 2);
      assert.match(run.stderr, /has no referrers API/);
    });
  });

  describe('pull --include-subject', () => {
    it('oras pull --include-subject localhost:5000/hello:v1 (and from a referrer: its subject’s files too)', async () => {
      const plain = await freshDir('include-subject');
      await ok('oras pull --include-subject localhost:5000/hello:v1', { cwd: plain });
      assert.deepEqual(await fs.readdir(plain), ['hi.txt'], 'v1 has no subject: its own files');
      const note = path.join(await freshDir('subject-note'), 'note.md');
      await fs.writeFile(note, 'a note\n');
      const attached = await stowage(['attach', '--artifact-type', 'doc/example', `${host}/hello:v1`, note]);
      const referrer = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(attached.stdout)![1]!;
      const dir = await freshDir('include-subject-referrer');
      const run = await ok(`oras pull --include-subject localhost:5000/hello@${referrer}`, { cwd: dir });
      assert.deepEqual((await fs.readdir(dir)).sort(), ['hi.txt', 'note.md']);
      assert.match(run.stdout, /^pulled its subject sha256:[0-9a-f]{64}: 1 item/m);
    });
  });

  describe('discover', () => {
    it('oras discover localhost:5000/hello:v1', async () => {
      const tree = (await ok('oras discover localhost:5000/hello:v1')).stdout;
      assert.match(tree, new RegExp(`^${host}/hello@sha256:[0-9a-f]{64}\\n`));
      assert.match(tree, /^[├└]── doc\/example\n[│ ]+[├└]── sha256:[0-9a-f]{64}$/m);
    });

    it('oras discover --distribution-spec v1.1-referrers-tag localhost:5000/hello:v1 (and -api: refused here)', async () => {
      const tree = (await ok('oras discover --distribution-spec v1.1-referrers-tag localhost:5000/hello:v1')).stdout;
      assert.match(tree, /^[├└]── doc\/example\n[│ ]+[├└]── sha256:[0-9a-f]{64}$/m);
      const api = await oras('oras discover --distribution-spec v1.1-referrers-api localhost:5000/hello:v1');
      assert.equal(api.code, 2);
      assert.match(api.stderr, /has no referrers API; drop --distribution-spec/);
    });

    it('oras discover --format tree localhost:5000/hello:v1', async () => {
      assert.match((await ok('oras discover --format tree localhost:5000/hello:v1')).stdout, /── doc\/example/);
    });

    it('oras discover --format json localhost:5000/hello:v1', async () => {
      const out = JSON.parse((await ok('oras discover --format json localhost:5000/hello:v1')).stdout) as {
        reference: string;
        referrers: Array<{ reference: string; artifactType: string; digest: string; referrers: unknown[] }>;
      };
      assert.match(out.reference, new RegExp(`^${host}/hello@sha256:`));
      assert.ok(attachedToHello.size >= 3, `${attachedToHello.size} distinct attaches recorded`);
      const listed = new Set(out.referrers.map((r) => r.digest));
      for (const digest of attachedToHello) assert.ok(listed.has(digest), `${digest} is not listed`);
      for (const r of out.referrers) {
        assert.equal(r.artifactType, 'doc/example');
        assert.equal(r.reference, `${host}/hello@${r.digest}`);
        assert.ok(Array.isArray(r.referrers));
      }
    });

    it('oras discover --depth 1 localhost:5000/hello:v1', async () => {
      assert.match((await ok('oras discover --depth 1 localhost:5000/hello:v1')).stdout, /── doc\/example/);
    });

    it('oras discover --oci-layout layout-dir:v1', async () => {
      assert.match((await ok('oras discover --oci-layout layout-dir:v1')).stdout, /── doc\/example/);
    });

    it('oras discover --format table localhost:5000/hello:v1', async () => {
      const lines = (await ok('oras discover --format table localhost:5000/hello:v1')).stdout.trimEnd().split('\n');
      const referrers = lines.slice(4);
      assert.equal(lines[0], `Discovered ${referrers.length} artifacts referencing ${host}/hello:v1`);
      assert.match(lines[1]!, /^Digest: sha256:[0-9a-f]{64}$/);
      assert.equal(lines[2], '');
      assert.equal(lines[3], 'Artifact Type   Digest');
      assert.ok(referrers.length >= attachedToHello.size, lines.join('\n'));
      for (const digest of attachedToHello) assert.ok(referrers.includes(`doc/example     ${digest}`), digest);
    });

    it('oras discover -o table localhost:5000/hello:v1 (ORAS’s deprecated flag: same table, a note on stderr)', async () => {
      const run = await ok('oras discover -o table localhost:5000/hello:v1');
      assert.match(run.stdout, /^Discovered \d+ artifacts referencing /);
      assert.match(run.stderr, /--output is deprecated, use --format table instead/);
      const both = await oras('oras discover -o tree --format json localhost:5000/hello:v1');
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--format and --output cannot be used together/);
    });
  });

  describe('manifest fetch', () => {
    it('oras manifest fetch localhost:5000/hello:v1', async () => {
      const run = await ok('oras manifest fetch localhost:5000/hello:v1');
      assert.equal((JSON.parse(run.stdout) as { schemaVersion: number }).schemaVersion, 2);
    });

    it('oras manifest fetch --pretty localhost:5000/hello:v1', async () => {
      assert.match(
        (await ok('oras manifest fetch --pretty localhost:5000/hello:v1')).stdout,
        /^{\n {2}"schemaVersion"/,
      );
    });

    it('oras manifest fetch --descriptor localhost:5000/hello:v1', async () => {
      const out = JSON.parse((await ok('oras manifest fetch --descriptor localhost:5000/hello:v1')).stdout) as {
        digest: string;
      };
      assert.match(out.digest, DIGEST);
    });

    it('oras manifest fetch --output manifest.json localhost:5000/hello:v1', async () => {
      const run = await ok('oras manifest fetch --output manifest.json localhost:5000/hello:v1');
      assert.equal(run.stdout, '');
      const bytes = await fs.readFile(path.join(work, 'manifest.json'));
      assert.equal((JSON.parse(bytes.toString()) as { schemaVersion: number }).schemaVersion, 2);
    });

    it('oras manifest fetch --format json localhost:5000/hello:v1', async () => {
      const out = JSON.parse((await ok('oras manifest fetch --format json localhost:5000/hello:v1')).stdout) as {
        reference: string;
        digest: string;
        content: { schemaVersion: number };
      };
      assert.equal(out.reference, `${host}/hello@${out.digest}`);
      assert.equal(out.content.schemaVersion, 2);
    });

    it('oras manifest fetch --oci-layout layout-dir:v1', async () => {
      await ok('oras manifest fetch --oci-layout layout-dir:v1');
    });
  });

  describe('manifest fetch --media-type', () => {
    it("oras manifest fetch --media-type 'application/vnd.oci.image.manifest.v1+json' localhost:5000/hello:v1 (another type refused)", async () => {
      const run = await ok(
        "oras manifest fetch --media-type 'application/vnd.oci.image.manifest.v1+json' localhost:5000/hello:v1",
      );
      assert.equal((JSON.parse(run.stdout) as { schemaVersion: number }).schemaVersion, 2);
      const other = await oras(
        "oras manifest fetch --media-type 'application/vnd.oci.image.index.v1+json' localhost:5000/hello:v1",
      );
      assert.equal(other.code, 1);
      assert.match(
        other.stderr,
        /is a application\/vnd\.oci\.image\.manifest\.v1\+json, not application\/vnd\.oci\.image\.index\.v1\+json/,
      );
    });
  });

  describe('manifest fetch-config', () => {
    const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: 2 };

    it('oras manifest fetch-config localhost:5000/hello:v1 (the raw config bytes; get-config too)', async () => {
      assert.equal((await ok('oras manifest fetch-config localhost:5000/hello:v1')).stdout, '{}');
      assert.equal((await ok('oras manifest get-config localhost:5000/hello:v1')).stdout, '{}');
    });

    it('oras manifest fetch-config --pretty localhost:5000/hello:v1', async () => {
      assert.equal((await ok('oras manifest fetch-config --pretty localhost:5000/hello:v1')).stdout, '{}\n');
    });

    it('oras manifest fetch-config --output config.json localhost:5000/hello:v1', async () => {
      const dir = await freshDir('config');
      const run = await ok('oras manifest fetch-config --output config.json localhost:5000/hello:v1', { cwd: dir });
      assert.equal(run.stdout, '');
      assert.equal(await fs.readFile(path.join(dir, 'config.json'), 'utf8'), '{}');
    });

    it('oras manifest fetch-config --descriptor localhost:5000/hello:v1 (and --descriptor --pretty)', async () => {
      assert.deepEqual(
        JSON.parse((await ok('oras manifest fetch-config --descriptor localhost:5000/hello:v1')).stdout),
        EMPTY,
      );
      assert.deepEqual(
        JSON.parse((await ok('oras manifest fetch-config --descriptor --pretty localhost:5000/hello:v1')).stdout),
        EMPTY,
      );
      const both = await oras('oras manifest fetch-config --descriptor --output - localhost:5000/hello:v1');
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--output - and --descriptor cannot be used together/);
    });
  });

  describe('blob', () => {
    it('oras blob push localhost:5000/hello blob.tar.gz', async () => {
      const run = await ok('oras blob push localhost:5000/hello blob.tar.gz');
      assert.match(run.stdout, new RegExp(`^Pushed \\[registry\\] ${host}/hello$`, 'm'));
      const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(run.stdout)![1]!;
      substitutes.set('sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5', digest);
    });

    it('oras blob push --size 123 localhost:5000/hello@sha256:9a20… - (from standard input)', async () => {
      const bytes = 'pretend this is a tarball\n';
      substitutes.set('--size 123', `--size ${bytes.length}`);
      const line =
        'oras blob push --size 123 localhost:5000/hello@sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5 -';
      const run = await ok(line, { stdin: bytes });
      assert.match(run.stdout, /^Pushed \[registry\] /m);
      // Checked before anything is sent: other bytes, or another size, are refused naming standard input.
      const other = await oras(line, { stdin: 'something else entirely\n' });
      assert.equal(other.code, 1);
      assert.match(other.stderr, /standard input: (digest|size) mismatch/);
      // Stowage needs neither the digest nor the size (ORAS does): it reads standard input into a private file first.
      const plain = await ok('oras blob push localhost:5000/hello -', { stdin: 'from a pipe\n' });
      const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(plain.stdout)![1]!;
      const fetched = await stowage(['blob', 'fetch', '-o', '-', `${host}/hello@${digest}`]);
      assert.equal(fetched.stdout, 'from a pipe\n');
    });

    it('oras blob push localhost:5000/hello@<another digest> file: refused before anything is sent, naming both digests', async () => {
      const bytes = `pushed under a mistyped digest ${Date.now()}\n`;
      await fs.writeFile(path.join(work, 'typo.txt'), bytes);
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const wrong = `sha256:${'ab'.repeat(32)}`;
      const run = await oras(`oras blob push localhost:5000/hello@${wrong} typo.txt`);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stderr, `stowage blob: typo.txt: digest mismatch (expected ${wrong}, got ${actual})\n`);
      const fetched = await oras(`oras blob fetch --descriptor localhost:5000/hello@${actual}`);
      assert.equal(fetched.code, 1, 'the blob was uploaded under its own digest');
    });

    it('oras blob fetch --output blob.tar.gz localhost:5000/hello@sha256:9a20…', async () => {
      const dir = await freshDir('blob');
      await ok(
        'oras blob fetch --output blob.tar.gz localhost:5000/hello@sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5',
        { cwd: dir },
      );
      assert.equal(await fs.readFile(path.join(dir, 'blob.tar.gz'), 'utf8'), 'pretend this is a tarball\n');
    });

    it('oras blob fetch --output - localhost:5000/hello@sha256:9a20…', async () => {
      const run = await ok(
        'oras blob fetch --output - localhost:5000/hello@sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5',
      );
      assert.equal(run.stdout, 'pretend this is a tarball\n');
    });

    it('oras blob fetch --descriptor localhost:5000/hello@sha256:9a20…', async () => {
      const run = await ok(
        'oras blob fetch --descriptor localhost:5000/hello@sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5',
      );
      assert.equal((JSON.parse(run.stdout) as { size: number }).size, 26);
    });

    it('oras blob fetch --oci-layout --output - layout-dir@sha256:… (the layout’s hi.txt)', async () => {
      const hiDigest = DIGEST.exec(
        (await stowage(['blob', 'push', '--oci-layout', 'layout-dir', 'hi.txt'])).stdout,
      )![0];
      const run = await ok(`oras blob fetch --oci-layout --output - layout-dir@${hiDigest}`);
      assert.equal(run.stdout, 'hi\n');
    });

    it('oras blob fetch --oci-layout --output - layout.tar@sha256:… (a layout archive)', async () => {
      await stowage(['cp', 'oci:layout-dir:v1', 'oci-archive:layout.tar:v1']);
      const hiDigest = DIGEST.exec(
        (await stowage(['blob', 'push', '--oci-layout', 'layout-dir', 'hi.txt'])).stdout,
      )![0];
      const run = await ok(`oras blob fetch --oci-layout --output - layout.tar@${hiDigest}`);
      assert.equal(run.stdout, 'hi\n');
      const descriptor = JSON.parse(
        (await ok(`oras blob fetch --oci-layout --descriptor layout.tar@${hiDigest}`)).stdout,
      ) as {
        size: number;
      };
      assert.equal(descriptor.size, 3);
    });

    it('oras blob push --descriptor --pretty localhost:5000/hello hi.txt (ORAS’s default layer media type)', async () => {
      const run = await ok('oras blob push --descriptor --pretty localhost:5000/hello hi.txt');
      assert.match(run.stdout, /^{\n {2}"mediaType": "application\/vnd\.oci\.image\.layer\.v1\.tar",/);
    });

    it('oras blob delete localhost:5000/hello@sha256:9a20…: refused without --force, there is no prompt (differs)', async () => {
      const line =
        'oras blob delete localhost:5000/hello@sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5';
      const run = await oras(line);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--force/);
    });

    it('oras blob delete --force localhost:5000/hello@sha256:9a20…', async () => {
      const line =
        'oras blob delete --force localhost:5000/hello@sha256:9a201d228ebd966211f7d1131be19f152be428bd373a92071c71d8deaf83b3e5';
      assert.match((await ok(line)).stdout, /^Deleted \[registry\]/m);
      const gone = await oras(line.replace('delete --force', 'fetch --descriptor'));
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /not found/);
    });
  });

  describe('--format go-template', () => {
    it("oras push --format go-template --template '{{.digest}}' localhost:5000/hello:tpl hi.txt", async () => {
      const run = await ok("oras push --format go-template --template '{{.digest}}' localhost:5000/hello:tpl hi.txt");
      assert.match(run.stdout, /^sha256:[0-9a-f]{64}$/);
      assert.equal(run.stdout, (await stowage(['resolve', `${host}/hello:tpl`])).stdout.trim());
    });

    it("oras push localhost:5000/hello:tpl hi.txt --format go-template='{{.reference}}' --no-tty", async () => {
      const run = await ok("oras push localhost:5000/hello:tpl hi.txt --format go-template='{{.reference}}' --no-tty");
      assert.match(run.stdout, new RegExp(`^${host}/hello@sha256:[0-9a-f]{64}$`));
    });

    it("oras manifest fetch --format go-template --template '{{ toPrettyJson .content }}' localhost:5000/hello:v1", async () => {
      const run = await ok(
        "oras manifest fetch --format go-template --template '{{ toPrettyJson .content }}' localhost:5000/hello:v1",
      );
      assert.deepEqual(JSON.parse(run.stdout), await manifestOf('hello:v1'));
    });

    it('oras discover and oras pull through a template: referrers and files, a line each', async () => {
      const types = await ok(
        `oras discover --format go-template='{{range .referrers}}{{println .artifactType}}{{end}}' localhost:5000/hello:v1`,
      );
      assert.ok(types.stdout.split('\n').includes('doc/example'), types.stdout);
      const dir = await freshDir('template-pull');
      const pulled = await ok(
        `oras pull --format go-template='{{range .files}}{{println .path}}{{end}}' localhost:5000/hello:v1`,
        { cwd: dir },
      );
      assert.equal(pulled.stdout, `${path.join(await fs.realpath(dir), 'hi.txt')}\n`);
    });
  });

  describe('repo, tag, resolve', () => {
    it('oras repo ls localhost:5000', async () => {
      const names = (await ok('oras repo ls localhost:5000')).stdout.split('\n');
      for (const name of ['hello', 'net-monitor', 'example/one']) assert.ok(names.includes(name), name);
    });

    it('oras repo ls localhost:5000/example', async () => {
      assert.equal((await ok('oras repo ls localhost:5000/example')).stdout, 'one\n');
    });

    it('oras repo tags localhost:5000/hello', async () => {
      assert.ok((await ok('oras repo tags localhost:5000/hello')).stdout.split('\n').includes('v1'));
    });

    it('oras repo tags --oci-layout layout-dir', async () => {
      assert.ok((await ok('oras repo tags --oci-layout layout-dir')).stdout.split('\n').includes('v1'));
    });

    it('oras tag localhost:5000/hello:v1 v2 v3', async () => {
      await ok('oras tag localhost:5000/hello:v1 v2 v3');
      const v1 = (await stowage(['resolve', `${host}/hello:v1`])).stdout;
      assert.equal((await stowage(['resolve', `${host}/hello:v3`])).stdout, v1);
    });

    it('oras repo tags --last v1 localhost:5000/hello (and repo ls --last)', async () => {
      // distribution 2.8 ignores `last` without `n`: what it should have skipped is dropped by Stowage.
      const after = (await ok('oras repo tags --last v1 localhost:5000/hello')).stdout.trim().split('\n').sort();
      assert.deepEqual(after, ['v2', 'v3', 'win64'], 'win64 from the multi-platform example');
      const repos = (await ok('oras repo ls --last hello localhost:5000')).stdout.trim().split('\n');
      assert.ok(repos.includes('net-monitor'));
      assert.ok(
        repos.every((name) => name > 'hello'),
        repos.join(' '),
      );
      assert.equal((await ok('oras repo ls --last one localhost:5000/example')).stdout, '');
      assert.equal((await ok('oras repo ls --last a localhost:5000/example')).stdout, 'one\n');
    });

    it('oras repo tags localhost:5000/hello:latest and localhost:5000/hello@sha256:c551… (the tags naming that manifest)', async () => {
      await stowage(['tag', `${host}/hello:v1`, 'latest']);
      const v1 = (await stowage(['resolve', `${host}/hello:v1`])).stdout.trim();
      const same = (await ok('oras repo tags localhost:5000/hello:latest')).stdout.trim().split('\n').sort();
      assert.deepEqual(same, ['latest', 'v1', 'v2', 'v3']);
      substitutes.set('sha256:c551125a624189cece9135981621f3f3144564ddabe14b523507bf74c2281d9b', v1);
      const byDigest = await ok(
        'oras repo tags localhost:5000/hello@sha256:c551125a624189cece9135981621f3f3144564ddabe14b523507bf74c2281d9b',
      );
      assert.deepEqual(byDigest.stdout.trim().split('\n').sort(), same);
    });

    it('oras repo tags localhost:5000/hello --format json, and --format go-template --template "{{.tags}}"', async () => {
      const json = JSON.parse((await ok('oras repo tags localhost:5000/hello --format json')).stdout) as {
        tags: string[];
      };
      assert.ok(json.tags.includes('v1'));
      const template = await ok('oras repo tags localhost:5000/hello --format go-template --template "{{.tags}}"');
      assert.match(template.stdout, /^\[.*\bv1\b.*\]$/);
      const repos = JSON.parse((await ok('oras repo ls localhost:5000 --format json')).stdout) as {
        repositories: string[];
      };
      assert.ok(repos.repositories.includes('hello'));
      // Stowage's own `tags` and `repos` keep printing a bare list.
      assert.ok(
        (JSON.parse((await stowage(['tags', `${host}/hello`, '--format', 'json'])).stdout) as string[]).includes('v1'),
      );
    });

    it('oras tag --oci-layout layout-dir:v1 v2', async () => {
      await ok('oras tag --oci-layout layout-dir:v1 v2');
    });

    it('oras resolve -l localhost:5000/hello:v1', async () => {
      assert.match(
        (await ok('oras resolve -l localhost:5000/hello:v1')).stdout,
        new RegExp(`^${host}/hello@sha256:[0-9a-f]{64}\\n$`),
      );
    });

    it('oras resolve localhost:5000/hello:v1', async () => {
      assert.match((await ok('oras resolve localhost:5000/hello:v1')).stdout, /^sha256:[0-9a-f]{64}\n$/);
    });
  });

  describe('cp', () => {
    it('oras cp localhost:5000/net-monitor:v1 localhost:6000/net-monitor-copy:v1', async () => {
      const run = await ok('oras cp localhost:5000/net-monitor:v1 localhost:6000/net-monitor-copy:v1');
      assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
    });

    it('oras cp -r localhost:5000/net-monitor:v1 localhost:6000/net-monitor-copy:v1', async () => {
      await ok('oras cp -r localhost:5000/net-monitor:v1 localhost:6000/net-monitor-copy:v1');
    });

    it('oras cp --to-oci-layout localhost:5000/net-monitor:v1 ./downloads:v1', async () => {
      await ok('oras cp --to-oci-layout localhost:5000/net-monitor:v1 ./downloads:v1');
      await fs.stat(path.join(work, 'downloads', 'oci-layout'));
    });

    it('oras cp --from-oci-layout ./downloads:v1 localhost:5000/net-monitor-copy:v2', async () => {
      await ok('oras cp --from-oci-layout ./downloads:v1 localhost:5000/net-monitor-copy:v2');
    });

    it('oras cp --from-oci-layout ./to-upload.tar:v1 localhost:5000/net-monitor:v1 (a layout archive)', async () => {
      await stowage(['cp', `${host}/net-monitor:v1`, 'oci-archive:to-upload.tar:v1']);
      const run = await ok('oras cp --from-oci-layout ./to-upload.tar:v1 localhost:5000/net-monitor:v1');
      assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
    });

    it('oras cp localhost:5000/net-monitor:v1 localhost:6000/net-monitor-copy:tag1,tag2,tag3', async () => {
      const run = await ok('oras cp localhost:5000/net-monitor:v1 localhost:6000/net-monitor-copy:tag1,tag2,tag3');
      assert.match(run.stdout, /^Tagged tag2, tag3$/m);
      const digest = DIGEST.exec(run.stdout)![0];
      for (const tag of ['tag1', 'tag2', 'tag3'])
        assert.equal((await stowage(['resolve', `${host}/net-monitor-copy:${tag}`])).stdout.trim(), digest, tag);
    });

    it('oras cp --concurrency 10 localhost:5000/net-monitor:v1 localhost:5000/net-monitor-copy:tag1,tag2,tag3', async () => {
      await ok('oras cp --concurrency 10 localhost:5000/net-monitor:v1 localhost:5000/net-monitor-copy:tag1,tag2,tag3');
      const bad = await oras('oras cp localhost:5000/net-monitor:v1 "localhost:5000/net-monitor-copy:tag1,no good"');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /"no good" in ".*" is not a valid tag/);
    });

    it('oras cp --from-plain-http … --to-username U --to-password P …: each side its own flags', async () => {
      const copied = `${securedHost}/net-monitor-copy:v1`;
      const wrong = ['-u', 'nobody', '-p', 'wrong'];
      const run = await cliProcess(
        [
          'cp',
          `${host}/net-monitor:v1`,
          copied,
          ...wrong,
          '--from-plain-http',
          '--to-plain-http',
          '--to-username',
          secured.username!,
          '--to-password',
          secured.password!,
        ],
        env,
        { cwd: work },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /WARNING! Using --password via the CLI is insecure/);
      const tags = await cliProcess(
        ['tags', `${securedHost}/net-monitor-copy`, '-u', secured.username!, '-p', secured.password!],
        env,
      );
      assert.equal(tags.stdout, 'v1\n');
      // The source's user is not the destination's: the plain -u/-p (wrong here) stay for the destination.
      const swapped = await cliProcess(
        [
          'cp',
          `${host}/net-monitor:v1`,
          copied,
          ...wrong,
          '--from-username',
          secured.username!,
          '--from-password',
          secured.password!,
        ],
        env,
      );
      assert.equal(swapped.code, 1);
      assert.match(
        swapped.stderr,
        new RegExp(
          `${securedHost} rejected the credentials given to the command \\(-u with -p or --password-stdin, or --identity-token; in a copy, their --from-/--to- forms\\)`,
        ),
      );
      // --password-stdin serves the side that names a user without a password.
      const fromStdin = await cliProcess(
        [
          'cp',
          `${host}/net-monitor:v1`,
          `${securedHost}/net-monitor-copy:v2`,
          '--to-username',
          secured.username!,
          '--password-stdin',
        ],
        env,
        { stdin: `${secured.password}\n` },
      );
      assert.equal(fromStdin.code, 0, fromStdin.stderr);
    });

    it('oras cp with --from-/--to- flags between two repositories of one registry: refused, the sides cannot be told apart', async () => {
      const run = await oras(
        'oras cp --to-username u --to-password p localhost:5000/net-monitor:v1 localhost:5000/net-monitor-copy:v3',
      );
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /is both the source and the destination: --from-… and --to-… flags cannot tell them apart/,
      );
    });
  });

  describe('manifest index, and --platform', () => {
    it('oras manifest index create localhost:5000/hello linux-amd64 linux-arm64', async () => {
      const run = await ok('oras manifest index create localhost:5000/hello linux-amd64 linux-arm64');
      assert.match(run.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
    });

    it('oras manifest index create localhost:5000/hello:v1 linux-amd64 linux-arm64', async () => {
      await ok('oras manifest index create localhost:5000/hello:v1 linux-amd64 linux-arm64');
      const index = await manifestOf('hello:v1');
      assert.deepEqual(
        index.manifests!.map((m) => m.platform?.architecture),
        ['amd64', 'arm64'],
      );
    });

    it('oras manifest index create localhost:5000/hello:tag1,tag2,tag3 linux-amd64 linux-arm64 sha256:99e4…', async () => {
      substitutes.set(
        'sha256:99e4703fbf30916f549cd6bfa9cdbab614b5392fbe64fdee971359a77073cdf9',
        digests['linux-armv7']!,
      );
      await ok(
        'oras manifest index create localhost:5000/hello:tag1,tag2,tag3 linux-amd64 linux-arm64 sha256:99e4703fbf30916f549cd6bfa9cdbab614b5392fbe64fdee971359a77073cdf9',
      );
      assert.equal((await manifestOf('hello:tag3')).manifests!.length, 3);
    });

    it('oras manifest index update localhost:5000/hello:latest --add win64 --remove sha256:xxx --remove arm64', async () => {
      await stowage([
        'manifest',
        'index',
        'create',
        `${host}/hello:latest`,
        'linux-amd64',
        'linux-arm64',
        'linux-armv7',
      ]);
      const order = [digests['linux-armv7']!];
      substitutes.set('sha256:xxx', () => order.shift()!);
      await ok('oras manifest index update localhost:5000/hello:latest --add win64 --remove sha256:xxx --remove arm64');
      assert.deepEqual(
        (await manifestOf('hello:latest')).manifests!.map((m) => m.digest),
        [digests['linux-amd64'], digests['win64']],
      );
    });

    it('oras manifest index update localhost:5000/hello:tag1,tag3 --remove sha256:xxx --remove sha256:xxx --add s390x', async () => {
      const order = [digests['linux-amd64']!, digests['linux-arm64']!];
      substitutes.set('sha256:xxx', () => order.shift()!);
      await ok(
        'oras manifest index update localhost:5000/hello:tag1,tag3 --remove sha256:xxx --remove sha256:xxx --add s390x',
      );
      const tag1 = await manifestOf('hello:tag1');
      assert.deepEqual(
        tag1.manifests!.map((m) => m.digest),
        [digests['linux-armv7'], digests['s390x']],
      );
      assert.equal(
        (await stowage(['resolve', `${host}/hello:tag3`])).stdout,
        (await stowage(['resolve', `${host}/hello:tag1`])).stdout,
      );
      assert.notEqual(
        (await stowage(['resolve', `${host}/hello:tag2`])).stdout,
        (await stowage(['resolve', `${host}/hello:tag1`])).stdout,
      );
    });

    it('oras pull --platform linux/arm/v5 localhost:5000/hello:v1', async () => {
      await stowage(['manifest', 'index', 'update', `${host}/hello:v1`, '--add', 'linux-armv5']);
      const dir = await freshDir('platform');
      const run = await ok('oras pull --platform linux/arm/v5 localhost:5000/hello:v1', { cwd: dir });
      assert.match(run.stdout, new RegExp(`^Digest: ${digests['linux-armv5']}$`, 'm'));
      assert.equal(await fs.readFile(path.join(dir, 'hi.txt'), 'utf8'), 'hi\n');
      // Without --platform an index is refused up front, listing what to choose from; nothing is written.
      const bare = await freshDir('platform-missing');
      const refused = await oras('oras pull localhost:5000/hello:v1', { cwd: bare });
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        new RegExp(
          `${host}/hello:v1 is an index of \\d+ manifests: choose one with --platform os/arch \\(it has: linux/amd64, `,
        ),
      );
      assert.deepEqual(await fs.readdir(bare), []);
    });

    it('oras manifest fetch --platform linux/arm64 localhost:5000/hello:v1', async () => {
      const run = await ok('oras manifest fetch --platform linux/arm64 localhost:5000/hello:v1');
      assert.equal(`sha256:${createHash('sha256').update(run.stdout).digest('hex')}`, digests['linux-arm64']);
    });

    it("oras manifest fetch-config --platform 'linux/arm/v5' localhost:5000/hello:v1 (without --platform: an index has no config)", async () => {
      const config = JSON.parse(
        (await ok("oras manifest fetch-config --platform 'linux/arm/v5' localhost:5000/hello:v1")).stdout,
      ) as { os: string; architecture: string; variant: string };
      assert.deepEqual([config.os, config.architecture, config.variant], ['linux', 'arm', 'v5']);
      const index = await oras('oras manifest fetch-config localhost:5000/hello:v1');
      assert.equal(index.code, 1);
      assert.match(index.stderr, /sha256:[0-9a-f]{64} is an index, not an image manifest: it has no config/);
    });

    it('oras cp --platform linux/arm/v5 localhost:5000/hello:v1 localhost:6000/hello-copy:v1 (ORAS’s example on the index here)', async () => {
      const run = await ok('oras cp --platform linux/arm/v5 localhost:5000/hello:v1 localhost:6000/hello-copy:v1');
      assert.match(run.stdout, new RegExp(`^Digest: ${digests['linux-armv5']}$`, 'm'));
      assert.equal((await stowage(['resolve', `${host}/hello-copy:v1`])).stdout.trim(), digests['linux-armv5']);
      const none = await oras('oras cp --platform linux/mips localhost:5000/hello:v1 localhost:6000/hello-copy:v2');
      assert.equal(none.code, 2);
      assert.match(none.stderr, /has no manifest for platform linux\/mips \(it has: /);
    });

    it('oras attach --artifact-type doc/example --platform linux/amd64 localhost:5000/hello:v1 hi.txt', async () => {
      const run = await ok(
        'oras attach --artifact-type doc/example --platform linux/amd64 localhost:5000/hello:v1 hi.txt',
      );
      assert.match(run.stdout, new RegExp(`^Attached to \\[registry\\] ${host}/hello@${digests['linux-amd64']}$`, 'm'));
    });

    it('oras resolve --platform linux/arm64 localhost:5000/hello:v1', async () => {
      assert.equal(
        (await ok('oras resolve --platform linux/arm64 localhost:5000/hello:v1')).stdout.trim(),
        digests['linux-arm64'],
      );
    });

    describe('index create and update, ORAS v1.3’s examples (after the --platform ones: they change hello:v1)', () => {
      const EXAMPLE = 'sha256:99e4703fbf30916f549cd6bfa9cdbab614b5392fbe64fdee971359a77073cdf9';
      const OTHER = 'sha256:fd6ed2f36b5465244d5dc86cb4e7df0ab8a9d24adc57825099f522fe009a22bb';
      const digestOf = async (ref: string) => (await stowage(['resolve', `${host}/${ref}`])).stdout.trim();
      const entries = async (ref: string) => (await manifestOf(ref)).manifests!.map((m) => m.digest);

      before(async () => {
        await stowage(['manifest', 'index', 'create', `${host}/hello:v2`, 'linux-armv7']);
        await stowage(['manifest', 'index', 'create', `${host}/hello:v2-windows`, 'win64']);
        await stowage(['tag', `${host}/hello:linux-amd64`, 'v2-linux-amd64']);
      });

      it('oras manifest index create localhost:5000/hello:v1 linux-amd64 --annotation "key=val"', async () => {
        await ok('oras manifest index create localhost:5000/hello:v1 linux-amd64 --annotation "key=val"');
        const index = await manifestOf('hello:v1');
        assert.equal(index.annotations?.['key'], 'val');
        assert.deepEqual(await entries('hello:v1'), [digests['linux-amd64']]);
      });

      it('oras manifest index create --output index.json localhost:5000/hello linux-amd64 linux-arm64 (not pushed)', async () => {
        const run = await ok(
          'oras manifest index create --output index.json localhost:5000/hello linux-amd64 linux-arm64',
        );
        const digest = DIGEST.exec(run.stdout)![0];
        const written = await fs.readFile(path.join(work, 'index.json'));
        assert.equal(`sha256:${createHash('sha256').update(written).digest('hex')}`, digest);
        // The same index was pushed by an earlier example: removed, then the line again, and it stays away.
        await stowage(['manifest', 'delete', '--force', `${host}/hello@${digest}`]);
        await ok('oras manifest index create --output index.json localhost:5000/hello linux-amd64 linux-arm64');
        const fetched = await oras(`oras manifest fetch localhost:5000/hello@${digest}`);
        assert.equal(fetched.code, 1, 'nothing was pushed');
      });

      it('oras manifest index create localhost:5000/hello linux-arm64 --output - --pretty (not pushed)', async () => {
        const run = await ok('oras manifest index create localhost:5000/hello linux-arm64 --output - --pretty');
        assert.match(run.stdout, /^{\n {2}"schemaVersion": 2,/);
        const index = JSON.parse(run.stdout) as { manifests: { digest: string }[] };
        assert.deepEqual(
          index.manifests.map((m) => m.digest),
          [digests['linux-arm64']],
        );
        const both = await oras('oras manifest index create --output - --tag x localhost:5000/hello linux-arm64');
        assert.equal(both.code, 2);
        assert.match(both.stderr, /--tag and --output cannot be used together/);
      });

      it('oras manifest index update localhost:5000/hello:v2 --merge v2-windows', async () => {
        await ok('oras manifest index update localhost:5000/hello:v2 --merge v2-windows');
        assert.deepEqual(await entries('hello:v2'), [digests['linux-armv7'], digests['win64']]);
      });

      it('oras manifest index update localhost:5000/hello:v1 --add linux-amd64 --add linux-arm64 --remove sha256:99e4…', async () => {
        substitutes.set(EXAMPLE, digests['linux-amd64']!);
        await ok(
          `oras manifest index update localhost:5000/hello:v1 --add linux-amd64 --add linux-arm64 --remove ${EXAMPLE}`,
        );
        assert.deepEqual(await entries('hello:v1'), [digests['linux-amd64'], digests['linux-arm64']]);
        const absent = await oras(`oras manifest index update localhost:5000/hello:v1 --remove ${digests['s390x']}`);
        assert.equal(absent.code, 2);
        assert.match(absent.stderr, /is not in the index .*; nothing changed/);
      });

      it('oras manifest index update localhost:5000/hello@sha256:99e4… --add linux-amd64 --tag "v2.1.0" --tag "v2"', async () => {
        substitutes.set(EXAMPLE, await digestOf('hello:v2'));
        await ok(
          `oras manifest index update localhost:5000/hello@${EXAMPLE} --add linux-amd64 --tag "v2.1.0" --tag "v2"`,
        );
        const expected = [digests['linux-armv7'], digests['win64'], digests['linux-amd64']];
        assert.deepEqual(await entries('hello:v2'), expected);
        assert.equal(await digestOf('hello:v2.1.0'), await digestOf('hello:v2'));
      });

      it('oras manifest index update localhost:5000/hello@sha256:99e4… --add linux-amd64 --remove sha256:fd6e… (a new, untagged index)', async () => {
        const v2 = await digestOf('hello:v2');
        substitutes.set(EXAMPLE, v2);
        substitutes.set(OTHER, digests['win64']!);
        const run = await ok(
          `oras manifest index update localhost:5000/hello@${EXAMPLE} --add linux-amd64 --remove ${OTHER}`,
        );
        const digest = DIGEST.exec(run.stdout)![0];
        assert.deepEqual(await entries(`hello@${digest}`), [
          digests['linux-armv7'],
          digests['linux-amd64'],
          digests['linux-amd64'],
        ]);
        assert.equal(await digestOf('hello:v2'), v2, 'v2 stays');
      });

      it('oras manifest index update --output index.json localhost:5000/hello:v2 --add v2-linux-amd64 (not pushed)', async () => {
        const before = await digestOf('hello:v2');
        await ok('oras manifest index update --output index.json localhost:5000/hello:v2 --add v2-linux-amd64');
        const written = JSON.parse(await fs.readFile(path.join(work, 'index.json'), 'utf8')) as {
          manifests: { digest: string }[];
        };
        assert.equal(written.manifests.length, 4);
        assert.equal(await digestOf('hello:v2'), before, 'v2 stays');
      });

      it('oras manifest index update --output - --pretty localhost:5000/hello:v2 --remove sha256:99e4… (not pushed)', async () => {
        const before = await digestOf('hello:v2');
        substitutes.set(EXAMPLE, digests['linux-armv7']!);
        const run = await ok(
          `oras manifest index update --output - --pretty localhost:5000/hello:v2 --remove ${EXAMPLE}`,
        );
        const index = JSON.parse(run.stdout) as { manifests: { digest: string }[] };
        assert.deepEqual(
          index.manifests.map((m) => m.digest),
          [digests['win64'], digests['linux-amd64']],
        );
        assert.equal(await digestOf('hello:v2'), before, 'v2 stays');
        const nothing = await ok('oras manifest index update localhost:5000/hello:v2');
        assert.equal(nothing.stdout, 'Nothing to update as no change is requested\n');
      });
    });
  });

  describe('manifest push and delete', () => {
    before(() => fs.copyFile(path.join(work, 'manifest-linux-amd64.json'), path.join(work, 'manifest.json')));

    it('oras manifest push localhost:5000/hello:v1 manifest.json', async () => {
      const run = await ok('oras manifest push localhost:5000/hello:v1 manifest.json');
      assert.match(run.stdout, new RegExp(`^Digest: ${digests['linux-amd64']}$`, 'm'));
    });

    it('oras manifest push --distribution-spec v1.1-referrers-tag localhost:5000/hello referrer.json (a referrer: found by discover)', async () => {
      const subject = (await stowage(['resolve', `${host}/hello:v1`])).stdout.trim();
      const size = Number(
        (
          JSON.parse((await stowage(['manifest', 'fetch', '--descriptor', `${host}/hello:v1`])).stdout) as {
            size: number;
          }
        ).size,
      );
      await fs.writeFile(
        path.join(work, 'referrer.json'),
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          artifactType: 'application/vnd.example.pushed-referrer',
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: 2 },
          layers: [],
          subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject, size },
        }),
      );
      await fs.writeFile(path.join(work, 'empty.json'), '{}');
      await stowage(['blob', 'push', `${host}/hello`, path.join(work, 'empty.json')]);
      const pushed = await ok(
        'oras manifest push --distribution-spec v1.1-referrers-tag localhost:5000/hello referrer.json',
      );
      const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(pushed.stdout)![1]!;
      const tree = (
        await stowage(['discover', `${host}/hello:v1`, '--artifact-type', 'application/vnd.example.pushed-referrer'])
      ).stdout;
      assert.match(tree, new RegExp(`── ${digest}`));
      const api = await oras(
        'oras manifest push --distribution-spec v1.1-referrers-api localhost:5000/hello referrer.json',
      );
      assert.equal(api.code, 2);
      assert.match(api.stderr, /has no referrers API/);
    });

    it('oras manifest push --media-type application/vnd.oci.image.manifest.v1+json localhost:5000/hello:v1 manifest.json', async () => {
      await ok(
        'oras manifest push --media-type application/vnd.oci.image.manifest.v1+json localhost:5000/hello:v1 manifest.json',
      );
    });

    it('oras manifest push localhost:5000/hello:tag1,tag2,tag3 manifest.json', async () => {
      await ok('oras manifest push localhost:5000/hello:tag1,tag2,tag3 manifest.json');
      assert.equal((await stowage(['resolve', `${host}/hello:tag2`])).stdout.trim(), digests['linux-amd64']);
    });

    it('oras manifest delete localhost:5000/hello:v1: refused without --force, there is no prompt (differs)', async () => {
      const run = await oras('oras manifest delete localhost:5000/hello:v1');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /Pass --force/);
    });

    it('oras manifest delete --force localhost:5000/hello:v1', async () => {
      await ok('oras manifest delete --force localhost:5000/hello:v1');
      const gone = await oras('oras resolve localhost:5000/hello:v1');
      assert.equal(gone.code, 1);
    });
  });

  describe('the oras.land quickstart', () => {
    before(async () => {
      await fs.writeFile(path.join(work, 'artifact.txt'), 'hello world\n');
      await fs.writeFile(path.join(work, 'sbom.json'), '{"spdxVersion":"SPDX-2.3"}');
    });

    it('oras push localhost:5000/hello-artifact:v1 --artifact-type application/vnd.acme.rocket.config artifact.txt:text/plain', async () => {
      await ok(
        'oras push localhost:5000/hello-artifact:v1 --artifact-type application/vnd.acme.rocket.config artifact.txt:text/plain',
      );
    });

    it('oras attach --artifact-type sbom/example localhost:5000/hello-artifact:v1 sbom.json:application/json', async () => {
      await ok('oras attach --artifact-type sbom/example localhost:5000/hello-artifact:v1 sbom.json:application/json');
    });

    it('oras discover localhost:5000/hello-artifact:v1', async () => {
      assert.match((await ok('oras discover localhost:5000/hello-artifact:v1')).stdout, /── sbom\/example/);
    });

    it('oras repo tags localhost:5000/hello-artifact', async () => {
      // The referrers fallback tag shows too, as in ORAS, on a registry without the referrers API.
      const tags = (await ok('oras repo tags localhost:5000/hello-artifact')).stdout.trim().split('\n').sort();
      assert.equal(tags.length, 2);
      assert.match(tags[0]!, /^sha256-[0-9a-f]{64}$/);
      assert.equal(tags[1], 'v1');
    });

    it('oras repo tags --exclude-digest-tags localhost:5000/hello-artifact', async () => {
      assert.equal((await ok('oras repo tags --exclude-digest-tags localhost:5000/hello-artifact')).stdout, 'v1\n');
    });

    it('oras manifest fetch localhost:5000/hello-artifact:v1', async () => {
      const manifest = JSON.parse((await ok('oras manifest fetch localhost:5000/hello-artifact:v1')).stdout) as {
        artifactType: string;
        layers: Array<{ mediaType: string }>;
      };
      assert.equal(manifest.artifactType, 'application/vnd.acme.rocket.config');
      assert.equal(manifest.layers[0]!.mediaType, 'text/plain');
    });

    it('oras pull localhost:5000/hello-artifact:v1', async () => {
      const dir = await freshDir('quickstart');
      await ok('oras pull localhost:5000/hello-artifact:v1', { cwd: dir });
      assert.equal(await fs.readFile(path.join(dir, 'artifact.txt'), 'utf8'), 'hello world\n');
    });
  });

  describe('login, logout and --registry-config', () => {
    it('oras login -u username -p password localhost:5000', async () => {
      const run = await ok('oras login -u username -p password localhost:5000', { registry: 'secured' });
      assert.match(run.stderr, /WARNING! Using --password via the CLI is insecure/);
      const config = JSON.parse(await fs.readFile(path.join(env.DOCKER_CONFIG!, 'config.json'), 'utf8')) as {
        auths: Record<string, unknown>;
      };
      assert.ok(config.auths[securedHost]);
      const dir = await freshDir('after-login');
      await ok('oras pull localhost:5000/hello:v1', { cwd: dir, registry: 'secured' });
    });

    it('oras logout localhost:5000', async () => {
      await ok('oras logout localhost:5000', { registry: 'secured' });
      const dir = await freshDir('after-logout');
      assert.equal((await oras('oras pull localhost:5000/hello:v1', { cwd: dir, registry: 'secured' })).code, 1);
    });

    it('oras login -u username --password-stdin localhost:5000', async () => {
      await ok('oras login -u username --password-stdin localhost:5000', {
        registry: 'secured',
        stdin: `${secured.password}\n`,
      });
      await ok('oras logout localhost:5000', { registry: 'secured' });
    });

    it('oras login --registry-config path/to/config.json -u username -p password localhost:5000', async () => {
      await ok('oras login --registry-config path/to/config.json -u username -p password localhost:5000', {
        registry: 'secured',
      });
      await fs.stat(path.join(work, 'path', 'to', 'config.json'));
      const dir = await freshDir('with-registry-config');
      await ok('oras pull --registry-config ../../path/to/config.json localhost:5000/hello:v1', {
        cwd: dir,
        registry: 'secured',
      });
      await ok('oras logout --registry-config path/to/config.json localhost:5000', { registry: 'secured' });
    });
  });
});
