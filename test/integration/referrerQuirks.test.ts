// Referrers against the quirks real registries have (a scripted registry per quirk, see fixtures/quirksRegistry):
// for each, `stowage attach`, `stowage discover`, `stowage copy -r` and the engine's listReferrers (what the
// tree shows) do the right thing. The same flows without quirks run against docker-registry in cli/pushPull.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { listReferrers } from '../../src/core/graph';
import { type Descriptor } from '../../src/core/oci/descriptor';
import { MediaType } from '../../src/core/oci/mediaTypes';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { attachBytes } from '../../src/core/supplyChain';
import { startQuirksRegistry, type QuirksRegistry, type RegistryQuirks } from '../fixtures/quirksRegistry';
import { manifestDescriptor, pushArtifact, pushCosignTag } from '../helpers/sampleArtifact';
import { cli, cliOk } from '../helpers/runCli';

const SBOM = 'application/spdx+json';
const SIGNATURE = 'application/vnd.cncf.notary.signature';
const COSIGN_SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json';

interface Graph {
  root: string;
  nodes: { depth: number; descriptor: Descriptor }[];
  edges: { from: string; to: string; source: string; tag?: string }[];
}

describe('referrers on registries with quirks (scripted registry, one quirk at a time)', function () {
  this.timeout(60_000);
  let home: string;
  const registries: QuirksRegistry[] = [];
  const flags = ['--plain-http'];

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-quirks-'));
  });
  after(async () => {
    await Promise.all(registries.map((r) => r.stop()));
    await fs.rm(home, { recursive: true, force: true });
  });

  async function start(quirks: RegistryQuirks) {
    const registry = await startQuirksRegistry(quirks);
    registries.push(registry);
    const credentials = quirks.basicAuth ? { [registry.host]: quirks.basicAuth } : {};
    const client = new RegistryClient(
      { host: registry.host, plainHttp: true },
      { retry: { baseDelayMs: 5, retries: 1 }, credentials: { explicit: credentials, ignoreToolConfig: true } },
    );
    const target = new RegistryTarget(client, 'app');
    const subject = (await pushArtifact(target, 'the subject', { tag: 'v1' })).manifest;
    let env: NodeJS.ProcessEnv = { DOCKER_CONFIG: path.join(home, 'no-docker-config') };
    if (quirks.basicAuth) {
      const dir = await fs.mkdtemp(path.join(home, 'docker-'));
      const auth = Buffer.from(`${quirks.basicAuth.username}:${quirks.basicAuth.password}`).toString('base64');
      await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
      env = { DOCKER_CONFIG: dir };
    }
    const ref = `${registry.host}/app:v1`;
    return { registry, client, target, subject, env, ref };
  }

  type Setup = Awaited<ReturnType<typeof start>>;

  async function attach(setup: Setup, artifactType: string, text: string, ref = setup.ref): Promise<string> {
    const file = path.join(await fs.mkdtemp(path.join(home, 'attach-')), 'doc.txt');
    await fs.writeFile(file, text);
    const run = await cliOk(['attach', ref, `${file}:text/plain`, '--artifact-type', artifactType, ...flags], {
      env: setup.env,
    });
    return /Digest: (sha256:[0-9a-f]{64})/.exec(run.stdout)![1]!;
  }

  async function discover(setup: Setup, ref = setup.ref, extra: string[] = []): Promise<Graph> {
    const run = await cliOk(['discover', ref, '--format', 'graph', ...flags, ...extra], { env: setup.env });
    return JSON.parse(run.stdout) as Graph;
  }

  /** copy -r into a fresh layout, then what discover sees there. */
  async function copyToLayout(setup: Setup): Promise<Graph> {
    const layout = await fs.mkdtemp(path.join(home, 'layout-'));
    await cliOk(['copy', '-r', setup.ref, `oci:${layout}:v1`, ...flags], { env: setup.env });
    return JSON.parse((await cliOk(['discover', `oci:${layout}:v1`, '--format', 'graph'])).stdout) as Graph;
  }

  const referrerDigests = (graph: Graph) =>
    graph.nodes
      .filter((n) => n.depth === 1)
      .map((n) => n.descriptor.digest)
      .sort();
  const sources = (graph: Graph) => Object.fromEntries(graph.edges.map((e) => [e.to, e.source]));
  const fallbackPuts = (registry: QuirksRegistry) =>
    registry.requests.filter((r) => /^PUT \/v2\/app\/manifests\/sha256-/.test(r));

  it('GHCR: a referrers path redirected (303) to another host answering 429 is not followed with credentials; the fallback tag serves', async () => {
    const setup = await start({ redirectReferrersTo429: true, basicAuth: { username: 'u', password: 'secret-pw' } });
    const a = await attach(setup, SBOM, 'sbom');
    const b = await attach(setup, SIGNATURE, 'signature');
    const graph = await discover(setup);
    assert.deepEqual(referrerDigests(graph), [a, b].sort());
    assert.deepEqual(new Set(Object.values(sources(graph))), new Set(['fallback-tag']));
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), [a, b].sort());
    assert.equal((await listReferrers(setup.target, setup.subject.digest)).length, 2);
    assert.ok(
      setup.registry.otherHostRequests.every((r) => !r.authorization),
      'the other host never got an Authorization header',
    );
  });

  it('GitLab: a fallback tag that resolves to the subject itself is no referrers index; attach still records one', async () => {
    const setup = await start({ fallbackTagResolvesToSubject: true });
    assert.deepEqual(await listReferrers(setup.target, setup.subject.digest), []);
    assert.deepEqual(referrerDigests(await discover(setup)), []);
    const a = await attach(setup, SBOM, 'sbom');
    const graph = await discover(setup);
    assert.deepEqual(referrerDigests(graph), [a]);
    assert.equal(sources(graph)[a], 'fallback-tag');
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), [a]);
  });

  it('ECR: attach to an index is refused with the reason; copy -r copies the rest and names the refused referrer', async () => {
    const setup = await start({ referrersApi: true, refuseIndexSubject: true });
    const indexBytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [setup.subject] }),
    );
    const index = manifestDescriptor(indexBytes, MediaType.ociIndex);
    await setup.target.pushManifest(index, indexBytes, { tag: 'multi' });
    const refused = await cli(
      ['attach', `${setup.registry.host}/app:multi`, `${__filename}:text/plain`, '--artifact-type', SBOM, ...flags],
      { env: setup.env },
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /its subject is an image index.*attach it to a platform manifest/);

    // A source without the quirk holds the index with a referrer and its child with one.
    const source = await start({ referrersApi: true });
    await source.target.pushManifest(index, indexBytes, { tag: 'multi' });
    const ofIndex = await attachBytes(source.target, index, {
      artifactType: SBOM,
      documents: [{ title: 'i.txt', mediaType: 'text/plain', bytes: Buffer.from('of the index') }],
    });
    const ofChild = await attachBytes(source.target, source.subject, {
      artifactType: SBOM,
      documents: [{ title: 'c.txt', mediaType: 'text/plain', bytes: Buffer.from('of the child') }],
    });
    const dst = `${setup.registry.host}/copied:multi`;
    const copied = await cli(['copy', '-r', `${source.registry.host}/app:multi`, dst, ...flags], { env: setup.env });
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(
      copied.stderr,
      new RegExp(`warning: referrer ${ofIndex.digest} of ${index.digest} not copied: .*image index`),
    );
    const there = new RegistryTarget(setup.client, 'copied');
    assert.equal((await there.resolve('multi')).digest, index.digest);
    assert.deepEqual(
      (await listReferrers(there, source.subject.digest)).map((r) => r.descriptor.digest),
      [ofChild.digest],
    );
  });

  it('Quay: the API lists a referrer although the push got no OCI-Subject, so no fallback index is written', async () => {
    const setup = await start({ referrersApi: true, omitOciSubject: true });
    const a = await attach(setup, SBOM, 'sbom');
    assert.deepEqual(fallbackPuts(setup.registry), []);
    const graph = await discover(setup);
    assert.deepEqual(referrerDigests(graph), [a]);
    assert.equal(sources(graph)[a], 'api');
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), [a]);
  });

  it('old ECR: an OCI-Subject header without a referrers API is not trusted; the fallback index keeps the referrer', async () => {
    const setup = await start({ falseOciSubject: true });
    const a = await attach(setup, SBOM, 'sbom');
    assert.equal(fallbackPuts(setup.registry).length, 1);
    const graph = await discover(setup);
    assert.deepEqual(referrerDigests(graph), [a]);
    assert.equal(sources(graph)[a], 'fallback-tag');
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), [a]);
  });

  it('zot: duplicate entries in the referrers list count once', async () => {
    const setup = await start({ referrersApi: true, duplicateReferrers: true });
    const a = await attach(setup, SBOM, 'sbom');
    const b = await attach(setup, SIGNATURE, 'signature');
    const graph = await discover(setup);
    assert.deepEqual(referrerDigests(graph), [a, b].sort());
    assert.equal(graph.edges.length, 2);
    assert.equal((await listReferrers(setup.target, setup.subject.digest)).length, 2);
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), [a, b].sort());
  });

  it('registry.k8s.io: an HTML 404 page for the referrers path means no API; attach and discover use the fallback tag', async () => {
    const setup = await start({ htmlReferrers404: true });
    const a = await attach(setup, SBOM, 'sbom');
    assert.equal(fallbackPuts(setup.registry).length, 1);
    const graph = await discover(setup);
    assert.equal(sources(graph)[a], 'fallback-tag');
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), [a]);
  });

  it('a registry that ignores the artifactType filter (no OCI-Filters-Applied) is filtered locally', async () => {
    const setup = await start({ referrersApi: true, ignoreArtifactTypeFilter: true });
    const a = await attach(setup, SBOM, 'sbom');
    await attach(setup, SIGNATURE, 'signature');
    const sboms = await listReferrers(setup.target, setup.subject.digest, { artifactType: SBOM });
    assert.deepEqual(
      sboms.map((r) => r.descriptor.digest),
      [a],
    );
    assert.ok(setup.registry.requests.some((r) => r.includes(`referrers/${setup.subject.digest}?artifactType=`)));
    assert.deepEqual(referrerDigests(await discover(setup, setup.ref, ['--artifact-type', SBOM])), [a]);
  });

  it('cosign: entries without artifactType get it from their manifest, and the type filter sees it', async () => {
    const setup = await start({ referrersApi: true, emptyArtifactType: true });
    const a = await attach(setup, SBOM, 'sbom');
    const b = await attach(setup, SIGNATURE, 'signature');
    const graph = await discover(setup);
    const types = Object.fromEntries(graph.nodes.map((n) => [n.descriptor.digest, n.descriptor.artifactType]));
    assert.equal(types[a], SBOM);
    assert.equal(types[b], SIGNATURE);
    assert.ok(setup.registry.requests.includes(`GET /v2/app/manifests/${a}`));
    assert.deepEqual(referrerDigests(await discover(setup, setup.ref, ['--artifact-type', SIGNATURE])), [b]);
  });

  it('paged referrers lists (Link rel="next") are read to the end', async () => {
    const setup = await start({ referrersApi: true, referrersPageSize: 2 });
    const attached: string[] = [];
    for (let i = 0; i < 5; i++) attached.push(await attach(setup, SBOM, `sbom ${i}`));
    assert.deepEqual(referrerDigests(await discover(setup)), attached.sort());
    assert.ok(setup.registry.requests.some((r) => r.includes('page=2')));
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), attached.sort());
  });

  it('a registry that gained the API: API, fallback tag and cosign tag referrers are merged, each once', async () => {
    const setup = await start({});
    const old = await attach(setup, SBOM, 'from before the API');
    const sig = await pushCosignTag(setup.target, setup.subject, 'sig');
    setup.registry.quirks = { referrersApi: true };
    const fresh = new RegistryTarget(
      new RegistryClient({ host: setup.registry.host, plainHttp: true }, { credentials: { ignoreToolConfig: true } }),
      'app',
    );
    const added = await attach(setup, SIGNATURE, 'after the API');
    const listed = await listReferrers(fresh, setup.subject.digest);
    assert.deepEqual(Object.fromEntries(listed.map((r) => [r.descriptor.digest, r.source])), {
      [old]: 'fallback-tag',
      [added]: 'api',
      [sig.manifest.digest]: 'cosign-tag',
    });
    assert.equal(listed.find((r) => r.source === 'cosign-tag')?.descriptor.artifactType, COSIGN_SIG);
    const all = [old, added, sig.manifest.digest].sort();
    assert.deepEqual(referrerDigests(await discover(setup)), all);
    assert.deepEqual(referrerDigests(await copyToLayout(setup)), all);
  });

  it('cp -r --from-distribution-spec / --to-distribution-spec (ORAS): read from one place, write the fallback tag too', async () => {
    // The source has the API and a referrer in its fallback tag from before it: each spec reads one of them.
    const source = await start({});
    const old = await attach(source, SBOM, 'from before the API');
    source.registry.quirks = { referrersApi: true };
    const added = await attach(source, SIGNATURE, 'after the API');
    const destination = await start({ referrersApi: true });
    const copyTo = async (repository: string, ...specs: string[]) => {
      await cliOk(['cp', '-r', source.ref, `${destination.registry.host}/${repository}:v1`, ...flags, ...specs]);
      return destination.registry.repository(repository);
    };
    const fallbackTag = source.subject.digest.replace(':', '-');
    const listedIn = async (repository: string, only: 'api' | 'fallback-tag') => {
      const target = new RegistryTarget(destination.client, repository);
      return (await listReferrers(target, source.subject.digest, { only })).map((r) => r.descriptor.digest).sort();
    };

    await copyTo('api-only', '--from-distribution-spec', 'v1.1-referrers-api');
    assert.deepEqual(await listedIn('api-only', 'api'), [added]);
    await copyTo('tag-only', '--from-distribution-spec', 'v1.1-referrers-tag');
    assert.deepEqual(await listedIn('tag-only', 'api'), [old]);

    // The destination has the API: by default no fallback index is written there; asked for, it is, listing both.
    const plain = await copyTo('default');
    await assert.rejects(plain.resolve(fallbackTag));
    await copyTo('with-tag', '--to-distribution-spec', 'v1.1-referrers-tag');
    assert.deepEqual(await listedIn('with-tag', 'fallback-tag'), [old, added].sort());

    // backup and restore take the same choice (ORAS 1.3's --distribution-spec): read the API only, write the tag too.
    const backup = path.join(home, 'backup-api-only');
    await cliOk([
      'backup',
      '--output',
      backup,
      '--include-referrers',
      '--distribution-spec',
      'v1.1-referrers-api',
      source.ref,
      ...flags,
    ]);
    const backedUp = await listReferrers(await LayoutTarget.open(backup), source.subject.digest);
    assert.deepEqual(
      backedUp.map((r) => r.descriptor.digest),
      [added],
    );
    await cliOk([
      'restore',
      '--input',
      backup,
      '--distribution-spec',
      'v1.1-referrers-tag',
      `${destination.registry.host}/restored`,
      ...flags,
    ]);
    assert.deepEqual(await listedIn('restored', 'fallback-tag'), [added]);

    // The API asked of a registry without one is refused before anything is copied.
    const noApi = await start({});
    const refused = await cli([
      'cp',
      '-r',
      source.ref,
      `${noApi.registry.host}/app:v2`,
      ...flags,
      '--to-distribution-spec',
      'v1.1-referrers-api',
    ]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /has no referrers API; drop --to-distribution-spec/);
  });
});
