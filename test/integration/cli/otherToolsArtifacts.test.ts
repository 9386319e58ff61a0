// Artifacts other tools push, as those tools push them, against the real registry: a Helm chart the way
// `helm push` writes it (the config holding Chart.yaml as JSON, an untitled chart layer and provenance layer,
// the tag being the version with "+" as "_"). The registry is written with plain HTTP requests, as those tools
// write it, not through Stowage.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startFaultProxy } from '../../fixtures/faultProxy';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { RegistryTarget } from '../../../src/core/registry';
import { describeArtifact } from '../../../src/core/supplyChain';
import { ARTIFACT_KIND_LABELS, artifactKindOf, describeGraphRoot } from '../../../src/core/graph';
import { cli, cliOk } from '../../helpers/runCli';
import { runSkopeo, skopeoRegistryFlags } from '../../fixtures/skopeo';

const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const HELM_CHART = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const HELM_PROVENANCE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';

interface Blob {
  mediaType: string;
  digest: string;
  size: number;
}

function blobOf(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

/** POST then PUT ?digest=, as every registry client uploads a blob in one piece. */
async function uploadBlob(registry: TestRegistry, repository: string, mediaType: string, bytes: Buffer): Promise<Blob> {
  const blob = blobOf(mediaType, bytes);
  const started = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  assert.equal(started.status, 202, await started.text());
  const location = new URL(started.headers.get('location')!, registry.url);
  location.searchParams.set('digest', blob.digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  assert.equal(put.status, 201, await put.text());
  return blob;
}

async function putManifest(registry: TestRegistry, repository: string, tag: string, manifest: unknown): Promise<void> {
  const put = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: JSON.stringify(manifest),
  });
  assert.equal(put.status, 201, await put.text());
}

/** A packaged chart as `helm package` makes it: `<name>/Chart.yaml`, values and a template, tar+gzip. */
async function packageChart(work: string, name: string, version: string, appVersion: string): Promise<Buffer> {
  const dir = path.join(work, 'src', name);
  await fs.mkdir(path.join(dir, 'templates'), { recursive: true });
  await fs.writeFile(
    path.join(dir, 'Chart.yaml'),
    `apiVersion: v2\nname: ${name}\ndescription: A Helm chart\ntype: application\nversion: ${version}\nappVersion: "${appVersion}"\n`,
  );
  await fs.writeFile(path.join(dir, 'values.yaml'), 'replicaCount: 1\n');
  await fs.writeFile(path.join(dir, 'templates', 'configmap.yaml'), 'kind: ConfigMap\n');
  const archive = path.join(work, `${name}-${version}.tgz`);
  await promisify(execFile)('tar', ['-C', path.join(work, 'src'), '-czf', archive, name]);
  return fs.readFile(archive);
}

/** Pushes a chart as `helm push` does; returns the chart archive and provenance bytes and the tag. */
async function helmPush(
  registry: TestRegistry,
  work: string,
  repository: string,
  chart: { name: string; version: string; appVersion: string },
): Promise<{ archive: Buffer; provenance: Buffer; tag: string; config: Blob }> {
  const archive = await packageChart(work, chart.name, chart.version, chart.appVersion);
  const provenance = Buffer.from(`-----BEGIN PGP SIGNED MESSAGE-----\nname: ${chart.name}\n`);
  const configJson = Buffer.from(
    JSON.stringify({
      name: chart.name,
      version: chart.version,
      description: 'A Helm chart',
      apiVersion: 'v2',
      appVersion: chart.appVersion,
      type: 'application',
    }),
  );
  const config = await uploadBlob(registry, repository, HELM_CONFIG, configJson);
  const chartLayer = await uploadBlob(registry, repository, HELM_CHART, archive);
  const provLayer = await uploadBlob(registry, repository, HELM_PROVENANCE, provenance);
  const tag = chart.version.replace(/\+/g, '_');
  await putManifest(registry, repository, tag, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers: [provLayer, chartLayer],
    annotations: {
      'org.opencontainers.image.created': '2026-12-06T05:00:00Z',
      'org.opencontainers.image.description': 'A Helm chart',
      'org.opencontainers.image.title': chart.name,
      'org.opencontainers.image.version': chart.version,
    },
  });
  return { archive, provenance, tag, config };
}

/** Pushes `folder` as `flux push artifact` does: go-containerregistry's empty image config under Flux's type, the folder as tar+gzip. */
async function fluxPush(
  registry: TestRegistry,
  work: string,
  repository: string,
  folder: string,
  revision: string,
): Promise<Blob> {
  const config = await uploadBlob(
    registry,
    repository,
    'application/vnd.cncf.flux.config.v1+json',
    Buffer.from(
      '{"architecture":"","created":"0001-01-01T00:00:00Z","os":"","rootfs":{"type":"layers","diff_ids":[]},"config":{}}',
    ),
  );
  const archive = path.join(work, `${path.basename(folder)}-flux.tgz`);
  await promisify(execFile)('tar', ['-C', folder, '-czf', archive, '.']);
  const content = await uploadBlob(
    registry,
    repository,
    'application/vnd.cncf.flux.content.v1.tar+gzip',
    await fs.readFile(archive),
  );
  await putManifest(registry, repository, 'latest', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers: [content],
    annotations: {
      'org.opencontainers.image.created': '2026-12-06T05:30:00Z',
      'org.opencontainers.image.revision': revision,
      'org.opencontainers.image.source': 'https://github.com/example/fleet.git',
    },
  });
  return content;
}

describe('artifacts other tools push, as they push them (real registry)', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let work: string;

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-other-tools-'));
  });

  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('stowage pull writes a Helm chart as helm pull names it (<name>-<version>.tgz and .prov), and its SBOM lists them so', async () => {
    const pushed = await helmPush(registry, work, 'charts/webapp', {
      name: 'webapp',
      version: '0.1.0+build.7',
      appVersion: '1.16.0',
    });
    assert.equal(pushed.tag, '0.1.0_build.7');
    const out = path.join(work, 'pulled');
    const run = await cliOk(['pull', `${registry.host}/charts/webapp:${pushed.tag}`, '-o', out, '--plain-http']);
    assert.deepEqual((await fs.readdir(out)).sort(), ['webapp-0.1.0+build.7.tgz', 'webapp-0.1.0+build.7.tgz.prov']);
    assert.deepEqual(await fs.readFile(path.join(out, 'webapp-0.1.0+build.7.tgz')), pushed.archive);
    assert.deepEqual(await fs.readFile(path.join(out, 'webapp-0.1.0+build.7.tgz.prov')), pushed.provenance);
    assert.doesNotMatch(run.stderr, /not written/);
    // An SBOM made for the chart lists the chart file by that name, with its digest.
    const sbomFile = path.join(work, 'webapp.cdx.json');
    await cliOk(['sbom', `${registry.host}/charts/webapp:${pushed.tag}`, '-o', sbomFile, '--plain-http']);
    const sbom = JSON.parse(await fs.readFile(sbomFile, 'utf8')) as {
      components: { name: string; hashes: { content: string }[] }[];
    };
    const archiveSha256 = createHash('sha256').update(pushed.archive).digest('hex');
    assert.deepEqual(
      sbom.components.map((c) => [c.name, c.hashes[0]?.content]),
      [
        ['webapp-0.1.0+build.7.tgz.prov', createHash('sha256').update(pushed.provenance).digest('hex')],
        ['webapp-0.1.0+build.7.tgz', archiveSha256],
      ],
    );
    // Pulling again finds the very same files there.
    const again = await cliOk(['pull', `${registry.host}/charts/webapp:${pushed.tag}`, '-o', out, '--plain-http']);
    assert.match(again.stdout, /unchanged .*webapp-0\.1\.0\+build\.7\.tgz /);
  });

  it('pull --include-subject of a Helm chart reads its config once (the check of the chain and the pull share the read)', async () => {
    const pushed = await helmPush(registry, work, 'charts/once', { name: 'once', version: '1.0.0', appVersion: '1' });
    const proxy = await startFaultProxy(registry.url, () => ({ forward: true }));
    try {
      const out = path.join(work, 'pulled-once');
      await cliOk(['pull', `${proxy.host}/charts/once:${pushed.tag}`, '-o', out, '--plain-http', '--include-subject']);
      assert.deepEqual((await fs.readdir(out)).sort(), ['once-1.0.0.tgz', 'once-1.0.0.tgz.prov']);
      const configReads = proxy.seen.filter(
        (r) => r.method === 'GET' && r.url.endsWith(`/blobs/${pushed.config.digest}`),
      );
      assert.equal(configReads.length, 1, proxy.seen.map((r) => `${r.method} ${r.url}`).join('\n'));
    } finally {
      await proxy.close();
    }
  });

  it('stowage push --helm stores a packaged chart as helm push does; the Helm pull gets the same bytes back', async () => {
    const archive = await packageChart(work, 'mychart', '1.2.3+build.1', '2.0.0');
    const chartFile = path.join(work, 'mychart-1.2.3+build.1.tgz');
    const provenance = Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\nname: mychart\n');
    await fs.writeFile(`${chartFile}.prov`, provenance);
    const created = '2026-12-06T09:00:00Z';
    // As helm users type it: the chart, then oci://<registry>/<namespace>.
    const run = await cliOk([
      'push',
      '--helm',
      chartFile,
      `oci://${registry.host}/charts`,
      '--created',
      created,
      '--plain-http',
    ]);
    assert.match(run.stdout, new RegExp(`to ${registry.host}/charts/mychart:1\\.2\\.3_build\\.1$`, 'm'));
    const manifestResponse = await fetch(`${registry.url}/v2/charts/mychart/manifests/1.2.3_build.1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const manifest = (await manifestResponse.json()) as { config: Blob };
    // Helm's config: Chart.yaml's fields as JSON, in the order Helm's Go struct writes them.
    const configBytes = Buffer.from(
      JSON.stringify({
        name: 'mychart',
        version: '1.2.3+build.1',
        description: 'A Helm chart',
        apiVersion: 'v2',
        appVersion: '2.0.0',
        type: 'application',
      }),
    );
    assert.deepEqual(manifest, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: blobOf(HELM_CONFIG, configBytes),
      layers: [blobOf(HELM_CHART, archive), blobOf(HELM_PROVENANCE, provenance)],
      annotations: {
        'org.opencontainers.image.description': 'A Helm chart',
        'org.opencontainers.image.title': 'mychart',
        'org.opencontainers.image.version': '1.2.3+build.1',
        'org.opencontainers.image.created': created,
      },
    });
    const config = await fetch(`${registry.url}/v2/charts/mychart/blobs/${manifest.config.digest}`);
    assert.deepEqual(Buffer.from(await config.arrayBuffer()), configBytes);
    // The Helm pull path names the files as helm pull does, with the very bytes pushed.
    const out = path.join(work, 'helm-pushed-pulled');
    await cliOk(['pull', `${registry.host}/charts/mychart:1.2.3_build.1`, '-o', out, '--plain-http']);
    assert.deepEqual((await fs.readdir(out)).sort(), ['mychart-1.2.3+build.1.tgz', 'mychart-1.2.3+build.1.tgz.prov']);
    assert.deepEqual(await fs.readFile(path.join(out, 'mychart-1.2.3+build.1.tgz')), archive);
    assert.deepEqual(await fs.readFile(path.join(out, 'mychart-1.2.3+build.1.tgz.prov')), provenance);
    // A namespace with a tag is refused: the chart's version is the tag.
    const tagged = await cli(['push', '--helm', `${registry.host}/charts:v1`, chartFile, '--plain-http']);
    assert.equal(tagged.code, 2, tagged.stderr);
    assert.match(tagged.stderr, /names a tag or digest/);
  });

  it('stowage push --helm into a layout: the manifest helm push makes, tagged with the version; pulled back alike, skopeo reads it', async () => {
    const archive = await packageChart(work, 'laychart', '0.3.0+ci.9', '1.0.0');
    const chartFile = path.join(work, 'laychart-0.3.0+ci.9.tgz');
    const provenance = Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\nname: laychart\n');
    await fs.writeFile(`${chartFile}.prov`, provenance);
    const created = '2026-12-06T12:00:00Z';
    const layout = path.join(work, 'charts-layout');
    const run = await cliOk(['push', '--helm', chartFile, `oci:${layout}`, '--created', created]);
    assert.match(
      run.stdout,
      /^Pushed Helm chart laychart 0\.3\.0\+ci\.9 with its provenance to .*charts-layout:0\.3\.0_ci\.9$/m,
    );
    // The very manifest (config, layers, annotations) a push to a registry makes.
    await cliOk(['push', '--helm', chartFile, `${registry.host}/charts`, '--created', created, '--plain-http']);
    const fromLayout = (await cliOk(['manifest', 'fetch', `oci:${layout}:0.3.0_ci.9`])).stdout;
    const fromRegistry = (
      await cliOk(['manifest', 'fetch', `${registry.host}/charts/laychart:0.3.0_ci.9`, '--plain-http'])
    ).stdout;
    assert.equal(fromLayout, fromRegistry);
    const manifest = JSON.parse(fromLayout) as { config: Blob; layers: Blob[]; annotations: Record<string, string> };
    assert.equal(manifest.config.mediaType, HELM_CONFIG);
    assert.deepEqual(manifest.layers, [blobOf(HELM_CHART, archive), blobOf(HELM_PROVENANCE, provenance)]);
    assert.equal(manifest.annotations['org.opencontainers.image.version'], '0.3.0+ci.9');
    // Pulled back as helm pull names the files, byte for byte.
    const out = path.join(work, 'layout-chart-pulled');
    await cliOk(['pull', `oci:${layout}:0.3.0_ci.9`, '-o', out]);
    assert.deepEqual((await fs.readdir(out)).sort(), ['laychart-0.3.0+ci.9.tgz', 'laychart-0.3.0+ci.9.tgz.prov']);
    assert.deepEqual(await fs.readFile(path.join(out, 'laychart-0.3.0+ci.9.tgz')), archive);
    assert.deepEqual(await fs.readFile(path.join(out, 'laychart-0.3.0+ci.9.tgz.prov')), provenance);
    // skopeo reads the layout: the same manifest bytes, and a copy of it to the registry keeps its digest.
    const raw = await runSkopeo(['inspect', '--raw', `oci:${layout}:0.3.0_ci.9`]);
    assert.equal(raw.stdout, fromLayout);
    await runSkopeo([
      'copy',
      '--preserve-digests',
      ...skopeoRegistryFlags(registry, 'dest'),
      `oci:${layout}:0.3.0_ci.9`,
      `docker://${registry.host}/charts/via-skopeo:0.3.0_ci.9`,
    ]);
    const copied = await cliOk(['resolve', `${registry.host}/charts/via-skopeo:0.3.0_ci.9`, '--plain-http']);
    const layoutDigest = await cliOk(['resolve', `oci:${layout}:0.3.0_ci.9`]);
    assert.equal(copied.stdout.trim(), layoutDigest.stdout.trim());
    assert.equal(layoutDigest.stdout.trim(), `sha256:${createHash('sha256').update(fromLayout).digest('hex')}`);
    // A tag of one's own, and --oci-layout with a plain path, as every other command takes a layout.
    const tagged = path.join(work, 'charts-tagged');
    await cliOk(['push', '--helm', `oci:${tagged}:stable`, chartFile, '--created', created]);
    assert.equal((await cliOk(['manifest', 'fetch', `oci:${tagged}:stable`])).stdout, fromLayout);
    const plain = path.join(work, 'charts-plain');
    await cliOk(['push', '--helm', '--oci-layout', plain, chartFile, '--created', created]);
    assert.equal((await cliOk(['manifest', 'fetch', `oci:${plain}:0.3.0_ci.9`])).stdout, fromLayout);
    // A digest names no place to push to.
    const digest = await cli(['push', '--helm', `oci:${tagged}@sha256:${'0'.repeat(64)}`, chartFile]);
    assert.equal(digest.code, 2, digest.stderr);
    assert.match(digest.stderr, /names a digest/);
  });

  it('the tree names a chart tag by its chart: name, version with its "+", appVersion (read from the config)', async () => {
    const pushed = await helmPush(registry, work, 'charts/api', {
      name: 'api',
      version: '2.3.0+g1a2b',
      appVersion: 'v9.1',
    });
    const described = await describeArtifact(new RegistryTarget(clientFor(registry), 'charts/api'), pushed.tag);
    assert.equal(described.kindLabel, 'Helm chart');
    assert.deepEqual(described.details, ['api 2.3.0+g1a2b', 'app v9.1', '2026-12-06']);
  });

  it('a Flux artifact is named "Flux artifact" with the revision flux push records, in the tree and the graph', async () => {
    const repository = 'flux/apps';
    const folder = path.join(work, 'manifests');
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'deploy.yaml'), 'kind: Deployment\n');
    const revision = 'main@sha1:534684601ec8888beb0cc4f51117b59e97606c4d';
    await fluxPush(registry, work, repository, folder, revision);
    const target = new RegistryTarget(clientFor(registry), repository);
    const described = await describeArtifact(target, 'latest');
    assert.equal(described.kindLabel, 'Flux artifact');
    assert.deepEqual(described.details, [revision, '2026-12-06']);
    const root = await describeGraphRoot(target, await target.resolve('latest'));
    assert.equal(ARTIFACT_KIND_LABELS[artifactKindOf(root)], 'Flux artifact');
  });

  it('stowage pull extracts a Flux artifact into the folder, as flux pull artifact -o does; a clash is refused, nothing written', async () => {
    const repository = 'flux/fleet';
    const folder = path.join(work, 'fleet');
    await fs.mkdir(path.join(folder, 'apps', 'web'), { recursive: true });
    await fs.writeFile(path.join(folder, 'kustomization.yaml'), 'resources: [apps]\n');
    await fs.writeFile(path.join(folder, 'apps', 'web', 'deploy.yaml'), 'kind: Deployment\n');
    await fluxPush(registry, work, repository, folder, 'main@sha1:0123456789abcdef0123456789abcdef01234567');
    const reference = `${registry.host}/${repository}:latest`;
    const out = path.join(work, 'fleet-pulled');
    const run = await cliOk(['pull', reference, '-o', out, '--plain-http']);
    assert.doesNotMatch(run.stderr, /not written/);
    assert.deepEqual((await fs.readdir(out, { recursive: true })).sort(), [
      'apps',
      'apps/web',
      'apps/web/deploy.yaml',
      'kustomization.yaml',
    ]);
    assert.equal(await fs.readFile(path.join(out, 'apps', 'web', 'deploy.yaml'), 'utf8'), 'kind: Deployment\n');
    // Again: the files are there already, unchanged.
    assert.match((await cliOk(['pull', reference, '-o', out, '--plain-http'])).stdout, /^unchanged /m);
    // A file of the user's beside them stays; one the artifact holds differently is refused without --overwrite.
    await fs.writeFile(path.join(out, 'mine.txt'), 'mine');
    await fs.writeFile(path.join(out, 'kustomization.yaml'), 'edited\n');
    await fs.rm(path.join(out, 'apps', 'web', 'deploy.yaml'));
    const beside = await fs.readdir(work);
    const refused = await cli(['pull', reference, '-o', out, '--plain-http']);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /already exists in .*"kustomization\.yaml".*nothing written/);
    await assert.rejects(fs.stat(path.join(out, 'apps', 'web', 'deploy.yaml')), { code: 'ENOENT' });
    assert.deepEqual(await fs.readdir(work), beside, 'no staging folder is left beside the target');
    await cliOk(['pull', reference, '-o', out, '--plain-http', '--overwrite']);
    assert.equal(await fs.readFile(path.join(out, 'kustomization.yaml'), 'utf8'), 'resources: [apps]\n');
    assert.equal(await fs.readFile(path.join(out, 'apps', 'web', 'deploy.yaml'), 'utf8'), 'kind: Deployment\n');
    assert.equal(await fs.readFile(path.join(out, 'mine.txt'), 'utf8'), 'mine');
  });

  describe('pull --include-subject with a Flux artifact in the chain: one pull, all or nothing', () => {
    /** A Flux artifact of `files` in `repository`, and a referrer of it holding `notes.txt` with `notes`. */
    async function fluxWithReferrer(
      repository: string,
      files: Record<string, string>,
      notes: string,
      link?: [string, string],
    ): Promise<{ referrer: string; flux: string }> {
      const folder = path.join(work, `${repository.replace('/', '-')}-src`);
      await fs.mkdir(folder, { recursive: true });
      for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(folder, name), text);
      if (link) await fs.symlink(link[1], path.join(folder, link[0]));
      await fluxPush(registry, work, repository, folder, 'main@sha1:0123456789abcdef0123456789abcdef01234567');
      const noteFolder = path.join(work, `${repository.replace('/', '-')}-notes`);
      await fs.mkdir(noteFolder, { recursive: true });
      await fs.writeFile(path.join(noteFolder, 'notes.txt'), notes);
      const attached = await cliOk([
        'attach',
        `${registry.host}/${repository}:latest`,
        path.join(noteFolder, 'notes.txt'),
        '--artifact-type',
        'application/x.notes',
        '--plain-http',
      ]);
      const flux = await cliOk(['resolve', `${registry.host}/${repository}:latest`, '--plain-http']);
      return { referrer: /^Digest: (sha256:[0-9a-f]{64})$/m.exec(attached.stdout)![1]!, flux: flux.stdout.trim() };
    }

    it('refuses, writing nothing, a Flux subject holding a file of the referrer with other contents', async () => {
      const repository = 'flux/clash';
      const { referrer, flux } = await fluxWithReferrer(
        repository,
        { 'notes.txt': 'Flux notes\n' },
        'referrer notes\n',
      );
      const out = path.join(work, 'clash-pulled');
      const beside = await fs.readdir(work);
      const run = await cli([
        'pull',
        `${registry.host}/${repository}@${referrer}`,
        '-o',
        out,
        '--include-subject',
        '--plain-http',
      ]);
      assert.equal(run.code, 1, run.stdout);
      assert.equal(
        run.stderr,
        `stowage pull: ${flux} (a Flux artifact) holds "notes.txt" with other contents than the other artifacts pulled with it (nothing written): pull them into separate folders\n`,
      );
      await assert.rejects(fs.stat(out), { code: 'ENOENT' }, 'nothing written: not even the folder');
      assert.deepEqual(await fs.readdir(work), beside, 'no staging folder is left beside the target');
      // With --overwrite too: neither artifact's file may silently win.
      await fs.mkdir(out);
      const overwriting = await cli([
        'pull',
        `${registry.host}/${repository}@${referrer}`,
        '-o',
        out,
        '--include-subject',
        '--overwrite',
        '--plain-http',
      ]);
      assert.equal(overwriting.code, 1, overwriting.stdout);
      assert.deepEqual(await fs.readdir(out), []);
    });

    it('refuses, writing nothing, a Flux subject the pull refuses on its own (a link in it) after the referrer staged', async () => {
      const repository = 'flux/linked';
      const { referrer } = await fluxWithReferrer(repository, { 'app.yaml': 'kind: App\n' }, 'notes\n', [
        'current',
        'app.yaml',
      ]);
      const out = path.join(work, 'linked-pulled');
      const run = await cli([
        'pull',
        `${registry.host}/${repository}@${referrer}`,
        '-o',
        out,
        '--include-subject',
        '--plain-http',
      ]);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, /symlink entries are refused/);
      await assert.rejects(fs.stat(out), { code: 'ENOENT' }, "the referrer's notes.txt was not written either");
    });

    it('writes both when they agree; pulled again, the summary says what was written and what was kept', async () => {
      const repository = 'flux/agree';
      const files = { 'notes.txt': 'same notes\n', 'deploy.yaml': 'kind: Deployment\n' };
      const { referrer, flux } = await fluxWithReferrer(repository, files, 'same notes\n');
      const out = path.join(work, 'agree-pulled');
      const reference = `${registry.host}/${repository}@${referrer}`;
      const first = await cliOk(['pull', reference, '-o', out, '--include-subject', '--plain-http']);
      assert.deepEqual((await fs.readdir(out)).sort(), ['deploy.yaml', 'notes.txt']);
      assert.match(first.stdout, new RegExp(`^pulled ${referrer}: 1 item, 11 B written$`, 'm'));
      // The Flux tree's notes.txt is the referrer's, just written: kept, not written twice.
      assert.match(first.stdout, new RegExp(`^pulled its subject ${flux}: 1 item, 17 B written, 11 B kept$`, 'm'));
      // A file of the user's that the Flux tree holds alike is kept as well; a new one is written.
      await fs.rm(path.join(out, 'deploy.yaml'));
      const again = await cliOk([
        'pull',
        reference,
        '-o',
        out,
        '--include-subject',
        '--plain-http',
        '--format',
        'json',
      ]);
      const json = JSON.parse(again.stdout) as {
        bytesWritten: number;
        bytesKept: number;
        files: { unchanged?: boolean }[];
      };
      assert.deepEqual([json.bytesWritten, json.bytesKept], [17, 22]);
      assert.deepEqual(
        json.files.map((f) => !!f.unchanged),
        [true, false],
      );
      const third = await cliOk(['pull', reference, '-o', out, '--include-subject', '--plain-http']);
      assert.match(
        third.stdout,
        new RegExp(`^pulled ${referrer}: 1 item, 0 B written, 11 B kept \\(1 item already there unchanged\\)$`, 'm'),
      );
      assert.match(
        third.stdout,
        new RegExp(
          `^pulled its subject ${flux}: 1 item, 0 B written, 28 B kept \\(1 item already there unchanged\\)$`,
          'm',
        ),
      );
    });
  });

  it('a WebAssembly component (CNCF layout): named by its WASI version and world; pulled as wkg oci pull names the file', async () => {
    const repository = 'wasm/hello';
    const module = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), Buffer.alloc(500, 7)]);
    const layer = await uploadBlob(registry, repository, 'application/wasm', module);
    const config = await uploadBlob(
      registry,
      repository,
      'application/vnd.wasm.config.v0+json',
      Buffer.from(
        JSON.stringify({
          created: '2026-12-06T05:00:00Z',
          architecture: 'wasm',
          os: 'wasip2',
          layerDigests: [layer.digest],
          component: { exports: ['wasi:cli/run@0.2.0'], imports: [], target: 'wasi:cli/command@0.2.0' },
        }),
      ),
    );
    await putManifest(registry, repository, '1.0.0', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.wasm.component.v1+wasm',
      config,
      layers: [layer],
    });
    // The tree names it with the WASI version and world its config states.
    const described = await describeArtifact(new RegistryTarget(clientFor(registry), repository), '1.0.0');
    assert.equal(described.kindLabel, 'WebAssembly module');
    assert.deepEqual(described.details, ['wasip2', 'wasi:cli/command@0.2.0', '2026-12-06']);
    // Pulled as wkg oci pull names it without -o: the repository, "/" as "_", plus ".wasm".
    const out = path.join(work, 'wasm-pull');
    const run = await cliOk(['pull', `${registry.host}/${repository}:1.0.0`, '-o', out, '--plain-http']);
    assert.doesNotMatch(run.stderr, /not written/);
    assert.deepEqual(await fs.readdir(out), ['wasm_hello.wasm']);
    assert.deepEqual(await fs.readFile(path.join(out, 'wasm_hello.wasm')), module);
    // The same from a layout, which has no repository: named after the layout's folder.
    const layout = path.join(work, 'components');
    await cliOk(['copy', `${registry.host}/${repository}:1.0.0`, `oci:${layout}:1.0.0`, '--plain-http']);
    const fromLayout = path.join(work, 'wasm-from-layout');
    await cliOk(['pull', `oci:${layout}:1.0.0`, '-o', fromLayout]);
    assert.deepEqual(await fs.readdir(fromLayout), ['components.wasm']);
  });
});
