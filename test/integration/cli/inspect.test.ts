// `stowage inspect` against skopeo's own `inspect` on the real registry: an image umoci built (labels, environment,
// entrypoint, an exposed port), copied there by skopeo, gives skopeo's fields with skopeo's values; an index of two
// platforms is read through this machine's platform or the one asked for, with the index's digest, as skopeo does;
// an artifact skopeo refuses is described; --raw and --config print the stored bytes, and a terminal gets nothing
// a registry's bytes could make it do.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { digestOf } from '../../../src/core/content/hashing';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { hostPlatform } from '../../../src/core/content/hostPlatform';
import { MAX_INSPECTED_TAG_PAGES } from '../../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { json, serveBlob, serveManifest, startHostileServer } from '../../fixtures/hostileServer';
import { bufferContent, clientFor } from '../../fixtures/registryClients';
import { cli, cliOk } from '../../helpers/runCli';
import { run } from '../helpers/tools';

/** An image config holding `configJson` and a manifest of it with no layers: what a scripted registry serves. */
function layerlessImage(configJson: string): { config: Buffer; configDescriptor: Descriptor; manifest: Buffer } {
  const config = Buffer.from(configJson, 'utf8');
  const configDescriptor = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: digestOf(config),
    size: config.length,
  };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: configDescriptor,
      layers: [],
    }),
  );
  return { config, configDescriptor, manifest };
}

describe('stowage inspect: what a reference names, as skopeo inspect shows it', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let dir: string;
  let image: string;
  const other = hostPlatform().architecture === 'arm64' ? 'amd64' : 'arm64';

  /** An image umoci builds with this config, in a layout of its own, tagged `tag` there. */
  async function umociImage(name: string, architecture: string, config: string[]): Promise<string> {
    const layout = path.join(dir, name);
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:t`]);
    const bundle = path.join(dir, `${name}-bundle`);
    await run('umoci', ['unpack', '--rootless', '--image', `${layout}:t`, bundle]);
    await fs.mkdir(path.join(bundle, 'rootfs/etc'), { recursive: true });
    await fs.writeFile(path.join(bundle, 'rootfs/etc/motd'), `${name}\n`);
    await run('umoci', ['repack', '--image', `${layout}:t`, bundle]);
    await run('umoci', [
      'config',
      '--image',
      `${layout}:t`,
      '--os',
      'linux',
      '--architecture',
      architecture,
      ...config,
    ]);
    return layout;
  }

  async function skopeoCopy(layout: string, ref: string): Promise<void> {
    await run('skopeo', [
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${layout}:t`,
      `docker://${ref}`,
    ]);
  }

  async function skopeoInspect(ref: string): Promise<Record<string, unknown>> {
    const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`]);
    return JSON.parse(stdout.toString('utf8')) as Record<string, unknown>;
  }

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-inspect-'));
    const host = await umociImage('host', hostPlatform().architecture!, [
      '--config.label',
      'org.opencontainers.image.source=https://example.test/app',
      '--config.label',
      // A label a hostile image carries: an OSC title sequence and a bidi override.
      'evil=\u001b]0;owned\u0007 \u202etxt.exe',
      '--config.env',
      'PATH=/usr/bin',
      '--config.env',
      'MODE=demo',
      '--config.entrypoint',
      '/bin/app',
      '--config.cmd',
      '--serve',
      '--config.exposedports',
      '8080/tcp',
      '--config.workingdir',
      '/srv',
      '--author',
      'Stowage tests',
    ]);
    image = `${registry.host}/inspect/app:v1`;
    await skopeoCopy(host, image);
    await skopeoCopy(host, `${registry.host}/inspect/app:v1.0`);
    await skopeoCopy(
      await umociImage('other', other, ['--config.env', 'MODE=other']),
      `${registry.host}/inspect/app:other`,
    );
    await cliOk(['manifest', 'index', 'create', '--plain-http', `${registry.host}/inspect/app:multi`, 'v1', 'other']);
  });

  after(async () => {
    await registry?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('gives skopeo’s fields with skopeo’s values for an image skopeo copied in', async () => {
    const ours = JSON.parse((await cliOk(['inspect', '--plain-http', '--format', 'json', image])).stdout) as Record<
      string,
      unknown
    >;
    const theirs = await skopeoInspect(image);
    for (const field of ['Name', 'Digest', 'Created', 'DockerVersion', 'Labels', 'Architecture', 'Os', 'Layers', 'Env'])
      assert.deepEqual(ours[field], theirs[field], `${field} as skopeo says`);
    assert.deepEqual(
      (ours['RepoTags'] as string[]).sort(),
      (theirs['RepoTags'] as string[]).sort(),
      'every tag of the repository',
    );
    assert.deepEqual(
      (ours['LayersData'] as { Digest: string }[]).map((l) => l.Digest),
      theirs['Layers'],
    );
    assert.equal(ours['MediaType'], 'application/vnd.oci.image.manifest.v1+json');
  });

  it('prints the image’s facts as text, the hostile label as code points and nothing a terminal acts on', async () => {
    const { stdout } = await cliOk(['inspect', '--plain-http', image]);
    const lines = stdout.split('\n');
    assert.ok(lines.includes('Kind:          Image'), stdout);
    assert.ok(lines.includes(`Platform:      linux/${hostPlatform().architecture}`), stdout);
    assert.ok(lines.includes('Author:        Stowage tests'), stdout);
    assert.ok(lines.includes('  org.opencontainers.image.source=https://example.test/app'), stdout);
    assert.ok(lines.includes('  evil=⟨U+001B⟩]0;owned⟨U+0007⟩ ⟨U+202E⟩txt.exe'), stdout);
    assert.ok(lines.includes('  MODE=demo'), stdout);
    assert.ok(lines.includes('Entrypoint:    ["/bin/app"]'), stdout);
    assert.ok(lines.includes('Cmd:           ["--serve"]'), stdout);
    assert.ok(lines.includes('WorkingDir:    /srv'), stdout);
    assert.ok(lines.includes('Ports:         8080/tcp'), stdout);
    assert.ok(
      lines.some((l) => /^Layers \(1, \d+ B\):$/.test(l)),
      stdout,
    );
    assert.ok(lines.includes('Tags (4):'), stdout);
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    assert.doesNotMatch(stdout, /[\u001b\u0007\u202e]/);
  });

  it('reads an index through this machine’s platform, or the one asked for, with the index’s own digest', async () => {
    const multi = `${registry.host}/inspect/app:multi`;
    const index = (await cliOk(['resolve', '--plain-http', multi])).stdout.trim();
    const mine = JSON.parse((await cliOk(['inspect', '--plain-http', '--format', 'json', multi])).stdout) as Record<
      string,
      unknown
    >;
    const theirs = await skopeoInspect(multi);
    assert.equal(mine['Digest'], index);
    assert.equal(theirs['Digest'], index, 'skopeo names the index too');
    assert.deepEqual([mine['Architecture'], mine['Env']], [theirs['Architecture'], theirs['Env']]);
    assert.equal((mine['Manifests'] as unknown[]).length, 2);
    const asked = JSON.parse(
      (await cliOk(['inspect', '--plain-http', '--format', 'json', '--platform', `linux/${other}`, multi])).stdout,
    ) as Record<string, unknown>;
    assert.deepEqual([asked['Architecture'], asked['Env']], [other, ['MODE=other']]);
    const text = (await cliOk(['inspect', '--plain-http', '--no-tags', multi])).stdout;
    assert.match(text, /^Manifests \(2\):$/m);
    assert.match(text, /^Manifest: +sha256:[0-9a-f]{64} \(this machine’s platform\)$/m);
    assert.doesNotMatch(text, /^Tags/m, '--no-tags lists none');
    const missing = await cli(['inspect', '--plain-http', '--platform', 'windows/amd64', multi]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /no manifest for platform windows\/amd64 \(it has: linux\/\w+, linux\/\w+\)/);
  });

  it('describes an artifact skopeo refuses: its kind, artifact type, annotations and titled files', async () => {
    const file = path.join(dir, 'values.yaml');
    await fs.writeFile(file, 'replicas: 2\n');
    const ref = `${registry.host}/inspect/files:v1`;
    await cliOk(['push', '--plain-http', '--artifact-type', 'application/vnd.example.config', ref, file], {
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    });
    const refused = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`]).then(
      () => false,
      () => true,
    );
    assert.ok(refused, 'skopeo 1.9 refuses an artifact');
    const { stdout } = await cliOk(['inspect', '--plain-http', ref]);
    assert.match(stdout, /^Kind: +Artifact · 2023-11-14$/m);
    assert.match(stdout, /^Artifact type: application\/vnd\.example\.config$/m);
    assert.match(stdout, /^ {2}org\.opencontainers\.image\.created=2023-11-14T22:13:20Z$/m);
    assert.match(
      stdout,
      /^ {2}1 {2}sha256:[0-9a-f]{64} {2}12 B {2}application\/vnd\.oci\.image\.layer\.v1\.tar {2}values\.yaml$/m,
    );
    const json = JSON.parse((await cliOk(['inspect', '--plain-http', '--format', 'json', ref])).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual([json['Architecture'], json['Os'], json['Labels']], ['', '', null]);
    assert.equal((json['Manifest'] as { ArtifactType: string }).ArtifactType, 'application/vnd.example.config');
  });

  it('prints the manifest and the config as stored with --raw and --config', async () => {
    const target = new RegistryTarget(clientFor(registry), 'inspect/app');
    const fetched = await target.fetchManifest('v1');
    assert.equal((await cliOk(['inspect', '--plain-http', '--raw', image])).stdout, fetched.bytes.toString('utf8'));
    const config = (await cliOk(['manifest', 'fetch-config', '--plain-http', image])).stdout;
    assert.equal((await cliOk(['inspect', '--plain-http', '--config', image])).stdout, config);
    assert.match(config, /"Entrypoint":\["\/bin\/app"\]/);
    const both = await cli(['inspect', '--plain-http', '--raw', '--config', image]);
    assert.equal(both.code, 2, both.stderr);
  });

  it('reads the config blob once for inspect --config (the inspection read it already)', async () => {
    const { config, configDescriptor, manifest } = layerlessImage(
      '{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z"}',
    );
    let configReads = 0;
    const server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (url.pathname === `/v2/counted/blobs/${configDescriptor.digest}` && req.method === 'GET') configReads++;
      if (serveManifest(req, res, url, 'counted', 'v1', manifest) || serveBlob(req, res, url, 'counted', config))
        return;
      json(res, { errors: [{ code: 'NOT_FOUND' }] }, {}, 404);
    });
    try {
      const printed = await cli(['inspect', '--config', `${server.host}/counted:v1`]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(printed.stdout, config.toString('utf8'));
      assert.equal(configReads, 1);
    } finally {
      await server.close();
    }
  });

  it('prints nothing of a config whose bytes are not the ones its digest names (inspect --config, from the inspection)', async () => {
    const { config, configDescriptor, manifest } = layerlessImage('{"architecture":"amd64","os":"linux"}');
    // The same size, other bytes: a registry swapping the config it was asked for.
    const forged = Buffer.from(config.toString('utf8').replace('amd64', 'arm64'), 'utf8');
    const server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (serveManifest(req, res, url, 'swapped', 'v1', manifest)) return;
      if (url.pathname === `/v2/swapped/blobs/${configDescriptor.digest}`) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(forged.length) });
        return res.end(req.method === 'HEAD' ? undefined : forged);
      }
      json(res, { errors: [{ code: 'NOT_FOUND' }] }, {}, 404);
    });
    try {
      const printed = await cli(['inspect', '--config', `${server.host}/swapped:v1`]);
      assert.equal(printed.code, 1, printed.stderr);
      assert.equal(printed.stdout, '');
      assert.match(printed.stderr, new RegExp(configDescriptor.digest));
    } finally {
      await server.close();
    }
  });

  it('stops a manifest or config holding a C1 control before it reaches a terminal (inspect --raw and --config, manifest fetch and fetch-config)', async () => {
    const target = new RegistryTarget(clientFor(registry), 'inspect/hostile');
    // U+009B is CSI in one character: valid in a JSON string as it is, acted on by a terminal.
    const bytes = Buffer.from(
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"x":"\u009b2J gone"}}`,
      'utf8',
    );
    await target.pushManifest(
      { mediaType: 'application/vnd.oci.image.index.v1+json', digest: digestOf(bytes), size: bytes.length },
      bytes,
      { tag: 'v1' },
    );
    const ref = `${registry.host}/inspect/hostile:v1`;
    for (const args of [
      ['inspect', '--raw'],
      ['manifest', 'fetch'],
    ]) {
      const shown = await cli([...args, '--plain-http', ref], { terminal: true });
      assert.equal(shown.code, 1, shown.stderr);
      assert.ok(shown.stdout.endsWith('{"x":"\n'), `${args.join(' ')}: what went before, then a line break`);
      assert.match(shown.stderr, /holds a control character \(U\+009B at byte \d+\)/);
      // Into a pipe (a script), and asked for with -o -, the bytes are the manifest's.
      assert.equal((await cliOk([...args, '--plain-http', ref])).stdout, bytes.toString('utf8'));
    }
    assert.equal(
      (await cliOk(['manifest', 'fetch', '--plain-http', '-o', '-', ref], { terminal: true })).stdout,
      bytes.toString('utf8'),
    );
    // A config holding one: printed by --config and manifest fetch-config up to it on a terminal, whole into a pipe.
    const hostileImage = layerlessImage('{"architecture":"amd64","os":"linux","author":"\u009b2J"}');
    const { configDescriptor } = hostileImage;
    const [configBytes, manifestBytes] = [hostileImage.config, hostileImage.manifest];
    await target.pushBlob(configDescriptor, bufferContent(configBytes));
    const manifestDescriptor = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digestOf(manifestBytes),
      size: manifestBytes.length,
    };
    await target.pushManifest(manifestDescriptor, manifestBytes, { tag: 'config' });
    for (const args of [
      ['inspect', '--config'],
      ['manifest', 'fetch-config'],
    ]) {
      const configRef = `${registry.host}/inspect/hostile:config`;
      const shown = await cli([...args, '--plain-http', configRef], { terminal: true });
      assert.deepEqual(
        [shown.code, shown.stdout],
        [1, '{"architecture":"amd64","os":"linux","author":"\n'],
        shown.stderr,
      );
      assert.match(shown.stderr, /the config sha256:[0-9a-f]{64} holds a control character \(U\+009B/);
      assert.equal((await cliOk([...args, '--plain-http', configRef])).stdout, configBytes.toString('utf8'));
    }
    // The description escapes it as every text does.
    assert.match((await cliOk(['inspect', '--plain-http', ref], { terminal: true })).stdout, /x=⟨U\+009B⟩2J gone/);
  });

  it('reads `latest` when the reference names no tag, as skopeo does, naming the tags there when it is missing', async () => {
    const layout = path.join(dir, 'host');
    await cliOk(['tag', `oci:${layout}:t`, 'latest']);
    const json = JSON.parse((await cliOk(['inspect', '--format', 'json', `oci:${layout}`])).stdout) as Record<
      string,
      unknown
    >;
    assert.equal(json['Digest'], (await cliOk(['resolve', `oci:${layout}:t`])).stdout.trim());
    const missing = await cli(['inspect', '--plain-http', `${registry.host}/inspect/app`]);
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /latest/);
    assert.match(missing.stderr, /v1/, 'the tags that are there');
  });

  it('inspects an image layout folder as it does a repository', async () => {
    const layout = path.join(dir, 'host');
    const { stdout } = await cliOk(['inspect', '--format', 'json', `oci:${layout}:t`]);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual((json['RepoTags'] as string[]).sort(), ['latest', 't']);
    assert.equal(json['Digest'], (await cliOk(['resolve', `oci:${layout}:t`])).stdout.trim());
    assert.deepEqual(json['Env'], ['PATH=/usr/bin', 'MODE=demo']);
  });

  it('shows an image whose registry refuses to list the repository’s tags, saying so, as skopeo does', async () => {
    const { config, manifest } = layerlessImage(
      '{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z"}',
    );
    // Some registries serve an image to an account that may not list the repository (a documented quirk).
    const server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (url.pathname === '/v2/quiet/tags/list')
        return json(res, { errors: [{ code: 'DENIED', message: 'listing tags is disabled' }] }, {}, 403);
      if (serveManifest(req, res, url, 'quiet', 'v1', manifest) || serveBlob(req, res, url, 'quiet', config)) return;
      json(res, { errors: [{ code: 'NOT_FOUND' }] }, {}, 404);
    });
    try {
      const ref = `${server.host}/quiet:v1`;
      const text = await cli(['inspect', ref]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /Created: +2026-01-01T00:00:00Z/);
      assert.match(text.stderr, /tags not listed: .*listing tags is disabled/);
      const shown = await cli(['inspect', '--format', 'json', ref]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.deepEqual((JSON.parse(shown.stdout) as Record<string, unknown>)['RepoTags'], []);
    } finally {
      await server.close();
    }
  });

  it('says so when the platform’s entry of an index is an index itself, instead of that the platform has none', async () => {
    const target = new RegistryTarget(clientFor(registry), 'inspect/nested');
    const push = async (value: unknown, tag?: string) => {
      const bytes = Buffer.from(JSON.stringify(value));
      const descriptor = {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        digest: digestOf(bytes),
        size: bytes.length,
      };
      await target.pushManifest(descriptor, bytes, tag ? { tag } : {});
      return descriptor;
    };
    const inner = await push({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
    const platform = { os: 'linux', architecture: hostPlatform().architecture };
    await push(
      { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ ...inner, platform }] },
      'v1',
    );
    const ref = `${registry.host}/inspect/nested:v1`;
    const text = await cliOk(['inspect', '--plain-http', ref]);
    assert.match(
      text.stdout,
      new RegExp(`Manifest: +${inner.digest} \\(this machine’s platform\\) is an index itself`),
    );
    assert.doesNotMatch(text.stdout, /no manifest for this machine/);
    const json = JSON.parse((await cliOk(['inspect', '--plain-http', '--format', 'json', ref])).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual(json['Manifest'], { Digest: inner.digest, MediaType: inner.mediaType });
    const config = await cli([
      'inspect',
      '--plain-http',
      '--config',
      '--platform',
      `linux/${platform.architecture}`,
      ref,
    ]);
    assert.equal(config.code, 1, config.stderr);
    assert.match(config.stderr, /is an index itself/);
  });

  it('stops reading a tag list whose registry sends next pages without end, and shows the image', async () => {
    const { config, manifest } = layerlessImage(
      '{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z"}',
    );
    let pages = 0;
    const server = await startHostileServer((req, res, url) => {
      if (url.pathname === '/v2/') return json(res, {});
      if (url.pathname === '/v2/endless/tags/list') {
        pages++;
        return json(res, { name: 'endless', tags: [] }, { link: `</v2/endless/tags/list?last=${pages}>; rel="next"` });
      }
      if (serveManifest(req, res, url, 'endless', 'v1', manifest) || serveBlob(req, res, url, 'endless', config))
        return;
      json(res, { errors: [{ code: 'NOT_FOUND' }] }, {}, 404);
    });
    try {
      const shown = await cli(['inspect', `${server.host}/endless:v1`]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /Created: +2026-01-01T00:00:00Z/);
      assert.match(shown.stdout, /Tags \(0\+\):\n {2}… and more \(none listed yet\)/);
      assert.ok(pages <= MAX_INSPECTED_TAG_PAGES + 1, `${pages} pages read`);
    } finally {
      await server.close();
    }
  });
});
